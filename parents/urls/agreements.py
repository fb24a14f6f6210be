"""The home-school agreement."""

from django.urls import path

from ..views import agreements

urlpatterns = [
    path("agreement/", agreements.parents_agreement, name="parents_agreement"),
    path(
        "agreement/signatures/<int:signature_id>/",
        agreements.parents_agreement_signature,
        name="parents_agreement_signature",
    ),
    path("agreement/pupil/", agreements.parents_agreement_pupil, name="parents_agreement_pupil"),
    path("agreements/edit/", agreements.parents_agreement_edit, name="parents_agreement_edit"),
    path(
        "agreements/publish/",
        agreements.parents_agreement_publish,
        name="parents_agreement_publish",
    ),
    path(
        "agreements/<int:agreement_id>/",
        agreements.parents_agreement_version,
        name="parents_agreement_version",
    ),
    path(
        "agreements/<int:agreement_id>/translations/<str:language>/",
        agreements.parents_agreement_translation,
        name="parents_agreement_translation",
    ),
    path(
        "agreements/coverage/",
        agreements.parents_agreement_coverage,
        name="parents_agreement_coverage",
    ),
    path(
        "agreements/coverage/remind/",
        agreements.parents_agreement_remind,
        name="parents_agreement_remind",
    ),
]
