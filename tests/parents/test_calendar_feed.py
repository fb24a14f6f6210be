"""A parent's calendar feed (/parents/calendar/ and its secret .ics address): their
children's homework due dates, confirmed detention places, arranged meetings and the key
dates of their children's year groups; never another family's. An unknown token, a
pupil's token, or an address reset since answers 404; the page explains how to add it to
a phone; the feed costs the same queries for few rows or many."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from homework.models import CalendarFeed
from homework.services.planner import calendar_feed_for
from sanctions.models import DetentionBooking, DetentionSession, Sanction
from sanctions.services.policy import policy_current
from school.models import GuardianLink, KeyDate
from tests.factories import YearGroupFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
D = datetime.date


@pytest.fixture
def family(time_machine, homework_world):
    """Homework is due in three days; key dates for Year 7, Year 8 and Year 9."""
    w = homework_world
    y9 = YearGroupFactory(school=w.school, number=9)
    for title, day, years, start in [
        ("Year 7 parents' evening", D(2026, 12, 3), [w.y7], datetime.time(16, 0)),
        ("Mock exams", D(2026, 12, 7), [w.y7, w.y8], None),
        ("Year 9 options evening", D(2026, 12, 8), [y9], datetime.time(18, 0)),
    ]:
        row = KeyDate.objects.create(
            school=w.school, title=title, date=day, start_time=start, kind=KeyDate.Kind.OTHER
        )
        row.year_groups.set(years)
    KeyDate.objects.filter(title="Mock exams").update(ends_on=D(2026, 12, 11))
    return w


def feed_of(client, user):
    token = calendar_feed_for(user).token
    response = client.get(reverse("parents_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar) -> list[str]:
    return [str(event["summary"]) for event in calendar.walk("VEVENT")]


def test_the_page_gives_the_webcal_link_and_the_address_to_copy(client, family):
    client.force_login(family.parent)
    response = client.get(reverse("parents_calendar"))
    page = response.content.decode()
    token = CalendarFeed.objects.get(user=family.parent).token
    assert f'href="webcal://testserver/parents/feed/{token}.ics"' in page
    assert f'value="http://testserver/parents/feed/{token}.ics"' in page
    assert "Add to my calendar" in page and 'data-copy="feed-url"' in page


def test_the_feed_holds_the_childrens_homework_and_their_years_key_dates(client, family):
    calendar = feed_of(client, family.parent)
    names = summaries(calendar)
    assert "Amara: Maths homework due" in names
    assert "Chidi: Maths homework due" in names  # the Year 8 child's algebra
    assert "Year 7 parents' evening (Amara)" in names
    assert "Mock exams (Amara, Chidi)" in names
    assert not any("Year 9" in name or "Bartek" in name for name in names)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    evening = events["Year 7 parents' evening (Amara)"]
    assert evening.decoded("dtstart") == datetime.datetime(2026, 12, 3, 16, 0, tzinfo=LONDON)
    mocks = events["Mock exams (Amara, Chidi)"]
    assert mocks.decoded("dtstart") == D(2026, 12, 7) and mocks.decoded("dtend") == D(2026, 12, 12)


def test_detentions_and_meetings_are_in_the_feed(client, family):
    w = family
    session = DetentionSession.objects.create(
        school=w.school,
        date=datetime.date.today() + datetime.timedelta(days=2),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=10,
    )
    sanction = Sanction.objects.create(
        school=w.school,
        pupil=w.pupil,
        academic_year=w.academic_year,
        cycle=1,
        policy=policy_current(school=w.school),
        step_number=1,
        detention_minutes=60,
    )
    DetentionBooking.objects.create(
        school=w.school, sanction=sanction, session=session, status=DetentionBooking.Status.BOOKED
    )
    names = summaries(feed_of(client, w.parent))
    assert any(name.startswith("Amara: ") and "etention" in name for name in names)


def test_another_familys_feed_never_holds_these_children(client, family):
    names = summaries(feed_of(client, family.other_parent))
    assert not any("Amara" in name or "Chidi" in name for name in names)
    assert "Year 7 parents' evening (Bartek)" in names


def test_a_child_unlinked_leaves_the_feed(client, family):
    GuardianLink.objects.filter(guardian=family.guardian, pupil=family.year8_pupil).delete()
    names = summaries(feed_of(client, family.parent))
    assert not any("Chidi" in name for name in names)
    assert "Mock exams (Amara)" in names


def test_an_unknown_token_and_a_pupils_token_answer_404(client, family):
    assert client.get(reverse("parents_feed", args=["no-such-token"])).status_code == 404
    pupil_token = calendar_feed_for(family.pupil.user).token
    assert client.get(reverse("parents_feed", args=[pupil_token])).status_code == 404
    # ...and a parent's token opens no pupil's planner feed.
    parent_token = calendar_feed_for(family.parent).token
    assert client.get(reverse("planner_feed", args=[parent_token])).status_code == 404


def test_resetting_kills_the_old_address(client, family):
    old = calendar_feed_for(family.parent).token
    client.force_login(family.parent)
    assert client.get(reverse("parents_calendar_reset")).status_code == 405
    response = client.post(reverse("parents_calendar_reset"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    new = CalendarFeed.objects.get(user=family.parent).token
    assert new != old
    assert "has been reset" in page and new in page and old not in page
    client.logout()
    assert client.get(reverse("parents_feed", args=[old])).status_code == 404
    assert client.get(reverse("parents_feed", args=[new])).status_code == 200


def test_staff_and_pupils_have_no_family_calendar(client, family):
    for user in (family.teacher, family.pupil.user):
        client.force_login(user)
        assert client.get(reverse("parents_calendar")).status_code == 404
        assert client.post(reverse("parents_calendar_reset")).status_code == 404
    assert not CalendarFeed.objects.filter(user=family.teacher).exists()


def test_a_switched_off_login_has_no_feed(client, family):
    token = calendar_feed_for(family.parent).token
    family.parent.is_active = False
    family.parent.save(update_fields=["is_active"])
    assert client.get(reverse("parents_feed", args=[token])).status_code == 404


@pytest.mark.parametrize("rows", [1, 6])
def test_the_feed_costs_the_same_queries_for_few_rows_or_many(
    client, family, django_assert_num_queries, rows
):
    w = family
    for number in range(rows):
        row = KeyDate.objects.create(
            school=w.school, title=f"Extra {number}", date=D(2026, 12, 14), kind="other"
        )
        row.year_groups.set([w.y7, w.y8])
    token = calendar_feed_for(w.parent).token
    # the feed with its login; the children; the homework; the detention places; the
    # meetings; the key dates, their year groups.
    with django_assert_num_queries(7):
        response = client.get(reverse("parents_feed", args=[token]))
    assert response.content.decode().count("BEGIN:VEVENT") >= rows + 4
