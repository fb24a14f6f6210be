"""The button on an import's page that invites the guardians it brought answers POST
only, for the school's admins: tests/parents/test_invite_after_import.py checks who may
use it (everyone else, the other school's admin and superusers included, gets 404)."""

from django.urls import reverse

from mis.models import ImportRun

PAGES = {}

POST_ONLY = {
    "parents_import_invite": (
        lambda w: reverse(
            "parents_import_invite",
            args=[
                ImportRun.objects.create(
                    school=w.school, kind="ctf_pupils", file_name="pupils.xml"
                ).pk
            ],
        ),
        {"school_admin"},
    ),
}
