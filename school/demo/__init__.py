"""The demo school behind `manage.py seed_demo`: a multicultural inner-city secondary school
shaped like the one in the source material (1,342 pupils; 59% FSM, 84% EAL, 52% SEN), with
the demo logins listed in README.md.

Everything is drawn from one `random.Random(seed)`, never from the global generator, the
clock or uuid4, so the same seed builds the same school. Rows are written with
`bulk_create`, and every user shares one password hash: hashing 1,600 passwords one by
one would take minutes.

By area: `build` (the command's entry points: build and delete the demo schools),
`shape` (the numbers that shape a school), `calendar` (its year, half-terms and days
off), `structure` (year groups, houses, subjects, tutor groups and classes), `pupils`
(families, children and their flags), `staff` (who teaches what and holds which role),
`guardians`, and `names` and `draws` (what the people are called; weighted draws).

Apps above `school` add their own demo rows (homework, later sanctions...) through
`register_demo_extension` below; only they see today's date, to place their rows around
it. They find the demo schools and logins by the names here."""

from collections.abc import Callable
from dataclasses import dataclass

DEMO_SLUG = "demo"
DEMO_DOMAIN = "demo.school"
DEMO_PASSWORD = "homework-demo"

DEMO_LOGINS = {
    "admin": "admin@demo.school",
    "teacher": "teacher@demo.school",
    "headofyear": "headofyear@demo.school",
    "headofhouse": "headofhouse@demo.school",
    "parent": "parent@demo.school",
    "pupil": "pupil@demo.school",
    # Read the reports only: the school's governor, and a leader of the demo trust.
    "governor": "governor@demo.school",
    "trust": "trust@demo.school",
}
DEMO_TRUST_SLUG = "demo-trust"


# Extensions ------------------------------------------------------------------------------
# Apps above `school` (homework, sanctions...) add their own demo rows without `school`
# importing them: each registers a builder in its AppConfig.ready().


@dataclass(frozen=True)
class DemoExtension:
    name: str
    build: Callable  # build(*, school, rng, today, stdout): fill one demo school
    delete: Callable  # delete(*, schools): remove its rows before the schools' people go
    order: int


_extensions: dict[str, DemoExtension] = {}


def register_demo_extension(name: str, *, build: Callable, delete: Callable, order: int = 100):
    """Run `build` after each demo school is built (lowest `order` first) and `delete`
    before the demo schools are deleted (highest `order` first). Registering a name again
    replaces the earlier registration."""
    _extensions[name] = DemoExtension(name=name, build=build, delete=delete, order=order)


def demo_extensions() -> list[DemoExtension]:
    return sorted(_extensions.values(), key=lambda extension: (extension.order, extension.name))
