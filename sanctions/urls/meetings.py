"""The meetings the ladder gives: the list and one meeting."""

from django.urls import path

from ..views import meetings

urlpatterns = [
    path("meetings/", meetings.sanctions_meetings, name="sanctions_meetings"),
    path("meetings/<int:meeting_id>/", meetings.sanctions_meeting, name="sanctions_meeting"),
]
