"""Planning a class's scheme-of-work units with dates (/homework/units/): the class's
teachers and the subject's leaders give each unit a start and an end date, add a unit,
take one off, and use one plan for all their classes of the subject and year. Bad dates
re-render with a clear message and save nothing; anyone else answers 404; the pages' query
budgets do not grow with the number of classes or units."""

import datetime

import pytest
from django.urls import reverse

from homework.models import SchemeOfWorkUnit, UnitPlan
from tests.factories import HalfTermFactory, TeachingGroupFactory

D = datetime.date


@pytest.fixture
def units(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 9, 0), tick=False)
    HalfTermFactory(
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=D(2026, 11, 2),
        end_date=D(2026, 12, 18),
    )
    HalfTermFactory(
        academic_year=world.academic_year,
        name="spring_1",
        start_date=D(2027, 1, 5),
        end_date=D(2027, 2, 12),
    )
    world.fractions = unit(world, "Fractions")
    world.ratio = unit(world, "Ratio")
    return world


def unit(w, title, subject=None, year_group=None):
    return SchemeOfWorkUnit.objects.create(
        school=w.school, subject=subject or w.maths, year_group=year_group or w.y7, title=title
    )


def maths_7_class(w, name, teacher):
    return TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=w.maths,
        name=name,
        teachers=[teacher],
        pupils=[],
    )


def dates(w, **changes):
    data = {
        f"start_{w.fractions.pk}": "2026-11-02",
        f"end_{w.fractions.pk}": "27/11/2026",
        f"start_{w.ratio.pk}": "",
        f"end_{w.ratio.pk}": "",
        "new_title": "",
        "new_start": "",
        "new_end": "",
    }
    data.update(changes)
    return data


def plans():
    return set(
        UnitPlan.objects.values_list("teaching_group__name", "unit__title", "starts_on", "ends_on")
    )


def test_the_list_shows_the_classes_each_person_plans(client, units):
    client.force_login(units.teacher)
    page = client.get(reverse("units_home")).content.decode()
    assert "7x/Ma1" in page and "Maths, Year 7" in page
    assert "8x/Ma1" not in page and "7x/En1" not in page
    assert "Autumn 2, 02/11/2026 to 18/12/2026" in page and "Spring 1" in page
    client.force_login(units.subject_leader)
    page = client.get(reverse("units_home")).content.decode()
    assert "7x/Ma1" in page and "8x/Ma1" in page and "7x/En1" not in page
    client.force_login(units.head_of_year)
    page = client.get(reverse("units_home")).content.decode()
    assert "You have no such classes this year" in page


def test_a_teacher_dates_a_unit_and_adds_another(client, units):
    w = units
    client.force_login(w.teacher)
    url = reverse("units_class", args=[w.maths_7.pk])
    response = client.post(
        url,
        dates(w, new_title="Algebra", new_start="30/11/2026", new_end="2026-12-18"),
    )
    assert response.status_code == 302
    assert plans() == {
        ("7x/Ma1", "Fractions", D(2026, 11, 2), D(2026, 11, 27)),
        ("7x/Ma1", "Algebra", D(2026, 11, 30), D(2026, 12, 18)),
    }
    page = client.get(url).content.decode()
    assert "Unit dates saved for 7x/Ma1." in page
    assert 'value="2026-11-02"' in page and "Algebra" in page


