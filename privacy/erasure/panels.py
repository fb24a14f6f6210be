"""What erasure adds to the data protection lead's person pages (privacy/navigation.py's
places): the change history of the pupil or guardian, and the way to erase a guardian's
record. Each panel costs one query (the latest changes) or none."""

from django.urls import reverse

from school.panels import register_panel

from ..navigation import PRIVACY_GUARDIAN, PRIVACY_PUPIL
from .history import LATEST, changed_by_shown, person_changes


def _changes(changes, csv_url: str) -> dict:
    latest = list(changes[: LATEST + 1])
    return {
        "changes": [(change, changed_by_shown(change)) for change in latest[:LATEST]],
        "more": len(latest) > LATEST,
        "csv_url": csv_url,
        "latest": LATEST,
    }


def pupil_history(*, pupil, user, query):
    return _changes(
        person_changes(pupil=pupil), reverse("privacy_pupil_changes", args=[pupil.pk]) + query
    )


def guardian_history(*, guardian, user, query):
    return _changes(
        person_changes(guardian=guardian),
        reverse("privacy_guardian_changes", args=[guardian.pk]) + query,
    )


def guardian_erasure(*, guardian, user, query):
    unlinked_url = reverse("privacy_erasure") + query
    if guardian.erased_at is not None:
        return {"erased_at": guardian.erased_at, "unlinked_url": unlinked_url}
    return {
        "erase_url": reverse("privacy_guardian_erase", args=[guardian.pk]) + query,
        "unlinked_url": unlinked_url,
    }


def register() -> None:
    template = "privacy/erasure/_history_panel.html"
    register_panel(PRIVACY_PUPIL, "history", template, pupil_history, order=800)
    register_panel(PRIVACY_GUARDIAN, "history", template, guardian_history, order=800)
    register_panel(
        PRIVACY_GUARDIAN,
        "erasure",
        "privacy/erasure/_erase_panel.html",
        guardian_erasure,
        order=900,
    )
