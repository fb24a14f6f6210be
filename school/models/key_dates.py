"""Key dates of the school year for year groups (exams, information evenings, parents'
evenings...): the school calendar's own dates, added by leaders and shown to families."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .people import User
from .structure import SchoolOwned, YearGroup


class KeyDate(SchoolOwned):
    class Kind(models.TextChoices):
        EXAM = "exam", _("Exams")
        INFORMATION_EVENING = "information_evening", _("Information evening")
        PARENTS_EVENING = "parents_evening", _("Parents' evening")
        OTHER = "other", _("Other")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=150)
    date = models.DateField()
    ends_on = models.DateField(null=True, blank=True)  # for several days (an exam week)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    details = models.TextField(blank=True)
    year_groups = models.ManyToManyField(YearGroup, related_name="key_dates")
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["school", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("date")),
                name="key_date_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def last_day(self):
        return self.ends_on or self.date
