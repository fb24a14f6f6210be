"""One run of a file: its page, its columns, and what the admin does with it."""

from django.urls import path

from ..views import runs

urlpatterns = [
    path("runs/<int:run_id>/", runs.import_run, name="mis_import_run"),
    path("runs/<int:run_id>/columns/", runs.import_columns, name="mis_import_columns"),
    path("runs/<int:run_id>/apply/", runs.import_apply, name="mis_import_apply"),
    path("runs/<int:run_id>/discard/", runs.import_discard, name="mis_import_discard"),
    path("runs/<int:run_id>/read/", runs.import_read_again, name="mis_import_read"),
]
