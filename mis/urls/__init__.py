"""The import's addresses, under /imports/, by area (as mis/views/). The new academic
year's pages (mis/rollover/) are included below."""

from . import imports, runs

urlpatterns = [
    *imports.urlpatterns,
    *runs.urlpatterns,
    # The new academic year (H5): add its include here, e.g.
    # path("new-year/", include("mis.rollover.urls")),
]
