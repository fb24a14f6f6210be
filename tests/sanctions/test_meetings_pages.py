"""The meeting pages: the list (yours to arrange, arranged, the others; a status filter;
CSV), one meeting's page with its forms, who may read and who may change, and the query
budgets."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from sanctions.models import AuditEntry, Meeting, MeetingWith
from sanctions.notices import MEETING_ARRANGED, MEETING_CANCELLED
from tests.conftest import Role, staff
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory
from tests.sanctions.helpers import overdue_assignments

from .test_meetings import in_days, meeting_for, record

Status = Meeting.Status
LIST = reverse("sanctions_meetings")


def page(meeting):
    return reverse("sanctions_meeting", args=[meeting.pk])


def arrange_post(days=3, **changes):
    day = in_days(days)
    data = {"action": "arrange", "date": f"{day:%Y-%m-%d}", "time": "15:30", "place": "Room 7A"}
    return {k: v for k, v in (data | changes).items() if v is not None}


def unchanged(meeting):
    fresh = Meeting.objects.get(pk=meeting.pk)
    return (
        (fresh.status, fresh.owner_id, fresh.proposed_at, fresh.place, fresh.outcome)
        == (meeting.status, meeting.owner_id, meeting.proposed_at, meeting.place, meeting.outcome)
        and not AuditEntry.objects.filter(action__startswith="meeting_").exists()
        and not Notification.objects.exists()
    )


# The list --------------------------------------------------------------------------------


def test_the_list_splits_yours_to_arrange_arranged_and_the_others(client, world):
    mine = meeting_for(world, owner=world.teacher)
    arranged = meeting_for(
        world,
        world.classmate,
        owner=world.head_of_year,
        status=Status.ARRANGED,
        proposed_at=in_days(2),
        place="Library",
    )
    theirs = meeting_for(
        world, cycle=3, meeting_with=MeetingWith.HEAD_OF_HOUSE, owner=world.head_of_house
    )
    held = meeting_for(world, cycle=4, owner=world.head_of_year, status=Status.HELD)

    client.force_login(world.head_of_year)
    response = client.get(LIST)
    assert response.status_code == 200
    lists = response.context["lists"]
    assert lists.to_arrange == []
    assert lists.arranged == [arranged]
    assert set(lists.others) == {mine, theirs, held}
    text = response.content.decode()
    assert "Library" in text and "Okafor, Amara" in text and "Tess Teacher" in text

    client.force_login(world.teacher)
    lists = client.get(LIST).context["lists"]
    assert lists.to_arrange == [mine]
    assert lists.arranged == []  # the classmate is not their tutee
    assert set(lists.others) == {theirs, held}


def test_a_senior_leader_sees_meetings_nobody_has_taken_as_theirs_to_arrange(client, world):
    untaken = meeting_for(world, meeting_with=MeetingWith.SENIOR_LEADER, owner=None)
    client.force_login(world.senior_leader)
    lists = client.get(LIST).context["lists"]
    assert lists.to_arrange == [untaken]
    assert "Nobody yet" in client.get(LIST).content.decode()


def test_the_status_filter_narrows_every_list(client, world):
    meeting_for(world, owner=world.teacher)
    held = meeting_for(world, cycle=3, owner=world.teacher, status=Status.HELD)
    client.force_login(world.teacher)
    lists = client.get(LIST, {"status": "held"}).context["lists"]
    assert (lists.to_arrange, lists.arranged, lists.others) == ([], [], [held])


def test_an_unknown_status_is_refused_with_a_message(client, world):
    meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.get(LIST, {"status": "lost"})
    assert response.status_code == 400
    assert "Choose a status from the list." in response.content.decode()
    assert len(response.context["lists"].to_arrange) == 1  # the list, unfiltered


def test_the_csv_holds_the_filtered_list(client, world):
    when = in_days(2, hour=15)
    meeting_for(world, owner=world.teacher, status=Status.ARRANGED, proposed_at=when, place="7A")
    meeting_for(world, cycle=3, owner=world.head_of_house, status=Status.CANCELLED)
    client.force_login(world.head_of_year)
    response = client.get(LIST, {"status": "arranged", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="meetings.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:7] == [
        "Pupil",
        "Tutor group",
        "Cycle",
        "Meeting with",
        "Owner",
        "Status",
        "Date",
    ]
    assert rows[1:] == [
        [
            "Amara Okafor",
            "7A",
            "2",
            "Form tutor",
            "Tess Teacher",
            "Arranged",
            f"{when:%d/%m/%Y} 15:00",
            "7A",
            "Yes",
        ]
    ]


def test_the_meetings_link_is_in_the_navigation_of_tutors_and_heads_only(client, world):
    for who in ("teacher", "head_of_year", "head_of_house", "senior_leader"):
        client.force_login(getattr(world, who))
        assert f'href="{LIST}"' in client.get(reverse("home")).content.decode(), who
    for who in ("other_teacher", "school_admin", "lsa", "parent"):
        client.force_login(getattr(world, who))
        assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode(), who


# One meeting -----------------------------------------------------------------------------


def test_the_page_shows_the_cycle_its_misses_and_the_parents_to_contact(client, world):
    record(world, overdue_assignments(world, world.pupil, 6))
    meeting = Meeting.objects.get()
    world.guardian.mobile = "07700 900456"
    world.guardian.email = "ngozi@example.org"
    world.guardian.save()
    no_responsibility = GuardianFactory(school=world.school, first_name="Uncle")
    GuardianLinkFactory(
        guardian=no_responsibility, pupil=world.pupil, parental_responsibility=False
    )
    client.force_login(world.teacher)
    response = client.get(page(meeting))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Cycle 2" in text and "step 2" in text
    assert len(response.context["misses"]) == 3
    assert all(m.sanction_id == meeting.sanction_id for m in response.context["misses"])
    assert "Task 3" in text and "Task 5" in text and "Task 0" not in text
    assert "07700 900456" in text and "ngozi@example.org" in text
    assert "Uncle" not in text
    assert set(response.context["forms"]) == {"arrange", "held", "cancel"}  # no reassign


def test_the_owner_arranges_the_meeting_and_parents_are_told(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.post(page(meeting), arrange_post(days=5))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Status.ARRANGED and meeting.place == "Room 7A"
    assert timezone.localtime(meeting.proposed_at).date() == in_days(5).date()
    assert timezone.localtime(meeting.proposed_at).time() == datetime.time(15, 30)
    notice = Notification.objects.get(kind=MEETING_ARRANGED)
    assert notice.context["time"] == "15:30"
    assert "Meeting arranged." in client.get(page(meeting)).content.decode()


def test_rearranging_starts_from_the_date_time_and_place_already_set(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    client.post(page(meeting), arrange_post(days=5))

    html = client.get(page(meeting)).content.decode()

    # A date box only shows an ISO date: a British one would leave it blank.
    assert f'value="{in_days(5):%Y-%m-%d}"' in html
    assert 'value="15:30"' in html and 'value="Room 7A"' in html


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"date": f"{timezone.localdate() - datetime.timedelta(days=1):%Y-%m-%d}"},
            "Choose a date and time in the future.",
        ),
        ({"date": "2026-02-30"}, "Enter a real date."),
        ({"time": "25:00"}, "Enter a time"),
        ({"place": "  "}, "Give the place of the meeting."),
        ({"place": "x" * 101}, "at most 100 characters"),
    ],
    ids=["past", "no such date", "bad time", "no place", "long place"],
)
def test_bad_arranging_input_re_renders_with_400_and_changes_nothing(client, world, changes, error):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.post(page(meeting), arrange_post(**changes))
    assert response.status_code == 400
    text = response.content.decode()
    assert error in text and "Nothing was changed" in text
    assert unchanged(meeting)


def test_recording_as_held_needs_the_outcome(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.post(page(meeting), {"action": "held", "outcome": "   "})
    assert response.status_code == 400
    assert "Write the outcome" in response.content.decode()
    assert unchanged(meeting)

    response = client.post(page(meeting), {"action": "held", "outcome": "Diary agreed."})
    assert response.status_code == 302
    assert Meeting.objects.get().outcome == "Diary agreed."


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"reason": "No longer needed"}, "Tick the box to confirm"),
        ({"reason": " ", "confirm": "on"}, "Give a reason"),
    ],
    ids=["unconfirmed", "no reason"],
)
def test_cancelling_needs_a_reason_and_the_confirmation(client, world, data, error):
    meeting = meeting_for(
        world, owner=world.teacher, status=Status.ARRANGED, proposed_at=in_days(1), place="7A"
    )
    client.force_login(world.teacher)
    response = client.post(page(meeting), {"action": "cancel"} | data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert unchanged(meeting)


def test_cancelling_an_arranged_meeting_from_the_page_tells_parents(client, world):
    meeting = meeting_for(
        world, owner=world.teacher, status=Status.ARRANGED, proposed_at=in_days(1), place="7A"
    )
    client.force_login(world.head_of_house)
    response = client.post(
        page(meeting), {"action": "cancel", "reason": "Parents met the head", "confirm": "on"}
    )
    assert response.status_code == 302
    assert Meeting.objects.get().status == Status.CANCELLED
    assert Notification.objects.get().kind == MEETING_CANCELLED


def test_a_head_of_year_reassigns_to_a_member_of_staff_of_the_school(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.head_of_year)
    choices = client.get(page(meeting)).context["forms"]["reassign"].fields["owner"].queryset
    assert world.other_teacher in choices
    assert world.other_school_staff not in choices and world.pupil.user not in choices
    assert world.parent not in choices

    response = client.post(
        page(meeting),
        {"action": "reassign", "owner": str(world.other_school_staff.pk), "reason": ""},
    )
    assert response.status_code == 400
    assert "Choose an active member of staff of this school." in response.content.decode()
    assert unchanged(meeting)

    response = client.post(
        page(meeting), {"action": "reassign", "owner": str(world.other_teacher.pk)}
    )
    assert response.status_code == 302
    assert Meeting.objects.get().owner == world.other_teacher


def test_the_owning_tutor_may_not_reassign(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.post(
        page(meeting), {"action": "reassign", "owner": str(world.head_of_year.pk)}
    )
    assert response.status_code == 404
    assert unchanged(meeting)


@pytest.mark.parametrize("closed", [Status.HELD, Status.CANCELLED])
def test_changing_a_closed_meeting_is_refused_with_a_clear_message(client, world, closed):
    meeting = meeting_for(world, owner=world.teacher, status=closed)
    client.force_login(world.teacher)
    text = client.get(page(meeting)).content.decode()
    assert "it can no longer be changed" in text
    response = client.post(page(meeting), arrange_post())
    assert response.status_code == 400
    assert f"This meeting has been {closed.label.lower()}" in response.content.decode()
    assert unchanged(meeting)


def test_an_unknown_action_is_refused(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    response = client.post(page(meeting), {"action": "delete"})
    assert response.status_code == 400
    assert "Choose what to do" in response.content.decode()
    assert unchanged(meeting)


# Access ----------------------------------------------------------------------------------


def test_a_tutor_who_is_not_the_owner_reads_but_cannot_change(client, world):
    meeting = meeting_for(
        world, cycle=3, meeting_with=MeetingWith.HEAD_OF_HOUSE, owner=world.head_of_house
    )
    client.force_login(world.teacher)  # Amara's form tutor
    response = client.get(page(meeting))
    assert response.status_code == 200
    assert response.context["forms"] == {}
    assert "You can read this meeting" in response.content.decode()
    for data in (arrange_post(), {"action": "held", "outcome": "Done"}):
        assert client.post(page(meeting), data).status_code == 404
    assert unchanged(meeting)


@pytest.mark.parametrize(
    "who", ["other_teacher", "other_tutor", "parent", "pupil", "other_school_staff", "lsa"]
)
def test_outsiders_get_404_and_change_nothing(client, world, who):
    meeting = meeting_for(world, owner=world.teacher)
    if who == "other_tutor":
        user = staff(
            world.school, "tutor7b@test.school", (Role.FORM_TUTOR, {"tutor_group": world.tg_7b})
        )
    elif who == "pupil":
        user = world.pupil.user
    else:
        user = getattr(world, who)
    client.force_login(user)
    response = client.get(page(meeting))
    assert response.status_code == 404
    assert "Okafor" not in response.content.decode()
    assert client.post(page(meeting), arrange_post()).status_code == 404
    assert unchanged(meeting)
    list_response = client.get(LIST)
    if list_response.status_code == 200:
        lists = list_response.context["lists"]
        assert lists.to_arrange + lists.arranged + lists.others == []


# Query budgets ---------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 9])
def test_the_list_query_budget_does_not_grow_with_meetings(
    client, world, django_assert_num_queries, rows
):
    pupils = [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(rows - 1)]
    statuses = [Status.TO_ARRANGE, Status.ARRANGED, Status.HELD]
    for n, pupil in enumerate(pupils):
        status = statuses[n % 3]
        meeting_for(
            world,
            pupil,
            owner=world.teacher,
            status=status,
            proposed_at=in_days(2) if status != Status.TO_ARRANGE else None,
        )
    client.force_login(world.teacher)
    # session, user, roles, then one query each for yours to arrange, arranged, others.
    with django_assert_num_queries(6):
        response = client.get(LIST)
    lists = response.context["lists"]
    assert len(lists.to_arrange + lists.arranged + lists.others) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_the_meeting_page_query_budget_does_not_grow_with_rows(
    client, world, django_assert_num_queries, rows
):
    record(world, overdue_assignments(world, world.pupil, 6))
    meeting = Meeting.objects.get()
    for _ in range(rows - 1):
        GuardianLinkFactory(guardian=GuardianFactory(school=world.school), pupil=world.pupil)
    for n in range(rows):
        AuditEntry.objects.create(
            school=world.school,
            at=timezone.now(),
            actor=world.head_of_year,
            pupil=world.pupil,
            action="meeting_reassigned",
            sanction=meeting.sanction,
            reason=f"Note {n}",
        )
    client.force_login(world.head_of_year)
    # session, user, roles, the meeting with pupil, owner and sanction, the cycle's misses,
    # the parents, the history, the staff for the reassign form.
    with django_assert_num_queries(8):
        response = client.get(page(meeting))
    assert len(response.context["parents"]) == rows
    assert len(response.context["history"]) == rows + 1  # with the sanction's creation
