"""Reads for the consultations' pages: who is asked, what a guardian may answer, results."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import BooleanField, CharField, Count, Exists, Prefetch, Q, QuerySet
from django.utils import timezone

from parents.sql import statement
from school import access
from school.models import Guardian, GuardianLink, Pupil, TutorGroup, YearGroup

from .models import Consultation, Outcome, PupilGroup, Question, Response


# Each pupil group as a condition on pupils.
def group_condition(group: str, pupil: str = "") -> Q:
    """Pupils in `group`; `pupil` is the path to the pupil from the rows filtered."""
    prefix = f"{pupil}__" if pupil else ""
    if group == PupilGroup.SEN:
        return ~Q(**{f"{prefix}sen": ""})
    return Q(**{f"{prefix}{GROUP_FIELDS[group]}": True})


GROUP_FIELDS = {
    PupilGroup.PUPIL_PREMIUM: "pupil_premium",
    PupilGroup.FREE_SCHOOL_MEALS: "free_school_meals",
    PupilGroup.SEN: "sen",
    PupilGroup.EAL: "eal",
    PupilGroup.YOUNG_CARER: "young_carer",
}
GROUP_CONDITIONS = {group: group_condition(group) for group in GROUP_FIELDS}


def pupils_in_audience(consultation: Consultation, *, day: date | None = None) -> QuerySet[Pupil]:
    """The consultation's school's pupils on roll (`day`, default today) in its audience:
    its year or tutor groups (all pupils when it names none) and, when it names pupil
    groups, in at least one of them."""
    day = day or timezone.localdate()
    pupils = Pupil.objects.filter(school_id=consultation.school_id).filter(access.on_roll(day))
    year_ids = consultation.year_groups.through.objects.filter(
        consultation_id=consultation.pk
    ).values("yeargroup_id")
    tutor_ids = consultation.tutor_groups.through.objects.filter(
        consultation_id=consultation.pk
    ).values("tutorgroup_id")
    chosen = Exists(year_ids) | Exists(tutor_ids)
    pupils = pupils.filter(
        ~chosen | Q(year_group_id__in=year_ids) | Q(tutor_group_id__in=tutor_ids)
    )
    groups = [GROUP_CONDITIONS[g] for g in consultation.pupil_groups if g in GROUP_CONDITIONS]
    if groups:
        condition = Q()
        for group in groups:
            condition |= group
        pupils = pupils.filter(condition)
    return pupils


def guardians_asked(consultation: Consultation, *, day: date | None = None) -> QuerySet[Guardian]:
    """The guardians the consultation asks: at its school, linked to a pupil on roll in
    its audience; each once however many of their children are in it."""
    pupils = pupils_in_audience(consultation, day=day)
    # A semi-join (IN) rather than an Exists per guardian: PostgreSQL hashes the audience's
    # links once instead of probing the audience for every guardian of the school.
    links = GuardianLink.objects.filter(pupil__in=pupils).values("guardian_id")
    return Guardian.objects.filter(school_id=consultation.school_id, pk__in=links)


# A pupil's place in an audience, read in Python for the guardian's own few children.


@dataclass(frozen=True)
class Child:
    guardian_id: int
    school_id: int
    pupil_id: int
    first_name: str
    year_group_id: int
    tutor_group_id: int
    groups: frozenset


CHILD_FIELDS = (
    "guardian_id",
    "guardian__school_id",
    "pupil_id",
    "pupil__first_name",
    "pupil__year_group_id",
    "pupil__tutor_group_id",
    "pupil__pupil_premium",
    "pupil__free_school_meals",
    "pupil__sen",
    "pupil__eal",
    "pupil__young_carer",
)


def _child(row) -> Child:
    guardian_id, school_id, pupil_id, first_name, year_id, tutor_id, pp, fsm, sen, eal, yc = row
    flags = {
        PupilGroup.PUPIL_PREMIUM: pp,
        PupilGroup.FREE_SCHOOL_MEALS: fsm,
        PupilGroup.SEN: bool(sen),
        PupilGroup.EAL: eal,
        PupilGroup.YOUNG_CARER: yc,
    }
    return Child(
        guardian_id,
        school_id,
        pupil_id,
        first_name,
        year_id,
        tutor_id,
        frozenset(group for group, on in flags.items() if on),
    )


def children_from_pupils(pupils) -> list[Child]:
    """The Child rows of pupils a page has read already (the guardian's overview: its
    children on roll, each with `guardian_id`, the login's guardian record linked to it)."""
    rows = [
        Child(
            pupil.guardian_id,
            pupil.school_id,
            pupil.pk,
            pupil.first_name,
            pupil.year_group_id,
            pupil.tutor_group_id,
            _groups_of(pupil),
        )
        for pupil in pupils
    ]
    return sorted(rows, key=lambda child: (child.first_name, child.pupil_id))


def _groups_of(pupil) -> frozenset:
    flags = {
        PupilGroup.PUPIL_PREMIUM: pupil.pupil_premium,
        PupilGroup.FREE_SCHOOL_MEALS: pupil.free_school_meals,
        PupilGroup.SEN: bool(pupil.sen),
        PupilGroup.EAL: pupil.eal,
        PupilGroup.YOUNG_CARER: pupil.young_carer,
    }
    return frozenset(group for group, on in flags.items() if on)


def children_of(user, *, day: date) -> list[Child]:
    """The login's children on roll, with their guardian record (one query)."""
    rows = (
        access.guardian_links_of(user)
        .filter(access.on_roll(day, "pupil"))
        .order_by("pupil__first_name", "pupil_id")
        .values_list(*CHILD_FIELDS)
    )
    return [_child(row) for row in rows]


def in_audience(consultation: Consultation, child: Child) -> bool:
    """The Python twin of `pupils_in_audience` for one child (the consultation's year and
    tutor groups prefetched)."""
    year_ids = {g.pk for g in consultation.year_groups.all()}
    tutor_ids = {g.pk for g in consultation.tutor_groups.all()}
    return _asks(consultation, child, year_ids, tutor_ids)


def _asks(consultation: Consultation, child: Child, year_ids: set, tutor_ids: set) -> bool:
    """`in_audience`, the consultation's year and tutor groups given by their ids."""
    if child.school_id != consultation.school_id:
        return False
    if (year_ids or tutor_ids) and not (
        child.year_group_id in year_ids or child.tutor_group_id in tutor_ids
    ):
        return False
    groups = {g for g in consultation.pupil_groups if g in GROUP_CONDITIONS}
    return not groups or bool(groups & child.groups)


def _with_audience(consultations: QuerySet) -> QuerySet:
    return consultations.prefetch_related(
        Prefetch("year_groups", queryset=YearGroup.objects.only("pk")),
        Prefetch("tutor_groups", queryset=TutorGroup.objects.only("pk")),
    )


# A guardian's side.


@dataclass
class FamilyItem:
    consultation: Consultation
    children: list[Child]
    answered: bool
    open: bool
    upcoming: bool
    outcomes: list = field(default_factory=list)


RECENTLY_CLOSED = timedelta(days=30)
OUTCOMES_SHOWN_FOR = timedelta(days=120)


_CONSULTATION = Consultation._meta.db_table
_HAS_OUTCOME = (
    f"EXISTS(SELECT 1 FROM {Outcome._meta.db_table} o WHERE o.consultation_id = {_CONSULTATION}.id"
)
_ANSWERED = (
    f"EXISTS(SELECT 1 FROM {Response._meta.db_table} r"
    f" JOIN {GuardianLink._meta.db_table} l ON l.guardian_id = r.guardian_id"
    f" JOIN {Guardian._meta.db_table} g ON g.id = l.guardian_id"
    f" WHERE r.consultation_id = {_CONSULTATION}.id AND g.user_id = %s"
    " AND l.pupil_id IN ({pupils}))"
)
_FIELDS = Consultation._meta.concrete_fields


def _group_ids(through, column: str, vendor: str) -> str:
    """The consultation's year or tutor groups' ids, as one text column ("1,5")."""
    ids = f"CAST(t.{column} AS text)"
    joined = f"STRING_AGG({ids}, ',')" if vendor == "postgresql" else f"GROUP_CONCAT({ids}, ',')"
    return (
        f"SELECT {joined} FROM {through._meta.db_table} t"
        f" WHERE t.consultation_id = {_CONSULTATION}.id"
    )


def _ids(text: str | None) -> set[int]:
    return {int(part) for part in text.split(",")} if text else set()


def _family_sql(schools: int, pupils: int, vendor: str) -> str:
    """The sent consultations of the children's schools open, about to open or recently
    closed or with a recent outcome, with whether the login answered, whether they have
    outcomes, and their audiences' year and tutor groups: one query."""
    many = ", ".join
    return (
        "SELECT "
        + many(f'{_CONSULTATION}."{f.column}"' for f in _FIELDS)
        + f", ({_HAS_OUTCOME} AND o.published_at >= %s))"
        + f", ({_ANSWERED.format(pupils=many(['%s'] * pupils))})"
        + f", ({_HAS_OUTCOME}))"
        + f", ({_group_ids(Consultation.year_groups.through, 'yeargroup_id', vendor)})"
        + f", ({_group_ids(Consultation.tutor_groups.through, 'tutorgroup_id', vendor)})"
        + f" FROM {_CONSULTATION}"
        + f" WHERE {_CONSULTATION}.school_id IN ({many(['%s'] * schools)})"
        + f" AND {_CONSULTATION}.status = %s AND {_CONSULTATION}.opens_on <= %s"
        + f" AND ({_CONSULTATION}.closes_on >= %s OR {_HAS_OUTCOME} AND o.published_at >= %s))"
        + f" ORDER BY {_CONSULTATION}.closes_on ASC, {_CONSULTATION}.id ASC"
    )


_FAMILY_FIELDS = [
    *_FIELDS,
    BooleanField(),
    BooleanField(),
    BooleanField(),
    CharField(),
    CharField(),
]


def family_items(user, *, now=None, children=None) -> list[FamilyItem] | None:
    """What the guardian's overview shows: each sent consultation asking one of their
    children that is open, about to open or recently closed, and each with a "you said,
    we did" published lately; None when the login has no child on roll. `children`: the
    login's children on roll as the overview read them (`children_from_pupils`), else
    read here. One query (two without `children`; the consultations' year and tutor
    groups read with them), and one for their outcomes when one has any."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    if children is None:
        children = children_of(user, day=day)
    if not children:
        return None
    # The login's answer: from a guardian record of theirs (access.guardian_links_of)
    # linked to a child on roll. Written once in SQL (parents.sql): the ORM's nested
    # Exists/OuterRef and the audiences' query cost milliseconds on every overview.
    pupil_ids = [c.pupil_id for c in children]
    schools = sorted({c.school_id for c in children})
    recent = connection.ops.adapt_datetimefield_value(now - OUTCOMES_SHOWN_FOR)
    rows = statement(
        "consultations",
        _family_sql(len(schools), len(pupil_ids), connection.vendor),
        _FAMILY_FIELDS,
    ).rows(
        (
            recent,
            user.pk,
            *pupil_ids,
            *schools,
            Consultation.Status.SENT.value,
            connection.ops.adapt_datefield_value(day + timedelta(days=7)),
            connection.ops.adapt_datefield_value(day - RECENTLY_CLOSED),
            recent,
        )
    )
    width = len(_FIELDS)
    db = connection.alias
    consultations, audiences = [], {}
    for row in rows:
        consultation = Consultation.from_db(db, None, row[:width])
        recent_outcome, answered, has_outcomes, years, tutors = row[width:]
        consultation.recent_outcome = recent_outcome
        consultation.answered = answered
        consultation.has_outcomes = has_outcomes
        consultations.append(consultation)
        audiences[consultation.pk] = (_ids(years), _ids(tutors))
    items = []
    for consultation in consultations:
        asked = [c for c in children if _asks(consultation, c, *audiences[consultation.pk])]
        if not asked:
            continue
        items.append(
            FamilyItem(
                consultation=consultation,
                children=asked,
                answered=consultation.answered,
                open=consultation.opens_on <= day <= consultation.closes_on,
                upcoming=day < consultation.opens_on,
            )
        )
    with_outcomes = {item.consultation.pk: item for item in items if item.consultation.has_outcomes}
    if with_outcomes:
        for outcome in Outcome.objects.filter(consultation_id__in=with_outcomes).order_by(
            "consultation_id", "-published_at", "pk"
        ):
            with_outcomes[outcome.consultation_id].outcomes.append(outcome)
    return items


def consultation_for_guardian(user, consultation_id: int, *, day: date | None = None):
    """(consultation, guardian id, children asked) for a sent consultation asking one of
    the login's children; Consultation.DoesNotExist otherwise."""
    day = day or timezone.localdate()
    children = children_of(user, day=day)
    consultation = (
        _with_audience(
            Consultation.objects.filter(
                school_id__in={c.school_id for c in children}, status=Consultation.Status.SENT
            )
        )
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("options"))
        )
        .select_related("agreement")
        .get(pk=consultation_id)
    )
    asked = [c for c in children if in_audience(consultation, c)]
    if not asked:
        raise Consultation.DoesNotExist
    return consultation, asked[0].guardian_id, asked


