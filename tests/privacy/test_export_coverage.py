"""Every model that holds a pupil's or a guardian's data is in their subject access export:
the walk over the installed models finds each one with a foreign key, one-to-one or
many-to-many field (the automatic many-to-many tables too) pointing at Pupil or Guardian,
and each must be covered by a registered section or named, with a reason, as left out.
A new model that points at a pupil and is neither fails here."""

from django.db import models
from django.test.utils import isolate_apps

from privacy.registry import (
    GUARDIAN,
    PUPIL,
    export_sections,
    models_about_people,
    models_not_covered,
    not_exported,
)
from school.models import Guardian, GuardianLink, Pupil, TeachingGroup


def test_every_model_about_a_pupil_or_guardian_is_exported_or_left_out_for_a_reason():
    missing = [model._meta.label for model in models_not_covered()]
    assert missing == [], (
        "cover these in an app's privacy_export.py section, or register_not_exported "
        f"them with a reason: {missing}"
    )


def test_the_walk_finds_foreign_keys_and_many_to_many_tables():
    found = models_about_people()
    assert GuardianLink in found  # foreign keys to both
    assert TeachingGroup in found and TeachingGroup.pupils.through in found  # an M2M
    assert Guardian in found  # its M2M to pupils, through GuardianLink
    labels = {model._meta.label for model in found}
    # A sample from each app above privacy: the walk reaches every installed app.
    assert {
        "notifications.Notification",
        "homework.Assignment",
        "homework.Homework_alternative_pupils",
        "sanctions.Miss",
        "clubs.Attendance",
        "parents.Thread",
    } <= labels
    assert Pupil not in found  # nothing of it points at itself


def test_the_reasons_for_leaving_a_model_out_are_few_and_said():
    left_out = not_exported()
    assert 0 < len(left_out) <= 3
    assert all(len(reason) > 30 for reason in left_out.values())


def test_every_section_has_a_title_and_a_description():
    for about in (PUPIL, GUARDIAN):
        for section in export_sections(about):
            assert section.title and section.description, section.key


@isolate_apps("privacy")
def test_a_new_model_pointing_at_a_pupil_is_reported_until_a_section_covers_it():
    class HomeVisit(models.Model):  # noqa: DJ008
        pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
        note = models.TextField()

        class Meta:
            app_label = "privacy"

    class CarerNote(models.Model):  # noqa: DJ008
        carers = models.ManyToManyField(Guardian, related_name="+")

        class Meta:
            app_label = "privacy"

    class Unrelated(models.Model):  # noqa: DJ008
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

    candidates = [HomeVisit, CarerNote, CarerNote.carers.through, Unrelated]
    assert models_not_covered(candidates) == [HomeVisit, CarerNote, CarerNote.carers.through]
