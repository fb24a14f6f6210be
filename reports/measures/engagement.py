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

from django.db.models import (
    Aggregate,
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
from consultations.selectors import guardians_asked
from parents.models import Agreement, PortalVisit, Signature, Thread, WeeklySignOff
from school.access import on_roll
from school.models import AcademicYear, Guardian

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


class Median(Aggregate):
    """The median (PostgreSQL's continuous percentile, 0.5) of the rows it is given."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


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
                .values("guardian_id")
                .annotate(n=Count("week_start", distinct=True))
                .values("n")
            ),
            Value(0),
        )
    for c, consultation in enumerate(consultations):
        annotations[f"asked_{c}"] = Exists(
            guardians_asked(consultation, day=consultation.opens_on).filter(pk=guardian)
        )
        annotations[f"answered_{c}"] = Exists(
            Response.objects.filter(consultation_id=consultation.pk, guardian_id=guardian)
        )
    return (
        Guardian.objects.filter(school_id=school_id, erased_at__isnull=True)
        .annotate(**annotations)
        .order_by()
    )


def _consulted(periods: list[Period], consultations: list[Consultation], p: int):
    """(asked, answered) for period `p`: asked by one of the consultations opened by its
    last day, and answered the newest of those that asked (CONSULTED); None when none
    had opened."""
    asked = answered = None
    newer = Q()
    for c, consultation in enumerate(consultations):
        if consultation.opens_on > periods[p].end:
            continue
        this = Q(**{f"asked_{c}": True})
        newest = newer & this & Q(**{f"answered_{c}": True})
        answered = newest if answered is None else answered | newest
        asked = this if asked is None else asked | this
        newer &= Q(**{f"asked_{c}": False})
    return asked, answered


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
            language=F("guardian__preferred_language"),
            left_on=F("pupil__left_on"),
            **{
                f"child_{key}": ExpressionWrapper(_child(fields, "pupil"), BooleanField())
                for key, _, fields in PUPIL_GROUPS
            },
        )
        .order_by()
    )


def _thread_condition(period: Period, key: str, fields: dict, language: str | None) -> Q:
    since, until = day_starts(period.start, period.end)
    condition = Q(started__gte=since, started__lt=until) & (
        Q(left_on__isnull=True) | Q(left_on__gt=period.end)
    )
    if fields:
        condition &= Q(**{f"child_{key}": True})
    if language:
        condition &= Q(language=language)
    return condition


def family_engagement(year: AcademicYear, periods: list[Period], *, settings) -> Engagement:
    """Every engagement measure for each of `periods` (the report's columns), split by
    group (three queries)."""
    consultations = sent_consultations(year)
    groups = _groups()
    half_terms = sum(not period.is_year for period in periods) or 1
    weeks = settings.sign_off_weeks
    ends = [day_starts(period.start, period.end)[1] for period in periods]

    def family(g: int, p: int) -> Q:
        _, _, fields, language = groups[g]
        if language:
            return Q(**{f"f0_{p}__gt": 0, "language": language})
        return Q(**{f"f{g}_{p}__gt": 0})

    done = {
        "accounts": lambda p: Q(login_at__lt=ends[p]),
        "opened": lambda p: Q(**{f"visited_{p}": True}),
        "signed": lambda p: Q(signed_at__lt=ends[p]),
        "signed_off": lambda p: Q(
            **{f"weeks_{p}__gte": weeks * (half_terms if periods[p].is_year else 1)}
        ),
    }
    aggregates = {}
    for g in range(len(groups)):
        for p in range(len(periods)):
            aggregates[f"n{g}_{p}"] = Count("pk", filter=family(g, p))
            for key, condition in done.items():
                aggregates[f"{key}{g}_{p}"] = Count("pk", filter=family(g, p) & condition(p))
            asked, answered = _consulted(periods, consultations, p)
            if asked is not None:
                aggregates[f"asked{g}_{p}"] = Count("pk", filter=family(g, p) & asked)
                aggregates[f"answered{g}_{p}"] = Count("pk", filter=family(g, p) & answered)
    counted = _families(year, periods, consultations).aggregate(**aggregates)
    counted = {key: value or 0 for key, value in counted.items()}
    counted = defaultdict(int, counted)  # no consultation opened yet: none asked

    replies = {}
    delay = ExpressionWrapper(F("replied") - F("started"), output_field=DurationField())
    for g, (key, _, fields, language) in enumerate(groups):
        for p, period in enumerate(periods):
            condition = _thread_condition(period, key, fields, language)
            replies[f"median{g}_{p}"] = Median(
                delay, filter=condition & Q(replied__isnull=False), output_field=DurationField()
            )
            replies[f"answered{g}_{p}"] = Count("pk", filter=condition & Q(replied__isnull=False))
            replies[f"started{g}_{p}"] = Count("pk", filter=condition)
    timed = _threads(year).aggregate(**replies)

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

    def share_rows(key: str) -> list[EngagementRow]:
        rows = []
        for g, (group_key, label, _, _) in enumerate(groups):
            cells = []
            for p in range(len(periods)):
                if group_key in hidden[p]:
                    cells.append(EngagementCell(hidden=True))
                    continue
                of = "n" if key != "answered" else "asked"
                count, out_of = counted[f"{key}{g}_{p}"], counted[f"{of}{g}_{p}"]
                school_count, school_of = counted[f"{key}0_{p}"], counted[f"{of}0_{p}"]
                ratio = None
                if g and out_of and school_count:
                    ratio = Fraction(count, out_of) / Fraction(school_count, school_of)
                cells.append(
                    EngagementCell(
                        count,
                        out_of,
                        percent(count, out_of),
                        ratio,
                        flagged=ratio is not None and ratio * Fraction(flag_ratio) <= 1,
                    )
                )
            rows.append(EngagementRow(group_key, label, not g, cells))
        return rows

    def family_rows() -> list[EngagementRow]:
        rows = []
        for g, (group_key, label, _, _) in enumerate(groups):
            cells = []
            for p in range(len(periods)):
                if group_key in hidden[p]:
                    cells.append(EngagementCell(hidden=True))
                    continue
                count, total = counted[f"n{g}_{p}"], counted[f"n0_{p}"]
                cells.append(EngagementCell(count, total, percent(count, total)))
            rows.append(EngagementRow(group_key, label, not g, cells))
        return rows

    def median_rows() -> list[EngagementRow]:
        rows = []
        for g, (group_key, label, _, _) in enumerate(groups):
            cells = []
            for p in range(len(periods)):
                if group_key in hidden[p]:
                    cells.append(EngagementCell(hidden=True))
                    continue
                median, school = timed[f"median{g}_{p}"], timed[f"median0_{p}"]
                ratio = None
                if g and median is not None and school:
                    ratio = Fraction(median.total_seconds()) / Fraction(school.total_seconds())
                cells.append(
                    EngagementCell(
                        timed[f"answered{g}_{p}"],
                        timed[f"started{g}_{p}"],
                        median=median,
                        ratio=ratio,
                        flagged=ratio is not None and ratio >= Fraction(flag_ratio),
                    )
                )
            rows.append(EngagementRow(group_key, label, not g, cells))
        return rows

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
