"""Families' engagement (issue 17, "Measuring the partnership"): for each half-term and
the year, the share of families with a login, who opened the parents' pages, who signed
the year's home-school agreement, who signed off the week at least N times, who answered
the latest consultation that asked them, and the median time staff took to answer a
parent's new conversation. Each is split by pupil group and by the parent's language,
beside the group's share of families, with the by-group page's suppression of small
groups and a flag for groups the school is not reaching.

Every definition is here, beside the code that counts it; the report's page, CSV and PDF
show these texts. Three queries whatever the size of the school: the year's sent
consultations (1); the families, one row per guardian record with what each did, counted
with a FILTER per group, period and measure (1); the parents' conversations and their
first staff replies, a median per group and period (1)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from consultations.models import Consultation, Response
from consultations.selectors import pupils_in_audience
from parents.models import Agreement, PortalVisit, Signature, Thread, WeeklySignOff
from school.access import on_roll
from school.models import AcademicYear, Guardian, GuardianLink

from .base import percent
from .groups import ALL, CHARACTERISTICS, _hidden
from .periods import Period, day_starts

FAMILY = "Families' engagement"

# The pupil groups a family is split by (the by-group page's, less looked after: a looked
# after child's carer is the local authority's, not a family the portal reaches).
PUPIL_GROUPS = [
    (key, label, fields) for key, label, fields in CHARACTERISTICS if key != "looked_after"
]
# The parents' languages (Guardian.preferred_language), named in English for staff.
LANGUAGES = [
    (Guardian.Language.ENGLISH, "English"),
    (Guardian.Language.POLISH, "Polish"),
    (Guardian.Language.URDU, "Urdu"),
]

FAMILIES = (
    "A family is a parent or carer's record at the school (a guardian record, not erased) "
    "linked to at least one child on the school's roll on the period's last day; a parent "
    "with records at two schools of a trust is a family at each, and two parents of one "
    "child are two families. A family is in a pupil group when any of its children on "
    "roll then is in it (by the pupil's flags as the school's records give them now), so "
    "a family can be in several groups; it is in the group of its language by the "
    "language the school's records give for the parent (their preferred language). The "
    "families row shows each group's number of families and its share of all families."
)
ACCOUNTS = (
    "Families whose record is linked to a login to the parents' pages made by the end of "
    "the period's last day (the login's creation date; a record linked later to an older "
    "login counts from that login's date), as a share of the group's families."
)
OPENED = (
    "Families who opened any of the parents' pages on at least one day of the period (the "
    "portal records one visit per record and day, the school's date), as a share of the "
    "group's families. Visits older than the school's retention period for them are "
    "deleted and no longer count."
)
SIGNED = (
    "Families who signed a published version of the academic year's home-school "
    "agreement for at least one of their children by the end of the period, as a share "
    "of the group's families. Signing is never a condition of anything."
)
SIGNED_OFF = (
    "Families who signed off their child's week at least {weeks} times in the period (the "
    "school's setting; for the year, {year_weeks} times: the setting times the year's "
    "{half_terms} half-terms), as a share of the group's families. A week counts once "
    "however many of the family's children were signed off for it, and belongs to the "
    "period its Monday falls in."
)
CONSULTED = (
    "Families who answered the latest consultation that asked them: of the consultations "
    "of the academic year sent to families and opened by the period's last day, the "
    "newest whose audience includes the family (its pupils on roll on the day it opened), "
    "as a share of the group's families that any of them asked. A family no consultation "
    "asked counts in neither."
)
REPLY_TIME = (
    "The median time from a parent's first message in a conversation the parent started "
    "in the period to the first reply from staff (half the replies were quicker, half "
    "slower), with the number of conversations answered and started. A conversation is "
    "in a group when the child it is about is in it (on roll on the period's last day) "
    "and in the language group of the parent who wrote; one still unanswered is counted "
    "as started but not in the median. Messages older than the school's retention "
    "period for them are deleted and their conversations no longer count."
)
SUPPRESSION = (
    'A group with fewer than {n} families (the school\'s setting) shows "fewer than {n}" '
    "in place of every figure, so that no family can be identified; a pupil group is "
    "hidden too when the families outside it are fewer than {n}; languages add up to all "
    "families (a language no family has is left out), so when one is hidden the next "
    "smallest are hidden with it until at least two are hidden and they hold {n} "
    "families or more between them; and when the school has fewer than {n} families, "
    "every row is hidden."
)
FLAG = (
    "The ratio is the group's share divided by all families' share (1.00: the same). A "
    "group is flagged as not reached when its ratio is at or below 1 ÷ {flag_ratio} "
    "(the school's flag ratio: {reach}); for the time to answer, when its median is "
    "{flag_ratio} times all families' median or more."
)


SQLITE_MEDIAN = "engagement_median"


class _SqliteMedian:
    """PERCENTILE_CONT(0.5) for SQLite: the middle value, or the mean of the two middle."""

    def __init__(self):
        self.values = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        values = sorted(self.values)
        if not values:
            return None
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2


@dataclass(frozen=True)
class EngagementCell:
    count: int | None = None  # families who did it (a median: conversations answered)
    out_of: int = 0  # the group's families (a median: conversations started)
    share: float | None = None
    ratio: Fraction | None = None
    flagged: bool = False
    hidden: bool = False
    median: datetime.timedelta | None = None

    @property
    def ratio_text(self) -> str:
        return "" if self.ratio is None else f"{float(self.ratio):.2f}"

    @property
    def median_text(self) -> str:
        return "" if self.median is None else duration_words(self.median)


@dataclass(frozen=True)
class EngagementRow:
    key: str
    label: str
    is_all: bool
    cells: list[EngagementCell]


@dataclass(frozen=True)
class EngagementMeasure:
    key: str
    label: str
    definition: str
    kind: str  # "families", "share" or "median"
    rows: list[EngagementRow]


@dataclass
class Engagement:
    periods: list[Period]
    measures: list[EngagementMeasure]
    smallest_group: int
    flag_ratio: Decimal
    definitions: list[str] = field(default_factory=list)

    @property
    def hidden_text(self) -> str:
        return f"fewer than {self.smallest_group}"

    @property
    def flags(self) -> int:
        return sum(
            cell.flagged for measure in self.measures for row in measure.rows for cell in row.cells
        )

    def measure(self, key: str) -> EngagementMeasure:
        return next(m for m in self.measures if m.key == key)

    def cell_text(self, measure: EngagementMeasure, cell: EngagementCell) -> str:
        """A cell in words, as the CSV and the PDF print it."""
        if cell.hidden:
            return self.hidden_text
        if measure.kind == "median":
            if cell.median is None:
                return f"– (0 of {cell.out_of} answered)"
            return f"{duration_words(cell.median)} ({cell.count} of {cell.out_of} answered)"
        if measure.kind == "families":
            return f"{cell.count} ({cell.share}% of families)"
        if not cell.out_of:
            return "–"
        return f"{cell.count} of {cell.out_of} ({cell.share}%)"


def duration_words(delta: datetime.timedelta) -> str:
    """A time to answer as staff say it: "40 min", "5 h 10 min", "2 days 3 h"."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h"


