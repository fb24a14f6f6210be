"""What the apps above privacy do when a guardian's record is erased, registered from
their `privacy_erasure.py` (imported by `discover`, as privacy/registry.py does for the
export and retention modules): privacy erases school's rows itself and knows no app by
name. Each step says, for the lead's confirmation page, what it erases and what of that
app's stays, and why."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from school.models import Guardian


@dataclass(frozen=True)
class ErasureStep:
    """`run(guardian)` deletes or empties the app's rows about the guardian (in the
    erasure's transaction, a fixed number of queries) and returns how many it dealt with.
    `erases` and `keeps` are sentences for the confirmation page ("" for nothing kept)."""

    name: str
    erases: str
    keeps: str
    run: Callable[[Guardian], int]
    order: int = 100


_steps: dict[str, ErasureStep] = {}


def register_guardian_erasure_step(
    name: str,
    run: Callable[[Guardian], int],
    *,
    erases: str,
    keeps: str = "",
    order: int = 100,
) -> None:
    """Registering a name again replaces it."""
    _steps[name] = ErasureStep(name, erases, keeps, run, order)


def guardian_erasure_steps() -> list[ErasureStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def discover() -> None:
    autodiscover_modules("privacy_erasure")
