"""Work scrutiny (issue 14, section 2): who may do what (access.py), how a round's sample
is drawn (sampling.py), the writes (services.py) and the reads shaped for each page
(selectors.py, results.py)."""


class ScrutinyError(Exception):
    """A write refused for a reason the person can act on; the message says it."""
