"""Signing the agreement: a guardian reads it, types their name and confirms, for one or
both children in one go; the signature records version, guardian, pupil, time, address and
browser and is never changed; a new version needs signing again; the printable copy is
for the guardian who signed and staff who can see the pupil; the pupil adds their own
acknowledgement; bad input changes nothing; the page's query budget."""

import importlib
import pkgutil

import pytest
from django.urls import reverse

from parents.agreements.signing import name_matches, signatures_record
from parents.agreements.text import AgreementError
from parents.models import PupilAcknowledgement, Signature
from tests.factories import (
    GuardianFactory,
    GuardianLinkFactory,
    PupilFactory,
    SchoolFactory,
    TutorGroupFactory,
    UserFactory,
    YearGroupFactory,
)

from .test_agreements import NOW, SIGN, now, published, sign  # noqa: F401 (now: the clock)

PUPIL_PAGE = reverse("parents_agreement_pupil")
BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) " + "x" * 400


def sign_post(for_agreement, children, **changes):
    data = {
        "agreement": for_agreement.pk,
        "pupils": [child.pk for child in children],
        "typed_name": "Ngozi Okafor",
        "confirm": "on",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def post_sign(client, data):
    return client.post(SIGN, data, REMOTE_ADDR="198.51.100.23", HTTP_USER_AGENT=BROWSER)


def test_the_page_says_plainly_that_signing_is_never_a_condition(client, world):
    published(world)
    client.force_login(world.parent)
    text = client.get(SIGN).content.decode()
    assert "never a condition of anything" in text
    assert "nothing happens to you or your child if you do not sign" in text


def test_the_guardian_reads_the_agreement_with_one_form_for_both_children(client, world):
    published(world, parent_commitments="Keep in touch with the school")
    client.force_login(world.parent)
    response = client.get(SIGN)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<li>Keep in touch with the school</li>" in text
    (entry, _sections) = response.context["page"][0]
    assert [choice[0] for choice in entry.form.fields["pupils"].choices] == [
        world.pupil.pk,
        world.year8_pupil.pk,
    ]
    assert "Amara Okafor" in text and "Chidi Okafor" in text
    assert "Bartek" not in text  # another family's child


def test_signing_for_both_children_records_everything(client, world):
    agreement = published(world)
    client.force_login(world.parent)
    response = post_sign(
        client, sign_post(agreement, [world.pupil, world.year8_pupil], typed_name=" ngozi  okafor ")
    )
    assert response.status_code == 302
    rows = list(Signature.objects.order_by("pupil__first_name"))
    assert [row.pupil for row in rows] == [world.pupil, world.year8_pupil]
    for row in rows:
        assert row.agreement == agreement
        assert row.guardian == world.guardian
        assert row.school == world.school
        assert row.signed_by == world.parent
        assert row.signed_at == NOW
        assert row.typed_name == "ngozi okafor"
        assert row.ip_address == "198.51.100.23"
        assert row.user_agent == BROWSER[:300]
    page = client.get(SIGN)
    assert "you have signed the agreement for Amara, Chidi" in page.content.decode()
    assert page.context["page"][0][0].to_sign == []


def test_signing_one_child_leaves_the_other_to_sign_later(client, world):
    agreement = published(world)
    client.force_login(world.parent)
    post_sign(client, sign_post(agreement, [world.year8_pupil]))
    entry = client.get(SIGN).context["page"][0][0]
    assert [child.pupil for child in entry.to_sign] == [world.pupil]
    assert post_sign(client, sign_post(agreement, [world.pupil])).status_code == 302
    assert Signature.objects.count() == 2


def test_a_second_signing_of_the_same_version_is_refused_clearly(client, world):
    agreement = published(world)
    first = sign(world, agreement)
    with pytest.raises(AgreementError, match="already signed this version for Amara"):
        sign(world, agreement)
    # The page no longer offers the child; a stale form posted again changes nothing.
    client.force_login(world.parent)
    response = post_sign(client, sign_post(agreement, [world.pupil], typed_name="Someone Else"))
    assert response.status_code == 400
    assert "You have already signed this version for Amara" in response.content.decode()
    assert list(Signature.objects.all()) == [first]
    first_again = Signature.objects.get()
    assert (first_again.typed_name, first_again.signed_at) == ("Ngozi Okafor", NOW)


def test_there_is_no_way_to_change_a_signature(world):
    """No URL, form or service edits a signature: the only writer creates rows."""
    from parents.urls import urlpatterns

    names = {pattern.name for pattern in urlpatterns if pattern.name}
    assert not any("signature" in name and name != "parents_agreement_signature" for name in names)
    package = importlib.import_module("parents.agreements")
    modules = [
        importlib.import_module(f"parents.agreements.{module.name}")
        for module in pkgutil.iter_modules(package.__path__)
    ]
    assert len(modules) > 1  # every module of the agreement's services is looked at
    assert not [
        name
        for module in modules
        for name in dir(module)
        if name.startswith("signature_") and "for" not in name
    ]


def test_a_new_version_needs_signing_again(client, world, time_machine):
    first = published(world)
    sign(world, first)
    second = published(world, version=2, title="Revised agreement")
    client.force_login(world.parent)
    entry = client.get(SIGN).context["page"][0][0]
    assert entry.agreement == second
    assert [child.pupil for child in entry.to_sign] == [world.pupil, world.year8_pupil]
    post_sign(client, sign_post(second, [world.pupil]))
    assert Signature.objects.filter(pupil=world.pupil).count() == 2
    assert set(Signature.objects.values_list("agreement__version", flat=True)) == {1, 2}


def test_signing_an_old_version_after_a_new_one_is_published_is_refused(client, world):
    first = published(world)
    published(world, version=2, title="Revised")
    client.force_login(world.parent)
    response = post_sign(client, sign_post(first, [world.pupil]))
    assert response.status_code == 400
    with pytest.raises(AgreementError, match="new version"):
        sign(world, first)
    assert not Signature.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"typed_name": ""}, "Type your full name to sign."),
        ({"typed_name": " N "}, "Type your full name to sign."),
        ({"typed_name": "x" * 201}, "at most 200 characters"),
        ({"confirm": None}, "Tick the box to confirm you have read the agreement."),
        ({"pupils": []}, "Tick at least one child to sign for."),
        ({"pupils": ["abc"]}, "Choose only children listed here."),
        ({"typed_name": "Grace Jones"}, "is not the name the school holds for you"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_signed(client, world, changes, message):
    agreement = published(world)
    client.force_login(world.parent)
    response = post_sign(client, sign_post(agreement, [world.pupil], **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Signature.objects.exists()


def test_signing_for_someone_elses_child_answers_404_and_signs_nothing(client, world):
    agreement = published(world)
    client.force_login(world.parent)

    response = post_sign(client, sign_post(agreement, [world.pupil, world.classmate]))

    assert response.status_code == 404
    assert not Signature.objects.exists()


@pytest.mark.parametrize("agreement_field", ["", "abc", "999999"])
def test_a_missing_or_unknown_agreement_is_refused(client, world, agreement_field):
    agreement = published(world)
    client.force_login(world.parent)
    data = sign_post(agreement, [world.pupil], agreement=agreement_field)
    response = post_sign(client, data)
    assert response.status_code == 400
    assert not Signature.objects.exists()


def test_a_different_name_is_accepted_once_the_guardian_confirms_it(client, world):
    agreement = published(world)
    client.force_login(world.parent)
    first = post_sign(client, sign_post(agreement, [world.pupil], typed_name="Ngozi Adeyemi"))
    assert first.status_code == 400
    assert "Yes, this is my name" in first.content.decode()
    second = post_sign(
        client,
        sign_post(agreement, [world.pupil], typed_name="Ngozi Adeyemi", name_confirmed="on"),
    )
    assert second.status_code == 302
    assert Signature.objects.get().typed_name == "Ngozi Adeyemi"


@pytest.mark.parametrize(
    "typed, matches",
    [
        ("Ngozi Okafor", True),
        ("Mrs Ngozi Okafor", True),
        ("NGOZI OKAFOR", True),
        ("Ngozi Adaeze Okafor", True),
        ("Ngózi Okafor", True),
        ("Okafor", False),
        ("Grace Okafor", False),
    ],
)
def test_the_name_check_is_loose_about_case_accents_titles_and_middle_names(typed, matches):
    assert name_matches(typed, "Ngozi", "Okafor") is matches


def test_a_guardian_without_parental_responsibility_cannot_sign(client, world):
    agreement = published(world)
    step_parent = UserFactory(email="step@example.org", first_name="Sam", last_name="Step")
    guardian = GuardianFactory(
        school=world.school, user=step_parent, first_name="Sam", last_name="Step"
    )
    GuardianLinkFactory(guardian=guardian, pupil=world.pupil, parental_responsibility=False)
    client.force_login(step_parent)
    response = client.get(SIGN)
    assert response.context["page"][0][0].to_sign == []
    assert "parental responsibility" in response.content.decode()
    with pytest.raises(AgreementError, match="parental responsibility"):
        sign(world, agreement, user=step_parent)
    assert not Signature.objects.exists()


def test_a_guardian_cannot_sign_for_another_familys_child(world):
    agreement = published(world)
    with pytest.raises(AgreementError, match="your own children"):
        sign(world, agreement, world.classmate)
    assert not Signature.objects.exists()


def test_a_guardian_at_two_schools_signs_each_schools_agreement(client, world):
    second_school = SchoolFactory(name="Second Academy", slug="second")
    from tests.factories import AcademicYearFactory

    year = AcademicYearFactory(school=second_school)
    group = TutorGroupFactory(
        school=second_school, year_group=YearGroupFactory(school=second_school, number=9)
    )
    sibling = PupilFactory(tutor_group=group, first_name="Ebere", last_name="Okafor")
    guardian_there = GuardianFactory(
        school=second_school, user=world.parent, first_name="Ngozi", last_name="Okafor"
    )
    GuardianLinkFactory(guardian=guardian_there, pupil=sibling)
    ours = published(world, title="Test Academy agreement")
    theirs = published(world, school=second_school, year=year, title="Second Academy agreement")

    client.force_login(world.parent)
    page = client.get(SIGN)
    entries = [entry for entry, _ in page.context["page"]]
    assert [entry.agreement for entry in entries] == [theirs, ours]
    post_sign(client, sign_post(theirs, [sibling]))
    signature = Signature.objects.get()
    assert (signature.guardian, signature.school) == (guardian_there, second_school)
    # A child of the other school cannot be slipped into this school's form.
    response = post_sign(client, sign_post(ours, [world.pupil, sibling]))
    assert response.status_code == 400
    assert Signature.objects.count() == 1


def test_staff_and_pupils_get_404_on_the_sign_page(client, world):
    published(world)
    for user in (world.teacher, world.pupil.user, world.other_school_staff):
        client.force_login(user)
        assert client.get(SIGN).status_code == 404


# The signed copy -------------------------------------------------------------------------


def copy_url(signature):
    return reverse("parents_agreement_signature", args=[signature.pk])


def test_the_signed_copy_shows_the_text_and_the_signature_and_prints_cleanly(client, world):
    agreement = published(world, teacher_commitments="Mark homework within a week")
    signature = sign(world, agreement)
    client.force_login(world.parent)
    response = client.get(copy_url(signature))
    text = response.content.decode()
    assert response.status_code == 200
    assert "<li>Mark homework within a week</li>" in text
    assert "Amara Okafor (7A)" in text
    assert "23/11/2026 10:00" in text
    assert "203.0.113.7" in text
    assert "no-print" in text


def test_another_family_never_sees_a_signature(client, world):
    signature = sign(world, published(world))
    client.force_login(world.other_parent)
    response = client.get(copy_url(signature))
    assert response.status_code == 404
    assert "Ngozi" not in response.content.decode()


def test_the_other_parent_of_the_same_child_does_not_see_the_signers_copy(client, world):
    signature = sign(world, published(world))
    father = UserFactory(email="father@example.org")
    guardian = GuardianFactory(school=world.school, user=father)
    GuardianLinkFactory(guardian=guardian, pupil=world.pupil)
    client.force_login(father)
    assert client.get(copy_url(signature)).status_code == 404
    # ...and signs for themselves: coverage counts the child once either way.
    client.force_login(father)
    page = client.get(SIGN)
    assert [child.pupil for child in page.context["page"][0][0].to_sign] == [world.pupil]


def test_staff_who_cannot_see_the_pupil_get_404(client, world):
    signature = sign(world, published(world))
    for user in (world.lsa, world.other_school_staff, world.other_school_teacher):
        client.force_login(user)
        assert client.get(copy_url(signature)).status_code == 404
    client.force_login(world.head_of_year)
    assert client.get(copy_url(signature)).status_code == 200


# The pupil's acknowledgement ------------------------------------------------------------


def test_the_pupil_adds_their_own_acknowledgement_once(client, world):
    agreement = published(world, pupil_commitments="Check my planner every day")
    client.force_login(world.pupil.user)
    page = client.get(PUPIL_PAGE)
    assert "<li>Check my planner every day</li>" in page.content.decode()
    refused = client.post(PUPIL_PAGE, {})
    assert refused.status_code == 400
    assert not PupilAcknowledgement.objects.exists()

    assert client.post(PUPIL_PAGE, {"confirm": "on"}).status_code == 302
    acknowledgement = PupilAcknowledgement.objects.get()
    assert (acknowledgement.pupil, acknowledgement.agreement) == (world.pupil, agreement)
    assert acknowledgement.acknowledged_at == NOW
    assert "You added your acknowledgement on 23/11/2026" in client.get(PUPIL_PAGE).content.decode()
    again = client.post(PUPIL_PAGE, {"confirm": "on"})
    assert again.status_code == 400
    assert PupilAcknowledgement.objects.count() == 1


def test_a_pupil_with_no_published_agreement_is_told_so(client, world):
    client.force_login(world.pupil.user)
    assert "not published" in client.get(PUPIL_PAGE).content.decode()
    assert client.post(PUPIL_PAGE, {"confirm": "on"}).status_code == 400
    assert not PupilAcknowledgement.objects.exists()


# Query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("children", [1, 5])
def test_the_sign_page_query_budget_does_not_grow_with_children(
    client, world, django_assert_num_queries, children
):
    agreement = published(world)
    parent = UserFactory(email="many@example.org", first_name="Maria", last_name="Nowak")
    guardian = GuardianFactory(
        school=world.school, user=parent, first_name="Maria", last_name="Nowak"
    )
    kids = [PupilFactory(tutor_group=world.tg_7b) for _ in range(children)]
    for kid in kids:
        GuardianLinkFactory(guardian=guardian, pupil=kid)
    signatures_record(
        user=parent,
        agreement=agreement,
        pupil_ids=[kids[0].pk],
        typed_name="Maria Nowak",
        ip_address=None,
        user_agent="",
    )
    client.force_login(parent)
    # session, user, is-a-guardian, the links with guardians, schools and pupils, the
    # current agreements, the guardian's signatures of them (the menu's is-a-pupil comes
    # with the user).
    with django_assert_num_queries(6):
        response = client.get(SIGN)
    entry = response.context["page"][0][0]
    assert len(entry.children) == children
    assert len(entry.to_sign) == children - 1
