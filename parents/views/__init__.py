"""The parents pages, by area."""
