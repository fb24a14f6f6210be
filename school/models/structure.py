"""The school's structure: the school, its years, terms and days off, year groups,
houses, tutor groups, subjects and teaching groups."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Trust(models.Model):
    """A multi-academy trust: schools run together, whose trust leaders compare them
    (reports/, the trust view)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class School(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    trust = models.ForeignKey(
        Trust,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schools",
        help_text="The multi-academy trust the school belongs to, if any",
    )
    time_zone = models.CharField(max_length=64, default="Europe/London")
    dfe_number = models.CharField(
        "DfE number",
        max_length=7,
        blank=True,
        help_text="The local authority and establishment number (LAESTAB, e.g. 3304321) that "
        "the school's Common Transfer Files carry",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SchoolOwned(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class AcademicYear(SchoolOwned):
    name = models.CharField(max_length=20, help_text="e.g. 2026/27")
    start_date = models.DateField()
    end_date = models.DateField()
    rolled_over_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the school started the next academic year from this one (pupils "
        "moved up, classes archived); from then its pages read where pupils were in it "
        "from their placements",
    )

    class Meta:
        ordering = ["school", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="academic_year_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="academic_year_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The year must end after it starts.")})


class HalfTerm(SchoolOwned):
    class Name(models.TextChoices):
        AUTUMN_1 = "autumn_1", _("Autumn 1")
        AUTUMN_2 = "autumn_2", _("Autumn 2")
        SPRING_1 = "spring_1", _("Spring 1")
        SPRING_2 = "spring_2", _("Spring 2")
        SUMMER_1 = "summer_1", _("Summer 1")
        SUMMER_2 = "summer_2", _("Summer 2")

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="half_terms"
    )
    name = models.CharField(max_length=10, choices=Name.choices)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        ordering = ["school", "start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["academic_year", "name"], name="half_term_unique_per_year"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="half_term_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["school", "start_date"])]

    def __str__(self):
        return f"{self.get_name_display()} {self.academic_year}"

    @property
    def term(self):
        """Autumn, Spring or Summer: the term this half-term belongs to."""
        return self.name.split("_")[0].capitalize()

    def clean(self):
        if not (self.start_date and self.end_date):
            return
        if self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A half-term must end after it starts.")})
        year = getattr(self, "academic_year", None)
        if year and (self.start_date < year.start_date or self.end_date > year.end_date):
            raise ValidationError(
                _("A half-term must lie within its academic year (%(start)s to %(end)s).")
                % {"start": year.start_date, "end": year.end_date}
            )


class NonSchoolDay(SchoolOwned):
    """A weekday inside a half-term on which pupils are not taught."""

    class Kind(models.TextChoices):
        INSET = "inset", _("INSET (staff training) day")
        BANK_HOLIDAY = "bank_holiday", _("Bank holiday")
        CLOSURE = "closure", _("School closure")

    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["school", "date"]
        constraints = [
            models.UniqueConstraint(fields=["school", "date"], name="non_school_day_unique")
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class YearGroup(SchoolOwned):
    number = models.PositiveSmallIntegerField(choices=[(n, f"Year {n}") for n in range(7, 14)])

    class Meta:
        ordering = ["school", "number"]
        constraints = [
            models.UniqueConstraint(fields=["school", "number"], name="year_group_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=7, number__lte=13), name="year_group_7_to_13"
            ),
        ]

    def __str__(self):
        return f"Year {self.number}"

    @property
    def key_stage(self):
        if self.number <= 9:
            return 3
        if self.number <= 11:
            return 4
        return 5


class House(SchoolOwned):
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="house_unique")]

    def __str__(self):
        return self.name


class TutorGroupQuerySet(models.QuerySet):
    def current(self):
        """The groups pupils are placed in now: those no new academic year has archived."""
        return self.filter(archived_on__isnull=True)


class TutorGroup(SchoolOwned):
    """A form. Each academic year has its own groups: starting the next year forms new
    ones (7A's pupils become 8A of the new year) and archives the old, which stay for
    the history that names them."""

    name = models.CharField(max_length=20, help_text="e.g. 7A")
    year_group = models.ForeignKey(YearGroup, on_delete=models.PROTECT, related_name="tutor_groups")
    room = models.CharField(max_length=50, blank=True)
    academic_year = models.ForeignKey(
        AcademicYear,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tutor_groups",
        help_text="The academic year the group was formed for",
    )
    archived_on = models.DateField(
        null=True, blank=True, help_text="The day a new academic year replaced this group"
    )

    objects = TutorGroupQuerySet.as_manager()

    class Meta:
        ordering = ["school", "year_group__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                condition=Q(archived_on__isnull=True),
                name="tutor_group_unique_current",
            ),
            models.UniqueConstraint(
                fields=["school", "academic_year", "name"], name="tutor_group_unique_per_year"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tutors(self):
        """The group's form tutors (job-shares have two), from their role assignments."""
        form_tutor = self.role_assignments.model.Role.FORM_TUTOR  # people.py's RoleAssignment
        return [a.user for a in self.role_assignments.all() if a.role == form_tutor]


class Subject(SchoolOwned):
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, help_text="Short code, e.g. Ma")

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="subject_unique_code"),
            models.UniqueConstraint(fields=["school", "name"], name="subject_unique_name"),
        ]

    def __str__(self):
        return self.name


class TeachingGroup(SchoolOwned):
    """A class in one subject: its teachers and the pupils enrolled in it."""

    name = models.CharField(max_length=30, help_text="e.g. 7x/Ma1")
    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.PROTECT, related_name="teaching_groups"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="teaching_groups")
    year_group = models.ForeignKey(
        YearGroup, on_delete=models.PROTECT, related_name="teaching_groups"
    )
    teachers = models.ManyToManyField("User", related_name="teaching_groups", blank=True)
    pupils = models.ManyToManyField("Pupil", related_name="teaching_groups", blank=True)
    archived_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day a new academic year archived the class: it stays in history, "
        "read-only (no homework is set for it)",
    )

    class Meta:
        ordering = ["school", "year_group__number", "subject__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "name"], name="teaching_group_unique"
            )
        ]

    def __str__(self):
        return self.name
