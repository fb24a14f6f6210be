"""Where pupils were in an academic year, for the pages that read that year.

A pupil's own `year_group` and `tutor_group` say where they are now. Starting the next
academic year (mis/rollover) first writes each pupil's placement in the year that ends
(`PupilPlacement`: the year group and tutor group they were in), then moves them up.
From then on the old year is "rolled over" (`AcademicYear.rolled_over_at`), and a page
reading it asks here rather than the pupil's current groups, so last year's dashboard,
lists and exports still name Year 7 and 7A for a pupil who is now in 8A.

The current year (not rolled over) has no placements: the pupil's own fields are its
truth, kept up to date by imports and the admin, so there is nothing to go stale."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import AcademicYear, Pupil, PupilPlacement


def is_rolled_over(year: AcademicYear | None) -> bool:
    return year is not None and year.rolled_over_at is not None


def in_groups_then(
    year: AcademicYear | None,
    *,
    year_group_ids: Iterable[int] | None = None,
    tutor_group_ids: Iterable[int] | None = None,
    pupil: str = "",
) -> Q:
    """Rows whose pupil was in these year groups (and these tutor groups) in `year`: by
    the placements of a rolled-over year, else by the pupil's own groups. `pupil` is the
    path to the pupil from the rows filtered, empty for pupils themselves."""
    prefix = f"{pupil}__" if pupil else ""
    if not is_rolled_over(year):
        q = Q()
        if year_group_ids is not None:
            q &= Q(**{f"{prefix}year_group_id__in": list(year_group_ids)})
        if tutor_group_ids is not None:
            q &= Q(**{f"{prefix}tutor_group_id__in": list(tutor_group_ids)})
        return q
    placed = PupilPlacement.objects.filter(academic_year=year)
    if year_group_ids is not None:
        placed = placed.filter(year_group_id__in=list(year_group_ids))
    if tutor_group_ids is not None:
        placed = placed.filter(tutor_group_id__in=list(tutor_group_ids))
    key = f"{pupil}_id__in" if pupil else "pk__in"
    return Q(**{key: placed.values("pupil_id")})


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
