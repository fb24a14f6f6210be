"""Writes for the homework pages, one module per area like views/ and urls/: setting
homework (for several classes at once), editing and archiving it; pupils handing it in and
their calendar feeds (planner); teachers marking and returning it; the frequency policy
(compliance). Every area refuses what the rules forbid with HomeworkError."""


class HomeworkError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""
