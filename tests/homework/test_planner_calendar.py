"""The pupil's calendar: the page with their secret address, resetting it (POST only),
and the iCal feed itself, read back with icalendar."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from homework.models import CalendarFeed
from homework.services.planner import calendar_feed_for, submission_submit
from homework.services.setting import HomeworkDetails, homework_delete, homework_set
from tests.factories import UserFactory
from tests.test_permissions import PERSONAS, persona

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)


def set_homework(w, title, due_at, *, group=None, teacher=None, minutes=30, as_draft=False):
    (homework,) = homework_set(
        teacher=teacher or w.teacher,
        teaching_groups=[group or w.maths_7],
        details=HomeworkDetails(
            title=title,
            instructions="Do it.",
            set_on=(due_at - datetime.timedelta(days=7)).date(),
            due_at=due_at,
            estimated_minutes=minutes,
        ),
        as_draft=as_draft,
    )
    return homework


def feed_url(user):
    return reverse("planner_feed", args=[calendar_feed_for(user).token])


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_page_shows_the_absolute_address_and_how_to_subscribe(client, world):
    client.force_login(world.pupil.user)
    response = client.get(reverse("planner_calendar"))
    assert response.status_code == 200
    page = response.content.decode()
    token = CalendarFeed.objects.get(user=world.pupil.user).token
    assert f'value="http://testserver/planner/feed/{token}.ics"' in page
    assert f'href="webcal://testserver/planner/feed/{token}.ics"' in page
    for calendar_app in ["Google Calendar", "Outlook", "Apple Calendar"]:
        assert calendar_app in page
    assert f'action="{reverse("planner_calendar_reset")}"' in page
    assert "The old address stops working" in page
    # Opening the page again keeps the same address.
    client.get(reverse("planner_calendar"))
    assert CalendarFeed.objects.get(user=world.pupil.user).token == token


def test_resetting_the_address_stops_the_old_one_working(client, world):
    user = world.pupil.user
    old_url = feed_url(user)
    assert client.get(old_url).status_code == 200
    client.force_login(user)
    response = client.post(reverse("planner_calendar_reset"), follow=True)
    assert response.redirect_chain == [(reverse("planner_calendar"), 302)]
    assert "The old address no longer works" in response.content.decode()
    new_url = feed_url(user)
    assert new_url != old_url
    assert new_url in response.content.decode()
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


@pytest.mark.parametrize("who", PERSONAS)
def test_reset_answers_get_with_405_to_the_pupil_and_404_to_everyone_else(
    client, homework_world, who
):
    client.force_login(persona(homework_world, who))
    response = client.get(reverse("planner_calendar_reset"))
    assert response.status_code == (405 if who == "pupil_user" else 404)


@pytest.mark.parametrize("who", ["teacher", "parent", "senior_leader"])
def test_only_pupils_can_reset_a_calendar(client, world, who):
    client.force_login(getattr(world, who))
    assert client.post(reverse("planner_calendar_reset")).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_reset_needs_a_login(client, world):
    response = client.post(reverse("planner_calendar_reset"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_feed_has_every_set_task_from_eight_weeks_ago_at_its_due_time(client, world):
    w = world
    with time_machine.travel(NOW, tick=False):
        bst_due = datetime.datetime(2026, 10, 20, 23, 59, tzinfo=LONDON)  # 22:59 UTC
        set_homework(w, "Seven weeks ago", NOW - datetime.timedelta(weeks=7))
        set_homework(w, "Nine weeks ago", NOW - datetime.timedelta(weeks=9))
        summer = set_homework(w, "Summer time deadline", bst_due)
        poem = set_homework(
            w,
            "Poem",
            datetime.datetime(2026, 12, 1, 16, 0, tzinfo=LONDON),
            group=w.english_7,
            teacher=w.other_teacher,
            minutes=45,
        )
        set_homework(w, "Draft task", NOW + datetime.timedelta(days=1), as_draft=True)
        archived = set_homework(w, "Archived task", NOW + datetime.timedelta(days=1))
        submission_submit(assignment=archived.assignments.get(pupil=w.classmate), text="x")
        homework_delete(homework=archived)
        set_homework(w, "Year 8 task", NOW, group=w.maths_8, teacher=w.other_teacher)

        calendar = read_feed(client, feed_url(w.pupil.user))  # no login needed

    events = events_by_summary(calendar)
    assert set(events) == {
        "Maths: Seven weeks ago",
        "Maths: Summer time deadline",
        "English: Poem",
    }
    summer_event = events["Maths: Summer time deadline"]
    start = summer_event.decoded("DTSTART")
    assert start == bst_due
    assert start.astimezone(datetime.UTC) == datetime.datetime(
        2026, 10, 20, 22, 59, tzinfo=datetime.UTC
    )
    assert summer_event.decoded("DTEND") - start == datetime.timedelta(minutes=15)
    assert summer_event.decoded("DTSTAMP") == NOW
    assignment = summer.assignments.get(pupil=w.pupil)
    task_link = f"http://testserver{reverse('planner_task', args=[assignment.pk])}"
    assert "Estimated time: 30 minutes" in str(summer_event["DESCRIPTION"])
    assert task_link in str(summer_event["DESCRIPTION"])
    assert str(summer_event["URL"]) == task_link

    poem_event = events["English: Poem"]
    assert "Estimated time: 45 minutes" in str(poem_event["DESCRIPTION"])
    assert poem_event.decoded("DTSTART") == datetime.datetime(2026, 12, 1, 16, 0, tzinfo=LONDON)
    assert str(poem_event["UID"]) == (
        f"homework-assignment-{poem.assignments.get(pupil=w.pupil).pk}@testserver"
    )


def test_each_event_keeps_its_uid_from_one_fetch_to_the_next(client, world):
    set_homework(world, "Ratios", NOW + datetime.timedelta(days=400))
    url = feed_url(world.pupil.user)
    first = [str(e["UID"]) for e in read_feed(client, url).walk("VEVENT")]
    second = [str(e["UID"]) for e in read_feed(client, url).walk("VEVENT")]
    assert first == second and len(first) == 1


def test_feed_lists_only_the_owners_tasks(client, world):
    set_homework(
        world,
        "English only",
        NOW + datetime.timedelta(days=400),
        group=world.english_7,
        teacher=world.other_teacher,
    )
    classmate_feed = read_feed(client, feed_url(world.classmate.user))
    assert classmate_feed.walk("VEVENT") == []
    assert len(read_feed(client, feed_url(world.pupil.user)).walk("VEVENT")) == 1


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 43])
def test_an_unknown_token_answers_404(client, world, token):
    assert client.get(reverse("planner_feed", args=[token])).status_code == 404


def test_a_deactivated_or_non_pupil_account_has_no_feed(client, world):
    staff_url = feed_url(world.teacher)
    assert client.get(staff_url).status_code == 404
    url = feed_url(world.pupil.user)
    world.pupil.user.is_active = False
    world.pupil.user.save()
    assert client.get(url).status_code == 404


def test_a_non_pupil_user_gets_404_on_the_calendar_page(client, world):
    client.force_login(UserFactory(school=world.school))
    assert client.get(reverse("planner_calendar")).status_code == 404


@pytest.mark.parametrize("tasks", [1, 50])
def test_feed_query_budget_does_not_grow_with_tasks(
    client, world, django_assert_num_queries, tasks
):
    for n in range(tasks):
        set_homework(world, f"Task {n}", NOW + datetime.timedelta(days=400 + n))
    url = feed_url(world.pupil.user)
    # the feed with its user and pupil, the tasks with their homework, class and subject
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.status_code == 200
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == tasks


def test_calendar_page_query_budget(client, world, django_assert_num_queries):
    calendar_feed_for(world.pupil.user)
    client.force_login(world.pupil.user)
    # session, user with their pupil record, the feed, roles (navigation)
    with django_assert_num_queries(4):
        assert client.get(reverse("planner_calendar")).status_code == 200
