"""Reads for the head of year / head of house dashboard and the pupil timeline, each in a
fixed number of queries however many pupils and misses there are: every number comes from
a grouped count in the database, never from counting rows in Python."""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce

from school import access
from school.models import (
    AcademicYear,
    HalfTerm,
    Pupil,
    RoleAssignment,
    Subject,
    TutorGroup,
    YearGroup,
)

from .models import AuditEntry, EscalationPolicy, EscalationStep, Miss, Sanction

Role = RoleAssignment.Role
DASHBOARD_ROLES = (Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, *access.SCHOOL_WIDE_ROLES)
PASTORAL_ROLES = (Role.FORM_TUTOR, *DASHBOARD_ROLES)

FLAGS = {
    "pp": ("PP", Q(pupil_premium=True)),
    "fsm": ("FSM", Q(free_school_meals=True)),
    "sen": ("SEN", ~Q(sen="")),
    "eal": ("EAL", Q(eal=True)),
    "young_carer": ("Young carer", Q(young_carer=True)),
}


def may_use_dashboard(user) -> bool:
    return access.has_role(user, *DASHBOARD_ROLES)


def _scope(user) -> Q:
    """The pupils the dashboard covers: the viewer's years and houses, or the school."""
    if access.is_school_wide(user):
        return Q(school_id=user.school_id)
    return Q(school_id=user.school_id) & (
        Q(year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(house_id__in=access.scope_ids(user, Role.HEAD_OF_HOUSE))
    )


class DashboardFilters(forms.Form):
    """GET filters; the choices are only what the viewer's scope holds."""

    year_group = forms.ModelChoiceField(
        queryset=YearGroup.objects.none(), required=False, empty_label="All years"
    )
    tutor_group = forms.ModelChoiceField(
        queryset=TutorGroup.objects.none(), required=False, empty_label="All tutor groups"
    )
    subject = forms.ModelChoiceField(
        queryset=Subject.objects.none(), required=False, empty_label="All subjects"
    )
    flags = forms.MultipleChoiceField(
        choices=[(key, label) for key, (label, _) in FLAGS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Pupil groups",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_wide = access.is_school_wide(user)
        if self.school_wide:
            self.fields["year_group"].queryset = YearGroup.objects.filter(school_id=user.school_id)
        else:
            del self.fields["year_group"]
        in_scope = Pupil.objects.filter(_scope(user)).values("tutor_group_id")
        self.fields["tutor_group"].queryset = TutorGroup.objects.filter(
            school_id=user.school_id, pk__in=in_scope
        ).select_related("year_group")
        self.fields["subject"].queryset = Subject.objects.filter(school_id=user.school_id)
        for name, bound in self.fields.items():
            css = "form-check-input" if name == "flags" else "form-select"
            bound.widget.attrs["class"] = css

    def pupil_filter(self) -> Q:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        q = Q()
        if data.get("year_group"):
            q &= Q(year_group=data["year_group"])
        if data.get("tutor_group"):
            q &= Q(tutor_group=data["tutor_group"])
        for key in data.get("flags") or ():
            q &= FLAGS[key][1]
        return q

    def chosen_subject(self):
        return self.cleaned_data.get("subject") if self.is_bound and self.is_valid() else None


@dataclass
class PupilRow:
    pupil: Pupil
    counted: int
    open: int
    completed: int
    to_next: int
    next_step: EscalationStep
    in_subject: int | None


@dataclass
class TrendRow:
    half_term: HalfTerm
    misses: int


@dataclass
class Dashboard:
    year: AcademicYear | None
    policy: EscalationPolicy | None
    subject: Subject | None = None
    pupils: list[PupilRow] = field(default_factory=list)
    to_schedule: list[Sanction] = field(default_factory=list)
    served: int = 0
    trend: list[TrendRow] = field(default_factory=list)
    half_term_now: TrendRow | None = None

    @property
    def trend_max(self) -> int:
        return max((row.misses for row in self.trend), default=0)


def _count(queryset: QuerySet, pupil_ref: str = "pk") -> Coalesce:
    counts = (
        queryset.filter(pupil_id=OuterRef(pupil_ref))
        .order_by()
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def dashboard_for(user, filters: DashboardFilters, *, today: date, policy) -> Dashboard:
    """Queries: the academic year, the half-terms, the pupils with their counts, the
    sanctions to schedule, the served count and the trend (six, whatever the numbers)."""
    year = AcademicYear.objects.filter(
        school_id=user.school_id, start_date__lte=today, end_date__gte=today
    ).first()
    if year is None:
        return Dashboard(year=None, policy=policy)
    subject = filters.chosen_subject()
    pupils = Pupil.objects.filter(_scope(user)).filter(filters.pupil_filter())
    counted = Miss.objects.filter(academic_year=year, status=Miss.Status.COUNTED)
    subject_q = Q(assignment__homework__teaching_group__subject=subject) if subject else Q()

    rows = (
        pupils.annotate(
            counted=_count(counted),
            open=_count(counted.filter(sanction__isnull=True)),
            completed=_count(
                Sanction.objects.filter(academic_year=year).exclude(
                    status=Sanction.Status.CANCELLED
                )
            ),
            in_subject=_count(counted.filter(subject_q)),
        )
        .filter(counted__gt=0, in_subject__gt=0)
        .select_related("tutor_group", "year_group", "house")
    )
    board = Dashboard(year=year, policy=policy, subject=subject)
    for pupil in rows:
        board.pupils.append(
            PupilRow(
                pupil=pupil,
                counted=pupil.counted,
                open=pupil.open,
                completed=pupil.completed,
                to_next=max(policy.misses_per_cycle - pupil.open, 1),
                next_step=policy.step_for(pupil.completed + 1),
                in_subject=pupil.in_subject if subject else None,
            )
        )
    board.pupils.sort(key=lambda r: (r.to_next, -r.counted, r.pupil.last_name, r.pupil.first_name))

    sanctions = Sanction.objects.filter(school_id=user.school_id, academic_year=year).filter(
        pupil__in=pupils
    )
    if subject:
        sanctions = sanctions.filter(
            pk__in=Miss.objects.filter(subject_q, sanction__isnull=False).values("sanction_id")
        )
    board.to_schedule = list(
        sanctions.filter(status=Sanction.Status.TO_SCHEDULE)
        .select_related("pupil__tutor_group")
        .order_by("created_at", "pk")
    )
    board.served = sanctions.filter(status=Sanction.Status.SERVED).count()

    half_terms = list(HalfTerm.objects.filter(academic_year=year).order_by("start_date"))
    if half_terms:
        which = Case(
            *(
                When(recorded_at__date__range=(ht.start_date, ht.end_date), then=ht.pk)
                for ht in half_terms
            ),
            output_field=IntegerField(),
        )
        counts = dict(
            Miss.objects.filter(
                school_id=user.school_id,
                academic_year=year,
                status=Miss.Status.COUNTED,
                pupil__in=pupils,
            )
            .filter(subject_q)
            .annotate(half_term=which)
            .order_by()
            .values("half_term")
            .annotate(n=Count("pk"))
            .values_list("half_term", "n")
        )
        board.trend = [TrendRow(ht, counts.get(ht.pk, 0)) for ht in half_terms]
        board.half_term_now = next(
            (
                row
                for row in board.trend
                if row.half_term.start_date <= today <= row.half_term.end_date
            ),
            None,
        )
    return board


def pastoral_pupils(user) -> QuerySet[Pupil]:
    """Pupils whose timeline this person may open: visible to them, and in their care as
    form tutor, head of year or house, or school-wide. A subject teacher as such: none."""
    if not access.has_role(user, *PASTORAL_ROLES):
        return Pupil.objects.none()
    visible = access.pupils_visible_to(user).filter(school_id=user.school_id)
    if access.is_school_wide(user):
        return visible
    return visible.filter(
        Q(tutor_group_id__in=access.scope_ids(user, Role.FORM_TUTOR))
        | Q(year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(house_id__in=access.scope_ids(user, Role.HEAD_OF_HOUSE))
    )


def may_excuse_for(user, pupil: Pupil) -> bool:
    """The pupil's form tutor, head of year, or a senior leader (as misses_excusable_by)."""
    return (
        access.has_role(user, Role.SENIOR_LEADER)
        or pupil.tutor_group_id in access.scope_ids(user, Role.FORM_TUTOR)
        or pupil.year_group_id in access.scope_ids(user, Role.HEAD_OF_YEAR)
    )


@dataclass
class Timeline:
    misses: list[Miss]
    sanctions: list[Sanction]
    audit: list[AuditEntry]


def timeline_of(pupil: Pupil) -> Timeline:
    """Every miss, sanction and audit entry of the pupil, newest first (three queries)."""
    return Timeline(
        misses=list(
            Miss.objects.filter(school_id=pupil.school_id, pupil=pupil)
            .select_related(
                "academic_year",
                "assignment__homework__teaching_group__subject",
                "assignment__homework__set_by",
                "recorded_by",
                "changed_by",
                "sanction",
            )
            .order_by("-recorded_at", "-pk")
        ),
        sanctions=list(
            Sanction.objects.filter(school_id=pupil.school_id, pupil=pupil)
            .select_related("academic_year")
            .order_by("-created_at", "-pk")
        ),
        audit=[
            _labelled(entry)
            for entry in AuditEntry.objects.filter(school_id=pupil.school_id, pupil=pupil)
            .select_related("actor")
            .order_by("-at", "-pk")
        ],
    )


ACTION_LABELS = {
    "miss_recorded": "Missed deadline recorded",
    "miss_voided": "Missed deadline undone (recorded in error)",
    "miss_excused": "Missed deadline excused",
    "sanction_created": "Sanction due",
    "sanction_cancelled": "Sanction cancelled",
}


def _labelled(entry: AuditEntry) -> AuditEntry:
    entry.label = ACTION_LABELS.get(entry.action, entry.action.replace("_", " ").capitalize())
    return entry