# The groups: (key, label, the condition on a child that puts its family in the group, or
# the parent's language).
def _groups() -> list[tuple[str, str, dict | None, str | None]]:
    return [
        (ALL, "All families", {}, None),
        *((key, label, fields, None) for key, label, fields in PUPIL_GROUPS),
        *(("lang_" + code, f"Language: {name}", {}, code) for code, name in LANGUAGES),
    ]


def _child(fields: dict, prefix: str) -> Q:
    return Q(**{f"{prefix}__{name}": value for name, value in fields.items()})


def sent_consultations(year: AcademicYear) -> list[Consultation]:
    """The year's consultations sent to families, newest first (one query)."""
    return list(
        Consultation.objects.filter(
            school_id=year.school_id, academic_year=year, status=Consultation.Status.SENT
        ).order_by("-opens_on", "-pk")
    )


def _families(year: AcademicYear, periods: list[Period], consultations: list[Consultation]):
    """One row per guardian record of the school: for each group and period whether it is
    a family in the group (`f<g>_<p>`, children on roll counted through its links), and
    what it did (each a correlated look-up by the guardian's index)."""
    school_id = year.school_id
    guardian = OuterRef("pk")
    annotations = {}
    for g, (_, _, fields, _) in enumerate(_groups()):
        if g and not fields:
            continue  # a language group reads the All families column
        for p, period in enumerate(periods):
            annotations[f"f{g}_{p}"] = Count(
                "links",
                filter=on_roll(period.end, "links__pupil") & _child(fields, "links__pupil"),
            )
    annotations["login_at"] = F("user__date_joined")
    annotations["language"] = F("preferred_language")
    annotations["signed_at"] = Subquery(
        Signature.objects.filter(
            guardian_id=guardian,
            agreement__academic_year=year,
            agreement__status=Agreement.Status.PUBLISHED,
        )
        .order_by("signed_at")
        .values("signed_at")[:1]
    )
    for p, period in enumerate(periods):
        annotations[f"visited_{p}"] = Exists(
            PortalVisit.objects.filter(guardian_id=guardian).filter(period.within("day"))
        )
        annotations[f"weeks_{p}"] = Coalesce(
            Subquery(
                WeeklySignOff.objects.filter(guardian_id=guardian)
                .filter(period.within("week_start"))
                .order_by()
                .values("guardian_id")
                .annotate(n=Count("week_start", distinct=True))
                .values("n")
            ),
            Value(0),
        )
    for c, consultation in enumerate(consultations):
        # Who it asked (guardians_asked's rule: linked to a pupil in its audience), found
        # once as a set each row is looked up in; guardians_asked's own Exists per guardian
        # is planned as a probe per pupil and guardian (seconds on a school of 1,300).
        asked = GuardianLink.objects.filter(
            pupil__in=pupils_in_audience(consultation, day=consultation.opens_on)
        ).values("guardian_id")
        annotations[f"asked_{c}"] = ExpressionWrapper(Q(pk__in=asked), BooleanField())
        annotations[f"answered_{c}"] = Exists(
            Response.objects.filter(consultation_id=consultation.pk, guardian_id=guardian)
        )
    return (
        Guardian.objects.filter(school_id=school_id, erased_at__isnull=True)
        .annotate(**annotations)
        .order_by()
    )


