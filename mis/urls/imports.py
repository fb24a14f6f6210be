"""The imports home, its two forms, and the history of runs."""

from django.urls import path

from ..views import imports

urlpatterns = [
    path("", imports.imports_home, name="mis_imports"),
    path("upload/", imports.import_upload, name="mis_import_upload"),
    path("dfe-number/", imports.import_dfe_number, name="mis_import_dfe_number"),
    path("history/", imports.import_history, name="mis_import_history"),
]
