"""Missed deadlines and the escalation ladder (DESIGN.md section 3): every miss is
recorded, and each cycle of counted misses in an academic year triggers the next step of
the school's policy."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homework.models import Assignment
from school.models import AcademicYear, Pupil, SchoolOwned, User


class MeetingWith(models.TextChoices):
    NONE = "", _("No meeting")
    FORM_TUTOR = "form_tutor", _("Form tutor")
    HEAD_OF_HOUSE = "head_of_house", _("Head of house")
    HEAD_OF_YEAR = "head_of_year", _("Head of year")
    SENIOR_LEADER = "senior_leader", _("Senior leader")


class EscalationPolicy(SchoolOwned):
    """One version of a school's ladder. Editing the ladder writes a new version, so each
    sanction keeps the rules it was given under; only the newest version is current."""

    version = models.PositiveIntegerField()
    misses_per_cycle = models.PositiveSmallIntegerField(default=3)
    minimum_notice_hours = models.PositiveSmallIntegerField(default=24)
    weekend_sessions_allowed = models.BooleanField(default=False)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["school", "version"], name="policy_unique_version"),
            models.UniqueConstraint(
                fields=["school"], condition=Q(is_current=True), name="policy_one_current"
            ),
            models.CheckConstraint(
                condition=Q(misses_per_cycle__gte=1), name="policy_misses_per_cycle_positive"
            ),
        ]

    def __str__(self):
        return f"Escalation policy v{self.version}"

    def step_for(self, cycle: int) -> "EscalationStep":
        """The step a cycle triggers; past the last step the last one repeats."""
        steps = list(self.steps.all())
        return steps[min(cycle, len(steps)) - 1]


class EscalationStep(models.Model):
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    detention_minutes = models.PositiveSmallIntegerField(default=60)
    meeting_with = models.CharField(
        max_length=20, choices=MeetingWith.choices, blank=True, default=MeetingWith.NONE
    )
    parents_invited = models.BooleanField(default=True)

    class Meta:
        ordering = ["policy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="step_unique_number")
        ]

    def __str__(self):
        meeting = f" + meeting with {self.get_meeting_with_display().lower()}"
        return f"Step {self.number}: {self.detention_minutes}-minute detention" + (
            meeting if self.meeting_with else ""
        )


class PupilEscalation(SchoolOwned):
    """The row locked (select_for_update) while a pupil's misses and sanctions change, so
    that teachers recording misses at the same moment are counted one after another."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="escalations")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="+")
    # Running counts, written under the row's lock by every change to the pupil's misses
    # and sanctions (services/engine.py counts_refresh), so that the dashboard reads them
    # instead of counting the year again on every view: counted misses, those not yet in
    # a completed cycle, and the completed cycles (live sanctions).
    counted_misses = models.PositiveIntegerField(default=0)
    open_misses = models.PositiveIntegerField(default=0)
    live_sanctions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year"], name="escalation_unique_pupil_year"
            )
        ]
        indexes = [models.Index(fields=["school", "academic_year", "counted_misses"])]

    def __str__(self):
        return f"{self.pupil} {self.academic_year}: {self.counted_misses} misses"


class Sanction(SchoolOwned):
    """What one completed cycle of misses earns: the step's detention and meeting."""

    class Status(models.TextChoices):
        TO_SCHEDULE = "to_schedule", _("To schedule")
        SERVED = "served", _("Served")
        CANCELLED = "cancelled", _("Cancelled")

    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="sanctions")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    cycle = models.PositiveSmallIntegerField()
    policy = models.ForeignKey(EscalationPolicy, on_delete=models.PROTECT, related_name="+")
    step_number = models.PositiveSmallIntegerField()
    detention_minutes = models.PositiveSmallIntegerField()
    meeting_with = models.CharField(max_length=20, choices=MeetingWith.choices, blank=True)
    parents_invited = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_SCHEDULE)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["school", "pupil", "cycle"]
        constraints = [
            # Exactly one live sanction per completed cycle, however many teachers record
            # misses at the same moment.
            models.UniqueConstraint(
                fields=["pupil", "academic_year", "cycle"],
                condition=~Q(status="cancelled"),
                name="sanction_one_per_cycle",
            )
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return f"{self.pupil}: cycle {self.cycle} ({self.get_status_display()})"

    @property
    def is_served(self):
        return self.status == self.Status.SERVED


class Miss(SchoolOwned):
    """A missed homework deadline. Counted misses fill cycles in the order they were
    recorded; a miss belongs to a cycle once its cycle is complete (`sanction`)."""

    class Status(models.TextChoices):
        COUNTED = "counted", _("Counted")
        VOIDED = "voided", _("Recorded in error")
        EXCUSED = "excused", _("Excused")

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="misses")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="misses")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COUNTED)
    reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    sanction = models.ForeignKey(
        Sanction, on_delete=models.SET_NULL, null=True, blank=True, related_name="misses"
    )
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)
    change_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["school", "pupil", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="counted"),
                name="miss_one_counted_per_assignment",
            )
        ]
        indexes = [
            models.Index(fields=["school", "pupil", "academic_year", "status"]),
            models.Index(fields=["school", "recorded_at"]),
            models.Index(fields=["school", "academic_year", "status", "recorded_at"]),
        ]

    def __str__(self):
        return f"{self.pupil}: missed {self.assignment.homework.title}"


