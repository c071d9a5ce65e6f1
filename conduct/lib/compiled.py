"""Reads of a fixed shape compiled to SQL once per connection, not on every request (issue 15).

Django builds a query's SQL again each time it runs: on a student's page, twenty small
`.values_list()` reads cost ~0.7 ms each to build and ~0.05 ms to run. A read whose shape never
changes (the same joins, columns and order; only ids differ) is built once with stand-in ids
in place of its arguments, and each call runs that SQL with the real ids put where they were,
the rows converted as Django's own iterables convert them: each column through the converters
Django gives it (`get_converters`), in their order.

    incidents = compiled_query(
        lambda student_id: IncidentStudent.objects.filter(student_id=student_id).values_list(...)
    )
    rows = incidents(student.pk)  # a list of tuples, as list(queryset) gives

The arguments are ids (integers; `str(id)` in the queryset is the id as text), dates
(`datetime.date`, compared with a DateField: each call's date is prepared as Django prepares a
DateField's value for the connection, `adapt_datefield_value`) and aware moments
(`datetime.datetime` with a time zone, compared with a DateTimeField: prepared as Django
prepares its value, `adapt_datetimefield_value`). Nothing else: a naive moment, a string or a
date compared with a DateTimeField would need its own preparing, so it is refused (as is a date
moved in the queryset, `day + timedelta(1)`: make the moved day an argument). A
list (`pk__in=`) varies the SQL with its length: filter through a join instead. The SQL is kept
per database connection (each thread has its own), so it is always that database's dialect, and
per kind of argument (an id, a date or a moment in each place).

A list shown a page at a time is compiled with `paged=True` and read a slice at a time,
`read(*args, limit=50, offset=100)`, as `queryset[100:150]` gives it: the SQL takes the two as
parameters (`LIMIT %s OFFSET %s`, as SQLite and PostgreSQL write it) where Django writes them in.

Converting is a large share of a read of many rows (the weekly dashboard's ~1,700 values): Django's
`apply_converters` calls each converter with `(value, expression, connection)` and SQLite's for a
DateTimeField checks and makes aware each moment through three functions. So each column's
converters are looked at once, when the read is compiled: a column whose converter is one of the
few below is converted by a function that gives the same value in fewer steps, and a value of a
type that converter leaves as it is (None, a `date` from a DateField) is not passed to it at
all; any other column, or value, goes through Django's converters themselves.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.query import FlatValuesListIterable, ValuesIterable, ValuesListIterable
from django.utils.dateparse import parse_datetime

# Two sets of stand-ins for the arguments: the SQL is built with each, and a parameter that is
# the first set's k-th in one and the second set's k-th in the other is argument k (a constant
# is the same in both). Small, so that they fit every integer column: Django leaves out a
# comparison with a value out of the column's range.
_MARKERS = ((30001, 30002, 30003, 30004), (30011, 30012, 30013, 30014))
# The same for dates: a different day for each argument and each set, none a real school day.
_DATE_MARKERS = (
    (dt.date(1901, 1, 1), dt.date(1901, 1, 2), dt.date(1901, 1, 3), dt.date(1901, 1, 4)),
    (dt.date(1902, 2, 11), dt.date(1902, 2, 12), dt.date(1902, 2, 13), dt.date(1902, 2, 14)),
)
# And for moments: noon of those days, in UTC.
_MOMENT_MARKERS = tuple(
    tuple(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) for day in days)
    for days in _DATE_MARKERS
)


def _kind(arg) -> str:
    """ "id", "date" or "moment": what an argument is, so that it is put in the SQL as Django
    would."""
    if type(arg) is int:
        return "id"
    if type(arg) is dt.date:
        return "date"
    if type(arg) is dt.datetime and arg.utcoffset() is not None:
        return "moment"
    raise TypeError(f"compiled_query takes ids, dates and aware moments, not {arg!r}")


# The code of the converter Django gives an expression whose output is an integer (`Count`, a
# `Coalesce` or `Window` of integers): `None if value is None else int(value)`. Each expression
# has its own function, all of this one code.
_INTEGER_CONVERTER = Value(0, output_field=IntegerField()).convert_value.__code__

_NONE = type(None)

# A column's conversion: where it is, the types of value its converters give back as they are
# (those values are not passed to them), and a function giving any other value converted.
_Column = tuple[int, frozenset[type], Callable[[Any], Any]]


def _column(position: int, converters: list, expression, connection) -> tuple[_Column, bool]:
    """How to convert one column, as `converters` (Django's, for it) would, and whether that
    depends on the connection's time zone staying what it is now."""

    def django(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    if len(converters) == 1:
        (converter,) = converters
        if getattr(converter, "__code__", None) is _INTEGER_CONVERTER:
            return (position, frozenset({_NONE, int}), django), False
        # A backend's converter is a method of the connection's operations; only SQLite's are
        # known here (PostgreSQL has none: its driver gives dates, moments and booleans as
        # they are).
        if connection.vendor == "sqlite" and getattr(converter, "__self__", None) is connection.ops:
            known = _sqlite_column(getattr(converter, "__func__", None), connection, django)
            if known is not None:
                keep, convert, zoned = known
                return (position, keep, convert), zoned
    return (position, frozenset(), django), False


def _sqlite_column(
    method, connection, django: Callable[[Any], Any]
) -> tuple[frozenset[type], Callable[[Any], Any], bool] | None:
    """For a column SQLite's `method` converts: the types it leaves as they are, a function for
    the rest and whether that depends on the time zone; None for a method not known here."""
    # Imported here: the SQLite backend is loaded by then, and only where it is used (this module
    # cannot be imported before the backend's own `base`).
    from django.db.backends.sqlite3.operations import DatabaseOperations as SQLite

    if method is SQLite.convert_datetimefield_value and settings.USE_TZ:
        # SQLite gives a naive moment (or text, for an aggregate or subquery): Django makes it
        # aware in the connection's time zone, `value.replace(tzinfo=zone)`. `combine` gives the
        # same datetime (its date, time, fold and that zone) in a sixth of the time on Python
        # 3.11. Anything else (an aware moment, text that is not a naive moment) is done by
        # Django's function.
        zone = connection.timezone
        combine = dt.datetime.combine

        def moment(value):
            if type(value) is dt.datetime and value.tzinfo is None:
                return combine(value, value.time(), zone)
            if type(value) is str:
                parsed = parse_datetime(value)
                if type(parsed) is dt.datetime and parsed.tzinfo is None:
                    return combine(parsed, parsed.time(), zone)
            return django(value)

        return frozenset({_NONE}), moment, True
    if method is SQLite.convert_datefield_value:
        return frozenset({_NONE, dt.date}), django, False
    if method is SQLite.convert_booleanfield_value:
        # `bool(value) if value in (1, 0) else value`: SQLite gives a column a bool already, an
        # expression (`Exists`, `Case`) 1 or 0.
        def boolean(value):
            if type(value) is int and (value == 1 or value == 0):
                return value == 1
            return django(value)

        return frozenset({_NONE, bool}), boolean, False
    return None


class _Compiled:
    """One read's SQL for one connection: the SQL, which parameters are the arguments, and how
    to shape its rows."""

    def __init__(
        self, build: Callable[..., QuerySet], kinds: tuple[str, ...], connection, paged: bool
    ):
        arity = len(kinds)
        markers = [
            [
                {"id": ids, "date": dates, "moment": moments}[kind][index]
                for index, kind in enumerate(kinds)
            ]
            for ids, dates, moments in zip(_MARKERS, _DATE_MARKERS, _MOMENT_MARKERS, strict=True)
        ]
        adapt_date = connection.ops.adapt_datefield_value
        adapt_moment = connection.ops.adapt_datetimefield_value
        # How an argument of each kind may be written among the parameters.
        writes: dict[str, tuple[tuple[str, Callable[[Any], Any]], ...]] = {
            "id": (("arg", int), ("text", str)),
            "date": (("date", adapt_date),),
            "moment": (("moment", adapt_moment),),
        }
        queryset, other = (build(*ours) for ours in markers)
        if paged and queryset.query.is_sliced:
            raise ValueError("a paged read is sliced by its caller, not by the queryset")
        compiler = queryset.query.get_compiler(queryset.db)
        self.sql, params = compiler.as_sql()
        other_sql, other_params = other.query.get_compiler(other.db).as_sql()
        if other_sql != self.sql or len(other_params) != len(params):
            raise ValueError(f"the SQL's shape depends on the arguments: {self.sql}")
        self.paged = paged
        if paged:
            self.sql += " LIMIT %s OFFSET %s"
        # Each parameter: ("arg", index) for an argument, ("text", index) for an argument written
        # as text (an id in the audit log's object_id), ("date", index) for a date prepared for
        # a DateField, ("moment", index) for a moment prepared for a DateTimeField, ("value", v)
        # for a constant.
        self.params = []
        for value, other_value in zip(params, other_params, strict=True):
            if value == other_value:
                self.params.append(("value", value))
                continue
            found_at = [
                (how, index)
                for index, kind in enumerate(kinds)
                for how, write in writes[kind]
                if value == write(markers[0][index]) and other_value == write(markers[1][index])
            ]
            if len(found_at) != 1:
                raise ValueError(f"a parameter depends on the arguments: {self.sql}")
            self.params.append(found_at[0])
        found = {index for kind, index in self.params if kind != "value"}
        if found != set(range(arity)):
            raise ValueError(f"each argument must reach the SQL once or more: {self.sql}")
        self.compiler = compiler
        self.adapt_date = adapt_date
        self.adapt_moment = adapt_moment
        self.converters = compiler.get_converters(
            [select[0] for select in compiler.select[: compiler.col_count]]
        )
        columns = [
            _column(position, converters, expression, compiler.connection)
            for position, (converters, expression) in self.converters.items()
        ]
        self.columns = [column for column, _ in columns]
        # The time zone a column's function was made for, if one was: without USE_TZ or in
        # another zone (a test's `override_settings`), Django's converters convert the rows.
        self.zoned = any(zoned for _, zoned in columns)
        self.zone = compiler.connection.timezone
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

    def rows(self, args: tuple, page: tuple[int, int] | None = None) -> list:
        adapt_date = self.adapt_date
        params = [
            value
            if kind == "value"
            else args[value]
            if kind == "arg"
            else str(args[value])
            if kind == "text"
            else adapt_date(args[value])
            if kind == "date"
            else self.adapt_moment(args[value])
            for kind, value in self.params
        ]
        if self.paged != (page is not None):
            raise TypeError("a paged read takes a limit and an offset, and only a paged read")
        if page is not None:
            params += page
        compiler = self.compiler
        with compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        columns = self.columns
        if self.zoned and (not settings.USE_TZ or compiler.connection.timezone is not self.zone):
            rows = list(compiler.apply_converters(rows, self.converters))
        elif self.kind is FlatValuesListIterable and columns:
            ((_, keep, convert),) = columns
            return [row[0] if type(row[0]) in keep else convert(row[0]) for row in rows]
        elif columns:
            rows = self._converted(rows)
        if self.kind is FlatValuesListIterable:
            return [row[0] for row in rows]
        if self.kind is ValuesIterable:
            names = self.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [tuple(row) for row in rows]

    def _converted(self, rows: list[tuple]) -> list[list]:
        """The rows with each converted column converted: a plain loop, not Django's generator of
        generic steps."""
        columns = self.columns
        converted = []
        for row in rows:
            values = list(row)
            for position, keep, convert in columns:
                value = values[position]
                if type(value) not in keep:
                    values[position] = convert(value)
            converted.append(values)
        return converted


def compiled_query(build: Callable[..., QuerySet], *, paged: bool = False) -> Callable[..., list]:
    """`build(*args)` gives the queryset; the answer, called with ids, dates and moments (up to
    four), gives its rows as a list. Its SQL is built once per connection (and kind of each
    argument), from `build` called with stand-in ids, dates and moments. `paged`: called with
    `limit=` and `offset=` too, it gives that slice of the rows."""
    arity = build.__code__.co_argcount

    def run(*args: int | dt.date | dt.datetime, limit: int | None = None, offset: int = 0) -> list:
        if len(args) != arity:
            raise TypeError(f"{build.__qualname__} takes {arity} arguments, not {len(args)}")
        kinds = tuple(_kind(arg) for arg in args)
        connection = connections[DEFAULT_DB_ALIAS]
        kept = connection.__dict__.setdefault("_compiled_queries", {})
        compiled = kept.get((run, kinds))
        if compiled is None:
            compiled = kept[run, kinds] = _Compiled(build, kinds, connection, paged)
        return compiled.rows(args, None if limit is None else (limit, offset))

    return run


@dataclass(frozen=True)
class CompiledList:
    """A list read a page at a time through compiled reads, as a Paginator reads a queryset:
    its count, and the rows of a slice. `rows` is compiled with `paged=True`; `counts` gives
    the count as rows to add up (no row for none); both take `args`."""

    rows: Callable[..., list]
    counts: Callable[..., list]
    args: tuple = ()

    def count(self) -> int:
        return sum(self.counts(*self.args))

    def __getitem__(self, page: slice) -> list:
        if page.stop <= page.start:
            return []  # an empty list's page: no read, as a queryset's empty slice
        return self.rows(*self.args, limit=page.stop - page.start, offset=page.start)