def response_of(consultation: Consultation, guardian_id: int) -> Response | None:
    return (
        Response.objects.filter(consultation=consultation, guardian_id=guardian_id)
        .prefetch_related("answers")
        .first()
    )


# A leader's side.


def consultations_for(user) -> QuerySet[Consultation]:
    """The consultations of the leader's school (none for anyone else)."""
    if not access.is_school_wide(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(school_id=user.school_id)


def consultation_list(user) -> QuerySet[Consultation]:
    return (
        consultations_for(user)
        .select_related("academic_year")
        .annotate(
            response_count=Count("responses", distinct=True),
            question_count=Count("questions", distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )


def consultation_for_leader(user, consultation_id: int) -> Consultation:
    return (
        _with_audience(consultations_for(user))
        .select_related("agreement", "sent_by")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("options")),
            "outcomes",
        )
        .get(pk=consultation_id)
    )


def audience_description(consultation: Consultation) -> str:
    """Who is asked, in words (its year and tutor groups prefetched)."""
    parts = [str(g) for g in sorted(consultation.year_groups.all(), key=lambda g: g.pk)]
    parts += [g.name for g in sorted(consultation.tutor_groups.all(), key=lambda g: g.name)]
    where = ", ".join(parts) if parts else "All families"
    groups = [PupilGroup(g).label for g in consultation.pupil_groups if g in GROUP_CONDITIONS]
    if groups:
        return f"{where}: families of pupils who are {' or '.join(groups)}"
    return where


def questions_complete(consultation: Consultation) -> list[str]:
    """Why the consultation cannot be sent yet (its questions prefetched); empty when it can."""
    problems = []
    questions = list(consultation.questions.all())
    if not questions:
        problems.append("Add at least one question.")
    for question in questions:
        if question.has_options and len(question.options.all()) < 2:
            problems.append(f"Give “{question.text}” at least two answers to choose from.")
    return problems
