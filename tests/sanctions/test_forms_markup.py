"""Every sanctions form renders through crispy: a refused one shows one summary, each
field's error under the field and tied to it, an error of no single field once, and its
groups of boxes in a fieldset with a legend. No form sets a Bootstrap class itself and no
template lays a field out by hand."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse

import clubs.forms
import sanctions.forms
from sanctions.services.misses import miss_record, miss_void
from school import session_forms
from tests.form_markup import assert_groups_have_legends, assert_refused_form
from tests.sanctions.helpers import overdue_assignments

from .test_detentions_pages import friday, series_post  # noqa: F401 (a fixture)
from .test_meetings import meeting_for
from .test_policy import policy_post

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A field written out by hand: `{{ form.reason }}`, `{{ field }}`, `{{ radio.tag }}`.
FIELD_BY_HAND = re.compile(
    r"\{\{\s*(form|filters|search|step_form)\.[a-z_]+\s*\}\}|\{\{\s*field\s*\}\}|\.tag\s*\}\}"
)


def form_classes():
    for package in (sanctions.forms, clubs.forms):
        for module in pkgutil.iter_modules(package.__path__):
            yield from _forms_in(importlib.import_module(f"{package.__name__}.{module.name}"))
    yield from _forms_in(session_forms)


def _forms_in(module):
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, forms.BaseForm)
            and value.__module__ == module.__name__
        ):
            yield value


def test_no_sanctions_or_clubs_form_sets_a_bootstrap_class_itself():
    found = list(form_classes())
    assert len(found) >= 10
    styled = [
        f"{form.__name__}.{name}"
        for form in found
        for name, field in form.base_fields.items()
        if "class" in field.widget.attrs
    ]
    assert styled == []


@pytest.mark.parametrize("app", ["sanctions", "clubs"])
def test_no_sanctions_or_clubs_template_lays_out_a_field_by_hand(app):
    by_hand = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted((TEMPLATES / app).rglob("*.html"))
        for match in FIELD_BY_HAND.finditer(path.read_text())
    ]
    assert by_hand == []


def test_a_refused_commendation(client, world):
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_commend", args=[world.pupil.pk]),
        {"kind": "nonsense", "reason": "", "note": "x" * 301},
    )
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was recorded. Please correct the errors below.",
        fields={
            "id_kind": "Choose a commendation or a positive contact home.",
            "id_reason": "Choose the reason for the commendation.",
            "id_note": "Write at most 300 characters",
        },
    )


def test_a_refused_ladder_field_and_a_ladder_with_no_step(client, world):
    client.force_login(world.senior_leader)
    url = reverse("sanctions_policy")
    response = client.post(url, policy_post(misses=0, notice="soon"))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={
            "id_misses_per_cycle": "A cycle needs at least 1 missed deadline.",
            "id_minimum_notice_hours": "Enter a whole number of hours.",
        },
    )
    every_step_removed = {f"steps-{n}-DELETE": "on" for n in range(4)}
    response = client.post(url, policy_post(**every_step_removed))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={},
        once=["Keep at least one step on the ladder."],
    )


def test_refused_meeting_forms(client, world):
    meeting = meeting_for(world, owner=world.teacher)
    client.force_login(world.teacher)
    url = reverse("sanctions_meeting", args=[meeting.pk])
    summary = "Nothing was changed: correct the form below."

    response = client.post(url, {"action": "arrange", "date": "", "time": "25:00", "place": " "})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary=summary,
        fields={
            "arrange_date": "Give the date.",
            "arrange_time": "Enter a time, e.g. 15:30.",
            "arrange_place": "Give the place of the meeting.",
        },
    )
    response = client.post(url, {"action": "cancel", "reason": "Parents away."})
    assert_refused_form(
        response.content.decode(),
        summary=summary,
        fields={"cancel_confirm": "Tick the box to confirm the cancellation."},
    )


def test_a_refused_extension_and_a_refused_undo(client, world):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_extension", args=[assignment.pk]),
        {"date": "2026-02-30", "time": "", "reason": "  "},
    )
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={
            "id_date": "Enter a real date.",
            "id_time": "Give the time.",
            "id_reason": "Give a reason: it is kept on the pupil's record.",
        },
    )
    (miss,) = miss_record(recorder=world.teacher, assignments=[assignment])
    response = client.post(reverse("sanctions_miss_void", args=[miss.pk]), {"reason": ""})
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={"id_reason": "Give a reason: it is kept on the pupil's record."},
    )
    miss_void(actor=world.teacher, miss=miss, reason="Recorded in error")
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_miss_excuse", args=[miss.pk]), {"reason": "Ill"})
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was saved. Please correct the errors below.",
        fields={},
        once=["This missed deadline has already been changed."],
    )


@pytest.mark.parametrize("page", ["sanctions_detentions", "sanctions_exclusions"])
def test_refused_sessions_show_each_error_under_its_field(client, world, friday, page):  # noqa: F811
    client.force_login(world.head_of_year)
    response = client.post(
        reverse(page), series_post(weekdays=None, end_time="15:00", room="", capacity="0")
    )
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was added. Correct the fields marked below.",
        fields={
            "id_weekdays": "Choose at least one day of the week.",
            "id_end_time": "The session must end after it starts.",
            "id_room": "Give the room.",
            "id_capacity": "greater than or equal to 1",
        },
    )
    response = client.post(reverse(page), series_post(end_date="2028-01-29"))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was added. Correct the fields marked below.",
        fields={},
        once=["A series can cover at most a year."],
    )


@pytest.mark.parametrize(
    "page", ["sanctions_detentions", "sanctions_exclusions", "sanctions_policy"]
)
def test_the_groups_of_boxes_have_a_legend(client, world, page):
    client.force_login(world.senior_leader)
    response = client.get(reverse(page))
    assert response.status_code == 200
    assert_groups_have_legends(response.content.decode())
