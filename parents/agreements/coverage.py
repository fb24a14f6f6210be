"""Who has signed: coverage by year and tutor group over the viewer's pupils, the lists of
families who have and have not signed, and the reminders to the unsigned."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_queue
from school import access
from school.models import (
    AcademicYear,
    GuardianLink,
    Pupil,
    PupilPlacement,
    RoleAssignment,
    TutorGroup,
    User,
)
from school.placements import (
    as_placed_in,
    in_groups_then,
    is_rolled_over,
    tutor_group_ids_then,
)

from ..models import Agreement, AgreementTranslation, Signature
from ..notices import AGREEMENT_REMINDER
from .text import LANGUAGE_NAMES, AgreementError
from .versions import agreement_current

Role = RoleAssignment.Role


COVERAGE_ROLES = (Role.FORM_TUTOR, Role.HEAD_OF_YEAR, *access.SCHOOL_WIDE_ROLES)
REMINDER_INTERVAL = timedelta(days=7)
# The coverage page lists the unsigned families a page at a time (a school has hundreds);
# the CSV has them all.
UNSIGNED_PER_PAGE = 50


def may_see_coverage(user) -> bool:
    return access.has_role(user, *COVERAGE_ROLES)


@dataclass
class CoverageRow:
    label: str
    pupils: int
    signed: int
    tutor_group: TutorGroup | None = None
    # Pupils signed for in each language (a pupil two parents signed for in two
    # languages counts in both).
    languages: dict = field(default_factory=dict)

    @property
    def language_counts(self) -> list[tuple[str, str, int]]:
        """(code, language, pupils) for each language signed in, in the site's order."""
        return [
            (code, name, self.languages[code])
            for code, name in LANGUAGE_NAMES
            if self.languages.get(code)
        ]

    @property
    def unsigned(self) -> int:
        return self.pupils - self.signed

    @property
    def percent(self) -> int:
        """Whole per cent, halves rounded up (1 of 8 is 13%)."""
        if not self.pupils:
            return 0
        return (200 * self.signed + self.pupils) // (2 * self.pupils)


@dataclass
class Coverage:
    agreement: Agreement | None
    total: CoverageRow
    years: list[CoverageRow]
    groups: list[CoverageRow]


def _signed(agreement: Agreement, pupil_ref="pk") -> Exists:
    return Exists(Signature.objects.filter(agreement_id=agreement.pk, pupil_id=OuterRef(pupil_ref)))


def groups_in_care(user, year: AcademicYear | None) -> QuerySet[TutorGroup]:
    """The tutor groups of the agreement's year in the viewer's care. In a rolled-over year
    (the summer after the next one was started), that year's groups: a head of year's of
    their year, a form tutor's where their tutees were then (school/placements.py);
    otherwise the groups they may see."""
    visible = access.tutor_groups_visible_to(user)
    if not is_rolled_over(year):
        return visible
    tutees = Pupil.objects.filter(tutor_group__in=visible)
    return TutorGroup.objects.filter(school_id=user.school_id, academic_year=year).filter(
        Q(pk__in=visible.values("pk")) | Q(pk__in=tutor_group_ids_then(year, tutees))
    )


def _by_group_then(pupils: list[Pupil], year: AcademicYear) -> list[Pupil]:
    """The pupils shown in their groups of `year` and ordered by them (year, tutor group,
    name), as the current year's lists are ordered in the database."""
    as_placed_in(year, pupils)
    return sorted(
        pupils,
        key=lambda p: (p.year_group.number, p.tutor_group.name, p.last_name, p.first_name, p.pk),
    )


