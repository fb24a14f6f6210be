"""What the family reads: a subject, a text and an HTML part for every kind, with the
pupil's first name, the school's name, the event's facts and a link to the parents' site,
rendered in the guardian's language (Polish and Urdu catalogues come later: here the
language shows in the lang/dir attributes and Django's own day and month names)."""

from django.core import mail

from clubs.notices import CLUB_SESSION_CANCELLED
from consultations.notices import (
    CONSULTATION_OUTCOME,
    CONSULTATION_REMINDER,
    CONSULTATION_SENT,
)
from notifications import channels, registry
from notifications.notices import COMMENDATION
from parents.notices import AGREEMENT_REMINDER, MESSAGE_REPLY, WEEKLY_DIGEST
from sanctions.notices import (
    DETENTION_BOOKED,
    DETENTION_MISSED,
    EXCLUSION_BOOKED,
    EXCLUSION_CANCELLED,
    MEETING_ARRANGED,
    MEETING_CANCELLED,
    MISSED_DEADLINE,
    SANCTION_CANCELLED,
    SANCTION_DUE,
)

from .helpers import DETENTION, tell

# What each kind's writer puts in the context today (sanctions/*.py), and for the kinds
# the parents' pages will write, the keys notifications/channels.py shows.
CONTEXTS = {
    MISSED_DEADLINE: {"assignment": 1},
    SANCTION_DUE: {"cycle": 1, "detention_minutes": 60, "meeting_with": "form_tutor"},
    SANCTION_CANCELLED: {"cycle": 1},
    DETENTION_BOOKED: DETENTION,
    EXCLUSION_BOOKED: {**DETENTION, "start_time": "08:40", "end_time": "15:10"},
    EXCLUSION_CANCELLED: {"date": "2026-11-24", "room": "IE1"},
    MEETING_ARRANGED: {
        "meeting_with": "head_of_house",
        "at": "2026-11-24T16:30:00+00:00",
        "date": "24/11/2026",
        "time": "16:30",
        "place": "Room 4",
        "with": "Hugo Hart",
        "rearranged": False,
    },
    MEETING_CANCELLED: {
        "meeting_with": "form_tutor",
        "at": "2026-11-24T16:30:00+00:00",
        "date": "24/11/2026",
        "time": "16:30",
        "place": "Room 4",
    },
    COMMENDATION: {
        "kind": "commendation",
        "reason": "Completed homework",
        "note": "Lovely work",
        "homework": "Fractions",
    },
    DETENTION_MISSED: {"date": "2026-11-24", "room": "B12"},
    WEEKLY_DIGEST: {
        "tasks": [{"title": "Fractions", "subject": "Maths", "due": "Thursday"}, "Poem"]
    },
    AGREEMENT_REMINDER: {
        "title": "Our home-school agreement",
        "version": 1,
        "academic_year": "2026/27",
        "pupil_first_name": "Amara",
        "path": "/parents/agreement/",
    },
    MESSAGE_REPLY: {
        "about": "message",
        "from": "Ms Teacher",
        "subject": "Reading book",
        "reply": "Thank you for letting me know.",
        "path": "/parents/messages/1/",
    },
    CLUB_SESSION_CANCELLED: {
        "club": "Homework club",
        "date": "2026-11-24",
        "start_time": "15:10",
        "end_time": "16:10",
        "room": "LRC",
        "reason": "Staff training",
    },
    CONSULTATION_SENT: {"title": "Homework at home", "date": "2026-11-24", "path": "/parents/"},
    CONSULTATION_REMINDER: {
        "title": "Homework at home",
        "date": "2026-11-24",
        "path": "/parents/",
    },
    CONSULTATION_OUTCOME: {"title": "Homework at home", "path": "/parents/"},
}
# Kinds about the family rather than one child: the child is named in the message only.
NOT_ABOUT_ONE_CHILD = {
    CLUB_SESSION_CANCELLED,
    CONSULTATION_SENT,
    CONSULTATION_REMINDER,
    CONSULTATION_OUTCOME,
}
FACTS = {
    SANCTION_DUE: ["60-minute", "the form tutor"],
    DETENTION_BOOKED: ["Tuesday 24 November 2026", "15:10", "16:10", "B12"],
    EXCLUSION_BOOKED: ["Tuesday 24 November 2026", "08:40", "B12"],
    EXCLUSION_CANCELLED: ["Tuesday 24 November 2026"],
    MEETING_ARRANGED: ["Tuesday 24 November 2026", "16:30", "Room 4", "head of house"],
    MEETING_CANCELLED: ["Tuesday 24 November 2026", "16:30"],
    COMMENDATION: ["Completed homework", "Fractions", "Lovely work"],
    DETENTION_MISSED: ["Tuesday 24 November 2026"],
    WEEKLY_DIGEST: ["Fractions (Maths): due Thursday", "- Poem"],
    AGREEMENT_REMINDER: ["2026/27", "https://homework.example.org/parents/agreement/"],
    MESSAGE_REPLY: [
        "Ms Teacher",
        "Reading book",
        "Thank you for letting me know.",
        "https://homework.example.org/parents/messages/1/",
    ],
    CLUB_SESSION_CANCELLED: ["Tuesday 24 November 2026", "Staff training"],
    CONSULTATION_SENT: ["Homework at home", "Tuesday 24/11/2026"],
    CONSULTATION_REMINDER: ["Homework at home", "Tuesday 24/11/2026"],
    CONSULTATION_OUTCOME: ["Homework at home"],
}


