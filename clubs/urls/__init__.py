"""The clubs addresses, by area (as clubs/views/ and clubs/forms/)."""

from . import register, rota, sessions, takeup

urlpatterns = [
    *sessions.urlpatterns,
    *rota.urlpatterns,
    *register.urlpatterns,
    *takeup.urlpatterns,
]
