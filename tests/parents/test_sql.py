"""The parents' pages' fixed-shape reads written once as SQL (parents.sql): their rows
converted as the ORM converts them, and on PostgreSQL a statement prepared once per
connection, its PREPARE sent with its first EXECUTE (one query either way, so a page's
query budget does not hang on whether its connection has run it before)."""

import datetime

import pytest
from django.db import DataError, connection
from django.db.models import BooleanField, IntegerField
from django.test.utils import CaptureQueriesContext

from parents.sql import Statement
from school.models import AcademicYear
from tests.factories import AcademicYearFactory

pytestmark = pytest.mark.django_db


def _statement(name):
    return Statement(
        name,
        "SELECT CAST(%s AS integer) + 1, y.start_date, y.id = CAST(%s AS integer)"
        " FROM school_academicyear y WHERE y.id = %s",
        [IntegerField(), AcademicYear._meta.get_field("start_date"), BooleanField()],
    )


@pytest.fixture
def year():
    return AcademicYearFactory(start_date=datetime.date(2026, 9, 1))


def test_rows_are_converted_as_the_orm_converts_them(year):
    rows = _statement("conversion").rows((41, year.pk, year.pk))
    assert [tuple(row) for row in rows] == [(42, datetime.date(2026, 9, 1), True)]


def test_each_run_is_one_query_and_the_second_needs_no_prepare(year):
    statement = _statement("once")
    with CaptureQueriesContext(connection) as first:
        assert statement.rows((1, year.pk, year.pk))[0][0] == 2
    with CaptureQueriesContext(connection) as second:
        assert statement.rows((2, year.pk, year.pk))[0][0] == 3
    assert len(first) == len(second) == 1
    if connection.vendor == "postgresql":
        assert "PREPARE " in first[0]["sql"]
        assert second[0]["sql"].startswith("EXECUTE ")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_the_statements_are_planned_once_for_every_run(year):
    statement = _statement("generic")
    for n in range(3):
        statement.rows((n, year.pk, year.pk))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s",
            [connection._parents_prepared["names"]["generic"]],
        )
        assert cursor.fetchone() == (3, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared on PostgreSQL only")
def test_a_failed_first_run_is_prepared_again_under_a_new_name(year):
    statement = _statement("again")
    with pytest.raises(DataError), connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_failure")
        try:
            statement.rows(("not a number", year.pk, year.pk))
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT before_failure")
    assert statement.rows((5, year.pk, year.pk))[0][0] == 6


def test_the_wrong_number_of_parameters_is_refused():
    with pytest.raises(ValueError):
        _statement("count").rows((1,))
    with pytest.raises(ValueError):
        Statement("percent", "SELECT 5 % 2", [IntegerField()])


def test_an_instance_is_built_as_from_db_builds_it(year):
    from parents.sql import fast_to_build, instance

    names = ("id", "school_id", "name", "start_date")
    values = (year.pk, year.school_id, year.name, year.start_date)
    built = instance(AcademicYear, names, values, connection.alias)
    expected = AcademicYear.from_db(connection.alias, set(names), values)
    assert fast_to_build(AcademicYear)
    assert built == expected and built.__class__ is AcademicYear
    assert (built._state.adding, built._state.db) == (False, connection.alias)
    assert built.get_deferred_fields() == expected.get_deferred_fields()
    assert "end_date" in built.get_deferred_fields()
    assert [getattr(built, n) for n in names] == [getattr(expected, n) for n in names]
    assert built.school == year.school  # a relation still loads as on any instance


def test_the_childrens_statement_keeps_exactly_the_logins_guardian_links(world):
    """children_of is written as SQL: it answers, for every kind of login, the pupils of
    school.access.guardian_links_of and no others (a second school's record of the same
    login, a link the school removed, staff, a pupil, someone never linked)."""
    from parents.overview import children_of
    from school import access
    from school.models import GuardianLink, User
    from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, UserFactory

    elsewhere = PupilFactory()  # at a school of its own
    GuardianLinkFactory(
        guardian=GuardianFactory(school=elsewhere.school, user=world.parent), pupil=elsewhere
    )
    removed_child = PupilFactory()
    removed = GuardianLinkFactory(
        guardian=GuardianFactory(school=removed_child.school, user=world.other_parent),
        pupil=removed_child,
    )
    GuardianLink.objects.filter(pk=removed.pk).delete()
    never_linked = UserFactory(email="never.linked@example.org")

    users = [*User.objects.all(), never_linked]
    assert {world.parent, world.other_parent, world.teacher} <= set(users)
    for user in users:
        expected = set(access.guardian_links_of(user).values_list("pupil_id", flat=True))
        assert {child.pk for child in children_of(user, [], name="links")} == expected, user
    assert elsewhere.pk in {child.pk for child in children_of(world.parent, [], name="links")}
