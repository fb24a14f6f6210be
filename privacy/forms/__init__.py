"""The data-protection pages' forms, by area (as privacy/views/)."""
