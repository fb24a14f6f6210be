"""The clubs pages, by area."""
