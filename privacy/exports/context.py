"""Third-party data in a subject access export: a pupil's export never names another
child. The builder's ExportContext takes out of free text (messages, comments, feedback,
reasons, notes, outcomes) the full names of the school's other pupils, written "First
Last" or "Last, First", in any case. Staff names stay: they act for the school. In a
guardian's export their own children are not third parties."""

import re
from collections.abc import Iterable

from school.models import Pupil

from ..registry import ExportContext

ANOTHER_PUPIL = "[another pupil]"


def _name(part: str) -> str:
    # Words of a name may be separated by any run of spaces in free text.
    return r"\s+".join(re.escape(word) for word in part.split())


class RedactingContext(ExportContext):
    def __init__(self, *, school_id: int, allowed_pupil_ids: Iterable[int]):
        allowed = set(allowed_pupil_ids)
        # One query: the names of the school's pupils (their ids to leave out the allowed).
        names = Pupil.objects.filter(school_id=school_id, anonymised_at__isnull=True).values_list(
            "pk", "first_name", "last_name"
        )
        kept, others = set(), set()
        for pk, first, last in names:
            first, last = first.strip(), last.strip()
            if not first or not last:
                continue
            (kept if pk in allowed else others).add(
                (first.casefold(), last.casefold(), first, last)
            )
        # A child who shares a name with one of the subject's own is not taken out.
        kept_names = {(first, last) for first, last, *_ in kept}
        patterns = set()
        for first_key, last_key, first, last in others:
            if (first_key, last_key) in kept_names:
                continue
            patterns.add(_name(first) + r"\s+" + _name(last))
            patterns.add(_name(last) + r",\s*" + _name(first))
        self._pattern = (
            re.compile(
                r"(?<!\w)(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + r")(?!\w)",
                re.IGNORECASE,
            )
            if patterns
            else None
        )

    def redact(self, text: str) -> str:
        if not text or self._pattern is None:
            return text or ""
        return self._pattern.sub(ANOTHER_PUPIL, text)
