"""The child overview."""

from django.urls import path

from ..views import overview

urlpatterns = [
    path("", overview.overview, name="parents_overview"),
    path("children/<int:pupil_id>/", overview.child, name="parents_child"),
]
