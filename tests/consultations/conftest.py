"""A sent consultation open today, asked of every family of the shared world, with one
question of each kind and the school's Polish (no Urdu: Urdu readers see the English)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Consultation, Option, Question


def consultation_build(world, *, anonymous=True, opens_in=0, closes_in=7, sent=True, **fields):
    today = timezone.localdate()
    consultation = Consultation.objects.create(
        school=world.school,
        academic_year=world.academic_year,
        title="Homework at home",
        introduction="Tell us how homework works for your family.",
        translations={"pl": {"title": "Zadania domowe w domu", "introduction": "Powiedz nam."}},
        opens_on=today + timedelta(days=opens_in),
        closes_on=today + timedelta(days=closes_in),
        anonymous=anonymous,
        status=Consultation.Status.SENT if sent else Consultation.Status.DRAFT,
        sent_at=timezone.now() if sent else None,
        **fields,
    )
    questions = {}
    for position, (kind, text, polish, required) in enumerate(
        [
            (Question.Kind.SINGLE, "Do you know the homework?", "Czy znasz zadania?", True),
            (Question.Kind.MULTIPLE, "What would help?", "Co by pomogło?", False),
            (Question.Kind.SCALE, "How manageable is it?", "", True),
            (Question.Kind.TEXT, "Anything else?", "Coś jeszcze?", False),
        ],
        start=1,
    ):
        questions[kind] = Question.objects.create(
            school=world.school,
            consultation=consultation,
            position=position,
            kind=kind,
            text=text,
            translations={"pl": polish} if polish else {},
            required=required,
        )
    for kind, options in [
        (Question.Kind.SINGLE, [("Always", "Zawsze"), ("Rarely", "")]),
        (Question.Kind.MULTIPLE, [("A club", "Klub"), ("Guides", "Poradniki"), ("Texts", "SMS")]),
    ]:
        for position, (text, polish) in enumerate(options, start=1):
            Option.objects.create(
                school=world.school,
                question=questions[kind],
                position=position,
                text=text,
                translations={"pl": polish} if polish else {},
            )
    consultation.q = questions
    return consultation


def option(consultation, kind, text):
    return consultation.q[kind].options.get(text=text)


def answers_data(consultation, *, single="Always", multiple=("A club",), scale="4", text=""):
    q = consultation.q
    data = {f"q{q[Question.Kind.SCALE].pk}": scale, f"q{q[Question.Kind.TEXT].pk}": text}
    if single:
        data[f"q{q[Question.Kind.SINGLE].pk}"] = str(
            option(consultation, Question.Kind.SINGLE, single).pk
        )
    if multiple:
        data[f"q{q[Question.Kind.MULTIPLE].pk}"] = [
            str(option(consultation, Question.Kind.MULTIPLE, m).pk) for m in multiple
        ]
    return data


@pytest.fixture
def consultation(world):
    return consultation_build(world)
