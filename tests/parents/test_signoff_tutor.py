"""The tutor's sign-off page: who in the group has and has not signed off a week (and
which parents), the comments, one reply per comment that tells only the parent who
wrote it, comments waiting more than two school days highlighted, heads of year reading
their year, everyone else 404, and the query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications.models import Notification
from parents.models import WeeklySignOff
from parents.notices import MESSAGE_REPLY
from school.models import NonSchoolDay
from tests.conftest import Role, staff
from tests.factories import (
    GuardianFactory,
    GuardianLinkFactory,
    HalfTermFactory,
    PupilFactory,
    UserFactory,
)

from .test_signoff import MONDAY, at, day

PAGE = reverse("parents_signoff_tutor")


def signed(w, pupil=None, guardian=None, *, when=None, comment="", week_start=MONDAY, **extra):
    pupil = pupil or w.pupil
    guardian = guardian or w.guardian
    when = when or at(day(0), 19)
    return WeeklySignOff.objects.create(
        school=pupil.school,
        pupil=pupil,
        guardian=guardian,
        week_start=week_start,
        signed_by=guardian.user or w.parent,
        signed_at=when,
        comment=comment,
        **extra,
    )


@pytest.fixture
def wednesday(world, time_machine):
    time_machine.move_to(at(day(2)), tick=False)
    return world


def rows_of(response):
    return {row.pupil.first_name: row for row in response.context["week"].rows}


def test_the_tutor_sees_who_has_and_has_not_signed_this_week(client, wednesday):
    w = wednesday
    unsigned = PupilFactory(tutor_group=w.tg_7a, first_name="Eve")
    mum = signed(w, comment="Amara found the poem hard.")
    signed(w, w.classmate, w.other_guardian)  # 7B: not this group
    client.force_login(w.teacher)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["group"] == w.tg_7a
    rows = rows_of(response)
    assert set(rows) == {"Amara", "Eve"}
    assert rows["Amara"].sign_offs == [mum] and rows["Eve"].sign_offs == []
    assert response.context["week"].signed_count == 1
    text = response.content.decode()
    assert "1 of 2 pupils signed off" in text
    assert "Ngozi Okafor" in text and "Amara found the poem hard." in text
    assert "Not signed" in text and "Nobody yet (0 parents or carers linked)" in text
    assert escape(unsigned.last_name) in text
    assert "Bartek" not in text
    assert 'name="reply"' in text


def test_every_guardian_who_signed_is_listed(client, wednesday):
    w = wednesday
    dad = GuardianFactory(school=w.school, first_name="Tunde", last_name="Okafor")
    GuardianLinkFactory(guardian=dad, pupil=w.pupil)
    signed(w)
    signed(w, guardian=dad, when=at(day(1), 8))
    client.force_login(w.teacher)
    row = rows_of(client.get(PAGE))["Amara"]
    assert [s.guardian.first_name for s in row.sign_offs] == ["Ngozi", "Tunde"]


def test_another_week_is_chosen_by_any_of_its_days(client, wednesday):
    w = wednesday
    signed(w, week_start=MONDAY - datetime.timedelta(weeks=1), when=at(day(-5)))
    client.force_login(w.teacher)
    response = client.get(PAGE, {"group": w.tg_7a.pk, "week": "2026-11-18"})
    assert response.context["week"].week_start == MONDAY - datetime.timedelta(weeks=1)
    assert response.context["week"].signed_count == 1
    assert client.get(PAGE).context["week"].signed_count == 0  # this week


def test_a_bad_week_is_refused_with_a_message(client, wednesday):
    client.force_login(wednesday.teacher)
    response = client.get(PAGE, {"week": "31/02/2026"})
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()
    assert response.context["week"].week_start == MONDAY


def test_a_head_of_year_reads_every_group_of_their_year_but_does_not_reply(client, wednesday):
    w = wednesday
    comment = signed(w, w.classmate, w.other_guardian, comment="Bartek lost his book.")
    client.force_login(w.head_of_year)
    response = client.get(PAGE, {"group": w.tg_7b.pk})
    assert response.status_code == 200
    assert [g.name for g in response.context["groups"]] == ["7A", "7B"]
    text = response.content.decode()
    assert "Bartek lost his book." in text and 'name="reply"' not in text
    refused = client.post(PAGE, {"sign_off": comment.pk, "reply": "Noted."})
    assert refused.status_code == 404
    assert WeeklySignOff.objects.get(pk=comment.pk).reply == ""
    assert client.get(PAGE, {"group": w.tg_8a.pk}).status_code == 404


def test_another_tutors_group_answers_404(client, wednesday):
    w = wednesday
    tutor_7b = staff(w.school, "tutor7b@test.school", (Role.FORM_TUTOR, {"tutor_group": w.tg_7b}))
    comment = signed(w, comment="A private worry.")
    client.force_login(tutor_7b)
    response = client.get(PAGE, {"group": w.tg_7a.pk})
    assert response.status_code == 404
    assert "A private worry." not in response.content.decode()
    assert client.post(PAGE, {"sign_off": comment.pk, "reply": "Hi"}).status_code == 404
    client.force_login(w.other_school_teacher)
    assert client.get(PAGE, {"group": w.tg_7a.pk}).status_code == 404
    assert client.post(PAGE, {"sign_off": comment.pk, "reply": "Hi"}).status_code == 404
    assert WeeklySignOff.objects.get(pk=comment.pk).reply == ""
    assert not Notification.objects.exists()


@pytest.mark.parametrize("who", ["other_teacher", "lsa", "senior_leader", "parent"])
def test_people_who_are_not_tutors_or_heads_of_year_get_404(client, wednesday, who):
    client.force_login(getattr(wednesday, who))
    assert client.get(PAGE).status_code == 404


def test_the_tutor_replies_once_and_only_the_commenting_parent_is_told(client, wednesday):
    w = wednesday
    dad = GuardianFactory(school=w.school, user=UserFactory(email="dad@example.org"))
    GuardianLinkFactory(guardian=dad, pupil=w.pupil)  # parental responsibility too
    comment = signed(w, comment="Is the poem due Friday?")
    client.force_login(w.teacher)
    response = client.post(PAGE, {"sign_off": comment.pk, "reply": "  Yes, Friday.  "})
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?group={w.tg_7a.pk}&week=2026-11-23"
    comment.refresh_from_db()
    assert (comment.reply, comment.replied_by, comment.replied_at) == (
        "Yes, Friday.",
        w.teacher,
        at(day(2)),
    )
    notification = Notification.objects.get()
    assert (notification.guardian, notification.pupil, notification.kind) == (
        w.guardian,
        w.pupil,
        MESSAGE_REPLY,
    )
    assert notification.context["reply"] == "Yes, Friday."
    assert notification.context["from"] == "Tess Teacher"
    assert "Yes, Friday." in client.get(PAGE).content.decode()

    again = client.post(PAGE, {"sign_off": comment.pk, "reply": "Also bring a pen."})
    assert again.status_code == 400
    assert "This comment has already been answered." in again.content.decode()
    comment.refresh_from_db()
    assert comment.reply == "Yes, Friday."
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "reply, message",
    [("   ", "Write your reply."), ("x" * 2001, "at most 2000 characters")],
)
def test_a_bad_reply_is_refused_with_a_message_and_nothing_changes(
    client, wednesday, reply, message
):
    comment = signed(wednesday, comment="Question")
    client.force_login(wednesday.teacher)
    response = client.post(PAGE, {"sign_off": comment.pk, "reply": reply})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert WeeklySignOff.objects.get().reply == ""
    assert not Notification.objects.exists()


def test_a_sign_off_without_a_comment_takes_no_reply(client, wednesday):
    quiet = signed(wednesday)
    client.force_login(wednesday.teacher)
    response = client.post(PAGE, {"sign_off": quiet.pk, "reply": "Thanks"})
    assert response.status_code == 400
    assert "no comment to reply to" in response.content.decode()
    assert not Notification.objects.exists()


def test_an_unknown_sign_off_answers_404(client, wednesday):
    client.force_login(wednesday.teacher)
    assert client.post(PAGE, {"sign_off": "x", "reply": "Hi"}).status_code == 404
    assert client.post(PAGE, {"sign_off": 999999, "reply": "Hi"}).status_code == 404


def overdue_on(client, w, time_machine, when):
    time_machine.move_to(when, tick=False)
    client.force_login(w.teacher)
    response = client.get(PAGE, {"week": f"{MONDAY:%Y-%m-%d}"})
    rows = response.context["week"].rows
    return response, {row.pupil.first_name: s.overdue for row in rows for s in row.sign_offs}


def test_a_comment_waiting_more_than_two_school_days_is_highlighted(client, world, time_machine):
    HalfTermFactory(
        school=world.school,
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 12, 18),
    )
    time_machine.move_to(at(day(0), 9), tick=False)
    signed(world, when=at(day(0), 9), comment="Monday's worry")
    # Tuesday has passed on Wednesday: one school day.
    response, flags = overdue_on(client, world, time_machine, at(day(2), 16))
    assert flags == {"Amara": False}
    assert "waiting more than 2 school days" not in response.content.decode()
    # Tuesday and Wednesday have passed on Thursday.
    response, flags = overdue_on(client, world, time_machine, at(day(3), 8))
    assert flags == {"Amara": True}
    assert "1 waiting more than 2 school days" in response.content.decode()
    assert "bg-warning-subtle" in response.content.decode()


def test_weekends_and_non_school_days_do_not_count(client, world, time_machine):
    HalfTermFactory(
        school=world.school,
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 12, 18),
    )
    NonSchoolDay.objects.create(school=world.school, date=day(1), kind="inset")
    signed(world, when=at(day(0), 9), comment="Before the INSET day")
    signed(world, world.classmate, world.other_guardian, when=at(day(4), 20), comment="Friday")
    world.classmate.tutor_group = world.tg_7a
    world.classmate.save()
    # Monday's comment: only Wednesday has passed on Thursday, Wednesday and Thursday on Friday.
    assert overdue_on(client, world, time_machine, at(day(3)))[1] == {
        "Amara": False,
        "Bartek": False,
    }
    assert overdue_on(client, world, time_machine, at(day(4)))[1] == {
        "Amara": True,
        "Bartek": False,
    }
    # Friday's comment: Monday has passed on Tuesday, Monday and Tuesday on Wednesday.
    assert overdue_on(client, world, time_machine, at(day(8)))[1]["Bartek"] is False
    assert overdue_on(client, world, time_machine, at(day(9)))[1]["Bartek"] is True


def test_days_outside_the_half_terms_do_not_count(client, world, time_machine):
    HalfTermFactory(
        school=world.school,
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=datetime.date(2026, 11, 2),
        end_date=day(0),  # the half-term ends on the Monday of the comment
    )
    signed(world, when=at(day(0), 9), comment="Last day of term")
    assert overdue_on(client, world, time_machine, at(day(4)))[1] == {"Amara": False}


def test_an_answered_comment_is_never_highlighted(client, world, time_machine):
    signed(
        world,
        when=at(day(0), 9),
        comment="Answered",
        reply="Done",
        replied_by=world.teacher,
        replied_at=at(day(0), 12),
    )
    assert overdue_on(client, world, time_machine, at(day(9)))[1] == {"Amara": False}


def test_the_weekly_sign_off_link_is_in_tutors_and_heads_of_years_navigation(client, wednesday):
    for who, shown in (("teacher", True), ("head_of_year", True), ("lsa", False)):
        client.force_login(getattr(wednesday, who))
        text = client.get(reverse("home")).content.decode()
        assert (f'href="{PAGE}"' in text) is shown


@pytest.mark.parametrize("pupils", [1, 12])
def test_the_tutor_page_query_budget_does_not_grow_with_pupils(
    client, wednesday, django_assert_num_queries, pupils
):
    w = wednesday
    for n in range(pupils):
        pupil = w.pupil if n == 0 else PupilFactory(tutor_group=w.tg_7a)
        guardian = w.guardian if n == 0 else GuardianFactory(school=w.school)
        if n:
            GuardianLinkFactory(guardian=guardian, pupil=pupil)
        signed(w, pupil, guardian, comment=f"Comment {n}", when=at(day(0), 8))
    PupilFactory(tutor_group=w.tg_7a)  # one who has not signed
    client.force_login(w.teacher)
    # session, user, roles, the tutor groups, the pupils with their parent counts, the
    # week's sign-offs with guardian and who replied, the non-school days, the half-terms
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert len(response.context["week"].rows) == pupils + 1
    assert response.context["week"].unanswered_count == pupils
