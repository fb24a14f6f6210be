"""Starting the next academic year: the dry run changes nothing; applying moves pupils up,
marks leavers, forms the new tutor groups (tutors follow their group), archives last
year's classes (copying them when asked), writes where everyone was, and a second apply
does nothing more."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mis.rollover.selectors import next_year_defaults
from mis.rollover.services import (
    Choices,
    RolloverError,
    renamed,
    rollover_apply,
    rollover_plan,
    same_weekday_a_year_later,
)
from school.demo.build import demo_schools
from school.models import (
    AcademicYear,
    HalfTerm,
    NonSchoolDay,
    Pupil,
    PupilPlacement,
    RoleAssignment,
    TeachingGroup,
    TutorGroup,
    YearGroup,
)
from tests.factories import PupilFactory, TutorGroupFactory, YearGroupFactory

from .rollover_helpers import NEW_START, D, apply, next_year, plan

Role = RoleAssignment.Role


def snapshot(school):
    """Every row the rollover could write or change, as plain values."""
    scoped = {"school": school}
    return {
        "years": list(AcademicYear.objects.filter(**scoped).values()),
        "half_terms": list(HalfTerm.objects.filter(**scoped).values()),
        "days": list(NonSchoolDay.objects.filter(**scoped).values()),
        "year_groups": list(YearGroup.objects.filter(**scoped).values()),
        "tutor_groups": list(TutorGroup.objects.filter(**scoped).order_by("pk").values()),
        "pupils": list(Pupil.objects.filter(**scoped).order_by("pk").values()),
        "placements": list(PupilPlacement.objects.filter(**scoped).values()),
        "roles": list(RoleAssignment.objects.filter(**scoped).order_by("pk").values()),
        "classes": list(TeachingGroup.objects.filter(**scoped).order_by("pk").values()),
        "enrolments": list(
            TeachingGroup.pupils.through.objects.filter(teachinggroup__school=school)
            .order_by("pk")
            .values()
        ),
    }


def test_names_move_up_by_their_year_and_dates_keep_their_weekday():
    assert renamed("7A", 7) == "8A"
    assert renamed("7x/Ma1", 7) == "8x/Ma1"
    assert renamed("12Blue", 12) == "13Blue"
    assert renamed("Red", 9) == "Red"
    assert renamed("7A", 8) == "7A"  # a name that is not its own year's stays
    assert same_weekday_a_year_later(D(2026, 9, 2)) == D(2027, 9, 1)  # Wednesdays
    assert same_weekday_a_year_later(D(2027, 7, 21)) == D(2028, 7, 19)


def test_the_dry_run_counts_everything_and_changes_nothing(world):
    y11 = YearGroupFactory(school=world.school, number=11)
    PupilFactory(tutor_group=TutorGroupFactory(school=world.school, year_group=y11, name="11A"))
    before = snapshot(world.school)

    dry = plan(world, copy_teaching_groups=True)

    assert dry.errors == []
    assert dry.moves == [(7, 8, 2), (8, 9, 2)]
    assert dry.leavers == [(11, 1)]
    assert dry.year_groups_added == [9]
    assert [(m.old, m.new, m.pupils) for m in dry.tutor_groups] == [
        ("7A", "8A", 1),
        ("7B", "8B", 1),
        ("8A", "9A", 2),
    ]
    assert dry.tutor_groups[0].tutors == [str(world.teacher)]
    assert dry.tutor_groups_ended == ["11A"]
    assert dry.intake_groups == ["7A", "7B"]
    assert dry.classes_archived == 3
    assert [(m.old, m.new) for m in dry.classes_copied] == [
        ("7x/En1", "8x/En1"),
        ("7x/Ma1", "8x/Ma1"),
        ("8x/Ma1", "9x/Ma1"),
    ]
    assert dry.days_off_added == 2
    assert dry.placements == 5
    assert snapshot(world.school) == before


def test_applying_moves_pupils_up_into_new_tutor_groups_that_their_tutors_follow(world):
    old_7a = world.tg_7a
    done = apply(world)

    assert done.errors == []
    new_year = AcademicYear.objects.get(school=world.school, name="2027/28")
    assert (new_year.start_date, new_year.end_date) == (NEW_START, D(2028, 8, 31))
    assert new_year.half_terms.count() == 6
    assert NonSchoolDay.objects.filter(school=world.school, date=D(2028, 5, 1)).exists()

    pupil = Pupil.objects.select_related("year_group", "tutor_group").get(pk=world.pupil.pk)
    assert pupil.year_group.number == 8
    assert pupil.tutor_group.name == "8A"
    assert pupil.tutor_group.academic_year == new_year
    assert pupil.tutor_group.pk != world.tg_8a.pk  # a new group, not last year's 8A
    assert pupil.left_on is None
    year8 = Pupil.objects.select_related("tutor_group", "year_group").get(pk=world.year8_pupil.pk)
    assert (year8.year_group.number, year8.tutor_group.name) == (9, "9A")

    old_7a.refresh_from_db()
    assert old_7a.archived_on is not None
    assert old_7a.academic_year == world.academic_year
    assert not TutorGroup.objects.current().filter(pk=old_7a.pk).exists()
    assert list(
        RoleAssignment.objects.filter(user=world.teacher, role=Role.FORM_TUTOR).values_list(
            "tutor_group_id", flat=True
        )
    ) == [pupil.tutor_group_id]

    placement = PupilPlacement.objects.get(pupil=world.pupil, academic_year=world.academic_year)
    assert (placement.year_group_id, placement.tutor_group_id) == (world.y7.pk, old_7a.pk)
    assert PupilPlacement.objects.filter(academic_year=world.academic_year).count() == 4

    assert set(
        TeachingGroup.objects.filter(school=world.school).values_list("archived_on", flat=True)
    ) == {timezone.localdate()}
    world.academic_year.refresh_from_db()
    assert world.academic_year.rolled_over_at is not None
    # The other school is untouched.
    assert world.other_school_pupil.tutor_group.archived_on is None


def test_leavers_are_marked_from_the_first_day_and_their_group_and_tutor_end(world):
    y11 = YearGroupFactory(school=world.school, number=11)
    group = TutorGroupFactory(school=world.school, year_group=y11, name="11A")
    leaver = PupilFactory(tutor_group=group)
    RoleAssignment.objects.create(
        school=world.school, user=world.other_teacher, role=Role.FORM_TUTOR, tutor_group=group
    )

    done = apply(world, leaver_years=(8, 11))

    assert done.leavers == [(8, 2), (11, 1)]
    assert done.tutor_roles_ended == [f"{world.other_teacher} (form tutor of 11A)"]
    leaver.refresh_from_db()
    assert leaver.left_on == NEW_START
    assert leaver.tutor_group_id == group.pk  # where they were when they left
    year8 = Pupil.objects.get(pk=world.year8_pupil.pk)
    assert (year8.left_on, year8.year_group_id) == (NEW_START, world.y8.pk)
    assert not RoleAssignment.objects.filter(tutor_group=group).exists()
    assert not TutorGroup.objects.current().filter(name__in=["9A", "12A"]).exists()


def test_a_top_year_that_is_not_leaving_stops_the_rollover_and_nothing_is_written(world):
    y13 = YearGroupFactory(school=world.school, number=13)
    PupilFactory(tutor_group=TutorGroupFactory(school=world.school, year_group=y13, name="13A"))
    before = snapshot(world.school)

    assert plan(world, leaver_years=(11,)).errors == [
        "Year 13 has 1 pupil who cannot move up: tick Year 13 among the leavers."
    ]
    with pytest.raises(RolloverError, match="Year 13 has 1 pupil"):
        apply(world, leaver_years=(11,))
    assert snapshot(world.school) == before


def test_a_new_year_overlapping_the_old_one_is_refused(world):
    dry = rollover_plan(
        school=world.school,
        from_year=world.academic_year,
        new_year=next_year(start_date=D(2027, 8, 1)),
        choices=Choices(),
    )
    assert "The new year must start after 2026/27 ends (31/08/2027)." in dry.errors


def test_classes_are_copied_into_the_new_year_with_their_teachers_and_staying_pupils(world):
    apply(world, copy_teaching_groups=True, leaver_years=(8,))

    new_year = AcademicYear.objects.get(school=world.school, name="2027/28")
    copies = TeachingGroup.objects.filter(academic_year=new_year)
    assert sorted(copies.values_list("name", flat=True)) == ["8x/En1", "8x/Ma1"]
    maths = copies.get(name="8x/Ma1")
    assert maths.year_group.number == 8
    assert maths.archived_on is None
    assert list(maths.teachers.all()) == [world.teacher]
    assert set(maths.pupils.all()) == {world.pupil, world.classmate}
    old = TeachingGroup.objects.get(pk=world.maths_7.pk)
    assert old.archived_on is not None
    assert set(old.pupils.all()) == {world.pupil, world.classmate}  # history stays


def test_a_second_apply_does_nothing_more(world):
    apply(world, copy_teaching_groups=True)
    after_first = snapshot(world.school)

    again = apply(world, copy_teaching_groups=True)

    assert again.is_done
    assert again.moves == [] and again.tutor_groups == []
    assert snapshot(world.school) == after_first
    world.academic_year.refresh_from_db()
    assert plan(world).is_done


# The year locked; the plan's reads (year exists, overlap, days known, the old year's last
# half-term (is it still taught?), roll by year, year
# groups, placements count, tutor groups with tutors and counts, classes); the calendar
# (year, half-terms, days off), year groups, placements; groups archived, formed, tutors
# ended and moved; pupils moved; classes copied with teachers and pupils; the year marked.
# The same for 4 pupils in 3 tutor groups as for 34 in 6 (the test below).
APPLY_QUERIES = 51


def apply_queries(world) -> int:
    with CaptureQueriesContext(connection) as queries:
        apply(world, copy_teaching_groups=True)
    return len(queries)


@pytest.fixture
def bigger_world(world):
    """The world with three more tutor groups, thirty more pupils and two more classes."""
    for name in ("7C", "7D", "8B"):
        group = TutorGroupFactory(
            school=world.school, year_group=world.y8 if name == "8B" else world.y7, name=name
        )
        pupils = [PupilFactory(tutor_group=group) for _ in range(10)]
        RoleAssignment.objects.create(
            school=world.school, user=world.lsa, role=Role.FORM_TUTOR, tutor_group=group
        )
    for name in ("8x/Ma2", "8x/Ma3"):
        world.maths_8.pk = None
        world.maths_8.name = name
        world.maths_8.save()
        world.maths_8.pupils.set(pupils)
    return world


def test_the_apply_costs_a_fixed_number_of_queries(world):
    assert apply_queries(world) <= APPLY_QUERIES


def test_a_bigger_school_costs_no_more_queries(bigger_world):
    assert apply_queries(bigger_world) <= APPLY_QUERIES


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_admins_confirming_at_once_start_the_year_once(world):
    start = threading.Barrier(2)
    outcomes, errors = [], []

    def admin_confirms():
        try:
            start.wait()
            outcomes.append(apply(world, copy_teaching_groups=True).is_done)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=admin_confirms) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == [False, True]  # one started it, the other found it done
    assert TutorGroup.objects.filter(academic_year__name="2027/28").count() == 5  # 7A-9A
    assert TeachingGroup.objects.filter(academic_year__name="2027/28").count() == 3
    assert PupilPlacement.objects.filter(academic_year=world.academic_year).count() == 4


def test_classes_of_an_earlier_year_still_open_are_archived_too(world):
    earlier = AcademicYear.objects.create(
        school=world.school, name="2025/26", start_date=D(2025, 9, 1), end_date=D(2026, 8, 31)
    )
    forgotten = TeachingGroup.objects.create(
        school=world.school,
        academic_year=earlier,
        name="7x/Ma1",
        subject=world.maths,
        year_group=world.y7,
    )
    assert plan(world).classes_archived == 4
    apply(world, copy_teaching_groups=True)
    forgotten.refresh_from_db()
    assert forgotten.archived_on is not None
    new = AcademicYear.objects.get(school=world.school, name="2027/28")
    assert TeachingGroup.objects.filter(academic_year=new).count() == 3  # copied: 2026/27's


def test_starting_the_year_while_the_old_one_is_taught_is_warned_of(world, time_machine):
    HalfTerm.objects.create(
        school=world.school,
        academic_year=world.academic_year,
        name=HalfTerm.Name.SUMMER_2,
        start_date=D(2027, 6, 7),
        end_date=D(2027, 7, 21),
    )
    time_machine.move_to(timezone.make_aware(datetime.datetime(2027, 7, 21, 9)), tick=False)
    assert plan(world).warnings == [
        "2026/27 is still being taught (until 21/07/2027): once you start 2027/28, its "
        "classes take no more homework and pupils move into their new groups at once. "
        "Schools usually start the new year after the summer term has ended."
    ]
    time_machine.move_to(timezone.make_aware(datetime.datetime(2027, 7, 22, 9)), tick=False)
    assert plan(world).warnings == []


@pytest.mark.parametrize("name", ["2026/27", "2025/26"])
def test_the_new_year_cannot_take_the_name_of_this_or_an_earlier_year(world, name):
    AcademicYear.objects.create(
        school=world.school, name="2025/26", start_date=D(2025, 9, 1), end_date=D(2026, 8, 31)
    )
    before = snapshot(world.school)
    with pytest.raises(RolloverError, match="give the new year a name of its own"):
        rollover_apply(
            school=world.school,
            from_year=world.academic_year,
            new_year=next_year(name=name),
            choices=Choices(),
            actor=world.school_admin,
        )
    assert snapshot(world.school) == before


def test_the_demo_school_rolled_over_is_still_rebuilt_by_seed_demo(db):
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)
    school = demo_schools().get()
    year = AcademicYear.objects.get(school=school)
    admin = school.users.get(email="admin@demo.school")
    rollover_apply(
        school=school,
        from_year=year,
        new_year=next_year_defaults(year),
        choices=Choices(copy_teaching_groups=True),
        actor=admin,
    )
    assert PupilPlacement.objects.filter(school=school).exists()

    call_command("seed_demo", "--pupils", "40", "--force", "--reset", verbosity=0)
    rebuilt = demo_schools().get()
    assert AcademicYear.objects.filter(school=rebuilt).count() == 1
    assert not PupilPlacement.objects.exists()
