"""The weekly sign-off."""

from django.urls import path

from ..views import signoff

urlpatterns = [
    path("sign-off/", signoff.parents_signoff, name="parents_signoff"),
    path("sign-off/tutor/", signoff.parents_signoff_tutor, name="parents_signoff_tutor"),
]
