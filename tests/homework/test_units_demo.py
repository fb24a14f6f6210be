"""The demo school's learning for parents (homework/demo/learning.py, registered with
school's demo builder): help notes on some homework around today (some translated), every
class's units dated through this half-term and the next, links on the dated units, and
the demo parent sees their child's units and a help note."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from homework.models import Homework, UnitPlan, UnitResource
from school.demo import DEMO_LOGINS, demo_extensions
from school.models import TeachingGroup, User

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def seeded(time_machine):
    time_machine.move_to(NOW, tick=False)
    out = StringIO()
    call_command("seed_demo", "--pupils", "60", "--force", stdout=out)
    return out.getvalue()


def test_learning_is_registered_after_the_homework():
    order = [extension.name for extension in demo_extensions()]
    assert order.index("homework") < order.index("homework learning")


def test_the_demo_has_help_notes_unit_dates_and_links(seeded):
    assert "homework with a help note for parents" in seeded
    noted = Homework.objects.exclude(help_at_home="")
    assert noted.exists()
    assert noted.exclude(help_at_home_pl="").exists() and noted.filter(help_at_home_pl="").exists()
    today = NOW.date()
    planned_now = UnitPlan.objects.filter(starts_on__lte=today, ends_on__gte=today)
    live = TeachingGroup.objects.filter(archived_on__isnull=True)
    # Every class whose subject and year has units is taught one now.
    assert planned_now.values("teaching_group").distinct().count() == (
        live.filter(unit_plans__isnull=False).distinct().count()
    )
    assert planned_now.exists()
    assert UnitResource.objects.filter(url__startswith="https://").exists()
    for plan in UnitPlan.objects.all()[:50]:
        assert plan.starts_on <= plan.ends_on
        assert plan.unit.subject_id == plan.teaching_group.subject_id


def test_seeding_twice_changes_nothing_and_reset_rebuilds_the_same(seeded):
    def counts():
        return (
            UnitPlan.objects.count(),
            UnitResource.objects.count(),
            Homework.objects.exclude(help_at_home="").count(),
        )

    before = counts()
    call_command("seed_demo", "--pupils", "60", "--force", stdout=StringIO())
    assert counts() == before
    call_command("seed_demo", "--pupils", "60", "--force", "--reset", stdout=StringIO())
    assert counts() == before


def test_the_demo_parent_sees_a_childs_units(client, seeded):
    parent = User.objects.get(email=DEMO_LOGINS["parent"])
    client.force_login(parent)
    child = parent.guardian_records.first().pupils.first()
    response = client.get(reverse("parents_child", args=[child.pk]))
    assert response.status_code == 200
    assert response.context["units"].subjects
