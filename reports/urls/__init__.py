"""The reports' addresses, by area (as reports/views/)."""

from . import groups, half_term, scrutiny

urlpatterns = [*groups.urlpatterns, *half_term.urlpatterns, *scrutiny.urlpatterns]
