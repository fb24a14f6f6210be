"""Writing many demo rows fast: `rows_insert` takes plain tuples (no model instances) and,
on PostgreSQL, streams them with COPY; elsewhere (SQLite for `make run`) it hands them to
`bulk_create`. Columns left out get their field's default, as `bulk_create` would give."""

import io
import json
from contextlib import contextmanager
from datetime import date, datetime

from django.db import connection

COPY_CHUNK = 50_000  # rows per COPY: memory stays flat on a trust of 2 million assignments
BULK_BATCH = 2000


def copy_supported() -> bool:
    return connection.vendor == "postgresql"


def rows_insert(model, columns: list[str], rows) -> int:
    """Insert `rows` (tuples in the order of `columns`, attribute names such as
    "pupil_id") into `model`'s table without reading anything back; returns how many."""
    if not copy_supported():
        return _bulk_create(model, columns, rows)
    fields = {field.attname: field for field in model._meta.concrete_fields}
    missing = [
        field for name, field in fields.items() if name not in columns and not field.primary_key
    ]
    constant = "".join(
        "\t" + _text(field.get_db_prep_save(field.get_default(), connection)) for field in missing
    )
    names = ", ".join(connection.ops.quote_name(fields[name].column) for name in [*columns])
    if missing:
        names += ", " + ", ".join(connection.ops.quote_name(field.column) for field in missing)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        checks_off = _foreign_key_checks_off(cursor)
        formats = _FORMATS
        for row in rows:
            buffer.write("\t".join([formats.get(type(value), _text)(value) for value in row]))
            buffer.write(constant)
            buffer.write("\n")
            pending += 1
            if pending >= COPY_CHUNK:
                total += _copy(raw, sql, buffer)
                buffer, pending = io.StringIO(), 0
        if pending:
            total += _copy(raw, sql, buffer)
        if checks_off:
            cursor.execute("SET LOCAL session_replication_role = origin")
    return total


def _foreign_key_checks_off(cursor) -> bool:
    """Inside a transaction, as a superuser: the rows about to be copied point only at
    rows the same build has just written, so checking each of their foreign keys at
    commit (Django's are deferred) is skipped, as a restore of a dump does. Elsewhere the
    checks run as usual."""
    if not connection.in_atomic_block:
        return False
    cursor.execute("SELECT current_setting('is_superuser')")
    if cursor.fetchone()[0] != "on":
        return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _copy(raw, sql, buffer) -> int:
    buffer.seek(0)
    raw.copy_expert(sql, buffer)
    return raw.rowcount


def _bulk_create(model, columns, rows) -> int:
    total = 0
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= BULK_BATCH:
            total += len(model.objects.bulk_create(batch, batch_size=500))
            batch = []
    if batch:
        total += len(model.objects.bulk_create(batch, batch_size=500))
    return total


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_escaped = {}


def _str_text(value: str) -> str:
    """A string in COPY's text format, remembered: the demo's texts repeat."""
    text = _escaped.get(value)
    if text is None:
        if len(_escaped) > 50_000:
            _escaped.clear()
        text = _escaped[value] = _escape(value)
    return text


def _none_text(value) -> str:
    return "\\N"


# `_text` by type, for the common types (exactly these, not subclasses such as a
# choices enum, which go through `_text`).
_FORMATS = {
    str: _str_text,
    int: str,
    bool: {True: "t", False: "f"}.__getitem__,
    type(None): _none_text,
    datetime: datetime.isoformat,
    date: date.isoformat,
}


def _text(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _escape(json.dumps(value))
    if hasattr(value, "dumps") and hasattr(value, "adapted"):  # psycopg2's Json
        return _escape(value.dumps(value.adapted))
    return str(value)


@contextmanager
def joins_hashed():
    """Within a build's transaction PostgreSQL has no statistics yet for the rows just
    written, and may plan a query over a whole school's pupils or guardians as nested
    loops (a million probes for a consultation's audience). Inside this block it hashes
    instead; elsewhere (SQLite, outside a transaction) nothing changes."""
    if not (copy_supported() and connection.in_atomic_block):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_nestloop', 'off', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_nestloop', 'on', true)")