class AuditEntry(SchoolOwned):
    """Who changed a miss or a sanction, when, what and why. Never edited."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=40)
    miss = models.ForeignKey(Miss, on_delete=models.SET_NULL, null=True, blank=True)
    sanction = models.ForeignKey(Sanction, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["school", "-at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "at"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} ({self.pupil})"


class SessionKind(models.TextChoices):
    DETENTION = "detention", _("Detention")
    INTERNAL_EXCLUSION = "internal_exclusion", _("Internal exclusion")


class DetentionSession(SchoolOwned):
    """One supervised sitting: an after-school detention, or a day in the internal
    exclusion room (`kind`), which is booked for a pupil who missed a detention without an
    authorised reason. Sessions made together as a weekly series share a `series` id.
    Capacity is enforced by the scheduler under a row lock."""

    kind = models.CharField(
        max_length=20, choices=SessionKind.choices, default=SessionKind.DETENTION
    )
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    room = models.CharField(max_length=50)
    supervisor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField(default=20)
    series = models.UUIDField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="detention_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="detention_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["school", "kind", "date"])]

    def __str__(self):
        return (
            f"{self.get_kind_display()} {self.date:%d/%m/%Y} {self.start_time:%H:%M} in {self.room}"
        )

    @property
    def is_exclusion(self):
        return self.kind == SessionKind.INTERNAL_EXCLUSION


class DetentionBooking(SchoolOwned):
    """A sanction's place in a session. A sanction has at most one live booking of each
    kind (its detention, and the internal exclusion day that follows an unauthorised
    absence from it); a booking whose pupil was absent with an authorised reason is kept
    as `rebooked` (or `absent_authorised` while no later session has room) beside the new
    one. `kind` repeats the session's so that the database can hold that rule."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        NEEDS_CHECK = "needs_check", _("To check before confirming")
        ATTENDED = "attended", _("Attended")
        ABSENT_AUTHORISED = "absent_authorised", _("Absent (authorised), to rebook")
        ABSENT_UNAUTHORISED = "absent_unauthorised", _("Absent (unauthorised)")
        REBOOKED = "rebooked", _("Absent (authorised), rebooked")

    LIVE = [Status.BOOKED, Status.NEEDS_CHECK, Status.ATTENDED, Status.ABSENT_UNAUTHORISED]

    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="bookings")
    session = models.ForeignKey(DetentionSession, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(
        max_length=20, choices=SessionKind.choices, default=SessionKind.DETENTION
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    notes = models.CharField(max_length=300, blank=True)
    # What the pupil did in the session (seed 001: a restorative activity first, then time
    # to complete outstanding homework).
    restorative_done = models.BooleanField(default=False)
    homework_completed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sanction", "kind"],
                condition=Q(
                    status__in=["booked", "needs_check", "attended", "absent_unauthorised"]
                ),
                name="booking_one_live_per_sanction_kind",
            ),
            models.UniqueConstraint(
                fields=["session", "sanction"], name="booking_once_per_session"
            ),
        ]
        indexes = [models.Index(fields=["school", "status"])]

    def __str__(self):
        return f"{self.sanction.pupil} in {self.session} ({self.get_status_display()})"


class Meeting(SchoolOwned):
    """The meeting a step of the ladder adds (with the form tutor, head of house ...):
    owned by the holder of that role for the pupil, with the parents invited when the
    step says so. Cancelled with its sanction unless it has been held."""

    class Status(models.TextChoices):
        TO_ARRANGE = "to_arrange", _("To arrange")
        ARRANGED = "arranged", _("Arranged")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = [Status.TO_ARRANGE, Status.ARRANGED]

    sanction = models.OneToOneField(Sanction, on_delete=models.CASCADE, related_name="meeting")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="meetings")
    meeting_with = models.CharField(max_length=20, choices=MeetingWith.choices)
    owner = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings_owned"
    )
    parents_invited = models.BooleanField(default=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_ARRANGE)
    proposed_at = models.DateTimeField(null=True, blank=True)
    place = models.CharField(max_length=100, blank=True)
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "status", "proposed_at", "pk"]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["school", "owner", "status"]),
        ]

    def __str__(self):
        return f"{self.pupil}: meeting with {self.get_meeting_with_display().lower()}"


class Commendation(SchoolOwned):
    """A reward on the pupil's record (seed 002): a commendation or a positive contact
    home for completed homework or a high standard of work. Parents are told."""

    class Kind(models.TextChoices):
        COMMENDATION = "commendation", _("Commendation")
        POSITIVE_CONTACT = "positive_contact", _("Positive contact home")

    class Reason(models.TextChoices):
        COMPLETED_HOMEWORK = "completed_homework", _("Homework completed on time")
        HIGH_STANDARD = "high_standard", _("High standard of homework")
        EFFORT = "effort", _("Effort and progress")
        HOMEWORK_CLUB = "homework_club", _("Worked well at homework club")
        OTHER = "other", _("Other")

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="commendations")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENDATION)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    awarded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    awarded_at = models.DateTimeField()

    class Meta:
        ordering = ["school", "-awarded_at", "-pk"]
        indexes = [models.Index(fields=["school", "pupil", "awarded_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.pupil}: {self.get_reason_display()}"
