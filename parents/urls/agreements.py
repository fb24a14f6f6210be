"""The home-school agreement."""

from django.urls import path

from ..views.agreements import coverage, editing, signing, translations

urlpatterns = [
    path("agreement/", signing.parents_agreement, name="parents_agreement"),
    path(
        "agreement/signatures/<int:signature_id>/",
        signing.parents_agreement_signature,
        name="parents_agreement_signature",
    ),
    path("agreement/pupil/", signing.parents_agreement_pupil, name="parents_agreement_pupil"),
    path("agreements/edit/", editing.parents_agreement_edit, name="parents_agreement_edit"),
    path(
        "agreements/publish/",
        editing.parents_agreement_publish,
        name="parents_agreement_publish",
    ),
    path(
        "agreements/<int:agreement_id>/",
        editing.parents_agreement_version,
        name="parents_agreement_version",
    ),
    path(
        "agreements/<int:agreement_id>/translations/<str:language>/",
        translations.parents_agreement_translation,
        name="parents_agreement_translation",
    ),
    path(
        "agreements/coverage/",
        coverage.parents_agreement_coverage,
        name="parents_agreement_coverage",
    ),
    path(
        "agreements/coverage/remind/",
        coverage.parents_agreement_remind,
        name="parents_agreement_remind",
    ),
]
