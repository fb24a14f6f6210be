"""Reads for the import's pages, by area: runs (the imports home, a run, the history) and
columns (a CSV file's headers and the mapping to offer)."""
