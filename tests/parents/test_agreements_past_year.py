"""In the summer after the next academic year was started, families still sign last
year's agreement (the summer gap is its year), and its coverage reads that year as it
was: by last year's year and tutor groups with who was in them then, the unsigned and
signed families named in those groups (on the page and in each CSV), a form tutor's and
a head of year's share of them, and reminders sent by last year's group."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications.models import Notification
from parents.agreements import coverage as coverage_selectors
from parents.notices import AGREEMENT_REMINDER
from school.models import TutorGroup
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, TutorGroupFactory
from tests.mis.rollover_helpers import apply

from .test_agreements import now, published, sign  # noqa: F401 (now: the clock)
from .test_agreements_coverage import rows, signed_world  # noqa: F401 (a fixture)

COVERAGE = reverse("parents_agreement_coverage")
REMIND = reverse("parents_agreement_remind")


@pytest.fixture
def rolled_over(signed_world):  # noqa: F811
    """The signed world's 2026/27 started into 2027/28: 7A's pupils are in 8A, 7B's in
    8B, 8A's in 9A; a joiner is in the new, empty 7A."""
    apply(signed_world)
    new_7a = TutorGroup.objects.current().get(school=signed_world.school, name="7A")
    signed_world.joiner = PupilFactory(tutor_group=new_7a, first_name="Zara")
    return signed_world


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_last_years_coverage_counts_by_the_groups_of_then(client, rolled_over):
    world = rolled_over
    client.force_login(world.senior_leader)
    response = client.get(COVERAGE)
    assert response.context["coverage"].agreement == world.agreement
    assert rows(response, "groups") == [("7A", 3, 1, 33), ("7B", 1, 0, 0), ("8A", 2, 0, 0)]
    assert all(row.tutor_group.archived_on for row in response.context["coverage"].groups)
    assert rows(response, "years") == [("Year 7", 4, 1, 25), ("Year 8", 2, 0, 0)]
    unsigned = [(p.first_name, p.tutor_group.name) for p in response.context["unsigned"]]
    assert unsigned == [("Eve", "7A"), ("Finn", "7A"), ("Bartek", "7B"), ("Chidi", "8A"),
                        ("Dana", "8A")]  # fmt: skip
    assert "Zara" not in response.content.decode()  # not at the school last year

    coverage_csv = _csv(client.get(COVERAGE, {"format": "coverage-csv"}))
    assert [line[:3] for line in coverage_csv[1:]] == [
        ["Year 7", "4", "1"],
        ["Year 8", "2", "0"],
        ["7A", "3", "1"],
        ["7B", "1", "0"],
        ["8A", "2", "0"],
        ["All pupils in your care", "6", "1"],
    ]
    unsigned_csv = _csv(client.get(COVERAGE, {"format": "csv"}))
    assert [(line[1], line[2], line[3]) for line in unsigned_csv[1:]] == [
        ("Eve", "7", "7A"),
        ("Finn", "7", "7A"),
        ("Bartek", "7", "7B"),
        ("Chidi", "8", "8A"),
        ("Dana", "8", "8A"),
    ]
    signed_csv = _csv(client.get(COVERAGE, {"format": "signed-csv"}))
    assert [(line[1], line[2], line[3]) for line in signed_csv[1:]] == [("Amara", "7", "7A")]


def test_a_page_of_last_years_unsigned_families_follows_the_groups_of_then(
    client, rolled_over, monkeypatch
):
    monkeypatch.setattr(coverage_selectors, "UNSIGNED_PER_PAGE", 2)
    client.force_login(rolled_over.senior_leader)
    response = client.get(COVERAGE, {"page": 2})
    unsigned = [(p.first_name, p.tutor_group.name) for p in response.context["unsigned"]]
    assert unsigned == [("Bartek", "7B"), ("Chidi", "8A")]


def test_last_years_tutor_and_head_of_year_see_their_groups_of_then(client, rolled_over):
    world = rolled_over
    client.force_login(world.teacher)  # tutor of 7A, who followed it to the new 8A
    response = client.get(COVERAGE)
    assert rows(response, "groups") == [("7A", 3, 1, 33)]
    assert [p.first_name for p in response.context["unsigned"]] == ["Eve", "Finn"]

    client.force_login(world.head_of_year)  # of Year 7
    response = client.get(COVERAGE)
    assert rows(response, "groups") == [("7A", 3, 1, 33), ("7B", 1, 0, 0)]
    assert "Chidi" not in response.content.decode()


def test_reminders_go_to_last_years_group(client, rolled_over):
    world = rolled_over
    old_7a = TutorGroup.objects.get(pk=world.tg_7a.pk)
    client.force_login(world.teacher)
    response = client.post(REMIND, {"tutor_group": old_7a.pk}, follow=True)
    assert "Reminders sent to 2 families in 7A" in response.content.decode()
    reminded = Notification.objects.filter(kind=AGREEMENT_REMINDER)
    assert set(reminded.values_list("pupil_id", flat=True)) == {p.pk for p in world.extra_7a}
    # The group they tutor now is not last year's agreement's.
    new_8a = TutorGroup.objects.current().get(school=world.school, name="8A")
    assert client.post(REMIND, {"tutor_group": new_8a.pk}).status_code == 404


@pytest.mark.parametrize("size", [1, 4])
def test_last_years_coverage_costs_one_query_more_whatever_the_groups(
    client, world, django_assert_max_num_queries, size
):
    agreement = published(world)
    for n in range(size):
        group = TutorGroupFactory(
            school=world.school,
            year_group=world.y8,
            name=f"8Z{n}",
            academic_year=world.academic_year,
        )
        for _ in range(size):
            pupil = PupilFactory(tutor_group=group)
            GuardianLinkFactory(guardian=GuardianFactory(school=world.school), pupil=pupil)
    sign(world, agreement)
    apply(world)
    client.force_login(world.senior_leader)
    # As this year's seven (test_agreements_coverage), and the unsigned pupils' placements.
    with django_assert_max_num_queries(8):
        response = client.get(COVERAGE)
    assert len(response.context["coverage"].groups) == 3 + size
    assert len(response.context["unsigned"]) == 3 + size * size
    assert {p.tutor_group.name for p in response.context["unsigned"]} >= {"7B", "8A", "8Z0"}


def test_last_years_signed_copy_names_the_tutor_group_of_then(
    client, rolled_over, django_assert_max_num_queries
):
    world = rolled_over
    signature = world.agreement.signatures.get(pupil=world.pupil)
    url = reverse("parents_agreement_signature", args=[signature.pk])
    client.force_login(world.parent)
    # The copy's four queries (the English version signed: no translation to read), and
    # the pupil's placement of then.
    with django_assert_max_num_queries(5):
        response = client.get(url)
    text = " ".join(response.content.decode().split())
    assert escape(f"{world.pupil.full_name} (7A)") in text
    assert "(8A)" not in text
