"""One status model: every real state a sanction can be in (built through the scheduler
and the registers, as a school would reach it) shows the same stage on every page that
shows a sanction's status: the pupil's timeline, the dashboard's lists and their CSV, and
the parents' page of the child. A booked or missed detention is never "To schedule"."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from sanctions.models import DetentionBooking, DetentionSession, Sanction, SessionKind
from sanctions.services.detentions import detention_register_save, sanction_schedule
from sanctions.stages import Stage
from tests.factories import GuardianLinkFactory, PupilFactory

from .test_detentions_scheduling import LONDON, TUE, sanction_for

Status = DetentionBooking.Status
IE = SessionKind.INTERNAL_EXCLUSION
THU, FRI = TUE + datetime.timedelta(days=2), TUE + datetime.timedelta(days=3)
BEFORE = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=LONDON)  # the Friday before
READ_AT = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=LONDON)  # the pages are read


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _session(world, day, kind=SessionKind.DETENTION):
    times = ((8, 45), (15, 15)) if kind == IE else ((15, 30), (16, 30))
    return DetentionSession.objects.create(
        school=world.school,
        kind=kind,
        date=day,
        start_time=datetime.time(*times[0]),
        end_time=datetime.time(*times[1]),
        room="Room 14" if kind == SessionKind.DETENTION else "Inclusion room",
        supervisor=world.teacher,
        capacity=10,
    )


def _mark(session, sanction, mark, now):
    """The session's supervisor takes its register at `now`."""
    booking = session.bookings.get(sanction=sanction)
    detention_register_save(
        session=session, marks={booking.pk: (mark, "")}, actor=session.supervisor, now=now
    )


class Build:
    """The states, each reached the way a school reaches it. Detentions on Tuesday 1st
    and Thursday 3rd December, internal exclusion days on Thursday and Friday."""

    def __init__(self, world, pupil):
        self.world, self.pupil = world, pupil
        self.tue = _session(world, TUE)
        self.thu = _session(world, THU)
        self.ie_thu = _session(world, THU, IE)
        self.ie_fri = _session(world, FRI, IE)

    def sanction(self):
        return sanction_for(self.world, self.pupil)

    def booked(self):
        sanction = self.sanction()
        assert sanction_schedule(sanction=sanction, now=BEFORE).session == self.tue
        return sanction

    def waiting(self):
        DetentionSession.objects.filter(kind=SessionKind.DETENTION).delete()
        return self.sanction()

    def to_check(self):
        self.pupil.young_carer = True
        self.pupil.save()
        return self.booked()

    def to_rebook(self):
        sanction = self.sanction()
        sanction_schedule(sanction=sanction, now=at(TUE, 17))  # Thursday's
        _mark(self.thu, sanction, Status.ABSENT_AUTHORISED, at(THU, 16, 30))
        return sanction

    def waiting_exclusion(self):
        sanction = self.sanction()
        sanction_schedule(sanction=sanction, now=at(TUE, 17))  # Thursday's
        _mark(self.thu, sanction, Status.ABSENT_UNAUTHORISED, at(THU, 16, 30))
        return sanction

    def exclusion_booked(self):
        sanction = self.booked()
        _mark(self.tue, sanction, Status.ABSENT_UNAUTHORISED, at(TUE, 16, 30))
        return sanction

    def exclusion_to_rebook(self):
        sanction = self.exclusion_booked()
        _mark(self.ie_thu, sanction, Status.ABSENT_AUTHORISED, at(THU, 9))
        return sanction

    def exclusion_missed(self):
        sanction = self.exclusion_booked()
        _mark(self.ie_thu, sanction, Status.ABSENT_UNAUTHORISED, at(THU, 9))
        return sanction

    def served(self):
        sanction = self.booked()
        _mark(self.tue, sanction, Status.ATTENDED, at(TUE, 16, 30))
        return sanction

    def served_by_exclusion(self):
        sanction = self.exclusion_booked()
        _mark(self.ie_thu, sanction, Status.ATTENDED, at(THU, 9))
        return sanction

    def cancelled(self):
        """Cancelled (a miss of its cycle excused) with its detention place still on
        record: it is cancelled, not booked."""
        sanction = self.booked()
        Sanction.objects.filter(pk=sanction.pk).update(
            status=Sanction.Status.CANCELLED, cancel_reason="Miss excused: bereavement"
        )
        return sanction


