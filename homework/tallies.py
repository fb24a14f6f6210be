"""Each homework's tally (HomeworkTally): the pupils who handed it in and, of those, the
ones whose work came back with written feedback, kept by the database itself.

Triggers on the assignments add and take away what each statement changes, in the
statement's own transaction, so every write path (the pupils' and teachers' pages, bulk
updates, imports, retention and erasure, the admin, a shell) keeps the tally right, and a
write rolled back leaves it as it was. Two writers of the same homework's assignments
each add their own difference to the row (`x = x + d`, re-read after the other commits),
so neither loses the other's; a statement touching several homework locks their tallies
in the order of their ids, so two such statements never wait for each other in a circle.
A homework's tally row is made by a trigger when the homework is inserted; deleting the
homework deletes it.

The triggers are (re)installed after each migrate (`tallies_install`, idempotent): a
table SQLite makes again in a migration loses its triggers, and then every tally is
counted again from the assignments before anything else is written."""

import hashlib

from django.db import connections, transaction

from .models import Assignment, Homework, HomeworkTally

# Work handed in (homework/selectors/marking.py HANDED_IN; a test keeps them the same).
HANDED_IN_STATUSES = (Assignment.Status.SUBMITTED.value, Assignment.Status.PAPER.value)

TALLY = HomeworkTally._meta.db_table
ASSIGNMENT = Assignment._meta.db_table
HOMEWORK = Homework._meta.db_table
_STATUSES = ", ".join(f"'{status}'" for status in HANDED_IN_STATUSES)


def _handed_in(row: str) -> str:
    return f"{row}.status IN ({_STATUSES})"


def _with_feedback(row: str) -> str:
    return f"({_handed_in(row)} AND {row}.returned_at IS NOT NULL AND {row}.feedback <> '')"


# PostgreSQL: statement-level triggers reading the statement's rows (transition tables).
_PG_DELTAS = {
    "INSERT": f"""SELECT r.homework_id, 1 AS h,
                         CASE WHEN {_with_feedback("r")} THEN 1 ELSE 0 END AS f
                  FROM new_rows r WHERE {_handed_in("r")}""",
    "DELETE": f"""SELECT r.homework_id, -1 AS h,
                         CASE WHEN {_with_feedback("r")} THEN -1 ELSE 0 END AS f
                  FROM old_rows r WHERE {_handed_in("r")}""",
}
_PG_DELTAS["UPDATE"] = f"{_PG_DELTAS['INSERT']} UNION ALL {_PG_DELTAS['DELETE']}"
_PG_LOOP = """FOR d IN SELECT homework_id, SUM(h) AS h, SUM(f) AS f FROM ({deltas}) AS c
                   GROUP BY homework_id HAVING SUM(h) <> 0 OR SUM(f) <> 0
                   ORDER BY homework_id LOOP
                UPDATE {tally} SET handed_in = handed_in + d.h,
                                   returned_with_feedback = returned_with_feedback + d.f
                 WHERE homework_id = d.homework_id;
            END LOOP;"""
_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION homework_tally_assignments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE d record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_PG_LOOP.format(deltas=_PG_DELTAS["INSERT"], tally=TALLY)}
    ELSIF TG_OP = 'DELETE' THEN
        {_PG_LOOP.format(deltas=_PG_DELTAS["DELETE"], tally=TALLY)}
    ELSE
        {_PG_LOOP.format(deltas=_PG_DELTAS["UPDATE"], tally=TALLY)}
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION homework_tally_homework() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TALLY} (homework_id, school_id, handed_in, returned_with_feedback)
    SELECT id, school_id, 0, 0 FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
