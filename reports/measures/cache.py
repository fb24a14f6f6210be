"""The report's figures, kept (in the cache: Redis in production) until the school's data
they are counted from changes, and never a moment longer.

Every write to a table a measure reads leaves a mark: PostgreSQL triggers (installed
after each migrate, `changes_install`) add a row to `reports_data_change` for each school
whose rows a statement inserted, changed or deleted, in the statement's own transaction.
So a write that commits has left its mark, a write rolled back has not, and bulk writes,
imports and the admin leave it as any page's write does: nothing can change a figure
without changing the marks. The marks are read with the report's half-terms (no query of
their own): per table, the sum of the school's marks' weights and the last mark's id. A
unit of figures (a family of measures, or all of seed 001's) is kept under a key made of
the marks of the tables it reads (its `sources`, checked by tests/reports/
test_half_term_cache.py against what its queries read), the year, today (the club
measures count sessions up to today) and the code of the measures: a later write to any
of those tables makes a new key, so a stale figure is never shown.

The marks are only ever added (one per writing statement and school, so no two writers
wait for each other) or, when a school has many, folded into one carrying their total
weight; the sum therefore grows with every committed write and never comes back to an
earlier value, and the last id tells apart a state reached again after a rollback. A
table without a school column (say the guardians' links) marks school 0, which every
school reads. Entries also expire after KEEP seconds, as a bound on what no mark can
tell (a database restored from a backup), and without PostgreSQL nothing is kept."""

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.cache import cache
from django.db import connection, connections
from django.db.models import TextField
from django.db.models.expressions import RawSQL

logger = logging.getLogger(__name__)

TABLE = "reports_data_change"
KEEP = 15 * 60
# Marks per school and table before they are folded into one.
FOLD_AFTER = 100
EVERY_SCHOOL = 0

# The tables seed 001's measures read (reports/measures/*.py, as "app_label.Model"); a
# family added to half_term_report adds its own here (a test fails until it does).
HALF_TERM_SOURCES = (
    "school.School",
    "school.AcademicYear",
    "school.HalfTerm",
    "school.Pupil",
    "school.YearGroup",
    "school.Subject",
    "school.TeachingGroup",
    "sanctions.Miss",
    "sanctions.Sanction",
    "sanctions.DetentionSession",
    "sanctions.DetentionBooking",
    "sanctions.Meeting",
    "homework.Homework",
    "homework.Assignment",
    "homework.FrequencyRule",
    "clubs.Club",
    "clubs.ClubSession",
    "clubs.Attendance",
    "reports.ScrutinyCriterion",
    "reports.ScrutinySample",
    "reports.ScrutinyReview",
    "reports.ScrutinyRating",
)
# Families' engagement (reports/measures/engagement.py), counted by the report's view.
ENGAGEMENT_SOURCES = (
    "school.School",
    "school.AcademicYear",
    "school.HalfTerm",
    "school.Pupil",
    "school.YearGroup",
    "school.Guardian",
    "school.GuardianLink",
    "school.User",
    "parents.PortalVisit",
    "parents.Agreement",
    "parents.Signature",
    "parents.WeeklySignOff",
    "parents.Thread",
    "parents.Message",
    "consultations.Consultation",
    "consultations.Response",
    "reports.ReportSettings",
)
# Every unit kept, by name: each of their tables is marked (a new unit adds itself here).
UNITS = {"half-term": HALF_TERM_SOURCES, "engagement": ENGAGEMENT_SOURCES}


def tables_of(sources) -> list[str]:
    tables = set()
    for source in sources:
        try:
            tables.add(apps.get_model(source)._meta.db_table)
        except LookupError:  # an app not installed here: nothing of it to count
            continue
    return sorted(tables)


def marked_tables() -> list[str]:
    return tables_of({source for sources in UNITS.values() for source in sources})


