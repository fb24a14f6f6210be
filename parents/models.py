"""The parents' side (DESIGN.md section 1, issue 5): invitations and linking codes that
give a guardian's login their children, the annual home-school agreement and its
signatures, the weekly sign-off with a comment to the tutor, and message threads between
a guardian and their child's tutor or teachers."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import AcademicYear, Guardian, Pupil, SchoolOwned, User


class Invitation(SchoolOwned):
    """A one-time link, sent by email, that lets the person behind a guardian record set
    a password (or, if they already have a login, attach the record to it). Only a hash
    of the token is stored."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-created_at"]
        indexes = [models.Index(fields=["school", "guardian"])]

    def __str__(self):
        return f"Invitation to {self.email}"


class LinkCode(SchoolOwned):
    """A code the school gives a guardian to add a further child to their login: with the
    child's date of birth it attaches the guardian record to the account. Single use."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="link_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-created_at"]


class Agreement(SchoolOwned):
    """One version of a school's home-school agreement for an academic year (seeds 000 and
    003). Published versions are never edited: a change is a new version, which needs
    signing again. Signing is never a condition of anything."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=150)
    introduction = models.TextField(blank=True)
    school_commitments = models.TextField()
    teacher_commitments = models.TextField()
    parent_commitments = models.TextField()
    pupil_commitments = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "-academic_year__start_date", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "academic_year", "version"], name="agreement_unique_version"
            ),
            models.UniqueConstraint(
                fields=["school", "academic_year"],
                condition=Q(status="draft"),
                name="agreement_one_draft_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class AgreementTranslation(SchoolOwned):
    """One version of the agreement in one of the parents' languages, written by the
    school. Families read and sign it in their language; the English version is the one
    that counts, and the translation says so. A translation of a draft is published with
    its version; one added to the published version is published on its own. Once
    published it is never edited: a change is a new version of the agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=150)
    introduction = models.TextField(blank=True)
    school_commitments = models.TextField()
    teacher_commitments = models.TextField()
    parent_commitments = models.TextField()
    pupil_commitments = models.TextField()
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["school", "agreement", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "language"], name="agreement_translation_once"
            )
        ]

    def __str__(self):
        return f"{self.agreement} ({self.language})"


class Signature(SchoolOwned):
    """A guardian's signature of one agreement version for one child. Written once and
    never changed: who, for whom, when, from where, and the language of the text they
    read and signed (English, or the school's translation)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="signatures")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="signatures")
    typed_name = models.CharField(max_length=200)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        ordering = ["school", "-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "guardian", "pupil"], name="signature_once"
            )
        ]
        indexes = [models.Index(fields=["school", "agreement", "pupil"])]


class PupilAcknowledgement(SchoolOwned):
    """The pupil's own acknowledgement of the agreement (optional, like everything here)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "pupil"], name="acknowledgement_once")
        ]


class WeeklySignOff(SchoolOwned):
    """A guardian has seen a child's homework for a week (Monday `week_start`), with an
    optional comment the tutor reads and answers."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="sign_offs")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="sign_offs")
    week_start = models.DateField()
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    comment = models.TextField(blank=True)
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-week_start", "pupil"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "guardian", "week_start"], name="sign_off_once_a_week"
            )
        ]
        indexes = [models.Index(fields=["school", "week_start"])]


class Thread(SchoolOwned):
    """A conversation about one child between a guardian and a member of staff (their
    tutor or one of their teachers)."""

    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="threads")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="threads")
    staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="parent_threads")
    subject = models.CharField(max_length=150)
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    guardian_read_at = models.DateTimeField(null=True, blank=True)
    staff_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-last_message_at"]
        indexes = [
            models.Index(fields=["school", "staff", "last_message_at"]),
            models.Index(fields=["school", "guardian", "last_message_at"]),
        ]


class Message(SchoolOwned):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    from_guardian = models.BooleanField()
    body = models.TextField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["thread", "sent_at", "pk"]


class PortalVisit(SchoolOwned):
    """A guardian opened the parents' pages on this day (the school's date): one row per
    guardian record and day, written by parents/visits.py at most once a day. The half-term
    report counts the families who opened the portal (reports/measures/engagement.py)."""

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="portal_visits")
    day = models.DateField()

    class Meta:
        ordering = ["school", "-day"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "day"], name="portal_visit_once_a_day")
        ]
        indexes = [models.Index(fields=["school", "day"])]

    def __str__(self):
        return f"{self.guardian_id} on {self.day}"
