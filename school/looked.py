"""Who looked at whom: a page that shows a pupil's sensitive record (their page, their
sanctions timeline, a parent's view of them opened by staff, an export, a CSV carrying
their flags) says so here, and the privacy app's middleware writes the access log after
the response, in one insert, with nothing more read. School only marks the request: it
knows nothing of the log (DESIGN.md section 4, privacy sits above school)."""

from collections.abc import Iterable
from typing import NamedTuple

ATTRIBUTE = "pupils_looked_at"


class Look(NamedTuple):
    school_id: int
    pupil_id: int
    page: str


def pupil_looked_at(request, pupil, page: str) -> None:
    """Note that this request showed `pupil`'s record (a Pupil, already read by the view)
    on `page`: a short name the log shows, e.g. "Pupil page"."""
    pupils_looked_at(request, pupil.school_id, [pupil.pk], page)


def pupils_looked_at(request, school_id: int, pupil_ids: Iterable[int], page: str) -> None:
    """The same for a page or download that shows many pupils of a school at once (a CSV
    carrying their flags)."""
    looked = getattr(request, ATTRIBUTE, None)
    if looked is None:
        looked = []
        setattr(request, ATTRIBUTE, looked)
    looked.extend(Look(school_id, pupil_id, page) for pupil_id in pupil_ids)


def looked_at(request) -> list[Look]:
    """What the request noted, in order, each pupil and page once."""
    return list(dict.fromkeys(getattr(request, ATTRIBUTE, ())))
