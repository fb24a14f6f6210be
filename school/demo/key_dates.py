"""The demo school's key dates for year groups (parents' evenings, information evenings,
mock exams, a concert for everyone), placed from `today` on so that families always have
some to come, on weekdays. Registered in SchoolConfig.ready(); two bulk writes a school."""

from datetime import date, time, timedelta

from ..models import KeyDate, YearGroup

Kind = KeyDate.Kind
# (days from today, days it lasts, kind, title, start, end, years; None: every year)
DATES = [
    (7, 1, Kind.PARENTS_EVENING, "Year 7 parents' evening", time(16, 0), time(19, 0), [7]),
    (
        10,
        1,
        Kind.INFORMATION_EVENING,
        "Sixth form and UCAS information evening",
        time(18, 0),
        time(19, 30),
        [12, 13],
    ),
    (
        14,
        1,
        Kind.INFORMATION_EVENING,
        "Year 9 options information evening",
        time(18, 0),
        time(19, 30),
        [9],
    ),
    (21, 5, Kind.EXAM, "Year 11 mock exams", None, None, [11]),
    (24, 1, Kind.OTHER, "Winter concert", time(18, 30), time(20, 0), None),
    (35, 1, Kind.PARENTS_EVENING, "Year 10 parents' evening", time(16, 0), time(19, 0), [10]),
    (45, 1, Kind.PARENTS_EVENING, "Year 8 parents' evening", time(16, 0), time(19, 0), [8]),
    (60, 3, Kind.EXAM, "Year 7 and 8 end-of-term assessments", None, None, [7, 8]),
]


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def demo_key_dates_build(*, school, rng, today: date, stdout) -> None:
    years = {year.number: year for year in YearGroup.objects.filter(school=school)}
    rows, wanted = [], []
    for offset, days, kind, title, start, end, numbers in DATES:
        chosen = [years[n] for n in (numbers or years) if n in years]
        if not chosen:
            continue
        first = _weekday(today + timedelta(days=offset))
        last = _weekday(first + timedelta(days=days - 1)) if days > 1 else None
        rows.append(
            KeyDate(
                school=school,
                kind=kind,
                title=title,
                date=first,
                ends_on=last,
                start_time=start,
                end_time=end,
                details="",
            )
        )
        wanted.append(chosen)
    KeyDate.objects.bulk_create(rows)
    Through = KeyDate.year_groups.through
    Through.objects.bulk_create(
        [
            Through(keydate_id=row.pk, yeargroup_id=year.pk)
            for row, chosen in zip(rows, wanted, strict=True)
            for year in chosen
        ]
    )
    stdout.write(f"{school.name}: {len(rows)} key dates for year groups.\n")


def demo_key_dates_delete(*, schools) -> None:
    KeyDate.objects.filter(school__in=schools).delete()
