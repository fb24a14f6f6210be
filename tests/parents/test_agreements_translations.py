"""The agreement in the parents' languages: senior leaders translate a version (the form
starts from the suggested translation while the English is the suggested text), a
draft's translations are published with it and one added to the current version on its
own, and a published translation is never changed; a family reads and signs the
translation in their language, told that the English version is the one that counts and
one link from it; the signature records the language, the printed copy is in it, and
coverage and its CSVs show it; reminders carry the translated title. Bad input changes
nothing; the signing page's query budget holds in any language."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import channels
from notifications.models import Notification
from parents.agreements.coverage import reminders_send
from parents.agreements.defaults import DEFAULT_TEXT, DEFAULT_TRANSLATIONS
from parents.agreements.signing import signatures_record
from parents.agreements.text import AgreementError
from parents.models import Agreement, AgreementTranslation, Signature
from parents.notices import AGREEMENT_REMINDER
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, UserFactory

from .test_agreements import EDIT, PUBLISH, SIGN, now, published  # noqa: F401 (now: the clock)

COVERAGE = reverse("parents_agreement_coverage")
POLISH_TITLE = DEFAULT_TRANSLATIONS["pl"]["title"]
POLISH_PARENTS = DEFAULT_TRANSLATIONS["pl"]["parent_commitments"].splitlines()[0]
ENGLISH_PARENTS = DEFAULT_TEXT["parent_commitments"].splitlines()[0]


def page_url(agreement, language="pl"):
    return reverse("parents_agreement_translation", args=[agreement.pk, language])


def translated(agreement, language="pl", *, published_now=True, **changes):
    return AgreementTranslation.objects.create(
        school=agreement.school,
        agreement=agreement,
        language=language,
        published_at=timezone.now() if published_now else None,
        **(DEFAULT_TRANSLATIONS[language] | changes),
    )


def speaks(world, language):
    world.guardian.preferred_language = language
    world.guardian.save(update_fields=["preferred_language"])


def save_post(language="pl", **changes):
    return {"action": "save", **DEFAULT_TRANSLATIONS[language], **changes}


def sign_post(agreement, language, children):
    return {
        "agreement": agreement.pk,
        "language": language,
        "pupils": [child.pk for child in children],
        "typed_name": "Ngozi Okafor",
        "confirm": "on",
    }


# Leaders write and publish -----------------------------------------------------------------


def test_a_draft_is_translated_and_its_translation_is_published_with_it(client, world):
    client.force_login(world.senior_leader)
    client.post(EDIT, DEFAULT_TEXT)
    draft = Agreement.objects.get(status=Agreement.Status.DRAFT)

    form = client.get(page_url(draft)).context["form"]
    # The English is the suggested text, so the form starts from its suggested Polish.
    assert form.initial["title"] == POLISH_TITLE
    assert 'lang="pl"' in str(form["title"])
    response = client.post(page_url(draft), save_post())
    assert response.status_code == 302
    saved = AgreementTranslation.objects.get(agreement=draft, language="pl")
    assert saved.published_at is None
    assert "Written, published with version 1" in client.get(EDIT).content.decode()

    client.post(PUBLISH, {"action": "publish", "confirm": "on"})

    saved.refresh_from_db()
    assert saved.published_at is not None and saved.published_by == world.senior_leader


def test_a_translation_added_to_the_current_version_shows_once_published(client, world):
    agreement = published(world)
    speaks(world, "ur")
    client.force_login(world.senior_leader)
    client.post(page_url(agreement, "ur"), save_post("ur"))
    urdu = AgreementTranslation.objects.get(language="ur")

    urdu_parents = DEFAULT_TRANSLATIONS["ur"]["parent_commitments"].splitlines()[0]
    parent = client.__class__()
    parent.force_login(world.parent)
    assert urdu_parents not in parent.get(SIGN).content.decode()

    refused = client.post(page_url(agreement, "ur"), {"action": "publish"})
    assert refused.status_code == 400 and "tick the box" in refused.content.decode()
    client.post(page_url(agreement, "ur"), {"action": "publish", "confirm": "on"})

    urdu.refresh_from_db()
    assert urdu.published_at is not None
    text = parent.get(SIGN).content.decode()
    assert urdu_parents in text and ENGLISH_PARENTS not in text


def test_a_published_translation_is_never_changed_or_discarded(client, world):
    agreement = published(world)
    polish = translated(agreement)
    client.force_login(world.senior_leader)

    for action in ("save", "discard"):
        response = client.post(page_url(agreement), save_post(title="Inny tytuł", action=action))
        assert response.status_code == 400
        assert "never changed" in response.content.decode()
    polish.refresh_from_db()
    assert polish.title == POLISH_TITLE
    assert AgreementTranslation.objects.count() == 1


def test_a_draft_translation_can_be_discarded(client, world):
    agreement = published(world)
    translated(agreement, published_now=False)
    client.force_login(world.senior_leader)

    response = client.post(page_url(agreement), {"action": "discard"})

    assert response.status_code == 302
    assert not AgreementTranslation.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": " "}, "Give the agreement a title."),
        ({"parent_commitments": ""}, "Write at least one commitment"),
        ({"title": "x" * 151}, "at most 150 characters"),
        ({"action": "shred"}, "Choose save, publish or discard."),
    ],
)
def test_bad_input_saves_nothing(client, world, changes, message):
    agreement = published(world)
    client.force_login(world.senior_leader)

    response = client.post(page_url(agreement), save_post(**changes))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgreementTranslation.objects.exists()


def test_a_replaced_version_is_not_translated(client, world):
    old = published(world)
    published(world, version=2, title="Revised")
    client.force_login(world.senior_leader)

    response = client.post(page_url(old), save_post())

    assert response.status_code == 400 and "has been replaced" in response.content.decode()
    assert not AgreementTranslation.objects.exists()
    with pytest.raises(AgreementError, match="replaced"):
        from parents.agreements.translations import translation_save

        translation_save(actor=world.senior_leader, agreement=old, language="pl", text=DEFAULT_TEXT)


@pytest.mark.parametrize("who, language", [("senior_leader", "xx"), ("other_school_staff", "pl")])
def test_an_unknown_language_or_another_schools_version_answers_404(client, world, who, language):
    agreement = published(world)
    client.force_login(getattr(world, who))

    assert client.get(page_url(agreement, language)).status_code == 404
    assert client.post(page_url(agreement, language), save_post()).status_code == 404
    assert not AgreementTranslation.objects.exists()


def test_staff_read_a_translation_beside_the_english(client, world):
    agreement = published(world)
    translated(agreement)
    client.force_login(world.teacher)  # a form tutor: reads coverage and versions
    version = reverse("parents_agreement_version", args=[agreement.pk])

    english = client.get(version).content.decode()
    polish = client.get(version, {"language": "pl"}).content.decode()

    assert ENGLISH_PARENTS in english and "Published" in english
    assert POLISH_PARENTS in polish and ENGLISH_PARENTS not in polish


# Families read and sign ---------------------------------------------------------------------


def test_a_polish_family_reads_and_signs_the_polish_text(client, world):
    agreement = published(world)
    translated(agreement)
    speaks(world, "pl")
    client.force_login(world.parent)

    text = client.get(SIGN).content.decode()
    assert POLISH_TITLE in text and POLISH_PARENTS in text and ENGLISH_PARENTS not in text
    assert "Wersja angielska jest wiążąca." in text
    assert f'href="{SIGN}?text=en"' in text
    assert 'name="language" value="pl"' in text
    response = client.post(SIGN, sign_post(agreement, "pl", [world.pupil]))

    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.language == "pl"
    copy = client.get(reverse("parents_agreement_signature", args=[signature.pk]))
    printed = copy.content.decode()
    assert POLISH_PARENTS in printed and "Wersja angielska jest wiążąca." in printed
    english_copy = client.get(copy.request["PATH_INFO"], {"text": "en"}).content.decode()
    assert ENGLISH_PARENTS in english_copy and POLISH_PARENTS not in english_copy


def test_a_family_may_read_and_sign_the_english_version_instead(client, world):
    agreement = published(world)
    translated(agreement)
    speaks(world, "pl")
    client.force_login(world.parent)

    text = client.get(SIGN, {"text": "en"}).content.decode()
    assert ENGLISH_PARENTS in text and POLISH_PARENTS not in text
    assert f'href="{SIGN}"' in text  # back to the Polish
    assert 'name="language" value="en-gb"' in text
    client.post(SIGN, sign_post(agreement, "en-gb", [world.pupil]))

    assert Signature.objects.get().language == "en-gb"


def test_without_a_translation_the_family_is_told_they_read_the_english(client, world):
    agreement = published(world)
    translated(agreement, "ur")
    speaks(world, "pl")
    client.force_login(world.parent)

    text = client.get(SIGN).content.decode()

    assert ENGLISH_PARENTS in text
    assert "Szkoła nie opublikowała umowy w języku" in text
    client.post(SIGN, sign_post(agreement, "en-gb", [world.pupil]))
    assert Signature.objects.get().language == "en-gb"


@pytest.mark.parametrize("language", ["ur", "xx", ""])
def test_signing_a_text_that_was_never_published_signs_nothing(client, world, language):
    agreement = published(world)
    translated(agreement, "ur", published_now=False)
    client.force_login(world.parent)

    response = client.post(SIGN, sign_post(agreement, language, [world.pupil]))

    if language:
        assert response.status_code == 400
        assert not Signature.objects.exists()
    else:  # no language said: the English version, as before translations existed
        assert Signature.objects.get().language == "en-gb"


# Coverage and reminders -------------------------------------------------------------------


@pytest.fixture
def signed_in_two_languages(world):
    agreement = published(world)
    translated(agreement)
    signatures_record(
        user=world.parent,
        agreement=agreement,
        pupil_ids=[world.pupil.pk],
        typed_name="Ngozi Okafor",
        ip_address=None,
        user_agent="",
        language="pl",
    )
    signatures_record(
        user=world.other_parent,
        agreement=agreement,
        pupil_ids=[world.classmate.pk],
        typed_name=world.other_guardian.full_name,
        ip_address=None,
        user_agent="",
    )
    return agreement


def test_coverage_shows_the_language_each_family_signed_in(client, world, signed_in_two_languages):
    client.force_login(world.senior_leader)

    page = client.get(COVERAGE).content.decode()
    signed = client.get(COVERAGE, {"format": "signed-csv"}).content.decode()
    totals = client.get(COVERAGE, {"format": "coverage-csv"}).content.decode()

    assert (
        '<span lang="pl">Polski</span> 1' in page and '<span lang="en-gb">English</span> 1' in page
    )
    rows = list(csv.reader(io.StringIO(signed)))
    assert rows[0][-2:] == ["Language signed", "Signed at"]
    assert [row[0:2] + [row[6]] for row in rows[1:]] == [
        ["Okafor", "Amara", "Polski"],
        [world.classmate.last_name, world.classmate.first_name, "English"],
    ]
    lines = list(csv.reader(io.StringIO(totals)))
    assert lines[-1][-3:] == ["1", "1", "0"]  # English, Polski, Urdu


def test_a_reminder_names_the_agreement_in_the_familys_language(world, signed_in_two_languages):
    speaks(world, "pl")
    # Chidi, in 8A, is not signed for yet.
    reminders_send(actor=world.senior_leader, tutor_group=world.tg_8a)
    reminder = Notification.objects.get(kind=AGREEMENT_REMINDER)
    assert reminder.context["title_translations"] == {"pl": POLISH_TITLE}
    reminder.guardian.refresh_from_db()

    rendered = channels.notification_render(reminder)

    assert POLISH_TITLE in rendered.html and DEFAULT_TEXT["title"] not in rendered.html


# Query budget ------------------------------------------------------------------------------


@pytest.mark.parametrize("children", [1, 5])
def test_the_sign_page_in_polish_has_a_fixed_query_budget(
    client, world, django_assert_num_queries, children
):
    agreement = published(world)
    translated(agreement)
    parent = UserFactory(email="many@example.org", first_name="Maria", last_name="Nowak")
    guardian = GuardianFactory(
        school=world.school,
        user=parent,
        first_name="Maria",
        last_name="Nowak",
        preferred_language="pl",
    )
    for _ in range(children):
        GuardianLinkFactory(guardian=guardian, pupil=PupilFactory(tutor_group=world.tg_7b))
    client.force_login(parent)
    # session, user, the guardian's language (also is-a-guardian), the links, the current
    # agreements, their Polish translations, the signatures (the menu's is-a-pupil comes
    # with the user).
    with django_assert_num_queries(7):
        response = client.get(SIGN)
    assert POLISH_TITLE in response.content.decode()


@pytest.mark.parametrize("languages", [[], ["pl", "ur"]])
def test_the_translation_and_version_pages_have_fixed_query_budgets(
    client, world, django_assert_num_queries, django_assert_max_num_queries, languages
):
    agreement = published(world)
    for language in languages:
        translated(agreement, language, published_now=False)
    client.force_login(world.senior_leader)
    # session, user, roles, the version, its translations, the current version (may it
    # still be translated), and for a new translation an earlier one to start from.
    with django_assert_max_num_queries(7):
        assert client.get(page_url(agreement)).status_code == 200
    # session, user, roles, the version, its translations.
    with django_assert_num_queries(5):
        client.get(reverse("parents_agreement_version", args=[agreement.pk]))
