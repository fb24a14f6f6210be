"""The school's people: logins, staff roles, pupils (and where they were in past years),
guardians and their links to pupils."""

from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .structure import (
    AcademicYear,
    House,
    School,
    SchoolOwned,
    Subject,
    TutorGroup,
    YearGroup,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # Addresses are stored lower-case; people type them in any case.
        return self.get(email=username.strip().lower())

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Everyone who logs in: staff, pupils and parents, by email address.

    `school` is the school a member of staff works at or a pupil attends; parents have
    none (their children may be at several schools of a trust)."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    staff_code = models.CharField(
        max_length=10, blank=True, help_text="The MIS's short code for a member of staff, e.g. JSM"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff_code"],
                condition=~Q(staff_code=""),
                name="user_unique_staff_code",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)


UNSCOPED_ROLES = [
    "teacher",
    "senior_leader",
    "lsa",
    "school_admin",
    "data_protection_lead",
    "governor",
    "trust_leader",
]


class RoleAssignment(SchoolOwned):
    """One role a member of staff holds; a person may hold several at once."""

    class Role(models.TextChoices):
        TEACHER = "teacher", _("Teacher")
        FORM_TUTOR = "form_tutor", _("Form tutor")
        SUBJECT_LEADER = "subject_leader", _("Subject leader")
        HEAD_OF_YEAR = "head_of_year", _("Head of year")
        HEAD_OF_HOUSE = "head_of_house", _("Head of house")
        SENIOR_LEADER = "senior_leader", _("Senior leader")
        LSA = "lsa", _("Learning support assistant")
        SCHOOL_ADMIN = "school_admin", _("School admin")
        # Answers subject access requests, confirms the retention schedule, reads who
        # looked at whom (privacy/); school admins hold it too without being given it.
        DATA_PROTECTION_LEAD = "data_protection_lead", _("Data protection lead")
        # Reads the half-term report (reports/) and nothing else: not a member of staff.
        GOVERNOR = "governor", _("Governor")
        # Reads the reports of their school's trust (reports/, the trust view) and of the
        # school they are assigned at, and nothing else: not a member of staff.
        TRUST_LEADER = "trust_leader", _("Trust leader")

    SCOPE_FIELD = {
        Role.FORM_TUTOR: "tutor_group",
        Role.SUBJECT_LEADER: "subject",
        Role.HEAD_OF_YEAR: "year_group",
        Role.HEAD_OF_HOUSE: "house",
    }

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, null=True, blank=True)
    year_group = models.ForeignKey(YearGroup, on_delete=models.CASCADE, null=True, blank=True)
    house = models.ForeignKey(House, on_delete=models.CASCADE, null=True, blank=True)
    tutor_group = models.ForeignKey(
        TutorGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        ordering = ["school", "user", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_role",
                condition=(
                    Q(
                        role="subject_leader",
                        subject__isnull=False,
                        year_group__isnull=True,
                        house__isnull=True,
                        tutor_group__isnull=True,
                    )
                    | Q(
                        role="head_of_year",
                        year_group__isnull=False,
                        subject__isnull=True,
                        house__isnull=True,
                        tutor_group__isnull=True,
                    )
                    | Q(
                        role="head_of_house",
                        house__isnull=False,
                        subject__isnull=True,
                        year_group__isnull=True,
                        tutor_group__isnull=True,
                    )
                    | Q(
                        role="form_tutor",
                        tutor_group__isnull=False,
                        subject__isnull=True,
                        year_group__isnull=True,
                        house__isnull=True,
                    )
                    | Q(
                        role__in=UNSCOPED_ROLES,
                        subject__isnull=True,
                        year_group__isnull=True,
                        house__isnull=True,
                        tutor_group__isnull=True,
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(role__in=UNSCOPED_ROLES),
                name="role_assignment_unique_unscoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "subject"],
                condition=Q(subject__isnull=False),
                name="role_assignment_unique_subject",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "year_group"],
                condition=Q(year_group__isnull=False),
                name="role_assignment_unique_year_group",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "house"],
                condition=Q(house__isnull=False),
                name="role_assignment_unique_house",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "tutor_group"],
                condition=Q(tutor_group__isnull=False),
                name="role_assignment_unique_tutor_group",
            ),
        ]
        indexes = [models.Index(fields=["school", "role"])]

    def __str__(self):
        scope = self.scope
        label = self.get_role_display()
        return f"{label} ({scope})" if scope else label

    @property
    def scope(self):
        field = self.SCOPE_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self):
        scope_field = self.SCOPE_FIELD.get(self.role)
        for field in self.SCOPE_FIELD.values():
            value = getattr(self, f"{field}_id")
            if field == scope_field and value is None:
                raise ValidationError(
                    {
                        field: _("Choose the %(scope)s this role covers.")
                        % {"scope": field.replace("_", " ")}
                    }
                )
            if field != scope_field and value is not None:
                raise ValidationError(
                    {
                        field: _("This role does not take a %(scope)s.")
                        % {"scope": field.replace("_", " ")}
                    }
                )
        user = getattr(self, "user", None)
        if user and self.school_id and user.school_id != self.school_id:
            raise ValidationError({"user": _("This person does not work at this school.")})


def on_roll(day: date, pupil: str = "") -> Q:
    """Rows whose pupil is on the school's roll on `day` (not yet left by then); `pupil`
    is the path to the pupil from the rows filtered ("pupil", "sanction__pupil"), empty
    for pupils themselves. The one rule (school.access.on_roll)."""
    prefix = f"{pupil}__" if pupil else ""
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})


class PupilQuerySet(models.QuerySet):
    def on_roll(self, day: date):
        """The pupils on the school's roll on `day`: not yet left by then."""
        return self.filter(on_roll(day))


