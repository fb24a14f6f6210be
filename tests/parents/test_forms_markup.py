"""Every parents form renders through crispy: a refused one shows one summary above it, each
field's error under the field and tied to it (aria-invalid, aria-describedby), an error of
no single field once, and its tick boxes in a fieldset with a legend; in Urdu the same,
in Urdu and right to left. No form sets a Bootstrap class itself and no template lays a
field out by hand."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

import parents.forms
from parents.models import AgreementTranslation
from tests.form_markup import assert_refused_form

from .test_accounts_invitations import invite, link_in, new_guardian
from .test_agreements import EDIT, PUBLISH, SIGN, edit_post, now, published  # noqa: F401
from .test_agreements_signing import PUPIL_PAGE, post_sign, sign_post
from .test_agreements_translations import page_url, save_post
from .test_messages import NEW, start
from .test_messages import page as thread_page
from .test_signoff_tutor import PAGE as TUTOR_PAGE
from .test_signoff_tutor import signed

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A field written out by hand: `{{ form.reason }}`, `{{ field }}`, `{{ choice.tag }}`.
FIELD_BY_HAND = re.compile(
    r"\{\{\s*(form|filters|search|publish_form)\.[a-z_]+\s*\}\}|\{\{\s*field\s*\}\}|\.tag\s*\}\}"
)


def _forms_in(module):
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__ == module.__name__
    ]


def test_no_parents_form_sets_a_bootstrap_class_itself():
    found = [
        form
        for module in pkgutil.iter_modules(parents.forms.__path__)
        for form in _forms_in(importlib.import_module(f"parents.forms.{module.name}"))
    ]
    assert len(found) >= 12
    styled = [
        f"{form.__name__}.{name}"
        for form in found
        for name, field in form.base_fields.items()
        if "class" in field.widget.attrs
    ]
    assert styled == []


def test_no_parents_template_lays_out_a_field_by_hand():
    pages = sorted((TEMPLATES / "parents").rglob("*.html"))
    assert len(pages) > 30
    by_hand = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in pages
        for match in FIELD_BY_HAND.finditer(path.read_text())
    ]
    assert by_hand == []
    # Nor does a template of its own stand in for crispy's field (the wrappers are gone).
    assert not [path for path in pages if re.search(r"_field(_errors)?\.html$", path.name)]


# The guardian's forms ----------------------------------------------------------------------


def test_a_refused_child_link(client, world):
    client.force_login(world.parent)
    response = client.post(reverse("parents_link"), {"code": "", "date_of_birth": "31/02/2013"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was changed: correct the form below.",
        fields={
            "id_code": "Enter the code from the school's letter.",
            "id_date_of_birth": "Enter a real date, for example 27/03/2014.",
        },
    )


def test_a_refused_password(client, world, django_capture_on_commit_callbacks):
    invite(client, world.school_admin, new_guardian(world), django_capture_on_commit_callbacks)
    client.logout()
    path, _token = link_in(mail.outbox[-1])
    response = client.post(path, {"password1": "Marmalade-42-x", "password2": "Other-42-x"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Your account was not set up yet: correct the password below.",
        fields={"id_password2": "The two passwords are different."},
    )


def test_a_refused_signature(client, world):
    agreement = published(world)
    client.force_login(world.parent)
    response = post_sign(client, sign_post(agreement, [], typed_name="Someone Else", confirm=None))
    assert response.status_code == 400
    prefix = f"a{agreement.pk}_"
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was signed: correct the form below.",
        fields={
            f"{prefix}pupils": "Tick at least one child to sign for.",
            f"{prefix}typed_name": "is not the name the school holds for you",
            f"{prefix}confirm": "Tick the box to confirm you have read the agreement.",
        },
    )


def test_a_refused_signature_reads_in_urdu_right_to_left(client, world):
    agreement = published(world)
    world.guardian.preferred_language = "ur"
    world.guardian.save(update_fields=["preferred_language"])
    client.force_login(world.parent)
    response = post_sign(client, sign_post(agreement, [world.pupil], confirm=None))
    assert response.status_code == 400
    html = response.content.decode()
    with translation.override("ur"):
        summary = gettext("Nothing was signed: correct the form below.")
        error = gettext("Tick the box to confirm you have read the agreement.")
        label = gettext("I have read the agreement and sign it for the children ticked above.")
    assert "Nothing was signed" not in html and label in html
    assert '<html lang="ur" dir="rtl">' in html and "bootstrap.rtl.min.css" in html
    assert_refused_form(html, summary=summary, fields={f"a{agreement.pk}_confirm": error})


def test_a_refused_message(client, world):
    client.force_login(world.parent)
    response = client.post(
        NEW, {"pupil": world.pupil.pk, "staff": "", "subject": "  ", "body": "x" * 5001}
    )
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was sent: correct the form below.",
        fields={
            "id_staff": "Choose whom to write to.",
            "id_subject": "Give your message a subject.",
            "id_body": "at most 5000 characters (it has 5001)",
        },
    )


def test_a_refused_reply(client, world):
    thread = start(world)
    client.force_login(world.teacher)
    response = client.post(thread_page(thread), {"body": "   "})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was sent: correct the form below.",
        fields={"id_body": "Write your message."},
    )


def test_a_refused_sign_off(client, world):
    client.force_login(world.parent)
    response = client.post(
        reverse("parents_signoff"), {"pupil": world.pupil.pk, "comment": "x" * 2001}
    )
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved: correct the form below.",
        fields={f"child{world.pupil.pk}_comment": "at most 2000 characters (it has 2001)"},
    )


def test_a_sign_off_refused_because_it_was_made_meanwhile_says_so_once(client, world):
    client.force_login(world.parent)
    client.post(reverse("parents_signoff"), {"pupil": world.pupil.pk})
    response = client.post(reverse("parents_signoff"), {"pupil": world.pupil.pk})
    assert response.status_code == 400
    assert response.content.decode().count("already") == 1


def test_a_refused_acknowledgement(client, world):
    published(world)
    client.force_login(world.pupil.user)
    response = client.post(PUPIL_PAGE, {})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was recorded: tick the box first.",
        fields={"id_confirm": "Tick the box to add your acknowledgement."},
    )


# The staff's forms -----------------------------------------------------------------------


def test_a_refused_agreement_draft(client, world):
    client.force_login(world.senior_leader)
    response = client.post(EDIT, edit_post(title="  ", pupil_commitments=""))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={
            "id_title": "Give the agreement a title.",
            "id_pupil_commitments": "Write at least one commitment in “The pupil will”.",
        },
    )


def test_a_draft_refused_by_the_rules_says_why_once(client, world):
    published(world)
    client.force_login(world.senior_leader)
    client.post(EDIT, edit_post(title="Revised"))
    response = client.post(PUBLISH, {"action": "publish"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was published: tick the box to confirm.",
        fields={"id_confirm": "Tick the box to confirm you want to publish."},
    )
    client.post(EDIT, edit_post())  # back to the published text
    response = client.post(PUBLISH, {"action": "publish", "confirm": "on"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was published: tick the box to confirm.",
        fields={},
        once=[
            "This draft is the same as the published version 1: change the text first, or "
            "discard the draft."
        ],
    )


def test_a_refused_translation_and_its_publishing(client, world):
    agreement = published(world)
    client.force_login(world.senior_leader)
    response = client.post(page_url(agreement), save_post(title=" "))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={"id_title": "Give the agreement a title."},
    )
    client.post(page_url(agreement), save_post())
    assert AgreementTranslation.objects.filter(published_at=None).count() == 1
    response = client.post(page_url(agreement), {"action": "publish"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was published: tick the box to confirm.",
        fields={"id_confirm": "Tick the box to confirm you want to publish."},
    )


def test_a_refused_tutor_reply(client, world, time_machine):
    time_machine.move_to("2026-11-25 10:00", tick=False)
    sign_off = signed(world, comment="Fractions were hard.")
    client.force_login(world.teacher)
    response = client.post(TUTOR_PAGE, {"sign_off": sign_off.pk, "reply": "  "})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was sent: correct the reply below.",
        fields={f"reply{sign_off.pk}_reply": "Write your reply."},
    )


def test_a_refused_week_and_group_on_the_tutors_page(client, world):
    client.force_login(world.teacher)
    response = client.get(TUTOR_PAGE, {"week": "31/02/2026", "group": "seven"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="This week is shown instead.",
        fields={"id_week": "Enter a real date, e.g. 23/11/2026."},
        once=["Choose a tutor group from the list."],
    )


def test_a_refused_filter_of_the_guardians_list(client, world):
    client.force_login(world.school_admin)
    response = client.get(reverse("parents_accounts"), {"year": "999999", "status": "all"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="The filter was not applied: correct it below.",
        fields={
            "id_year": "Choose a year from the list.",
            "id_status": "Choose a status from the list.",
        },
    )


@pytest.mark.parametrize("name", ["GuardianFilterForm", "InviteAllForm"])
def test_the_guardians_filters_keep_the_labels_the_page_used(name):
    from parents.forms import accounts
    from school.models import TutorGroup, YearGroup

    form = getattr(accounts, name)(
        years=YearGroup.objects.none(), tutor_groups=TutorGroup.objects.none()
    )
    assert [str(field.label) for field in form] == ["Year", "Tutor group", "Account"]