def _consulted(periods: list[Period], consultations: list[Consultation], p: int):
    """(asked, answered) as SQL conditions for period `p`: asked by one of the
    consultations opened by its last day, and answered the newest of those that asked
    (CONSULTED); None when none had opened."""
    q = connection.ops.quote_name
    asked, answered, newer = [], [], []
    for c, consultation in enumerate(consultations):
        if consultation.opens_on > periods[p].end:
            continue
        this = q(f"asked_{c}")
        answered.append(" AND ".join([*newer, this, q(f"answered_{c}")]))
        asked.append(this)
        newer.append(f"NOT {this}")
    if not asked:
        return None, None
    return " OR ".join(asked), " OR ".join(f"({a})" for a in answered)


def _count(*conditions: tuple[str, list]) -> tuple[str, list]:
    """COUNT(*) of the inner rows meeting every condition ((SQL, params) each)."""
    where = " AND ".join(f"({sql})" for sql, _ in conditions)
    return f"COUNT(*) FILTER (WHERE {where})", [v for _, params in conditions for v in params]


def _median(conditions: list[tuple[str, list]]) -> tuple[str, list]:
    """The median time to answer (the `delay` column) of the rows meeting the conditions."""
    where = " AND ".join(f"({sql})" for sql, _ in conditions)
    params = [v for _, values in conditions for v in values]
    delay = connection.ops.quote_name("delay")
    if connection.vendor == "sqlite":  # no percentile there: the same median, in Python
        connection.ensure_connection()
        connection.connection.create_aggregate(SQLITE_MEDIAN, 1, _SqliteMedian)
        return f"{SQLITE_MEDIAN}({delay}) FILTER (WHERE {where})", params
    return f"PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY {delay}) FILTER (WHERE {where})", params


def _duration(value) -> datetime.timedelta:
    """PostgreSQL gives an interval; SQLite, microseconds (Django's duration there)."""
    if isinstance(value, datetime.timedelta):
        return value
    return datetime.timedelta(microseconds=value)