# state: (stage, in staff words, in the parents' words)
STATES = {
    "waiting": (
        Stage.WAITING,
        "To schedule: waiting for a detention session with room",
        "Waiting for a detention date",
    ),
    "to_check": (
        Stage.TO_CHECK,
        "Detention on Tue 01/12/2026 to check before confirming",
        "The school is arranging the detention",
    ),
    "booked": (
        Stage.BOOKED,
        "Detention booked for Tue 01/12/2026",
        "Detention booked",
    ),
    "to_rebook": (
        Stage.TO_REBOOK,
        "Absent from the detention with a reason: waiting for another session",
        "Waiting for a detention date",
    ),
    "waiting_exclusion": (
        Stage.WAITING_EXCLUSION,
        "Missed the detention without a reason: waiting for an internal exclusion day",
        "Detention missed without a reason: the school will arrange an internal exclusion day",
    ),
    "exclusion_booked": (
        Stage.EXCLUSION_BOOKED,
        "Missed the detention without a reason: internal exclusion booked for Thu 03/12/2026",
        "Detention missed: internal exclusion day booked",
    ),
    "exclusion_to_rebook": (
        Stage.EXCLUSION_TO_REBOOK,
        "Missed the internal exclusion day with a reason: waiting for another day",
        "Detention missed without a reason: the school will arrange an internal exclusion day",
    ),
    "exclusion_missed": (
        Stage.EXCLUSION_MISSED,
        "Missed the internal exclusion day on Thu 03/12/2026 without a reason: to follow up",
        "Internal exclusion day missed: the school will contact you",
    ),
    "served": (
        Stage.SERVED,
        "Served: detention attended on Tue 01/12/2026",
        "Served",
    ),
    "served_by_exclusion": (
        Stage.SERVED,
        "Served: internal exclusion day attended on Thu 03/12/2026",
        "Served",
    ),
    "cancelled": (Stage.CANCELLED, "Cancelled", "Cancelled"),
}
# The states still to serve (the dashboard's list), and those after a session missed
# without a reason (its list of unauthorised absences).
TO_SERVE = {
    "waiting",
    "to_check",
    "booked",
    "to_rebook",
    "waiting_exclusion",
    "exclusion_booked",
    "exclusion_to_rebook",
    "exclusion_missed",
}
MISSED = {
    "waiting_exclusion",
    "exclusion_booked",
    "exclusion_to_rebook",
    "exclusion_missed",
    "served_by_exclusion",
}


@pytest.fixture
def state(request, world, time_machine):
    time_machine.move_to(BEFORE, tick=False)
    pupil = PupilFactory(tutor_group=world.tg_7a, first_name="Efe", last_name="Adeyemi")
    GuardianLinkFactory(guardian=world.guardian, pupil=pupil)
    sanction = getattr(Build(world, pupil), request.param)()
    time_machine.move_to(READ_AT, tick=False)
    return request.param, pupil, Sanction.objects.get(pk=sanction.pk)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _section(html: str, heading_id: str) -> str:
    """The text of the page's <section> headed by this id."""
    start = html.index(f'id="{heading_id}"')
    return _text(html[start : html.index("</section>", start)])


every_state = pytest.mark.parametrize("state", list(STATES), indirect=True)


