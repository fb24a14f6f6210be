"""Who may change a register: only the teachers of the class. Staff who may read it
(subject leader, head of year, senior leaders) get 404 on POST, like everyone else; GET on
the POST-only addresses answers 405 to the class's teacher and 404 to anyone else (the
return's confirmation page is in the permission table)."""

import pytest
from django.urls import reverse

from tests.test_permissions import PERSONAS, persona

from .permission_rows_marking import POST_ONLY

ACTIONS = ["homework_register_save", "homework_register_paper", "homework_return"]


def action_data(name, world):
    assignment = world.pupil_maths_assignment
    return {
        "homework_register_save": {f"a{assignment.pk}-mark": "9", f"a{assignment.pk}-feedback": ""},
        "homework_register_paper": {"paper": [assignment.pk]},
        "homework_return": {},
    }[name]


def assert_untouched(world):
    assignment = world.pupil_maths_assignment
    assignment.refresh_from_db()
    assert assignment.mark == "" and assignment.status == "set"
    assert assignment.submitted_at is None and assignment.returned_at is None


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_post_only_address_answers_405_to_the_teacher_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_posts_are_sent_to_log_in(client, homework_world, action):
    w = homework_world
    response = client.post(reverse(action, args=[w.maths_homework.pk]), action_data(action, w))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert_untouched(homework_world)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    "who",
    [
        "other_teacher",
        "subject_leader",
        "head_of_year",
        "senior_leader",
        "school_admin",
        "head_of_house",
        "lsa",
        "pupil_user",
        "parent",
        "other_parent",
        "other_school_staff",
        "other_school_teacher",
    ],
)
def test_only_the_class_teacher_may_post_to_the_register(client, homework_world, action, who):
    w = homework_world
    if action == "homework_return":
        # Something marked, so that a return would change the database.
        w.pupil_maths_assignment.mark = "7"
        w.pupil_maths_assignment.save()
    client.force_login(persona(w, who))
    response = client.post(reverse(action, args=[w.maths_homework.pk]), action_data(action, w))
    assert response.status_code == 404
    w.pupil_maths_assignment.refresh_from_db()
    assert w.pupil_maths_assignment.returned_at is None
    assert w.pupil_maths_assignment.status == "set"
    assert w.pupil_maths_assignment.mark in ("", "7") and w.pupil_maths_assignment.mark != "9"


def test_other_teacher_gets_404_for_a_class_they_do_not_teach_and_no_data(client, homework_world):
    w = homework_world
    client.force_login(w.other_teacher)
    response = client.get(reverse("homework_register", args=[w.maths_homework.pk]))
    assert response.status_code == 404
    assert "Fractions practice" not in response.content.decode()
    # ... while their own class's register opens.
    assert client.get(reverse("homework_register", args=[w.year8_homework.pk])).status_code == 200


@pytest.mark.parametrize("who", ["subject_leader", "head_of_year", "senior_leader"])
def test_staff_who_may_see_the_class_can_read_the_register_and_download_it(
    client, homework_world, who
):
    w = homework_world
    client.force_login(getattr(w, who))
    url = reverse("homework_register", args=[w.maths_homework.pk])
    assert client.get(url).status_code == 200
    assert client.get(url, {"format": "csv"}).status_code == 200


def test_head_of_year_cannot_open_another_years_register(client, homework_world):
    client.force_login(homework_world.head_of_year)  # head of Year 7
    url = reverse("homework_register", args=[homework_world.year8_homework.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "csv"}).status_code == 404


def test_a_co_teacher_of_the_class_may_mark(client, homework_world):
    w = homework_world
    w.maths_7.teachers.add(w.other_teacher)
    assignment = w.pupil_maths_assignment
    client.force_login(w.other_teacher)
    response = client.post(
        reverse("homework_register_save", args=[w.maths_homework.pk]),
        {f"a{assignment.pk}-mark": "6", f"a{assignment.pk}-feedback": "Good"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.mark == "6" and assignment.marked_by == w.other_teacher


@pytest.mark.django_db
def test_the_register_page_opens_exactly_the_homework_of_the_register_rule(homework_world):
    """The register's pages read their homework by id and check the rule in Python
    (`register_homework`): for every user and homework (drafts, other classes, years and
    schools), the same answer as `homework_for_register`, the queryset others share, and
    the same `viewer_teaches`."""
    from homework.models import Homework
    from homework.selectors.marking import homework_for_register, register_homework
    from school.models import User

    ids = [*Homework.objects.values_list("pk", flat=True), 10**9]
    checked = 0
    for user_pk in User.objects.values_list("pk", flat=True):
        for homework_id in ids:
            # fresh users: each request reads its roles once
            found = register_homework(User.objects.get(pk=user_pk), homework_id)
            expected = homework_for_register(User.objects.get(pk=user_pk)).filter(pk=homework_id)
            expected = expected.first()
            assert (found and (found.pk, found.viewer_teaches)) == (
                expected and (expected.pk, expected.viewer_teaches)
            ), (user_pk, homework_id)
            checked += found is not None
    assert checked  # some open, some not
