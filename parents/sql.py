"""Fixed-shape reads of the parents' pages, written once as SQL (portable: PostgreSQL and
SQLite) instead of built and compiled by the ORM on every request (about a millisecond of
Python a query), and on PostgreSQL run as a statement prepared once per connection, so
that a query of many scalar subqueries is planned once rather than on every request
(~2 ms of planning for the children's query).

The PREPARE travels with the first EXECUTE in one round trip: a page sends, and its query
budget counts, the same queries on a connection's first request as on the next ones."""

import re

from django.db import connection
from django.db.models import Field
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_init, pre_init


class Statement:
    """A query of a fixed shape (`%s` parameters, no other `%`), its rows converted to the
    Python values of `fields` (each column's model or output field, in order) as the ORM
    converts them."""

    def __init__(self, name: str, sql: str, fields: list[Field]):
        if "%" in sql.replace("%s", ""):
            raise ValueError("A statement's only % are its parameters.")
        self.name = name
        self.sql = sql
        self.fields = fields
        self.placeholders = sql.count("%s")
        numbers = iter(range(1, self.placeholders + 1))
        self.numbered = re.sub("%s", lambda _: f"${next(numbers)}", sql)
        self._converters: dict[str, list] = {}

    def rows(self, params) -> list[tuple]:
        params = tuple(params)
        if len(params) != self.placeholders:
            raise ValueError(f"{self.name}: {self.placeholders} parameters, {len(params)} given")
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                _execute_prepared(cursor, self, params)
            else:
                cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        converters = self._converters.get(connection.vendor)
        if converters is None:
            converters = self._converters[connection.vendor] = _converters(self.fields)
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for index, expression, functions in converters:
                    value = row[index]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[index] = value
        return rows


def _converters(fields: list[Field]) -> list[tuple]:
    """(column, expression, converters) of the columns the ORM would convert."""
    found = []
    for index, field in enumerate(fields):
        if getattr(field, "model", None) is not None:
            expression = field.get_col("t")
        else:
            expression = RawSQL("", (), output_field=field)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        if functions:
            found.append((index, expression, functions))
    return found


def _execute_prepared(cursor, statement: Statement, params: tuple) -> None:
    """EXECUTE the statement prepared on this connection, PREPAREd first (in the same
    round trip) when it is not yet. A failed first run may or may not have left it
    prepared: the next one prepares it again under a new name."""
    raw = connection.connection
    state = getattr(connection, "_parents_prepared", None)
    if state is None or state["connection"] is not raw:
        state = connection._parents_prepared = {"connection": raw, "names": {}, "tries": 0}
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    name = state["names"].get(statement.name)
    if name is not None:
        cursor.execute(f"EXECUTE {name}{arguments}", params)
        return
    state["tries"] += 1
    name = f"parents_{statement.name}_{state['tries']}"
    # Planned once for all requests, not again each time: PostgreSQL's own choice keeps
    # planning a statement of several OR-ed conditions every time (the tasks of two
    # children), for the same plan. Django and psycopg2 prepare nothing, so the setting
    # reaches only these statements and PL/pgSQL's cached plans (the database triggers'
    # statements, homework/tallies.py and reports/measures/cache.py, whose few parameters
    # do not change their plans); it is sent with each PREPARE (a transaction rolled back
    # takes a SET back with it). A connection pooler must keep each web worker's session
    # (PgBouncer's session mode, not transaction mode): the statements live in it.
    cursor.execute(
        f"SET plan_cache_mode = force_generic_plan; PREPARE {name} AS {statement.numbered};"
        f" EXECUTE {name}{arguments}",
        params,
    )
    state["names"][statement.name] = name


_statements: dict[str, Statement] = {}


def statement(name: str, sql: str, fields: list[Field]) -> Statement:
    """The Statement of `sql`, made once a process (`name`: a word, for reading logs)."""
    found = _statements.get(sql)
    if found is None:
        found = _statements[sql] = Statement(f"{name}_{len(_statements)}", sql, fields)
    return found


def instance(model, names: tuple, values, db: str):
    """A model instance from a row, as `Model.from_db` builds one (the fields `names`,
    attribute names in order, loaded; the others deferred), without `Model.__init__`'s
    walk over every field (~5 µs an instance; a page builds a hundred): the values go
    straight into the instance's attributes, where the fields' descriptors keep them.
    Only for models nothing listens to the creation of (pre_init/post_init)."""
    new = model.__new__(model)
    new.__dict__.update(zip(names, values, strict=True))
    state = new._state = ModelState()
    state.adding = False
    state.db = db
    return new


def fast_to_build(model) -> bool:
    """Whether `instance` may build the model's instances (no signal receivers)."""
    return not (pre_init.has_listeners(model) or post_init.has_listeners(model))


class Chain:
    """Model instances read along a select_related chain, as the ORM builds them: each
    link (model, table alias, names of the fields read, the foreign key to it from the
    link before; the first link's is None) loads those fields (the id always; the others
    deferred) and is cached on the link before it. `fields`: the columns, in order;
    `select`: their SQL."""

    def __init__(self, *links: tuple):
        self.links = []
        self.fields = []
        columns = []
        for model, alias, names, via in links:
            wanted = {"id", *names}
            loaded = [
                f for f in model._meta.concrete_fields if f.attname in wanted or f.name in wanted
            ]
            before = self.links[-1][0] if self.links else None
            relation = before._meta.get_field(via) if via else None
            self.links.append((model, tuple(f.attname for f in loaded), len(loaded), relation))
            self.fields += loaded
            columns += [f'{alias}."{f.column}"' for f in loaded]
        self.select = ", ".join(columns)

    def build(self, rows) -> list:
        if not all(fast_to_build(link[0]) for link in self.links):
            raise RuntimeError("A model of the chain has pre_init/post_init receivers.")
        db = connection.alias
        built = []
        for row in rows:
            start, before, first = 0, None, None
            for model, names, width, relation in self.links:
                built_one = instance(model, names, row[start : start + width], db)
                start += width
                if relation is None:
                    first = built_one
                else:
                    relation.set_cached_value(before, built_one)
                before = built_one
            built.append(first)
        return built
