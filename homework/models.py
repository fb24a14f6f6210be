"""Homework a teacher sets for a class, each pupil's copy of it (the assignment), what the
pupil hands in, the mark and feedback, and the school's frequency and workload policy."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from school.models import Pupil, School, SchoolOwned, Subject, TeachingGroup, User, YearGroup


class SchemeOfWorkUnit(SchoolOwned):
    """A unit of a subject's scheme of work for one year, reused across homework."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="units")
    year_group = models.ForeignKey(YearGroup, on_delete=models.CASCADE, related_name="units")
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["school", "subject__name", "year_group__number", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "subject", "year_group", "title"], name="unit_unique_title"
            )
        ]

    def __str__(self):
        return f"{self.subject} Y{self.year_group.number}: {self.title}"


# The parents' languages a help note may be translated into (Guardian.Language).
HELP_AT_HOME_LANGUAGES = ("pl", "ur")


class Homework(SchoolOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SET = "set", _("Set")
        ARCHIVED = "archived", _("Archived")

    class SubmissionMode(models.TextChoices):
        ONLINE = "online", _("Hand in online")
        PAPER = "paper", _("Hand in on paper")
        NONE = "none", _("Nothing to hand in")

    # No index of its own: every index of the table starts with the school. At a trust the
    # planner preferred a school-only index (a school's rows lie together, so it looks
    # cheap) and read the school's whole year to find one week's homework.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    teaching_group = models.ForeignKey(
        TeachingGroup, on_delete=models.PROTECT, related_name="homework"
    )
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="homework_set")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    instructions = models.TextField(help_text=_("Markdown: **bold**, *italic*, lists and links"))
    instructions_html = models.TextField(editable=False, default="")
    alternative_instructions = models.TextField(blank=True)
    alternative_instructions_html = models.TextField(editable=False, default="")
    alternative_for_eal = models.BooleanField(default=False)
    alternative_for_sen = models.BooleanField(default=False)
    alternative_for_young_carers = models.BooleanField(default=False)
    alternative_pupils = models.ManyToManyField(
        Pupil, blank=True, related_name="alternative_homework"
    )
    resource_links = models.TextField(blank=True, help_text=_("One web address per line"))
    # "How you can help at home": a note for the pupils' parents in plain words, with the
    # school's own translations (the English note is shown where one is missing).
    help_at_home = models.TextField(blank=True)
    help_at_home_pl = models.TextField(blank=True)
    help_at_home_ur = models.TextField(blank=True)
    set_on = models.DateField()
    due_at = models.DateTimeField()
    estimated_minutes = models.PositiveSmallIntegerField()
    submission_mode = models.CharField(
        max_length=10, choices=SubmissionMode.choices, default=SubmissionMode.ONLINE
    )
    unit = models.ForeignKey(
        SchemeOfWorkUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="homework",
    )
    whole_group = models.BooleanField(default=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1, estimated_minutes__lte=600),
                name="homework_minutes_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "teaching_group", "due_at"]),
            models.Index(fields=["school", "set_by", "status"]),
            models.Index(fields=["school", "set_on"]),
        ]

    def __str__(self):
        return f"{self.title} ({self.teaching_group})"

    @property
    def has_alternative(self):
        return bool(self.alternative_instructions.strip())

    @property
    def links(self):
        return [line.strip() for line in self.resource_links.splitlines() if line.strip()]

    def help_at_home_in(self, language: str | None) -> str:
        """The help note in `language` where the school wrote one, else in English."""
        code = (language or "").split("-")[0]
        if code in HELP_AT_HOME_LANGUAGES:
            translated = getattr(self, f"help_at_home_{code}").strip()
            if translated:
                return translated
        return self.help_at_home.strip()

    def is_due_before(self, moment=None):
        return self.due_at <= (moment or timezone.now())


def stored_file_path(instance, filename):
    return f"{instance.folder}/{instance.school_id}/{secrets.token_hex(8)}/{filename}"


