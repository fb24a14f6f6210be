"""Messages that did not reach a family, on the sanctions dashboard: the pupil's pastoral
staff see each (pupil, message, channel, why) and send it again, by the same channel or by
the other one when the parent has that contact, without the Django admin; who did it is
recorded. Other people's messages answer 404, and the page's queries stay fixed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications import delivery as sending
from notifications import services as outbox
from notifications.channels import LocmemSMSProvider
from notifications.models import Delivery, Notification, NotificationAction
from sanctions.notices import DETENTION_BOOKED, MISSED_DEADLINE
from school.models import Guardian
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory
from tests.smtp_sink import body_text
from tests.test_permissions import PERSONAS, persona

from .permission_rows_failed_deliveries import POST_ONLY

DASHBOARD = reverse("sanctions_dashboard")


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.SMS_PROVIDER = "notifications.channels.LocmemSMSProvider"
    LocmemSMSProvider.outbox = []
    yield LocmemSMSProvider.outbox
    LocmemSMSProvider.outbox = []


def failed(pupil, guardian, kind=DETENTION_BOOKED, **context):
    """A message to `guardian` that failed for the real reason it fails most: the school
    had no address to send it to."""
    Guardian.objects.filter(pk=guardian.pk).update(email="", mobile="")
    outbox.notifications_queue(events=[(pupil.pk, kind, context)])
    notification = Notification.objects.filter(pupil=pupil, guardian=guardian).latest("pk")
    sending.notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    return notification


def listed(client, user):
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response


def test_the_pupils_pastoral_staff_see_the_messages_that_did_not_reach_the_family(client, world):
    mine = failed(world.pupil, world.guardian, date="2026-12-08", room="B12")
    theirs = failed(world.year8_pupil, world.guardian, MISSED_DEADLINE)  # Year 8

    response = listed(client, world.head_of_year)

    rows = response.context["board"].failed
    assert [row.notification for row in rows] == [mine]
    assert rows[0].delivery.channel == "email"
    html = response.content.decode()
    assert "Messages that did not reach a family (1)" in html
    assert "Okafor, Amara" in html and "Detention booked" in html
    assert "The guardian has no email address or mobile number." in html
    assert reverse("sanctions_message_resend", args=[mine.pk]) in html
    assert reverse("sanctions_message_resend_other", args=[mine.pk]) not in html  # no mobile
    # The head of house of Brunel looks after both pupils; another school's head neither.
    shown = listed(client, world.head_of_house).context["board"].failed
    assert {row.notification for row in shown} == {mine, theirs}
    assert listed(client, world.other_school_staff).context["board"].failed == []


def test_resend_delivers_the_message_once_the_address_is_fixed_and_records_who_did_it(
    client, world, smtp_sink, django_capture_on_commit_callbacks
):
    notification = failed(world.pupil, world.guardian, date="2026-12-08", room="B12")
    Guardian.objects.filter(pk=world.guardian.pk).update(email="ngozi@example.org")
    client.force_login(world.head_of_year)
    back = f"{DASHBOARD}?tutor_group={world.tg_7a.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sanctions_message_resend", args=[notification.pk]), {"next": back}
        )

    assert response.status_code == 302 and response["Location"] == back
    (message,) = smtp_sink.messages
    assert message["To"] == "ngozi@example.org"
    assert "Amara has an after-school detention on Tuesday 8 December 2026." in body_text(message)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    (action,) = NotificationAction.objects.filter(notification=notification)
    assert (action.action, action.actor, action.channel) == ("resent", world.head_of_year, "")
    page = client.get(DASHBOARD).content.decode()
    assert "will be sent again by email" in page
    assert listed(client, world.head_of_year).context["board"].failed == []


def test_a_failed_email_can_go_by_text_message_when_the_parent_has_a_mobile(
    client, world, sms_outbox, django_capture_on_commit_callbacks
):
    notification = failed(world.pupil, world.guardian, date="2026-12-08", room="B12")
    Guardian.objects.filter(pk=world.guardian.pk).update(mobile="07700 900123")
    html = listed(client, world.head_of_house).content.decode()
    other = reverse("sanctions_message_resend_other", args=[notification.pk])
    assert other in html and "Send by text message" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(other)

    assert response.status_code == 302 and response["Location"] == DASHBOARD
    (sms,) = sms_outbox
    assert sms["to"] == "07700 900123" and "Amara has an after-school detention" in sms["body"]
    notification.refresh_from_db()
    assert (notification.status, notification.channel) == (Notification.Status.SENT, "sms")
    assert set(notification.deliveries.values_list("channel", "status")) == {
        ("email", Delivery.Status.FAILED),
        ("sms", Delivery.Status.SENT),
    }
    (action,) = NotificationAction.objects.filter(notification=notification)
    assert (action.actor, action.channel) == (world.head_of_house, "sms")


def test_the_form_tutor_resends_from_the_pupils_timeline(
    client, world, smtp_sink, django_capture_on_commit_callbacks
):
    notification = failed(world.pupil, world.guardian)
    Guardian.objects.filter(pk=world.guardian.pk).update(email="ngozi@example.org")
    client.force_login(world.teacher)  # 7A's tutor: no dashboard, but the timeline
    timeline = reverse("sanctions_pupil", args=[world.pupil.pk])
    url = reverse("sanctions_message_resend", args=[notification.pk])
    assert url in client.get(timeline).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"next": timeline})

    assert response["Location"] == timeline
    assert [message["To"] for message in smtp_sink.messages] == ["ngozi@example.org"]
    assert NotificationAction.objects.get().actor == world.teacher


def test_the_other_channel_without_its_contact_is_refused_and_changes_nothing(client, world):
    notification = failed(world.pupil, world.guardian)
    client.force_login(world.head_of_year)

    response = client.post(
        reverse("sanctions_message_resend_other", args=[notification.pk]), follow=True
    )

    assert "has no text message contact" in response.content.decode()
    notification.refresh_from_db()
    assert (notification.status, notification.channel) == (Notification.Status.FAILED, "")
    assert not NotificationAction.objects.exists()


def test_a_message_already_sent_again_is_not_sent_twice(
    client, world, django_capture_on_commit_callbacks
):
    notification = failed(world.pupil, world.guardian)
    Guardian.objects.filter(pk=world.guardian.pk).update(email="ngozi@example.org")
    client.force_login(world.head_of_year)
    url = reverse("sanctions_message_resend", args=[notification.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)

    assert "no longer marked as failed" in response.content.decode()
    assert NotificationAction.objects.count() == 1


@pytest.mark.parametrize("who", ["other_teacher", "lsa", "parent", "other_school_staff"])
def test_someone_elses_message_answers_404_and_is_not_sent(client, world, who):
    notification = failed(world.pupil, world.guardian)
    client.force_login(persona(world, who))

    for name in POST_ONLY:
        assert client.post(reverse(name, args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_resend_address_answers_405_to_its_users_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(queries), len(response.context["board"].failed)


def test_the_failed_list_costs_the_same_queries_however_many_messages(client, world):
    client.force_login(world.head_of_year)
    client.get(DASHBOARD)  # the first visit writes the school's default ladder
    none, shown = _dashboard_queries(client)
    assert shown == 0
    failed(world.pupil, world.guardian)
    one, shown = _dashboard_queries(client)
    assert shown == 1
    for n in range(30):
        pupil = PupilFactory(tutor_group=world.tg_7a, first_name=f"Pupil{n}")
        guardian = GuardianFactory(school=world.school)
        GuardianLinkFactory(guardian=guardian, pupil=pupil)
        failed(pupil, guardian, MISSED_DEADLINE)

    many, shown = _dashboard_queries(client)
    # The failed messages with their pupils and guardians, then their deliveries: two
    # queries, which the prefetch skips when there is nothing to prefetch for.
    assert (one, many, shown) == (none + 1, one, 31)


@pytest.mark.parametrize("back", ["abc", "//evil.example/", "https://evil.example/", "/x\x00"])
def test_a_resend_whose_way_back_is_not_a_path_here_returns_to_the_dashboard(
    client, world, back, django_capture_on_commit_callbacks
):
    notification = failed(world.pupil, world.guardian, date="2026-12-08", room="B12")
    client.force_login(world.head_of_year)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("sanctions_message_resend", args=[notification.pk]), {"next": back}
        )
    assert response.status_code == 302 and response["Location"] == DASHBOARD
