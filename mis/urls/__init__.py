"""The import's addresses, under /imports/, by area (as mis/views/). The new academic
year's pages (mis/rollover/) are included below."""

from django.urls import include, path

from . import imports, runs

urlpatterns = [
    *imports.urlpatterns,
    *runs.urlpatterns,
    path("new-year/", include("mis.rollover.urls")),
]
