"""Messages that did not reach a family, from the dashboard: the pupil's pastoral staff
(form tutor, head of year or house, senior leaders) send one again, by the channel it
failed on or by the other one. Anyone else, and another school's message, gets 404; a GET
answers 405. The write and its record of who did it are in notifications/services.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from notifications import services as outbox
from notifications.models import Channel, Notification
from school import params

from ..selectors.dashboard import pastoral_pupils


def _messages_in_care_of(user):
    return Notification.objects.filter(
        school_id=user.school_id, pupil__in=pastoral_pupils(user)
    ).select_related("pupil", "guardian")


def _back(request) -> str:
    return params.local_path(request.POST.get("next")) or reverse("sanctions_dashboard")


def _resend(request, notification_id, *, other_channel: bool):
    notification = get_object_or_404(_messages_in_care_of(request.user), pk=notification_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        channel = outbox.notification_resend(
            notification=notification, actor=request.user, other_channel=other_channel
        )
    except outbox.ResendError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"The message about {notification.pupil.full_name} to "
            f"{notification.guardian.full_name} will be sent again by "
            f"{Channel(channel).label.lower()}.",
        )
    return redirect(_back(request))


@login_required
def sanctions_message_resend(request, notification_id):
    return _resend(request, notification_id, other_channel=False)


@login_required
def sanctions_message_resend_other(request, notification_id):
    return _resend(request, notification_id, other_channel=True)
