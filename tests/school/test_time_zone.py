"""Pages, emails and jobs keep the school's own clock (School.time_zone), not the server's:
the week a page shows, the times it prints and the Monday a job writes for are those of
the school being viewed. A school in Karachi (five hours ahead of London in winter) is
already on Monday when London is on Sunday evening; one in New York is still on Sunday."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from parents import tasks
from parents.notices import WEEKLY_DIGEST
from school.middleware import TIME_ZONE_SESSION_KEY
from tests.factories import GuardianFactory, GuardianLinkFactory

UTC = datetime.UTC
SUNDAY_EVENING = datetime.datetime(2026, 11, 22, 20, 30, tzinfo=UTC)  # Karachi: Mon 01:30
MONDAY_NIGHT = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # New York: Sun 22:00
THIS_MONDAY, LAST_MONDAY = "Monday 23/11/2026", "Monday 16/11/2026"

WEEKS = [
    ("Europe/London", SUNDAY_EVENING, LAST_MONDAY),
    ("Asia/Karachi", SUNDAY_EVENING, THIS_MONDAY),
    ("Europe/London", MONDAY_NIGHT, THIS_MONDAY),
    ("America/New_York", MONDAY_NIGHT, LAST_MONDAY),
]


def in_zone(world, zone):
    world.school.time_zone = zone
    world.school.save()


def homework_due(world, due_at, title="Fractions"):
    (homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=HomeworkDetails(
            title=title,
            instructions="Do it.",
            set_on=datetime.date(2026, 11, 16),
            due_at=due_at,
            estimated_minutes=30,
        ),
    )
    return homework.assignments.get(pupil=world.pupil)


@pytest.mark.parametrize("zone,moment,week", WEEKS)
def test_each_persons_pages_show_the_week_of_the_schools_own_date(
    client, world, time_machine, zone, moment, week
):
    in_zone(world, zone)
    time_machine.move_to(moment, tick=False)

    client.force_login(world.teacher)  # the form tutor of 7A
    assert f"Week of {week}" in client.get(reverse("parents_signoff_tutor")).text
    client.force_login(world.parent)
    assert week in client.get(reverse("parents_signoff")).text
    client.force_login(world.head_of_year)
    monday = client.get(reverse("sanctions_dashboard")).context["board"].week[0]
    assert f"{monday:%A %d/%m/%Y}" == week


@pytest.mark.parametrize(
    "zone,shown",
    [("Europe/London", "16:00"), ("Asia/Karachi", "21:00"), ("America/New_York", "11:00")],
)
def test_a_due_time_is_printed_on_the_schools_clock(client, world, time_machine, zone, shown):
    time_machine.move_to(SUNDAY_EVENING, tick=False)
    in_zone(world, zone)
    assignment = homework_due(world, datetime.datetime(2026, 11, 24, 16, 0, tzinfo=UTC))
    client.force_login(world.pupil.user)
    page = client.get(reverse("planner_task", args=[assignment.pk])).text
    assert f"Tuesday 24/11/2026 at {shown}" in page


def test_a_parent_with_children_at_schools_in_two_zones_sees_their_first_records(
    client, world, time_machine
):
    """The parent's first guardian record is at the test school (Karachi); a later one
    at the other school (New York) does not move their pages' clock."""
    in_zone(world, "Asia/Karachi")
    world.other_school.time_zone = "America/New_York"
    world.other_school.save()
    later = GuardianFactory(school=world.other_school, user=world.parent)
    GuardianLinkFactory(guardian=later, pupil=world.other_school_pupil)
    time_machine.move_to(SUNDAY_EVENING, tick=False)  # Monday in Karachi, Sunday elsewhere
    client.force_login(world.parent)
    assert client.session[TIME_ZONE_SESSION_KEY] == "Asia/Karachi"
    assert THIS_MONDAY in client.get(reverse("parents_signoff")).text


def test_the_schools_zone_ends_with_the_request(client, world):
    in_zone(world, "Asia/Karachi")
    client.force_login(world.teacher)
    assert client.get(reverse("parents_signoff_tutor")).status_code == 200
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE


