"""What a school decides about its reports: when a group's figure is flagged as out of
proportion, and how small a group is shown only as "fewer than N" so that no pupil can
be identified. A school without a row uses the defaults (`for_school`)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from school.models import School

DEFAULT_FLAG_RATIO = Decimal("1.5")
DEFAULT_SMALLEST_GROUP = 5
DEFAULT_SIGN_OFF_WEEKS = 4


class ReportSettings(models.Model):
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="+")
    flag_ratio = models.DecimalField(
        "Flag a group at this ratio",
        max_digits=4,
        decimal_places=2,
        default=DEFAULT_FLAG_RATIO,
        validators=[MinValueValidator(Decimal("1.01")), MaxValueValidator(Decimal("10"))],
        help_text="A group is flagged where its share of a measure divided by its share of "
        "the roll (the disproportionality ratio) is at or above this; 1.5 by default.",
    )
    smallest_group = models.PositiveSmallIntegerField(
        "Smallest group shown",
        default=DEFAULT_SMALLEST_GROUP,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text='A group with fewer pupils on roll than this is shown as "fewer than '
        'N" and no figure of it is given, so that no pupil can be identified; 5 by default.',
    )
    sign_off_weeks = models.PositiveSmallIntegerField(
        "Weeks signed off in a half-term",
        default=DEFAULT_SIGN_OFF_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="The families' engagement measure counts the families who signed off "
        "their child's week at least this many times in a half-term (for the year, this "
        "many times the number of half-terms); 4 by default.",
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "report settings"
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return f"Report settings of {self.school}"

    @classmethod
    def for_school(cls, school_id: int) -> "ReportSettings":
        """The school's settings, or the defaults (unsaved) where it has set none (one
        query)."""
        return cls.objects.filter(school_id=school_id).first() or cls(school_id=school_id)