def test_every_kind_has_its_context_here():
    assert set(CONTEXTS) == {kind.code for kind in registry.kinds()}


def _sent(world, kind, context, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, kind, **context)
    (message,) = mail.outbox
    return message, message.alternatives[0].content


def test_every_kind_is_sent_as_text_and_html_with_the_facts(
    world, django_capture_on_commit_callbacks
):
    for kind in CONTEXTS:
        mail.outbox.clear()
        message, html = _sent(world, kind, CONTEXTS[kind], django_capture_on_commit_callbacks)

        assert message.subject and "\n" not in message.subject, kind
        assert "Amara" in message.subject or kind in NOT_ABOUT_ONE_CHILD, kind
        for part in (message.body, html):
            assert "Amara" in part, kind
            assert "Test Academy" in part, kind
            assert "https://homework.example.org/parents/" in part, kind
            assert "https://homework.example.org/notifications/" in part, kind
            assert "Okafor" in part, kind  # the greeting names the guardian
            for fact in FACTS.get(kind, []):
                assert fact in part.replace("&#x27;", "'"), (kind, fact, part)
        assert "&#x27;" not in message.body and "&amp;" not in message.body, kind
        assert '<html lang="en-gb" dir="ltr">' in html, kind


def test_every_kind_renders_when_its_context_is_empty(world):
    for kind in CONTEXTS:
        (notification,) = tell(world.pupil, kind)

        rendered = channels.notification_render(notification)

        assert "Amara" in rendered.text and "Test Academy" in rendered.html, kind
        assert rendered.subject and rendered.sms, kind


def test_a_polish_speaking_guardian_gets_the_email_in_polish(
    world, django_capture_on_commit_callbacks
):
    world.guardian.preferred_language = "pl"
    world.guardian.save()

    message, html = _sent(world, DETENTION_BOOKED, DETENTION, django_capture_on_commit_callbacks)

    assert '<html lang="pl" dir="ltr">' in html
    assert "Wtorek 24 listopada 2026" in html
    assert "Wtorek 24 listopada 2026" in message.body


def test_an_urdu_speaking_guardian_gets_a_right_to_left_email(
    world, django_capture_on_commit_callbacks
):
    world.guardian.preferred_language = "ur"
    world.guardian.save()

    message, html = _sent(world, DETENTION_BOOKED, DETENTION, django_capture_on_commit_callbacks)

    assert '<html lang="ur" dir="rtl">' in html
    assert "Tuesday" not in message.body


def test_a_meeting_time_is_shown_in_the_schools_time_zone(
    world, django_capture_on_commit_callbacks
):
    context = {**CONTEXTS[MEETING_ARRANGED], "at": "2026-06-02T15:30:00+00:00"}

    message, _html = _sent(world, MEETING_ARRANGED, context, django_capture_on_commit_callbacks)

    assert "Tuesday 2 June 2026 at 16:30" in message.body  # British Summer Time


def test_text_from_the_context_is_escaped_in_the_html(world, django_capture_on_commit_callbacks):
    context = {**CONTEXTS[COMMENDATION], "note": "<script>alert(1)</script>"}

    message, html = _sent(world, COMMENDATION, context, django_capture_on_commit_callbacks)

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in message.body