def test_a_session_from_before_asks_the_zone_once_and_keeps_it(client, world, time_machine):
    in_zone(world, "Asia/Karachi")
    time_machine.move_to(SUNDAY_EVENING, tick=False)

    def queries_of_a_page():
        with CaptureQueriesContext(connection) as queries:
            assert f"Week of {THIS_MONDAY}" in client.get(reverse("parents_signoff_tutor")).text
        return len(queries)

    client.force_login(world.teacher)  # the zone is asked at login
    kept_since_login = queries_of_a_page()
    session = client.session
    del session[TIME_ZONE_SESSION_KEY]
    session.save()
    assert queries_of_a_page() > kept_since_login  # asked, and the session saved
    assert client.session[TIME_ZONE_SESSION_KEY] == "Asia/Karachi"
    assert queries_of_a_page() == kept_since_login


def test_a_zone_name_the_system_does_not_know_shows_the_sites_clock(client, world, time_machine):
    in_zone(world, "Europe/Atlantis")
    time_machine.move_to(SUNDAY_EVENING, tick=False)
    client.force_login(world.teacher)
    response = client.get(reverse("parents_signoff_tutor"))
    assert response.status_code == 200
    assert f"Week of {LAST_MONDAY}" in response.text  # London's Sunday


# Jobs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "zone,moment,written",
    [
        # 02:30 in London, 07:30 on Monday in Karachi: Karachi's families hear now.
        ("Asia/Karachi", datetime.datetime(2026, 11, 23, 2, 30, tzinfo=UTC), True),
        ("Europe/London", datetime.datetime(2026, 11, 23, 2, 30, tzinfo=UTC), False),
        # 07:00 in London is 02:00 in New York: not yet Monday morning there...
        ("America/New_York", datetime.datetime(2026, 11, 23, 7, 0, tzinfo=UTC), False),
        # ...and 22:00 on Sunday in New York is not Monday at all.
        ("America/New_York", datetime.datetime(2026, 11, 23, 3, 0, tzinfo=UTC), False),
        ("America/New_York", datetime.datetime(2026, 11, 23, 12, 30, tzinfo=UTC), True),
    ],
)
def test_the_weekly_digest_goes_on_the_schools_own_monday_morning(
    world, time_machine, zone, moment, written
):
    in_zone(world, zone)
    time_machine.move_to(moment - datetime.timedelta(days=7), tick=False)
    homework_due(world, datetime.datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    time_machine.move_to(moment, tick=False)

    tasks.weekly_digests_write()
    sent = Notification.objects.filter(kind=WEEKLY_DIGEST)
    assert sent.exists() == written
    if written:
        assert set(sent.values_list("context__week_start", flat=True)) == {"2026-11-23"}
        assert tasks.weekly_digests_write() == 0  # the week is written once


def test_the_weekly_digest_lists_the_week_of_the_schools_own_days(world, time_machine):
    """In Karachi a task due at 20:00 London time on Sunday 29/11 is due at 01:00 on
    Monday 30/11: next week's, not this week's; one due at 18:00 is this week's."""
    in_zone(world, "Asia/Karachi")
    time_machine.move_to(datetime.datetime(2026, 11, 16, 9, 0, tzinfo=UTC), tick=False)
    homework_due(world, datetime.datetime(2026, 11, 29, 18, 0, tzinfo=UTC), "Sunday 23:00")
    homework_due(world, datetime.datetime(2026, 11, 29, 20, 0, tzinfo=UTC), "Monday 01:00")
    time_machine.move_to(datetime.datetime(2026, 11, 23, 4, 0, tzinfo=UTC), tick=False)

    tasks.weekly_digests_write()
    (digest,) = Notification.objects.filter(kind=WEEKLY_DIGEST, pupil=world.pupil)
    assert [task["title"] for task in digest.context["tasks"]] == ["Sunday 23:00"]
    assert digest.context["tasks"][0]["due"].startswith("2026-11-29T23:00:00+05:00")
