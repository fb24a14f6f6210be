"""Forms for the homework pages, one module per area like views/ and urls/ (setting,
planner, marking, compliance), and the upload checks the forms that take files share
(uploads.py). Every form renders through crispy (DESIGN.md section 4)."""
