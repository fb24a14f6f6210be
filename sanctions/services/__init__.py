"""Writes for the sanctions pages, one module per area like views/, forms/ and urls/: the
ladder's engine (engine), missed deadlines and extensions (misses), the escalation policy
(policy), commendations, meetings, and detentions and internal exclusion days
(detentions). Every area refuses what the rules forbid with SanctionError."""


class SanctionError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""
