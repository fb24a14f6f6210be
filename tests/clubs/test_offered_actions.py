"""No club page offers an action that will be refused: a session under way or over offers
no "Book", a register offers no check-in before its session starts, the rota offers no
volunteering for a session over. A club meets once at a time: the same session added
again (alone or inside a weekly series) is refused with a clear form error. And a place
is "booked" only until the pupil comes or the session ends: then it leaves the booked
lists of the pupil's clubs page, their planner and their parents' pages."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from clubs.models import Attendance, Booking, ClubSession
from clubs.services import ClubError
from clubs.services.register import attendance_check_in
from clubs.services.sessions import club_series_create, club_session_cancel, club_session_create

from .permission_rows_sessions import booking_of, club_of, session_of

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON = datetime.date(2026, 11, 23)
TUE, WED, THU, FRI = (MON + datetime.timedelta(days=n) for n in (1, 2, 3, 4))


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def offered_posts(html: str) -> list[tuple[str, dict]]:
    """Every POST form of the page's content (not the top bar's), with its hidden
    fields, as a browser would send it when its button is pressed."""
    main = html[html.index('<main id="main"') : html.index("</main>")]
    posts = []
    for attributes, body in re.findall(r"<form([^>]*)>(.*?)</form>", main, flags=re.S):
        if 'method="post"' not in attributes:
            continue
        action = unescape(re.search(r'action="([^"]*)"', attributes).group(1))
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
        fields.pop("csrfmiddlewaretoken", None)
        posts.append((action, fields))
    return posts


def _errors(response) -> list[str]:
    return [
        message.message
        for message in get_messages(response.wsgi_request)
        if message.level >= constants.WARNING
    ]


def assert_every_offer_is_accepted(client, page_url):
    offers = offered_posts(client.get(page_url).content.decode())
    for action, fields in offers:
        response = client.post(action, fields)
        assert response.status_code == 302, (action, fields, response.status_code)
        assert _errors(response) == [], (action, fields)
    return offers


@pytest.fixture
def week(world, time_machine):
    """Homework club on Thursday 15:15 to 16:15 (the pupil booked it on Monday), and on
    Friday; on Thursday too a full session, a cancelled one, and two of other clubs, at
    13:30 and 17:00, not booked."""
    time_machine.move_to(at(MON, 10), tick=False)
    w = world
    w.club = club_of(w)
    w.thu = session_of(w, w.club, day=THU)
    w.fri = session_of(w, w.club, day=FRI)
    w.full = session_of(
        w, club_of(w, name="Chess", capacity=1), day=THU, start=(16, 30), end=(17, 30)
    )
    booking_of(w, w.full, w.classmate)
    w.cancelled = session_of(w, club_of(w, name="Art"), day=THU, start=(12, 30), end=(13, 0))
    club_session_cancel(session=w.cancelled, reason="Trip", actor=w.senior_leader)
    w.later = session_of(w, club_of(w, name="Library"), day=THU, start=(17, 0), end=(18, 0))
    w.early = session_of(w, club_of(w, name="Quiz"), day=THU, start=(13, 30), end=(14, 30))
    w.thu_place = booking_of(w, w.thu)
    return w


# Nothing offered is refused ---------------------------------------------------------------


@pytest.mark.parametrize(
    "moment",
    [at(MON, 10), at(THU, 15, 15), at(THU, 15, 40), at(THU, 16, 45), at(FRI, 9)],
    ids=["days before", "starting", "under way", "over", "the day after"],
)
def test_every_book_or_cancel_button_a_pupil_is_offered_is_accepted(
    client, week, time_machine, moment
):
    time_machine.move_to(moment, tick=False)
    client.force_login(week.pupil.user)
    home = reverse("clubs_home")
    offers = assert_every_offer_is_accepted(client, home)
    for session in (week.thu, week.fri, week.full, week.cancelled, week.later, week.early):
        offers += assert_every_offer_is_accepted(
            client, reverse("clubs_session", args=[session.pk])
        )
    booked_thursday = reverse("clubs_book", args=[week.thu.pk])
    assert all(action != booked_thursday for action, _ in offers)  # booked already


def test_a_session_under_way_or_over_is_not_offered_for_booking(client, week, time_machine):
    Booking.objects.filter(pk=week.thu_place.pk).delete()
    time_machine.move_to(at(THU, 15, 0), tick=False)
    client.force_login(week.pupil.user)
    listed = client.get(reverse("clubs_home")).context["sessions"]
    assert week.thu in listed
    for moment in (at(THU, 15, 15), at(THU, 16, 45)):
        time_machine.move_to(moment, tick=False)
        page = client.get(reverse("clubs_home"))
        assert week.thu not in page.context["sessions"]
        assert reverse("clubs_book", args=[week.thu.pk]) not in page.content.decode()
        assert week.later in page.context["sessions"]  # later today: still bookable


def test_no_check_in_is_offered_before_the_session_starts_and_each_offered_is_accepted(
    client, week, time_machine
):
    week.thu.rota.create(school=week.school, staff=week.teacher)
    url = reverse("clubs_register", args=[week.thu.pk])
    time_machine.move_to(at(THU, 15, 0), tick=False)
    client.force_login(week.teacher)
    assert offered_posts(client.get(url, {"q": "Nowak"}).content.decode()) == []
    time_machine.move_to(at(THU, 15, 20), tick=False)
    offers = offered_posts(client.get(url, {"q": "Nowak"}).content.decode())
    assert len(offers) == 2  # the pupil booked, and the walk-in found by name
    for action, fields in offers:
        assert client.post(action, fields).status_code == 302
    assert Attendance.objects.count() == 2


def test_a_session_over_is_offered_to_no_volunteer_and_refused(client, week, time_machine):
    time_machine.move_to(at(THU, 16, 30), tick=False)
    client.force_login(week.lsa)
    page = client.get(reverse("clubs_rota"))
    text = page.content.decode()
    assert reverse("clubs_rota_volunteer", args=[week.thu.pk]) not in text
    assert reverse("clubs_rota_volunteer", args=[week.fri.pk]) in text
    response = client.post(reverse("clubs_rota_volunteer", args=[week.thu.pk]))
    assert response.status_code == 400
    assert "This session has already taken place." in response.content.decode()
    assert not week.thu.rota.exists()
    assert_every_offer_is_accepted(client, reverse("clubs_rota"))
    assert week.fri.rota.filter(staff=week.lsa).exists()


def test_a_leader_is_not_offered_a_session_over_to_put_staff_on(client, week, time_machine):
    time_machine.move_to(at(THU, 16, 30), tick=False)
    client.force_login(week.senior_leader)
    form = client.get(reverse("clubs_rota")).context["form"]
    offered = list(form.fields["session"].queryset)
    assert week.thu not in offered and week.fri in offered
    response = client.post(reverse("clubs_rota"), {"session": week.thu.pk, "staff": week.lsa.pk})
    assert response.status_code == 400
    assert not week.thu.rota.exists()


# The same session twice -------------------------------------------------------------------


def one_off(club, day, start, end):
    return {
        "what": "single",
        "date": day.isoformat(),
        "end_date": "",
        "start_time": start,
        "end_time": end,
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [("15:15", "16:15"), ("15:45", "16:45"), ("14:30", "15:30")],
    ids=["same time", "overlapping the end", "overlapping the start"],
)
def test_the_same_session_added_again_is_refused_with_a_form_error(client, week, start, end):
    client.force_login(week.teacher)  # the club's leader
    response = client.post(
        reverse("clubs_club", args=[week.club.pk]), one_off(week.club, THU, start, end)
    )
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "Homework club already has a session at that time on Thu 26/11/2026" in text
    assert "nothing was added" in text
    assert ClubSession.objects.filter(club=week.club, date=THU).count() == 1


def test_a_weekly_series_over_an_existing_session_adds_nothing(client, week):
    client.force_login(week.teacher)
    response = client.post(
        reverse("clubs_club", args=[week.club.pk]),
        {
            "what": "series",
            "date": MON.isoformat(),
            "end_date": (MON + datetime.timedelta(days=11)).isoformat(),
            "weekdays": ["1", "3"],
            "start_time": "15:15",
            "end_time": "16:15",
        },
    )
    assert response.status_code == 400
    assert "already has a session at that time on Thu 26/11/2026" in unescape(
        response.content.decode()
    )
    assert ClubSession.objects.filter(club=week.club).count() == 2  # Thursday and Friday


def test_another_time_another_club_or_a_cancelled_session_is_no_clash(client, week):
    club_session_create(
        club=week.club, date=THU, start_time=datetime.time(16, 15), end_time=datetime.time(17, 0)
    )
    other = club_of(week, name="Chess club")
    club_session_create(
        club=other, date=THU, start_time=datetime.time(15, 15), end_time=datetime.time(16, 15)
    )
    club_session_cancel(session=week.fri, reason="Staff training", actor=week.teacher)
    club_series_create(
        club=week.club,
        start_date=FRI,
        end_date=FRI,
        weekdays=[FRI.weekday()],
        start_time=datetime.time(15, 15),
        end_time=datetime.time(16, 15),
    )
    assert ClubSession.objects.filter(club=week.club, date=FRI).count() == 2


def test_the_service_refuses_the_same_session_however_it_is_called(week):
    with pytest.raises(ClubError, match="already has a session at that time"):
        club_session_create(
            club=week.club,
            date=THU,
            start_time=datetime.time(15, 15),
            end_time=datetime.time(16, 15),
        )
    with pytest.raises(ClubError, match="Thu 26/11/2026, Fri 27/11/2026"):
        club_series_create(
            club=week.club,
            start_date=MON,
            end_date=FRI,
            weekdays=range(5),
            start_time=datetime.time(16, 0),
            end_time=datetime.time(17, 0),
        )
    assert ClubSession.objects.filter(club=week.club).count() == 2


# Booked is what is still to come -----------------------------------------------------------


def _booked_lists(client, week):
    """The sessions each booked list shows: the pupil's clubs page and planner, the
    parent's overview card and child page."""
    client.force_login(week.pupil.user)
    home = [b.session for b in client.get(reverse("clubs_home")).context["bookings"]]
    planner = client.get(reverse("planner")).content.decode()
    client.force_login(week.parent)
    overview = client.get(reverse("parents_overview")).context["overview"]
    (card,) = [card for card in overview.cards if card.pupil == week.pupil]
    child = client.get(reverse("parents_child", args=[week.pupil.pk])).context["page"]
    return {
        "clubs page": home,
        "planner": [s for s in (week.thu, week.fri) if f"{s.date:%a %d/%m}" in planner],
        "parents' overview": [p.session for p in card.club_places],
        "parents' child page": [p.session for p in child.club_places],
    }


