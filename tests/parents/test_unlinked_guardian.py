"""A guardian the school unlinks from a child loses everything about that child at once:
every parent-facing page about the child answers 404, every page that lists their
children stops listing them, every write about the child (a sign-off, a signature, a new
thread, a reply) answers 404 and writes nothing, and staff cannot send them anything
about the child either. The pages are every URL a parent may open in the permission
rows (tests/*/permission_rows*.py), so a new parent-facing page must be classified here."""

import importlib
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from parents.models import Message, Signature, Thread, WeeklySignOff
from school.calendar import week_start
from school.models import GuardianLink
from tests.parents.permission_rows_agreements import _agreement
from tests.parents.permission_rows_messages import _thread
from tests.test_permissions import PAGES

# The world is built once and each test changes a copy of it (tests/conftest.py).
pytestmark = pytest.mark.shared_world

ROWS = sorted((Path(__file__).parent.parent).glob("*/permission_rows*.py"))


def _post_only_rows():
    rows = {}
    for path in ROWS:
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        post_only = getattr(module, "POST_ONLY", {})
        # A set names actions whose rows the app's own tests check: none is a parent's.
        rows.update(post_only if isinstance(post_only, dict) else {})
    return rows


POST_ONLY = _post_only_rows()

# url name -> the child the page is about (it answers 404 once unlinked from that child).
ABOUT_A_CHILD = {
    "parents_child": lambda w: w.pupil,
    "parents_message_thread": lambda w: w.pupil,
    "parents_agreement_signature": lambda w: w.pupil,
    "pupil_detail": lambda w: w.pupil,
    "planner_submission_file": lambda w: w.pupil,
    "homework_attachment": lambda w: w.year8_pupil,
}
# Pages that list the guardian's children: the unlinked child goes, the other stays.
LISTS_CHILDREN = {
    "home",
    "parents_overview",
    "parents_messages",
    "parents_message_new",
    "parents_agreement",
    "parents_signoff",
    "notification_preferences",
    "consultations_answer",  # the children it asks the guardian about
}
# About the guardian's account, not about a child.
# The calendar page gives the feed's address (the feed drops an unlinked child:
# tests/parents/test_calendar_feed.py).
NOT_ABOUT_A_CHILD = {
    "parents_link",
    "notification_preferences_save",
    "parents_calendar",
    "parents_calendar_reset",
}


def test_every_parent_facing_url_is_classified_here():
    parent_urls = {name for name, (_build, allowed) in PAGES.items() if "parent" in allowed}
    parent_urls |= {name for name, (_build, allowed) in POST_ONLY.items() if "parent" in allowed}

    classified = set(ABOUT_A_CHILD) | LISTS_CHILDREN | NOT_ABOUT_A_CHILD

    assert parent_urls - classified == set(), "classify these parent-facing URLs"
    assert classified - parent_urls == set(), "these are no longer parent-facing"


def _unlink(w, child):
    GuardianLink.objects.filter(guardian=w.guardian, pupil=child).delete()


@pytest.mark.parametrize("page", sorted(ABOUT_A_CHILD))
def test_a_page_about_a_child_answers_404_once_the_guardian_is_unlinked(
    client, homework_world, page
):
    w = homework_world
    url = PAGES[page][0](w)
    client.force_login(w.parent)
    assert client.get(url).status_code == 200

    _unlink(w, ABOUT_A_CHILD[page](w))

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", sorted(LISTS_CHILDREN))
def test_a_page_listing_the_children_drops_the_unlinked_one(client, homework_world, page):
    w = homework_world
    _thread(w)  # a conversation about Amara, for the messages list
    _agreement(w)  # a published agreement, for the signing page
    url = PAGES[page][0](w)
    client.force_login(w.parent)
    before = client.get(url).content.decode()
    assert w.pupil.first_name in before

    _unlink(w, w.pupil)
    response = client.get(url)

    assert response.status_code == 200
    after = response.content.decode()
    assert w.pupil.first_name not in after
    if w.year8_pupil.first_name in before:  # not every list names a child without news
        assert w.year8_pupil.first_name in after


# Writes about a child: (url, form data, the rows that must not change), built from the
# world before the link is removed.


