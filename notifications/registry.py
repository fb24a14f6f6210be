"""What the apps above notifications register so that it can send their messages without
naming them: their kinds of message, the words for the codes their messages hold, and the
page a message links families to. Each app registers its own in its AppConfig.ready().

A kind is the code an outbox row stores (a plain string: adding one needs no migration
here). Its registration says what families and staff read it as, whether families may
switch it off (a mandatory kind always goes straight away), where its templates are
(`<templates>/<code>_subject.txt`, `<code>.txt` and `<code>.html`), which heading the
families' preferences page lists it under, and how it meets other parts of the same
message (notifications/events.py).

An outbox row stores facts, not sentences: a commendation's reason is stored as its code
("effort"), a club as its kind ("homework_club"), and the words are chosen when the
message is rendered, in the guardian's language. The app that owns a code registers its
labels here (`register_labels`), and the templates read them as `facts.<fact>_label`."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: object  # a lazy translation: read in the reader's language
    group: object  # the heading it is listed under on the preferences page (lazy)
    templates: str  # the folder of its templates, e.g. "<app>/email"
    mandatory: bool  # always sent straight away: families cannot switch it off
    # Which part heads a message of several (its subject and kind, so whether the family
    # may switch it off): the lowest; what the family must act on first. None: after
    # every ranked kind, in the order the event told them.
    headline: int | None
    # A later part about the same thing that this part tells inside itself (a new
    # sanction with the session it was booked into).
    absorbs: frozenset[str]
    # Parts about the same thing announced in the same event that this one cancels: the
    # family hears of neither.
    cancels: frozenset[str]

    def template(self, suffix: str) -> str:
        """Its template named `<code><suffix>`, e.g. template("_subject.txt")."""
        return f"{self.templates}/{self.code}{suffix}"


_kinds: dict[str, Kind] = {}


def register_kind(
    code: str,
    label,
    *,
    group,
    templates: str,
    mandatory: bool = False,
    headline: int | None = None,
    absorbs: Iterable[str] = (),
    cancels: Iterable[str] = (),
) -> None:
    """Make `code` a kind of notification. Registering a code again replaces it."""
    _kinds[code] = Kind(
        code, label, group, templates, mandatory, headline, frozenset(absorbs), frozenset(cancels)
    )


def kinds() -> list[Kind]:
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def kind_of(code) -> Kind | None:
    return _kinds.get(code) if isinstance(code, str) else None


def kind(code: str) -> Kind:
    """The registered kind; LookupError when no app registers it (a row written by an
    app since removed: it cannot be rendered)."""
    found = kind_of(code)
    if found is None:
        raise LookupError(f"No app registers the notification kind {code!r}.")
    return found


def label_of(code: str) -> str:
    """What a kind reads as, in the active language; the code itself when unregistered."""
    found = kind_of(code)
    return str(found.label) if found else code


def mandatory_kinds() -> frozenset[str]:
    return frozenset(k.code for k in _kinds.values() if k.mandatory)


def choosable_kinds() -> list[Kind]:
    """The kinds families choose how to receive, in the order registered."""
    return [k for k in _kinds.values() if not k.mandatory]


# The page of the site a message links families to when its event names none.

_family_page: list[Callable[[], str]] = []


def register_family_page(path: Callable[[], str]) -> None:
    """`path()` is the path of the families' own pages on this site (e.g. "/parents/")."""
    _family_page[:] = [path]


def family_page() -> str:
    return _family_page[0]() if _family_page else "/"


# Words for the codes an event puts in a notification's context.

_labels: dict[str, dict[str, object]] = {}


def register_labels(fact: str, choices: Iterable[tuple[str, object]]) -> None:
    """Words (lazy translations, e.g. a TextChoices' `.choices`) for the codes a context
    holds under `fact`; the templates read them as `facts.<fact>_label`."""
    _labels[fact] = dict(choices)


def labels_for(context: dict) -> dict[str, str]:
    """`<fact>_label` for each registered fact the context holds a known code for, in the
    active language."""
    found = {}
    for fact, labels in _labels.items():
        code = context.get(fact)
        if isinstance(code, str) and code in labels:
            found[f"{fact}_label"] = str(labels[code])
    return found
