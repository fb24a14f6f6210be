"""Each app registers its own kinds of message (notifications/registry.py), with their
labels, whether families may switch them off, and their templates in the app's email
folder. Notifications sends a kind it has never heard of, lists it on the families'
preferences page under the app's heading, and stores it with no migration of its own."""

import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from notifications import registry
from notifications.models import Notification, Preference
from notifications.services import preferences_save

from .helpers import tell

PAGE = reverse("notification_preferences")
NEW = "work_returned"


@pytest.fixture
def a_new_kind(settings, tmp_path, monkeypatch):
    """A kind an app adds, as an app adds it: registered in its ready(), with its three
    templates in its email folder. Nothing of notifications changes."""
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    folder = tmp_path / "homework" / "email"
    folder.mkdir(parents=True)
    (folder / f"{NEW}_subject.txt").write_text("Work returned to {{ pupil_name }}")
    (folder / f"{NEW}.txt").write_text("The {{ facts.title }} work of {{ pupil_name }} is marked.")
    (folder / f"{NEW}.html").write_text('{% extends "notifications/email/base.html" %}')
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    registry.register_kind(NEW, "Marked work returned", group="Marking", templates="homework/email")
    return NEW


def test_a_kind_an_app_registers_is_sent_with_its_own_templates(
    world, a_new_kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, a_new_kind, title="Fractions")

    (email,) = mail.outbox
    assert email.subject == "Work returned to Amara"
    assert "The Fractions work of Amara is marked." in email.body
    assert "The Fractions work of Amara is marked." in email.alternatives[0].content
    notification = Notification.objects.get()
    assert (notification.kind, notification.status) == (NEW, Notification.Status.SENT)
    assert notification.get_kind_display() == "Marked work returned"


def test_families_choose_how_to_receive_it_under_its_apps_heading(
    client, world, a_new_kind, django_capture_on_commit_callbacks
):
    client.force_login(world.parent)
    html = client.get(PAGE).content.decode()
    assert html.index('<legend class="h6">Marking</legend>') < html.index("Marked work returned")

    prefix = f"g{world.guardian.pk}-"
    data = {prefix + kind.code: "immediately" for kind in registry.choosable_kinds()}
    response = client.post(
        reverse("notification_preferences_save", args=[world.guardian.pk]),
        {**data, prefix + NEW: "off"},
    )

    assert response.status_code == 302
    assert Preference.objects.get(guardian=world.guardian, frequency="off").kind == NEW
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, a_new_kind, title="Fractions")
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SKIPPED
    assert mail.outbox == []


def test_a_mandatory_kind_is_listed_as_always_sent_and_offers_no_choice(client, world, a_new_kind):
    registry.register_kind(
        NEW, "Marked work returned", group="Marking", templates="homework/email", mandatory=True
    )
    client.force_login(world.parent)

    response = client.get(PAGE)

    (_record, form), *_ = response.context["sections"]
    assert NEW not in form.fields
    assert "<li>Marked work returned</li>" in response.content.decode()
    with pytest.raises(ValueError, match="always sent straight away"):
        preferences_save(guardian=world.guardian, frequencies={NEW: "off"})


def test_a_kind_no_app_registers_is_refused_as_a_preference(world):
    with pytest.raises(ValueError, match="No app sends"):
        preferences_save(guardian=world.guardian, frequencies={"no_such_kind": "off"})
    assert not Preference.objects.exists()


def test_the_page_lists_each_apps_kinds_under_its_heading_in_the_familys_language(client, world):
    world.guardian.preferred_language = "pl"
    world.guardian.save(update_fields=["preferred_language"])
    client.force_login(world.parent)

    html = client.get(PAGE).content.decode()

    legends = re.findall(r'<legend class="h6">([^<]+)</legend>', html)
    assert legends == ["Dobre wiadomości", "Zadania domowe i zachowanie", "Informacje i wiadomości"]
    assert html.index("Zadania domowe i zachowanie") < html.index("Niedotrzymany termin")
    assert "<li>Ustalono termin pozostania po lekcjach</li>" in html  # always sent
    assert "Missed deadline" not in html


def test_kinds_are_no_column_choices_so_a_new_one_needs_no_migration(db):
    assert not Notification._meta.get_field("kind").choices
    assert not Preference._meta.get_field("kind").choices
    # And nothing of the models is waiting for a migration.
    call_command("makemigrations", "notifications", "--check", "--dry-run", stdout=StringIO())


def test_dropping_the_kind_choices_leaves_every_stored_kind_as_it_was(db):
    # Choices live in Python only: the migration that drops them runs no SQL, so every
    # row keeps its kind's string.
    out = StringIO()
    call_command("sqlmigrate", "notifications", "0009_kinds_registered_by_apps", stdout=out)
    statements = [
        line
        for line in out.getvalue().splitlines()
        if line.strip() and not line.startswith("--") and line not in ("BEGIN;", "COMMIT;")
    ]
    assert statements == []