def coverage(user, today: date) -> Coverage:
    """Pupils with at least one signature of the current version, by tutor group and year,
    over the tutor groups the viewer may see (a tutor their group, a head of year their
    year, senior leaders the school). Two queries. Last year's agreement, once that year
    has been rolled over, counts by the groups of then and who was in them."""
    agreement = agreement_current(user.school_id, today)
    total = CoverageRow(label="All pupils in your care", pupils=0, signed=0)
    if agreement is None:
        return Coverage(agreement=None, total=total, years=[], groups=[])
    year = agreement.academic_year
    # The groups' pupils (their placements' in a rolled-over year), joined on the school
    # too so that the join reads only this school's rows (indexes start with the school).
    relation = "placements" if is_rolled_over(year) else "pupils"
    members = "members__pupil" if is_rolled_over(year) else "members"
    signatures = Signature.objects.filter(school_id=user.school_id, agreement_id=agreement.pk)
    on_roll = access.on_roll(today, members)  # the pupils on roll are the ones counted
    # A pupil is in one tutor group, so the current year's counts need no DISTINCT (which
    # sorts every pupil of the school); a rolled-over year's go through its placements.
    distinct = is_rolled_over(year)
    signed_pupil = on_roll & Q(**{f"{members}__in": signatures.values("pupil_id")})
    in_language = {
        f"n_language_{n}": Count(
            members,
            filter=on_roll
            & Q(**{f"{members}__in": signatures.filter(language=code).values("pupil_id")}),
            distinct=distinct,
        )
        for n, (code, _name) in enumerate(LANGUAGE_NAMES)
    }
    groups = (
        groups_in_care(user, year)
        .select_related("year_group")
        .annotate(
            members=FilteredRelation(
                relation, condition=Q(**{f"{relation}__school_id": user.school_id})
            )
        )
        .annotate(
            n_pupils=Count(members, filter=on_roll, distinct=distinct),
            n_signed=Count(members, filter=signed_pupil, distinct=distinct),
            **in_language,
        )
        .order_by("year_group__number", "name")
    )
    rows, years = [], {}
    for group in groups:
        row = CoverageRow(
            label=group.name,
            pupils=group.n_pupils,
            signed=group.n_signed,
            tutor_group=group,
            languages={
                code: getattr(group, f"n_language_{n}")
                for n, (code, _name) in enumerate(LANGUAGE_NAMES)
            },
        )
        rows.append(row)
        year = years.setdefault(
            group.year_group.number,
            CoverageRow(label=str(group.year_group), pupils=0, signed=0),
        )
        for summary in (year, total):
            summary.pupils += row.pupils
            summary.signed += row.signed
            for code, count in row.languages.items():
                summary.languages[code] = summary.languages.get(code, 0) + count
    return Coverage(agreement=agreement, total=total, years=list(years.values()), groups=rows)


def _unsigned_pupils(user, agreement: Agreement) -> QuerySet[Pupil]:
    """The viewer's pupils with no signature of `agreement`, with their parents and carers
    with parental responsibility (first contact first) and when they were last reminded,
    ordered by year, tutor group and name: the groups of then for a rolled-over year's
    agreement (in the query, so that a page of the list is a slice of it)."""
    year = agreement.academic_year
    last_reminded = (
        Notification.objects.filter(pupil_id=OuterRef("pk"), kind=AGREEMENT_REMINDER)
        .order_by()
        .values("pupil_id")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    pupils = (
        Pupil.objects.on_roll(timezone.localdate())
        .filter(
            in_groups_then(year, tutor_group_ids=groups_in_care(user, year)),
            school_id=user.school_id,
        )
        .filter(~_signed(agreement))
        .annotate(last_reminded=Subquery(last_reminded))
        .select_related("tutor_group", "year_group")
        .prefetch_related(
            Prefetch(
                "guardian_links",
                queryset=GuardianLink.objects.filter(parental_responsibility=True)
                .select_related("guardian")
                .order_by("contact_priority", "pk"),
                to_attr="responsible_links",
            )
        )
    )
    if not is_rolled_over(year):
        return pupils.order_by(
            "year_group__number", "tutor_group__name", "last_name", "first_name", "pk"
        )
    placed = PupilPlacement.objects.filter(academic_year=year, pupil_id=OuterRef("pk"))
    return pupils.annotate(
        year_then=Subquery(placed.values("year_group__number")[:1]),
        group_then=Subquery(placed.values("tutor_group__name")[:1]),
    ).order_by("year_then", "group_then", "last_name", "first_name", "pk")


def unsigned_families(user, agreement: Agreement) -> list[Pupil]:
    """Every unsigned family in the viewer's care (`_unsigned_pupils`), for the CSV. Two
    queries; for a rolled-over year's agreement, shown in the groups of then (one more)."""
    pupils = list(_unsigned_pupils(user, agreement))
    as_placed_in(agreement.academic_year, pupils)
    return pupils


class _Counted:
    """A query whose length is already known (the coverage counts the unsigned pupils), so
    that paging it asks for one slice and never counts again."""

    def __init__(self, queryset: QuerySet, length: int):
        self.queryset, self.length = queryset, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key):
        return self.queryset[key]


def unsigned_families_page(user, agreement: Agreement, *, unsigned: int, number) -> Page:
    """One page of the unsigned families (`_unsigned_pupils`), `unsigned` of them in all
    (the coverage's count); a page past the end shows the last. Two queries, none when
    every family has signed; for a rolled-over year's agreement, one more."""
    paginator = Paginator(_Counted(_unsigned_pupils(user, agreement), unsigned), UNSIGNED_PER_PAGE)
    page = paginator.get_page(number)
    page.object_list = list(page.object_list)
    as_placed_in(agreement.academic_year, page.object_list)
    _relationships_named(page.object_list)
    return page


