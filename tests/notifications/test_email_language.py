"""Notifications reach each family in the guardian's preferred language: the subject, the
text and HTML parts, the text message and the daily digest, from the Polish and Urdu
catalogues; Urdu emails read right to left."""

from django.core import mail

from notifications import channels
from notifications.notices import COMMENDATION
from sanctions.notices import (
    DETENTION_BOOKED,
    EXCLUSION_CANCELLED,
    MEETING_CANCELLED,
    MISSED_DEADLINE,
    SANCTION_CANCELLED,
)

from .helpers import DETENTION, tell


def _speaks(guardian, language, **fields):
    guardian.preferred_language = language
    for name, value in fields.items():
        setattr(guardian, name, value)
    guardian.save()


def test_a_polish_guardian_is_sent_the_detention_notice_in_polish(
    world, django_capture_on_commit_callbacks
):
    _speaks(world.guardian, "pl")

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, DETENTION_BOOKED, **DETENTION)

    (message,) = mail.outbox
    html = message.alternatives[0].content
    assert message.subject == "Pozostanie po lekcjach: Amara, Wtorek 24 listopada"
    for part in (message.body, html):
        assert "Dzień dobry, Ngozi Okafor," in part
        assert "Amara ma wyznaczoną karę pozostania po lekcjach." in part
        assert "Termin: Wtorek 24 listopada 2026." in part
        assert "Trwa od 15:10 do 16:10. Sala B12." in part
        assert "detention" not in part
    assert "Szczegóły na stronie dla rodziców:" in message.body
    assert '<html lang="pl" dir="ltr">' in html
    assert "<dt>Sala</dt>" in html


def test_an_urdu_guardian_is_sent_a_right_to_left_email_in_urdu(world):
    _speaks(world.guardian, "ur")
    (notification,) = tell(world.pupil, MISSED_DEADLINE, homework="Fractions")

    rendered = channels.notification_render(notification)

    assert rendered.subject == "Amara سے ہوم ورک کی آخری تاریخ چھوٹ گئی"
    assert 'Amara نے "Fractions" مقررہ تاریخ تک جمع نہیں کرایا۔' in rendered.text
    assert "محترم/محترمہ Ngozi Okafor،" in rendered.text
    assert '<html lang="ur" dir="rtl">' in rendered.html
    assert "ہر تیسری بار مقررہ تاریخ گزرنے پر" in rendered.html
    assert "deadline" not in rendered.text + rendered.html


def test_an_urdu_guardian_gets_text_messages_in_urdu(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    _speaks(world.guardian, "ur", notification_channel="sms", mobile="07700900123")

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, EXCLUSION_CANCELLED, date="2026-11-24")

    (sms,) = sms_outbox
    assert sms["to"] == "07700900123"
    assert "Amara کے لیے" in sms["body"] and "منسوخ کر دیا گیا ہے" in sms["body"]
    assert "آپ کا بچہ معمول کے مطابق کلاسوں میں شریک ہوگا۔" in sms["body"]


def test_the_daily_digest_is_in_the_guardians_language(world):
    _speaks(world.guardian, "pl")
    notifications = tell(world.pupil, COMMENDATION, reason="Effort") + tell(
        world.year8_pupil, MEETING_CANCELLED
    )

    rendered = channels.digest_render(world.guardian, notifications)

    assert rendered.subject.startswith("Dzisiejsze wiadomości ze szkoły, ")
    assert "Oto dzisiejsze wiadomości ze szkoły Test Academy." in rendered.text
    assert "Amara otrzymuje wyróżnienie za: Effort." in rendered.text
    assert "Spotkanie w sprawie dziecka" in rendered.text
    assert "2 wiadomości o: " in rendered.sms  # the Polish plural of "updates about"


def test_an_english_guardians_email_stays_in_english(world):
    (notification,) = tell(world.pupil, SANCTION_CANCELLED)

    rendered = channels.notification_render(notification)

    assert rendered.subject == "Amara's detention is cancelled"
    assert "Dear Ngozi Okafor," in rendered.text
    assert '<html lang="en-gb" dir="ltr">' in rendered.html
