"""A school built by hand for work scrutiny (tests/reports/test_scrutiny_*.py).

Autumn 1 2026 (2/9-23/10). Maths: Mo and Max teach it, Sam leads it; English: Eve
teaches it, Ed leads it; Sue is a senior leader, Gus a governor. Homework set in the
period 1/9-23/10/2026:
- Mo (7x/Ma1): four set, one draft, one set before the period (31/8);
- Max (8x/Ma1): two set;
- Eve (7x/En1): two set and one archived with its class.
The other school has homework of its own in the period."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from homework.models import Homework
from reports.models import ScrutinyRound
from reports.scrutiny import services
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import (
    AcademicYearFactory,
    HalfTermFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingGroupFactory,
    YearGroupFactory,
)

Role = RoleAssignment.Role
LONDON = ZoneInfo("Europe/London")
START, END = datetime.date(2026, 9, 1), datetime.date(2026, 10, 23)


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


def homework(group, teacher, set_on, status=Homework.Status.SET, title=None) -> Homework:
    return Homework.objects.create(
        school=group.school,
        teaching_group=group,
        set_by=teacher,
        status=status,
        title=title or f"{group.subject.name} task {set_on:%d/%m}",
        instructions="Answer the questions.",
        instructions_html="<p>Answer the questions.</p>",
        set_on=set_on,
        due_at=datetime.datetime.combine(
            set_on + datetime.timedelta(days=7), datetime.time(9), tzinfo=LONDON
        ),
        estimated_minutes=30,
    )


def scrutiny_school():
    school = SchoolFactory(name="Scrutiny Academy", slug="scrutiny")
    year = AcademicYearFactory(school=school)
    HalfTermFactory(academic_year=year)  # Autumn 1
    y7 = YearGroupFactory(school=school, number=7)
    y8 = YearGroupFactory(school=school, number=8)
    maths = SubjectFactory(school=school, name="Maths", code="Ma")
    english = SubjectFactory(school=school, name="English", code="En")
    mo = staff(school, "mo@s.school", (Role.TEACHER, {}), first_name="Mo", last_name="Ahmed")
    max_ = staff(school, "max@s.school", (Role.TEACHER, {}), first_name="Max", last_name="Berg")
    eve = staff(school, "eve@s.school", (Role.TEACHER, {}), first_name="Eve", last_name="Cole")
    sam = staff(
        school,
        "sam@s.school",
        (Role.SUBJECT_LEADER, {"subject": maths}),
        (Role.TEACHER, {}),
        first_name="Sam",
        last_name="Dunn",
    )
    ed = staff(school, "ed@s.school", (Role.SUBJECT_LEADER, {"subject": english}))
    sue = staff(school, "sue@s.school", (Role.SENIOR_LEADER, {}), first_name="Sue")
    gus = staff(school, "gus@s.school", (Role.GOVERNOR, {}))

    def group(name, subject, year_group, teacher):
        return TeachingGroupFactory(
            school=school,
            academic_year=year,
            year_group=year_group,
            subject=subject,
            name=name,
            teachers=[teacher],
            pupils=[],
        )

    ma7 = group("7x/Ma1", maths, y7, mo)
    ma8 = group("8x/Ma1", maths, y8, max_)
    en7 = group("7x/En1", english, y7, eve)
    mo_set = [homework(ma7, mo, d(9, day)) for day in (3, 10, 17, 24)]
    mo_draft = homework(ma7, mo, d(9, 25), Homework.Status.DRAFT)
    mo_before = homework(ma7, mo, d(8, 31))
    max_set = [homework(ma8, max_, d(10, day)) for day in (1, 8)]
    eve_set = [homework(en7, eve, d(9, day)) for day in (4, 11)]
    eve_archived = homework(en7, eve, d(10, 2), Homework.Status.ARCHIVED)

    other = SchoolFactory(name="Elsewhere", slug="elsewhere")
    other_year = AcademicYearFactory(school=other)
    other_head = staff(other, "head@elsewhere.school", (Role.SENIOR_LEADER, {}), (Role.TEACHER, {}))
    other_group = TeachingGroupFactory(
        school=other,
        academic_year=other_year,
        year_group=YearGroupFactory(school=other, number=7),
        subject=SubjectFactory(school=other, name="Maths", code="Ma"),
        name="7/Ma",
        teachers=[other_head],
        pupils=[],
    )
    other_homework = homework(other_group, other_head, d(9, 9))
    return SimpleNamespace(**locals())


def new_round(
    s, *, by=None, subjects=(), teachers=(), sample_by="department", per_group=1, title=None
):
    return services.round_create(
        school_id=s.school.pk,
        created_by=by or s.sue,
        details=services.RoundDetails(
            title=title or "Autumn 1 scrutiny",
            period_start=START,
            period_end=END,
            sample_by=sample_by,
            per_group=per_group,
        ),
        subject_ids=[x.pk for x in subjects],
        teacher_ids=[x.pk for x in teachers],
    )


def drawn_ids(round: ScrutinyRound) -> list[int]:
    return list(round.samples.order_by("position").values_list("homework_id", flat=True))


def rate_all(criteria, rating="met", **exceptions) -> dict[int, str]:
    """A rating for every criterion, `exceptions` naming some by position (c1=...)."""
    return {c.pk: exceptions.get(f"c{i}", rating) for i, c in enumerate(criteria, start=1)}
