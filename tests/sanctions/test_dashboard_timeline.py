"""A pupil's timeline of missed deadlines, sanctions and audit entries, for the staff who
look after them; links to excuse a counted miss for those who may excuse."""

import pytest
from django.urls import reverse

from sanctions import services
from sanctions.models import Sanction
from tests.factories import PupilFactory
from tests.sanctions.helpers import overdue_assignments


def _url(pupil):
    return reverse("sanctions_pupil", args=[pupil.pk])


@pytest.fixture
def timeline_world(world):
    """Amara: four misses (one sanction), then one excused, which cancels the sanction
    (and the three left earn it again)."""
    misses = services.miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 4)
    )
    world.excused = services.miss_excuse(
        actor=world.head_of_year, miss=misses[0], reason="Bereavement in the family"
    )
    world.misses = misses
    return world


def test_timeline_lists_misses_sanctions_and_audit_newest_first(client, timeline_world):
    w = timeline_world
    client.force_login(w.head_of_year)
    response = client.get(_url(w.pupil))
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert len(timeline.misses) == 4
    assert [m.recorded_at for m in timeline.misses] == sorted(
        (m.recorded_at for m in timeline.misses), reverse=True
    )
    # The excuse cancelled cycle 1's sanction; the three misses left fill it again.
    assert sorted((s.cycle, s.status) for s in timeline.sanctions) == [
        (1, Sanction.Status.CANCELLED),
        (1, Sanction.Status.TO_SCHEDULE),
    ]
    actions = [entry.action for entry in timeline.audit]
    # The excuse (cancelling cycle 1 and earning it again) comes before the recording.
    assert set(actions[:3]) == {"miss_excused", "sanction_cancelled", "sanction_created"}
    assert sorted(actions[3:]) == ["miss_recorded"] * 4 + ["sanction_created"]
    assert [e.at for e in timeline.audit] == sorted((e.at for e in timeline.audit), reverse=True)
    content = response.content.decode()
    assert "Bereavement in the family" in content
    assert "Task 0" in content
    assert "Missed deadline excused" in content


def test_excuse_links_for_counted_misses_only_and_only_for_who_may_excuse(client, timeline_world):
    w = timeline_world
    counted_links = [
        reverse("sanctions_miss_excuse", args=[m.pk]) for m in w.misses if m.pk != w.excused.pk
    ]
    client.force_login(w.teacher)  # the form tutor
    content = client.get(_url(w.pupil)).content.decode()
    assert all(link in content for link in counted_links)
    assert reverse("sanctions_miss_excuse", args=[w.excused.pk]) not in content
    client.force_login(w.head_of_house)  # sees the timeline, may not excuse
    content = client.get(_url(w.pupil)).content.decode()
    assert not any(link in content for link in counted_links)


def test_subject_teachers_and_other_schools_get_404(client, timeline_world):
    w = timeline_world
    for who in (w.other_teacher, w.subject_leader, w.other_school_staff, w.parent):
        client.force_login(who)
        assert client.get(_url(w.pupil)).status_code == 404


def test_head_of_year_7_never_opens_a_year_8_timeline(client, world):
    client.force_login(world.head_of_year)
    assert client.get(_url(world.year8_pupil)).status_code == 404


@pytest.mark.parametrize("extra", [0, 10])
def test_timeline_query_count_does_not_grow_with_misses(
    client, world, django_assert_num_queries, extra
):
    services.miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 1 + extra)
    )
    PupilFactory(tutor_group=world.tg_7a)
    client.force_login(world.head_of_year)
    # session, user, roles, pupil, misses, sanctions, audit entries
    with django_assert_num_queries(7):
        response = client.get(_url(world.pupil))
    assert len(response.context["timeline"].misses) == 1 + extra
