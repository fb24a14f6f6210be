"""Prepared querysets (school/prepared.py): built and compiled once a connection, run with
each call's values, answering exactly what the queryset answers."""

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import CharField, Count, DateField, Q
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from school.models import HalfTerm, Pupil, TeachingGroup
from school.prepared import Fragment, Param, Prepared
from tests.factories import HalfTermFactory

pytestmark = pytest.mark.django_db

PUPILS_OF_GROUP = Prepared(
    lambda: (
        Pupil.objects.filter(school_id=Param("school"), tutor_group_id=Param("group"))
        .select_related("tutor_group", "year_group", "house")
        .annotate(classes=Count("teaching_groups"))
        .order_by("last_name", "first_name", "pk")
    )
)


def _pupils_of_group(school_id, group_id):
    return list(
        Pupil.objects.filter(school_id=school_id, tutor_group_id=group_id)
        .select_related("tutor_group", "year_group", "house")
        .annotate(classes=Count("teaching_groups"))
        .order_by("last_name", "first_name", "pk")
    )


def _as_read(pupils):
    """What a page reads of each pupil: its fields, annotation and related rows."""
    return [
        (
            pupil.pk,
            pupil.full_name,
            pupil.classes,
            pupil.tutor_group.name,
            pupil.year_group.number,
            pupil.house.name if pupil.house else None,
        )
        for pupil in pupils
    ]


def test_each_call_answers_as_the_queryset_with_its_own_values(world, django_assert_num_queries):
    for group in (world.tg_7a, world.tg_8a, world.tg_7a):
        with django_assert_num_queries(1):  # select_related read in the same query
            prepared = PUPILS_OF_GROUP.list(school=world.school.pk, group=group.pk)
        expected = _pupils_of_group(world.school.pk, group.pk)
        assert prepared, "the world has pupils in both tutor groups"
        assert _as_read(prepared) == _as_read(expected)
        assert all(type(pupil) is Pupil and not pupil._state.adding for pupil in prepared)
    other = world.other_school_pupil
    assert PUPILS_OF_GROUP.list(school=world.school.pk, group=other.tutor_group_id) == []


def test_the_queryset_is_compiled_once_a_connection(world, monkeypatch):
    compiled = []
    compile_sql = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return compile_sql(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    prepared = Prepared(lambda: Pupil.objects.filter(tutor_group_id=Param("group")))
    prepared.list(group=world.tg_7a.pk)
    prepared.list(group=world.tg_8a.pk)
    prepared.list(group=world.tg_7b.pk)
    assert compiled == [Pupil]


def test_a_prefetch_and_a_slice_are_kept(world):
    prepared = Prepared(
        lambda: (
            TeachingGroup.objects.filter(school_id=Param("school"))
            .prefetch_related("pupils")
            .order_by("name", "pk")[:2]
        )
    )
    groups = prepared.list(school=world.school.pk)
    expected = list(
        TeachingGroup.objects.filter(school_id=world.school.pk)
        .prefetch_related("pupils")
        .order_by("name", "pk")[:2]
    )
    assert [g.pk for g in groups] == [g.pk for g in expected]
    assert [sorted(p.pk for p in g.pupils.all()) for g in groups] == [
        sorted(p.pk for p in g.pupils.all()) for g in expected
    ]


def test_values_of_other_kinds_are_converted_as_their_field_converts_them(world):
    autumn = HalfTermFactory(
        school=world.school,
        academic_year=world.academic_year,
        name=HalfTerm.Name.AUTUMN_1,
        start_date=datetime.date(2026, 9, 3),
        end_date=datetime.date(2026, 10, 23),
    )
    prepared = Prepared(
        lambda: HalfTerm.objects.filter(
            school_id=Param("school"),
            start_date__lte=Param("day", DateField()),
            end_date__gte=Param("day", DateField()),
            name=Param("name", CharField()),
        ).values_list("pk", flat=True)
    )
    school = world.school.pk
    assert prepared.list(school=school, day=datetime.date(2026, 10, 1), name="autumn_1") == [
        autumn.pk
    ]
    assert prepared.list(school=school, day=datetime.date(2026, 11, 1), name="autumn_1") == []
    assert prepared.list(school=school, day=datetime.date(2026, 10, 1), name="spring_1") == []
    assert prepared.one(school=school, day=datetime.date(2026, 10, 1), name="autumn_1") == (
        autumn.pk
    )
    assert prepared.one(school=school, day=datetime.date(2027, 1, 1), name="autumn_1") is None


def test_the_values_given_must_be_the_params_named(world):
    with pytest.raises(TypeError, match="group"):
        PUPILS_OF_GROUP.list(school=world.school.pk)
    with pytest.raises(TypeError, match="pupil"):
        PUPILS_OF_GROUP.list(school=world.school.pk, group=world.tg_7a.pk, pupil=1)


def test_more_than_one_row_for_one_is_an_error(world):
    prepared = Prepared(lambda: Pupil.objects.filter(school_id=Param("school")))
    with pytest.raises(ValueError, match="One row expected"):
        prepared.one(school=world.school.pk)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection(world):
    """A test's live server answers from other threads: each thread's connection gets its
    own compiled query, and the values of one never reach the other."""
    expected = {
        group.pk: _as_read(_pupils_of_group(world.school.pk, group.pk))
        for group in (world.tg_7a, world.tg_8a)
    }
    PUPILS_OF_GROUP.list(school=world.school.pk, group=world.tg_7a.pk)  # this thread's
    answers, errors = {}, []

    def read(group_id):
        try:
            for _ in range(5):
                answers[group_id] = _as_read(
                    PUPILS_OF_GROUP.list(school=world.school.pk, group=group_id)
                )
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read, args=(pk,)) for pk in expected]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == expected
    assert (
        _as_read(PUPILS_OF_GROUP.list(school=world.school.pk, group=world.tg_8a.pk))
        == (expected[world.tg_8a.pk])
    )


