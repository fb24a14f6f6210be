"""How a notification reaches a family: the message rendered in the guardian's language
and the school's time zone, then handed to a channel (Django's email backend, or an SMS
provider chosen by the SMS_PROVIDER setting). Nothing here touches the outbox rows'
state: notifications/delivery.py claims, sends through here and records."""

import datetime
import logging
import uuid
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

from school.language import guardian_salutation

from . import events, registry
from .models import Channel, Notification

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A send that did not happen. `permanent` ones (no address to send to) are not
    worth retrying: they fail at once, with the reason, for staff to see."""

    def __init__(self, message, *, permanent=False):
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


# SMS providers: anything with send(to=, body=) returning the provider's message id.


class ConsoleSMSProvider:
    """Writes each text message to the log: for development, where nothing is sent."""

    def send(self, *, to: str, body: str) -> str:
        message_id = f"console-{uuid.uuid4()}"
        logger.info("SMS to %s (%s):\n%s", to, message_id, body)
        return message_id


class LocmemSMSProvider:
    """Keeps each text message in `LocmemSMSProvider.outbox` (like mail.outbox) for tests.
    Setting `failures` to n makes the next n sends fail as an unreachable provider would."""

    outbox: list[dict] = []
    failures = 0

    def send(self, *, to: str, body: str) -> str:
        if LocmemSMSProvider.failures > 0:
            LocmemSMSProvider.failures -= 1
            raise DeliveryError("The SMS provider did not answer.")
        message_id = f"locmem-{len(LocmemSMSProvider.outbox) + 1}"
        LocmemSMSProvider.outbox.append({"to": to, "body": body, "id": message_id})
        return message_id


def sms_provider():
    return import_string(settings.SMS_PROVIDER)()


# Rendering


def _site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _parse_date(value):
    """A context's date as a date: ISO (2026-11-24) or UK (24/11/2026); None otherwise."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def _parse_moment(value):
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _parse_due(value):
    """A task's due time: ISO with its offset, or dd/mm/yyyy HH:MM in the school's time
    zone (rows written before ISO); None otherwise (shown as written)."""
    moment = _parse_moment(value)
    if moment is not None or not isinstance(value, str):
        return moment
    try:
        return timezone.make_aware(datetime.datetime.strptime(value, "%d/%m/%Y %H:%M"))
    except ValueError:
        return None


def _facts(context) -> dict:
    """An event's facts as the templates use them: the context as written, with its
    date and time parsed so that they are shown in the reader's language. Every key is
    optional. Shown when present: date (ISO or dd/mm/yyyy), at (ISO date-time), time,
    start_time, end_time, room, place, with, rearranged, cycle,
    detention_minutes, kind, reason, note, homework, subject, club, title, academic_year,
    from, reply, week_start, comment, tasks (a list of {title, subject, due} for the
    weekly digest), path (the page of the site the message links to) and the codes whose
    words an app registers (`<fact>_label`, notifications/registry.py)."""
    context = context if isinstance(context, dict) else {}
    facts = dict(context)
    facts["on_date"] = _parse_date(context.get("date"))
    facts["moment"] = _parse_moment(context.get("at"))
    tasks = context.get("tasks")
    facts["tasks"] = [
        task if isinstance(task, dict) else {"title": str(task)}
        for task in (tasks if isinstance(tasks, list) else [])
    ]
    # Facts stored as codes and dates, put in the reader's words when rendered.
    facts["tasks"] = [{**task, "due_at": _parse_due(task.get("due"))} for task in facts["tasks"]]
    facts["week_start_date"] = _parse_date(context.get("week_start"))
    facts.update(registry.labels_for(context))
    language = translation.get_language()
    for name, variants in context.items():
        # e.g. title_translations: {"pl": ...}, the school's own text in other languages
        if name.endswith("_translations") and isinstance(variants, dict):
            plain = name.removesuffix("_translations")
            facts[plain] = variants.get(language) or context.get(plain, "")
    return facts


def _part_facts(part: dict) -> dict:
    """A part's facts, with those of each later event about the same thing that it took
    in under that event's kind (e.g. facts.detention_booked.on_date)."""
    facts = _facts(part["facts"])
    for kind, absorbed in part["with"].items():
        facts[kind] = _facts(absorbed)
    return facts


def _common(guardian) -> dict:
    return {
        "guardian": guardian,
        "guardian_name": guardian_salutation(guardian),
        "school_name": guardian.school.name,
        "family_url": _site_link(registry.family_page()),
        "preferences_url": _site_link(reverse("notification_preferences")),
        "lang": translation.get_language(),
        "rtl": translation.get_language_bidi(),
    }


def _in_guardians_language(guardian):
    """The guardian's language and the school's time zone, for everything rendered."""
    return translation.override(guardian.preferred_language), timezone.override(
        guardian.school.time_zone
    )


