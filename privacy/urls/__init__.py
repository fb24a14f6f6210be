"""The data-protection pages, by area (privacy/views/__init__.py)."""

from django.urls import include, path

from . import access_log, erasure, exports, notice, people, retention

urlpatterns = [
    path("", include(people)),
    path("", include(exports)),
    path("", include(retention)),
    path("", include(access_log)),
    path("", include(erasure)),
    path("", include(notice)),
]
