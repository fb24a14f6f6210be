"""The outbox in the admin: a school admin reads their own school's notifications (never
another school's), can neither add, change nor delete one, sees each one's deliveries and
sends failed ones again; the list costs the same number of queries however many rows."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import delivery as sending
from notifications.models import Notification
from notifications.services import notifications_queue
from sanctions.notices import DETENTION_BOOKED, MISSED_DEADLINE, SANCTION_DUE
from school.models import Guardian
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

CHANGELIST = reverse("admin:notifications_notification_changelist")


def _tell(pupil, kind=MISSED_DEADLINE, **context):
    return notifications_queue(events=[(pupil.pk, kind, context)])


@pytest.fixture
def other_school_notification(world):
    other_pupil = PupilFactory(tutor_group=world.other_tutor_group, first_name="Zed")
    guardian = GuardianFactory(school=world.other_school, last_name="Elsewhere")
    GuardianLinkFactory(guardian=guardian, pupil=other_pupil)
    _tell(other_pupil)
    return Notification.objects.get(pupil=other_pupil)


def test_school_admin_sees_their_schools_outbox_only(client, world, other_school_notification):
    _tell(world.pupil, SANCTION_DUE, cycle=1)
    client.force_login(world.school_admin)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert [n.pupil for n in shown] == [world.pupil]
    assert "Detention due" in response.content.decode()
    other = reverse("admin:notifications_notification_change", args=[other_school_notification.pk])
    assert client.get(other).status_code in (302, 404)


def test_the_outbox_shows_each_kind_by_its_label_and_filters_by_it(client, world):
    _tell(world.pupil, SANCTION_DUE, cycle=1)
    _tell(world.year8_pupil, MISSED_DEADLINE)
    client.force_login(world.school_admin)

    html = client.get(CHANGELIST).content.decode()
    assert '<td class="field-kind_label">Detention due</td>' in html
    assert '<td class="field-kind_label">Missed deadline</td>' in html
    filtered = client.get(CHANGELIST, {"kind": SANCTION_DUE})

    assert [n.pupil for n in filtered.context["cl"].result_list] == [world.pupil]
    assert re.search(r'href="\?kind=sanction_due"[^>]*>Detention due</a>', html)
    due = Notification.objects.get(kind=SANCTION_DUE)
    change = client.get(reverse("admin:notifications_notification_change", args=[due.pk]))
    assert re.search(
        r"Kind:</label>\s*<div class=\"readonly\">Detention due</div>", change.content.decode()
    )


def test_a_notification_opens_read_only(client, world):
    _tell(world.pupil, DETENTION_BOOKED, room="B12")
    notification = Notification.objects.get(pupil=world.pupil)
    client.force_login(world.school_admin)
    url = reverse("admin:notifications_notification_change", args=[notification.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert "B12" in response.content.decode()
    assert not response.context["has_change_permission"]

    client.post(url, {"status": Notification.Status.SENT})
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    delete = reverse("admin:notifications_notification_delete", args=[notification.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_staff_without_the_admin_role_cannot_open_the_outbox(client, world):
    world.senior_leader.is_staff = True
    world.senior_leader.save()
    client.force_login(world.senior_leader)

    assert client.get(CHANGELIST).status_code == 403


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_outbox_list_costs_the_same_queries_for_one_row_or_forty(client, world):
    client.force_login(world.school_admin)
    _tell(world.pupil)
    one = _changelist_queries(client)

    for _ in range(39):
        _tell(world.pupil)
    assert Notification.objects.filter(school=world.school).count() == 40 * 1

    assert _changelist_queries(client) == one


# Delivery in the admin: the attempts, and sending failed notifications again --------


def _failed(world, pupil):
    """A detention notice that failed: the guardian had no address to send it to."""
    Guardian.objects.filter(pupils=pupil).update(email="", mobile="")
    _tell(pupil, DETENTION_BOOKED, room="B12")
    notification = Notification.objects.filter(pupil=pupil).latest("pk")
    sending.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    return notification


def test_a_failed_notification_shows_its_delivery_and_why(client, world):
    notification = _failed(world, world.pupil)
    client.force_login(world.school_admin)

    response = client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )

    html = response.content.decode()
    assert "Failed" in html
    assert "The guardian has no email address or mobile number." in html


def test_the_resend_action_sends_failed_notifications_of_the_admins_school_once(
    client, world, other_school_notification, django_capture_on_commit_callbacks
):
    failed = _failed(world, world.pupil)
    Guardian.objects.filter(pk=world.guardian.pk).update(email="fixed@example.org")
    Notification.objects.filter(pk=other_school_notification.pk).update(
        status=Notification.Status.FAILED
    )
    client.force_login(world.school_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "resend",
                "_selected_action": [failed.pk, other_school_notification.pk],
            },
            follow=True,
        )

    assert response.status_code == 200
    assert "1 notification queued to be sent again." in response.content.decode()
    assert [m.to for m in mail.outbox] == [["fixed@example.org"]]
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    other_school_notification.refresh_from_db()
    assert other_school_notification.status == Notification.Status.FAILED

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]})
    assert len(mail.outbox) == 1


def test_staff_without_the_admin_role_cannot_resend(client, world):
    failed = _failed(world, world.pupil)
    world.senior_leader.is_staff = True
    world.senior_leader.save()
    client.force_login(world.senior_leader)

    response = client.post(CHANGELIST, {"action": "resend", "_selected_action": [failed.pk]})

    assert response.status_code == 403
    failed.refresh_from_db()
    assert failed.status == Notification.Status.FAILED
