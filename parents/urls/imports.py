"""Inviting the guardians an MIS import brought (the button on the import's page)."""

from django.urls import path

from ..views import imports

urlpatterns = [
    path(
        "imports/<int:run_id>/invite/",
        imports.parents_import_invite,
        name="parents_import_invite",
    ),
]