class Pupil(SchoolOwned):
    class Sen(models.TextChoices):
        NONE = "", _("None")
        SUPPORT = "support", _("SEN support")
        EHCP = "ehcp", _("EHC plan")

    class Gender(models.TextChoices):
        NOT_RECORDED = "", _("Not recorded")
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        OTHER = "X", _("Other")

    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="pupil"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    upn = models.CharField("UPN", max_length=13, help_text="Unique pupil number")
    admission_number = models.CharField(max_length=20)
    date_of_birth = models.DateField()
    year_group = models.ForeignKey(YearGroup, on_delete=models.PROTECT, related_name="pupils")
    tutor_group = models.ForeignKey(TutorGroup, on_delete=models.PROTECT, related_name="pupils")
    house = models.ForeignKey(
        House, on_delete=models.PROTECT, null=True, blank=True, related_name="pupils"
    )
    pupil_premium = models.BooleanField(default=False)
    free_school_meals = models.BooleanField("FSM", default=False)
    sen = models.CharField("SEN", max_length=10, choices=Sen.choices, blank=True, default="")
    eal = models.BooleanField("EAL", default=False)
    young_carer = models.BooleanField(default=False)
    looked_after = models.BooleanField(default=False)
    travel_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Known travel constraints (e.g. a school bus) that affect after-school sessions",
    )
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True, default="")
    first_language = models.CharField(
        max_length=4, blank=True, help_text="The DfE language code, e.g. ENG, POL, URD"
    )
    left_on = models.DateField(
        null=True,
        blank=True,
        help_text="The first day the pupil is no longer on roll (set by an MIS import)",
    )
    # Set when the retention schedule anonymised a leaver's record: names, numbers and
    # dates of birth are gone; the rows that count (misses, sanctions, visits) remain.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PupilQuerySet.as_manager()

    class Meta:
        ordering = ["school", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_unique_upn"),
            models.UniqueConstraint(
                fields=["school", "admission_number"], name="pupil_unique_admission_number"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "year_group"]),
            models.Index(fields=["school", "tutor_group"]),
            models.Index(fields=["school", "house"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def flags(self):
        """Short labels for the pupil-group flags staff filter and report by."""
        labels = []
        if self.pupil_premium:
            labels.append("PP")
        if self.free_school_meals:
            labels.append("FSM")
        if self.sen:
            labels.append("EHCP" if self.sen == self.Sen.EHCP else "SEN")
        if self.eal:
            labels.append("EAL")
        if self.young_carer:
            labels.append("Young carer")
        if self.looked_after:
            labels.append("Looked after")
        return labels

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self):
        tutor_group = getattr(self, "tutor_group", None)
        if tutor_group and self.year_group_id and tutor_group.year_group_id != self.year_group_id:
            raise ValidationError(
                {"tutor_group": _("This tutor group belongs to another year group.")}
            )


class PupilPlacement(SchoolOwned):
    """Where a pupil was in an academic year that has ended: their year group and tutor
    group as they stood when the school started the next year (school/placements.py).
    The pupil's own year_group and tutor_group are where they are now; a year's pages
    read these rows once the year has been rolled over, so last year reads as it was."""

    academic_year = models.ForeignKey(
        AcademicYear, on_delete=models.CASCADE, related_name="placements"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="placements")
    year_group = models.ForeignKey(YearGroup, on_delete=models.PROTECT, related_name="+")
    tutor_group = models.ForeignKey(TutorGroup, on_delete=models.PROTECT, related_name="placements")

    class Meta:
        ordering = ["school", "academic_year", "pupil"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "academic_year"], name="pupil_placement_unique_year"
            )
        ]
        indexes = [
            models.Index(fields=["school", "academic_year", "year_group"]),
            models.Index(fields=["school", "academic_year", "tutor_group"]),
        ]

    def __str__(self):
        return f"{self.pupil} {self.academic_year}: {self.tutor_group}"


class Guardian(SchoolOwned):
    """A parent or carer as the school's MIS knows them. One login (`user`) may stand
    behind guardian records at several schools of a trust."""

    class Language(models.TextChoices):
        ENGLISH = "en-gb", "English"
        POLISH = "pl", "Polski"
        URDU = "ur", "اردو"

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="guardian_records"
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    home_phone = models.CharField(max_length=30, blank=True)
    work_phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    preferred_language = models.CharField(
        max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    notification_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    pupils = models.ManyToManyField(Pupil, through="GuardianLink", related_name="guardians")
    # Set when the record was erased (privacy/): names and contact details are gone.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "last_name", "first_name"]
        indexes = [models.Index(fields=["school", "last_name"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    def clean(self):
        if self.notification_channel == self.Channel.SMS and not self.mobile:
            raise ValidationError({"mobile": _("A mobile number is needed for text messages.")})
        if self.notification_channel == self.Channel.EMAIL and not self.email:
            raise ValidationError({"email": _("An email address is needed for email.")})


class GuardianLink(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        STEP_PARENT = "step_parent", _("Step-parent")
        GRANDPARENT = "grandparent", _("Grandparent")
        CARER = "carer", _("Carer")
        FOSTER_CARER = "foster_carer", _("Foster carer")
        OTHER = "other", _("Other relative")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="links")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="guardian_links")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=True)
    contact_priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["pupil", "contact_priority"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "pupil"], name="guardian_link_unique")
        ]

    def __str__(self):
        return f"{self.guardian} – {self.get_relationship_display()} of {self.pupil}"

    def clean(self):
        guardian = getattr(self, "guardian", None)
        pupil = getattr(self, "pupil", None)
        if guardian and pupil and guardian.school_id != pupil.school_id:
            raise ValidationError(_("A guardian record links only to pupils at its own school."))
