"""The homework pages, by area: setting homework, the pupil's planner, marking, and the
frequency policy with its compliance reports."""

from django.urls import include, path

urlpatterns = [
    path("", include("homework.urls.setting")),
    path("", include("homework.urls.planner")),
    path("", include("homework.urls.marking")),
    path("", include("homework.urls.compliance")),
    path("", include("homework.urls.units")),
]
