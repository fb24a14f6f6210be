"""A guardian's overview of their children (/parents/): each child's homework this week
and overdue (in the version the child is given), work returned, where they stand on the
ladder, confirmed detention and exclusion places, arranged meetings and commendations.
Nothing about any other pupil, ever; staff and pupils are refused with a 404."""

import datetime
import zoneinfo

import pytest
from django.urls import NoReverseMatch, reverse

from clubs.models import Attendance, Booking, Club, ClubSession
from homework.models import Assignment
from homework.services.marking import MarkEntry, homework_return, marking_save
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from parents.overview import OVERDUE_SHOWN
from sanctions.models import (
    Commendation,
    DetentionSession,
    EscalationPolicy,
    EscalationStep,
    Meeting,
    Sanction,
    SessionKind,
)
from sanctions.services.commendations import commendation_record
from sanctions.services.meetings import meeting_arrange
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from school.models import GuardianLink
from tests.factories import (
    AcademicYearFactory,
    GuardianFactory,
    GuardianLinkFactory,
    PupilFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingGroupFactory,
    TutorGroupFactory,
    YearGroupFactory,
)
from tests.sanctions.helpers import overdue_assignments

URL = reverse("parents_overview")
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The week of Monday 23rd to Sunday 29th November 2026; the pages are read on Wednesday.
MON, TUE, WED, THU, FRI = (datetime.date(2026, 11, day) for day in range(23, 28))
NEXT_TUE = datetime.date(2026, 12, 1)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def set_homework(teacher, group, title, due, **extra):
    (homework,) = homework_set(
        teacher=teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title=title,
            instructions=extra.pop("instructions", f"Do the {title} task."),
            set_on=due.date() - datetime.timedelta(days=7),
            due_at=due,
            estimated_minutes=extra.pop("minutes", 30),
            **extra,
        ),
    )
    return homework


def mark_and_return(teacher, homework, marks):
    """`marks`: pupil -> (mark, feedback)."""
    by_pupil = {a.pupil_id: a for a in homework.assignments.all()}
    marking_save(
        teacher=teacher,
        homework=homework,
        entries=[
            MarkEntry(by_pupil[pupil.pk].pk, mark, feedback)
            for pupil, (mark, feedback) in marks.items()
        ],
    )
    homework_return(homework=homework)


@pytest.fixture
def family(world, time_machine):
    return build_family(world, time_machine)


def build_family(world, time_machine):
    """Ngozi's children. Amara (Year 7): the fractions task in its word-bank version
    (she is EAL), handed in on Monday and returned with feedback on Tuesday; a poem due
    on Thursday; a task due next Tuesday; seven missed deadlines (two cycles: a detention
    each on Thursday, the second with a tutor meeting arranged for Friday, and one miss
    towards the third). Chidi (Year 8): algebra due Friday, a commendation.

    Bartek, a classmate of another family, has the same fractions task, a task of his
    own, missed deadlines booked into the same Thursday detention, a commendation and a
    meeting: none of it may reach Ngozi."""
    w = world
    time_machine.move_to(at(MON, 8), tick=False)
    w.policy = policy_current(school=w.school)
    w.thursday = DetentionSession.objects.create(
        school=w.school,
        date=THU,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=w.teacher,
        capacity=10,
    )
    w.fractions = set_homework(
        w.teacher,
        w.maths_7,
        "Fractions practice",
        at(MON, 16),
        instructions="Standard version: questions 1-20.",
        alternative_instructions="Word bank version: questions 1-5.",
        alternative_for_eal=True,
    )
    w.poem = set_homework(w.other_teacher, w.english_7, "Poem about autumn", at(THU, 16))
    w.later = set_homework(w.teacher, w.maths_7, "Ratio revision", at(NEXT_TUE, 16))
    w.algebra = set_homework(w.other_teacher, w.maths_8, "Algebra expansion", at(FRI, 9))
    bartek_only = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=SubjectFactory(school=w.school, name="Latin", code="La"),
        teachers=[w.teacher],
        pupils=[w.classmate],
    )
    w.secret = set_homework(w.teacher, bartek_only, "Secret classmate essay", at(THU, 16))

    time_machine.move_to(at(MON, 15), tick=False)
    for pupil in (w.pupil, w.classmate):
        submission_submit(assignment=w.fractions.assignments.get(pupil=pupil), text="My answers")
    time_machine.move_to(at(TUE, 9), tick=False)
    mark_and_return(
        w.teacher,
        w.fractions,
        {
            w.pupil: ("7/10", "Good work.\nCheck question 4 <script>alert(1)</script>"),
            w.classmate: ("3/10", "Classmate private feedback"),
        },
    )
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 7))
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.classmate, 3))
    w.amara_meeting = Meeting.objects.get(pupil=w.pupil)
    meeting_arrange(actor=w.teacher, meeting=w.amara_meeting, when=at(FRI, 8, 30), place="Room 7A")
    commendation_record(
        actor=w.other_teacher,
        pupil=w.year8_pupil,
        kind=Commendation.Kind.COMMENDATION,
        reason=Commendation.Reason.HIGH_STANDARD,
        note="Lovely algebra",
    )
    commendation_record(
        actor=w.teacher,
        pupil=w.classmate,
        kind=Commendation.Kind.POSITIVE_CONTACT,
        reason=Commendation.Reason.EFFORT,
        note="Classmate commendation note",
    )
    time_machine.move_to(at(WED, 10), tick=False)
    return w


