"""Who may open the import's pages: a school's admins, for their school (the other school's
admin opens their own school's imports home and history, with nothing of ours); a run of
the world's school is for its admin only. Superusers choose the school
(tests/mis/test_import_pages_access.py). The buttons and forms answer POST only; their
tests are in tests/mis/test_import_pages*.py."""

from django.urls import reverse

from mis.models import ImportRun

ADMINS = {"school_admin", "other_school_staff"}


def run_of(w, **fields) -> ImportRun:
    """A houses file of the world's school, read, with a change and a bad row to show."""
    values = {
        "school": w.school,
        "kind": "houses",
        "file_name": "houses.csv",
        "started_by": w.school_admin,
        "status": ImportRun.Status.INVALID,
        "content": b"House\r\nDarwin\r\nDarwin\r\n",
        "mapping": {"name": "House"},
        "counts": {"added": 1, "changed": 0, "left": 0, "unchanged": 0, "errors": 1},
        "changes": [
            {
                "action": "add",
                "key": "Darwin",
                "label": "Darwin",
                "fields": [["Name", "", "Darwin"]],
            }
        ],
        "errors": [
            {
                "line": 3,
                "column": "House",
                "message": "The house Darwin is used twice (lines 2 and 3)",
            }
        ],
    }
    return ImportRun.objects.create(**(values | fields))


def waiting_for_columns(w) -> ImportRun:
    return run_of(w, status=ImportRun.Status.READING, mapping={}, counts={}, changes=[], errors=[])


PAGES = {
    "mis_imports": (lambda w: reverse("mis_imports"), ADMINS),
    "mis_import_history": (lambda w: reverse("mis_import_history"), ADMINS),
    "mis_import_run": (lambda w: reverse("mis_import_run", args=[run_of(w).pk]), {"school_admin"}),
    "mis_import_columns": (
        lambda w: reverse("mis_import_columns", args=[waiting_for_columns(w).pk]),
        {"school_admin"},
    ),
}

POST_ONLY = {
    "mis_import_upload": (lambda w: reverse("mis_import_upload"), ADMINS),
    "mis_import_dfe_number": (lambda w: reverse("mis_import_dfe_number"), ADMINS),
    "mis_import_apply": (
        lambda w: reverse("mis_import_apply", args=[run_of(w).pk]),
        {"school_admin"},
    ),
    "mis_import_discard": (
        lambda w: reverse("mis_import_discard", args=[run_of(w).pk]),
        {"school_admin"},
    ),
    "mis_import_read": (
        lambda w: reverse("mis_import_read", args=[run_of(w).pk]),
        {"school_admin"},
    ),
}
