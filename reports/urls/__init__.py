"""The reports' addresses, by area (as reports/views/)."""

from . import compare, groups, half_term, scrutiny, trust

urlpatterns = [
    *trust.urlpatterns,
    *compare.urlpatterns,
    *groups.urlpatterns,
    *half_term.urlpatterns,
    *scrutiny.urlpatterns,
]