def _code() -> str:
    """The measures' code and the report's templates: figures counted or parts rendered
    by other code are never reused."""
    reports = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(
        [
            *reports.glob("measures/*.py"),
            *reports.glob("charts.py"),
            *(reports.parent / "templates" / "reports").rglob("*.html"),
        ]
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code()


# Reading the marks -----------------------------------------------------------------------


def enabled() -> bool:
    return connection.vendor == "postgresql"


def marks_sql(school_id: int) -> RawSQL:
    """The school's marks per table as JSON ({table: [weight, last id]}), for annotating
    a query the report makes anyway (its half-terms)."""
    return RawSQL(_MARKS, (school_id,), output_field=TextField())


# The marks' table's own id comes first: a database made again (a test run's, or one
# restored from a backup) starts its marks again, but never under the same table id.
_MARKS = f"""(SELECT json_build_array('{TABLE}'::regclass::oid,
                  COALESCE(json_object_agg(m.table_name,
                  json_build_array(m.weight, m.last, m.marks)), '{{}}'::json))::text
            FROM (SELECT table_name, SUM(weight) AS weight, MAX(id) AS last, COUNT(*) AS marks
                  FROM {TABLE} WHERE school_id IN (%s, {EVERY_SCHOOL}) GROUP BY table_name) m)"""  # noqa: S608 - constants only


def marks_read(school_id: int) -> str:
    """The school's marks in a query of their own (a year recording no half-terms)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_MARKS}", [school_id])  # noqa: S608 - constants only
        return cursor.fetchone()[0]


@dataclass
class Marks:
    """What the school's data looked like when the report began: the key to its figures."""

    school_id: int
    by_table: dict | None  # None: nothing is kept (no PostgreSQL)
    epoch: int = 0

    def key(self, unit: str, sources, parts: tuple) -> str:
        marks = [(table, self.by_table.get(table)) for table in tables_of(sources)]
        text = repr((CODE, self.epoch, unit, self.school_id, parts, marks))
        return f"reports:figures:{hashlib.sha256(text.encode()).hexdigest()}"

    def cached(self, unit: str, sources, parts: tuple, compute: Callable):
        """The unit's figures, as kept since its tables last changed, else `compute()`d
        (and kept). The cache being down only costs the time to count."""
        if self.by_table is None:
            return compute()
        key = self.key(unit, sources, parts)
        try:
            found = cache.get(key)
        except Exception:  # noqa: BLE001 - counting again is always right
            logger.warning("The report cache could not be read.", exc_info=True)
            found = None
        if found is not None:
            return found
        figures = compute()
        try:
            cache.set(key, figures, KEEP)
        except Exception:  # noqa: BLE001
            logger.warning("The report cache could not be written.", exc_info=True)
        self._fold()
        return figures

    def _fold(self) -> None:
        """Fold a school's many marks of a table into one of the same total weight."""
        for table, (_weight, _last, count) in self.by_table.items():
            if count > FOLD_AFTER:
                marks_fold(self.school_id, table)
                marks_fold(EVERY_SCHOOL, table)


def marks_of(rows: list, school_id: int) -> Marks:
    """The marks read with the report's half-terms (`rows` annotated with `marks_sql`)."""
    if not enabled():
        return Marks(school_id, None)
    epoch, by_table = json.loads(rows[0].marks if rows else marks_read(school_id))
    return Marks(school_id, by_table, epoch)


def marks_fold(school_id: int, table: str) -> None:
    """Replace the school's marks of `table` by one carrying their total weight: the sum
    the keys read stays what it was (marks written meanwhile by open transactions are not
    visible here, so not deleted, and add their weight when they commit)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH gone AS (DELETE FROM {TABLE} WHERE school_id = %s AND table_name = %s
                              RETURNING weight)
                INSERT INTO {TABLE} (school_id, table_name, weight)
                SELECT %s, %s, SUM(weight) FROM gone HAVING COUNT(*) > 0""",  # noqa: S608
            [school_id, table, school_id, table],
        )


# Installing the marks (after each migrate) ---------------------------------------------

# A writing statement folds its table's marks, every school's, once in FOLD_CHANCE times
# (a school whose report nobody reads keeps few marks too); rows another fold holds are
# skipped, never waited for, so a write never waits on another because of its marks.
FOLD_CHANCE = 0.002