def overview(client, user):
    client.force_login(user)
    return client.get(URL)


def card_of(response, pupil):
    return next(card for card in response.context["overview"].cards if card.pupil == pupil)


def titles(tasks):
    return [task.homework.title for task in tasks]


def test_the_parent_sees_both_children_with_this_weeks_and_overdue_homework(client, family):
    w = family
    response = overview(client, w.parent)
    assert response.status_code == 200
    cards = response.context["overview"].cards
    assert [card.pupil for card in cards] == [w.year8_pupil, w.pupil]  # eldest first
    amara = card_of(response, w.pupil)
    assert titles(amara.this_week) == ["Fractions practice", "Poem about autumn"]
    # The latest five of the seven overdue tasks, and a link to the child's page for the rest.
    assert len(amara.overdue) == 5 and set(titles(amara.overdue)) < {f"Task {n}" for n in range(7)}
    assert (amara.overdue_count, amara.overdue_more) == (7, 2)
    assert all(task.label == "Missed" for task in amara.overdue)
    fractions, poem = amara.this_week
    assert (fractions.label, poem.label) == ("Handed in", "To do")
    assert titles(card_of(response, w.year8_pupil).this_week) == ["Algebra expansion"]
    content = response.content.decode()
    assert "Amara Okafor" in content and "Chidi Okafor" in content
    assert "Poem about autumn" in content and "Algebra expansion" in content
    assert "Ratio revision" not in content  # next week's: on the child's page
    assert (
        f'href="{reverse("parents_child", args=[w.pupil.pk])}#overdue">2 more overdue tasks'
        in content
    )


def test_returned_work_shows_the_mark_and_escaped_feedback(client, family):
    response = overview(client, family.parent)
    (returned,) = card_of(response, family.pupil).returned
    assert returned.mark == "7/10"
    content = response.content.decode()
    assert "7/10" in content
    assert "Good work." in content
    assert "<script>alert(1)</script>" not in content


def test_the_ladder_counts_this_cycle_against_the_current_policy(client, family):
    response = overview(client, family.parent)
    ladder = card_of(response, family.pupil).ladder
    assert (ladder.misses_this_year, ladder.misses_this_cycle, ladder.cycles_completed) == (7, 1, 2)
    assert ladder.to_next == 2
    # The third step (two cycles completed): a meeting with the head of house.
    assert ladder.next_step.meeting_with == "head_of_house"
    content = response.content.decode()
    assert "Missed deadlines towards the next sanction: 1 of 3" in content
    assert "2 more missed deadlines would lead to" in content
    assert "a meeting with the head of house" in content
    chidi = card_of(response, family.year8_pupil).ladder
    assert (chidi.misses_this_year, chidi.misses_this_cycle, chidi.to_next) == (0, 0, 3)
    assert "3 more missed deadlines" not in content  # no warning for a child with none


def test_past_the_last_step_the_ladder_names_the_last_one(client, family):
    # Two cycles completed on a ladder of two steps (numbered 1 and 5): the next is the
    # last step again (EscalationPolicy.step_for's rule).
    policy = EscalationPolicy.objects.get(school=family.school, is_current=True)
    last = policy.steps.order_by("number")[1]
    policy.steps.exclude(pk__in=[policy.steps.order_by("number")[0].pk, last.pk]).delete()
    EscalationStep.objects.filter(pk=last.pk).update(number=5, detention_minutes=45)
    ladder = card_of(overview(client, family.parent), family.pupil).ladder
    assert ladder.next_step.detention_minutes == 45
    assert ladder.next_step.meeting_with == last.meeting_with


