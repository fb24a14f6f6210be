"""No page doubles a word the school already wrote: a room the school calls "Room 14" is
never "Room Room 14" (registers, the parents' pages, the clubs pages), a study session
named "Study session with Tess Teacher" is never followed by "with Tess Teacher" again,
and scheme-of-work units of the same title in two years are told apart wherever they
are listed."""

import datetime
import re
import zoneinfo
from html import unescape

import pytest
from django.urls import reverse

from clubs.services.sessions import (
    booking_create,
    club_create,
    club_session_create,
    study_sessions_offer,
)
from homework.models import SchemeOfWorkUnit
from sanctions.models import DetentionSession, Sanction, SessionKind
from sanctions.services.policy import policy_current

# The world is built once (at the real time, before school_rooms moves the clock) and each
# test changes a copy of it (tests/conftest.py).
pytestmark = pytest.mark.shared_world

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON = datetime.date(2026, 11, 23)
TUE, WED, THU = (MON + datetime.timedelta(days=n) for n in (1, 2, 3))

# Elements whose text runs on into the text around them; every other tag ends a run (a
# label in a <dt> and its value in a <dd> are two runs, as they read).
INLINE = r"a|span|strong|em|b|i|small|time|abbr|code"
REPEATED = re.compile(r"\b(\w+(?:\s+\w+){0,3})\s+\1\b", re.IGNORECASE)


