"""Only a school's admins use its imports, and superusers, who choose the school; anyone
else gets 404, before and after a POST, and nothing changes. Each page's queries are a
fixed number, however many runs, changes and bad rows there are."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mis.models import ImportRun
from mis.progress import progress_write
from school.models import House
from tests.factories import UserFactory
from tests.test_permissions import PERSONAS, persona

from .permission_rows_imports import POST_ONLY, run_of, waiting_for_columns

Status = ImportRun.Status


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_post_address_answers_405_to_its_users_and_404_to_others(client, world, page, who):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(world, who))
    response = client.get(build_url(world))
    assert response.status_code == (405 if who in allowed else 404)


@pytest.mark.parametrize(
    "who",
    ["teacher", "head_of_year", "senior_leader", "parent", "pupil_user", "other_school_staff"],
)
def test_nobody_else_confirms_discards_or_maps_a_run(
    client, world, who, django_capture_on_commit_callbacks
):
    run = run_of(world, status=Status.READY, errors=[])
    waiting = waiting_for_columns(world)
    client.force_login(persona(world, who))
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(reverse("mis_import_apply", args=[run.pk])),
            client.post(reverse("mis_import_discard", args=[run.pk])),
            client.post(reverse("mis_import_read", args=[waiting.pk])),
            client.post(reverse("mis_import_columns", args=[waiting.pk]), {"name": "House"}),
            client.post(
                reverse("mis_import_upload"),
                {"kind": "houses", "file": SimpleUploadedFile("h.csv", b"House\r\nX\r\n")},
            ),
            client.post(reverse("mis_import_dfe_number"), {"dfe_number": "1234567"}),
        ]
    expected = [404] * 4 + ([200, 200] if who == "other_school_staff" else [404, 404])
    if who == "other_school_staff":  # their own school's forms: answered for their school
        assert answers[4].status_code == 302 and answers[5].status_code == 302
        assert ImportRun.objects.filter(school=world.other_school).count() == 1
        world.other_school.refresh_from_db()
        assert world.other_school.dfe_number == "1234567"
        answers = answers[:4]
        expected = expected[:4]
    assert [a.status_code for a in answers] == expected
    run.refresh_from_db()
    waiting.refresh_from_db()
    assert run.status == Status.READY and waiting.mapping == {}
    assert ImportRun.objects.filter(school=world.school).count() == 2
    world.school.refresh_from_db()
    assert world.school.dfe_number == ""


def test_the_other_schools_admin_sees_none_of_our_runs(client, world):
    run_of(world)
    client.force_login(world.other_school_staff)
    history = client.get(reverse("mis_import_history")).content.decode()
    assert "houses.csv" not in history and "No file has been imported yet." in history
    home = client.get(reverse("mis_imports")).content.decode()
    assert "Other Academy" in home and "Test Academy" not in home


def test_a_school_admin_naming_another_school_gets_404(client, world):
    client.force_login(world.school_admin)
    assert client.get(reverse("mis_imports") + "?school=test").status_code == 200
    assert client.get(reverse("mis_imports") + "?school=other").status_code == 404
    assert client.get(reverse("mis_import_history") + "?school=other").status_code == 404


@pytest.fixture
def superuser(world):
    return UserFactory(email="root@example.org", is_superuser=True, is_staff=True)


def test_a_superuser_chooses_the_school_and_imports_for_it(
    client, world, superuser, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    menu = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("mis_imports")}"' in menu

    chooser = client.get(reverse("mis_imports")).content.decode()
    assert "choose a school" in chooser
    assert f'href="{reverse("mis_imports")}?school=test"' in chooser
    assert f'href="{reverse("mis_imports")}?school=other"' in chooser
    assert client.get(reverse("mis_imports") + "?school=nowhere").status_code == 404
    with pytest.raises(AssertionError):  # a chooser, not a school's page
        assert "Upload a file" in chooser

    home = client.get(reverse("mis_imports") + "?school=test").content.decode()
    assert "Imports from the MIS: Test Academy" in home
    # Every form and link of the page stays at the chosen school.
    assert f'action="{reverse("mis_import_upload")}?school=test"' in home
    assert f'action="{reverse("mis_import_dfe_number")}?school=test"' in home
    assert f'href="{reverse("mis_import_history")}?school=test"' in home

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mis_import_upload") + "?school=test",
            {"kind": "houses", "file": SimpleUploadedFile("h.csv", b"House\r\nDarwin\r\n")},
        )
    run = ImportRun.objects.get()
    assert (run.school, run.started_by) == (world.school, superuser)
    assert client.get(response["Location"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"name": "House"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mis_import_apply", args=[run.pk]))
    assert House.objects.filter(school=world.school, name="Darwin").exists()
    page = client.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert f'href="{reverse("mis_imports")}?school=test"' in page

    history = client.get(reverse("mis_import_history") + "?school=test").content.decode()
    assert "h.csv" in history
    assert (
        "h.csv" not in client.get(reverse("mis_import_history") + "?school=other").content.decode()
    )
    # Without a school the POST addresses have nothing to act on.
    assert client.post(reverse("mis_import_dfe_number"), {"dfe_number": ""}).status_code == 404


# Query budgets -------------------------------------------------------------------------


def _runs(world, count):
    for n in range(count):
        run_of(world, file_name=f"file{n}.csv", kind=["houses", "subjects", "staff"][n % 3])


@pytest.mark.parametrize("runs", [1, 40])
def test_the_imports_home_costs_the_same_however_many_runs(
    client, world, runs, django_assert_max_num_queries
):
    _runs(world, runs)
    client.force_login(world.school_admin)
    # session, user, roles, the school, each kind's last run (one query).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("mis_imports"))
    assert response.status_code == 200


@pytest.mark.parametrize("runs", [1, 70])
def test_the_history_costs_the_same_however_many_runs(
    client, world, runs, django_assert_max_num_queries
):
    _runs(world, runs)
    client.force_login(world.school_admin)
    # session, user, roles, the school, the count, a page of runs with who started them.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("mis_import_history"))
    assert len(response.context["runs"]) == min(runs, 50)


@pytest.mark.parametrize("rows", [2, 400])
def test_the_run_page_costs_the_same_however_many_changes_and_errors(
    client, world, rows, django_assert_max_num_queries
):
    change = {"action": "change", "key": "k", "label": "L", "fields": [["Name", "a", "b"]]}
    error = {"line": 2, "column": "House", "message": "Missing house name"}
    run = run_of(world, changes=[change] * rows, errors=[error] * rows)
    client.force_login(world.school_admin)
    # session, user, roles, the run with its school and who started it.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("mis_import_run", args=[run.pk]))
    assert response.status_code == 200
    assert len(response.context["changes"]) == min(rows, 50)


def test_the_progress_box_and_the_columns_page_have_fixed_budgets(
    client, world, django_assert_max_num_queries
):
    run = run_of(world, status=Status.APPLYING)
    progress_write(run, 10, 100)
    client.force_login(world.school_admin)
    url = reverse("mis_import_run", args=[run.pk]) + "?fragment=progress"
    # session, user, roles, the run without its preview.
    with django_assert_max_num_queries(4):
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert "10 of 100 rows" in response.content.decode()

    waiting = waiting_for_columns(world)
    # session, user, roles, the run, its file, the saved mapping.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("mis_import_columns", args=[waiting.pk]))
    assert response.status_code == 200
