"""The legal-hold panel of a pupil's data-protection page (privacy.navigation's
PRIVACY_PUPIL place, registered in privacy/apps.py): the current hold with the way to
lift it, or the way to place one, and the holds of the past (one query)."""

from ..forms.retention import HoldForm
from .selectors import holds_of

TEMPLATE = "privacy/retention/_hold_panel.html"


def hold_panel(*, pupil, user, query: str) -> dict:
    holds = holds_of(pupil)
    current = next((hold for hold in holds if hold.lifted_at is None), None)
    return {
        "pupil": pupil,
        "current": current,
        "past": [hold for hold in holds if hold.lifted_at is not None],
        "form": None if current else HoldForm(),
        "query": query,
    }
