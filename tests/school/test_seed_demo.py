"""`manage.py seed_demo` builds the demo school of README.md: the same school for the same
seed, shaped like the seed school, with working demo logins, and never in production."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import RequestFactory, TestCase

from school import access
from school.demo.calendar import england_bank_holidays
from school.models import (
    Guardian,
    HalfTerm,
    NonSchoolDay,
    Pupil,
    RoleAssignment,
    School,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
)
from tests.run_settings import built_as_in_a_test

pytestmark = pytest.mark.django_db

Role = RoleAssignment.Role
PASSWORD = "homework-demo"
DEMO_LOGINS = [
    "admin@demo.school",
    "teacher@demo.school",
    "headofyear@demo.school",
    "headofhouse@demo.school",
    "parent@demo.school",
    "pupil@demo.school",
]


def seed(*args, pupils=60):
    out = StringIO()
    call_command("seed_demo", "--pupils", str(pupils), "--force", *args, stdout=out)
    return out.getvalue()


def row_counts():
    models = list(apps.get_app_config("school").get_models())
    models += [TeachingGroup.teachers.through, TeachingGroup.pupils.through]
    return {model._meta.label: model.objects.count() for model in models}


def pupil_names():
    return list(Pupil.objects.order_by("admission_number").values_list("first_name", "last_name"))


def roles(user):
    return {(a.role, a.scope.pk if a.scope else None) for a in user.role_assignments.all()}


def test_running_twice_changes_nothing_the_second_time():
    first_output = seed()
    counts = row_counts()

    second_output = seed()

    assert "teacher@demo.school" in first_output
    assert "Demo school already present; use --reset to rebuild" in second_output
    assert row_counts() == counts
    assert counts["school.School"] == 1
    assert counts["school.Pupil"] == 60


def test_reset_rebuilds_the_same_school():
    seed()
    counts = row_counts()
    names = pupil_names()

    output = seed("--reset")

    assert "Deleted the demo data" in output
    assert row_counts() == counts
    assert pupil_names() == names


def test_reset_leaves_other_schools_and_their_people_alone():
    other = School.objects.create(name="Other Academy", slug="other")
    other_head = User.objects.create_user("head@other.school", "x", school=other)
    other_parent = User.objects.create_user("mum@example.com", "x")
    seed()

    seed("--reset", "--schools", "2")

    assert School.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(pk__in=[other_head.pk, other_parent.pk]).count() == 2
    assert set(School.objects.values_list("slug", flat=True)) == {"other", "demo", "demo-2"}


def test_the_same_seed_gives_the_same_pupils_and_another_seed_other_ones():
    seed()
    names = pupil_names()
    seed("--reset")
    assert pupil_names() == names

    seed("--reset", "--seed", "7")
    assert pupil_names() != names


def test_bank_holidays_match_the_published_dates():
    assert list(england_bank_holidays(2027)) == [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
    ]
    assert date(2026, 12, 28) in england_bank_holidays(2026)  # Boxing Day substitute


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--pupils", "60", stdout=StringIO())

    assert not School.objects.exists()
    assert not User.objects.exists()


def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True

    call_command("seed_demo", "--pupils", "60", stdout=StringIO())

    assert School.objects.filter(slug="demo").exists()


@pytest.mark.parametrize("pupils", [5, 100_000])
def test_an_impossible_number_of_pupils_is_refused(pupils):
    with pytest.raises(CommandError, match="--pupils must be between"):
        seed(pupils=pupils)
    assert not School.objects.exists()


def test_a_trust_of_two_schools_has_demo_logins_only_in_the_first():
    output = seed("--schools", "2")
    first, second = School.objects.get(slug="demo"), School.objects.get(slug="demo-2")

    assert "Riverside Academy" in output
    assert Pupil.objects.filter(school=first).count() == 60
    assert Pupil.objects.filter(school=second).count() == 60
    for email in DEMO_LOGINS:
        assert User.objects.filter(email=email).exclude(school=second).count() == 1
    second_staff = User.objects.filter(school=second, pupil__isnull=True)
    assert second_staff.filter(email__endswith="@demo-2.demo.school").count() == (
        second_staff.count()
    )
    assert not second_staff.filter(email__endswith="@demo.school").exists()
    assert RoleAssignment.objects.filter(school=second, role=Role.SCHOOL_ADMIN).count() == 1
    assert not Guardian.objects.filter(school=second, user__isnull=False).exists()


class TestTheDemoSchool(TestCase):
    """The demo school as `seed_demo --pupils 60` builds it, built once for the checks
    that only read it (each runs in a savepoint of its own)."""

    @classmethod
    def setUpTestData(cls):
        with built_as_in_a_test():
            seed()

    def test_demo_logins_share_the_password(self):
        request = RequestFactory().post("/accounts/login/")

        for email in DEMO_LOGINS:
            user = User.objects.get(email=email)
            assert user.check_password(PASSWORD), email
            assert authenticate(request, username=email, password=PASSWORD) == user, email
        # Every other account shares the one hash.
        assert User.objects.exclude(password=user.password).count() == 0

    def test_teacher_tutors_the_pupils_group_and_teaches_them_maths(self):
        teacher = User.objects.get(email="teacher@demo.school")
        pupil = Pupil.objects.select_related("tutor_group", "year_group").get(
            user__email="pupil@demo.school"
        )
        maths = teacher.teaching_groups.filter(subject__code="Ma")

        assert pupil.year_group.number == 7
        assert pupil.tutor_group.name == "7A"
        assert pupil.user.school_id == pupil.school_id
        assert pupil.tutor_group.tutors == [teacher]
        assert roles(teacher) == {(Role.TEACHER, None), (Role.FORM_TUTOR, pupil.tutor_group.pk)}
        assert pupil.teaching_groups.filter(subject__code="Ma", teachers=teacher).exists()
        assert maths.count() >= 4
        assert {7, 8, 10} <= set(maths.values_list("year_group__number", flat=True))

    def test_parent_has_two_children_in_different_years_and_no_school(self):
        parent = User.objects.get(email="parent@demo.school")
        pupil = Pupil.objects.get(user__email="pupil@demo.school")

        children = Pupil.objects.filter(guardians__user=parent)

        assert parent.school is None
        assert children.count() == 2
        assert pupil in children
        assert sorted(children.values_list("year_group__number", flat=True)) == [7, 10]
        assert set(access.pupils_visible_to(parent)) == set(children)
        # No other guardian logs in.
        assert Guardian.objects.filter(user__isnull=False).count() == 1

    def test_leaders_hold_their_roles(self):
        pupil = Pupil.objects.get(user__email="pupil@demo.school")
        head_of_year = User.objects.get(email="headofyear@demo.school")
        head_of_house = User.objects.get(email="headofhouse@demo.school")
        admin = User.objects.get(email="admin@demo.school")

        assert roles(head_of_year) == {
            (Role.TEACHER, None),
            (Role.HEAD_OF_YEAR, pupil.year_group_id),
        }
        assert head_of_year.teaching_groups.count() >= 2
        assert roles(head_of_house) == {(Role.TEACHER, None), (Role.HEAD_OF_HOUSE, pupil.house_id)}
        assert roles(admin) == {(Role.SCHOOL_ADMIN, None), (Role.SENIOR_LEADER, None)}
        assert admin.is_staff and not admin.is_superuser

    def test_every_group_has_its_staff(self):
        school = School.objects.get(slug="demo")
        assignments = RoleAssignment.objects.filter(school=school)

        for tutor_group in TutorGroup.objects.filter(school=school):
            assert len(tutor_group.tutors) == 1, tutor_group
        assert assignments.filter(role=Role.SUBJECT_LEADER).count() == Subject.objects.count() == 12
        assert assignments.filter(role=Role.HEAD_OF_YEAR).count() == 7
        assert assignments.filter(role=Role.HEAD_OF_HOUSE).count() == 4
        assert assignments.filter(role=Role.SENIOR_LEADER).count() == 2
        assert assignments.filter(role=Role.LSA).count() == 4
        assert not TeachingGroup.objects.filter(teachers__isnull=True).exists()
        assert not User.objects.filter(school=school, first_name="").exists()

    def test_pupils_are_placed_in_their_year_tutor_group_and_classes(self):
        enrolments = TeachingGroup.pupils.through.objects

        for pupil in Pupil.objects.select_related("year_group", "tutor_group"):
            number = pupil.year_group.number
            assert pupil.tutor_group.year_group_id == pupil.year_group_id
            assert date(2021 - number, 9, 1) <= pupil.date_of_birth <= date(2022 - number, 8, 31)
            assert len(pupil.upn) == 13
            classes = enrolments.filter(pupil=pupil)
            assert classes.count() == (12 if number <= 11 else 3), pupil
            assert classes.values("teachinggroup__subject").distinct().count() == classes.count()
        for tutor_group in TutorGroup.objects.all():
            assert 0 < tutor_group.pupils.count() <= 28
        for group in TeachingGroup.objects.all():
            assert group.pupils.exclude(year_group=group.year_group_id).count() == 0

    def test_calendar_has_the_half_terms_inset_days_and_bank_holidays_in_term(self):
        half_terms = list(HalfTerm.objects.values_list("start_date", "end_date"))
        days = dict(NonSchoolDay.objects.values_list("date", "kind"))

        assert len(half_terms) == 6
        assert half_terms[0] == (date(2026, 9, 2), date(2026, 10, 23))
        assert days[date(2027, 5, 3)] == NonSchoolDay.Kind.BANK_HOLIDAY
        assert days[date(2027, 3, 26)] == NonSchoolDay.Kind.BANK_HOLIDAY  # Good Friday
        assert list(days.values()).count(NonSchoolDay.Kind.INSET) == 5
        for day in days:
            assert day.weekday() < 5
            assert any(start <= day <= end for start, end in half_terms), day


class TestTheDemoSchoolOf300Pupils(TestCase):
    """The demo school of 300 pupils, whose shares of pupils follow the seed school's,
    built once for the checks that only read it."""

    @classmethod
    def setUpTestData(cls):
        with built_as_in_a_test():
            seed(pupils=300)

    def test_pupil_flags_follow_the_seed_school(self):
        pupils = Pupil.objects.all()

        def share(**flags):
            return pupils.filter(**flags).count() / 300

        assert share(free_school_meals=True) == pytest.approx(0.59, abs=0.02)
        assert share(pupil_premium=True) == pytest.approx(0.61, abs=0.02)
        assert share(eal=True) == pytest.approx(0.84, abs=0.02)
        assert share(sen__in=[Pupil.Sen.SUPPORT, Pupil.Sen.EHCP]) == pytest.approx(0.52, abs=0.02)
        assert share(sen=Pupil.Sen.EHCP) == pytest.approx(0.04, abs=0.01)
        assert share(young_carer=True) == pytest.approx(0.04, abs=0.01)
        assert share(looked_after=True) == pytest.approx(0.01, abs=0.01)
        assert share(travel_note__gt="") == pytest.approx(0.05, abs=0.01)
        # Every FSM or looked-after pupil attracts the Pupil Premium.
        assert not pupils.filter(free_school_meals=True, pupil_premium=False).exists()
        assert not pupils.filter(looked_after=True, pupil_premium=False).exists()
        # Years 7-11 are full, the sixth form smaller.
        assert (
            pupils.filter(year_group__number=7).count()
            > pupils.filter(year_group__number=12).count()
        )

    def test_guardians_are_one_or_two_per_pupil_and_siblings_share_them(self):
        per_pupil = list(
            Pupil.objects.annotate(guardian_count=Count("guardian_links")).values_list(
                "guardian_count", flat=True
            )
        )
        shared = {
            link.pupil_id
            for guardian in Guardian.objects.prefetch_related("links")
            if len(links := list(guardian.links.all())) > 1
            for link in links
        }

        assert set(per_pupil) <= {1, 2}
        assert per_pupil.count(2) / 300 == pytest.approx(0.6, abs=0.1)
        assert len(shared) / 300 == pytest.approx(0.15, abs=0.05)
        languages = set(Guardian.objects.values_list("preferred_language", flat=True))
        assert languages == {"en-gb", "pl", "ur"}
        for guardian in Guardian.objects.all():
            guardian.full_clean()  # a text-message guardian has a mobile, an emailed one an email
