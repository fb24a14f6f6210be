"""Homework club and study sessions (seeds 000, 001, 002): clubs with a recurring
schedule, the staff rota that volunteers for sessions, pupils' bookings, the register of
who came and for how long, and the reward for working effectively."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import Pupil, SchoolOwned, User, YearGroup


class ClubPolicy(SchoolOwned):
    """A school's club rules: how long a pupil must stay to earn the reward, and how many
    minutes a half-term each member of staff is asked to volunteer."""

    reward_minutes = models.PositiveSmallIntegerField(default=30)
    rota_target_minutes = models.PositiveSmallIntegerField(default=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["school"], name="club_policy_one")]

    def __str__(self):
        return f"Club rules of {self.school}"


class Club(SchoolOwned):
    """A homework club (a room, staff from the rota, open to some year groups), or a
    teacher's own study sessions that pupils book (`kind`)."""

    class Kind(models.TextChoices):
        HOMEWORK_CLUB = "homework_club", _("Homework club")
        STUDY_SESSION = "study_session", _("Study session with a teacher")

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOMEWORK_CLUB)
    description = models.TextField(blank=True)
    room = models.CharField(max_length=50)
    capacity = models.PositiveSmallIntegerField(default=30)
    staff_needed = models.PositiveSmallIntegerField(default=2)
    year_groups = models.ManyToManyField(YearGroup, blank=True, related_name="+")
    leader = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="clubs_led"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["school", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="club_capacity_positive")
        ]

    def __str__(self):
        return self.name

    @property
    def teacher_to_name(self) -> User | None:
        """The teacher to name beside a study session, unless its name already does
        ("Study session with Tess Teacher" is not followed by "with Tess Teacher")."""
        if self.kind != self.Kind.STUDY_SESSION or self.leader is None:
            return None
        named = self.name.casefold()
        said = (self.leader.last_name, self.leader.get_full_name(), str(self.leader))
        return None if any(words and words.casefold() in named for words in said) else self.leader


class ClubSession(SchoolOwned):
    """One sitting of a club. Sessions made together as a weekly series share `series`."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    club = models.ForeignKey(Club, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    room = models.CharField(max_length=50)
    capacity = models.PositiveSmallIntegerField()
    staff_needed = models.PositiveSmallIntegerField()
    series = models.UUIDField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="club_session_ends_after"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="club_session_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["school", "date"])]

    def __str__(self):
        return f"{self.club} {self.date:%d/%m/%Y} {self.start_time:%H:%M}"


class RotaSlot(SchoolOwned):
    """A member of staff on a session's rota (they volunteered or a leader put them on)."""

    session = models.ForeignKey(ClubSession, on_delete=models.CASCADE, related_name="rota")
    staff = models.ForeignKey(User, on_delete=models.CASCADE, related_name="rota_slots")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="rota_once_per_session")
        ]


class Booking(SchoolOwned):
    """A pupil's place in a session. Capacity is held by the service under a lock on the
    session row; a cancelled booking frees the place."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(ClubSession, on_delete=models.CASCADE, related_name="bookings")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="club_bookings")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField()
    booked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "pupil"],
                condition=Q(status="booked"),
                name="club_booking_once",
            )
        ]
        indexes = [models.Index(fields=["school", "pupil", "status"])]


class Attendance(SchoolOwned):
    """A pupil's visit to a session: checked in and out by staff; the reward for working
    effectively needs the policy's minutes in the room."""

    session = models.ForeignKey(ClubSession, on_delete=models.CASCADE, related_name="attendances")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="club_attendances")
    checked_in_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checked_out_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    worked_effectively = models.BooleanField(default=False)
    rewarded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rewarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "session", "checked_in_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "pupil"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_out_at__gte=models.F("checked_in_at")),
                name="attendance_out_after_in",
            ),
        ]
        indexes = [models.Index(fields=["school", "pupil", "checked_in_at"])]

    @property
    def minutes(self) -> int | None:
        if self.checked_out_at is None:
            return None
        return int((self.checked_out_at - self.checked_in_at).total_seconds() // 60)
