"""One message per family per event. An event (one transaction: a miss recorded, a
register saved, a miss voided) may tell the same guardian several things about the same
child: a missed deadline, the detention it completes and the session it was booked into.
They become one outbox row whose parts are merged here, so that the message says what is
true once the event is over ("the third missed deadline, so a detention on Tuesday 8
December", never "a detention" and "we will tell you its date" a second apart).

A part is {"kind": ..., "facts": {...}, "with": {kind: facts}}; facts may carry "about",
a reference to the thing the part is about (e.g. "sanction:17"). Parts about the same
thing meet the rules below; at send time each part is checked again against the present
by the app that owns the thing it is about (`register_fact_check`)."""

import math
from collections.abc import Callable

from . import registry
from .models import Notification

# How parts meet is said by each kind's registration (notifications/registry.py):
# - headline: which part gives a row its subject and its kind (and so whether the family
#   may switch it off);
# - absorbs: a later event about the same thing told inside the earlier part (a new
#   sanction with the session it was booked into);
# - cancels: a cancellation of something announced in the same event (the family never
#   hears of either).


def _absorbs(kind: str) -> frozenset[str]:
    found = registry.kind_of(kind)
    return found.absorbs if found else frozenset()


def _cancels(kind: str) -> frozenset[str]:
    found = registry.kind_of(kind)
    return found.cancels if found else frozenset()


def part_make(kind: str, facts: dict) -> dict:
    return {"kind": str(kind), "facts": dict(facts), "with": {}}


def _about(part: dict):
    return part["facts"].get("about") or None


def parts_merge(parts: list[dict], kind: str, facts: dict) -> list[dict]:
    """The parts of a row once one more event about the same child is added to them."""
    kind, new = str(kind), part_make(kind, facts)
    about = _about(new)
    same = [i for i, part in enumerate(parts) if about and _about(part) == about]
    cancels = _cancels(kind)
    if any(parts[i]["kind"] in cancels or cancels & set(parts[i]["with"]) for i in same):
        merged = []
        for i, part in enumerate(parts):
            if i in same and part["kind"] in cancels:
                continue
            if i in same:
                part = {**part, "with": {k: v for k, v in part["with"].items() if k not in cancels}}
            merged.append(part)
        return merged
    for i in same:
        earlier = parts[i]
        if earlier["kind"] == kind:  # the last word about the same thing wins
            return [*parts[:i], {**new, "with": earlier["with"]}, *parts[i + 1 :]]
        if kind in _absorbs(earlier["kind"]):
            absorbed = {**earlier, "with": {**earlier["with"], kind: new["facts"]}}
            return [*parts[:i], absorbed, *parts[i + 1 :]]
        if earlier["kind"] in _absorbs(kind):
            # Told the other way round (the booking was written first): the new part
            # takes the earlier one in, and stands where the family reads it in order.
            new["with"] = {earlier["kind"]: earlier["facts"], **earlier["with"]}
            return [*parts[:i], *parts[i + 1 :], new]
    return [*parts, new]


def _rank(kind: str) -> float:
    found = registry.kind_of(kind)
    return found.headline if found and found.headline is not None else math.inf


def headline(parts: list[dict]) -> dict:
    return min(parts, key=lambda part: _rank(part["kind"]))


def row_fields(parts: list[dict]) -> tuple[str, dict]:
    """The kind and context of the outbox row holding `parts` (at least one). A row of one
    plain part keeps the event's context as it was written; otherwise the context is the
    headline's facts (for whoever reads them) and every part under "parts"."""
    first = headline(parts)
    if len(parts) == 1 and not first["with"]:
        return first["kind"], dict(first["facts"])
    return first["kind"], {**first["facts"], "parts": parts}


def parts_of(notification: Notification) -> list[dict]:
    """The row's parts, in the order the family reads them."""
    context = notification.context if isinstance(notification.context, dict) else {}
    parts = context.get("parts")
    if isinstance(parts, list):
        return [
            {
                "kind": part["kind"],
                "facts": part.get("facts") if isinstance(part.get("facts"), dict) else {},
                "with": part.get("with") if isinstance(part.get("with"), dict) else {},
            }
            for part in parts
            if isinstance(part, dict) and registry.kind_of(part.get("kind"))
        ]
    return [part_make(notification.kind, context)]


# Checking a part against the present, at send time.

FactCheck = Callable[[dict], dict | None]
_checks: dict[str, FactCheck] = {}


def register_fact_check(prefix: str, check: FactCheck) -> None:
    """`check(part)` returns the part as true now (its facts brought up to date), or None
    when it is no longer true; it is called for each part about "<prefix>:<id>"."""
    _checks[prefix] = check


def parts_now(parts: list[dict]) -> list[dict]:
    """The parts still true, each as it stands now."""
    current = []
    for part in parts:
        about = _about(part)
        check = _checks.get(about.split(":", 1)[0]) if isinstance(about, str) else None
        part = check(part) if check else part
        if part is not None:
            current.append(part)
    return current
