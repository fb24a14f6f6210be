"""What the demo families see of their children's learning (`manage.py seed_demo`): a
"how you can help at home" note on about a third of the homework due around today (half
of them translated into Polish and Urdu), each class's scheme-of-work units given dates
through this half-term and the next, and links for parents on those units.

Registered with school's demo builder after the homework itself (HomeworkConfig.ready());
a few bulk writes per school, whatever its size."""

import random
from datetime import date, timedelta

from school.calendar import half_term_for
from school.models import HalfTerm, TeachingGroup

from ..models import Homework, SchemeOfWorkUnit, UnitPlan, UnitResource

# (English, Polish, Urdu): plain words a parent can use whatever the subject.
HELP_NOTES = [
    (
        "Ask your child to explain the task to you in their own words before they start.",
        "Poproś dziecko, aby przed rozpoczęciem wyjaśniło Ci zadanie własnymi słowami.",
        "شروع کرنے سے پہلے اپنے بچے سے کہیں کہ وہ آپ کو اپنے الفاظ میں کام سمجھائے۔",
    ),
    (
        "Find a quiet place and 30 minutes without a phone; check in halfway through.",
        "Znajdź ciche miejsce i 30 minut bez telefonu; zajrzyj do dziecka w połowie.",
        "ایک پرسکون جگہ اور فون کے بغیر 30 منٹ دیں؛ آدھے وقت پر حال پوچھیں۔",
    ),
    (
        "When they finish, ask them what was hardest and how they got past it.",
        "Gdy skończy, zapytaj, co było najtrudniejsze i jak sobie z tym poradziło.",
        "جب وہ ختم کر لیں تو پوچھیں کہ سب سے مشکل کیا تھا اور انہوں نے اسے کیسے حل کیا۔",
    ),
    (
        "You do not need to know the answers: praise effort, and let them teach you one thing.",
        "Nie musisz znać odpowiedzi: chwal wysiłek i poproś, by nauczyło Cię jednej rzeczy.",
        "آپ کو جوابات جاننے کی ضرورت نہیں: محنت کی تعریف کریں اور ان سے ایک چیز سیکھیں۔",
    ),
]
# Links for parents every department can point to (the unit's title to search for).
LINKS = [
    ("BBC Bitesize: search for this topic", "https://www.bbc.co.uk/bitesize"),
    ("Oak National Academy: lessons to watch together", "https://www.thenational.academy/pupils"),
]
UNITS_PER_HALF_TERM = 2


def demo_learning_build(*, school, rng, today: date, stdout) -> None:
    # Its own generator, seeded from the builder's without drawing from it, so the apps
    # built after this one get the same rows as before.
    notes = _help_notes(school, random.Random(hash(rng.getstate())), today)
    plans, links = _unit_plans(school, today)
    stdout.write(
        f"{school.name}: {notes} homework with a help note for parents, {plans} unit dates, "
        f"{links} unit links for parents.\n"
    )


def _help_notes(school, rng, today: date) -> int:
    """A note on about a third of the homework due from two weeks ago to three weeks on;
    every other note translated. One UPDATE per kind of note."""
    ids = list(
        Homework.objects.filter(
            school=school,
            status=Homework.Status.SET,
            due_at__date__gte=today - timedelta(days=14),
            due_at__date__lte=today + timedelta(days=21),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen: dict[tuple[int, bool], list[int]] = {}
    for pk in ids:
        if rng.random() < 1 / 3:
            chosen.setdefault((rng.randrange(len(HELP_NOTES)), rng.random() < 0.5), []).append(pk)
    for (note, translated), pks in chosen.items():
        english, polish, urdu = HELP_NOTES[note]
        Homework.objects.filter(pk__in=pks).update(
            help_at_home=english,
            help_at_home_pl=polish if translated else "",
            help_at_home_ur=urdu if translated else "",
        )
    return sum(len(pks) for pks in chosen.values())


def _half_terms(school, today: date) -> list[HalfTerm]:
    current = half_term_for(school.pk, today)
    if current is None:
        return []
    later = HalfTerm.objects.filter(school=school, start_date__gt=current.end_date).order_by(
        "start_date"
    )[:1]
    return [current, *later]


def _spans(half_terms: list[HalfTerm]) -> list[tuple[date, date]]:
    """Each half-term cut into UNITS_PER_HALF_TERM units of about equal length."""
    spans = []
    for half_term in half_terms:
        days = (half_term.end_date - half_term.start_date).days + 1
        step = days // UNITS_PER_HALF_TERM
        for n in range(UNITS_PER_HALF_TERM):
            start = half_term.start_date + timedelta(days=n * step)
            end = (
                half_term.end_date
                if n == UNITS_PER_HALF_TERM - 1
                else start + timedelta(days=step - 1)
            )
            spans.append((start, end))
    return spans


def _unit_plans(school, today: date) -> tuple[int, int]:
    """Every class of the year gets its subject and year's units in title order, one a
    span, through this half-term and the next; the dated units get the links."""
    spans = _spans(_half_terms(school, today))
    if not spans:
        return 0, 0
    units: dict[tuple[int, int], list[int]] = {}
    for unit in SchemeOfWorkUnit.objects.filter(school=school).order_by("title", "pk"):
        units.setdefault((unit.subject_id, unit.year_group_id), []).append(unit.pk)
    groups = TeachingGroup.objects.filter(school=school, archived_on__isnull=True).values_list(
        "pk", "subject_id", "year_group_id"
    )
    plans, dated = [], set()
    for group_id, subject_id, year_group_id in groups:
        course = units.get((subject_id, year_group_id), [])
        for unit_id, (start, end) in zip(course, spans, strict=False):
            plans.append(
                UnitPlan(
                    school=school,
                    teaching_group_id=group_id,
                    unit_id=unit_id,
                    starts_on=start,
                    ends_on=end,
                )
            )
            dated.add(unit_id)
    UnitPlan.objects.bulk_create(plans, batch_size=2000)
    links = [
        UnitResource(school=school, unit_id=unit_id, title=title, url=url)
        for unit_id in sorted(dated)
        for title, url in LINKS
    ]
    UnitResource.objects.bulk_create(links, batch_size=2000)
    return len(plans), len(links)


def demo_learning_delete(*, schools) -> None:
    school_ids = [school.pk for school in schools]
    UnitResource.objects.filter(school_id__in=school_ids).delete()
    UnitPlan.objects.filter(school_id__in=school_ids).delete()
