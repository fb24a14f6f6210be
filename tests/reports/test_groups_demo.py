"""On the demo school (`manage.py seed_demo`) the split by Pupil Premium and by SEN shows
figures, and at least one group is flagged as out of proportion."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.measures.groups import By, group_split
from reports.measures.periods import periods_of
from reports.models import ReportSettings
from school.calendar import academic_year_for
from school.models import User

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term (as the demo's tests).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_demo_school_split_by_pupil_premium_and_sen_shows_figures_and_a_flag(client):
    call_command("seed_demo", "--pupils", "60", "--force", stdout=StringIO())
    admin = User.objects.get(email="admin@demo.school")
    year = academic_year_for(admin.school_id, NOW.date())
    split = group_split(
        year,
        periods_of(year)[-1],
        By.CHARACTERISTICS,
        settings=ReportSettings.for_school(admin.school_id),
        today=NOW.date(),
    )
    misses = {row.group.label: row for row in split.measures[0].rows}
    for label in ["Pupil Premium", "SEN support"]:
        assert not misses[label].group.hidden, label
        assert misses[label].group.size >= 5, label
        assert misses[label].count, label
    flagged = [
        (measure.label, row.group.label)
        for measure in split.measures
        for row in measure.rows
        if row.flagged
    ]
    assert flagged
    client.force_login(admin)
    page = client.get(reverse("reports_half_term_groups")).content.decode()
    assert "Pupil Premium" in page and "SEN support" in page
    assert "⚑</span> Flagged" in page
