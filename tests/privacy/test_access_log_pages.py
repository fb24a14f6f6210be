"""The lead's who-looked pages: the school's log with its filters and CSV, one pupil's log
and the panel on the pupil's data-protection page, for the school's lead only; each page
costs a fixed number of queries however many entries the log holds."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import AccessLogEntry
from privacy.views.access_log import pupil_panel
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import PupilFactory, UserFactory

pytestmark = pytest.mark.shared_world

Role = RoleAssignment.Role
LOG = reverse("privacy_access_log")


def look(user, pupil, *, page="Pupil page", days_ago=0, path=None):
    return AccessLogEntry.objects.create(
        school_id=pupil.school_id,
        at=timezone.now() - timedelta(days=days_ago),
        user=user,
        pupil=pupil,
        page=page,
        path=path or f"/pupils/{pupil.pk}/",
    )


def _day(days_ago: int) -> str:
    return f"{timezone.localdate() - timedelta(days=days_ago):%Y-%m-%d}"


def _listed(response) -> list[tuple[str, str, str]]:
    return [(str(e.user), e.pupil.full_name, e.page) for e in response.context["entries"]]


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_lead_sees_what_a_teacher_opened(client, world):
    client.force_login(world.teacher)
    client.get(reverse("pupil_detail", args=[world.pupil.pk]))

    client.force_login(world.school_admin)
    response = client.get(LOG)

    assert response.status_code == 200
    assert _listed(response) == [("Tess Teacher", "Amara Okafor", "Pupil page")]
    text = response.content.decode()
    assert f"/pupils/{world.pupil.pk}/" in text
    assert reverse("privacy_access_log_pupil", args=[world.pupil.pk]) in text
    assert f"staff={world.teacher.pk}" in text


def test_the_filters_narrow_the_log(client, world):
    look(world.teacher, world.pupil, days_ago=0)
    look(world.teacher, world.classmate, page="Roster CSV", days_ago=3)
    look(world.head_of_year, world.pupil, page="Sanctions timeline", days_ago=10)
    look(world.head_of_year, world.year8_pupil, days_ago=1)
    client.force_login(world.school_admin)

    by_staff = client.get(LOG, {"staff": world.head_of_year.pk})
    assert {row[1] for row in _listed(by_staff)} == {"Amara Okafor", "Chidi Okafor"}
    by_pupil = client.get(LOG, {"pupil": "okafor amara"})
    assert {row[2] for row in _listed(by_pupil)} == {"Pupil page", "Sanctions timeline"}
    by_upn = client.get(LOG, {"pupil": world.classmate.upn})
    assert _listed(by_upn) == [("Tess Teacher", "Bartek Nowak", "Roster CSV")]
    by_page = client.get(LOG, {"page_name": "sanctions"})
    assert _listed(by_page) == [(str(world.head_of_year), "Amara Okafor", "Sanctions timeline")]
    by_dates = client.get(LOG, {"date_from": _day(5), "date_to": _day(1)})
    assert {row[1] for row in _listed(by_dates)} == {"Bartek Nowak", "Chidi Okafor"}
    uk_dates = client.get(LOG, {"date_from": f"{timezone.localdate():%d/%m/%Y}"})
    assert _listed(uk_dates) == [("Tess Teacher", "Amara Okafor", "Pupil page")]


def test_the_pages_of_the_log_keep_the_filters(client, world):
    for n in range(60):
        look(world.teacher, world.pupil, days_ago=n % 3)
    look(world.head_of_year, world.pupil)
    client.force_login(world.school_admin)
    first = client.get(LOG, {"staff": world.teacher.pk, "page_name": "Pupil page"})
    assert len(first.context["entries"]) == 50
    next_page = f"?staff={world.teacher.pk}&amp;page_name=Pupil+page&amp;page=2"
    assert next_page in first.content.decode()
    second = client.get(LOG, {"staff": world.teacher.pk, "page_name": "Pupil page", "page": 2})
    assert len(second.context["entries"]) == 10
    assert {row[0] for row in _listed(second)} == {"Tess Teacher"}
    csv_link = f"?staff={world.teacher.pk}&amp;page_name=Pupil+page&amp;format=csv"
    assert csv_link in second.content.decode()


def test_bad_filters_are_explained_and_nothing_is_filtered(client, world):
    look(world.teacher, world.pupil)
    client.force_login(world.school_admin)
    response = client.get(LOG, {"date_from": _day(0), "date_to": _day(3)})
    text = response.content.decode()
    assert "The filters were not applied." in text
    assert "is before the" in text
    assert len(_listed(response)) == 1
    other = client.get(LOG, {"staff": world.other_school_teacher.pk}).content.decode()
    assert "Choose a member of staff from the list." in other


def test_the_staff_picker_offers_the_schools_staff_only(client, world):
    client.force_login(world.school_admin)
    choices = client.get(LOG).context["filters"].fields["staff"].queryset
    assert world.teacher in choices and world.lsa in choices
    assert world.pupil.user not in choices  # a pupil
    assert world.parent not in choices and world.other_school_teacher not in choices


def test_the_csv_holds_the_filtered_log_with_formulas_neutralised(client, world):
    sly = staff(
        world.school, "sly@test.school", (Role.TEACHER, {}), first_name="=cmd|' /C calc'!A0"
    )
    look(sly, world.pupil, path="/pupils/1/?q=@SUM(A1)")
    look(world.teacher, world.classmate, page="Roster CSV")
    client.force_login(world.school_admin)

    header, *rows = _csv(client.get(LOG, {"pupil": "Amara", "format": "csv"}))

    assert header == [
        "Date",
        "Time",
        "Member of staff",
        "Email",
        "Pupil",
        "UPN",
        "Page",
        "Address",
    ]
    assert len(rows) == 1
    assert rows[0][0] == f"{timezone.localdate():%d/%m/%Y}"
    assert rows[0][2].startswith("'=cmd")
    assert rows[0][3:7] == ["sly@test.school", "Amara Okafor", world.pupil.upn, "Pupil page"]
    assert rows[0][7] == "/pupils/1/?q=@SUM(A1)"  # not a formula: it starts with "/"
    everything = _csv(client.get(LOG, {"format": "csv"}))
    assert len(everything) == 3


def test_one_pupils_log_and_the_panel_on_their_page(client, world):
    for n in range(7):
        look(world.teacher, world.pupil, days_ago=n)
    look(world.teacher, world.classmate)
    client.force_login(world.school_admin)

    page = client.get(reverse("privacy_pupil", args=[world.pupil.pk])).content.decode()
    assert "Who looked" in page
    assert page.count("Tess Teacher") == 5  # the latest five
    log_url = reverse("privacy_access_log_pupil", args=[world.pupil.pk])
    assert log_url in page

    log = client.get(log_url)
    assert len(log.context["entries"]) == 7
    assert {row[1] for row in _listed(log)} == {"Amara Okafor"}
    assert "pupil" not in log.context["filters"].fields
    narrowed = client.get(log_url, {"date_from": _day(2)})
    assert len(narrowed.context["entries"]) == 3
    rows = _csv(client.get(log_url, {"format": "csv"}))
    assert len(rows) == 1 + 7


def test_the_panel_of_a_pupil_nobody_opened_says_so(client, world):
    client.force_login(world.school_admin)
    page = client.get(reverse("privacy_pupil", args=[world.classmate.pk])).content.decode()
    assert "No member of staff has opened this pupil" in page


def test_another_schools_lead_sees_nothing_of_ours(client, world):
    look(world.teacher, world.pupil)
    client.force_login(world.other_school_staff)
    assert client.get(reverse("privacy_access_log_pupil", args=[world.pupil.pk])).status_code == 404
    own = client.get(LOG)
    assert own.status_code == 200 and _listed(own) == []
    assert client.get(LOG, {"school": "test"}).status_code == 404
    assert client.get(reverse("privacy_access_log_unusual"), {"school": "test"}).status_code == 404


def test_staff_who_are_not_the_lead_get_404(client, world):
    for user in (world.senior_leader, world.teacher, world.parent):
        client.force_login(user)
        assert client.get(LOG).status_code == 404


def test_a_superuser_reads_the_chosen_schools_log(client, world):
    look(world.teacher, world.pupil)
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    assert client.get(LOG)["Location"] == reverse("privacy_home")
    response = client.get(LOG, {"school": "test"})
    assert _listed(response) == [("Tess Teacher", "Amara Okafor", "Pupil page")]
    assert f"school=test&amp;staff={world.teacher.pk}" in response.content.decode()


def _many(world, extra):
    pupils = [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(extra)]
    for n, pupil in enumerate(pupils * 2):
        look([world.teacher, world.head_of_year][n % 2], pupil, days_ago=n % 5)


@pytest.mark.parametrize("extra", [0, 60])
def test_the_log_costs_the_same_however_many_entries(
    client, world, extra, django_assert_num_queries
):
    _many(world, extra)
    client.force_login(world.school_admin)
    # session, user, roles, the school; the staff chosen, the staff picker's choices; the
    # entries: count, page
    with django_assert_num_queries(8):
        response = client.get(LOG, {"staff": world.teacher.pk, "page_name": "Pupil"})
    assert response.status_code == 200
    # session, user, roles, the school, the staff chosen; the entries
    with django_assert_num_queries(6):
        download = client.get(LOG, {"staff": world.teacher.pk, "format": "csv"})
    assert len(_csv(download)) == 1 + extra + 1


@pytest.mark.parametrize("extra", [0, 60])
def test_a_pupils_log_costs_the_same_however_many_entries(
    client, world, extra, django_assert_num_queries
):
    for n in range(1 + extra):
        look(world.teacher, world.pupil, days_ago=n % 9)
    client.force_login(world.school_admin)
    # session, user, roles, the pupil (+ school, tutor group); the staff picker's choices;
    # the entries: count, page
    with django_assert_num_queries(7):
        response = client.get(reverse("privacy_access_log_pupil", args=[world.pupil.pk]))
    assert len(response.context["entries"]) == min(1 + extra, 50)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_pupil_panel_costs_one_query(world, extra, django_assert_num_queries):
    for n in range(1 + extra):
        look(world.teacher, world.pupil, days_ago=n)
    with django_assert_num_queries(1):  # the latest entries with their staff
        panel = pupil_panel(pupil=world.pupil, user=world.school_admin, query="")
        assert [str(entry.user) for entry in panel["entries"]] == ["Tess Teacher"] * min(
            1 + extra, 5
        )
