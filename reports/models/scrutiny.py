"""Work scrutiny: the school's checklist of what good homework looks like, rounds in which
leaders draw a sample of the homework set in a period, and their review of each sampled
homework (a rating per criterion and a comment) with the teacher's reply.

A criterion is retired, never deleted, once used: a past review keeps its ratings."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from homework.models import Homework
from school.models import School, Subject

# The checklist a school starts with (its first visit to the checklist or a round).
DEFAULT_CRITERIA = [
    (
        "Clear instructions",
        "A pupil can start without asking: what to do, how to hand it in and by when.",
    ),
    (
        "Matched to the scheme of work",
        "Practises or extends what the class is learning in the unit now.",
    ),
    (
        "Right length for the time given",
        "A typical pupil can finish it in about the estimated minutes.",
    ),
    (
        "Differentiated and accessible to all",
        "Pupils with SEN, EAL or little support at home can do it (an alternative version, "
        "scaffolds, resources the school provides).",
    ),
    (
        "Feedback given",
        "Pupils were told how well they did and what to do next, in time to use it.",
    ),
]


class ScrutinyCriterion(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    guidance = models.TextField(
        blank=True, help_text="What a reviewer looks for: shown beside the rating."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Criteria are listed from the smallest number up."
    )
    is_active = models.BooleanField(
        "In use",
        default=True,
        help_text="A retired criterion is left out of new reviews; past reviews keep it.",
    )

    class Meta:
        ordering = ["school", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="scrutiny_criterion_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ScrutinyRound(models.Model):
    class SampleBy(models.TextChoices):
        DEPARTMENT = "department", "Department (subject)"
        TEACHER = "teacher", "Teacher"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=120)
    period_start = models.DateField("Set from")
    period_end = models.DateField("Set up to")
    # Empty: every subject (senior leaders only); a subject leader's rounds name theirs.
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+")
    # Empty: every teacher who set homework in the subjects.
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    sample_by = models.CharField(max_length=10, choices=SampleBy.choices)
    per_group = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    # The sample is drawn from this seed, so the same round draws the same homework;
    # drawing again picks a new seed.
    seed = models.BigIntegerField(default=0)
    drawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="scrutiny_round_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(per_group__gte=1, per_group__lte=50),
                name="scrutiny_round_per_group_1_to_50",
            ),
        ]
        indexes = [models.Index(fields=["school", "period_start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ScrutinySample(models.Model):
    """One homework drawn in a round."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(ScrutinyRound, on_delete=models.CASCADE, related_name="samples")
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["round", "position"]
        constraints = [
            models.UniqueConstraint(fields=["round", "homework"], name="scrutiny_sample_unique")
        ]
        indexes = [models.Index(fields=["school", "homework"])]

    def __str__(self) -> str:
        return f"{self.round}: {self.homework_id}"


class ScrutinyReview(models.Model):
    """A reviewer's judgement of one sampled homework, and the teacher's reply to it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    sample = models.OneToOneField(ScrutinySample, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(max_length=4000)
    reviewed_at = models.DateTimeField()
    reply = models.TextField(max_length=4000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["school", "reviewed_at"])]

    def __str__(self) -> str:
        return f"Review of {self.sample}"


class ScrutinyRating(models.Model):
    class Rating(models.TextChoices):
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"
        NOT_APPLICABLE = "n_a", "Not applicable"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(ScrutinyReview, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(ScrutinyCriterion, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=10, choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="scrutiny_rating_unique")
        ]
        indexes = [models.Index(fields=["school", "criterion"])]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_rating_display()}"