class StoredFile(SchoolOwned):
    """A file someone uploaded, kept under a random folder with its original name."""

    folder = "files"

    file = models.FileField(upload_to=stored_file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    def store(self, upload) -> None:
        """Fill this row from an uploaded file and save the file (not the row)."""
        self.original_name = upload.name[:200]
        self.size = upload.size
        self.content_type = getattr(upload, "content_type", "") or "application/octet-stream"
        self.file.save(upload.name, upload, save=False)


class Attachment(StoredFile):
    folder = "homework"

    homework = models.ForeignKey("Homework", on_delete=models.CASCADE, related_name="attachments")

    class Meta:
        ordering = ["original_name"]


class Assignment(SchoolOwned):
    """One pupil's copy of a homework. `due_at` repeats the homework's so that a pupil's
    planner and workload read one index (school, pupil, due_at)."""

    class Status(models.TextChoices):
        SET = "set", _("Not handed in")
        SUBMITTED = "submitted", _("Handed in")
        PAPER = "paper", _("Handed in on paper")
        MISSED = "missed", _("Missed")
        EXCUSED = "excused", _("Excused")

    # No index of its own: see Homework.school.
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="assignments")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="assignments")
    due_at = models.DateTimeField()
    uses_alternative = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SET)
    submitted_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    submission_text = models.TextField(blank=True)
    confidence = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(n, str(n)) for n in range(1, 6)]
    )
    reflection = models.CharField(max_length=500, blank=True)
    mark = models.CharField(max_length=20, blank=True)
    feedback = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["homework", "pupil"], name="assignment_unique"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=1, confidence__lte=5),
                name="assignment_confidence_1_to_5",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "pupil", "due_at"]),
            models.Index(fields=["school", "homework", "status"]),
            # The school's homework due in a year (reports/measures/homework.py).
            models.Index(fields=["school", "due_at"], name="assignment_school_due_at"),
        ]

    def __str__(self):
        return f"{self.homework.title}: {self.pupil}"

    @property
    def is_handed_in(self):
        return self.status in (self.Status.SUBMITTED, self.Status.PAPER)

    @property
    def is_returned(self):
        return self.returned_at is not None

    def display_status(self, now=None):
        """What the register shows: 'not yet due' and 'overdue' depend on the clock."""
        if self.status == self.Status.SET:
            return _("Not yet due") if self.due_at > (now or timezone.now()) else _("Overdue")
        if self.status == self.Status.SUBMITTED and self.is_late:
            return _("Handed in late")
        return self.get_status_display()


class HomeworkTally(SchoolOwned):
    """How many pupils handed a homework in, and how many of those had their work returned
    with written feedback: kept by database triggers on every write of an assignment
    (homework/tallies.py), so the compliance report sums a row a homework instead of
    counting every pupil's copy. Never written by Django."""

    homework = models.OneToOneField(
        Homework, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    handed_in = models.IntegerField(default=0)
    returned_with_feedback = models.IntegerField(default=0)

    class Meta:
        # A school's tallies (joined to its homework of the last weeks).
        indexes = [
            models.Index(
                fields=["school", "homework"],
                include=["handed_in", "returned_with_feedback"],
                name="homework_tally_school",
            )
        ]

    def __str__(self):
        return f"{self.homework_id}: {self.handed_in} handed in"


class SubmissionFile(StoredFile):
    folder = "submissions"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="files")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]


class KeyStagePolicy(SchoolOwned):
    """How much homework a pupil of a key stage should have: the nightly cap warns a
    teacher setting homework that would take a pupil over it."""

    key_stage = models.PositiveSmallIntegerField(choices=[(3, "KS3"), (4, "KS4"), (5, "KS5")])
    nightly_cap_minutes = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["school", "key_stage"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key_stage"], name="key_stage_policy_unique")
        ]

    def __str__(self):
        return f"KS{self.key_stage}: {self.nightly_cap_minutes} min a night"


class FrequencyRule(SchoolOwned):
    """How often a subject sets homework in a key stage. A rule without a subject covers
    every subject of that key stage that has no rule of its own. `set_by_department`
    means the school leaves frequency to the department: nothing is expected."""

    key_stage = models.PositiveSmallIntegerField(choices=[(3, "KS3"), (4, "KS4"), (5, "KS5")])
    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="frequency_rules"
    )
    every_weeks = models.PositiveSmallIntegerField(
        default=1, help_text=_("1 = weekly, 2 = fortnightly")
    )
    minutes = models.PositiveSmallIntegerField(default=60)
    set_by_department = models.BooleanField(default=False)

    class Meta:
        ordering = ["school", "key_stage", "subject__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "key_stage", "subject"],
                condition=Q(subject__isnull=False),
                name="frequency_rule_unique_subject",
            ),
            models.UniqueConstraint(
                fields=["school", "key_stage"],
                condition=Q(subject__isnull=True),
                name="frequency_rule_unique_default",
            ),
            models.CheckConstraint(condition=Q(every_weeks__gte=1), name="frequency_every_weeks"),
        ]

    def __str__(self):
        subject = self.subject or _("other subjects")
        if self.set_by_department:
            return f"KS{self.key_stage} {subject}: set by the department"
        return f"KS{self.key_stage} {subject}: every {self.every_weeks} week(s), {self.minutes} min"


class CalendarFeed(models.Model):
    """The secret address of a person's iCal feed; resetting it changes the token."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"


class UnitPlan(SchoolOwned):
    """When one class is taught one unit of its scheme of work (a start and an end date):
    what its pupils' parents see as "what is taught this month"."""

    unit = models.ForeignKey(SchemeOfWorkUnit, on_delete=models.CASCADE, related_name="plans")
    teaching_group = models.ForeignKey(
        TeachingGroup, on_delete=models.CASCADE, related_name="unit_plans"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["teaching_group", "unit"], name="unit_plan_once"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="unit_plan_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["school", "teaching_group", "starts_on"])]

    def __str__(self):
        return f"{self.unit.title} for {self.teaching_group}: {self.starts_on} to {self.ends_on}"


class UnitResource(SchoolOwned):
    """A link for parents that a department adds to a unit (a title and an https address)."""

    unit = models.ForeignKey(SchemeOfWorkUnit, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=150)
    url = models.URLField(max_length=500)
    added_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["school", "unit"])]

    def __str__(self):
        return self.title
