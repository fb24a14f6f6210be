"""The parents' addresses, by area (as parents/views/ and parents/forms/)."""

from . import accounts, agreements, calendar, imports, messages, overview, signoff

urlpatterns = [
    *overview.urlpatterns,
    *accounts.urlpatterns,
    *agreements.urlpatterns,
    *signoff.urlpatterns,
    *messages.urlpatterns,
    *imports.urlpatterns,
    *calendar.urlpatterns,
]