def runs_of_text(html: str) -> list[str]:
    main = html[html.index('<main id="main"') : html.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(rf"</?(?:{INLINE})\b[^>]*>", " ", main)
    runs = re.split(r"<[^>]+>", main)
    return [" ".join(unescape(run).split()) for run in runs if run.strip()]


def doubled(html: str) -> list[str]:
    return [match.group(0) for run in runs_of_text(html) for match in REPEATED.finditer(run)]


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def school_rooms(world, time_machine):
    """Rooms as schools write them, booked and registered: a detention in "Room 14", an
    exclusion day in the "Internal exclusion room (R2)", homework club in "Room 21
    (computers)" and a teacher's study session named after her. The pages are read on
    Tuesday at 15:40, with every session under way."""
    w = world
    time_machine.move_to(at(MON, 9), tick=False)
    policy = policy_current(school=w.school)
    policy.minimum_notice_hours = 0
    policy.save()
    w.detention = DetentionSession.objects.create(
        school=w.school,
        date=TUE,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="Room 14",
        supervisor=w.teacher,
        capacity=10,
    )
    w.exclusion = DetentionSession.objects.create(
        school=w.school,
        kind=SessionKind.INTERNAL_EXCLUSION,
        date=TUE,
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Internal exclusion room (R2)",
        supervisor=w.teacher,
        capacity=5,
    )
    policy = policy_current(school=w.school)
    for pupil, session in ((w.pupil, w.detention), (w.classmate, w.exclusion)):
        sanction = Sanction.objects.create(
            school=w.school,
            pupil=pupil,
            academic_year=w.academic_year,
            cycle=1,
            policy=policy,
            step_number=1,
            detention_minutes=60,
        )
        session.bookings.create(school=w.school, sanction=sanction, kind=session.kind)

    w.club = club_create(
        school=w.school,
        name="Homework club",
        room="Room 21 (computers)",
        capacity=20,
        staff_needed=1,
        year_groups=[w.y7],
        leader=w.teacher,
    )
    w.study = study_sessions_offer(
        teacher=w.teacher, name="Study session with Tess Teacher", room="Room 9", capacity=4
    )
    w.maths_help = study_sessions_offer(
        teacher=w.teacher, name="Maths help", room="Library", capacity=4
    )
    w.club_session, w.study_session, w.help_session = (
        club_session_create(
            club=club, date=day, start_time=datetime.time(*start), end_time=datetime.time(*end)
        )
        for club, day, start, end in (
            (w.club, TUE, (15, 15), (16, 15)),
            (w.study, WED, (15, 15), (16, 0)),
            (w.maths_help, THU, (15, 15), (16, 0)),
        )
    )
    for session in (w.club_session, w.study_session):
        booking_create(session=session, pupil=w.pupil, booked_by=w.pupil.user)
    w.club_session.rota.create(school=w.school, staff=w.lsa)
    time_machine.move_to(at(TUE, 15, 40), tick=False)
    return w


STAFF_PAGES = {
    "detention register": lambda w: reverse("sanctions_detention_session", args=[w.detention.pk]),
    "exclusion register": lambda w: reverse("sanctions_exclusion_session", args=[w.exclusion.pk]),
    "detentions": lambda w: reverse("sanctions_detentions"),
    "exclusion days": lambda w: reverse("sanctions_exclusions"),
    "dashboard": lambda w: reverse("sanctions_dashboard"),
    "timeline": lambda w: reverse("sanctions_pupil", args=[w.pupil.pk]),
    "clubs": lambda w: reverse("clubs_home"),
    "club": lambda w: reverse("clubs_club", args=[w.club.pk]),
    "study sessions": lambda w: reverse("clubs_club", args=[w.study.pk]),
    "club session": lambda w: reverse("clubs_session", args=[w.club_session.pk]),
    "club register": lambda w: reverse("clubs_register", args=[w.club_session.pk]),
    "rota": lambda w: reverse("clubs_rota"),
}
PUPIL_PAGES = {
    "pupil's clubs": lambda w: reverse("clubs_home"),
    "pupil's session": lambda w: reverse("clubs_session", args=[w.study_session.pk]),
    "planner": lambda w: reverse("planner"),
}
PARENT_PAGES = {
    "overview": lambda w: reverse("parents_overview"),
    "child": lambda w: reverse("parents_child", args=[w.pupil.pk]),
    "other child": lambda w: reverse("parents_child", args=[w.year8_pupil.pk]),
}


@pytest.mark.parametrize(
    ("who", "page"),
    [("senior_leader", page) for page in STAFF_PAGES]
    + [("pupil", page) for page in PUPIL_PAGES]
    + [("parent", page) for page in PARENT_PAGES],
)
def test_no_page_doubles_a_word_of_a_room_or_a_session_name(client, school_rooms, who, page):
    w = school_rooms
    user = w.pupil.user if who == "pupil" else getattr(w, who)
    client.force_login(user)
    url = (STAFF_PAGES | PUPIL_PAGES | PARENT_PAGES)[page](w)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert doubled(html) == []


def test_the_rooms_are_shown_as_the_school_wrote_them(client, school_rooms):
    w = school_rooms
    client.force_login(w.senior_leader)
    register = client.get(reverse("sanctions_detention_session", args=[w.detention.pk]))
    assert "Room 14" in runs_of_text(register.content.decode())
    exclusion = client.get(reverse("sanctions_exclusion_session", args=[w.exclusion.pk]))
    assert "Internal exclusion room (R2)" in runs_of_text(exclusion.content.decode())
    club_register = client.get(reverse("clubs_register", args=[w.club_session.pk]))
    assert "Room 21 (computers)" in runs_of_text(club_register.content.decode())
    rota = client.get(reverse("clubs_rota")).context["form"]
    labels = [label for _, label in rota.fields["session"].choices]
    assert "Homework club: Tue 24/11/2026 15:15, Room 21 (computers)" in labels
    client.force_login(w.parent)
    child = client.get(reverse("parents_child", args=[w.pupil.pk])).content.decode()
    assert "· Room 14" in " ".join(runs_of_text(child))


def test_a_study_session_names_its_teacher_once(client, school_rooms):
    w = school_rooms
    client.force_login(w.pupil.user)
    text = " ".join(runs_of_text(client.get(reverse("clubs_home")).content.decode()))
    assert "Study session with Tess Teacher" in text
    assert "Tess Teacher with Tess Teacher" not in text
    assert "Maths help with Tess Teacher" in text  # a name that does not say who: added
    session = client.get(reverse("clubs_session", args=[w.study_session.pk])).content.decode()
    assert "A study session with" not in session
    session = client.get(reverse("clubs_session", args=[w.help_session.pk])).content.decode()
    assert "A study session with Tess Teacher." in session


def test_units_of_the_same_title_in_two_years_are_told_apart_when_setting(client, world):
    world.maths_8.teachers.add(world.teacher)
    for year in (world.y7, world.y8):
        SchemeOfWorkUnit.objects.create(
            school=world.school, subject=world.maths, year_group=year, title="Fractions"
        )
    client.force_login(world.teacher)
    form = client.get(reverse("homework_new")).context["form"]
    options = [
        label
        for _, group in form.fields["unit"].choices
        if isinstance(group, list)
        for _, label in group
    ]
    assert sorted(options) == ["Fractions (Maths, Year 7)", "Fractions (Maths, Year 8)"]


def test_the_check_finds_a_doubled_room_and_a_doubled_teacher():
    """The check itself: what the pages used to say is caught."""
    page = '<main id="main"><p>Tue · Room Room 14</p><li><a>Study session with Tess Teacher</a>'
    page += '<span class="badge">with Tess Teacher</span></li></main>'
    assert doubled(page) == ["Room Room", "with Tess Teacher with Tess Teacher"]
    assert doubled('<main id="main"><dt>Room</dt><dd>Room 14</dd></main>') == []


@pytest.mark.parametrize(
    ("language", "room", "said"),
    [
        ("en-gb", "Room 14", "Room 14."),
        ("en-gb", "Music room", "Music room."),
        ("en-gb", "B12", "Room B12."),
        ("pl", "B12", "Sala B12."),
    ],
)
@pytest.mark.parametrize("kind", ["detention_booked", "exclusion_booked"])
def test_messages_to_families_name_a_room_once(world, kind, language, room, said):
    from notifications.channels import notification_render
    from notifications.services import notification_write

    world.guardian.preferred_language = language
    world.guardian.save()
    facts = {"date": "2026-11-24", "start_time": "15:30", "end_time": "16:30", "room": room}
    notification = notification_write(
        school_id=world.school.pk,
        guardian_id=world.guardian.pk,
        pupil_id=world.pupil.pk,
        kind=kind,
        context=facts,
    )
    rendered = notification_render(notification)
    for text in (rendered.text, rendered.sms):
        assert said in text
        assert [m.group(0) for m in REPEATED.finditer(" ".join(text.split()))] == []