def test_clearing_both_dates_takes_the_unit_off_and_changing_them_moves_it(client, units):
    w = units
    client.force_login(w.teacher)
    url = reverse("units_class", args=[w.maths_7.pk])
    client.post(
        url, dates(w, **{f"start_{w.ratio.pk}": "2026-12-01", f"end_{w.ratio.pk}": "2026-12-18"})
    )
    client.post(
        url,
        dates(
            w,
            **{
                f"start_{w.fractions.pk}": "",
                f"end_{w.fractions.pk}": "",
                f"start_{w.ratio.pk}": "2026-12-02",
                f"end_{w.ratio.pk}": "2026-12-18",
            },
        ),
    )
    assert plans() == {("7x/Ma1", "Ratio", D(2026, 12, 2), D(2026, 12, 18))}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_F": ""}, "Enter the date it ends too, or clear both dates."),
        ({"start_F": ""}, "Enter the date it starts too, or clear both dates."),
        ({"end_F": "2026-10-01"}, "The end date is before the start date."),
        ({"start_F": "2026-08-01"}, "Choose a date in the school year 2026/27"),
        ({"end_F": "31/02/2026"}, "Enter a real date."),
        ({"new_title": "Algebra"}, "Give the new unit a start and an end date."),
        ({"new_start": "2026-11-02", "new_end": "2026-11-20"}, "Give the new unit a title"),
        (
            {"new_title": "fractions", "new_start": "2026-11-02", "new_end": "2026-11-20"},
            "already has a unit of that title",
        ),
        ({"new_title": "x" * 201, "new_start": "2026-11-02", "new_end": "2026-11-20"}, "200"),
    ],
)
def test_bad_dates_re_render_with_a_message_and_save_nothing(client, units, changes, message):
    w = units
    client.force_login(w.teacher)
    data = dates(w)
    for name, value in changes.items():
        data[name.replace("_F", f"_{w.fractions.pk}")] = value
    response = client.post(reverse("units_class", args=[w.maths_7.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "The dates were not saved" in page
    assert not UnitPlan.objects.exists()
    assert SchemeOfWorkUnit.objects.count() == 2


def test_a_subject_leader_uses_one_plan_for_every_class_of_the_subject_and_year(client, units):
    w = units
    maths_7_class(w, "7y/Ma2", w.other_teacher)
    client.force_login(w.subject_leader)
    url = reverse("units_class", args=[w.maths_7.pk])
    page = client.get(url).content.decode()
    assert "Use the same dates for my other Maths Year 7 classes: 7y/Ma2" in page
    response = client.post(url, dates(w, apply_to_course="on"))
    assert response.status_code == 302
    assert plans() == {
        ("7x/Ma1", "Fractions", D(2026, 11, 2), D(2026, 11, 27)),
        ("7y/Ma2", "Fractions", D(2026, 11, 2), D(2026, 11, 27)),
    }
    assert "Unit dates saved for 2 classes: 7x/Ma1, 7y/Ma2." in client.get(url).content.decode()


def test_a_teacher_applies_the_plan_only_to_their_own_classes(client, units):
    w = units
    mine = maths_7_class(w, "7y/Ma2", w.teacher)
    maths_7_class(w, "7z/Ma3", w.other_teacher)
    client.force_login(w.teacher)
    client.post(reverse("units_class", args=[w.maths_7.pk]), dates(w, apply_to_course="on"))
    assert {name for name, *_ in plans()} == {"7x/Ma1", mine.name}


def test_someone_elses_class_answers_404_and_changes_nothing(client, units):
    w = units
    client.force_login(w.other_teacher)
    url = reverse("units_class", args=[w.maths_7.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, dates(w)).status_code == 404
    client.force_login(w.other_school_staff)
    assert client.post(url, dates(w)).status_code == 404
    assert not UnitPlan.objects.exists()


@pytest.mark.parametrize("rows", [1, 6])
def test_the_pages_query_budgets_do_not_grow_with_classes_or_units(
    client, units, django_assert_num_queries, rows
):
    w = units
    for number in range(rows):
        group = maths_7_class(w, f"7q/Ma{number}", w.teacher)
        unit(w, f"Unit {number}")
        UnitPlan.objects.create(
            school=w.school,
            teaching_group=group,
            unit=w.fractions,
            starts_on=D(2026, 11, 2),
            ends_on=D(2026, 11, 20),
        )
    client.force_login(w.teacher)
    # session, user, roles; the classes with their counts; this half-term, the next.
    with django_assert_num_queries(6):
        assert client.get(reverse("units_home")).status_code == 200
    # session, user, roles; the class; the classes of its subject and year; the units with
    # their resource counts, the class's plans; this half-term, the next.
    with django_assert_num_queries(9):
        assert client.get(reverse("units_class", args=[w.maths_7.pk])).status_code == 200
