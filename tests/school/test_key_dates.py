"""Key dates for year groups (/key-dates/): senior leaders and school admins add, edit and
delete them for any year, heads of year for their own year only; bad input re-renders with
a clear message and saves nothing; another school's date, or anyone else, answers 404; the
list's query budget does not grow with the dates."""

import datetime

import pytest
from django.urls import reverse

from school.models import KeyDate

D = datetime.date
DECEMBER_7 = D(2026, 12, 7)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 9, 0), tick=False)
    return D(2026, 11, 4)


def form(w, **changes):
    data = {
        "kind": "parents_evening",
        "title": "Year 7 parents' evening",
        "date": "03/12/2026",
        "ends_on": "",
        "start_time": "16:00",
        "end_time": "19:00",
        "details": "Book your slots with the form tutor.",
        "year_groups": [w.y7.pk],
    }
    data.update(changes)
    return data


def key_date(w, title="Mocks", years=None, school=None, day=DECEMBER_7):
    row = KeyDate.objects.create(
        school=school or w.school, title=title, date=day, kind=KeyDate.Kind.EXAM
    )
    row.year_groups.set(years or [w.y7])
    return row


@pytest.mark.parametrize("who", ["senior_leader", "school_admin", "head_of_year"])
def test_leaders_add_a_key_date(client, world, today, who):
    client.force_login(getattr(world, who))
    response = client.post(reverse("key_date_new"), form(world))
    assert response.status_code == 302
    row = KeyDate.objects.get()
    assert (row.school_id, row.title, row.date, row.start_time, row.end_time) == (
        world.school.pk,
        "Year 7 parents' evening",
        D(2026, 12, 3),
        datetime.time(16, 0),
        datetime.time(19, 0),
    )
    assert list(row.year_groups.all()) == [world.y7]
    page = client.get(reverse("key_dates")).content.decode()
    assert "Key date “Year 7 parents&#x27; evening” added." in page
    assert "Thu 03/12/2026" in page and "16:00–19:00" in page and "Year 7" in page


def test_a_school_wide_leader_adds_for_several_years_and_over_several_days(client, world, today):
    client.force_login(world.senior_leader)
    client.post(
        reverse("key_date_new"),
        form(
            world,
            kind="exam",
            title="Mock exams",
            date="2026-12-07",
            ends_on="11/12/2026",
            start_time="",
            end_time="",
            year_groups=[world.y7.pk, world.y8.pk],
        ),
    )
    row = KeyDate.objects.get()
    assert row.ends_on == D(2026, 12, 11) and row.start_time is None
    assert set(row.year_groups.all()) == {world.y7, world.y8}


def test_a_head_of_year_cannot_add_for_another_year(client, world, today):
    client.force_login(world.head_of_year)
    page = client.get(reverse("key_date_new")).content.decode()
    assert "Year 7" in page and "Year 8" not in page
    response = client.post(reverse("key_date_new"), form(world, year_groups=[world.y8.pk]))
    assert response.status_code == 200
    assert "only for your own year groups" in response.content.decode()
    assert not KeyDate.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Give the date a title families will understand."),
        ({"title": "x" * 151}, "150"),
        ({"date": ""}, "Enter the date."),
        ({"date": "31/02/2026"}, "Enter a real date."),
        ({"ends_on": "01/12/2026"}, "The last day is before the first."),
        ({"end_time": "15:00"}, "The end time is before the start time."),
        ({"start_time": "", "end_time": "19:00"}, "Enter when it starts too"),
        ({"start_time": "25:00"}, "Enter a time, e.g. 15:30."),
        ({"year_groups": []}, "Choose at least one year group."),
        ({"kind": "party"}, "Select a valid choice"),
        ({"details": "x" * 1001}, "1000"),
    ],
)
def test_bad_input_re_renders_with_a_message_and_saves_nothing(
    client, world, today, changes, message
):
    client.force_login(world.senior_leader)
    response = client.post(reverse("key_date_new"), form(world, **changes))
    assert response.status_code == 200
    page = response.content.decode().replace(",", "")
    assert message.replace(",", "") in page
    assert "The key date was not saved" in page
    assert not KeyDate.objects.exists()


def test_a_key_date_is_edited_and_deleted_after_a_confirmation(client, world, today):
    row = key_date(world)
    client.force_login(world.head_of_year)
    url = reverse("key_date_edit", args=[row.pk])
    assert 'value="Mocks"' in client.get(url).content.decode()
    response = client.post(url, form(world, title="Year 7 assessments", kind="exam"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.title == "Year 7 assessments"
    delete = reverse("key_date_delete", args=[row.pk])
    assert "Delete “Year 7 assessments”?" in client.get(delete).content.decode()
    assert KeyDate.objects.exists()
    assert client.post(delete).status_code == 302
    assert not KeyDate.objects.exists()


def test_a_head_of_year_cannot_touch_a_date_that_includes_another_year(client, world, today):
    shared = key_date(world, years=[world.y7, world.y8])
    client.force_login(world.head_of_year)
    assert client.get(reverse("key_date_edit", args=[shared.pk])).status_code == 404
    assert client.post(reverse("key_date_delete", args=[shared.pk])).status_code == 404
    page = client.get(reverse("key_dates")).content.decode()
    assert "Mocks" in page and reverse("key_date_edit", args=[shared.pk]) not in page
    assert KeyDate.objects.filter(pk=shared.pk).exists()


@pytest.mark.parametrize("who", ["other_school_staff", "teacher", "subject_leader", "parent"])
def test_anyone_else_gets_404_and_changes_nothing(client, world, today, who):
    row = key_date(world)
    client.force_login(getattr(world, who))
    assert client.post(reverse("key_date_edit", args=[row.pk]), form(world)).status_code == 404
    assert client.post(reverse("key_date_delete", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.title == "Mocks"


def test_the_list_shows_dates_from_today_and_not_another_schools(client, world, today):
    key_date(world, title="Past open evening", day=D(2026, 10, 1))
    key_date(world, title="Coming mocks")
    key_date(world, title="Other school's mocks", school=world.other_school, years=[world.other_y7])
    client.force_login(world.senior_leader)
    page = client.get(reverse("key_dates")).content.decode()
    assert "Coming mocks" in page
    assert "Past open evening" not in page and "Other school" not in page


@pytest.mark.parametrize("rows", [1, 7])
def test_the_list_query_budget_does_not_grow_with_dates(
    client, world, today, django_assert_num_queries, rows
):
    for number in range(rows):
        key_date(world, title=f"Date {number}", years=[world.y7, world.y8])
    client.force_login(world.senior_leader)
    # session, user, roles; the dates they may edit; the dates with their years (two).
    with django_assert_num_queries(6):
        response = client.get(reverse("key_dates"))
    assert response.content.decode().count("Edit<span") == rows
