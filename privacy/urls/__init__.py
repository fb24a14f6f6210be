"""The data-protection pages, by area (privacy/views/__init__.py)."""

from django.urls import include, path

from . import people, retention

urlpatterns = [
    path("", include(people)),
    path("", include(retention)),
]
