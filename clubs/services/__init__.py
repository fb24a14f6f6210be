"""Writes for the clubs pages, one module per area like views/, forms/ and urls/: clubs,
their sessions and bookings (sessions), the staff rota (rota) and a session's register
(register). Every area refuses what the rules forbid with its error."""


class ClubError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""
