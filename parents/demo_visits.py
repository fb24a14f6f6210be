"""The demo school's visits to the parents' pages (PortalVisit), so that the half-term
report's families' engagement has something to show: the families who signed the
agreement (they use the portal) and the demo parent open it on some school days from the
start of the year to today, keen families most weeks, others now and then; fewer of the
families whose children are disadvantaged (Pupil Premium) open it often, as schools
find. Bulk inserts, after the agreement's signatures (parents/demo.py, order 30)."""

import datetime

from django.db.models import Q

from school.calendar import academic_year_for
from school.demo import DEMO_LOGINS, register_demo_extension
from school.demo.rows import rows_insert
from school.models import Guardian, GuardianLink

from .models import PortalVisit, Signature

# How often a family opens the portal on a school day: keen, regular, now and then.
HABITS = [0.5, 0.2, 0.05]


def demo_visits_build(*, school, rng, today, stdout=None) -> None:
    year = academic_year_for(school, today)
    if year is None:
        return
    signers = set(Signature.objects.filter(school=school).values_list("guardian_id", flat=True))
    signers |= set(
        Guardian.objects.filter(school=school, user__email=DEMO_LOGINS["parent"]).values_list(
            "pk", flat=True
        )
    )
    disadvantaged = set(
        GuardianLink.objects.filter(guardian__school=school, pupil__pupil_premium=True).values_list(
            "guardian_id", flat=True
        )
    )
    days = []
    day = year.start_date
    while day <= min(today, year.end_date):
        if day.weekday() < 5:
            days.append(day)
        day += datetime.timedelta(days=1)
    visits = []
    for guardian_id in sorted(signers):
        weights = [1, 2, 4] if guardian_id in disadvantaged else [3, 4, 2]
        habit = rng.choices(HABITS, weights=weights)[0]
        visits.extend((school.pk, guardian_id, day) for day in days if rng.random() < habit)
    # One row a guardian and day, as the constraint wants: COPY on PostgreSQL.
    rows_insert(PortalVisit, ["school_id", "guardian_id", "day"], visits)
    if stdout is not None:
        stdout.write(f"{school.name}: {len(visits)} visits to the parents' pages.\n")


def demo_visits_delete(*, schools) -> None:
    PortalVisit.objects.filter(Q(school_id__in=[school.pk for school in schools])).delete()


def register() -> None:
    # After the agreement's signatures (30); deleted before the guardians go.
    register_demo_extension(
        "parents_visits", build=demo_visits_build, delete=demo_visits_delete, order=35
    )
