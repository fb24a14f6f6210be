"""The school's own pages, by area: the home page, a pupil's page, the rosters of its
groups, and the language switcher."""

from django.urls import include, path

urlpatterns = [
    path("", include("school.urls.home")),
    path("", include("school.urls.pupils")),
    path("", include("school.urls.rosters")),
    path("", include("school.urls.language")),
    path("", include("school.urls.key_dates")),
]
