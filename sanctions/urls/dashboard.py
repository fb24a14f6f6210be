"""The heads of year and house dashboard and each pupil's timeline."""

from django.urls import path

from ..views import dashboard

urlpatterns = [
    path("", dashboard.sanctions_dashboard, name="sanctions_dashboard"),
    path("pupils/<int:pupil_id>/", dashboard.sanctions_pupil, name="sanctions_pupil"),
]
