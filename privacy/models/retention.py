from django.db import models
from django.db.models import Q

from school.models import Pupil, SchoolOwned, User


class RetentionRule(SchoolOwned):
    """How long the school keeps one kind of record (a kind an app registers,
    privacy/registry.py), counted from the kind's event. A kind without a row is kept
    forever: the nightly job acts only on the periods the school has confirmed."""

    kind = models.CharField(max_length=40)
    months = models.PositiveSmallIntegerField()
    confirmed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["school", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="retention_rule_once"),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_months_positive"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.months} months"


class LegalHold(SchoolOwned):
    """Nothing about this pupil is removed while the hold stands (a safeguarding case, a
    claim): the retention job passes over them."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=300)
    placed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(lifted_at__isnull=True), name="legal_hold_one_current"
            )
        ]
        indexes = [models.Index(fields=["school", "lifted_at"])]

    def __str__(self):
        return f"Hold on {self.pupil}"


class RetentionRun(SchoolOwned):
    """One pass of the schedule over a school: a dry run (what would go) or the real one
    (what went), with the count per kind. The log of what was removed."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    dry_run = models.BooleanField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # {kind: {"count": n, "label": ..., "action": ...}}
    results = models.JSONField(default=dict)
    started_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["school", "-started_at", "-pk"]
        indexes = [models.Index(fields=["school", "started_at"])]

    def __str__(self):
        return f"{'Dry run' if self.dry_run else 'Run'} of {self.started_at:%d/%m/%Y}"
