"""Every fragment of every message to a family is translated or is the school's own data.

The messages are written by the real writers (a commendation, a club reward, a cancelled
club session, three missed deadlines and the detention they make, an excused miss, an
agreement reminder, a reply to a message and to a sign-off comment, the weekly digest),
plus the bookings and meetings, whose facts the sanctions engine writes, from contexts of
the same shape. Each is rendered (subject, text, HTML, text message, and all of them as
one daily digest) in a made-up language whose catalogue marks every string it is asked
for: what is left once the marked strings and the school's own data (names, titles of
homework, rooms, what staff typed) are taken out must have no words in it. A sentence
built in English in Python, a title like "Mrs", an English day name or a label stored as
text all show up as words left over. Then the same messages in Polish and Urdu carry no
English word."""

import datetime
import gettext
import html
import re

import pytest
from django.utils import timezone
from django.utils.translation import trans_real

from clubs.models import Attendance, Club
from clubs.services.register import attendance_reward
from clubs.services.sessions import club_session_cancel
from consultations import services as consultations
from homework.models import Homework
from notifications import channels, registry
from notifications.models import Notification
from parents.agreements.coverage import reminders_send
from parents.digest import weekly_digest_write
from parents.messages import message_send
from parents.models import Agreement, Message, Thread, WeeklySignOff
from parents.signoff import sign_off_reply
from sanctions.models import Commendation, Miss
from sanctions.notices import (
    DETENTION_BOOKED,
    DETENTION_MISSED,
    EXCLUSION_BOOKED,
    EXCLUSION_CANCELLED,
    MEETING_ARRANGED,
    MEETING_CANCELLED,
    SANCTION_DUE,
)
from sanctions.services.commendations import commendation_record
from sanctions.services.misses import miss_excuse, miss_record
from school.calendar import week_start
from school.models import Subject, User
from tests.clubs.register_helpers import book, make_club, make_session
from tests.consultations.conftest import consultation_build
from tests.sanctions.helpers import overdue_assignments

from .helpers import DETENTION, tell

OPEN, CLOSE = "\u27e6", "\u27e7"
MARKED = "xx"

# What staff typed and the school's records hold, used below: the school's own data.
TYPED = [
    "Homework at home",
    "Lovely work on the graphs",
    "Staff training",
    "Reading book",
    "Thank you for letting me know.",
    "Amara found the fractions hard.",
    "We will go through it on Monday.",
    "Room 4",
    "B12",
    "IE1",
    "IT1",
    "LRC",
    "Maths revision",
    "Homework club",
    "Hugo Hart",
    "Home-school agreement",
]


class Marking(gettext.NullTranslations):
    """A catalogue that 'translates' every string by marking it, so that whatever was
    not asked for stands out."""

    def gettext(self, message):
        return f"{OPEN}{message.split(chr(4))[-1]}{CLOSE}"

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)

    def to_language(self):
        return MARKED


@pytest.fixture
def marking():
    trans_real._translations[MARKED] = Marking()
    yield
    trans_real._translations.pop(MARKED, None)


