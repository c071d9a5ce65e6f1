"""Reads of a fixed shape compiled to SQL once per connection, not on every request (issue 15).

Django builds a query's SQL again each time it runs: on a student's page, twenty small
`.values_list()` reads cost ~0.7 ms each to build and ~0.05 ms to run. A read whose shape never
changes (the same joins, columns and order; only ids differ) is built once with stand-in ids
in place of its arguments, and each call runs that SQL with the real ids put where they were,
the rows converted as Django's own iterables convert them.

    incidents = compiled_query(
        lambda student_id: IncidentStudent.objects.filter(student_id=student_id).values_list(...)
    )
    rows = incidents(student.pk)  # a list of tuples, as list(queryset) gives

The arguments are ids (integers; `str(id)` in the queryset is the id as text) only: another
value would have to be prepared for its column as Django prepares it. A list (`pk__in=`) varies
the SQL with its length: filter through a join instead. The SQL is kept per database connection
(each thread has its own), so it is always that database's dialect.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable

# Two sets of stand-ins for the arguments: the SQL is built with each, and a parameter that is
# the first set's k-th in one and the second set's k-th in the other is argument k (a constant
# is the same in both). Small, so that they fit every integer column: Django leaves out a
# comparison with a value out of the column's range.
_MARKERS = ((30001, 30002, 30003), (30011, 30012, 30013))


class _Compiled:
    """One read's SQL for one connection: the SQL, which parameters are the arguments, and how
    to shape its rows."""

    def __init__(self, build: Callable[..., QuerySet], arity: int):
        queryset, other = (build(*markers[:arity]) for markers in _MARKERS)
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        other_sql, other_params = other.query.get_compiler(other.db).as_sql()
        if other_sql != self.sql or len(other_params) != len(params):
            raise ValueError(f"the SQL's shape depends on the arguments: {self.sql}")
        # Each parameter: ("arg", index) for an argument, ("text", index) for an argument written
        # as text (an id in the audit log's object_id), ("value", v) for a constant.
        self.params = []
        for value, other_value in zip(params, other_params, strict=True):
            if value == other_value:
                self.params.append(("value", value))
                continue
            for kind, write in (("arg", int), ("text", str)):
                ours = [write(marker) for marker in _MARKERS[0][:arity]]
                theirs = [write(marker) for marker in _MARKERS[1][:arity]]
                if value in ours and other_value in theirs:
                    index = ours.index(value)
                    if theirs.index(other_value) != index:
                        raise ValueError(f"arguments out of place in the SQL: {self.sql}")
                    self.params.append((kind, index))
                    break
            else:
                raise ValueError(f"a parameter depends on the arguments: {self.sql}")
        found = {index for kind, index in self.params if kind != "value"}
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
        params = [
            value if kind == "value" else args[value] if kind == "arg" else str(args[value])
            for kind, value in self.params
        ]
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
    Its SQL is built once per connection, from `build` called with stand-in ids."""
    arity = build.__code__.co_argcount

    def run(*args: int) -> list:
        if len(args) != arity:
            raise TypeError(f"{build.__qualname__} takes {arity} ids, not {len(args)}")
        connection = connections[DEFAULT_DB_ALIAS]
        kept = connection.__dict__.setdefault("_compiled_queries", {})
        compiled = kept.get(run)
        if compiled is None:
            compiled = kept[run] = _Compiled(build, arity)
        return compiled.rows(args)

    return run