def test_a_school_without_a_policy_shows_the_misses_and_creates_none(client, world):
    response = overview(client, world.parent)
    assert response.status_code == 200
    assert card_of(response, world.pupil).ladder.next_step is None
    assert "0 missed deadlines this school year" in response.content.decode()
    assert not EscalationPolicy.objects.exists()


def test_confirmed_detentions_and_arranged_meetings_show_date_time_and_place(client, family):
    response = overview(client, family.parent)
    amara = card_of(response, family.pupil)
    assert [b.session for b in amara.bookings] == [family.thursday, family.thursday]
    assert amara.meetings == [family.amara_meeting]
    content = response.content.decode()
    assert "Thursday 26/11/2026" in content
    assert "15:30–16:30" in content
    assert "Room B12" in content
    assert "Meeting with the form tutor" in content
    assert "Friday 27/11/2026 08:30" in content
    assert "Room 7A" in content


def test_a_place_still_to_check_or_an_exclusion_day_shows_as_it_stands(client, family):
    """A booking still to check is not a confirmed place; an exclusion day is."""
    w = family
    booking = w.thursday.bookings.filter(sanction__pupil=w.pupil).order_by("pk").first()
    booking.status = "needs_check"
    booking.save()
    day = DetentionSession.objects.create(
        school=w.school,
        kind=SessionKind.INTERNAL_EXCLUSION,
        date=FRI,
        start_time=datetime.time(8, 40),
        end_time=datetime.time(15, 10),
        room="IE1",
        capacity=2,
    )
    day.bookings.create(
        school=w.school, sanction=booking.sanction, kind=SessionKind.INTERNAL_EXCLUSION
    )
    response = overview(client, w.parent)
    sessions = [b.session for b in card_of(response, w.pupil).bookings]
    assert sessions == [w.thursday, day]
    assert "Internal exclusion day" in response.content.decode()


def test_recent_commendations_show_on_the_childs_card(client, family):
    response = overview(client, family.parent)
    (commendation,) = card_of(response, family.year8_pupil).commendations
    assert commendation.reason == Commendation.Reason.HIGH_STANDARD
    assert "High standard of homework" in response.content.decode()


def test_nothing_about_another_familys_child_ever_appears(client, family):
    content = overview(client, family.parent).content.decode()
    for text in (
        "Bartek",
        "Nowak",
        "Secret classmate essay",
        "Classmate private feedback",
        "3/10",
        "Classmate commendation note",
        "Positive contact home",
    ):
        assert text not in content


def test_the_other_parent_sees_only_their_own_child(client, family):
    response = overview(client, family.other_parent)
    assert [card.pupil for card in response.context["overview"].cards] == [family.classmate]
    content = response.content.decode()
    assert "Secret classmate essay" in content
    assert "Amara" not in content and "Chidi" not in content
    assert "Poem about autumn" not in content


@pytest.mark.parametrize(
    "who", ["teacher", "head_of_year", "senior_leader", "school_admin", "other_school_staff"]
)
def test_staff_get_404(client, family, who):
    assert overview(client, getattr(family, who)).status_code == 404


def test_a_pupil_gets_404(client, family):
    response = overview(client, family.pupil.user)
    assert response.status_code == 404


def test_a_guardian_with_no_children_linked_gets_a_helpful_page(client, world):
    GuardianLink.objects.filter(guardian=world.guardian).delete()
    response = overview(client, world.parent)
    assert response.status_code == 200
    content = response.content.decode()
    assert "No children are linked to your account yet" in content
    assert "Amara" not in content
    try:
        assert f'href="{reverse("parents_link")}"' in content
    except NoReverseMatch:  # linking with a code is not built yet
        assert "contact the school office" in content


def test_a_removed_link_ends_access_on_the_next_request(client, family):
    client.force_login(family.parent)
    assert len(client.get(URL).context["overview"].cards) == 2
    GuardianLink.objects.filter(pupil=family.pupil).delete()
    cards = client.get(URL).context["overview"].cards
    assert [card.pupil for card in cards] == [family.year8_pupil]


