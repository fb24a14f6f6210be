"""Querysets of a fixed shape, built and compiled by the ORM once per database connection
and then run with each call's values. Building a queryset and compiling it to SQL costs
about a millisecond of Python for a select_related chain, several times what the
database takes to answer a pupil's rows; a page that sends eight such queries spends most
of its time there.

    MISSES = Prepared(
        lambda: Miss.objects.filter(pupil_id=Param("pupil")).select_related("sanction")
    )
    misses = MISSES.list(pupil=pupil.pk)

The builder runs once per connection with `Param` placeholders where the values go (and
`Fragment` where a subquery goes, given as SQL at each call: a viewer's scope, built by
the access helpers); the SQL and the compiler Django made for it are kept, and each call
hands the rows to the ORM's own iterables (model instances, select_related, annotations,
values(), prefetch_related as the queryset says), so what comes back is what the queryset
would have returned. A builder taking arguments makes one shape for each value of them
(`VARIANTS.list(True, ...)`: a chosen subject adds a condition). The shape must not
depend on the values: no `__in` with a Param (it stands for one value) and nothing the
builder decides from data."""

import copy
from collections.abc import Callable
from typing import Any

from django.db import connections, router
from django.db.models import BigIntegerField, Expression, Field, QuerySet

# Where a fragment's SQL goes in the kept SQL (never sent: replaced at each call).
_FRAGMENT = "\x00fragment\x00"


class _Slot:
    """Where a Param's value (or a Fragment's parameters) goes in the query's parameters."""

    __slots__ = ("param",)

    def __init__(self, param: "Param"):
        self.param = param


class Param(Expression):
    """A value given when the prepared queryset runs, in place of a literal (an id unless
    `output_field` says otherwise; converted for the database as that field converts)."""

    def __init__(self, name: str, output_field: Field | None = None):
        super().__init__(output_field=output_field or BigIntegerField())
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [_Slot(self)]

    def get_group_by_cols(self):
        return []  # one value for every row, as Value: never a GROUP BY's column

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


class Fragment(Param):
    """A subquery given when the prepared queryset runs (a queryset, whose rows stand for
    their ids unless it selects values, or RawSQL), e.g. `pupil_id__in=Fragment("pupils")`."""

    def as_sql(self, compiler, connection):
        return f"({_FRAGMENT})", [_Slot(self)]


def _sql_of(subquery) -> tuple[str, tuple]:
    if isinstance(subquery, QuerySet):
        if not (subquery.query.values_select or subquery.query.annotation_select):
            subquery = subquery.values("pk")  # a model's rows stand for their ids
        return subquery.order_by().query.sql_with_params()
    return subquery.sql, tuple(subquery.params)


class _Compiled:
    """The queryset built once for a connection, its SQL and its compiler. Each call gets
    a clone of the queryset whose compiler (a copy of the kept one) answers that call's
    SQL and parameters instead of compiling."""

    def __init__(self, queryset: QuerySet, connection):
        self.queryset = queryset
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        self.params = list(params)
        self.slots = [
            (index, value.param)
            for index, value in enumerate(self.params)
            if isinstance(value, _Slot)
        ]
        self.names = frozenset(param.name for _, param in self.slots)
        self.pieces = sql.split(_FRAGMENT)  # the SQL around each fragment, in order
        if len(self.pieces) - 1 != sum(isinstance(p, Fragment) for _, p in self.slots):
            raise ValueError("A fragment's place in the SQL was lost.")
        self.compiler = compiler
        self.connection = connection

    def queryset_for(self, values: dict[str, Any]) -> QuerySet:
        if set(values) != self.names:
            raise TypeError(f"Expected the values {sorted(self.names)}, got {sorted(values)}.")
        params, sql, start = [], [self.pieces[0]], 0
        fragments = iter(self.pieces[1:])
        for index, param in self.slots:
            params += self.params[start:index]
            start = index + 1
            value = values[param.name]
            if isinstance(param, Fragment):
                fragment_sql, fragment_params = _sql_of(value)
                sql += [fragment_sql, next(fragments)]
                params += fragment_params
            else:
                params.append(
                    param.output_field.get_db_prep_value(value, self.connection, prepared=False)
                )
        params += self.params[start:]
        answer = ("".join(sql), params)
        run = copy.copy(self.compiler)
        run.as_sql = lambda *args, **kwargs: answer
        clone = self.queryset._chain()
        clone.query.get_compiler = lambda *args, **kwargs: run
        return clone


class Prepared:
    """A queryset of a fixed shape (see the module's docstring), compiled once for each
    database connection and each variant."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._key = f"_prepared_{id(self)}"
        self._model = None

    def _compiled(self, variant: tuple) -> _Compiled:
        if self._model is None:
            self._model = self.build(*variant).model
        connection = connections[router.db_for_read(self._model)]
        shapes = connection.__dict__.setdefault(self._key, {})
        compiled = shapes.get(variant)
        if compiled is None:
            compiled = shapes[variant] = _Compiled(self.build(*variant), connection)
        return compiled

    def queryset(self, *variant, **values) -> QuerySet:
        """The queryset with these values, not yet run (to hand to a lazy reader)."""
        return self._compiled(variant).queryset_for(values)

    def list(self, *variant, **values) -> list:
        """The rows, as list(queryset) would give them."""
        return list(self.queryset(*variant, **values))

    def one(self, *variant, **values):
        """The one row, or None when there is none (more than one is an error)."""
        rows = self.list(*variant, **values)
        if len(rows) > 1:
            raise ValueError(f"One row expected, {len(rows)} found.")
        return rows[0] if rows else None