_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reports_marks_fold(marked text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF random() < COALESCE(
        NULLIF(current_setting('reports.fold_chance', true), '')::float, {FOLD_CHANCE}
    ) THEN
        WITH gone AS (
            DELETE FROM {TABLE} WHERE id IN (
                SELECT id FROM {TABLE} WHERE table_name = marked FOR UPDATE SKIP LOCKED)
            RETURNING school_id, weight)
        INSERT INTO {TABLE} (school_id, table_name, weight)
        SELECT school_id, marked, SUM(weight) FROM gone GROUP BY school_id;
    END IF;
END $$;
CREATE OR REPLACE FUNCTION reports_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO {TABLE} (school_id, table_name)
        SELECT DISTINCT COALESCE(school_id, {EVERY_SCHOOL}), TG_TABLE_NAME FROM old_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO {TABLE} (school_id, table_name)
        SELECT COALESCE(school_id, {EVERY_SCHOOL}), TG_TABLE_NAME FROM new_rows
        UNION SELECT COALESCE(school_id, {EVERY_SCHOOL}), TG_TABLE_NAME FROM old_rows;
    ELSE
        INSERT INTO {TABLE} (school_id, table_name)
        SELECT DISTINCT COALESCE(school_id, {EVERY_SCHOOL}), TG_TABLE_NAME FROM new_rows;
    END IF;
    PERFORM reports_marks_fold(TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION reports_data_changed_everywhere() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (school_id, table_name) VALUES ({EVERY_SCHOOL}, TG_TABLE_NAME);
    PERFORM reports_marks_fold(TG_TABLE_NAME);
    RETURN NULL;
END $$;
"""


def _has_school(cursor, table: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s "
        "AND column_name = 'school_id' AND table_schema = current_schema()",
        [table],
    )
    return cursor.fetchone() is not None


def changes_install(using: str = "default", **kwargs) -> None:
    """Create the marks' table and a trigger on every marked table (idempotent; run
    after each migrate, so a table a new unit reads is marked from its first deploy)."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    tables = marked_tables()
    signature = hashlib.sha256(repr((_FUNCTION, tables)).encode()).hexdigest()
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(to_regprocedure('reports_data_changed()'), 'pg_proc')"
        )
        row = cursor.fetchone()
        # Every marked table keeps its four triggers (a table made again has none).
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'reports_marks_%%' AND c.relname = ANY(%s) "
            "AND to_regclass(%s) IS NOT NULL",
            [tables, TABLE],
        )
        if row is not None and row[0] == signature and cursor.fetchone()[0] == 4 * len(tables):
            return
        cursor.execute(
            f"""CREATE TABLE IF NOT EXISTS {TABLE} (
                    id bigserial PRIMARY KEY,
                    school_id bigint NOT NULL,
                    table_name text NOT NULL,
                    weight bigint NOT NULL DEFAULT 1);
                CREATE INDEX IF NOT EXISTS {TABLE}_school
                    ON {TABLE} (school_id, table_name) INCLUDE (weight);"""
        )
        cursor.execute(_FUNCTION)
        for table in tables:
            with_school = _has_school(cursor, table)
            for event in ("INSERT", "UPDATE", "DELETE"):
                name = f"reports_marks_{event.lower()}"
                if with_school:
                    rows = {
                        "INSERT": "NEW TABLE AS new_rows",
                        "UPDATE": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
                        "DELETE": "OLD TABLE AS old_rows",
                    }[event]
                    action = f"REFERENCING {rows} FOR EACH STATEMENT "
                    action += "EXECUTE FUNCTION reports_data_changed()"
                else:
                    action = "FOR EACH STATEMENT EXECUTE FUNCTION reports_data_changed_everywhere()"
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER {name} AFTER {event} ON "{table}" {action}'
                )
            cursor.execute(
                f'CREATE OR REPLACE TRIGGER reports_marks_truncate AFTER TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION reports_data_changed_everywhere()"
            )
        cursor.execute(f"COMMENT ON FUNCTION reports_data_changed() IS '{signature}'")
