"""A school admin imports a file through the pages: upload, choose the columns (a CSV),
see the preview, confirm (applied in one go) or discard; bad files and bad rows are
shown in words; a confirmation twice applies once. The queued tasks run in the test's
process once the request's transaction commits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from mis.models import ColumnMapping, ImportRun
from mis.progress import progress_write
from school.models import House

from .import_kinds import notes_kind_register

Status = ImportRun.Status

HOUSES = b"House\r\nBrunel\r\nDarwin\r\nFaraday\r\n"  # Brunel is the world's already


@pytest.fixture
def notes_kind(monkeypatch):
    return notes_kind_register(monkeypatch)


@pytest.fixture
def admin(client, world):
    client.force_login(world.school_admin)
    return client


def upload(client, kind, content, name="export.csv", query=""):
    return client.post(
        reverse("mis_import_upload") + query,
        {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def posted(capture, client, url, data=None):
    """POST, then run what the request queued on commit (as a worker would)."""
    with capture(execute=True):
        return client.post(url, data or {})


def test_an_admin_uploads_a_csv_chooses_its_columns_sees_the_preview_and_applies_it(
    admin, world, django_capture_on_commit_callbacks
):
    home = admin.get(reverse("mis_imports"))
    assert home.status_code == 200
    assert "Houses (CSV)" in home.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "houses", HOUSES, name="C:\\exports\\houses.csv")
    run = ImportRun.objects.get()
    assert (run.school, run.kind, run.file_name) == (world.school, "houses", "houses.csv")
    assert run.started_by == world.school_admin
    assert run.status == Status.READING and run.mapping == {}  # waits for its columns
    assert response["Location"] == reverse("mis_import_columns", args=[run.pk])

    columns = admin.get(response["Location"]).content.decode()
    assert "“House”" in columns  # the file's own headers are offered
    assert '<option value="House" selected>' in columns  # suggested from the presets

    response = posted(
        django_capture_on_commit_callbacks, admin, response["Location"], {"name": "House"}
    )
    assert response["Location"] == reverse("mis_import_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == Status.READY
    assert run.counts == {"added": 2, "changed": 0, "left": 0, "unchanged": 1, "errors": 0}
    assert ColumnMapping.objects.get(school=world.school, kind="houses").columns == {
        "name": "House"
    }

    page = admin.get(response["Location"]).content.decode()
    assert "Darwin" in page and "Faraday" in page
    assert "Apply this file now: 2 added, 0 changed," in page
    assert not House.objects.filter(name="Darwin").exists()  # nothing before the confirm

    response = posted(
        django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk])
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Status.APPLIED
    assert run.content is None  # the file's personal data goes once it is applied
    assert run.finished_at is not None
    assert sorted(House.objects.filter(school=world.school).values_list("name", flat=True)) == [
        "Brunel",
        "Curie",
        "Darwin",
        "Faraday",
    ]
    page = admin.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "Applied" in page and "Changes made" in page
    assert "Confirm and apply" not in page

    history = admin.get(reverse("mis_import_history")).content.decode()
    assert "houses.csv" in history and escape(world.school_admin) in history


def test_the_saved_columns_are_used_next_time_and_the_same_file_twice_changes_nothing(
    admin, world, django_capture_on_commit_callbacks
):
    ColumnMapping.objects.create(school=world.school, kind="houses", columns={"name": "House"})
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "houses", HOUSES)
    first = ImportRun.objects.get()
    assert response["Location"] == reverse("mis_import_run", args=[first.pk])  # no columns page
    first.refresh_from_db()
    assert first.status == Status.READY
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[first.pk]))

    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "houses", HOUSES)
    second = ImportRun.objects.exclude(pk=first.pk).get()
    assert second.status == Status.READY
    assert second.counts["added"] == second.counts["changed"] == 0
    assert second.counts["unchanged"] == 3
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[second.pk]))
    assert House.objects.filter(school=world.school).count() == 4


def test_a_saved_mapping_the_new_file_does_not_fit_asks_for_the_columns_again(
    admin, world, django_capture_on_commit_callbacks
):
    ColumnMapping.objects.create(school=world.school, kind="houses", columns={"name": "House"})
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "houses", b"Team name\r\nDarwin\r\n")
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("mis_import_columns", args=[run.pk])
    page = admin.get(response["Location"]).content.decode()
    assert '<option value="Team name">' in page


def test_the_columns_page_refuses_a_column_chosen_twice_and_offers_the_presets(
    admin, world, django_capture_on_commit_callbacks
):
    content = b"Subject Code,Subject Name,Code\r\nMa,Mathematics,1\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "subjects", content)
    run = ImportRun.objects.get()
    url = reverse("mis_import_columns", args=[run.pk])

    response = admin.post(url, {"code": "Code", "name": "Code"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The columns were not saved" in page
    assert "The column “Code” is already chosen for subject code" in page
    run.refresh_from_db()
    assert run.status == Status.READING and run.mapping == {}

    sims = admin.get(url + "?preset=SIMS").content.decode()
    assert '<option value="Code" selected>' in sims  # SIMS's code column
    arbor = admin.get(url + "?preset=Arbor").content.decode()
    assert '<option value="Subject Code" selected>' in arbor
    assert '<option value="Subject Name" selected>' in arbor


def test_a_file_with_bad_rows_lists_each_and_cannot_be_applied(
    admin, world, django_capture_on_commit_callbacks
):
    ColumnMapping.objects.create(school=world.school, kind="houses", columns={"name": "House"})
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "houses", b"House\r\nDarwin\r\nFaraday\r\nDarwin\r\n")
    run = ImportRun.objects.get()
    assert run.status == Status.INVALID
    page = admin.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "Rows with errors" in page
    assert "The house Darwin is used twice (lines 2 and 4)" in page
    assert "<td>4</td>" in page  # its line in the file (the header is line 1)
    assert '<td class="text-break">House</td>' in page  # the file's own column
    assert "Nothing can be applied while the file has errors" in page
    assert "Confirm and apply" not in page

    response = posted(
        django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk])
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Status.INVALID
    assert not House.objects.filter(name="Darwin").exists()
    followed = admin.get(response["Location"]).content.decode()
    assert "This file has errors" in followed


def test_a_file_that_is_not_a_csv_fails_with_the_reason(
    admin, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "houses", b"PK\x03\x04 a workbook", name="houses.xlsx")
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("mis_import_run", args=[run.pk])
    assert run.status == Status.FAILED and run.content is None
    page = admin.get(response["Location"]).content.decode()
    assert "This does not look like a CSV file: it is an Excel workbook" in page
    assert "Traceback" not in page


def test_a_file_over_20_mb_is_refused_before_it_is_read(admin, world):
    response = upload(admin, "houses", b"House\r\n" + b"x" * (20 * 1024 * 1024))
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file was not uploaded" in page
    assert "The file is 20.0 MB: the import takes files of up to 20 MB" in page
    assert not ImportRun.objects.exists()


def test_an_empty_file_and_no_kind_are_refused_in_words(admin, world):
    response = admin.post(reverse("mis_import_upload"), {"kind": "", "file": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose what the file holds." in page and "Choose the file to upload." in page
    response = upload(admin, "nonsense", b"a")
    assert "Choose one of the kinds of file listed." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_ctf_kind_is_read_straight_away_and_a_rejected_file_fails_in_words(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "test_notes", b"Darwin\n", name="notes.xml")
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("mis_import_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == Status.READY

    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"not notes at all", name="other.xml")
    failed = ImportRun.objects.get(file_name="other.xml")
    assert (failed.status, failed.message) == (Status.FAILED, "This is not a notes file.")
    assert failed.content is None


def test_confirming_twice_applies_the_file_once(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"Darwin\nFaraday\n")
    run = ImportRun.objects.get()
    url = reverse("mis_import_apply", args=[run.pk])
    posted(django_capture_on_commit_callbacks, admin, url)
    response = posted(django_capture_on_commit_callbacks, admin, url)
    assert notes_kind.applied == 1
    assert House.objects.filter(school=world.school, name="Darwin").count() == 1
    assert "This file has already been applied." in admin.get(response["Location"]).content.decode()


def test_the_apply_task_delivered_twice_applies_once(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    from mis import tasks

    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"Darwin\n")
    run = ImportRun.objects.get()
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk]))
    assert tasks.import_run_apply.delay(run.pk).get() == Status.APPLIED
    assert notes_kind.applied == 1


def test_a_fault_while_applying_fails_the_run_in_words_and_writes_nothing(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"Darwin\nexplode\nFaraday\n")
    run = ImportRun.objects.get()
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.message.startswith("Something went wrong on our side while applying the file")
    assert f"import run {run.pk}" in run.message
    assert not House.objects.filter(name="Darwin").exists()  # written before the fault
    page = admin.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "nothing was changed" in page and "RuntimeError" not in page


def test_a_file_refused_while_applying_says_why_and_writes_nothing(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"Darwin\nreject\n")
    run = ImportRun.objects.get()
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.message == "The school's records changed: upload the file again."
    assert not House.objects.filter(name="Darwin").exists()
    page = admin.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "The school&#x27;s records changed: upload the file again." in page


def test_discarding_deletes_the_file_and_applies_nothing(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", b"Darwin\n")
    run = ImportRun.objects.get()
    response = posted(
        django_capture_on_commit_callbacks, admin, reverse("mis_import_discard", args=[run.pk])
    )
    assert "nothing in the file was applied" in admin.get(response["Location"]).content.decode()
    run.refresh_from_db()
    assert (run.status, run.content) == (Status.DISCARDED, None)

    response = posted(
        django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk])
    )
    assert "This file was discarded" in admin.get(response["Location"]).content.decode()
    assert notes_kind.applied == 0
    assert not House.objects.filter(name="Darwin").exists()


def test_the_progress_box_shows_how_far_the_apply_has_got_and_reloads_the_page_at_the_end(
    admin, world, notes_kind
):
    run = ImportRun.objects.create(
        school=world.school, kind="test_notes", file_name="n.xml", status=Status.APPLYING
    )
    url = reverse("mis_import_run", args=[run.pk])
    progress_write(run, 3, 12)
    page = admin.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress class="w-100"' in page and 'value="3"' in page
    assert "3 of 12 rows (25%)" in page
    assert f'<a href="{url}">Refresh</a>' in page  # without JavaScript

    fragment = admin.get(url + "?fragment=progress", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith("{#") is False
    assert "<html" not in fragment.content.decode()
    assert "3 of 12 rows" in fragment.content.decode()

    ImportRun.objects.filter(pk=run.pk).update(status=Status.APPLIED)
    done = admin.get(url + "?fragment=progress", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_preview_is_shown_a_page_at_a_time_and_by_action(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    names = [f"House {n:03}" for n in range(120)]
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "test_notes", "\n".join(["Brunel", *names, "bad"]).encode())
    run = ImportRun.objects.get()
    url = reverse("mis_import_run", args=[run.pk])
    first = admin.get(url).content.decode()
    assert "House 000" in first and "House 049" in first and "House 050" not in first
    assert "page 1 of 3" in first
    third = admin.get(url + "?page=3").content.decode()
    assert "House 100" in third and "House 119" in third
    added = admin.get(url + "?show=added").content.decode()
    assert "Added (120)" in added
    left = admin.get(url + "?show=left").content.decode()
    assert "0 changes" in left
    assert "Line 122 is bad" in first


def test_the_dfe_number_is_saved_as_its_seven_digits_and_a_wrong_one_refused(admin, world):
    response = admin.post(reverse("mis_import_dfe_number"), {"dfe_number": "330 4321"})
    assert response.status_code == 302
    world.school.refresh_from_db()
    assert world.school.dfe_number == "3304321"
    assert "DfE number is 3304321" in admin.get(response["Location"]).content.decode()

    response = admin.post(reverse("mis_import_dfe_number"), {"dfe_number": "12345"})
    assert response.status_code == 400
    assert "Enter the 7 digits of the DfE number" in response.content.decode()
    world.school.refresh_from_db()
    assert world.school.dfe_number == "3304321"


def test_a_ctf_is_checked_against_the_dfe_number_the_admin_enters(
    client, db, django_capture_on_commit_callbacks
):
    from school.models import Pupil, RoleAssignment
    from tests.factories import RoleFactory, UserFactory

    from .ctf_builder import ctf_build, ctf_pupils
    from .ctf_fixtures import ctf_school_make

    school = ctf_school_make()
    school.dfe_number = ""
    school.save()
    admin = UserFactory(email="admin@made-up.example", school=school)
    RoleFactory(user=admin, school=school, role=RoleAssignment.Role.SCHOOL_ADMIN)
    client.force_login(admin)
    content = ctf_build(12)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "ctf_pupils", content, name="roll.xml")
    run = ImportRun.objects.get()
    run.refresh_from_db()
    assert run.status == Status.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "The school&#x27;s DfE number (LAESTAB, 7 digits) is not recorded" in page

    client.post(reverse("mis_import_dfe_number"), {"dfe_number": "999 1234"})
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "ctf_pupils", content, name="roll.xml")
    run = ImportRun.objects.exclude(status=Status.FAILED).get()
    assert run.status == Status.READY and run.counts["added"] == 12
    first = ctf_pupils(12)[0]
    page = client.get(response["Location"]).content.decode()
    assert first["surname"] in page and "Apply this file now: 12 added" in page

    posted(django_capture_on_commit_callbacks, client, reverse("mis_import_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.APPLIED
    assert Pupil.objects.filter(school=school).count() == 12

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "ctf_pupils", content, name="roll-again.xml")
    again = ImportRun.objects.get(file_name="roll-again.xml")
    assert again.status == Status.READY
    assert (again.counts["added"], again.counts["changed"], again.counts["left"]) == (0, 0, 0)


def test_a_file_waiting_long_to_be_read_can_be_read_again(
    admin, world, notes_kind, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    run = ImportRun.objects.create(
        school=world.school, kind="test_notes", file_name="n.xml", content=b"Darwin\n"
    )
    url = reverse("mis_import_run", args=[run.pk])
    assert "Read the file now" not in admin.get(url).content.decode()  # just given: it waits

    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    page = admin.get(url).content.decode()
    assert "this one has waited longer" in page and "Read the file now" in page
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_read", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.READY
    response = posted(
        django_capture_on_commit_callbacks, admin, reverse("mis_import_read", args=[run.pk])
    )
    assert "This file has been read already" in admin.get(response["Location"]).content.decode()


def test_the_history_names_the_source_who_and_the_outcome_of_each_run(admin, world):
    ImportRun.objects.create(
        school=world.school,
        kind="houses",
        file_name="houses-nightly.csv",
        source=ImportRun.Source.NIGHTLY,
        status=Status.FAILED,
        message="This does not look like a CSV file.",
    )
    ImportRun.objects.create(
        school=world.school,
        kind="subjects",
        file_name="subjects.csv",
        started_by=world.school_admin,
        status=Status.APPLIED,
        counts={"added": 3, "changed": 1, "left": 0, "unchanged": 5, "errors": 0},
    )
    page = admin.get(reverse("mis_import_history")).content.decode()
    assert page.index("subjects.csv") < page.index("houses-nightly.csv")  # newest first
    assert "Nightly sync" in page and "Uploaded" in page
    assert escape(world.school_admin) in page
    assert "Subjects (CSV)" in page and "Houses (CSV)" in page
    assert "This does not look like a CSV file." in page
    assert "<td>3</td>" in page and "<td>1</td>" in page


def test_a_csv_waiting_for_its_columns_says_so_on_every_page(
    admin, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "houses", HOUSES, name="houses.csv")
    run = ImportRun.objects.get()
    for url in (
        reverse("mis_imports"),
        reverse("mis_import_history"),
        reverse("mis_import_run", args=[run.pk]),
    ):
        page = admin.get(url).content.decode()
        assert "Waiting for its columns" in page, url
        assert "Reading the file" not in page, url


def test_a_file_read_with_the_wrong_column_is_read_again_with_the_right_one(
    admin, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin, "houses", b"House,Team\r\nDarwin,\r\nFaraday,Blue\r\n")
    posted(django_capture_on_commit_callbacks, admin, response["Location"], {"name": "Team"})
    run = ImportRun.objects.get()
    assert run.status == Status.INVALID
    page = admin.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "Missing house name" in page and "Change the columns" in page

    columns = admin.get(response["Location"]).content.decode()
    assert '<option value="Team" selected>' in columns  # the columns it was read with
    posted(django_capture_on_commit_callbacks, admin, response["Location"], {"name": "House"})
    run.refresh_from_db()
    assert (run.status, run.mapping, run.errors) == (Status.READY, {"name": "House"}, [])
    assert run.counts["added"] == 2
    assert ColumnMapping.objects.get(school=world.school, kind="houses").columns == {
        "name": "House"
    }

    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk]))
    response = admin.get(response["Location"])  # applied: its columns are settled
    assert response.status_code == 302
    assert "can no longer be changed" in admin.get(response["Location"]).content.decode()


def test_a_file_of_the_wrong_kind_fails_with_a_message_that_says_so(
    admin, world, django_capture_on_commit_callbacks
):
    world.school.dfe_number = "9991234"
    world.school.save()
    with django_capture_on_commit_callbacks(execute=True):
        as_ctf = upload(admin, "ctf_pupils", HOUSES, name="houses.csv")
        as_csv = upload(admin, "houses", b"<?xml version='1.0'?><CTfile/>", name="roll.xml")
    for response, words in [
        (as_ctf, "This is not a Common Transfer File: it is not XML."),
        (as_csv, "it is an XML file (a Common Transfer File is imported as its own kind)"),
    ]:
        page = admin.get(response["Location"]).content.decode()
        assert "Failed" in page and words in page
    assert set(ImportRun.objects.values_list("status", flat=True)) == {Status.FAILED}
    assert House.objects.filter(school=world.school).count() == 2


def test_the_imports_home_shows_each_kinds_newest_run(admin, world):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    for minutes, kind, name, status in [
        (30, "houses", "old-houses.csv", Status.APPLIED),
        (10, "houses", "new-houses.csv", Status.INVALID),
        (20, "subjects", "subjects.csv", Status.DISCARDED),
    ]:
        run = ImportRun.objects.create(
            school=world.school, kind=kind, file_name=name, status=status
        )
        ImportRun.objects.filter(pk=run.pk).update(
            created_at=now - datetime.timedelta(minutes=minutes)
        )
    ImportRun.objects.create(school=world.other_school, kind="staff", file_name="theirs.csv")
    rows = {row.kind.key: row.last for row in admin.get(reverse("mis_imports")).context["kinds"]}
    assert rows["houses"].file_name == "new-houses.csv"
    assert rows["subjects"].file_name == "subjects.csv"
    assert rows["staff"] is None  # the other school's run is not ours
    page = admin.get(reverse("mis_imports")).content.decode()
    assert "Has errors" in page and "Discarded" in page and "Not imported yet" in page


def test_the_preview_of_a_staff_list_without_the_admin_importing_it_keeps_them(
    admin, world, django_capture_on_commit_callbacks
):
    ColumnMapping.objects.create(
        school=world.school,
        kind="staff",
        columns={
            "first_name": "Forename",
            "last_name": "Surname",
            "email": "Work Email Address",
            "staff_code": "Staff Code",
        },
    )
    staff = b"Forename,Surname,Work Email Address,Staff Code\r\nZoe,Bronte,z.b@example.org,ZBR\r\n"

    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, "staff", staff, name="staff.csv")
    run = ImportRun.objects.get()

    assert run.status == Status.READY
    leaving = {change["label"] for change in run.changes if change["action"] == "leave"}
    assert world.teacher.get_full_name() in " ".join(leaving)  # the others on the list leave
    assert str(world.school_admin.get_full_name()) not in " ".join(leaving)
    posted(django_capture_on_commit_callbacks, admin, reverse("mis_import_apply", args=[run.pk]))
    world.school_admin.refresh_from_db()
    world.teacher.refresh_from_db()
    assert world.school_admin.is_active and not world.teacher.is_active
