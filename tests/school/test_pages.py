"""The role-aware home page, the pupil page and the rosters: what each person sees, the
CSV exports, and a query budget for every page that does not grow with its rows."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import PupilFactory


def home_text(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_teacher_home_lists_their_classes_and_tutor_group_with_pupil_counts(client, world):
    page = home_text(client, world.teacher)
    assert "Classes I teach" in page
    assert "7x/Ma1" in page
    assert "7x/En1" not in page
    assert "My tutor group" in page
    assert reverse("tutor_group_detail", args=[world.tg_7a.pk]) in page
    assert "1 pupil" in page  # 7A has one pupil


def test_head_of_year_home_shows_their_years_tutor_groups_and_tutors(client, world):
    page = home_text(client, world.head_of_year)
    assert "Year 7" in page
    assert ">7A<" in page and ">7B<" in page
    assert ">8A<" not in page  # (bare "8A" may turn up in a random token)
    assert reverse("tutor_group_detail", args=[world.tg_8a.pk]) not in page
    assert "Tess Teacher" in page  # the tutor of 7A


def test_parent_home_shows_only_their_children(client, world):
    page = home_text(client, world.parent)
    assert "My children" in page
    assert "Amara Okafor" in page and "Chidi Okafor" in page
    assert "Bartek" not in page and "Dana" not in page


def test_pupil_home_shows_their_classes_and_teachers(client, world):
    page = home_text(client, world.pupil.user)
    assert "My classes" in page
    assert "7x/Ma1" in page and "7x/En1" in page
    assert "Tess Teacher" in page
    assert "8x/Ma1" not in page


def test_senior_leader_home_shows_the_whole_school_by_year(client, world):
    page = home_text(client, world.senior_leader)
    assert "Whole school" in page
    assert "Year 7" in page and "Year 8" in page


def test_head_of_house_home_counts_the_house_by_year(client, world):
    page = home_text(client, world.head_of_house)
    assert "Brunel house" in page
    assert "Year 7: 1" in page and "Year 8: 1" in page


def test_someone_with_nothing_linked_is_told_so(client, world):
    page = home_text(client, world.lsa)
    assert "Nothing is linked to your account yet" in page


def test_navigation_shows_only_what_the_role_may_use(client, world):
    hoy_page = home_text(client, world.head_of_year)
    assert "My year" in hoy_page and "My tutor group" not in hoy_page
    assert "School setup" not in hoy_page
    parent_page = home_text(client, world.parent)
    assert "My year" not in parent_page and "School setup" not in parent_page
    assert "School setup" in home_text(client, world.school_admin)


def test_pupil_page_hides_staff_details_from_parents(client, world):
    client.force_login(world.parent)
    page = client.get(reverse("pupil_detail", args=[world.pupil.pk])).content.decode()
    assert "Amara Okafor" in page and "7x/Ma1" in page
    assert world.pupil.upn not in page
    assert "Parents and carers" not in page


def test_pupil_page_shows_staff_the_record_flags_and_contacts(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("pupil_detail", args=[world.pupil.pk])).content.decode()
    assert world.pupil.upn in page
    assert "FSM" in page and "EAL" in page
    assert "Ngozi Okafor" in page


def test_roster_downloads_as_csv(client, world):
    client.force_login(world.head_of_year)
    response = client.get(reverse("year_group_detail", args=[world.y7.pk]), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Surname", "First name", "UPN"]
    assert sorted(row[1] for row in rows[1:]) == ["Amara", "Bartek"]


def add_pupils(world, count):
    """Add `count` more pupils to 7A, the maths class, house A and a parent."""
    pupils = PupilFactory.create_batch(count, tutor_group=world.tg_7a, house=world.house_a)
    world.maths_7.pupils.add(*pupils)
    for pupil in pupils:
        world.guardian.links.create(pupil=pupil, relationship="mother")


# Each page's queries, named. Every logged-in page starts with the session and the user
# (read with any pupil record, so "pupil record?" costs nothing); staff pages then read
# the person's roles once.
BUDGETS = {
    # + roles, classes taught, tutor groups, their tutors, guardian record?
    "teacher_home": ("teacher", lambda w: reverse("home"), 7),
    # + guardian record?, children, their tutors
    "parent_home": ("parent", lambda w: reverse("home"), 5),
    # + roles, classes taught, whole-school year counts, guardian record?
    "senior_home": ("senior_leader", lambda w: reverse("home"), 6),
    # + roles, classes taught, years, their tutor groups, their tutors, guardian?
    "hoy_home": ("head_of_year", lambda w: reverse("home"), 8),
    # session, user, roles, pupil, tutors, classes, teachers, guardian links; the clubs
    # panel (school/panels.py): the academic year, the visits; + 1: the access log's
    # insert (privacy/access_log), after the response, which reads nothing
    "pupil_page": ("teacher", lambda w: reverse("pupil_detail", args=[w.pupil.pk]), 11),
    # session, user, roles, group (+ teachers), pupils
    "class_roster": (
        "teacher",
        lambda w: reverse("teaching_group_detail", args=[w.maths_7.pk]),
        6,
    ),
    # session, user, roles, group (+ tutors), pupils
    "tutor_roster": ("teacher", lambda w: reverse("tutor_group_detail", args=[w.tg_7a.pk]), 6),
    # session, user, roles, year, tutor groups (+ tutors), pupils
    "year_roster": ("head_of_year", lambda w: reverse("year_group_detail", args=[w.y7.pk]), 7),
    # session, user, roles, house, pupils
    "house_roster": ("head_of_house", lambda w: reverse("house_detail", args=[w.house_a.pk]), 5),
}


@pytest.mark.parametrize("rows", [0, 30])
@pytest.mark.parametrize("page", BUDGETS)
def test_page_query_budget_does_not_grow_with_rows(
    client, world, django_assert_num_queries, page, rows
):
    who, build_url, budget = BUDGETS[page]
    add_pupils(world, rows)
    client.force_login(getattr(world, who))
    url = build_url(world)
    with django_assert_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
