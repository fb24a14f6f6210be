"""The demo (`manage.py seed_demo --schools 2`): its governor and trust leader sign in with
the demo password and read the reports; the trust leader sees both schools of the Demo
Trust side by side, with figures."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from school.demo import DEMO_PASSWORD
from school.models import Trust

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term (as the demo's tests).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def log_in(client, email):
    """Through the login form, with the demo password the README gives."""
    return client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})


def test_the_demo_governor_and_trust_leader_read_the_reports(client):
    call_command("seed_demo", "--pupils", "60", "--schools", "2", "--force", stdout=StringIO())
    trust = Trust.objects.get(slug="demo-trust")
    assert trust.schools.count() == 2

    assert log_in(client, "governor@demo.school")["Location"] == reverse("home")
    assert client.get(reverse("reports_half_term")).status_code == 200
    assert client.get(reverse("reports_half_term_compared")).status_code == 200
    assert client.get(reverse("reports_trust")).status_code == 404

    client.logout()
    assert log_in(client, "trust@demo.school")["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports_trust")}"' in home
    page = client.get(reverse("reports_trust") + "?period=year&year=2026/27")
    assert page.status_code == 200
    rows = client.get(
        reverse("reports_trust") + "?period=year&year=2026/27&format=csv"
    ).content.decode()
    header, *lines = rows.splitlines()
    assert header.count(",") == 3  # Measure, two schools, Definition
    misses = next(line for line in lines if line.startswith("Misses recorded,"))
    assert all(int(n) > 0 for n in misses.split(",")[1:3])