PUPILS_IN = Prepared(
    lambda flagged: (
        Pupil.objects.filter(pk__in=Fragment("pupils"), school_id=Param("school"))
        .filter(**({"pupil_premium": True} if flagged else {}))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
)


def test_a_fragment_takes_a_queryset_its_values_or_its_sql(world):
    school = world.school.pk
    year_7 = Pupil.objects.filter(year_group=world.y7)
    expected = sorted(year_7.values_list("pk", flat=True))
    assert len(expected) > 1
    as_sql = RawSQL(*year_7.values("pk").query.sql_with_params())
    for pupils in (year_7, year_7.values("pk"), year_7.values_list("pk"), as_sql):
        assert PUPILS_IN.list(False, pupils=pupils, school=school) == expected
    # The other school's pupils are not this school's, whatever the subquery says.
    everyone = Pupil.objects.all()
    assert world.other_school_pupil.pk not in PUPILS_IN.list(False, pupils=everyone, school=school)


def test_each_variant_is_its_own_shape(world):
    Pupil.objects.filter(pk=world.pupil.pk).update(pupil_premium=True)
    Pupil.objects.filter(pk=world.classmate.pk).update(pupil_premium=False)
    year_7 = Pupil.objects.filter(year_group=world.y7)
    everyone = PUPILS_IN.list(False, pupils=year_7, school=world.school.pk)
    flagged = PUPILS_IN.list(True, pupils=year_7, school=world.school.pk)
    assert world.pupil.pk in flagged and world.classmate.pk not in flagged
    assert set(flagged) < set(everyone)


def test_querysets_made_before_they_run_keep_their_own_values(world):
    seventh = PUPILS_OF_GROUP.queryset(school=world.school.pk, group=world.tg_7a.pk)
    eighth = PUPILS_OF_GROUP.queryset(school=world.school.pk, group=world.tg_8a.pk)
    assert _as_read(eighth) == _as_read(_pupils_of_group(world.school.pk, world.tg_8a.pk))
    assert _as_read(seventh) == _as_read(_pupils_of_group(world.school.pk, world.tg_7a.pk))


def test_a_param_beside_an_aggregate_is_never_grouped_by(world):
    """A HAVING that compares with a Param must not add the Param to GROUP BY: a number
    there would be read as a column's position."""
    prepared = Prepared(
        lambda: (
            Pupil.objects.filter(school_id=Param("school"))
            .values("tutor_group_id")
            .annotate(pupils=Count("pk"))
            .filter(Q(pupils__gte=Param("least")) | Q(tutor_group_id=Param("group")))
            .order_by("tutor_group_id")
        )
    )
    for least, group in ((1, 0), (2, 0), (2, world.tg_8a.pk), (99, world.tg_7b.pk)):
        expected = list(
            Pupil.objects.filter(school_id=world.school.pk)
            .values("tutor_group_id")
            .annotate(pupils=Count("pk"))
            .filter(Q(pupils__gte=least) | Q(tutor_group_id=group))
            .order_by("tutor_group_id")
        )
        assert prepared.list(school=world.school.pk, least=least, group=group) == expected
    (sql,) = prepared._compiled(()).pieces
    assert "%s" not in sql[sql.index("GROUP BY") : sql.index("HAVING")]