def _select(inner, aggregates: dict[str, tuple[str, list]]) -> dict:
    """One query: each named aggregate (SQL over the columns of `inner`, Django's query of
    one row per guardian or conversation). Written as SQL around the compiled inner query:
    Django's own aggregate() over an annotated query spent seconds in Python rewriting
    the hundreds of FILTERs before the database saw them."""
    sql, params = inner.query.sql_with_params()
    names = list(aggregates)
    select = ", ".join(f"{aggregates[n][0]} AS {connection.ops.quote_name(n)}" for n in names)
    outer_params = [v for n in names for v in aggregates[n][1]]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM ({sql}) inner_rows", [*outer_params, *params])
        row = cursor.fetchone()
    return {
        name: (0 if value is None and not name.startswith("median") else value)
        for name, value in zip(names, row, strict=True)
    }


def _threads(year: AcademicYear):
    """The parents' conversations of the year with the first staff reply to each."""
    since, until = day_starts(year.start_date, year.end_date)
    return (
        Thread.objects.filter(
            school_id=year.school_id,
            guardian__erased_at__isnull=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .annotate(
            started=F("created_at"),
            replied=Min("messages__sent_at", filter=Q(messages__from_guardian=False)),
            delay=ExpressionWrapper(F("replied") - F("created_at"), output_field=DurationField()),
            language=F("guardian__preferred_language"),
            left_on=F("pupil__left_on"),
            **{
                f"child_{key}": ExpressionWrapper(_child(fields, "pupil"), BooleanField())
                for key, _, fields in PUPIL_GROUPS
            },
        )
        .order_by()
    )


def family_engagement(year: AcademicYear, periods: list[Period], *, settings) -> Engagement:
    """Every engagement measure for each of `periods` (the report's columns), split by
    group (three queries)."""
    consultations = sent_consultations(year)
    groups = _groups()
    half_terms = sum(not period.is_year for period in periods) or 1
    weeks = settings.sign_off_weeks
    ends = [day_starts(period.start, period.end)[1] for period in periods]

    q = connection.ops.quote_name
    moment, day = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value

    def family(g: int, p: int) -> tuple[str, list]:
        _, _, _, language = groups[g]
        if language:
            return f"{q(f'f0_{p}')} > 0 AND {q('language')} = %s", [language]
        return f"{q(f'f{g}_{p}')} > 0", []

    def signed_off(p: int) -> tuple[str, list]:
        return f"{q(f'weeks_{p}')} >= %s", [weeks * (half_terms if periods[p].is_year else 1)]

    done = {
        "accounts": lambda p: (f"{q('login_at')} < %s", [moment(ends[p])]),
        "opened": lambda p: (q(f"visited_{p}"), []),
        "signed": lambda p: (f"{q('signed_at')} < %s", [moment(ends[p])]),
        "signed_off": signed_off,
    }
    counts = {}
    for g in range(len(groups)):
        for p in range(len(periods)):
            counts[f"n{g}_{p}"] = _count(family(g, p))
            for key, condition in done.items():
                counts[f"{key}{g}_{p}"] = _count(family(g, p), condition(p))
            asked, answered = _consulted(periods, consultations, p)
            if asked is not None:
                counts[f"asked{g}_{p}"] = _count(family(g, p), (asked, []))
                counts[f"answered{g}_{p}"] = _count(family(g, p), (answered, []))
    counted = defaultdict(int, _select(_families(year, periods, consultations), counts))

    replies = {}
    for g, (key, _, fields, language) in enumerate(groups):
        for p, period in enumerate(periods):
            since, until = day_starts(period.start, period.end)
            condition = [
                (f"{q('started')} >= %s AND {q('started')} < %s", [moment(since), moment(until)]),
                (f"({q('left_on')} IS NULL OR {q('left_on')} > %s)", [day(period.end)]),
            ]
            if fields:
                condition.append((q(f"child_{key}"), []))
            if language:
                condition.append((f"{q('language')} = %s", [language]))
            answered = [*condition, (f"{q('delay')} IS NOT NULL", [])]
            replies[f"median{g}_{p}"] = _median(answered)
            replies[f"answered{g}_{p}"] = _count(*answered)
            replies[f"started{g}_{p}"] = _count(*condition)
    timed = _select(_threads(year), replies)
    for name, value in timed.items():
        if name.startswith("median") and value is not None:
            timed[name] = _duration(value)

    smallest, flag_ratio = settings.smallest_group, settings.flag_ratio
    hidden = []
    for p in range(len(periods)):
        total = counted[f"n0_{p}"]
        pupil_groups = [
            (groups[g][0], counted[f"n{g}_{p}"]) for g in range(1, len(PUPIL_GROUPS) + 1)
        ]
        # A language no family speaks is no group (as a year group with no pupil left).
        languages = [
            (groups[g][0], counted[f"n{g}_{p}"])
            for g in range(len(PUPIL_GROUPS) + 1, len(groups))
            if counted[f"n{g}_{p}"]
        ]
        hidden.append(
            _hidden(pupil_groups, smallest, total, partition=False)
            | _hidden(languages, smallest, total, partition=True)
        )

    def rows_of(cell) -> list[EngagementRow]:
        """Each group's row, a cell a period (`cell(g, p)`), hidden where the group is."""
        return [
            EngagementRow(
                group_key,
                label,
                not g,
                [
                    EngagementCell(hidden=True) if group_key in hidden[p] else cell(g, p)
                    for p in range(len(periods))
                ],
            )
            for g, (group_key, label, _, _) in enumerate(groups)
        ]

    def share_rows(key: str) -> list[EngagementRow]:
        of = "n" if key != "answered" else "asked"

        def cell(g, p):
            count, out_of = counted[f"{key}{g}_{p}"], counted[f"{of}{g}_{p}"]
            school_count, school_of = counted[f"{key}0_{p}"], counted[f"{of}0_{p}"]
            ratio = None
            if g and out_of and school_count:
                ratio = Fraction(count, out_of) / Fraction(school_count, school_of)
            return EngagementCell(
                count,
                out_of,
                percent(count, out_of),
                ratio,
                flagged=ratio is not None and ratio * Fraction(flag_ratio) <= 1,
            )

        return rows_of(cell)

    def family_rows() -> list[EngagementRow]:
        def cell(g, p):
            count, total = counted[f"n{g}_{p}"], counted[f"n0_{p}"]
            return EngagementCell(count, total, percent(count, total))

        return rows_of(cell)

    def median_rows() -> list[EngagementRow]:
        def cell(g, p):
            median, school = timed[f"median{g}_{p}"], timed[f"median0_{p}"]
            ratio = None
            if g and median is not None and school:
                ratio = Fraction(median.total_seconds()) / Fraction(school.total_seconds())
            return EngagementCell(
                timed[f"answered{g}_{p}"],
                timed[f"started{g}_{p}"],
                median=median,
                ratio=ratio,
                flagged=ratio is not None and ratio >= Fraction(flag_ratio),
            )

        return rows_of(cell)

    year_weeks = weeks * half_terms
    measures = [
        EngagementMeasure("families", "Families", FAMILIES, "families", family_rows()),
        EngagementMeasure(
            "accounts", "Families with a login", ACCOUNTS, "share", share_rows("accounts")
        ),
        EngagementMeasure(
            "opened", "Opened the parents' pages", OPENED, "share", share_rows("opened")
        ),
        EngagementMeasure(
            "signed", "Signed the home-school agreement", SIGNED, "share", share_rows("signed")
        ),
        EngagementMeasure(
            "signed_off",
            f"Signed off the week at least {weeks} times",
            SIGNED_OFF.format(weeks=weeks, year_weeks=year_weeks, half_terms=half_terms),
            "share",
            share_rows("signed_off"),
        ),
        EngagementMeasure(
            "consulted",
            "Answered the latest consultation",
            CONSULTED,
            "share",
            share_rows("answered"),
        ),
        EngagementMeasure(
            "reply_time", "Median time to answer a parent", REPLY_TIME, "median", median_rows()
        ),
    ]
    reach = f"{float(1 / Fraction(flag_ratio)):.2f}"
    return Engagement(
        periods,
        measures,
        smallest,
        flag_ratio,
        [
            SUPPRESSION.format(n=smallest),
            FLAG.format(flag_ratio=flag_ratio.normalize(), reach=reach),
        ],
    )