@every_state
def test_the_timeline_shows_where_the_sanction_stands(client, world, state):
    name, pupil, _ = state
    stage, words, _ = STATES[name]
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_pupil", args=[pupil.pk]))
    (sanction,) = response.context["timeline"].sanctions
    assert (sanction.where.stage, sanction.where.label) == (stage, words)
    shown = _section(response.content.decode(), "sanctions")
    assert words in shown
    if name != "waiting":
        assert "To schedule" not in shown
    if name == "cancelled":
        assert "Cancelled: Miss excused: bereavement" in shown


@every_state
def test_the_dashboard_and_its_csv_show_where_the_sanction_stands(client, world, state):
    name, pupil, _ = state
    stage, words, _ = STATES[name]
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_dashboard"))
    board, html = response.context["board"], response.content.decode()
    pending = [row for row in board.pending if row.sanction.pupil == pupil]
    absences = [row for row in board.absences if row.booking.sanction.pupil == pupil]
    if name in TO_SERVE:
        assert [(row.stage, row.label) for row in pending] == [(stage, words)]
        assert words in _section(html, "pending")
    else:
        assert pending == []
    if name in MISSED:
        assert {(row.where.stage, row.label) for row in absences} == {(stage, words)}
        assert words in _section(html, "absences")
    else:
        assert absences == []

    download = client.get(reverse("sanctions_dashboard"), {"format": "csv", "list": "sanctions"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    where = rows[0].index("Where it stands")
    assert [row[where] for row in rows[1:] if row[0] == pupil.full_name] == (
        [words] if name in TO_SERVE else []
    )
    download = client.get(reverse("sanctions_dashboard"), {"format": "csv", "list": "absences"})
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    followed = rows[0].index("What followed")
    assert {row[followed] for row in rows[1:] if row[0] == pupil.full_name} == (
        {words} if name in MISSED else set()
    )


@every_state
def test_the_parents_page_shows_where_the_sanction_stands(client, world, state):
    name, pupil, _ = state
    stage, _, words = STATES[name]
    client.force_login(world.parent)
    response = client.get(reverse("parents_child", args=[pupil.pk]))
    (row,) = response.context["page"].sanctions
    assert (row.where.stage, str(row.label)) == (stage, words)
    shown = _section(response.content.decode(), "sanctions")
    assert words in shown
    if name == "to_check":  # parents are told of the place once it is confirmed
        assert row.booking is None and "01/12/2026" not in shown
    if name == "booked":
        assert "Tuesday 01/12/2026, 15:30–16:30 · Room 14" in shown
    if name == "exclusion_booked":
        assert "Thursday 03/12/2026, 08:45–15:15 · Inclusion room" in shown


WAITING_LISTS = {
    "waiting": "sanctions_detentions",
    "to_rebook": "sanctions_detentions",
    "waiting_exclusion": "sanctions_exclusions",
    "exclusion_to_rebook": "sanctions_exclusions",
}


@pytest.mark.parametrize("state", list(WAITING_LISTS), indirect=True)
def test_the_detention_pages_waiting_lists_show_where_the_sanction_stands(client, world, state):
    name, pupil, sanction = state
    stage, words, _ = STATES[name]
    client.force_login(world.head_of_year)
    response = client.get(reverse(WAITING_LISTS[name]))
    (waiting,) = response.context["waiting"]
    assert (waiting, waiting.where.stage) == (sanction, stage)
    assert words in _section(response.content.decode(), "waiting")
    other = next(url for url in set(WAITING_LISTS.values()) if url != WAITING_LISTS[name])
    assert client.get(reverse(other)).context["waiting"] == []


def test_a_booked_sanction_is_no_longer_to_schedule_on_any_staff_page(client, world, time_machine):
    """The issue's example: the timeline listed a booked detention's sanction as "To
    schedule"."""
    time_machine.move_to(BEFORE, tick=False)
    Build(world, world.pupil).booked()
    client.force_login(world.head_of_year)
    timeline = client.get(reverse("sanctions_pupil", args=[world.pupil.pk])).content.decode()
    assert "To schedule" not in _section(timeline, "sanctions")
    assert "Detention booked for Tue 01/12/2026" in _section(timeline, "sanctions")
