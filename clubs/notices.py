"""What the clubs tell parents: the kind of message they send (registered with
notifications, with its templates under templates/clubs/email/) and the words for the
codes their messages hold."""

from django.utils.translation import gettext_lazy as _

from notifications import registry

from .models import Club

CLUB_SESSION_CANCELLED = "club_session_cancelled"


def kinds_register() -> None:
    # A cancelled club sends the child home early: the family always hears at once.
    registry.register_kind(
        CLUB_SESSION_CANCELLED,
        _("Club session cancelled"),
        group=_("Clubs"),
        templates="clubs/email",
        mandatory=True,
        headline=90,
    )
    # A club's kind is stored as its code and read in the family's language.
    registry.register_labels("club_kind", Club.Kind.choices)
