"""Coverage of the current version: the share of pupils with at least one signature by
year and tutor group (exact percentages in a small world), scoped to the viewer; the
unsigned families with their contact details and as CSV; reminders to a group's unsigned
families, at most one per family every seven days; who may send them; query budgets."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from notifications.models import Notification
from parents.agreements import coverage as coverage_selectors
from parents.agreements.signing import signatures_record
from parents.notices import AGREEMENT_REMINDER
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, TutorGroupFactory

from .test_agreements import NOW, now, published, sign  # noqa: F401 (now: the clock)

COVERAGE = reverse("parents_agreement_coverage")
REMIND = reverse("parents_agreement_remind")


@pytest.fixture
def signed_world(world):
    """7A: Amara (signed by her mother) and two unsigned classmates; 7B: Bartek; 8A:
    Chidi (Amara's brother) and Dana (no parent recorded). Both Okafor children were
    signed for on version 1, only Amara on the current version 2."""
    world.extra_7a = [
        PupilFactory(tutor_group=world.tg_7a, first_name=name, last_name="Smith")
        for name in ("Eve", "Finn")
    ]
    for pupil in world.extra_7a:
        GuardianLinkFactory(
            guardian=GuardianFactory(school=world.school, first_name="Pat", last_name="Smith"),
            pupil=pupil,
        )
    old = published(world, version=1)
    sign(world, old, world.pupil)
    sign(world, old, world.year8_pupil)
    world.agreement = published(world, version=2, title="Revised")
    sign(world, world.agreement, world.pupil)
    return world


def rows(response, kind):
    return [
        (row.label, row.pupils, row.signed, row.percent)
        for row in getattr(response.context["coverage"], kind)
    ]


def test_senior_leaders_see_the_school_by_year_and_tutor_group(client, signed_world):
    client.force_login(signed_world.senior_leader)
    response = client.get(COVERAGE)
    assert response.status_code == 200
    assert rows(response, "groups") == [
        ("7A", 3, 1, 33),
        ("7B", 1, 0, 0),
        ("8A", 2, 0, 0),
    ]
    assert rows(response, "years") == [("Year 7", 4, 1, 25), ("Year 8", 2, 0, 0)]
    total = response.context["coverage"].total
    assert (total.pupils, total.signed, total.percent) == (6, 1, 17)
    assert "33%" in response.content.decode()


def test_two_signatures_for_one_pupil_count_once(client, signed_world):
    father = GuardianFactory(school=signed_world.school, first_name="Emeka", last_name="Okafor")
    father.user = signed_world.other_teacher  # any login will do for the signer
    father.save()
    GuardianLinkFactory(guardian=father, pupil=signed_world.pupil)
    signatures_record(
        user=signed_world.other_teacher,
        agreement=signed_world.agreement,
        pupil_ids=[signed_world.pupil.pk],
        typed_name="Emeka Okafor",
        ip_address=None,
        user_agent="",
    )
    client.force_login(signed_world.senior_leader)
    assert rows(client.get(COVERAGE), "groups")[0] == ("7A", 3, 1, 33)


def test_a_tutor_sees_only_their_group_and_a_head_of_year_their_year(client, signed_world):
    client.force_login(signed_world.teacher)
    response = client.get(COVERAGE)
    assert rows(response, "groups") == [("7A", 3, 1, 33)]
    unsigned = [pupil.first_name for pupil in response.context["unsigned"]]
    assert unsigned == ["Eve", "Finn"]
    assert "Bartek" not in response.content.decode()

    client.force_login(signed_world.head_of_year)
    response = client.get(COVERAGE)
    assert rows(response, "groups") == [("7A", 3, 1, 33), ("7B", 1, 0, 0)]
    assert rows(response, "years") == [("Year 7", 4, 1, 25)]
    assert "Chidi" not in response.content.decode()


def test_the_unsigned_families_are_listed_with_their_contact_details(client, signed_world):
    client.force_login(signed_world.senior_leader)
    response = client.get(COVERAGE)
    unsigned = [pupil.first_name for pupil in response.context["unsigned"]]
    assert unsigned == ["Eve", "Finn", "Bartek", "Chidi", "Dana"]
    text = response.content.decode()
    assert signed_world.other_guardian.email in text
    assert "No parent or carer with parental responsibility is recorded." in text


def test_the_unsigned_families_come_a_page_at_a_time(client, signed_world, monkeypatch):
    monkeypatch.setattr(coverage_selectors, "UNSIGNED_PER_PAGE", 2)
    client.force_login(signed_world.senior_leader)

    def names(**query):
        response = client.get(COVERAGE, query)
        assert response.status_code == 200
        return [pupil.first_name for pupil in response.context["unsigned"]], response

    first, response = names()
    assert first == ["Eve", "Finn"]
    text = response.content.decode()
    assert "Families who have not signed (5)" in text
    assert "1 to 2, by year, tutor group and name" in text
    assert 'href="?page=2#unsigned-heading"' in text
    assert names(page=2)[0] == ["Bartek", "Chidi"]
    assert names(page=3)[0] == ["Dana"]
    assert names(page=99)[0] == ["Dana"]  # past the end: the last page
    assert names(page="x")[0] == ["Eve", "Finn"]
    # The CSV still has every unsigned family.
    lines = list(csv.reader(io.StringIO(client.get(COVERAGE, {"format": "csv"}).content.decode())))
    assert [line[1] for line in lines[1:]] == ["Eve", "Finn", "Bartek", "Chidi", "Dana"]


def test_when_every_family_has_signed_the_list_says_so(client, world):
    agreement = published(world)
    sign(world, agreement)  # Amara's mother signs
    client.force_login(world.teacher)  # tutor of 7A, where only Amara is
    response = client.get(COVERAGE)
    assert response.context["unsigned"] == []
    assert "Every family in your care has signed." in response.content.decode()


def test_the_unsigned_families_download_as_csv(client, signed_world):
    client.force_login(signed_world.head_of_year)
    response = client.get(COVERAGE, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][:4] == ["Surname", "First name", "Year", "Tutor group"]
    assert [(line[1], line[3], line[6]) for line in lines[1:]] == [
        ("Eve", "7A", lines[1][6]),
        ("Finn", "7A", lines[2][6]),
        ("Bartek", "7B", signed_world.other_guardian.email),
    ]


def test_the_coverage_downloads_as_csv(client, signed_world):
    client.force_login(signed_world.senior_leader)
    response = client.get(COVERAGE, {"format": "coverage-csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "Group",
        "Pupils",
        "Signed",
        "Not signed",
        "Signed %",
        "Signed in English",
        "Signed in Polski",
        "Signed in اردو",
    ]
    assert ["7A", "3", "1", "2", "33", "1", "0", "0"] in lines
    assert lines[-1] == ["All pupils in your care", "6", "1", "5", "17", "1", "0", "0"]


def test_without_a_published_agreement_the_page_says_so(client, world):
    client.force_login(world.senior_leader)
    response = client.get(COVERAGE)
    assert response.status_code == 200
    assert "No agreement is published for this year yet." in response.content.decode()


def test_another_schools_staff_see_nothing_of_this_school(client, signed_world):
    client.force_login(signed_world.other_school_staff)
    response = client.get(COVERAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Okafor" not in text and "Revised" not in text


# Reminders -------------------------------------------------------------------------------


def reminders():
    return sorted(
        Notification.objects.filter(kind=AGREEMENT_REMINDER).values_list(
            "pupil__first_name", "guardian__first_name"
        )
    )


def test_a_reminder_goes_to_each_parent_of_the_groups_unsigned_pupils(client, signed_world):
    client.force_login(signed_world.teacher)
    response = client.post(REMIND, {"tutor_group": signed_world.tg_7a.pk}, follow=True)
    assert reminders() == [("Eve", "Pat"), ("Finn", "Pat")]
    assert "Reminders sent to 2 families in 7A (2 messages)." in response.content.decode()
    notification = Notification.objects.filter(kind=AGREEMENT_REMINDER).first()
    assert notification.context["version"] == 2
    assert notification.context["path"] == reverse("parents_agreement")
    assert notification.school == signed_world.school


def test_a_family_is_reminded_at_most_once_in_seven_days(client, signed_world):
    client.force_login(signed_world.senior_leader)
    client.post(REMIND, {"tutor_group": signed_world.tg_8a.pk})
    assert reminders() == [("Chidi", "Ngozi")]
    response = client.post(REMIND, {"tutor_group": signed_world.tg_8a.pk}, follow=True)
    text = response.content.decode()
    assert "Reminders sent to 0 families in 8A (0 messages)." in text
    assert "2 not reminded" in text  # Chidi reminded already; Dana has no parent recorded
    assert len(reminders()) == 1

    Notification.objects.update(created_at=NOW - datetime.timedelta(days=7, minutes=1))
    client.post(REMIND, {"tutor_group": signed_world.tg_8a.pk})
    assert reminders() == [("Chidi", "Ngozi"), ("Chidi", "Ngozi")]


def test_siblings_count_as_one_family_for_the_seven_day_rule(client, world):
    agreement = published(world)
    assert agreement
    client.force_login(world.senior_leader)
    client.post(REMIND, {"tutor_group": world.tg_8a.pk})
    client.post(REMIND, {"tutor_group": world.tg_7a.pk})
    # Amara's mother was reminded about Chidi moments ago: not again about Amara.
    assert reminders() == [("Chidi", "Ngozi")]


def test_the_coverage_page_shows_when_a_family_was_last_reminded(client, signed_world):
    client.force_login(signed_world.senior_leader)
    client.post(REMIND, {"tutor_group": signed_world.tg_7b.pk})
    text = client.get(COVERAGE).content.decode()
    assert "23/11/2026" in text


@pytest.mark.parametrize(
    "data", [{}, {"tutor_group": ""}, {"tutor_group": "abc"}, {"tutor_group": "-3"}]
)
def test_a_bad_reminder_request_is_refused_and_sends_nothing(client, signed_world, data):
    client.force_login(signed_world.senior_leader)
    response = client.post(REMIND, data)
    assert response.status_code == 400
    assert "Choose a tutor group to remind." in response.content.decode()
    assert reminders() == []


def test_reminding_without_a_published_agreement_is_refused(client, world):
    client.force_login(world.senior_leader)
    response = client.post(REMIND, {"tutor_group": world.tg_7a.pk})
    assert response.status_code == 400
    assert "No agreement is published" in response.content.decode()
    assert reminders() == []


@pytest.mark.parametrize(
    "who, group",
    [
        ("teacher", "tg_8a"),  # a tutor, not of this group
        ("head_of_year", "tg_8a"),  # head of another year
        ("other_school_staff", "tg_7a"),  # another school
        ("head_of_house", "tg_7a"),
        ("lsa", "tg_7a"),
        ("parent", "tg_7a"),
        ("pupil", "tg_7a"),
    ],
)
def test_only_staff_in_charge_of_the_group_may_send_reminders(client, signed_world, who, group):
    user = signed_world.pupil.user if who == "pupil" else getattr(signed_world, who)
    client.force_login(user)
    response = client.post(REMIND, {"tutor_group": getattr(signed_world, group).pk})
    assert response.status_code == 404
    assert reminders() == []


def test_another_schools_group_is_404_even_for_its_id(client, signed_world):
    client.force_login(signed_world.senior_leader)
    response = client.post(REMIND, {"tutor_group": signed_world.other_tutor_group.pk})
    assert response.status_code == 404
    assert reminders() == []


def test_reminders_are_post_only(client, signed_world):
    client.force_login(signed_world.senior_leader)
    assert client.get(REMIND).status_code == 405


# Query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_the_coverage_query_budget_does_not_grow_with_groups_or_pupils(
    client, world, django_assert_num_queries, size
):
    agreement = published(world)
    for n in range(size):
        group = TutorGroupFactory(school=world.school, year_group=world.y8, name=f"8Z{n}")
        for _ in range(size):
            pupil = PupilFactory(tutor_group=group)
            GuardianLinkFactory(guardian=GuardianFactory(school=world.school), pupil=pupil)
    sign(world, agreement)
    client.force_login(world.senior_leader)
    # session, user, roles, the current agreement, the groups with their counts, the
    # unsigned pupils (with when they were last reminded), their parents and carers.
    with django_assert_num_queries(7):
        response = client.get(COVERAGE)
    assert len(response.context["coverage"].groups) == 3 + size
    assert len(response.context["unsigned"]) == 3 + size * size