def test_one_login_sees_children_at_two_schools(client, world):
    school = SchoolFactory(name="Second Academy", slug="second")
    AcademicYearFactory(school=school)
    group = TutorGroupFactory(school=school, year_group=YearGroupFactory(school=school, number=9))
    sibling = PupilFactory(tutor_group=group, first_name="Ebere", last_name="Okafor")
    GuardianLinkFactory(guardian=GuardianFactory(school=school, user=world.parent), pupil=sibling)
    response = overview(client, world.parent)
    assert {card.pupil for card in response.context["overview"].cards} == {
        world.pupil,
        world.year8_pupil,
        sibling,
    }
    content = response.content.decode()
    assert "Second Academy" in content and "Test Academy" in content


def test_the_nav_and_home_page_lead_parents_here(client, world):
    client.force_login(world.parent)
    content = client.get(reverse("home")).content.decode()
    assert f'href="{URL}"' in content
    assert "My children" in content
    client.force_login(world.teacher)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# Query budget ----------------------------------------------------------------------------


def club_rows(world, pupil, n, *, rewarded=True):
    """n homework club visits last week (each rewarded) and n places booked next week."""
    club = Club.objects.create(school=world.school, name=f"Club of {pupil.first_name}", room="21")
    for k in range(n):
        last_week, next_week = MON - datetime.timedelta(days=7), MON + datetime.timedelta(days=7)
        for day, came in ((last_week, True), (next_week, False)):
            session = ClubSession.objects.create(
                school=world.school,
                club=club,
                date=day + datetime.timedelta(days=k % 5),
                start_time=datetime.time(15, 15),
                end_time=datetime.time(16, 15),
                room="21",
                capacity=25,
                staff_needed=2,
            )
            if came:
                start = at(session.date, 15, 15)
                Attendance.objects.create(
                    school=world.school,
                    session=session,
                    pupil=pupil,
                    checked_in_at=start,
                    checked_out_at=start + datetime.timedelta(minutes=40),
                    worked_effectively=rewarded,
                )
            else:
                Booking.objects.create(
                    school=world.school, session=session, pupil=pupil, booked_at=at(MON, 9)
                )


def busy_child(world, pupil, teacher, n, *, misses=None):
    """A child with n tasks this week, n returned, n commendations, n homework club visits
    and places, and n overdue tasks recorded as missed (or `misses` of them)."""
    club_rows(world, pupil, n)
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=pupil.year_group,
        subject=SubjectFactory(school=world.school),
        teachers=[teacher],
        pupils=[pupil],
    )
    for k in range(n):
        set_homework(teacher, group, f"Week task {k}", at(FRI, 16))
        done = set_homework(teacher, group, f"Returned task {k}", at(MON, 9))
        assignment = done.assignments.get()
        Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
        mark_and_return(teacher, done, {pupil: ("A", "Well done")})
        commendation_record(actor=teacher, pupil=pupil, kind="commendation", reason="effort")
    miss_record(recorder=teacher, assignments=overdue_assignments(world, pupil, misses or n))


@pytest.mark.parametrize("children, rows", [(1, 1), (3, 4)])
def test_the_overview_costs_the_same_queries_for_one_child_or_three_busy_ones(
    client, world, time_machine, django_assert_num_queries, children, rows
):
    time_machine.move_to(at(WED, 10), tick=False)
    policy_current(school=world.school)
    GuardianLink.objects.filter(guardian=world.guardian).exclude(pupil=world.pupil).delete()
    pupils = [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(children - 1)]
    for pupil in pupils[1:]:
        GuardianLinkFactory(guardian=world.guardian, pupil=pupil)
    DetentionSession.objects.create(
        school=world.school,
        date=datetime.date(2026, 11, 30),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=50,
    )
    for pupil in pupils:
        # a detention a row, and a miss towards the next (the ladder names its next step)
        busy_child(world, pupil, world.teacher, rows, misses=3 * rows + 1)
        Meeting.objects.update_or_create(
            sanction=Sanction.objects.filter(pupil=pupil).order_by("pk").first(),
            defaults={
                "school": world.school,
                "pupil": pupil,
                "meeting_with": "form_tutor",
                "status": Meeting.Status.ARRANGED,
                "proposed_at": at(FRI, 8, 30),
            },
        )
    client.force_login(world.parent)
    # session, user; is the login a guardian; the children with their counts of misses
    # and sanctions, current policies and their next steps, overdue tasks and club
    # visits and their tutors; the homework, the detention places, the meetings, the
    # commendations, the club places; (the top bar's "is a pupil" comes with the user);
    # the consultations' panel: the consultations asking the children (read once for the
    # page and its panels); the key dates' panel: their year groups' key dates (none here:
    # their years are not asked).
    with django_assert_num_queries(11):
        response = client.get(URL)
    cards = response.context["overview"].cards
    assert len(cards) == children
    # This week: the tasks due on Friday and the returned ones, due on Monday.
    assert all(len(card.this_week) == 2 * rows and len(card.returned) == rows for card in cards)
    assert all(card.overdue_count == 3 * rows + 1 for card in cards)
    assert all(len(card.overdue) == min(3 * rows + 1, OVERDUE_SHOWN) for card in cards)
    assert all(card.ladder.next_step is not None for card in cards)
    assert all(len(card.commendations) == rows for card in cards)
    assert all(len(card.bookings) == rows and len(card.meetings) == 1 for card in cards)
    assert all(card.club_visits == rows == card.club_rewards for card in cards)
    assert all(len(card.club_places) == rows for card in cards)


