"""A child who has left: the parent's overview shows a line leading to the child's page
(their record: misses, sanctions, visits), not a card of the week ahead; the child is not
offered for a weekly sign-off, a new message or the agreement; staff lists and counts of
the agreement's coverage, its reminders and the guardians page leave them out.

Read on Wednesday 25th November 2026; Amara left on Monday 23rd."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from parents.digest import weekly_digest_write
from parents.notices import AGREEMENT_REMINDER, WEEKLY_DIGEST
from sanctions.models import Miss
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, UserFactory
from tests.sanctions.helpers import overdue_assignments

from .test_agreements import published, sign

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON, WED = datetime.date(2026, 11, 23), datetime.date(2026, 11, 25)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def leave(pupil, on=MON):
    pupil.left_on = on
    pupil.save(update_fields=["left_on"])


@pytest.fixture
def left(world, time_machine):
    """Amara had two missed deadlines last week and left on Monday; Chidi, her brother,
    is still at the school."""
    time_machine.move_to(at(MON - datetime.timedelta(days=5), 10), tick=False)
    policy_current(school=world.school)
    miss_record(recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 2))
    time_machine.move_to(at(WED, 10), tick=False)
    leave(world.pupil)
    return world


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_the_overview_has_no_card_for_a_child_who_left_only_a_line_to_their_record(client, left):
    response = get(client, left.parent, reverse("parents_overview"))

    overview = response.context["overview"]
    assert [card.pupil for card in overview.cards] == [left.year8_pupil]
    assert overview.left == [left.pupil]
    page = response.content.decode()
    assert reverse("parents_child", args=[left.pupil.pk]) in page
    assert "left the school on 23/11/2026" in page


def test_the_childs_page_stays_as_their_record(client, left):
    response = get(client, left.parent, reverse("parents_child", args=[left.pupil.pk]))

    child = response.context["page"]
    assert child.has_left
    assert len(child.misses) == 2
    assert "Amara Okafor:" in response.content.decode()
    assert "left the school on 23/11/2026" in response.content.decode()


def test_the_childs_page_is_still_nobody_elses(client, left):
    client.force_login(left.other_parent)
    response = client.get(reverse("parents_child", args=[left.pupil.pk]))
    assert response.status_code == 404


def test_the_overview_says_it_in_polish_too(client, left):
    left.guardian.preferred_language = "pl"
    left.guardian.save(update_fields=["preferred_language"])

    page = get(client, left.parent, reverse("parents_overview")).content.decode()

    assert "odejście ze szkoły 23/11/2026" in page


def test_the_overview_keeps_its_query_budget_with_a_child_who_left(
    client, left, django_assert_num_queries
):
    client.force_login(left.parent)
    # as for a family with nothing coming up in tests/parents/test_overview.py: session,
    # user; is the login a guardian; the children (the one who left among them) with their
    # counts, current policies and tutors; the homework (the user is read with any pupil
    # record); the consultations' panel: the consultations; the key dates' panel: their
    # year groups' key dates
    with django_assert_num_queries(7):
        response = client.get(reverse("parents_overview"))
    assert len(response.context["overview"].cards) == 1


def test_a_child_who_left_is_not_offered_for_sign_off_and_cannot_be_signed_for(client, left):
    children = get(client, left.parent, reverse("parents_signoff")).context["week"].children
    assert [child.pupil for child in children] == [left.year8_pupil]

    response = client.post(reverse("parents_signoff"), {"pupil": left.pupil.pk})
    assert response.status_code == 404


def test_a_child_who_left_is_not_offered_for_a_new_message(client, left):
    response = get(client, left.parent, reverse("parents_message_new"))
    assert [link.pupil for link in response.context["links"]] == [left.year8_pupil]
    assert client.get(reverse("parents_message_new"), {"pupil": left.pupil.pk}).status_code == 404
    threads = get(client, left.parent, reverse("parents_messages")).context["page"]
    assert [link.pupil for link in threads.children] == [left.year8_pupil]


def test_a_child_who_left_is_not_signed_for_on_the_agreement(client, left):
    published(left)

    page = get(client, left.parent, reverse("parents_agreement")).context["page"]
    ((school, _sections),) = page
    assert [child.pupil for child in school.children] == [left.year8_pupil]


@pytest.fixture
def coverage_world(left):
    """7A: Amara (left), Eve and Finn Smith, nobody signed; the agreement published."""
    left.smiths = [
        PupilFactory(tutor_group=left.tg_7a, first_name=name, last_name="Smith")
        for name in ("Eve", "Finn")
    ]
    for pupil in left.smiths:
        GuardianLinkFactory(
            guardian=GuardianFactory(
                school=left.school, first_name=pupil.first_name, user=UserFactory()
            ),
            pupil=pupil,
        )
    left.agreement = published(left)
    eve = left.smiths[0]
    sign(left, left.agreement, eve, user=eve.guardians.get().user)
    return left


def test_coverage_counts_only_pupils_on_roll(client, coverage_world):
    w = coverage_world
    response = get(client, w.teacher, reverse("parents_agreement_coverage"))

    (group,) = [row for row in response.context["coverage"].groups if row.label == "7A"]
    assert (group.pupils, group.signed) == (2, 1)
    unsigned = response.context["unsigned"]
    assert [pupil.first_name for pupil in unsigned] == ["Finn"]


def test_a_reminder_skips_the_family_of_a_child_who_left(client, coverage_world):
    w = coverage_world
    client.force_login(w.teacher)

    client.post(reverse("parents_agreement_remind"), {"tutor_group": w.tg_7a.pk})

    reminded = Notification.objects.filter(kind=AGREEMENT_REMINDER)
    assert list(reminded.values_list("pupil__first_name", flat=True)) == ["Finn"]


def test_the_guardians_page_leaves_out_a_parent_whose_only_child_left(client, left):
    page = get(client, left.school_admin, reverse("parents_accounts"))
    names = {guardian.pk for guardian in page.context["guardians"]}
    assert left.guardian.pk in names  # Chidi is still at the school
    leave(left.year8_pupil)

    page = get(client, left.school_admin, reverse("parents_accounts"))
    assert left.guardian.pk not in {guardian.pk for guardian in page.context["guardians"]}
    assert Miss.objects.filter(pupil=left.pupil).count() == 2  # their record stays


def test_the_weekly_digest_is_not_written_for_a_child_who_left(world, time_machine):
    time_machine.move_to(at(MON, 7), tick=False)
    homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=HomeworkDetails(
            title="Fractions",
            instructions="Do it.",
            set_on=MON - datetime.timedelta(days=3),
            due_at=at(WED, 9),
            estimated_minutes=30,
        ),
    )
    leave(world.pupil)  # Amara left this Monday; Bartek, in the same class, is still here

    assert weekly_digest_write(school=world.school, week_start=MON) == 1

    (digest,) = Notification.objects.filter(kind=WEEKLY_DIGEST)
    assert digest.pupil == world.classmate
