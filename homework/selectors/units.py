"""Scheme-of-work units with dates: which classes a member of staff plans (the class's
teachers and the subject's leaders), a class's units with their dates, a unit's parent
resources, and what a pupil's classes are taught this month and next (their parents'
page). Every read starts with the school."""

from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DateField, Prefetch, Q, QuerySet
from django.utils.dates import MONTHS
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from school import access
from school.calendar import half_term_for
from school.models import HalfTerm, RoleAssignment, TeachingGroup
from school.prepared import Param, Prepared

from ..models import SchemeOfWorkUnit, UnitPlan, UnitResource

Role = RoleAssignment.Role


def groups_planned_by(user) -> QuerySet[TeachingGroup]:
    """The classes (not archived) whose unit dates this member of staff enters: those
    they teach, and every class of a subject they lead."""
    if not access.is_staff_member(user):
        return TeachingGroup.objects.none()
    taught = TeachingGroup.teachers.through.objects.filter(user=user).values("teachinggroup_id")
    return TeachingGroup.objects.filter(
        Q(pk__in=taught) | Q(subject_id__in=access.scope_ids(user, Role.SUBJECT_LEADER)),
        school_id=user.school_id,
        archived_on__isnull=True,
    )


def units_managed_by(user) -> QuerySet[SchemeOfWorkUnit]:
    """Units whose parent resources this member of staff keeps: those of the subjects and
    years of the classes they plan (a department's teachers and its leaders)."""
    if not access.is_staff_member(user):
        return SchemeOfWorkUnit.objects.none()
    courses = groups_planned_by(user).values("subject_id", "year_group_id")
    courses_q = Q(pk__in=[])
    for course in courses:
        courses_q |= Q(subject_id=course["subject_id"], year_group_id=course["year_group_id"])
    return SchemeOfWorkUnit.objects.filter(courses_q, school_id=user.school_id)


@dataclass
class CourseRow:
    """One subject and year: the classes of it the person plans."""

    subject_name: str
    year_number: int
    groups: list = field(default_factory=list)


def planning_overview(user) -> list[CourseRow]:
    """The person's classes by subject and year, each with how many units it has dates
    for (two queries: the classes with their counts, nothing per class)."""
    groups = (
        groups_planned_by(user)
        .select_related("subject", "year_group")
        .annotate(planned=Count("unit_plans", distinct=True))
        .order_by("subject__name", "year_group__number", "name")
    )
    rows: dict[tuple, CourseRow] = {}
    for group in groups:
        key = (group.subject_id, group.year_group_id)
        row = rows.setdefault(key, CourseRow(group.subject.name, group.year_group.number))
        row.groups.append(group)
    return list(rows.values())


def half_terms_around(school_id: int, today: date) -> list[HalfTerm]:
    """This half-term (or the next one in a holiday) and the one after it, as a hint for
    the dates (two queries at most)."""
    current = half_term_for(school_id, today)
    if current is None:
        return []
    following = (
        HalfTerm.objects.filter(school_id=school_id, start_date__gt=current.end_date)
        .order_by("start_date")
        .first()
    )
    return [current] + ([following] if following else [])


def course_units(group: TeachingGroup) -> list[SchemeOfWorkUnit]:
    """The units of the class's subject and year, each with the class's plan (`plan`,
    or None) and its resources counted (one query)."""
    units = list(
        SchemeOfWorkUnit.objects.filter(
            school_id=group.school_id,
            subject_id=group.subject_id,
            year_group_id=group.year_group_id,
        )
        .annotate(resource_count=Count("resources", distinct=True))
        .prefetch_related(
            Prefetch(
                "plans",
                queryset=UnitPlan.objects.filter(teaching_group_id=group.pk),
                to_attr="class_plans",
            )
        )
        .order_by("title", "pk")
    )
    for unit in units:
        unit.plan = unit.class_plans[0] if unit.class_plans else None
    units.sort(key=lambda unit: (unit.plan is None, unit.plan and unit.plan.starts_on, unit.title))
    return units


def unit_resources(unit: SchemeOfWorkUnit) -> list[UnitResource]:
    return list(UnitResource.objects.filter(school_id=unit.school_id, unit=unit))


# The parents' page ---------------------------------------------------------------------


