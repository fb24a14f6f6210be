"""Reading values from a query string (or a form read leniently, like the workload check).
A link can carry anything, so each reader answers None (or leaves the value out) for what
it cannot use rather than raising: the page then falls back to its default or tells the
visitor. Dates are bounded to the years a school could mean, so that date arithmetic on
them (a week on, the Monday before) never overflows; ids to what PostgreSQL's bigint
holds, so that a lookup never overflows the column."""

import datetime

from django.utils.http import url_has_allowed_host_and_scheme

# Dates of birth of today's pupils and guardians at the earliest; a plan ten years ahead at
# the latest, with room to spare. Far from the limits of `datetime.date` (years 1 to 9999).
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
BIGINT_MAX = 2**63 - 1
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y")


def year_in_range(day: datetime.date) -> bool:
    return EARLIEST_YEAR <= day.year <= LATEST_YEAR


def parse_date(value, formats=DATE_FORMATS) -> datetime.date | None:
    """The date in `value` (ISO or UK order), or None for anything else, including a real
    date outside the years EARLIEST_YEAR to LATEST_YEAR."""
    text = str(value or "").strip()
    for date_format in formats:
        try:
            day = datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
        return day if year_in_range(day) else None
    return None


def parse_id(value) -> int | None:
    """A positive whole number that fits a database id (ASCII digits only: `int()` also
    reads other scripts' digits and signs), or None."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= BIGINT_MAX else None


def parse_ids(values) -> list[int]:
    """The ids among these values (from a form or a query string); the rest left out."""
    return [number for number in map(parse_id, values) if number is not None]


NEXT_MAX_LENGTH = 2000


def local_path(value) -> str | None:
    """A path on this site to go back to (a `next` field), or None. Only "/..." with no
    scheme, host or control character: `redirect()` reads anything else as a view name
    (and fails), and a browser may read "//host" or "/\\host" as another site."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith(("//", "/\\")) or len(text) > NEXT_MAX_LENGTH:
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in text):
        return None
    return text if url_has_allowed_host_and_scheme(text, allowed_hosts=None) else None
