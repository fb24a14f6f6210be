"""Commendations (/sanctions/pupils/<id>/commend/): the staff who may see a pupil record a
commendation or positive contact home, optionally for one of the pupil's homework they may
see; it goes on the record with an audit entry and every guardian with parental
responsibility is told. Bad input and outsiders change nothing."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from notifications.notices import COMMENDATION
from sanctions.models import AuditEntry, Commendation
from tests.factories import GuardianFactory, GuardianLinkFactory
from tests.sanctions.helpers import overdue_assignments

Kind, Reason = Commendation.Kind, Commendation.Reason


def commend_url(pupil, **query):
    url = reverse("sanctions_commend", args=[pupil.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def post_data(**changes):
    data = {"kind": Kind.COMMENDATION, "reason": Reason.HIGH_STANDARD, "note": "", "assignment": ""}
    return {k: v for k, v in (data | changes).items() if v is not None}


def nothing_recorded(world):
    assert not Commendation.objects.exists()
    assert not AuditEntry.objects.filter(action="commendation_recorded").exists()
    assert not Notification.objects.filter(kind=COMMENDATION).exists()


def test_a_tutor_records_a_positive_contact_and_returns_to_the_pupil_page(client, world):
    client.force_login(world.teacher)
    pupil_page = reverse("pupil_detail", args=[world.pupil.pk])
    page = client.get(pupil_page)
    link = commend_url(world.pupil, next=pupil_page.replace("/", "%2F"))
    assert link in page.content.decode()

    response = client.post(
        link,
        post_data(kind=Kind.POSITIVE_CONTACT, reason=Reason.EFFORT, note="  Real progress.  "),
    )
    assert response.status_code == 302 and response["Location"] == pupil_page
    commendation = Commendation.objects.get()
    assert commendation.pupil == world.pupil and commendation.school == world.school
    assert (commendation.kind, commendation.reason, commendation.note) == (
        Kind.POSITIVE_CONTACT,
        Reason.EFFORT,
        "Real progress.",
    )
    assert commendation.awarded_by == world.teacher and commendation.assignment is None
    entry = AuditEntry.objects.get(action="commendation_recorded")
    assert (entry.actor, entry.pupil, entry.school) == (world.teacher, world.pupil, world.school)
    assert entry.reason == "Positive contact home: Effort and progress"
    followed = client.get(pupil_page)
    assert "Positive contact home recorded for Amara Okafor" in followed.content.decode()


def test_each_guardian_with_parental_responsibility_is_told(client, world):
    second = GuardianFactory(school=world.school)
    GuardianLinkFactory(guardian=second, pupil=world.pupil)
    no_responsibility = GuardianFactory(school=world.school)
    GuardianLinkFactory(
        guardian=no_responsibility, pupil=world.pupil, parental_responsibility=False
    )
    client.force_login(world.head_of_year)
    client.post(commend_url(world.pupil), post_data(note="Beautifully presented."))
    rows = Notification.objects.filter(kind=COMMENDATION)
    assert {row.guardian for row in rows} == {world.guardian, second}
    assert all(row.pupil == world.pupil and row.school == world.school for row in rows)
    assert rows[0].context == {
        "kind": "commendation",
        "commendation_reason": "high_standard",
        "note": "Beautifully presented.",
        "homework": "",
    }


def test_the_register_links_each_pupil_with_their_assignment(client, homework_world):
    w = homework_world
    client.force_login(w.teacher)
    register = reverse("homework_register", args=[w.maths_homework.pk])
    text = client.get(register).content.decode()
    for assignment in (w.pupil_maths_assignment, w.classmate_maths_assignment):
        url = reverse("sanctions_commend", args=[assignment.pupil_id])
        assert f"{url}?assignment={assignment.pk}&amp;next=" in text

    client.force_login(w.head_of_year)  # reads the register, does not teach the class
    assert "?assignment=" not in client.get(register).content.decode()


def test_an_assignment_given_is_preselected_and_recorded_and_named_to_parents(
    client, homework_world
):
    w = homework_world
    client.force_login(w.teacher)
    register = reverse("homework_register", args=[w.maths_homework.pk])
    url = commend_url(w.pupil, assignment=w.pupil_maths_assignment.pk, next=register)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["assignment"].value() == w.pupil_maths_assignment.pk
    assert f'value="{w.pupil_maths_assignment.pk}" selected' in page.content.decode()

    response = client.post(
        url, post_data(reason=Reason.COMPLETED_HOMEWORK, assignment=w.pupil_maths_assignment.pk)
    )
    assert response.status_code == 302 and response["Location"] == register
    assert Commendation.objects.get().assignment == w.pupil_maths_assignment
    notification = Notification.objects.get(kind=COMMENDATION)
    assert notification.context["homework"] == "Fractions practice"
    assert notification.context["commendation_reason"] == "completed_homework"


@pytest.mark.parametrize(
    "assignment",
    [
        "classmate_maths_assignment",  # another pupil's
        "year8_assignment",  # another pupil's, in a class the teacher cannot see
        "english",  # the pupil's, in a class the teacher (their tutor) does not teach
        "draft",  # the pupil's draft homework: not set yet
        "nonsense",
    ],
)
def test_an_assignment_the_person_may_not_use_answers_404(client, homework_world, assignment):
    w = homework_world
    ids = {
        "english": w.english_homework.assignments.get(pupil=w.pupil).pk,
        "draft": w.draft_homework.assignments.get(pupil=w.pupil).pk,
        "nonsense": "12abc",
    }
    value = ids.get(assignment) or getattr(w, assignment).pk
    client.force_login(w.teacher)
    assert client.get(commend_url(w.pupil, assignment=value)).status_code == 404
    assert client.post(commend_url(w.pupil, assignment=value), post_data()).status_code == 404
    nothing_recorded(w)


def test_a_homework_outside_the_list_posted_in_the_form_is_refused(client, homework_world):
    w = homework_world
    english = w.english_homework.assignments.get(pupil=w.pupil)
    client.force_login(w.teacher)
    response = client.post(commend_url(w.pupil), post_data(assignment=english.pk))
    assert response.status_code == 400
    assert "Choose one of this pupil&#x27;s homework listed." in response.content.decode()
    nothing_recorded(w)


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"reason": ""}, "Choose the reason for the commendation."),
        ({"reason": None}, "Choose the reason for the commendation."),
        ({"reason": "bribery"}, "Choose one of the reasons listed."),
        ({"kind": "detention"}, "Choose a commendation or a positive contact home."),
        ({"note": "x" * 301}, "Write at most 300 characters (this has 301)."),
    ],
)
def test_bad_input_re_renders_with_the_error_and_records_nothing(client, world, changes, error):
    client.force_login(world.teacher)
    response = client.post(commend_url(world.pupil), post_data(**changes))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was recorded" in text and error in text
    nothing_recorded(world)


@pytest.mark.parametrize(
    "who, pupil",
    [
        ("teacher", "year8_pupil"),  # a teacher of another class, not their tutee
        ("other_teacher", "classmate"),  # teaches the pupil's English, not the classmate
        ("lsa", "pupil"),
        ("parent", "pupil"),  # their own child: parents do not commend
        ("pupil_user", "pupil"),
        ("other_school_staff", "pupil"),
        ("senior_leader", "other_school_pupil"),
    ],
)
def test_outsiders_get_404_and_record_nothing(client, world, who, pupil):
    user = world.pupil.user if who == "pupil_user" else getattr(world, who)
    target = getattr(world, pupil)
    client.force_login(user)
    assert client.get(commend_url(target)).status_code == 404
    assert client.post(commend_url(target), post_data()).status_code == 404
    nothing_recorded(world)


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/phish", "//evil.example/", "javascript:alert(1)"]
)
def test_an_unsafe_next_goes_back_to_the_pupil_page(client, world, next_url):
    client.force_login(world.teacher)
    response = client.post(commend_url(world.pupil), post_data(next=next_url))
    assert response.status_code == 302
    assert response["Location"] == reverse("pupil_detail", args=[world.pupil.pk])


def test_the_pupil_page_offers_commend_to_staff_only(client, world):
    pupil_page = reverse("pupil_detail", args=[world.pupil.pk])
    client.force_login(world.parent)
    assert reverse("sanctions_commend", args=[world.pupil.pk]) not in (
        client.get(pupil_page).content.decode()
    )


@pytest.mark.parametrize("rows", [1, 8])
def test_the_page_query_budget_does_not_grow_with_rows(
    client, homework_world, django_assert_num_queries, rows
):
    w = homework_world
    overdue_assignments(w, w.pupil, rows)  # more homework offered in the list
    for _ in range(rows):
        Commendation.objects.create(
            school=w.school,
            pupil=w.pupil,
            reason=Reason.EFFORT,
            assignment=w.pupil_maths_assignment,
            awarded_by=w.teacher,
            awarded_at=w.maths_homework.due_at,
        )
    client.force_login(w.teacher)
    url = commend_url(w.pupil, assignment=w.pupil_maths_assignment.pk)
    # session, user, roles, the pupil, the assignment asked for, the homework offered,
    # the recent commendations.
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["recent"]) == rows
    assert len(response.context["form"].fields["assignment"].choices) == rows + 2  # and none
