"""The guardian's weekly sign-off: each child's homework due this week (the version the
child is given), signing off once per child and week with an optional comment, the
tutor's replies shown back, bad input refused with nothing saved, and the page's query
budget."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from homework.services.setting import HomeworkDetails, homework_set
from parents.models import WeeklySignOff
from tests.factories import GuardianFactory, GuardianLinkFactory, UserFactory

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 11, 23)
PAGE = reverse("parents_signoff")


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def day(n: int) -> datetime.date:
    """The n-th day after Monday 23/11/2026 (0 is that Monday)."""
    return MONDAY + datetime.timedelta(days=n)


def set_homework(w, title, due_at, *, group=None, teacher=None, as_draft=False, **extra):
    (homework,) = homework_set(
        teacher=teacher or w.teacher,
        teaching_groups=[group or w.maths_7],
        details=HomeworkDetails(
            title=title,
            instructions=f"Do the {title} task.",
            set_on=(due_at - datetime.timedelta(days=7)).date(),
            due_at=due_at,
            estimated_minutes=30,
            **extra,
        ),
        as_draft=as_draft,
    )
    return homework


@pytest.fixture
def week(world, time_machine):
    """Wednesday 25/11/2026 10:00. Due this week: maths (with a support version for EAL
    pupils: Amara is EAL) on Thursday, English on Friday, Chidi's algebra on Monday;
    not this week: maths due last Sunday and next Monday, and a draft."""
    time_machine.move_to(at(day(2)), tick=False)
    w = world
    w.fractions = set_homework(
        w,
        "Fractions",
        at(day(3), 16),
        alternative_instructions="Questions 1-5 with the word bank.",
        alternative_for_eal=True,
    )
    w.poem = set_homework(w, "Poem", at(day(4), 9), group=w.english_7, teacher=w.other_teacher)
    w.algebra = set_homework(w, "Algebra", at(day(0), 9), group=w.maths_8, teacher=w.other_teacher)
    set_homework(w, "Last week's ratio", at(day(-1), 18))
    set_homework(w, "Next week's angles", at(day(7), 9))
    set_homework(w, "Draft percentages", at(day(3), 9), as_draft=True)
    return w


def children_of(response):
    return {child.pupil.first_name: child for child in response.context["week"].children}


def test_the_guardian_sees_each_childs_homework_due_this_week(client, week):
    client.force_login(week.parent)
    response = client.get(PAGE)
    assert response.status_code == 200
    children = children_of(response)
    assert set(children) == {"Amara", "Chidi"}
    assert [a.title for a in children["Amara"].homework] == [
        "Fractions (support version)",
        "Poem",
    ]
    assert [a.title for a in children["Chidi"].homework] == ["Algebra"]
    text = response.content.decode()
    assert "Fractions (support version)" in text and "Thu 26/11 16:00" in text
    assert "Monday 23/11/2026" in text and "Sunday 29/11/2026" in text
    for hidden in ("Last week&#x27;s ratio", "Next week&#x27;s angles", "Draft percentages"):
        assert hidden not in text
    assert "Bartek" not in text  # another family's child


def test_a_child_without_the_support_version_sees_the_plain_title(client, week):
    client.force_login(week.other_parent)
    children = children_of(client.get(PAGE))
    assert [a.title for a in children["Bartek"].homework] == ["Fractions"]


def test_signing_off_records_the_week_once_with_the_comment(client, week):
    client.force_login(week.parent)
    response = client.post(PAGE, {"pupil": week.pupil.pk, "comment": "  Struggled with Q4.  "})
    assert response.status_code == 302
    sign_off = WeeklySignOff.objects.get()
    assert (sign_off.pupil, sign_off.guardian, sign_off.week_start) == (
        week.pupil,
        week.guardian,
        MONDAY,
    )
    assert sign_off.comment == "Struggled with Q4."
    assert sign_off.signed_by == week.parent and sign_off.school == week.school
    page = client.get(PAGE)
    assert "Signed off on Wednesday 25/11/2026 10:00" in page.content.decode()
    assert children_of(page)["Amara"].sign_off == sign_off
    assert children_of(page)["Chidi"].sign_off is None

    again = client.post(PAGE, {"pupil": week.pupil.pk, "comment": "Again"})
    assert again.status_code == 400
    assert "You have already signed off this week&#x27;s homework for Amara." in (
        again.content.decode()
    )
    assert WeeklySignOff.objects.get().comment == "Struggled with Q4."


def test_the_comment_is_optional(client, week):
    client.force_login(week.parent)
    assert client.post(PAGE, {"pupil": week.year8_pupil.pk}).status_code == 302
    assert WeeklySignOff.objects.get().comment == ""


def test_next_week_is_signed_off_afresh(client, week, time_machine):
    client.force_login(week.parent)
    client.post(PAGE, {"pupil": week.pupil.pk})
    time_machine.move_to(at(day(7)), tick=False)
    client.force_login(week.parent)  # a session lasts a working day
    assert children_of(client.get(PAGE))["Amara"].sign_off is None
    assert client.post(PAGE, {"pupil": week.pupil.pk}).status_code == 302
    assert sorted(WeeklySignOff.objects.values_list("week_start", flat=True)) == [
        MONDAY,
        day(7),
    ]


def test_each_guardian_signs_for_themselves(client, week):
    client.force_login(week.parent)
    client.post(PAGE, {"pupil": week.pupil.pk})
    second = UserFactory(email="dad@example.org")
    GuardianLinkFactory(guardian=GuardianFactory(school=week.school, user=second), pupil=week.pupil)
    client.force_login(second)
    assert children_of(client.get(PAGE))["Amara"].sign_off is None
    assert client.post(PAGE, {"pupil": week.pupil.pk}).status_code == 302
    assert WeeklySignOff.objects.filter(pupil=week.pupil, week_start=MONDAY).count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"pupil": "", "comment": "Hello"}, "Nothing was saved: correct the form below."),
        ({"pupil": "x"}, "Nothing was saved: correct the form below."),
        ({"comment": "Hello"}, "Nothing was saved: correct the form below."),
        ({"comment": "x" * 2001}, "This can be at most 2000 characters (it has 2001)."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, week, data, message):
    if "comment" in data and len(data["comment"]) > 2000:
        data["pupil"] = week.pupil.pk
    client.force_login(week.parent)
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WeeklySignOff.objects.exists()


def test_another_familys_child_or_another_schools_answers_404(client, week):
    client.force_login(week.parent)
    for pupil in (week.classmate, week.other_school_pupil):
        response = client.post(PAGE, {"pupil": pupil.pk})
        assert response.status_code == 404
        assert pupil.first_name not in response.content.decode()
    assert not WeeklySignOff.objects.exists()


def test_staff_and_pupils_cannot_sign_off(client, week):
    for user in (week.teacher, week.pupil.user, week.other_school_staff):
        client.force_login(user)
        assert client.post(PAGE, {"pupil": week.pupil.pk}).status_code == 404
    assert not WeeklySignOff.objects.exists()


def test_the_tutors_reply_is_shown_this_week_and_in_later_weeks(client, week, time_machine):
    sign_off = WeeklySignOff.objects.create(
        school=week.school,
        pupil=week.pupil,
        guardian=week.guardian,
        week_start=MONDAY,
        signed_by=week.parent,
        signed_at=at(day(1)),
        comment="Is the <b>poem</b> due Friday?",
        reply="Yes, Friday morning.",
        replied_by=week.teacher,
        replied_at=at(day(2), 9),
    )
    client.force_login(week.parent)
    text = client.get(PAGE).content.decode()
    assert "Is the &lt;b&gt;poem&lt;/b&gt; due Friday?" in text
    assert "Reply from Tess Teacher (25/11/2026 09:00)" in text
    assert "Yes, Friday morning." in text

    time_machine.move_to(at(day(8)), tick=False)
    client.force_login(week.parent)
    page = client.get(PAGE)
    assert children_of(page)["Amara"].earlier == [sign_off]
    assert "Yes, Friday morning." in page.content.decode()


def test_the_sign_off_link_is_in_a_guardians_navigation(client, week):
    client.force_login(week.parent)
    text = client.get(PAGE).content.decode()
    assert f'href="{PAGE}"' in text and "Weekly sign-off" in text


@pytest.mark.parametrize("rows", [1, 8])
def test_the_guardian_page_query_budget_does_not_grow_with_homework(
    client, week, django_assert_num_queries, rows
):
    for n in range(rows):
        set_homework(week, f"Extra {n}", at(day(4), 12))
        WeeklySignOff.objects.create(
            school=week.school,
            pupil=week.pupil,
            guardian=week.guardian,
            week_start=MONDAY - datetime.timedelta(weeks=n + 1),
            signed_by=week.parent,
            signed_at=at(day(-7 * (n + 1))),
            comment=f"Week {n}",
        )
    client.force_login(week.parent)
    # session, user, guardian record? (access), the links with child, school, tutor group
    # and guardian, the week's assignments with homework, class and subject, the sign-offs
    # with who replied (the navigation's pupil record? comes with the user)
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    amara = children_of(response)["Amara"]
    assert len(amara.homework) == rows + 2
    assert len(amara.earlier) == min(rows, 5)
