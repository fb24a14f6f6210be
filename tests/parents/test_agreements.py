"""Writing and publishing the home-school agreement: the editor starts from seed 000's
commitments, saving makes a draft, publishing (with confirmation) makes it the version
families sign, a change to a published version is a new draft, and bad input changes
nothing. Helpers here are shared by the other agreement tests."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from parents.agreements.defaults import DEFAULT_TEXT
from parents.agreements.signing import signatures_record
from parents.agreements.text import AgreementError
from parents.agreements.versions import (
    agreement_current,
    agreement_draft_discard,
    agreement_draft_save,
    agreement_publish,
    editor_page,
)
from parents.models import Agreement, Signature
from tests.factories import AcademicYearFactory

LONDON = ZoneInfo("Europe/London")
# Monday 23 November 2026, in the autumn term of the world's 2026/27 year.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
EDIT = reverse("parents_agreement_edit")
PUBLISH = reverse("parents_agreement_publish")
SIGN = reverse("parents_agreement")


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def text(**changes):
    return DEFAULT_TEXT | changes


def published(world, version=1, school=None, year=None, **changes):
    return Agreement.objects.create(
        school=school or world.school,
        academic_year=year or world.academic_year,
        version=version,
        status=Agreement.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=world.senior_leader,
        **text(**changes),
    )


def sign(world, agreement, pupil=None, *, guardian=None, user=None):
    return signatures_record(
        user=user or world.parent,
        agreement=agreement,
        pupil_ids=[(pupil or world.pupil).pk],
        typed_name="Ngozi Okafor",
        ip_address="203.0.113.7",
        user_agent="Test browser",
    )[0]


def edit_post(**changes):
    return {k: v for k, v in (DEFAULT_TEXT | changes).items() if v is not None}


def versions(world):
    return list(
        Agreement.objects.filter(school=world.school)
        .order_by("version")
        .values_list("version", "status", "title")
    )


# The editor ------------------------------------------------------------------------------


def test_the_editor_starts_from_the_default_commitments_of_seed_000(client, world):
    client.force_login(world.senior_leader)
    response = client.get(EDIT)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == "Home-school agreement"
    assert "high-quality homework" in form["teacher_commitments"].value()
    assert "Make sure homework is done" in form["parent_commitments"].value()
    assert "never a condition" in form["introduction"].value()
    assert "2026/27" in response.content.decode()


def test_saving_makes_a_draft_families_do_not_see(client, world):
    client.force_login(world.senior_leader)
    response = client.post(EDIT, edit_post(title="Our agreement"))
    assert response.status_code == 302
    draft = Agreement.objects.get()
    assert (draft.version, draft.status, draft.title) == (1, "draft", "Our agreement")
    assert draft.created_by == world.senior_leader
    assert draft.academic_year == world.academic_year

    client.force_login(world.parent)
    page = client.get(SIGN)
    assert "has not published this year" in page.content.decode()
    assert "Our agreement" not in page.content.decode()


def test_saving_again_rewrites_the_draft_rather_than_adding_versions(client, world):
    client.force_login(world.school_admin)
    client.post(EDIT, edit_post(title="First"))
    client.post(EDIT, edit_post(title="Second"))
    assert versions(world) == [(1, "draft", "Second")]


def test_publishing_needs_the_confirmation_box(client, world):
    client.force_login(world.senior_leader)
    client.post(EDIT, edit_post())
    response = client.post(PUBLISH, {"action": "publish"})
    assert response.status_code == 400
    assert "tick the box" in response.content.decode().lower()
    assert Agreement.objects.get().status == "draft"

    response = client.post(PUBLISH, {"action": "publish", "confirm": "on"})
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.status == "published"
    assert agreement.published_by == world.senior_leader
    assert agreement.published_at == NOW


def test_the_publish_page_shows_the_draft_as_families_will_read_it(client, world):
    client.force_login(world.senior_leader)
    client.post(EDIT, edit_post(pupil_commitments="Read every night\nAsk for help"))
    text_shown = client.get(PUBLISH).content.decode()
    assert "<li>Read every night</li>" in text_shown
    assert "<li>Ask for help</li>" in text_shown


def test_changing_a_published_agreement_makes_a_new_draft_version(client, world):
    current = published(world)
    client.force_login(world.senior_leader)
    page = client.get(EDIT)
    assert page.context["form"]["title"].value() == current.title
    assert "saving starts version 2" in page.content.decode()

    client.post(EDIT, edit_post(parent_commitments="Check the planner weekly"))
    assert versions(world) == [
        (1, "published", DEFAULT_TEXT["title"]),
        (2, "draft", DEFAULT_TEXT["title"]),
    ]
    current.refresh_from_db()
    assert current.parent_commitments == DEFAULT_TEXT["parent_commitments"]
    assert agreement_current(world.school.pk, NOW.date()) == current

    client.post(PUBLISH, {"action": "publish", "confirm": "on"})
    assert agreement_current(world.school.pk, NOW.date()).version == 2


def test_publishing_a_new_version_keeps_signatures_with_their_version(client, world):
    first = published(world)
    signature = sign(world, first)
    client.force_login(world.senior_leader)
    client.post(EDIT, edit_post(title="Revised"))
    publish_page = client.get(PUBLISH).content.decode()
    assert "1 pupil has been signed for" in publish_page
    client.post(PUBLISH, {"action": "publish", "confirm": "on"})
    signature.refresh_from_db()
    assert signature.agreement == first
    assert not Signature.objects.filter(agreement__version=2).exists()


def test_a_draft_identical_to_the_published_version_is_not_published(world):
    current = published(world)
    draft = agreement_draft_save(actor=world.senior_leader, year=world.academic_year, text=text())
    with pytest.raises(AgreementError, match="same as the published version 1"):
        agreement_publish(actor=world.senior_leader, agreement=draft)
    assert agreement_current(world.school.pk, NOW.date()) == current


def test_a_draft_can_be_discarded_but_a_published_version_cannot(client, world):
    current = published(world)
    client.force_login(world.senior_leader)
    client.post(EDIT, edit_post(title="Never mind"))
    response = client.post(PUBLISH, {"action": "discard"})
    assert response.status_code == 302
    assert list(Agreement.objects.all()) == [current]
    with pytest.raises(AgreementError, match="published"):
        agreement_draft_discard(actor=world.senior_leader, agreement=current)


def test_the_editor_uses_the_latest_version_of_last_year_in_a_new_year(world, time_machine):
    published(world, title="Last year's agreement")
    AcademicYearFactory(
        school=world.school,
        name="2027/28",
        start_date=datetime.date(2027, 9, 1),
        end_date=datetime.date(2028, 8, 31),
    )
    time_machine.move_to(datetime.datetime(2027, 9, 6, 9, 0, tzinfo=LONDON), tick=False)
    world.senior_leader._role_assignments = None
    page = editor_page(world.senior_leader, datetime.date(2027, 9, 6))
    assert page.year.name == "2027/28"
    assert page.current is None and page.versions == []
    assert page.initial["title"] == "Last year's agreement"
    # Families are not asked to sign last year's agreement in the new year.
    assert agreement_current(world.school.pk, datetime.date(2027, 9, 6)) is None


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": "  "}, "Give the agreement a title."),
        ({"title": "x" * 151}, "at most 150 characters"),
        ({"pupil_commitments": ""}, "Write at least one commitment in “The pupil will”."),
        ({"school_commitments": "   \n  "}, "Write at least one commitment in “The school will”."),
        ({"parent_commitments": "x" * 6001}, "at most 6000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(client, world, changes, message):
    current = published(world)
    client.force_login(world.senior_leader)
    response = client.post(EDIT, edit_post(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(Agreement.objects.all()) == [current]


def test_publishing_with_no_draft_says_so(client, world):
    published(world)
    client.force_login(world.senior_leader)
    response = client.post(PUBLISH, {"action": "publish", "confirm": "on"})
    assert response.status_code == 400
    assert "no draft to publish" in response.content.decode()


def test_a_school_without_an_academic_year_is_told_to_add_one(client, world):
    client.force_login(world.other_school_staff)
    response = client.get(EDIT)
    assert response.status_code == 200
    assert "No academic year is set up" in response.content.decode()
    response = client.post(EDIT, edit_post())
    assert response.status_code == 400
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "parent", "other_school_teacher"])
def test_only_senior_leaders_and_admins_write_or_publish(client, world, who):
    client.force_login(getattr(world, who))
    assert client.post(EDIT, edit_post()).status_code == 404
    assert client.post(PUBLISH, {"action": "publish", "confirm": "on"}).status_code == 404
    assert not Agreement.objects.exists()


def test_another_schools_head_cannot_publish_this_schools_draft(world):
    draft = agreement_draft_save(actor=world.senior_leader, year=world.academic_year, text=text())
    with pytest.raises(AgreementError):
        agreement_publish(actor=world.other_school_staff, agreement=draft)
    with pytest.raises(AgreementError):
        agreement_draft_save(actor=world.other_school_staff, year=world.academic_year, text=text())
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_version_page_opens_for_staff_of_the_school_only(client, world):
    agreement = published(world, title="Read me")
    url = reverse("parents_agreement_version", args=[agreement.pk])
    client.force_login(world.teacher)
    assert "Read me" in client.get(url).content.decode()
    client.force_login(world.other_school_staff)
    response = client.get(url)
    assert response.status_code == 404
    assert "Read me" not in response.content.decode()


@pytest.mark.parametrize("versions_made", [1, 4])
def test_the_editor_query_budget_does_not_grow_with_versions(
    client, world, django_assert_num_queries, versions_made
):
    for number in range(1, versions_made + 1):
        published(world, version=number, title=f"Version {number}")
    client.force_login(world.senior_leader)
    # session, user, roles, the academic year, the year's versions with signature counts,
    # the translations of the draft and the current version.
    with django_assert_num_queries(6):
        response = client.get(EDIT)
    assert len(response.context["page"].versions) == versions_made
