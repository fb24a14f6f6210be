"""The reports' addresses, by area (as reports/views/)."""

from . import half_term, scrutiny

urlpatterns = [*half_term.urlpatterns, *scrutiny.urlpatterns]