def test_an_attended_visit_leaves_the_booked_lists(client, week, time_machine):
    booking_of(week, week.fri)
    time_machine.move_to(at(THU, 15, 0), tick=False)
    assert set(map(tuple, _booked_lists(client, week).values())) == {(week.thu, week.fri)}
    time_machine.move_to(at(THU, 15, 20), tick=False)
    attendance_check_in(session=week.thu, pupil=week.pupil, actor=week.teacher)
    lists = _booked_lists(client, week)
    assert lists == dict.fromkeys(lists, [week.fri])
    client.force_login(week.parent)
    overview = client.get(reverse("parents_overview")).context["overview"]
    (card,) = [card for card in overview.cards if card.pupil == week.pupil]
    assert card.club_visits == 1  # a visit now, listed on the child's page
    page = client.get(reverse("parents_child", args=[week.pupil.pk])).context["page"]
    assert [visit.session for visit in page.club_visits] == [week.thu]


def test_a_session_over_without_the_pupil_leaves_the_booked_lists(client, week, time_machine):
    booking_of(week, week.fri)
    time_machine.move_to(at(THU, 16, 0), tick=False)
    lists = _booked_lists(client, week)
    assert lists == dict.fromkeys(lists, [week.thu, week.fri])  # under way: still booked
    time_machine.move_to(at(THU, 16, 15), tick=False)
    lists = _booked_lists(client, week)
    assert lists == dict.fromkeys(lists, [week.fri])
    client.force_login(week.teacher)  # their tutor sees the no-show instead
    no_shows = client.get(reverse("clubs_no_shows")).context["no_shows"]
    assert [booking.session for booking in no_shows] == [week.thu]
