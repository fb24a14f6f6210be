"""The shared cast: one school with two year groups, its staff in each role, pupils,
their parents, and a second school whose people must never see the first one's."""

import copy
import shutil
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from reports.measures.cache import TABLE as CHANGE_MARKS
from school.models import RoleAssignment

from . import run_settings
from .factories import (
    AcademicYearFactory,
    GuardianFactory,
    GuardianLinkFactory,
    HouseFactory,
    PupilFactory,
    RoleFactory,
    SchoolFactory,
    SubjectFactory,
    TeachingGroupFactory,
    TutorGroupFactory,
    UserFactory,
    YearGroupFactory,
)

Role = RoleAssignment.Role

# A real SMTP server for tests that send mail over a socket (the `smtp_sink` fixture).
pytest_plugins = ["tests.smtp_sink"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = run_settings.FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language: a request of an earlier test (a Polish
    parent's page, say) leaves its language active in the thread, where a service called
    directly would read its labels (every real request activates its own language)."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def staff(school, email, *roles, **user_fields):
    user = UserFactory(email=email, school=school, **user_fields)
    for role, scope in roles:
        RoleFactory(user=user, school=school, role=role, **scope)
    return user


@pytest.fixture
def world(db, _shared_world):
    if _shared_world is not None:
        _not_travelling("world")
        return _shared_world
    return world_build()


def world_build():
    school = SchoolFactory(name="Test Academy", slug="test")
    academic_year = AcademicYearFactory(school=school)
    y7 = YearGroupFactory(school=school, number=7)
    y8 = YearGroupFactory(school=school, number=8)
    house_a = HouseFactory(school=school, name="Brunel")
    house_b = HouseFactory(school=school, name="Curie")
    tg_7a = TutorGroupFactory(school=school, year_group=y7, name="7A")
    tg_7b = TutorGroupFactory(school=school, year_group=y7, name="7B")
    tg_8a = TutorGroupFactory(school=school, year_group=y8, name="8A")
    maths = SubjectFactory(school=school, name="Maths", code="Ma")
    english = SubjectFactory(school=school, name="English", code="En")

    teacher = staff(
        school,
        "teacher@test.school",
        (Role.TEACHER, {}),
        (Role.FORM_TUTOR, {"tutor_group": tg_7a}),
        first_name="Tess",
        last_name="Teacher",
    )
    other_teacher = staff(school, "other.teacher@test.school", (Role.TEACHER, {}))
    # Names with an apostrophe, as real ones have: a page must escape them, and a test that
    # looks for one in HTML must look for it escaped.
    head_of_year = staff(
        school,
        "hoy@test.school",
        (Role.HEAD_OF_YEAR, {"year_group": y7}),
        first_name="Hana",
        last_name="O'Neill",
    )
    head_of_house = staff(
        school, "hoh@test.school", (Role.HEAD_OF_HOUSE, {"house": house_a}), first_name="Hugo"
    )
    subject_leader = staff(
        school, "sl@test.school", (Role.SUBJECT_LEADER, {"subject": maths}), first_name="Sam"
    )
    senior_leader = staff(
        school, "slt@test.school", (Role.SENIOR_LEADER, {}), last_name="O'Sullivan"
    )
    school_admin = staff(
        school, "admin@test.school", (Role.SCHOOL_ADMIN, {}), is_staff=True, last_name="D'Souza"
    )
    lsa = staff(school, "lsa@test.school", (Role.LSA, {}))

    pupil = PupilFactory(
        tutor_group=tg_7a,
        house=house_a,
        first_name="Amara",
        last_name="Okafor",
        user=UserFactory(email="pupil@test.school", school=school),
        free_school_meals=True,
        eal=True,
    )
    classmate = PupilFactory(
        tutor_group=tg_7b,
        house=house_b,
        first_name="Bartek",
        last_name="Nowak",
        user=UserFactory(email="classmate@test.school", school=school),
    )
    year8_pupil = PupilFactory(
        tutor_group=tg_8a, house=house_a, first_name="Chidi", last_name="Okafor"
    )
    year8_other = PupilFactory(
        tutor_group=tg_8a, house=house_b, first_name="Dana", last_name="Reid"
    )

    maths_7 = TeachingGroupFactory(
        school=school,
        academic_year=academic_year,
        year_group=y7,
        subject=maths,
        name="7x/Ma1",
        teachers=[teacher],
        pupils=[pupil, classmate],
    )
    english_7 = TeachingGroupFactory(
        school=school,
        academic_year=academic_year,
        year_group=y7,
        subject=english,
        name="7x/En1",
        teachers=[other_teacher],
        pupils=[pupil],
    )
    maths_8 = TeachingGroupFactory(
        school=school,
        academic_year=academic_year,
        year_group=y8,
        subject=maths,
        name="8x/Ma1",
        teachers=[other_teacher],
        pupils=[year8_pupil, year8_other],
    )

    parent = UserFactory(email="parent@test.school", first_name="Ngozi")
    guardian = GuardianFactory(school=school, user=parent, first_name="Ngozi", last_name="Okafor")
    GuardianLinkFactory(guardian=guardian, pupil=pupil)
    GuardianLinkFactory(guardian=guardian, pupil=year8_pupil)
    other_parent = UserFactory(email="other.parent@test.school")
    other_guardian = GuardianFactory(school=school, user=other_parent)
    GuardianLinkFactory(guardian=other_guardian, pupil=classmate)

    other_school = SchoolFactory(name="Other Academy", slug="other")
    other_y7 = YearGroupFactory(school=other_school, number=7)
    other_tutor_group = TutorGroupFactory(school=other_school, year_group=other_y7, name="7A")
    other_school_pupil = PupilFactory(tutor_group=other_tutor_group, first_name="Zed")
    other_school_staff = staff(
        other_school,
        "head@other.school",
        (Role.SENIOR_LEADER, {}),
        (Role.SCHOOL_ADMIN, {}),
        (Role.HEAD_OF_YEAR, {"year_group": other_y7}),
        is_staff=True,
    )
    other_school_teacher = staff(
        other_school,
        "teacher@other.school",
        (Role.TEACHER, {}),
        (Role.FORM_TUTOR, {"tutor_group": other_tutor_group}),
    )

    return SimpleNamespace(**locals())


@pytest.fixture
def teacher(world):
    return world.teacher


@pytest.fixture
def other_teacher(world):
    return world.other_teacher


@pytest.fixture
def head_of_year(world):
    return world.head_of_year


@pytest.fixture
def parent(world):
    return world.parent


@pytest.fixture
def other_parent(world):
    return world.other_parent


@pytest.fixture
def pupil(world):
    return world.pupil


@pytest.fixture
def other_school_staff(world):
    return world.other_school_staff


@pytest.fixture(autouse=True)
def tasks_run_in_process():
    """Unit tests run queued tasks at once, in the test's own process; the worker tests
    in tests/notifications turn this off to go through a real broker and worker."""
    with run_settings.tasks_run_in_process():
        yield


@pytest.fixture
def homework_world(world, settings, tmp_path, _shared_worlds, _shared_world):
    """The world plus homework: maths for 7x/Ma1 (set by the teacher, with an attachment
    and an alternative version for EAL pupils), English for 7x/En1 and maths for 8x/Ma1
    (set by the other teacher), and a draft. Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if _shared_world is None:
        return homework_add(world)
    if not hasattr(world, "maths_homework"):
        pytest.fail("a shared_world module's tests name homework_world as an argument")
    # The module's uploaded files, copied for this test to change.
    shutil.copytree(_shared_worlds.media_root, settings.MEDIA_ROOT)
    return world


def homework_add(world):
    """Sets the homework of `homework_world` (files go to settings.MEDIA_ROOT)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from homework.services.setting import HomeworkDetails, homework_set

    set_on = timezone.localdate()
    due_at = timezone.now() + datetime.timedelta(days=3)

    def details(title, **extra):
        return HomeworkDetails(
            title=title,
            instructions=f"Do the {title} task.",
            set_on=set_on,
            due_at=due_at,
            estimated_minutes=30,
            **extra,
        )

    (world.maths_homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=details(
            "Fractions practice",
            alternative_instructions="Do questions 1-5 with the word bank.",
            alternative_for_eal=True,
        ),
        files=[SimpleUploadedFile("worksheet.pdf", b"%PDF-1.4 fractions", "application/pdf")],
    )
    world.maths_attachment = world.maths_homework.attachments.get()
    world.pupil_maths_assignment = world.maths_homework.assignments.get(pupil=world.pupil)
    world.classmate_maths_assignment = world.maths_homework.assignments.get(pupil=world.classmate)
    (world.english_homework,) = homework_set(
        teacher=world.other_teacher, teaching_groups=[world.english_7], details=details("Poem")
    )
    (world.year8_homework,) = homework_set(
        teacher=world.other_teacher,
        teaching_groups=[world.maths_8],
        details=details("Algebra"),
        files=[SimpleUploadedFile("algebra.pdf", b"%PDF-1.4 algebra", "application/pdf")],
    )
    world.year8_attachment = world.year8_homework.attachments.get()
    world.year8_assignment = world.year8_homework.assignments.get(pupil=world.year8_pupil)
    (world.draft_homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=details("Draft ratio task"),
        as_draft=True,
    )
    return world


# Worlds built once per module ------------------------------------------------------------
# Building the world costs more than most tests that read it. A module marked
# `shared_world` builds it (and its homework) once, inside a transaction held open for the
# module and rolled back at its end: each test gets its own deep copy of the objects and
# runs in a savepoint of its own, rolled back after it, so that every test still starts
# from a fresh, unchanged world (Django's TestCase.setUpTestData, for pytest). A test of
# such a module that uses no world, or needs committed rows (transactional_db,
# live_server), runs with the module's transaction closed and builds its own. The world
# is built before the test's own fixtures run, so a module whose fixtures change the
# clock or the settings before building the world must not be marked.


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "shared_world: the module's world and homework world are built once, each test "
        "running in a savepoint on a copy of them (tests/conftest.py)",
    )


class SharedWorlds:
    """The worlds of one module, in levels: the world, then the world with its homework.
    Each level is built once inside an atomic block of its own (the first a transaction,
    the next a savepoint), and undone only when a test needs less than is built."""

    def __init__(self, blocker, media_root):
        self.blocker = blocker
        self.media_root = media_root
        self.levels = []  # (atomic block, the objects built), the world first

    def settle(self, depth):
        """Leaves `depth` levels built (0: none, 1: the world, 2: with its homework) and
        returns a copy of the last one's objects, for one test."""
        with self.blocker.unblock():
            if len(connection.atomic_blocks) != len(self.levels):
                raise RuntimeError(
                    "the test's transaction was opened before its shared world was built: "
                    "a module marked shared_world cannot use the django_db mark"
                )
            while len(self.levels) > depth:
                self.undo()
            while len(self.levels) < depth:
                self.build()
        return copy.deepcopy(self.levels[-1][1]) if self.levels else None

    def build(self):
        atomic = transaction.atomic()
        atomic._from_testcase = True  # durable blocks inside behave as in a TestCase
        atomic.__enter__()
        try:
            with run_settings.built_as_in_a_test(), override_settings(MEDIA_ROOT=self.media_root):
                if self.levels:
                    objects = homework_add(copy.deepcopy(self.levels[-1][1]))
                else:
                    objects = world_build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        self.levels.append((atomic, objects))

    def undo(self):
        atomic, _ = self.levels.pop()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def _shared_worlds(request, django_db_blocker, tmp_path_factory):
    """The module's SharedWorlds if it is marked shared_world, else None."""
    if request.node.get_closest_marker("shared_world") is None:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    worlds = SharedWorlds(django_db_blocker, tmp_path_factory.mktemp("media"))
    yield worlds
    with django_db_blocker.unblock():
        while worlds.levels:
            worlds.undo()


COMMITTING = {"transactional_db", "live_server", "django_db_serialized_rollback"}
USING_THE_DATABASE = {"db", "django_db_reset_sequences", *COMMITTING}


@pytest.fixture(autouse=True)
def _change_marks_cleared_after_commits(request, django_db_blocker):
    """A test whose rows are committed leaves the report cache's change marks behind
    (reports/measures/cache.py: a table of the triggers, not a model, so Django's flush
    keeps it): they are cleared after it, so that the next test counts only its own."""
    yield
    mark = request.node.get_closest_marker("django_db")
    if not (COMMITTING & set(request.fixturenames) or (mark and mark.kwargs.get("transaction"))):
        return
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"DO $$ BEGIN IF to_regclass('{CHANGE_MARKS}') IS NOT NULL THEN"
                    f" TRUNCATE {CHANGE_MARKS}; END IF; END $$"
                )


@pytest.fixture(autouse=True)
def _shared_world(request, _shared_worlds):
    """This test's copy of its module's shared world: None outside a shared_world module,
    and for a test there that uses no world or commits."""
    if _shared_worlds is None:
        return None
    names = set(request.fixturenames)
    mark = request.node.get_closest_marker("django_db")
    if mark is None and not USING_THE_DATABASE & names:
        return None  # the database is closed to it: what is built may stay
    if COMMITTING & names or (mark is not None and mark.kwargs.get("transaction")):
        depth = 0
    else:
        depth = 2 if "homework_world" in names else 1 if "world" in names else 0
    return _shared_worlds.settle(depth)


def _not_travelling(name):
    if time_machine.escape_hatch.is_travelling():
        pytest.fail(
            f"{name} is shared by this module and was built at the real time: a test "
            "that moves the clock before building it belongs in a module not marked "
            "shared_world"
        )