def _everything_written(w):
    """Every kind of message, from the writers where they can run here."""
    now = timezone.now()
    # Sanctions: three misses complete a cycle; excusing one cancels its detention.
    misses = miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 3))
    miss_excuse(actor=w.teacher, miss=Miss.objects.get(pk=misses[0].pk), reason="Illness")
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.year8_pupil, 1))
    commendation_record(
        actor=w.teacher,
        pupil=w.pupil,
        kind=Commendation.Kind.POSITIVE_CONTACT,
        reason=Commendation.Reason.EFFORT,
        note="Lovely work on the graphs",
    )
    # Clubs: a reward after 40 minutes at homework club; a study session called off.
    club = make_club(w)
    today = make_session(club, timezone.localdate())
    Attendance.objects.create(
        school=w.school,
        session=today,
        pupil=w.pupil,
        checked_in_at=now - datetime.timedelta(minutes=40),
        checked_in_by=w.teacher,
    )
    attendance_reward(session=today, pupil=w.pupil, actor=w.teacher, now=now)
    study = make_club(w, name="Maths revision", kind=Club.Kind.STUDY_SESSION, leader=w.teacher)
    later = make_session(study, timezone.localdate() + datetime.timedelta(days=7))
    book(later, w.pupil)
    club_session_cancel(session=later, reason="Staff training", actor=w.teacher)
    # Parents: a reminder, a reply to a message and to a sign-off comment, the digest.
    Agreement.objects.create(
        school=w.school,
        academic_year=w.academic_year,
        version=1,
        status=Agreement.Status.PUBLISHED,
        published_at=now,
        title="Home-school agreement",
        school_commitments="-",
        teacher_commitments="-",
        parent_commitments="-",
        pupil_commitments="-",
    )
    reminders_send(actor=w.teacher, tutor_group=w.tg_7a)
    thread = Thread.objects.create(
        school=w.school,
        pupil=w.pupil,
        guardian=w.guardian,
        staff=w.teacher,
        subject="Reading book",
        created_at=now,
        last_message_at=now,
    )
    Message.objects.create(
        school=w.school,
        thread=thread,
        author=w.parent,
        from_guardian=True,
        body="Amara found the fractions hard.",
        sent_at=now,
    )
    message_send(
        author=w.teacher, thread=thread, body="Thank you for letting me know.", as_guardian=False
    )
    sign_off = WeeklySignOff.objects.create(
        school=w.school,
        pupil=w.pupil,
        guardian=w.guardian,
        week_start=week_start(timezone.localdate()),
        signed_by=w.parent,
        signed_at=now,
        comment="Amara found the fractions hard.",
    )
    sign_off_reply(actor=w.teacher, sign_off=sign_off, reply="We will go through it on Monday.")
    weekly_digest_write(school=w.school, week_start=week_start(timezone.localdate()))
    # Consultations: one sent, a reminder, and "you said, we did".
    consultation = consultation_build(w, sent=False)
    consultations.consultation_send(consultation=consultation, actor=w.senior_leader)
    consultations.reminders_send(consultation=consultation, actor=w.senior_leader)
    consultations.outcome_publish(
        consultation=consultation, text="-", translations={}, actor=w.senior_leader
    )
    # The sittings and meetings, in the shape the sanctions engine writes them.
    tell(w.pupil, DETENTION_BOOKED, **DETENTION)
    tell(w.pupil, EXCLUSION_BOOKED, **{**DETENTION, "room": "IE1"})
    tell(w.pupil, EXCLUSION_CANCELLED, date="2026-11-24", room="IE1")
    tell(w.pupil, DETENTION_MISSED, date="2026-11-24", start_time="15:10", room="B12")
    meeting = {
        "meeting_with": "head_of_house",
        "at": "2026-11-24T16:30:00+00:00",
        "date": "24/11/2026",
        "time": "16:30",
        "place": "Room 4",
    }
    tell(w.pupil, MEETING_ARRANGED, **meeting, rearranged=True, **{"with": "Hugo Hart"})
    tell(w.pupil, MEETING_CANCELLED, **meeting)
    tell(w.year8_pupil, SANCTION_DUE, cycle=2, detention_minutes=60, meeting_with="form_tutor")
    return list(
        Notification.objects.filter(guardian=w.guardian)
        .select_related("guardian__school", "pupil")
        .order_by("pk")
    )


def _school_data(w) -> list[str]:
    names = [w.school.name, w.guardian.first_name, w.guardian.last_name]
    names += [p.first_name for p in (w.pupil, w.year8_pupil)]
    names += [str(user) for user in User.objects.filter(school=w.school)]
    names += list(Homework.objects.values_list("title", flat=True))
    names += list(Subject.objects.values_list("name", flat=True))
    names += [str(w.academic_year.name), *TYPED]
    return sorted({n for n in names if n}, key=len, reverse=True)


def _words_left(text: str, data: list[str]) -> list[str]:
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = re.sub(r"https?://\S+", " ", text)
    while True:  # innermost marks first: a sentence holds a marked date
        unmarked = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", text)
        if unmarked == text:
            break
        text = unmarked
    for value in data:
        text = text.replace(value, " ")
    return re.findall(r"[^\W\d_]{2,}", text)


def _renders(notifications, guardian):
    for notification in notifications:
        notification.guardian = guardian
        yield notification.kind, channels.notification_render(notification)
    yield "daily digest", channels.digest_render(guardian, notifications)


def test_every_fragment_of_every_message_is_translated_or_the_schools_own(homework_world, marking):
    w = homework_world
    w.guardian.title = "Mrs"
    w.guardian.preferred_language = MARKED
    w.guardian.save()
    notifications = _everything_written(w)
    assert {n.kind for n in notifications} >= {kind.code for kind in registry.kinds()}, (
        "a kind is not covered"
    )
    data = _school_data(w)

    left = {}
    for kind, rendered in _renders(notifications, w.guardian):
        for part in ("subject", "text", "html", "sms"):
            words = _words_left(getattr(rendered, part), data)
            if words:
                left[f"{kind} {part}"] = words
            assert OPEN in getattr(rendered, part)  # it was rendered in the marking language

    assert left == {}


# English words a Polish or Urdu message must not carry (beyond the school's data).
ENGLISH = {
    "mr",
    "mrs",
    "dear",
    "the",
    "and",
    "for",
    "has",
    "been",
    "minutes",
    "working",
    "effectively",
    "at",
    "on",
    "is",
    "club",
    "session",
    "due",
    "week",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "november",
    "december",
    "effort",
    "progress",
}


@pytest.mark.parametrize("language", ["pl", "ur"])
def test_polish_and_urdu_messages_carry_no_english_word(homework_world, language):
    w = homework_world
    w.guardian.title = "Mrs"
    w.guardian.preferred_language = language
    w.guardian.save()
    notifications = _everything_written(w)
    data = _school_data(w)

    left = {}
    for kind, rendered in _renders(notifications, w.guardian):
        for part in ("subject", "text", "html", "sms"):
            words = {word.casefold() for word in _words_left(getattr(rendered, part), data)}
            if words & ENGLISH:
                left[f"{kind} {part}"] = sorted(words & ENGLISH)

    assert left == {}
