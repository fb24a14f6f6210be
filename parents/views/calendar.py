"""A parent's calendar feed: the page explaining how to add it to a phone's calendar (the
webcal link and the address to copy), resetting the address, and the feed itself (a
secret address, no login; an unknown or reset one answers 404)."""

from datetime import timedelta

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from homework.services.planner import calendar_feed_for, calendar_feed_reset
from school import access

from .. import calendar as selectors


def _guardian_or_404(user) -> None:
    if not access.is_guardian(user):
        raise Http404("The family calendar is for parents and carers.")


@login_required
@require_safe
def calendar_page(request):
    _guardian_or_404(request.user)
    feed = calendar_feed_for(request.user)
    feed_url = request.build_absolute_uri(reverse("parents_feed", args=[feed.token]))
    return render(
        request,
        "parents/calendar/page.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )


@login_required
@require_POST
def calendar_reset(request):
    _guardian_or_404(request.user)
    calendar_feed_reset(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar address has been reset. The old address no longer works: "
            "add the new one below to your calendar."
        ),
    )
    return redirect("parents_calendar")


@require_safe
def feed(request, token):
    user = selectors.feed_guardian(token)
    if user is None:
        raise Http404("No such calendar.")
    now = timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Homework//Family calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("School: my children"))
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    host = request.get_host()
    for item in selectors.feed_events(user, now=now):
        event = icalendar.Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.summary)
        url = request.build_absolute_uri(item.path) if item.path else ""
        event.add("description", "\n".join(part for part in (item.description, url) if part))
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="school.ics"'
    response["Cache-Control"] = "private, max-age=600"
    return response