def _sign_off(w):
    return reverse("parents_signoff"), {"pupil": w.pupil.pk, "comment": "Seen it all"}


def _signature(w):
    agreement = _agreement(w)
    data = {
        "agreement": agreement.pk,
        "pupils": [w.pupil.pk],
        "typed_name": "Ngozi Okafor",
        "confirm": "on",
    }
    return reverse("parents_agreement"), data


def _new_thread(w):
    data = {
        "pupil": w.pupil.pk,
        "staff": w.teacher.pk,
        "subject": "Reading",
        "body": "Amara would like a new reading book.",
    }
    return reverse("parents_message_new"), data


def _reply(w):
    return reverse("parents_message_thread", args=[_thread(w).pk]), {"body": "Thank you."}


WRITES = {
    "sign off the week": _sign_off,
    "sign the agreement": _signature,
    "start a conversation": _new_thread,
    "reply in a conversation": _reply,
}
WRITTEN = (WeeklySignOff, Signature, Thread, Message, Notification)


def _counts():
    return {model.__name__: model.objects.count() for model in WRITTEN}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_about_a_child_goes_through_while_linked(client, world, write):
    url, data = WRITES[write](world)
    client.force_login(world.parent)
    before = _counts()

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert _counts() != before


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_about_a_child_answers_404_and_writes_nothing_once_unlinked(client, world, write):
    url, data = WRITES[write](world)
    client.force_login(world.parent)
    _unlink(world, world.pupil)
    before = _counts()

    response = client.post(url, data)

    assert response.status_code == 404
    assert _counts() == before


# Staff writing to a guardian about a child they are no longer linked to.


def test_staff_cannot_answer_a_thread_once_the_guardian_is_unlinked(client, world):
    thread = _thread(world)
    _unlink(world, world.pupil)
    client.force_login(world.teacher)
    before = _counts()

    page = client.get(reverse("parents_message_thread", args=[thread.pk]))
    response = client.post(
        reverse("parents_message_thread", args=[thread.pk]), {"body": "Of course."}
    )

    assert page.status_code == 200  # the school keeps its record of the conversation
    assert "the conversation is closed" in page.content.decode()
    assert 'name="body"' not in page.content.decode()
    assert response.status_code == 400
    assert "no longer linked" in response.content.decode()
    assert _counts() == before


def test_the_tutor_cannot_answer_a_sign_off_once_the_guardian_is_unlinked(client, world):
    sign_off = WeeklySignOff.objects.create(
        school=world.school,
        pupil=world.pupil,
        guardian=world.guardian,
        week_start=week_start(timezone.localdate()),
        signed_by=world.parent,
        signed_at=timezone.now(),
        comment="Amara found the maths hard.",
    )
    _unlink(world, world.pupil)
    client.force_login(world.teacher)
    before = _counts()

    response = client.post(
        reverse("parents_signoff_tutor"), {"sign_off": sign_off.pk, "reply": "Noted."}
    )

    assert response.status_code == 400
    assert "no longer linked" in response.content.decode()
    sign_off.refresh_from_db()
    assert sign_off.reply == ""
    assert _counts() == before


# The services check the link themselves (under a lock), so a link removed between the
# page and the write still stops it.


def test_the_services_refuse_a_link_removed_after_the_page_was_read(world):
    from parents import messages, signoff

    thread = _thread(world)
    link = GuardianLink.objects.get(guardian=world.guardian, pupil=world.pupil)
    _unlink(world, world.pupil)
    before = _counts()

    with pytest.raises(messages.MessageError, match="no longer linked"):
        messages.message_send(author=world.parent, thread=thread, body="Hi", as_guardian=True)
    with pytest.raises(messages.MessageError, match="no longer linked"):
        messages.message_send(author=world.teacher, thread=thread, body="Hi", as_guardian=False)
    with pytest.raises(messages.MessageError, match="no longer linked"):
        messages.thread_start(
            user=world.parent, link=link, staff=world.teacher, subject="Hi", body="Hi"
        )
    with pytest.raises(signoff.SignOffError, match="no longer linked"):
        signoff.sign_off_record(user=world.parent, link=link, comment="")
    assert _counts() == before
