"""The staff rota."""

from django.urls import path

from ..views import rota

urlpatterns = [
    path("rota/", rota.clubs_rota, name="clubs_rota"),
    path(
        "rota/<int:session_id>/volunteer/",
        rota.clubs_rota_volunteer,
        name="clubs_rota_volunteer",
    ),
    path("rota/<int:session_id>/withdraw/", rota.clubs_rota_withdraw, name="clubs_rota_withdraw"),
]
