"""`make bench` (bench/run.py) and the MIS import benchmark (bench/import_benchmark.py)."""
