"""The demo school (`manage.py seed_demo`) exports: a demo pupil with a full record and
the demo parent each get a ZIP with every registered section, built without an error."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from privacy.exports.services import export_start
from privacy.models import SubjectAccessExport
from privacy.registry import GUARDIAN, PUPIL, export_sections
from school.demo import DEMO_LOGINS, DEMO_SLUG
from school.models import Guardian, Pupil, School, User

pytestmark = pytest.mark.django_db

Status = SubjectAccessExport.Status


def built(capture, **person):
    school = School.objects.get(slug=DEMO_SLUG)
    admin = User.objects.get(email=DEMO_LOGINS["admin"])
    with capture(execute=True):
        export = export_start(school=school, requested_by=admin, **person)
    export.refresh_from_db()
    assert (export.status, export.message) == (Status.READY, "")
    with export.file.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    return archive, json.loads(archive.read("data.json"))


def test_a_demo_pupil_and_the_demo_parent_export_with_every_section(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--pupils", "60", "--force", stdout=StringIO())
    pupil = (
        Pupil.objects.filter(school__slug=DEMO_SLUG)
        .annotate(misses_count=Count("misses"))
        .order_by("-misses_count", "pk")
        .first()
    )
    archive, data = built(django_capture_on_commit_callbacks, pupil=pupil)
    assert [s["key"] for s in data["sections"]] == [s.key for s in export_sections(PUPIL)]
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert sections["pupil_details"][0]["Last name"] == pupil.last_name
    assert sections["pupil_homework"] and sections["pupil_misses"] and sections["pupil_classes"]
    assert "report.html" in archive.namelist()

    guardian = Guardian.objects.get(user__email=DEMO_LOGINS["parent"])
    archive, data = built(django_capture_on_commit_callbacks, guardian=guardian)
    assert [s["key"] for s in data["sections"]] == [s.key for s in export_sections(GUARDIAN)]
    sections = {s["key"]: s["rows"] for s in data["sections"]}
    assert len(sections["guardian_children"]) == 2
    assert sections["guardian_login"][0]["Email"] == DEMO_LOGINS["parent"]
