"""The import's pages, by area: imports (the home with the upload and the DfE number, and
the history of runs) and runs (one run: its columns, preview, progress, confirm, discard).
common.py says who may open them."""
