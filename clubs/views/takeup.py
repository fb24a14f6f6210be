"""Take-up: attendance per night and half-term, pupil groups against the school."""
