"""Words for the codes an event puts in a notification's context, in the reader's
language. An outbox row stores facts, not sentences: a commendation's reason is stored as
its code ("effort"), a club as its kind ("homework_club"), and the words are chosen when
the message is rendered, in the guardian's language. The app that owns a code registers
its labels here in its AppConfig.ready() (as it does its panels), so notifications never
names an app above it."""

from collections.abc import Iterable

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
