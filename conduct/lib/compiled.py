"""Reads of a fixed shape compiled to SQL once per connection, not on every request (issue 15).

Django builds a query's SQL again each time it runs: on a student's page, twenty small
`.values_list()` reads cost ~0.7 ms each to build and ~0.05 ms to run. A read whose shape never
changes (the same joins, columns and order; only ids differ) is built once with marker ids in
place of its arguments, and each call runs that SQL with the real ids put where the markers
were, the rows converted as Django's own iterables convert them.

    incidents = compiled_query(
        lambda student_id: IncidentStudent.objects.filter(student_id=student_id).values_list(...)
    )
    rows = incidents(student.pk)  # a list of tuples, as list(queryset) gives

The arguments are ids (integers) only: another value would have to be prepared for its column
as Django prepares it. A list (`pk__in=`) varies the SQL with its length: filter through a join
instead. The SQL is kept per database connection (each thread has its own), so it is always
that database's dialect.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

# Never an id of a row: each stands for one argument while the SQL is built.
_MARKERS = (9176543210001, 9176543210002, 9176543210003)


class _Compiled:
    """One read's SQL for one connection: the SQL, which parameters are the arguments, and how
    to shape its rows."""

    def __init__(self, queryset: QuerySet, arity: int):
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        markers = _MARKERS[:arity]
        # Each parameter: ("arg", index) for an argument, ("value", v) for a constant.
        self.params = [
            ("arg", markers.index(value))
            if type(value) is int and value in markers
            else ("value", value)
            for value in params
        ]
        found = {index for kind, index in self.params if kind == "arg"}
        if found != set(range(arity)):
            raise ValueError(f"each argument must reach the SQL once or more: {self.sql}")
        self.compiler = compiler
        self.converters = compiler.get_converters(
            [select[0] for select in compiler.select[: compiler.col_count]]
        )
        # `.values()`, `.values_list()` and `flat=True` only: a model's rows need Django's own
        # iterable (deferred fields, related objects).
        self.kind = queryset._iterable_class
        if self.kind is ValuesIterable:
            query = queryset.query
            self.names = (
                list(query.selected)
                if query.selected
                else [
                    *query.extra_select,
                    *query.values_select,
                    *query.annotation_select,
                ]
            )
        elif self.kind not in (ValuesListIterable, FlatValuesListIterable):
            raise TypeError("compiled_query reads .values() or .values_list() rows only")

    def rows(self, args: tuple) -> list:
        params = [args[value] if kind == "arg" else value for kind, value in self.params]
        compiler = self.compiler
        with compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if self.converters:
            rows = list(map(tuple, compiler.apply_converters(rows, self.converters)))
        if self.kind is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.kind is ValuesIterable:
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [tuple(row) for row in rows]


def compiled_query(build: Callable[..., QuerySet]) -> Callable[..., list]:
    """`build(*ids)` gives the queryset; the answer, called with ids, gives its rows as a list.
    Its SQL is built once per connection, from `build` called with marker ids."""
    arity = build.__code__.co_argcount

    def run(*args: int) -> list:
        if len(args) != arity:
            raise TypeError(f"{build.__qualname__} takes {arity} ids, not {len(args)}")
        connection = connections[DEFAULT_DB_ALIAS]
        kept = connection.__dict__.setdefault("_compiled_queries", {})
        compiled = kept.get(run)
        if compiled is None:
            compiled = kept[run] = _Compiled(build(*_MARKERS[:arity]), arity)
        return compiled.rows(args)

    return run
