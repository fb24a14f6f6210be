"""The reports' addresses, by area (as reports/views/)."""

from . import half_term

urlpatterns = [*half_term.urlpatterns]