"""
_PG_TRIGGERS = {
    "homework_tally_insert": (
        ASSIGNMENT,
        "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION homework_tally_assignments()",
    ),
    "homework_tally_update": (
        ASSIGNMENT,
        "AFTER UPDATE ON {table} REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION homework_tally_assignments()",
    ),
    "homework_tally_delete": (
        ASSIGNMENT,
        "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION homework_tally_assignments()",
    ),
    "homework_tally_new": (
        HOMEWORK,
        "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION homework_tally_homework()",
    ),
}


# SQLite (the settings' default): row-level triggers (a boolean there is 0 or 1).
def _sqlite_add(row: str, sign: str) -> str:
    return (
        f"UPDATE {TALLY} SET handed_in = handed_in {sign} ({_handed_in(row)}), "
        f"returned_with_feedback = returned_with_feedback {sign} {_with_feedback(row)} "
        f"WHERE homework_id = {row}.homework_id;"
    )


_SQLITE_TRIGGERS = {
    "homework_tally_insert": (
        ASSIGNMENT,
        f"AFTER INSERT ON {{table}} BEGIN {_sqlite_add('NEW', '+')} END",
    ),
    "homework_tally_update": (
        ASSIGNMENT,
        f"AFTER UPDATE ON {{table}} BEGIN {_sqlite_add('OLD', '-')} {_sqlite_add('NEW', '+')} END",
    ),
    "homework_tally_delete": (
        ASSIGNMENT,
        f"AFTER DELETE ON {{table}} BEGIN {_sqlite_add('OLD', '-')} END",
    ),
    "homework_tally_new": (
        HOMEWORK,
        f"AFTER INSERT ON {{table}} BEGIN INSERT OR IGNORE INTO {TALLY} "
        "(homework_id, school_id, handed_in, returned_with_feedback) "
        "VALUES (NEW.id, NEW.school_id, 0, 0); END",
    ),
}

# Every tally counted again from the assignments (a row made for any homework without).
_RECOUNT = [
    f"""INSERT INTO {TALLY} (homework_id, school_id, handed_in, returned_with_feedback)
        SELECT h.id, h.school_id, 0, 0 FROM {HOMEWORK} h
        WHERE NOT EXISTS (SELECT 1 FROM {TALLY} t WHERE t.homework_id = h.id)""",
    f"""UPDATE {TALLY} SET
        handed_in = (SELECT COUNT(*) FROM {ASSIGNMENT} a
                     WHERE a.homework_id = {TALLY}.homework_id AND {_handed_in("a")}),
        returned_with_feedback = (SELECT COUNT(*) FROM {ASSIGNMENT} a
                     WHERE a.homework_id = {TALLY}.homework_id AND {_with_feedback("a")})""",
]

_SIGNATURE = hashlib.sha256(
    repr((_PG_FUNCTIONS, _PG_TRIGGERS, _SQLITE_TRIGGERS, _RECOUNT)).encode()
).hexdigest()[:16]


def _installed(cursor, vendor: str) -> bool:
    """Whether every trigger of this code is in place."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
            [list(_PG_TRIGGERS)],
        )
        if cursor.fetchone()[0] != len(_PG_TRIGGERS):
            return False
        cursor.execute(
            "SELECT obj_description(to_regprocedure('homework_tally_assignments()'), 'pg_proc')"
        )
        return cursor.fetchone()[0] == _SIGNATURE
    cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    return _sqlite_statements().items() <= dict(cursor.fetchall()).items()


def _sqlite_statements() -> dict[str, str]:
    return {
        name: f"CREATE TRIGGER {name} {body.format(table=table)}"
        for name, (table, body) in _SQLITE_TRIGGERS.items()
    }


def tallies_install(using: str = "default", **kwargs) -> None:
    """Install the triggers when any is missing or out of date, and then count every
    tally again, in one transaction with the assignments locked against writers."""
    db = connections[using]
    if db.vendor not in ("postgresql", "sqlite"):
        return
    if TALLY not in db.introspection.table_names():
        return  # migrated to a point before the tallies
    with transaction.atomic(using=using), db.cursor() as cursor:
        if _installed(cursor, db.vendor):
            return
        if db.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {ASSIGNMENT}, {HOMEWORK} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(_PG_FUNCTIONS)
            cursor.execute(f"COMMENT ON FUNCTION homework_tally_assignments() IS '{_SIGNATURE}'")
            for name, (table, body) in _PG_TRIGGERS.items():
                cursor.execute(f"CREATE OR REPLACE TRIGGER {name} {body.format(table=table)}")
        else:
            for name, statement in _sqlite_statements().items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(statement)
        for statement in _RECOUNT:
            cursor.execute(statement)
