"""On the demo school (`manage.py seed_demo`) families' engagement has something to show:
the families who signed the agreement and the demo parent opened the parents' pages on
some days (parents/demo_visits.py), and deleting the demo removes the visits."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from parents.demo_visits import demo_visits_delete
from parents.models import PortalVisit
from reports.measures.engagement import family_engagement
from reports.measures.periods import periods_of
from reports.models import ReportSettings
from school.calendar import academic_year_for
from school.demo import DEMO_LOGINS
from school.models import Guardian, User

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term (as the demo's tests).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_demo_families_opened_the_portal():
    call_command("seed_demo", "--pupils", "60", "--force", stdout=StringIO())
    admin = User.objects.get(email="admin@demo.school")
    demo_parent = Guardian.objects.get(user__email=DEMO_LOGINS["parent"])
    assert PortalVisit.objects.filter(guardian=demo_parent).exists()
    assert not PortalVisit.objects.filter(day__gt=NOW.date()).exists()
    year = academic_year_for(admin.school_id, NOW.date())
    with timezone.override(ZoneInfo("Europe/London")):
        engagement = family_engagement(
            year, periods_of(year), settings=ReportSettings.for_school(admin.school_id)
        )
    opened = next(r for r in engagement.measure("opened").rows if r.is_all).cells[-1]
    assert 0 < opened.count < opened.out_of
    demo_visits_delete(schools=[admin.school])
    assert not PortalVisit.objects.filter(school_id=admin.school_id).exists()
