"""On the demo school (`manage.py seed_demo`) a senior leader sees the report's charts and
downloads its PDF: the tables, the trend charts and the year split by Pupil Premium and by
SEN, the groups large enough to be shown."""

import datetime
import io
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from school.models import User

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, in the second half of the autumn term (as the demo's tests).
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/London"))


def test_a_leader_sees_the_demo_schools_charts_and_downloads_its_pdf(client, time_machine):
    time_machine.move_to(NOW, tick=False)
    call_command("seed_demo", "--pupils", "120", "--force", stdout=StringIO())
    client.force_login(User.objects.get(email="admin@demo.school"))
    page = client.get(reverse("reports_half_term")).content.decode()
    assert '<title id="trend-misses-title">Misses recorded</title>' in page
    response = client.get(reverse("reports_half_term") + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in ["Misses recorded", "Half-term by half-term", "By Pupil Premium", "SEN support"]:
        assert words in text
    assert "Pupil Premium: fewer than" not in text  # 120 pupils: the group is shown
    assert "% of the roll" in text
