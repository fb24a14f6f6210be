"""Reads shaped for the school pages. Each returns what one page shows in a fixed number
of queries, however many rows there are."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from . import access
from .models import (
    AcademicYear,
    GuardianLink,
    House,
    Pupil,
    RoleAssignment,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)
from .placements import as_placed_in

Role = RoleAssignment.Role


def _on_roll(path: str = "pupils") -> Q:
    """The pupils counted and listed: those on roll on the school's today."""
    return access.on_roll(timezone.localdate(), path)


def _pupil_count(path: str = "pupils", flag: Q | None = None) -> Count:
    on_roll = _on_roll(path)
    return Count(path, filter=on_roll & flag if flag is not None else on_roll, distinct=True)


def _flag_counts() -> dict:
    return {
        "pupil_premium": _pupil_count(flag=Q(pupils__pupil_premium=True)),
        "free_school_meals": _pupil_count(flag=Q(pupils__free_school_meals=True)),
        "sen": _pupil_count(flag=~Q(pupils__sen="")),
        "eal": _pupil_count(flag=Q(pupils__eal=True)),
    }


def _tutors_prefetch() -> Prefetch:
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.filter(role=Role.FORM_TUTOR).select_related("user"),
    )


def _with_pupil_counts(groups: QuerySet) -> QuerySet:
    return groups.annotate(pupil_count=_pupil_count())


def tutor_groups_with_tutors(groups: QuerySet[TutorGroup]) -> QuerySet[TutorGroup]:
    return _with_pupil_counts(groups.select_related("year_group")).prefetch_related(
        _tutors_prefetch()
    )


def teaching_groups_with_teachers(groups: QuerySet[TeachingGroup]) -> QuerySet[TeachingGroup]:
    return groups.select_related("subject", "year_group").prefetch_related(
        Prefetch("teachers", queryset=User.objects.order_by("last_name", "first_name"))
    )


@dataclass
class HomePage:
    classes: list = field(default_factory=list)
    tutor_groups: list = field(default_factory=list)
    led_years: list = field(default_factory=list)
    led_houses: list = field(default_factory=list)
    led_subjects: list = field(default_factory=list)
    school_years: list = field(default_factory=list)
    children: list = field(default_factory=list)
    pupil: Pupil | None = None
    pupil_classes: list = field(default_factory=list)

    @property
    def is_empty(self):
        return not any(
            (
                self.classes,
                self.tutor_groups,
                self.led_years,
                self.led_houses,
                self.led_subjects,
                self.school_years,
                self.children,
                self.pupil,
            )
        )


def home_page_for(user) -> HomePage:
    page = HomePage()
    if access.is_staff_member(user):
        _fill_staff_sections(page, user)
    if access.is_pupil(user):
        page.pupil = (
            Pupil.objects.select_related("year_group", "tutor_group", "house")
            .prefetch_related(Prefetch("tutor_group__role_assignments", queryset=_tutor_roles()))
            .get(pk=user.pupil.pk)
        )
        page.pupil_classes = list(
            teaching_groups_with_teachers(
                page.pupil.teaching_groups.filter(archived_on__isnull=True)
            )
        )
    if access.is_guardian(user):
        page.children = children_of(user)
    return page


def _tutor_roles():
    return RoleAssignment.objects.filter(role=Role.FORM_TUTOR).select_related("user")


