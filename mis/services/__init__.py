"""Writes of the import: runs.py (what the admin's pages do: upload, choose the columns,
confirm, discard; each queues its work) and run_steps.py (the work a worker does: read the
file, apply it). Imports run one way: runs -> tasks -> run_steps."""
