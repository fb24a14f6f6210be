from django.urls import path

from homework.views import planner

urlpatterns = [
    path("planner/", planner.planner, name="planner"),
    path("planner/tasks/<int:assignment_id>/", planner.planner_task, name="planner_task"),
    path(
        "planner/files/<int:file_id>/",
        planner.planner_submission_file,
        name="planner_submission_file",
    ),
    path("planner/calendar/", planner.planner_calendar, name="planner_calendar"),
    path(
        "planner/calendar/reset/",
        planner.planner_calendar_reset,
        name="planner_calendar_reset",
    ),
    path("planner/feed/<slug:token>.ics", planner.planner_feed, name="planner_feed"),
]
