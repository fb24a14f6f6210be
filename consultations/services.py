"""Writes: a leader writes a consultation and its questions, sends it (families asked are
told, in their language, through the outbox), reminds those who have not answered, tags
free-text answers and publishes "you said, we did"; a guardian answers (once, changeable
until it closes)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from notifications.services import notification_write
from school.models import Guardian, GuardianLink, User

from . import notices
from .models import Answer, Consultation, Option, Outcome, Question, Response, Tag
from .selectors import guardians_asked, pupils_in_audience
from .texts import LANGUAGE_CODES

REMINDER_INTERVAL = timedelta(days=2)


class ConsultationError(Exception):
    """A write refused, with the message to show."""


# Writing


@transaction.atomic
def consultation_save(
    *, consultation: Consultation, fields: dict, year_groups, tutor_groups, actor: User
) -> Consultation:
    """Create or change a draft: its texts, dates, audience and what it is attached to."""
    if consultation.pk and consultation.is_sent:
        raise ConsultationError("A consultation that has been sent cannot be changed.")
    for name, value in fields.items():
        setattr(consultation, name, value)
    if consultation.pk is None:
        consultation.created_by = actor
    consultation.save()
    consultation.year_groups.set(year_groups)
    consultation.tutor_groups.set(tutor_groups)
    return consultation


@transaction.atomic
def question_add(
    *,
    consultation: Consultation,
    kind: str,
    text: str,
    required: bool,
    translations: dict,
    options: list[str],
    option_translations: dict[str, list[str]],
) -> Question:
    """Add a question at the end; `options` (single or multiple choice) in order, with
    each language's option texts in the same order."""
    Consultation.objects.select_for_update().filter(pk=consultation.pk).exists()
    if Consultation.objects.filter(pk=consultation.pk, status=Consultation.Status.SENT).exists():
        raise ConsultationError("A consultation that has been sent cannot be changed.")
    last = consultation.questions.aggregate(last=Max("position"))["last"]
    position = (last or 0) + 1
    question = Question.objects.create(
        school_id=consultation.school_id,
        consultation=consultation,
        position=position,
        kind=kind,
        text=text,
        required=required,
        translations={k: v for k, v in translations.items() if v},
    )
    if question.has_options:
        Option.objects.bulk_create(
            Option(
                school_id=consultation.school_id,
                question=question,
                position=n,
                text=option,
                translations={
                    lang: texts[n - 1]
                    for lang, texts in option_translations.items()
                    if n - 1 < len(texts) and texts[n - 1]
                },
            )
            for n, option in enumerate(options, start=1)
        )
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    consultation = Consultation.objects.select_for_update().get(pk=question.consultation_id)
    if consultation.is_sent:
        raise ConsultationError("A consultation that has been sent cannot be changed.")
    question.delete()


# Sending and reminding


def _family_events(consultation: Consultation, guardian_ids) -> list[tuple[int, int]]:
    """(guardian id, one of their children asked) for each guardian, the eldest first so
    that the message names one child however many are asked."""
    links = (
        GuardianLink.objects.filter(
            guardian_id__in=guardian_ids, pupil__in=pupils_in_audience(consultation)
        )
        .order_by("guardian_id", "pupil__date_of_birth", "pupil_id")
        .values_list("guardian_id", "pupil_id")
    )
    chosen = {}
    for guardian_id, pupil_id in links:
        chosen.setdefault(guardian_id, pupil_id)
    return list(chosen.items())


def _notify(consultation: Consultation, kind: str, guardian_ids) -> int:
    translations = consultation.translations or {}
    context = {
        "title": consultation.title,
        "title_translations": {
            lang: translations[lang]["title"]
            for lang in LANGUAGE_CODES
            if isinstance(translations.get(lang), dict) and translations[lang].get("title")
        },
        # Their overview, where it is answered (and "you said, we did" is shown).
        "path": reverse("parents_overview"),
    }
    if kind != notices.CONSULTATION_OUTCOME:  # the day it closes
        context["date"] = consultation.closes_on.isoformat()
    written = 0
    for guardian_id, pupil_id in _family_events(consultation, guardian_ids):
        notification_write(
            school_id=consultation.school_id,
            guardian_id=guardian_id,
            pupil_id=pupil_id,
            kind=kind,
            context=context,
        )
        written += 1
    return written