def _render_one(notification: Notification) -> dict:
    """The subject and the core message (plain text) of one notification: the subject is
    its headline part's, the message every part's text in the order the family reads
    them. Rendered from the parts as they stand when it is sent (delivery._restate), each
    with the templates its kind's app registered."""
    parts = events.parts_of(notification)
    kinds = {part["kind"] for part in parts}
    base = {
        **_common(notification.guardian),
        "notification": notification,
        "pupil_name": notification.pupil.first_name,
        "kinds": kinds,
    }
    texts, context = [], None
    headline = events.headline(parts)
    for part in parts:
        facts = _part_facts(part)
        path = facts.get("path")
        part_context = {**base, "facts": facts}
        if isinstance(path, str) and path.startswith("/") and not path.startswith("//"):
            part_context["family_url"] = _site_link(path)  # the page the event is about
        template = registry.kind(part["kind"]).template(".txt")
        texts.append(render_to_string(template, part_context).strip())
        if part is headline:
            context = part_context
    kind = registry.kind(headline["kind"])
    context["subject"] = " ".join(render_to_string(kind.template("_subject.txt"), context).split())
    context["message"] = "\n\n".join(text for text in texts if text)
    context["message_html_template"] = kind.template(".html")
    return context


def notification_render(notification: Notification) -> Rendered:
    """One notification as an email (subject, text, HTML) and as a text message."""
    language, zone = _in_guardians_language(notification.guardian)
    with language, zone:
        context = _render_one(notification)
        return Rendered(
            subject=context["subject"],
            text=render_to_string("notifications/email/base.txt", context),
            html=render_to_string(context["message_html_template"], context),
            sms=render_to_string("notifications/sms.txt", context).strip(),
        )


def digest_render(guardian, notifications: list[Notification]) -> Rendered:
    """One message for a guardian: each child's notifications of the day, child by child."""
    language, zone = _in_guardians_language(guardian)
    with language, zone:
        ordered = sorted(notifications, key=lambda n: (n.pupil.first_name, n.pupil_id, n.pk))
        children = [
            {"name": pupil_name, "items": [_render_one(n) for n in items]}
            for (pupil_name, _pupil_id), items in groupby(
                ordered, key=lambda n: (n.pupil.first_name, n.pupil_id)
            )
        ]
        context = {
            **_common(guardian),
            "children": children,
            "count": len(notifications),
            "day": timezone.localdate(),
        }
        subject = " ".join(
            render_to_string("notifications/email/digest_subject.txt", context).split()
        )
        context["subject"] = subject
        return Rendered(
            subject=subject,
            text=render_to_string("notifications/email/digest.txt", context),
            html=render_to_string("notifications/email/digest.html", context),
            sms=render_to_string("notifications/sms_digest.txt", context).strip(),
        )


# Channels


def address_of(guardian, channel: str) -> str:
    return (guardian.mobile if channel == Channel.SMS else guardian.email).strip()


def channel_for(guardian) -> str:
    """The guardian's chosen channel, or the other one when the chosen one has no address
    (a detention notice by email beats none by text); the chosen one when neither has."""
    chosen = Channel(guardian.notification_channel or Channel.EMAIL)
    if address_of(guardian, chosen):
        return chosen
    other = Channel.SMS if chosen == Channel.EMAIL else Channel.EMAIL
    return other if address_of(guardian, other) else chosen


def message_id_for(delivery_id: int) -> str:
    """The Message-ID of a delivery's email, the same on every try: the delivery's id,
    signed with the site's key so that two installations never make the same one."""
    token = salted_hmac("notifications.message-id", str(delivery_id)).hexdigest()[:16]
    host = urlsplit(settings.SITE_URL).hostname or "homework"
    return f"<delivery.{delivery_id}.{token}@{host}>"


class EmailConnection:
    """One connection to the mail server for a batch of emails: opened for the first,
    kept for the next ones, and opened afresh after `limit` messages (servers cap what
    one connection may carry) or after a failed send (a broken one is never reused)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.backend = None
        self.carried = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def open(self):
        if self.backend is not None and self.carried >= self.limit:
            self.close()
        if self.backend is None:
            self.backend = get_connection()
            self.carried = 0
        self.backend.open()  # kept open: the backend closes only what it opened itself
        self.carried += 1
        return self.backend

    def close(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:  # noqa: BLE001 - what was sent is recorded; a QUIT can fail
                logger.warning("Closing the mail server connection failed.", exc_info=True)


def message_send(
    *,
    guardian,
    channel: str,
    rendered: Rendered,
    message_id: str = "",
    connection: EmailConnection | None = None,
) -> str:
    """Send by `channel`; returns the provider's message id, raises DeliveryError. An
    email carries `message_id` (a fresh one when none is given) and goes over
    `connection` when one is given (a batch's), else over a connection of its own."""
    if channel == Channel.SMS:
        if not guardian.mobile.strip():
            raise DeliveryError(
                "The guardian has no mobile number or email address.", permanent=True
            )
        try:
            return sms_provider().send(to=guardian.mobile.strip(), body=rendered.sms)
        except DeliveryError:
            raise
        except Exception as error:  # noqa: BLE001 - any provider failure is retried
            raise DeliveryError(f"SMS provider: {error}") from error
    if not guardian.email.strip():
        raise DeliveryError("The guardian has no email address or mobile number.", permanent=True)
    message_id = message_id or f"<{uuid.uuid4()}@homework>"
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        to=[guardian.email.strip()],
        headers={"Message-ID": message_id},
    )
    message.attach_alternative(rendered.html, "text/html")
    try:
        if connection is not None:
            message.connection = connection.open()
        message.send()
    except Exception as error:  # noqa: BLE001 - SMTP and socket errors alike are retried
        if connection is not None:
            connection.close()
        raise DeliveryError(f"Email: {error}") from error
    return message_id
