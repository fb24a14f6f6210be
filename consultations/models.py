"""Parent voice (issue 17, section 1; the national guidance on consulting parents): a
leader's consultation or survey for all families, some year or tutor groups, or the
families of some pupil groups; the guardians' answers (one per guardian, changeable until
it closes); the school's own tags for free-text answers; and "you said, we did", what the
school changed because of the answers.

Texts are written in English; the school's translations into the parents' languages sit
beside each text as {language: text} (English is shown where one is missing)."""

from django.db import models
from django.db.models import Q

from parents.models import Agreement
from school.models import AcademicYear, Guardian, SchoolOwned, TutorGroup, User, YearGroup


class PupilGroup(models.TextChoices):
    """The pupil groups a consultation may be addressed to and its results are split by."""

    PUPIL_PREMIUM = "pp", "Pupil Premium"
    FREE_SCHOOL_MEALS = "fsm", "Free school meals"
    SEN = "sen", "SEN"
    EAL = "eal", "EAL"
    YOUNG_CARER = "young_carer", "Young carer"


class Consultation(SchoolOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=150)
    introduction = models.TextField(blank=True)
    # {"pl": {"title": ..., "introduction": ..., "policy_title": ..., "policy_text": ...}}
    translations = models.JSONField(default=dict, blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    anonymous = models.BooleanField(
        default=True, help_text="Leaders see no names beside the answers; parents are told"
    )
    # The audience: guardians of a pupil on roll in one of these year or tutor groups
    # (all families when both are empty) and, when pupil groups are chosen, in one of them.
    year_groups = models.ManyToManyField(YearGroup, blank=True, related_name="+")
    tutor_groups = models.ManyToManyField(TutorGroup, blank=True, related_name="+")
    pupil_groups = models.JSONField(default=list, blank=True)
    # What it asks about, shown beside it: a draft of the home-school agreement, or a policy.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    policy_title = models.CharField(max_length=150, blank=True)
    policy_text = models.TextField(blank=True)
    policy_link = models.URLField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-opens_on", "-pk"]
        indexes = [models.Index(fields=["school", "status", "closes_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def is_open(self, day) -> bool:
        return self.is_sent and self.opens_on <= day <= self.closes_on


class Question(SchoolOwned):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        SCALE = "scale", "Scale of 1 to 5"
        TEXT = "text", "Free text"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=300)
    translations = models.JSONField(default=dict, blank=True)  # {"pl": "..."}
    required = models.BooleanField(default=False)

    class Meta:
        ordering = ["consultation", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Option(SchoolOwned):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=200)
    translations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["question", "position", "pk"]

    def __str__(self):
        return self.text


class Response(SchoolOwned):
    """One guardian's answers to one consultation, whichever children they have in its
    audience; they may change it until the consultation closes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.CASCADE, related_name="consultation_responses"
    )
    language = models.CharField(max_length=10, default="en-gb")
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["school", "consultation", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "guardian"], name="consultation_one_response_per_guardian"
            )
        ]
        indexes = [models.Index(fields=["school", "guardian"])]

    def __str__(self):
        return f"Response to {self.consultation}"


class Tag(SchoolOwned):
    """The school's own word for what a free-text answer is about ("homework load")."""

    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="tag_unique_name")]

    def __str__(self):
        return self.name


class Answer(SchoolOwned):
    """One answer to one question: a chosen option (one row per option ticked), a point
    on the scale, or a text."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="answers")

    class Meta:
        ordering = ["response", "question", "pk"]
        indexes = [models.Index(fields=["question", "option"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="answer_scale_1_to_5",
            )
        ]


class Outcome(SchoolOwned):
    """ "You said, we did": what the school changed because of the answers, shown to every
    family that was asked."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="outcomes"
    )
    text = models.TextField()
    translations = models.JSONField(default=dict, blank=True)  # {"pl": "..."}
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["consultation", "-published_at"]

    def __str__(self):
        return f"You said, we did: {self.consultation}"
