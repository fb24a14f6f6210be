"""Where pupils were in an academic year, for the pages that read that year.

A pupil's own `year_group` and `tutor_group` say where they are now. Starting the next
academic year (mis/rollover) first writes each pupil's placement in the year that ends
(`PupilPlacement`: the year group and tutor group they were in), then moves them up.
From then on the old year is "rolled over" (`AcademicYear.rolled_over_at`), and a page
reading it asks here rather than the pupil's current groups, so last year's dashboard,
lists and exports still name Year 7 and 7A for a pupil who is now in 8A.

The current year (not rolled over) has no placements: the pupil's own fields are its
truth, kept up to date by imports and the admin, so there is nothing to go stale."""

import datetime
from collections.abc import Iterable

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from .calendar import academic_years_for
from .models import AcademicYear, Pupil, PupilPlacement


def is_rolled_over(year: AcademicYear | None) -> bool:
    return year is not None and year.rolled_over_at is not None


def _ids(ids: Iterable[int] | QuerySet | None) -> list[int] | QuerySet | None:
    if ids is None or isinstance(ids, QuerySet):
        return ids
    return list(ids)


def tutor_group_members_then(year: AcademicYear | None) -> str:
    """The path from a tutor group to the pupils in it during `year`, for counts by tutor
    group as it was: its placements' pupils in a rolled-over year, else its own pupils."""
    return "placements__pupil" if is_rolled_over(year) else "pupils"


def in_groups_then(
    year: AcademicYear | None,
    *,
    year_group_ids: Iterable[int] | None = None,
    tutor_group_ids: Iterable[int] | None = None,
    pupil: str = "",
) -> Q:
    """Rows whose pupil was in these year groups (and these tutor groups) in `year`: by
    the placements of a rolled-over year, else by the pupil's own groups. `pupil` is the
    path to the pupil from the rows filtered, empty for pupils themselves. The ids may be
    a query (of groups, or of their ids), kept as a subquery."""
    prefix = f"{pupil}__" if pupil else ""
    year_group_ids, tutor_group_ids = _ids(year_group_ids), _ids(tutor_group_ids)
    if not is_rolled_over(year):
        q = Q()
        if year_group_ids is not None:
            q &= Q(**{f"{prefix}year_group_id__in": year_group_ids})
        if tutor_group_ids is not None:
            q &= Q(**{f"{prefix}tutor_group_id__in": tutor_group_ids})
        return q
    placed = PupilPlacement.objects.filter(academic_year=year)
    if year_group_ids is not None:
        placed = placed.filter(year_group_id__in=year_group_ids)
    if tutor_group_ids is not None:
        placed = placed.filter(tutor_group_id__in=tutor_group_ids)
    key = f"{pupil}_id__in" if pupil else "pk__in"
    return Q(**{key: placed.values("pupil_id")})


def year_group_id_then(year: AcademicYear | None):
    """An expression, on pupils, of the id of the year group each was in during `year`:
    their placement's in a rolled-over year (a subquery; None for a pupil not placed that
    year), else their own. For counts grouped by year group as it was."""
    if not is_rolled_over(year):
        return F("year_group_id")
    placed = PupilPlacement.objects.filter(academic_year=year, pupil_id=OuterRef("pk"))
    return Subquery(placed.values("year_group_id")[:1])


def tutor_group_ids_then(year: AcademicYear | None, pupils: QuerySet[Pupil]) -> QuerySet:
    """The ids of the tutor groups these pupils were in during `year` (a subquery)."""
    if not is_rolled_over(year):
        return pupils.values("tutor_group_id")
    return PupilPlacement.objects.filter(academic_year=year, pupil__in=pupils).values(
        "tutor_group_id"
    )


def as_placed_in(year: AcademicYear | None, pupils: Iterable[Pupil]) -> None:
    """Shows each of these pupils (in memory, never saved) in the year group and tutor
    group they were in during `year`, when that year has been rolled over (one query;
    none otherwise). A pupil with no placement that year keeps their own groups."""
    pupils = [pupil for pupil in pupils if pupil is not None]
    if not is_rolled_over(year) or not pupils:
        return
    placements = {
        placement.pupil_id: placement
        for placement in PupilPlacement.objects.filter(
            academic_year=year, pupil_id__in={pupil.pk for pupil in pupils}
        ).select_related("year_group", "tutor_group")
    }
    for pupil in pupils:
        placement = placements.get(pupil.pk)
        if placement is not None:
            pupil.year_group = placement.year_group
            pupil.tutor_group = placement.tutor_group


