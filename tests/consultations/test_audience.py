"""Who a consultation asks: guardians of a pupil on roll in its audience, each once."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import Consultation, PupilGroup
from consultations.selectors import guardians_asked


def consultation_add(world, **fields):
    today = timezone.localdate()
    return Consultation.objects.create(
        school=world.school,
        academic_year=world.academic_year,
        title="Homework",
        opens_on=today,
        closes_on=today + timedelta(days=7),
        **fields,
    )


def test_all_families_are_asked_once(world):
    consultation = consultation_add(world)
    # The parent has two children in the school; they are asked once.
    assert list(guardians_asked(consultation).order_by("pk")) == [
        world.guardian,
        world.other_guardian,
    ]


def test_a_year_group_asks_its_families(world):
    consultation = consultation_add(world)
    consultation.year_groups.add(world.y8)
    assert list(guardians_asked(consultation)) == [world.guardian]


def test_a_tutor_group_asks_its_families(world):
    consultation = consultation_add(world)
    consultation.tutor_groups.add(world.tg_7b)
    assert list(guardians_asked(consultation)) == [world.other_guardian]


def test_pupil_groups_narrow_the_audience(world):
    consultation = consultation_add(world, pupil_groups=[PupilGroup.FREE_SCHOOL_MEALS])
    assert list(guardians_asked(consultation)) == [world.guardian]
    consultation.pupil_groups = [PupilGroup.YOUNG_CARER]
    assert list(guardians_asked(consultation)) == []


def test_leavers_families_are_not_asked(world):
    world.classmate.left_on = timezone.localdate() - timedelta(days=1)
    world.classmate.save()
    consultation = consultation_add(world)
    assert list(guardians_asked(consultation)) == [world.guardian]


def test_another_schools_families_are_never_asked(world):
    consultation = consultation_add(world)
    assert world.other_school_pupil.school_id not in {
        g.school_id for g in guardians_asked(consultation)
    }