def test_lists_nobody_has_rows_in_are_not_read(
    client, world, time_machine, django_assert_num_queries
):
    time_machine.move_to(at(WED, 10), tick=False)
    policy_current(school=world.school)
    client.force_login(world.parent)
    # as above, without the detention places, the meetings, the commendations and the club
    # places: no child has any to come
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert all(
        not (card.bookings or card.meetings or card.commendations or card.club_places)
        for card in response.context["overview"].cards
    )


def test_club_visits_and_rewards_show_for_each_child_and_no_one_else(client, world, time_machine):
    time_machine.move_to(at(WED, 10), tick=False)
    club_rows(world, world.pupil, 2)
    club_rows(world, world.classmate, 3)
    client.force_login(world.parent)

    overview = client.get(URL)
    card = next(c for c in overview.context["overview"].cards if c.pupil == world.pupil)
    assert (card.club_visits, card.club_rewards, len(card.club_places)) == (2, 2, 2)
    html = overview.content.decode()
    assert "2 visits in the last month" in html and "2 rewards for working well" in html
    assert "Club of Bartek" not in html

    page = client.get(reverse("parents_child", args=[world.pupil.pk])).content.decode()
    assert page.count("Reward: worked effectively") == 2
    assert "Club of Amara" in page and "Club of Bartek" not in page


def test_club_places_to_come_are_the_clubs_own_rule(world, time_machine):
    """parents.overview._club_places writes clubs' places_to_come once as SQL: the same
    rows, in the same order, across the rule's every branch."""
    from django.utils import timezone

    from clubs.selectors.sessions import places_to_come
    from parents.overview import _club_places

    time_machine.move_to(at(WED, 16), tick=False)
    club = Club.objects.create(school=world.school, name="Homework club", room="21")

    def session(day, start, end, status=ClubSession.Status.SCHEDULED):
        return ClubSession.objects.create(
            school=world.school,
            club=club,
            date=WED + datetime.timedelta(days=day),
            start_time=datetime.time(start),
            end_time=datetime.time(end),
            room="21",
            capacity=25,
            staff_needed=2,
            status=status,
        )

    sessions = [
        session(1, 15, 16),  # tomorrow
        session(0, 16, 17),  # today, not over
        session(0, 14, 15),  # today, over
        session(-1, 15, 16),  # yesterday
        session(2, 15, 16, ClubSession.Status.CANCELLED),  # cancelled
        session(3, 9, 10),  # booked, then come to
        session(4, 15, 16),  # the booking cancelled
        session(1, 9, 10),  # tomorrow, earlier
    ]
    for k, each in enumerate(sessions):
        Booking.objects.create(
            school=world.school,
            session=each,
            pupil=world.pupil,
            booked_at=at(MON, 9),
            status=Booking.Status.CANCELLED if k == 6 else Booking.Status.BOOKED,
        )
    Attendance.objects.create(
        school=world.school, session=sessions[5], pupil=world.pupil, checked_in_at=at(MON, 9)
    )
    now = timezone.now()
    expected = list(
        places_to_come(Booking.objects.filter(pupil=world.pupil), timezone.localtime(now))
    )
    assert [b.session_id for b in expected] == [sessions[n].pk for n in (1, 7, 0)]
    places = _club_places([world.pupil], now)
    assert places == expected
    assert [(p.session.date, p.session.start_time, p.session.club.name) for p in places] == [
        (b.session.date, b.session.start_time, b.session.club.name) for b in expected
    ]