def _relationships_named(pupils: list[Pupil]) -> None:
    """Each listed parent's relationship in words (`relationship_label`), from one table:
    `get_relationship_display` translates every choice on every call."""
    labels = {value: str(label) for value, label in GuardianLink.Relationship.choices}
    for pupil in pupils:
        for link in pupil.responsible_links:
            link.relationship_label = labels.get(link.relationship, link.relationship)


def signed_families(user, agreement: Agreement) -> list[Signature]:
    """The signatures of `agreement` for the viewer's pupils, with the language each was
    signed in, by tutor group and name. One query; for a rolled-over year's agreement, by
    the groups of then (one more)."""
    year = agreement.academic_year
    signatures = (
        Signature.objects.filter(
            in_groups_then(year, tutor_group_ids=groups_in_care(user, year), pupil="pupil"),
            agreement=agreement,
            pupil__school_id=user.school_id,
        )
        .select_related("pupil__tutor_group", "pupil__year_group", "guardian")
        .order_by(
            "pupil__year_group__number",
            "pupil__tutor_group__name",
            "pupil__last_name",
            "pupil__first_name",
            "pupil_id",
            "signed_at",
        )
    )
    if not is_rolled_over(year):
        return list(signatures)
    signatures = list(signatures)
    order = {
        pupil.pk: n for n, pupil in enumerate(_by_group_then([s.pupil for s in signatures], year))
    }
    return sorted(signatures, key=lambda s: (order[s.pupil.pk], s.signed_at))


@dataclass
class RemindersSent:
    families: int  # children whose parents were reminded
    messages: int  # outbox rows written (one per parent with parental responsibility)
    skipped: int  # reminded in the last seven days, or no parent to tell


@transaction.atomic
def reminders_send(
    *, actor: User, tutor_group: TutorGroup, now: datetime | None = None
) -> RemindersSent:
    """Remind the unsigned families of one tutor group (in the actor's care): one outbox
    row per parent with parental responsibility, and never a family reminded in the last
    seven days (siblings count as one family)."""
    now = now or timezone.now()
    agreement = agreement_current(tutor_group.school_id, timezone.localdate(now))
    if agreement is None:
        raise AgreementError("No agreement is published for this year yet.")
    year = agreement.academic_year
    if not groups_in_care(actor, year).filter(pk=tutor_group.pk).exists():
        raise AgreementError("This tutor group is not in your care.")
    # Serialise reminders for the group so two clicks at once send once.
    TutorGroup.objects.select_for_update().filter(pk=tutor_group.pk).exists()
    unsigned = list(
        Pupil.objects.on_roll(timezone.localdate(now))
        .filter(in_groups_then(year, tutor_group_ids=[tutor_group.pk]))
        .filter(~_signed(agreement))
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name")
    )
    links = GuardianLink.objects.filter(
        pupil_id__in=[pk for pk, _name in unsigned], parental_responsibility=True
    ).values_list("pupil_id", "guardian_id")
    guardians_of = {}
    for pupil_id, guardian_id in links:
        guardians_of.setdefault(pupil_id, set()).add(guardian_id)
    every_guardian = set().union(*guardians_of.values()) if guardians_of else set()
    reminded = set(
        Notification.objects.filter(
            guardian_id__in=every_guardian,
            kind=AGREEMENT_REMINDER,
            created_at__gt=now - REMINDER_INTERVAL,
        ).values_list("guardian_id", flat=True)
    )
    # The title as each family reads it: the school's published translations.
    titles = dict(
        AgreementTranslation.objects.filter(
            agreement=agreement, published_at__isnull=False
        ).values_list("language", "title")
    )
    events = []
    for pupil_id, first_name in unsigned:
        guardians = guardians_of.get(pupil_id, set())
        if not guardians or guardians & reminded:
            continue
        reminded |= guardians
        events.append(
            (
                pupil_id,
                AGREEMENT_REMINDER,
                {
                    "title": agreement.title,
                    "title_translations": titles,
                    "version": agreement.version,
                    "academic_year": agreement.academic_year.name,
                    "pupil_first_name": first_name,
                    "path": reverse("parents_agreement"),
                },
            )
        )
    messages = notifications_queue(events=events) if events else 0
    return RemindersSent(
        families=len(events), messages=messages, skipped=len(unsigned) - len(events)
    )
