"""A guardian's answers in their subject access export, the retention rule, erasure, and
the demo school's consultation."""

import random
from datetime import timedelta

from django.utils import timezone

from consultations import services
from consultations.demo import demo_consultations_build, demo_consultations_delete
from consultations.models import Answer, Consultation, Question, Response
from consultations.privacy_erasure import written_answers_clear
from consultations.privacy_export import guardian_answers
from consultations.privacy_retention import responses_due
from privacy.registry import ExportContext

from .conftest import consultation_build


def test_a_guardians_answers_are_in_their_export_and_nobody_elses(world, consultation):
    services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={
            consultation.q[Question.Kind.SCALE].pk: "4",
            consultation.q[Question.Kind.TEXT].pk: "More clubs",
        },
        language="en-gb",
    )
    rows = list(guardian_answers(world.guardian, ExportContext()))
    assert [(r["Question"], r["Answer"]) for r in rows] == [
        ("How manageable is it?", "4"),
        ("Anything else?", "More clubs"),
    ]
    assert list(guardian_answers(world.other_guardian, ExportContext())) == []


def test_answers_are_due_for_deletion_once_closed_for_the_period(world):
    closed = consultation_build(world, opens_in=-40, closes_in=-30)
    open_now = consultation_build(world)
    for consultation in (closed, open_now):
        Response.objects.create(
            school=world.school,
            consultation=consultation,
            guardian=world.guardian,
            submitted_at=timezone.now(),
            updated_at=timezone.now(),
        )
    due = responses_due(world.school, timezone.localdate() - timedelta(days=10))
    assert [r.consultation_id for r in due] == [closed.pk]


def test_erasing_a_guardian_clears_what_they_wrote(world, consultation):
    services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={
            consultation.q[Question.Kind.SCALE].pk: "4",
            consultation.q[Question.Kind.TEXT].pk: "My name is Ngozi",
        },
        language="en-gb",
    )
    assert written_answers_clear(world.guardian) == 1
    assert not Answer.objects.exclude(text="").exists()
    assert Answer.objects.filter(scale=4).exists()


def test_the_demo_consultation_is_answered_by_some_families(world):
    demo_consultations_build(school=world.school, rng=random.Random(1), today=timezone.localdate())
    consultation = Consultation.objects.get(school=world.school)
    assert consultation.is_open(timezone.localdate())
    assert consultation.translations["pl"]["title"]
    assert consultation.questions.count() == 4
    assert Response.objects.filter(consultation=consultation).count() <= 2
    demo_consultations_delete(schools=[world.school])
    assert not Consultation.objects.filter(school=world.school).exists()