@transaction.atomic
def consultation_send(*, consultation: Consultation, actor: User, now=None) -> int:
    """Send a complete draft: every family asked is told (once, naming one child), in
    their language and by their own channel. Returns how many families were told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.is_sent:
        raise ConsultationError("This consultation has already been sent.")
    if consultation.closes_on < timezone.localdate(now):
        raise ConsultationError("It closes before today: change its dates before sending it.")
    questions = list(consultation.questions.prefetch_related("options"))
    if not questions or any(q.has_options and len(q.options.all()) < 2 for q in questions):
        raise ConsultationError("Every question needs its answers before it can be sent.")
    consultation.status = Consultation.Status.SENT
    consultation.sent_at = now
    consultation.sent_by = actor
    consultation.save(update_fields=["status", "sent_at", "sent_by"])
    return _notify(
        consultation, notices.CONSULTATION_SENT, guardians_asked(consultation).values("pk")
    )


@dataclass
class Reminded:
    families: int
    too_soon: bool = False


@transaction.atomic
def reminders_send(*, consultation: Consultation, actor: User | None, now=None) -> Reminded:
    """Remind the families asked who have not answered yet, while it is open; at most once
    every two days (two clicks at once remind once). `actor` is None for the daily job
    (consultations/tasks.py)."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_open(timezone.localdate(now)):
        raise ConsultationError("Reminders go only while the consultation is open.")
    if consultation.reminded_at and consultation.reminded_at > now - REMINDER_INTERVAL:
        return Reminded(0, too_soon=True)
    waiting = guardians_asked(consultation).exclude(
        consultation_responses__consultation=consultation
    )
    families = _notify(consultation, notices.CONSULTATION_REMINDER, waiting.values("pk"))
    consultation.reminded_at = now
    consultation.save(update_fields=["reminded_at"])
    return Reminded(families)


# Answering


def response_save(
    *,
    consultation: Consultation,
    guardian_id: int,
    answers: dict,
    language: str,
    now=None,
) -> tuple[Response, bool]:
    """Save the guardian's answers, replacing any earlier ones, while the consultation is
    open. `answers` maps each question to option ids, a scale point or a text. Returns
    (response, whether it was new). Two submissions at once: one response, the later
    answers kept."""
    now = now or timezone.now()
    if not consultation.is_open(timezone.localdate(now)):
        raise ConsultationError("closed")
    try:
        return _response_write(consultation, guardian_id, answers, language, now)
    except IntegrityError:
        # The other submission created the response between our look and our insert.
        return _response_write(consultation, guardian_id, answers, language, now)


@transaction.atomic
def _response_write(consultation, guardian_id, answers, language, now):
    Guardian.objects.select_for_update().filter(pk=guardian_id).exists()
    response = (
        Response.objects.select_for_update()
        .filter(consultation=consultation, guardian_id=guardian_id)
        .first()
    )
    created = response is None
    if created:
        response = Response.objects.create(
            school_id=consultation.school_id,
            consultation=consultation,
            guardian_id=guardian_id,
            language=language,
            submitted_at=now,
            updated_at=now,
        )
    else:
        response.language = language
        response.updated_at = now
        response.save(update_fields=["language", "updated_at"])
        response.answers.all().delete()
    rows = []
    for question in consultation.questions.all():
        value = answers.get(question.pk)
        if value in (None, "", []):
            continue
        base = {"school_id": consultation.school_id, "response": response, "question": question}
        if question.kind == Question.Kind.SCALE:
            rows.append(Answer(**base, scale=int(value)))
        elif question.kind == Question.Kind.TEXT:
            rows.append(Answer(**base, text=value))
        else:
            ids = value if isinstance(value, list) else [value]
            rows += [Answer(**base, option_id=int(option_id)) for option_id in ids]
    Answer.objects.bulk_create(rows)
    return response, created


# Tags and "you said, we did"


@transaction.atomic
def tag_create(*, school_id: int, name: str) -> Tag:
    tag, _created = Tag.objects.get_or_create(school_id=school_id, name=name)
    return tag


@transaction.atomic
def answer_tags_set(*, answer: Answer, tags) -> None:
    answer.tags.set(tags)


@transaction.atomic
def outcome_publish(
    *, consultation: Consultation, text: str, translations: dict, actor: User, now=None
) -> Outcome:
    """Publish what the school changed because of the answers: every family asked sees it
    on their overview and is told."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.is_sent:
        raise ConsultationError("Send the consultation before saying what changed.")
    outcome = Outcome.objects.create(
        school_id=consultation.school_id,
        consultation=consultation,
        text=text,
        translations={k: v for k, v in translations.items() if v},
        published_at=now,
        published_by=actor,
    )
    _notify(consultation, notices.CONSULTATION_OUTCOME, guardians_asked(consultation).values("pk"))
    return outcome


def default_dates(today: date) -> tuple[date, date]:
    return today, today + timedelta(days=14)
