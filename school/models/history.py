"""What changed in a pupil's or a guardian's record through the product, by whom and
when (UK GDPR: a school can show how a record came to say what it says, and put it
right). Written by the services that change those records; never edited."""

from django.db import models
from django.db.models import Q

from .people import Guardian, Pupil, User
from .structure import SchoolOwned


class PersonChange(SchoolOwned):
    class Source(models.TextChoices):
        # Only staff read these (the data protection lead's pages): not translated.
        SETUP = "setup", "School setup"
        IMPORT = "import", "MIS import"
        FAMILY = "family", "The family"
        ERASURE = "erasure", "Erasure"
        RETENTION = "retention", "Retention schedule"

    pupil = models.ForeignKey(
        Pupil, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, null=True, blank=True, related_name="changes"
    )
    field = models.CharField(max_length=60)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["school", "-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="person_change_of_one_person",
                condition=Q(pupil__isnull=False, guardian__isnull=True)
                | Q(pupil__isnull=True, guardian__isnull=False),
            )
        ]
        indexes = [
            models.Index(fields=["school", "pupil", "changed_at"]),
            models.Index(fields=["school", "guardian", "changed_at"]),
        ]

    def __str__(self):
        return f"{self.field}: {self.old_value!r} -> {self.new_value!r}"
