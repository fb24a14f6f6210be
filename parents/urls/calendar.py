"""The family calendar feed: its page, resetting its address, and the feed."""

from django.urls import path

from ..views import calendar

urlpatterns = [
    path("calendar/", calendar.calendar_page, name="parents_calendar"),
    path("calendar/reset/", calendar.calendar_reset, name="parents_calendar_reset"),
    path("feed/<slug:token>.ics", calendar.feed, name="parents_feed"),
]
