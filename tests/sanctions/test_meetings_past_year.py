"""After the next academic year is started, last year's meetings (their list, its CSV and
a meeting's page) name the pupil's year and tutor group of then, not the ones they have
moved up to; this year's meetings name the groups of now."""

import csv
import io

import pytest
from django.urls import reverse

from sanctions.models import Meeting
from tests.factories import PupilFactory
from tests.mis.rollover_helpers import apply

from .test_meetings import in_days, meeting_for

LIST = reverse("sanctions_meetings")
Status = Meeting.Status


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_last_years_meetings_name_the_groups_of_then(client, world):
    to_arrange = meeting_for(world, owner=world.senior_leader)
    arranged = meeting_for(
        world,
        world.year8_pupil,
        owner=world.senior_leader,
        status=Status.ARRANGED,
        proposed_at=in_days(2),
    )
    held = meeting_for(world, world.classmate, owner=world.head_of_year, status=Status.HELD)
    apply(world)  # the pupil is now in 8A, the Year 8 pupil in 9A, the classmate in 8B

    client.force_login(world.senior_leader)
    response = client.get(LIST)
    lists = response.context["lists"]
    shown = {
        meeting.pk: (meeting.pupil.year_group.number, meeting.pupil.tutor_group.name)
        for meeting in lists.to_arrange + lists.arranged + lists.others
    }
    assert shown == {to_arrange.pk: (7, "7A"), arranged.pk: (8, "8A"), held.pk: (7, "7B")}
    page = response.content.decode()
    assert "<td>9A</td>" not in page and "<td>8B</td>" not in page

    rows = _csv(client.get(LIST, {"format": "csv"}))
    assert rows[0][:2] == ["Pupil", "Tutor group"]
    assert sorted(row[:2] for row in rows[1:]) == sorted(
        [
            [world.pupil.full_name, "7A"],
            [world.year8_pupil.full_name, "8A"],
            [world.classmate.full_name, "7B"],
        ]
    )

    detail = client.get(reverse("sanctions_meeting", args=[to_arrange.pk]))
    assert "Year 7 · tutor group 7A" in " ".join(detail.content.decode().split())


def test_this_years_meetings_name_the_groups_of_now(client, world):
    meeting = meeting_for(world, owner=world.senior_leader)
    client.force_login(world.senior_leader)
    rows = _csv(client.get(LIST, {"format": "csv"}))
    assert rows[1][:2] == [world.pupil.full_name, "7A"]
    assert client.get(LIST).context["lists"].to_arrange == [meeting]


@pytest.mark.parametrize("rows", [1, 7])
def test_last_years_meetings_list_costs_one_query_more_whatever_the_rows(
    client, world, django_assert_max_num_queries, rows
):
    pupils = [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(rows - 1)]
    statuses = [Status.TO_ARRANGE, Status.ARRANGED, Status.HELD]
    for n, pupil in enumerate(pupils):
        meeting_for(
            world,
            pupil,
            owner=world.teacher,
            status=statuses[n % 3],
            proposed_at=in_days(n + 1) if statuses[n % 3] == Status.ARRANGED else None,
        )
    apply(world)
    client.force_login(world.senior_leader)
    # session, user, roles, one query for each of the three lists, the placements.
    with django_assert_max_num_queries(7):
        response = client.get(LIST)
    lists = response.context["lists"]
    assert {m.pupil.tutor_group.name for m in lists.to_arrange + lists.arranged + lists.others} == {
        "7A"
    }
    with django_assert_max_num_queries(5):  # session, user, roles, meetings, placements
        download = client.get(LIST, {"format": "csv"})
    assert {row[1] for row in _csv(download)[1:]} == {"7A"}