def month_start(day: date, months_ahead: int = 0) -> date:
    month = day.month - 1 + months_ahead
    return date(day.year + month // 12, month % 12 + 1, 1)


# A unit's link for parents, as the page shows it.
UnitLink = namedtuple("UnitLink", "title url")


@dataclass
class MonthUnit:
    """A unit as the parents' page shows it: its title, its dates in words, its links."""

    unit_id: int
    title: str
    starts_on: date
    ends_on: date
    dates_text: str = ""
    links: list[UnitLink] = field(default_factory=list)


@dataclass
class SubjectUnits:
    """What one subject teaches the pupil this month and next (each unit once: a unit
    running on into next month is listed under this month)."""

    subject_name: str
    this_month: list[MonthUnit] = field(default_factory=list)
    next_month: list[MonthUnit] = field(default_factory=list)
    months: list[tuple] = field(default_factory=list)  # (month's name, units), those with any


@dataclass
class MonthUnits:
    this_month: date  # the first of the month
    next_month: date
    subjects: list[SubjectUnits] = field(default_factory=list)
    subjects_html: str = ""  # the subjects' cards (`subjects_html`)


def subjects_html(subjects: list[SubjectUnits]) -> str:
    """The parents' page's cards of the subjects' units (`_child_units.html` wrote them a
    unit and a link at a time): each value escaped as the template did, in one pass."""
    out = []
    add = out.append
    for subject in subjects:
        add(
            '<div class="col"><div class="card h-100"><div class="card-body">'
            f'<h3 class="h6 card-title">{conditional_escape(subject.subject_name)}</h3>'
        )
        for month, plans in subject.months:
            add(f'<p class="small fw-semibold mb-1">{conditional_escape(month)}</p>')
            add('<ul class="list-unstyled mb-2">')
            for plan in plans:
                add(
                    '<li class="mb-1">'
                    f'<span class="fw-semibold">{conditional_escape(plan.title)}</span> '
                    '<span class="small text-body-secondary">'
                    f"{conditional_escape(plan.dates_text)}</span>"
                )
                if plan.links:
                    add('<ul class="small mb-0">')
                    for link in plan.links:
                        add(
                            f'<li><a href="{conditional_escape(link.url)}"'
                            ' rel="noopener noreferrer">'
                            f"{conditional_escape(link.title)}</a></li>"
                        )
                    add("</ul>")
                add("</li>")
            add("</ul>")
        add("</div></div></div>")
    return mark_safe("".join(out))


# The units the pupil's classes are taught between two days: one shape for every pupil,
# built and compiled once a connection (school/prepared.py).
_PLANS_OF_PUPIL = Prepared(
    lambda: (
        UnitPlan.objects.filter(
            school_id=Param("school"),
            teaching_group__in=TeachingGroup.objects.filter(
                school_id=Param("school"), pupils__id=Param("pupil"), archived_on__isnull=True
            ),
            starts_on__lt=Param("after", DateField()),
            ends_on__gte=Param("first", DateField()),
        )
        .order_by("teaching_group__subject__name", "starts_on", "pk")
        .values_list(
            "unit_id",
            "unit__title",
            "teaching_group__subject_id",
            "teaching_group__subject__name",
            "starts_on",
            "ends_on",
        )
    )
)


def month_units_for(pupil, today: date) -> MonthUnits:
    """The units the pupil's classes are taught this month and next, by subject, with each
    unit's parent resources (`links`) and its dates in words (`dates_text`, written once
    here, not by a template tag per unit), as plain rows (no model instances). Two queries
    (the dated units, their resources), whatever the number of classes, units or links;
    only the pupil's own classes are read."""
    first = month_start(today)
    second = month_start(today, 1)
    after = month_start(today, 2)
    result = MonthUnits(this_month=first, next_month=second)
    plans = _PLANS_OF_PUPIL.list(school=pupil.school_id, pupil=pupil.pk, first=first, after=after)
    by_subject: dict[int, SubjectUnits] = {}
    shown: dict[int, MonthUnit] = {}
    dates = gettext("%(start)s to %(end)s")
    for unit_id, title, subject_id, subject_name, starts_on, ends_on in plans:
        if unit_id in shown:  # in two classes of one subject: the unit once
            continue
        unit = shown[unit_id] = MonthUnit(
            unit_id,
            title,
            starts_on,
            ends_on,
            dates_text=dates
            % {"start": starts_on.strftime("%d/%m/%Y"), "end": ends_on.strftime("%d/%m/%Y")},
        )
        row = by_subject.setdefault(subject_id, SubjectUnits(subject_name))
        (row.this_month if starts_on < second else row.next_month).append(unit)
    # Each unit's links for parents (`links`), read as plain rows rather than prefetched.
    if shown:
        for unit_id, title, url in UnitResource.objects.filter(
            school_id=pupil.school_id, unit_id__in=list(shown)
        ).values_list("unit_id", "title", "url"):
            shown[unit_id].links.append(UnitLink(title, url))
    result.subjects = list(by_subject.values())
    names = (str(MONTHS[first.month]), str(MONTHS[second.month]))
    for row in result.subjects:
        row.months = [
            (name, units)
            for name, units in ((names[0], row.this_month), (names[1], row.next_month))
            if units
        ]
    result.subjects_html = subjects_html(result.subjects)
    return result


def last_day_of(first: date) -> date:
    return month_start(first, 1) - timedelta(days=1)
