"""On the demo school (`manage.py seed_demo`) the half-term report has something to show
in the current half-term: misses, sanctions, detentions, homework and club nights."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from reports.measures import half_term_report
from school.calendar import academic_year_for
from school.models import User

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term (as the demo's tests).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_the_demo_schools_report_shows_non_zero_measures(client):
    call_command("seed_demo", "--pupils", "60", "--force", stdout=StringIO())
    admin = User.objects.get(email="admin@demo.school")
    year = academic_year_for(admin.school_id, NOW.date())
    report = half_term_report(year, today=NOW.date())
    year_column = {m.key: m.cells[-1] for m in report.measures}
    for key in [
        "roll",
        "misses",
        "pupils_with_a_miss",
        "pupils_missing",
        "sanctions_step_1",
        "detentions_set",
        "homework_set",
        "club_sessions",
        "club_attendances",
    ]:
        assert year_column[key].count, key
    assert year_column["on_time"].share
    client.force_login(admin)
    page = client.get(reverse("reports_half_term")).content.decode()
    assert "<summary>Misses recorded</summary>" in page