def _fill_staff_sections(page: HomePage, user) -> None:
    page.classes = list(
        _with_pupil_counts(
            TeachingGroup.objects.filter(
                school_id=user.school_id, teachers=user, archived_on__isnull=True
            )
        ).select_related("subject", "year_group")
    )
    tutor_group_ids = access.scope_ids(user, Role.FORM_TUTOR)
    if tutor_group_ids:
        page.tutor_groups = list(
            tutor_groups_with_tutors(TutorGroup.objects.filter(pk__in=tutor_group_ids))
        )
    year_ids = access.scope_ids(user, Role.HEAD_OF_YEAR)
    if year_ids:
        page.led_years = list(
            YearGroup.objects.filter(pk__in=year_ids)
            .annotate(pupil_count=_pupil_count())
            .prefetch_related(
                Prefetch(
                    "tutor_groups",
                    queryset=tutor_groups_with_tutors(TutorGroup.objects.current()),
                )
            )
        )
    house_ids = access.scope_ids(user, Role.HEAD_OF_HOUSE)
    if house_ids:
        page.led_houses = houses_with_year_counts(House.objects.filter(pk__in=house_ids))
    subject_ids = access.scope_ids(user, Role.SUBJECT_LEADER)
    if subject_ids:
        page.led_subjects = list(
            Subject.objects.filter(pk__in=subject_ids).annotate(
                group_count=Count(
                    "teaching_groups",
                    filter=Q(teaching_groups__archived_on__isnull=True),
                    distinct=True,
                ),
                pupil_count=_pupil_count("teaching_groups__pupils"),
            )
        )
    if access.is_school_wide(user):
        page.school_years = list(
            YearGroup.objects.filter(school_id=user.school_id).annotate(
                pupil_count=_pupil_count(),
                tutor_group_count=Count(
                    "tutor_groups",
                    filter=Q(tutor_groups__archived_on__isnull=True),
                    distinct=True,
                ),
                **_flag_counts(),
            )
        )


def houses_with_year_counts(houses: QuerySet[House]) -> list[House]:
    """Each house with its pupil count per year group (two queries)."""
    houses = list(houses.annotate(pupil_count=_pupil_count()))
    counts = (
        Pupil.objects.on_roll(timezone.localdate())
        .filter(house__in=houses)
        .values("house_id", "year_group__number")
        .annotate(n=Count("id"))
        .order_by("year_group__number")
    )
    by_house = {house.pk: [] for house in houses}
    for row in counts:
        by_house[row["house_id"]].append((row["year_group__number"], row["n"]))
    for house in houses:
        house.year_counts = by_house[house.pk]
    return houses


def children_of(user) -> list[Pupil]:
    """The login's children on roll (a child who has left keeps their page, reached from
    the parents' portal)."""
    links = access.guardian_links_of(user)
    return list(
        Pupil.objects.on_roll(timezone.localdate())
        .filter(pk__in=links.values("pupil_id"))
        .select_related("school", "year_group", "tutor_group", "house")
        .prefetch_related(Prefetch("tutor_group__role_assignments", queryset=_tutor_roles()))
        .order_by("-year_group__number", "first_name")
    )


def pupil_detail(user, pupil_id: int) -> Pupil:
    """The pupil's record as this user may see it; raises Pupil.DoesNotExist otherwise."""
    return (
        access.pupils_visible_to(user)
        .select_related("year_group", "tutor_group", "house")
        .prefetch_related(
            Prefetch("tutor_group__role_assignments", queryset=_tutor_roles()),
            Prefetch(
                "teaching_groups",
                queryset=teaching_groups_with_teachers(TeachingGroup.objects.all()),
            ),
            Prefetch(
                "guardian_links",
                queryset=GuardianLink.objects.select_related("guardian").order_by(
                    "contact_priority"
                ),
            ),
        )
        .get(pk=pupil_id)
    )


def pupils_for_roster_then(pupils: QuerySet[Pupil], year: AcademicYear) -> list[Pupil]:
    """A past year's roster: these pupils, leavers included, each shown in the year and
    tutor group they were in then (two queries)."""
    shown = list(
        pupils.select_related("tutor_group", "year_group", "house").order_by(
            "last_name", "first_name"
        )
    )
    as_placed_in(year, shown)
    return shown


def pupils_for_roster(pupils: QuerySet[Pupil]) -> QuerySet[Pupil]:
    """A roster's pupils: those on roll today, in register order."""
    return (
        pupils.on_roll(timezone.localdate())
        .select_related("tutor_group", "year_group", "house")
        .order_by("last_name", "first_name")
    )
