"""What apps above homework add to a homework's register comes through its registry
(homework/register_actions.py): in order, each with the data it read once for the page,
left out when it has nothing to show; without any, the register is homework's own."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from homework import register_actions
from homework.models import Assignment
from homework.register_actions import ACTIONS, COLUMN, PUPIL, register_part, register_parts_for

OWN_COLUMNS = [
    "Handed in on paper",
    "Pupil",
    "Status",
    "Handed in",
    "Work",
    "Self-assessment",
    "Mark or grade",
    "Feedback",
]


@pytest.fixture
def no_parts(monkeypatch):
    """An empty registry for the test (the apps' registrations come back after it)."""
    monkeypatch.setattr(register_actions, "_parts", {})


def column_headings(html) -> list[str]:
    head = html[html.index("<thead>") : html.index("</thead>")]
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head)
    ]


def test_without_registered_parts_the_register_has_only_homeworks_columns(
    client, homework_world, no_parts
):
    w = homework_world
    Assignment.objects.filter(homework=w.maths_homework).update(
        due_at=w.maths_homework.due_at - datetime.timedelta(days=7)
    )
    client.force_login(w.teacher)
    html = client.get(reverse("homework_register", args=[w.maths_homework.pk])).content.decode()
    assert column_headings(html) == OWN_COLUMNS
    assert "Overdue" in html  # homework's own status badge still says so
    assert 'form="paper-form"' in html and "Save marks and feedback" in html


def test_the_apps_registrations_add_a_column_to_the_register(client, homework_world):
    w = homework_world
    client.force_login(w.teacher)
    html = client.get(reverse("homework_register", args=[w.maths_homework.pk])).content.decode()
    headings = column_headings(html)
    assert headings[:6] == OWN_COLUMNS[:6] and headings[-2:] == OWN_COLUMNS[-2:]
    assert len(headings) > len(OWN_COLUMNS)


def test_parts_come_in_order_with_their_data_and_one_without_data_is_left_out(no_parts):
    calls = []

    def with_rows(**arguments):
        calls.append(arguments)
        return {"rows": {1: "first row's"}}

    register_part(COLUMN, "later", "later.html", with_rows, heading="Later", order=20)
    register_part(COLUMN, "sooner", "sooner.html", lambda **_: {}, heading="Sooner", order=10)
    register_part(ACTIONS, "nothing", "nothing.html", lambda **_: None)
    register_part(PUPIL, "link", "link.html", lambda **kw: {"marks": kw["can_mark"]})
    register = SimpleNamespace(rows=[])
    parts = register_parts_for(register=register, user="someone", can_mark=True)

    assert calls == [{"register": register, "user": "someone", "can_mark": True, "request": None}]
    assert [column.heading for column in parts.columns] == ["Sooner", "Later"]
    assert parts.actions == []
    first, second = parts.for_row(SimpleNamespace(pk=1)), parts.for_row(SimpleNamespace(pk=2))
    assert [cell["item"] for cell in first["column"]] == [None, "first row's"]
    assert [cell["item"] for cell in second["column"]] == [None, None]
    assert first["pupil"] == [
        {
            "template": "link.html",
            "heading": "",
            "wide": False,
            "part": {"marks": True},
            "item": None,
        }
    ]


def test_registering_again_replaces_and_a_bad_registration_is_refused(no_parts):
    register_part(ACTIONS, "form", "old.html", lambda **_: {})
    register_part(ACTIONS, "form", "new.html", lambda **_: {})
    parts = register_parts_for(register=SimpleNamespace(rows=[]), user=None, can_mark=False)
    assert [shown.template for shown in parts.actions] == ["new.html"]
    with pytest.raises(ValueError, match="no place"):
        register_part("footer", "x", "x.html", lambda **_: {})
    with pytest.raises(ValueError, match="needs a heading"):
        register_part(COLUMN, "x", "x.html", lambda **_: {})
