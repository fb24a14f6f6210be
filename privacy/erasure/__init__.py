"""Putting a guardian's record right and forgetting it: the change history of pupils
and guardians shown to the data protection lead (history.py), and the erasure of a
guardian's record (services.py), with the steps the apps above register for their own
rows (steps.py: `<app>/privacy_erasure.py`)."""
