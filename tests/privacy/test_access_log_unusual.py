"""Unusual access: staff who, in a window of days (the last 7 unless chosen), opened at
least settings.PRIVACY_UNUSUAL_PUPILS different pupils they neither teach, tutor nor lead
as head of year or house; those who may open any pupil (school-wide roles, superusers)
are listed apart. Counted in SQL: the page costs the same however many entries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.access_log.selectors import school_wide_access, unusual_access
from privacy.models import AccessLogEntry
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import PupilFactory, UserFactory

pytestmark = pytest.mark.shared_world

Role = RoleAssignment.Role
PAGE = reverse("privacy_access_log_unusual")


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PRIVACY_UNUSUAL_PUPILS = 3
    return 3


def look(user, pupil, *, days_ago=0, times=1):
    for _ in range(times):
        AccessLogEntry.objects.create(
            school_id=pupil.school_id,
            at=timezone.now() - timedelta(days=days_ago),
            user=user,
            pupil=pupil,
            page="Pupil page",
            path=f"/pupils/{pupil.pk}/",
        )


def year8(world, count):
    return [world.year8_pupil, world.year8_other] + [
        PupilFactory(tutor_group=world.tg_8a) for _ in range(count - 2)
    ]


def _window():
    today = timezone.localdate()
    return {"since": today - timedelta(days=6), "until": today}


def _unusual(world):
    return {
        (looker.user_id, looker.pupils)
        for looker in unusual_access(world.school.pk, threshold=3, **_window())
    }


def test_a_teacher_opening_pupils_they_do_not_teach_or_tutor_is_listed(client, world):
    for pupil in year8(world, 3):
        look(world.teacher, pupil, times=2)
    # their class (maths 7: Amara, Bartek) and their tutor group (7A) do not count
    look(world.teacher, world.pupil)
    look(world.teacher, world.classmate)

    client.force_login(world.school_admin)
    response = client.get(PAGE)

    [looker] = response.context["unusual"]
    assert (looker.user_id, looker.pupils, looker.looks) == (world.teacher.pk, 3, 6)
    text = response.content.decode()
    assert "Tess Teacher" in text
    assert f"staff={world.teacher.pk}&amp;date_from=" in text


def test_below_the_threshold_or_outside_the_window_is_not_listed(world):
    year8_pupils = year8(world, 3)
    look(world.teacher, year8_pupils[0])
    look(world.teacher, year8_pupils[1])
    look(world.teacher, year8_pupils[2], days_ago=8)
    assert _unusual(world) == set()
    since = timezone.localdate() - timedelta(days=10)
    wider = unusual_access(world.school.pk, since=since, until=timezone.localdate(), threshold=3)
    assert [(looker.user_id, looker.pupils) for looker in wider] == [(world.teacher.pk, 3)]


def test_heads_of_year_and_house_tutors_and_subject_leaders_open_their_own_freely(world):
    y7 = [world.pupil, world.classmate] + [PupilFactory(tutor_group=world.tg_7b) for _ in range(2)]
    for pupil in y7:
        look(world.head_of_year, pupil)  # Year 7 is theirs
    house_a = [world.pupil, world.year8_pupil] + [
        PupilFactory(tutor_group=world.tg_8a, house=world.house_a) for _ in range(2)
    ]
    for pupil in house_a:
        look(world.head_of_house, pupil)  # Brunel is theirs
    maths_8 = world.maths_8.pupils.all()
    for pupil in [world.pupil, world.classmate, *maths_8]:
        look(world.subject_leader, pupil)  # maths classes
    assert _unusual(world) == set()

    for pupil in year8(world, 3):
        look(world.head_of_year, pupil)
    assert _unusual(world) == {(world.head_of_year.pk, 3)}


def test_an_archived_class_no_longer_counts_as_taught(world):
    world.maths_8.teachers.add(world.teacher)
    for pupil in year8(world, 3):
        look(world.teacher, pupil)
    assert _unusual(world) == set()  # two of the three are in the class they teach
    world.maths_8.archived_on = timezone.localdate()
    world.maths_8.save()
    assert _unusual(world) == {(world.teacher.pk, 3)}


def test_school_wide_roles_and_superusers_are_listed_apart(client, world):
    dpl = staff(world.school, "dpl@test.school", (Role.DATA_PROTECTION_LEAD, {}))
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    for user in (world.senior_leader, world.school_admin, dpl, root):
        for pupil in year8(world, 4)[:4] if user == root else year8(world, 3):
            look(user, pupil)
    assert _unusual(world) == set()
    apart = school_wide_access(world.school.pk, **_window())
    assert {looker.user_id for looker in apart} == {
        world.senior_leader.pk,
        world.school_admin.pk,
        dpl.pk,
        root.pk,
    }

    client.force_login(world.school_admin)
    text = client.get(PAGE).content.decode()
    assert "Staff who may open any pupil" in text
    for role in ("Senior leader", "School admin", "Data protection lead", "superusers"):
        assert role in text
    assert "Nobody opened 3 or more pupils outside their care" in text


def test_the_window_is_chosen_and_a_bad_one_explained(client, world):
    for pupil in year8(world, 3):
        look(world.teacher, pupil, days_ago=20)
    client.force_login(world.school_admin)
    assert client.get(PAGE).context["unusual"] == []
    then = timezone.localdate() - timedelta(days=20)
    chosen = client.get(PAGE, {"date_from": f"{then:%d/%m/%Y}", "date_to": f"{then:%Y-%m-%d}"})
    assert [looker.user_id for looker in chosen.context["unusual"]] == [world.teacher.pk]
    backwards = client.get(
        PAGE, {"date_from": f"{timezone.localdate():%Y-%m-%d}", "date_to": f"{then:%Y-%m-%d}"}
    )
    text = backwards.content.decode()
    assert "The dates were not applied" in text
    assert backwards.context["since"] == timezone.localdate() - timedelta(days=6)


def test_another_schools_looks_are_not_counted(world):
    for pupil in year8(world, 3):
        look(world.teacher, pupil)
    other = unusual_access(world.other_school.pk, threshold=1, **_window())
    assert other == []


@pytest.mark.parametrize("extra", [0, 30])
def test_the_page_costs_the_same_however_many_looks(
    client, world, extra, django_assert_num_queries
):
    pupils = year8(world, 3 + extra)
    for user in (world.teacher, world.lsa, world.senior_leader):
        for pupil in pupils:
            look(user, pupil)
    client.force_login(world.school_admin)
    # session, user, roles, the school; the unusual lookers; those who may open any pupil
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    assert {looker.pupils for looker in response.context["unusual"]} == {3 + extra}
    assert len(response.context["unusual"]) == 2