def as_placed_each(rows: Iterable[tuple[AcademicYear | None, Pupil | None]]) -> None:
    """As `as_placed_in`, for a list whose records belong to different academic years
    (meetings, sanctions waiting, bookings): each pupil is shown in the groups they were
    in during the year paired with them, when that year has been rolled over (one query
    for all the years; none when no year of the list has been rolled over). Each pupil
    object is changed in memory only, so a row's pupil must be its own object (as
    select_related gives)."""
    rows = [(year, pupil) for year, pupil in rows if is_rolled_over(year) and pupil is not None]
    if not rows:
        return
    placements = {
        (placement.academic_year_id, placement.pupil_id): placement
        for placement in PupilPlacement.objects.filter(
            academic_year_id__in={year.pk for year, _ in rows},
            pupil_id__in={pupil.pk for _, pupil in rows},
        ).select_related("year_group", "tutor_group")
    }
    for year, pupil in rows:
        placement = placements.get((year.pk, pupil.pk))
        if placement is not None:
            pupil.year_group = placement.year_group
            pupil.tutor_group = placement.tutor_group


def placement_on(school_id: int, day: datetime.date | str, *, pupil: str = "pupil") -> Subquery:
    """An expression, on rows with a pupil (`pupil` is the path to it), of the id of the
    pupil's placement in the academic year of `day` when that year has been rolled over,
    else None: so a page of a dated record (a club session) knows in its own query
    whether any of its pupils must be shown as they were, and asks no more in the current
    year. `day` is a date, or the path to each row's own date (a list of sessions of
    several days). Pass the ids to as_placed_by."""
    if isinstance(day, str):
        # The year begun most recently by the row's day. A rolled-over year always has
        # its next year after it, so the calendar's twelve-month limit changes nothing.
        years = AcademicYear.objects.filter(
            school_id=school_id, start_date__lte=OuterRef(OuterRef(day))
        ).order_by("-start_date")[:1]
    else:
        years = academic_years_for(school_id, day)
    placed = PupilPlacement.objects.filter(
        pupil_id=OuterRef(f"{pupil}_id"),
        academic_year_id__in=Subquery(years.values("pk")),
        academic_year__rolled_over_at__isnull=False,
    )
    return Subquery(placed.values("pk")[:1])


def as_placed_by(rows: Iterable[tuple[int | None, Pupil]]) -> None:
    """Shows each pupil (in memory) in the groups of the placement paired with them (ids
    from placement_on): one query when any row has one, none otherwise."""
    rows = [(placement_id, pupil) for placement_id, pupil in rows if placement_id is not None]
    if not rows:
        return
    placements = PupilPlacement.objects.select_related("year_group", "tutor_group").in_bulk(
        {placement_id for placement_id, _ in rows}
    )
    for placement_id, pupil in rows:
        placement = placements[placement_id]
        pupil.year_group = placement.year_group
        pupil.tutor_group = placement.tutor_group


def placed_this_year(
    school_id: int,
    day: datetime.date,
    *,
    year_group_ids: Iterable[int] = (),
    tutor_group_ids: Iterable[int] = (),
) -> Q:
    """Pupils who were in these year groups or tutor groups in the academic year of `day`
    when that year has been rolled over: in the summer after the next year was started,
    last year's head of Year 7 still looks after last year's Year 7 (a subquery; no query
    of its own)."""
    year_group_ids, tutor_group_ids = list(year_group_ids), list(tutor_group_ids)
    if not (year_group_ids or tutor_group_ids):
        return Q(pk__in=[])
    placed = PupilPlacement.objects.filter(
        school_id=school_id,
        academic_year_id__in=Subquery(academic_years_for(school_id, day).values("pk")),
        academic_year__rolled_over_at__isnull=False,
    ).filter(Q(year_group_id__in=year_group_ids) | Q(tutor_group_id__in=tutor_group_ids))
    return Q(pk__in=placed.values("pupil_id"))


def placements_of(pupil: Pupil) -> list[PupilPlacement]:
    """Where the pupil was in each past academic year, latest first (one query)."""
    return list(
        PupilPlacement.objects.filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("academic_year", "year_group", "tutor_group")
        .order_by("-academic_year__start_date")
    )
