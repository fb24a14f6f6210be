"""The bad-input cases issue 10 named, each with the message the visitor sees: a due date
in the year 9999 on the setting form and its workload check, `?week=` far from now on the
tutor's sign-off page, a NUL byte in the club register's search, places to go back to and
ids read from a query string. (tests/test_bad_input.py sweeps every page's every field.)"""

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.models import Homework
from school import params
from school.calendar import week_start
from school.models import NonSchoolDay
from tests.clubs.permission_rows_register import _session as register_session
from tests.homework.test_setting_form import form_data

pytestmark = pytest.mark.shared_world

# The cases the issue names, each with the message the visitor sees.

YEAR_RANGE = "Enter a date in the years 1900 to 2100."


@pytest.mark.parametrize("due_on", ["31/12/9999", "9999-12-31", "01/01/0001", "31/12/2101"])
def test_a_due_date_in_a_year_no_school_means_is_refused_on_the_setting_form(
    client, homework_world, due_on
):
    w = homework_world
    client.force_login(w.teacher)
    before = Homework.objects.count()
    response = client.post(reverse("homework_new"), form_data([w.maths_7], due_on=due_on))
    assert response.status_code == 200
    assert YEAR_RANGE in response.content.decode()
    assert Homework.objects.count() == before


@pytest.mark.parametrize("due_on", ["31/12/9999", "9999-12-31", "0001-01-01"])
def test_the_workload_check_says_it_cannot_check_a_due_date_in_the_year_9999(
    client, homework_world, due_on
):
    w = homework_world
    client.force_login(w.teacher)
    unreadable = "The due date is not a date we can check"
    # The "Check workload" button on the form, and the panel's own address (htmx).
    response = client.post(
        reverse("homework_new"), form_data([w.maths_7], due_on=due_on, action="workload")
    )
    assert response.status_code == 200
    assert unreadable in response.content.decode()
    response = client.get(
        reverse("homework_workload"),
        {"teaching_groups": w.maths_7.pk, "due_on": due_on, "estimated_minutes": "30"},
    )
    assert response.status_code == 200
    assert unreadable in response.content.decode()


def test_the_workload_check_still_counts_a_due_date_it_can_read(client, homework_world):
    w = homework_world
    client.force_login(w.teacher)
    due_on = timezone.localtime(w.maths_homework.due_at).date()
    response = client.get(
        reverse("homework_workload"),
        {"teaching_groups": w.maths_7.pk, "due_on": f"{due_on:%d/%m/%Y}"},
    )
    assert response.context["workload"]["ready"]
    # The pupil has maths and English due that day, 30 minutes each.
    assert response.context["workload"]["panel"].day_minutes_max == 60


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "31/12/9999"])
def test_a_week_far_from_any_school_year_is_refused_on_the_tutors_sign_off_page(
    client, homework_world, week
):
    client.force_login(homework_world.teacher)
    response = client.get(reverse("parents_signoff_tutor"), {"week": week})
    assert response.status_code == 400
    assert YEAR_RANGE in response.content.decode()
    # The page falls back to this week.
    assert response.context["monday"] == week_start(timezone.localdate())


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("Oka\x00for", "Search with letters and numbers only."),
        ("Okafor" * 20, "Search with at most 100 characters."),
    ],
)
def test_a_nul_byte_or_a_huge_search_on_the_club_register_is_refused_with_a_message(
    client, homework_world, query, message
):
    w = homework_world
    session = register_session(w)
    client.force_login(w.teacher)
    response = client.get(reverse("clubs_register", args=[session.pk]), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert response.context["found"] == []
    # A search it can read still finds the pupil.
    response = client.get(reverse("clubs_register", args=[session.pk]), {"q": "Okafor"})
    assert w.pupil in response.context["found"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/sanctions/", "/sanctions/"),
        ("/pupils/1/?tab=a", "/pupils/1/?tab=a"),
        ("home", None),  # `redirect()` would look for a view of that name
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("https://evil.example/", None),
        ("/a\x00b", None),
        ("/" + "x" * 3000, None),
        ("", None),
        (None, None),
    ],
)
def test_only_a_path_on_this_site_is_a_place_to_go_back_to(value, expected):
    assert params.local_path(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", " 2 ", "abc", "-1", "0", "99999999999999999999", "²", "١٢", ""], [1, 2]),
        ([str(2**63 - 1), str(2**63)], [2**63 - 1]),
    ],
)
def test_ids_read_from_a_query_string_fit_the_database(values, expected):
    assert params.parse_ids(values) == expected


def test_the_admin_refuses_a_date_in_a_year_no_school_means(client, world):
    client.force_login(world.school_admin)
    response = client.post(
        reverse("admin:school_nonschoolday_add"),
        {"date": "31/12/9999", "kind": "inset", "description": "Training"},
    )
    assert response.status_code == 200
    assert YEAR_RANGE in response.content.decode()
    assert not NonSchoolDay.objects.exists()
