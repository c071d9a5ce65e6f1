"""The measures of behaviour response for a span of dates, each counted in the database.

A placement belongs to the span it starts in; its days in a room belong to the span each day
falls in (so a placement across a half-term holiday counts once, in the half-term it started,
and its days where they were). Cancelled placements and cancelled days count nowhere. Every
function takes `scope`, a filter on students (`school.policies.scope_q(..., path="")`), so a
head of year's figures are their years' only.
"""

import bisect
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone

from conduct.lib.compiled import compiled_query
from notify.models import Message
from pastoral.models import Interview, ReviewRule, ReviewTask
from patrol.models import OnCallRequest
from sanctions.models import Placement, PlacementDay, Provision
from school.models import HalfTerm, Period, Student
from school.selectors.calendar import (
    half_terms_between,
    non_school_days,
    periods_of_day,
    school_days_from,
)
from work.selectors.figures import WorkFigures, work_figures_per_span
from work.selectors.figures import work_figures as work_selector_figures

# A placement is "returned from" on its last day; a new one within this many school days after
# is a re-referral.
RE_REFERRAL_SCHOOL_DAYS = 10
NO_DATA = "no data yet"
# The scope that reaches every student.
WHOLE_SCHOOL = Q()
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
# The breakdowns of placements, in the order pages and exports show them: key, title.
BREAKDOWNS = (
    ("reason", "By reason"),
    ("year", "By year group"),
    ("form", "By form"),
    ("referrer", "By referrer"),
    ("department", "By department removed from"),
    ("subject", "By subject removed from"),
)
ON_CALL_BREAKDOWNS = (
    ("teacher", "On-call calls by teacher"),
    ("department", "On-call calls by department"),
)


@dataclass(frozen=True)
class Span:
    """A span of school dates, both ends included, with its name for headings."""

    label: str
    start: dt.date
    end: dt.date


@dataclass
class ProvisionFigures:
    kind: str
    name: str
    placements: int = 0
    students: int = 0
    repeat_students: int = 0
    days: int = 0


@dataclass
class Row:
    """One line of a breakdown: what, how many, and the filter value for the records behind."""

    label: str
    count: int
    key: str = ""


@dataclass
class OnCallFigures:
    calls: int = 0
    claimed: int = 0
    arrived: int = 0
    escalations: int = 0
    median_claim_minutes: float | None = None
    p90_claim_minutes: float | None = None
    median_arrive_minutes: float | None = None
    p90_arrive_minutes: float | None = None


@dataclass
class ReviewFigures:
    """Students who met one of the school's review rules (about a student) in a span; of them,
    those with a review opened (in the span, or still open when it began) and those whose
    review is closed; and the closed reviews by their decision."""

    met: int = 0
    opened: int = 0
    closed: int = 0
    decisions: list[Row] = field(default_factory=list)

    @property
    def not_opened(self) -> int:
        return self.met - self.opened


@dataclass
class Figures:
    span: Span
    provisions: list[ProvisionFigures]
    placements: int
    students: int
    on_roll: int
    breakdowns: dict[str, list[Row]]
    heatmap: list[dict[str, Any]]
    heatmap_max: int
    on_call: OnCallFigures
    interviews_due: int
    interviews_on_time: int
    placements_families_told: int
    families_told_same_day: int
    returned: int
    re_referred: int
    work: WorkFigures = field(default_factory=WorkFigures)
    reviews: ReviewFigures = field(default_factory=ReviewFigures)
    on_call_breakdowns: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def placements_per_100(self) -> float | None:
        return per_100(self.placements, self.on_roll)

    @property
    def students_per_100(self) -> float | None:
        return per_100(self.students, self.on_roll)


def per_100(count: int, on_roll: int) -> float | None:
    """`count` per 100 students on roll, to one decimal place (None with nobody on roll)."""
    return round(100 * count / on_roll, 1) if on_roll else None


def percentile(values: list[float], fraction: float) -> float | None:
    """The `fraction` percentile of sorted `values` by linear interpolation (None when empty)."""
    if not values:
        return None
    rank = (len(values) - 1) * fraction
    low, high = math.floor(rank), math.ceil(rank)
    return values[low] + (values[high] - values[low]) * (rank - low)


def in_scope(scope: Q, path: str) -> Q:
    """The filter for rows whose student (at `path`) is in `scope`; nothing for the whole
    school (so its queries carry no subquery)."""
    if scope == Q():
        return Q()
    return Q(**{f"{path}__in": Student.objects.filter(scope)})


def _one_year(scope: Q) -> int | None:
    """The year group `scope` cuts to when it is one year's (`school.policies.scope_q` of a head
    of year of one year: `year_group_id__in` one id), else None."""
    match scope.children:
        case [("year_group_id__in", years)] if not scope.negated and len(years) == 1:
            (year,) = years
            return year if type(year) is int else None
    return None


def _scoped(
    build: Callable[..., QuerySet],
    whole: Callable[..., QuerySet],
    one_year: Callable[..., QuerySet],
    *,
    paged: bool = False,
) -> Callable[..., list]:
    """A figures' read for the students in a scope: `build(scope, *args)` is its queryset,
    `whole(*args)` and `one_year(year, *args)` the same for the whole school and for one year
    group, compiled once (`conduct.lib.compiled`; these are the scopes of every reader but a head
    of several years, whose read is built each time). Its rows as `list(queryset)` gives them;
    `paged`, called with `limit=` too, as `list(queryset[:limit])` gives them. Building these
    grouped and joined reads cost more than running them (issue 15)."""
    compiled_whole = compiled_query(whole, paged=paged)
    compiled_year = compiled_query(one_year, paged=paged)

    def read(scope: Q, *args: Any, limit: int | None = None) -> list:
        if paged != (limit is not None):
            raise TypeError("a paged read takes a limit, and only a paged read")
        if scope == WHOLE_SCHOOL:
            return compiled_whole(*args, limit=limit)
        year = _one_year(scope)
        if year is not None:
            return compiled_year(year, *args, limit=limit)
        rows = build(scope, *args)
        return list(rows if limit is None else rows[:limit])

    return read


def _bounds(spans: list[Span]) -> tuple[dt.date, dt.date]:
    """The first and last day of `spans`: the one date range the figures of spans that overlap
    or nearly touch are read over (each span's counted in Python)."""
    return min(span.start for span in spans), max(span.end for span in spans)


def placements_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Placement]:
    """Placements (not cancelled) that start in `span`, of students in `scope`."""
    return Placement.objects.exclude(status=Placement.Status.CANCELLED).filter(
        in_scope(scope, "student"), starts_on__gte=span.start, starts_on__lte=span.end
    )


def students_on_roll(span: Span) -> QuerySet[Student]:
    """Students on roll at some time in `span`: admitted by its end, not left before its start
    (a student who joined mid-term counts)."""
    return Student.objects.filter(_on_roll(span))


def _on_roll(span: Span) -> Q:
    """The filter of `students_on_roll(span)`."""
    return (Q(admitted_on__isnull=True) | Q(admitted_on__lte=span.end)) & (
        Q(left_on__isnull=True) | Q(left_on__gte=span.start)
    )


def _admissions_query(scope: Q) -> QuerySet:
    """The students in `scope` counted by the days they were admitted and left (a few pairs:
    `_on_roll` is taken of them in Python for each span)."""
    return (
        Student.objects.filter(scope)
        .values("admitted_on", "left_on")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("admitted_on", "left_on", "n")
    )


_admissions_read = _scoped(
    _admissions_query,
    lambda: _admissions_query(WHOLE_SCHOOL),
    lambda year: _admissions_query(Q(year_group_id=year)),
)


# Spans closer than this are read as one date range (a holiday between them costs few rows).
MERGE_GAP = dt.timedelta(days=21)


def _merged(spans: list[Span]) -> list[Span]:
    """`spans` with those that overlap or lie within `MERGE_GAP` of each other merged into one
    range, in date order."""
    ranges: list[Span] = []
    for span in sorted(spans, key=lambda span: span.start):
        if ranges and span.start <= ranges[-1].end + MERGE_GAP:
            ranges[-1] = Span("", ranges[-1].start, max(ranges[-1].end, span.end))
        else:
            ranges.append(Span("", span.start, span.end))
    return ranges


def _placements_of(spans: list[Span], scope: Q) -> list[tuple[int, str, int, dt.date]]:
    """The placements (not cancelled) starting from the first to the last day of `spans`, of
    students in `scope`: id, provision, student, first day (one read that each span's counts are
    taken from)."""
    return _placements_read(scope, *_bounds(spans))


def _placements_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    return (
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .filter(in_scope(scope, "student"), starts_on__gte=start, starts_on__lte=end)
        .order_by()
        .values_list("pk", "provision__kind", "student_id", "starts_on")
    )


_placements_read = _scoped(
    _placements_query,
    lambda start, end: _placements_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _placements_query(Q(year_group_id=year), start, end),
)


def provision_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> list[ProvisionFigures]:
    """Per provision: placements, students, students placed more than once, days in rooms
    (two queries)."""
    return provisions_of([span], _placements_of([span], scope), scope)[0]


def provisions_of(
    spans: list[Span],
    placements: list[tuple[int, str, int, dt.date]],
    scope: Q = WHOLE_SCHOOL,
    room_days: "RoomDays | None" = None,
) -> list[list[ProvisionFigures]]:
    """`provision_figures` for each of `spans`, from `placements` (`_placements_of` them) and
    one grouped read of the days in rooms (`room_days`, when already read from the first to the
    last day of `spans` or longer)."""
    if room_days is None:
        room_days = room_days_of(scope, *_bounds(spans))
    found = []
    for span in spans:
        per_student: dict[tuple[str, int], int] = {}
        for _, kind, student, starts_on in placements:
            if span.start <= starts_on <= span.end:
                per_student[kind, student] = per_student.get((kind, student), 0) + 1
        days: dict[str, int] = {}
        for kind, date, _, n in room_days.rows:
            if span.start <= date <= span.end:
                days[kind] = days.get(kind, 0) + n
        found.append(
            [
                ProvisionFigures(
                    kind=kind,
                    name=label,
                    placements=sum(n for (k, _), n in per_student.items() if k == kind),
                    students=sum(1 for k, _ in per_student if k == kind),
                    # A student with two or more placements in the span.
                    repeat_students=sum(
                        1 for (k, _), n in per_student.items() if k == kind and n > 1
                    ),
                    days=days.get(kind, 0),
                )
                for kind, label in Provision.Kind.choices
                if kind != Provision.Kind.SUSPENSION_REVIEW
            ]
        )
    return found


@dataclass(frozen=True)
class RoomDays:
    """The days in a room (not cancelled, nor their placement) of the students in a scope from
    `start` to `end`, counted by provision, day and student: what the provisions' days and the
    room-days review rule count, read once for both."""

    start: dt.date
    end: dt.date
    rows: list[tuple[str, dt.date, int, int]]


def room_days_of(scope: Q, start: dt.date, end: dt.date) -> RoomDays:
    """`RoomDays` from `start` to `end` (one query)."""
    return RoomDays(start, end, _room_days_read(scope, start, end))


def _room_days_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    provision, student = "placement__provision__kind", "placement__student_id"
    return (
        PlacementDay.objects.filter(
            in_scope(scope, "placement__student"), date__gte=start, date__lte=end, is_active=True
        )
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values(provision, "date", student)
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(provision, "date", student, "n")
    )


_room_days_read = _scoped(
    _room_days_query,
    lambda start, end: _room_days_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _room_days_query(Q(year_group_id=year), start, end),
)


def _rows(queryset: QuerySet, key: str, label: str | None = None) -> list[Row]:
    """Placements counted by `key` (a field path), largest first; blank keys as "not recorded"."""
    fields = [key] + ([label] if label else [])
    rows = queryset.values(*fields).annotate(n=Count("pk")).order_by("-n", key)
    return [
        Row(
            label=str(row[label or key]) if row[label or key] not in (None, "") else "not recorded",
            count=row["n"],
            key="" if row[key] is None else str(row[key]),
        )
        for row in rows
    ]


# Each breakdown's field path (its key) and the path of its label (None: the key is the label).
_SLOT_SUBJECT = "removed_from__teaching_class__subject"
BREAKDOWN_FIELDS = {
    "reason": ("referral__incident__reason_id", "referral__incident__reason__name"),
    "year": ("student__year_group__number", None),
    "form": ("student__form_id", "student__form__code"),
    "department": (f"{_SLOT_SUBJECT}__department_id", f"{_SLOT_SUBJECT}__department__name"),
    "subject": (f"{_SLOT_SUBJECT}_id", f"{_SLOT_SUBJECT}__name"),
    "referrer": ("referrer", None),
}


# The columns of a user that name them (`_name`): read with the rows that point at the user
# rather than in a query of their own.
_NAME_FIELDS = ("first_name", "last_name", "username")
# Who may have asked for a placement, the referral's author first (as `referrer` takes them).
_REFERRERS = ("referral__requested_by", "booked_by")


def _name(row: dict[str, Any], user: str) -> str:
    """The full name, else the username, of the user at `user` in `row` (as `get_full_name()
    or get_username()` gives it)."""
    full = f"{row[f'{user}__first_name']} {row[f'{user}__last_name']}".strip()
    return full or row[f"{user}__username"]


def _detail_rows(spans: list[Span], scope: Q) -> list[dict[str, Any]]:
    """The placements (not cancelled) starting in any of `spans`, of students in `scope`, one
    row each: what `_placements_of` reads, each breakdown's key and label, who asked (the
    referral's author, or whoever booked a removal straight from a lesson) and their name, and
    the lesson period the heatmap counts (the lesson removed from, or the incident's). One read
    serves the counts, the breakdowns and the heatmap (a grouped query for each cost more to
    build than the few hundred rows cost to read). Read from the first to the last day of
    `spans`."""
    return _detail_read(scope, *_bounds(spans))


def _detail_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    paths = [path for pair in BREAKDOWN_FIELDS.values() for path in pair if path]
    names = [f"{user}__{name}" for user in _REFERRERS for name in _NAME_FIELDS]
    return (
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .filter(in_scope(scope, "student"), starts_on__gte=start, starts_on__lte=end)
        .annotate(
            referrer=Coalesce("referral__requested_by_id", "booked_by_id"),
            period=Coalesce("removed_from__period_id", "referral__incident__period_id"),
        )
        .order_by()
        .values(
            "pk",
            "provision__kind",
            "student_id",
            "starts_on",
            "removed_from_id",
            "period",
            "referral__requested_by_id",
            "student__sen_status",
            "student__looked_after",
            *paths,
            *names,
        )
    )


_detail_read = _scoped(
    _detail_query,
    lambda start, end: _detail_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _detail_query(Q(year_group_id=year), start, end),
)


def breakdowns(span: Span, scope: Q = WHOLE_SCHOOL) -> dict[str, list[Row]]:
    """Placements by reason, year group, form, referrer, and department and subject removed
    from (one query)."""
    return _breakdowns_of(_detail_rows([span], scope))


def _breakdowns_of(rows: list[dict[str, Any]]) -> dict[str, list[Row]]:
    """`breakdowns` counted from `_detail_rows`. Each is largest first, then by its key as the
    database orders it (no key first on SQLite, last on PostgreSQL)."""
    nulls_last = connection.features.nulls_order_largest
    found: dict[str, list[Row]] = {}
    for key, (path, label) in BREAKDOWN_FIELDS.items():
        counts: dict[Any, list[Any]] = {}
        for row in rows:
            if key in ("department", "subject") and row["removed_from_id"] is None:
                continue
            if row[path] in counts:
                counts[row[path]][1] += 1
            else:
                counts[row[path]] = [row[label or path], 1]
        order = sorted(
            counts.items(),
            key=lambda item: (-item[1][1], (item[0] is None) == nulls_last, item[0] or 0),
        )
        found[key] = [
            Row(
                label=str(shown) if shown not in (None, "") else "not recorded",
                count=n,
                key="" if value is None else str(value),
            )
            for value, (shown, n) in order
        ]
    for line in found["year"]:
        line.label = f"Year {line.label}" if line.key else line.label
    # Each referrer's name, from the first of their rows (every row of theirs names them alike).
    names: dict[int, str] = {}
    for row in rows:
        if row["referrer"] not in names:
            names[row["referrer"]] = _name(
                row,
                _REFERRERS[0] if row["referral__requested_by_id"] is not None else _REFERRERS[1],
            )
    for line in found["referrer"]:
        line.label = names.get(int(line.key), line.label)
    return found


def heatmap(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[list[dict[str, Any]], int]:
    """Placements by lesson period (the lesson removed from, or the incident's period) and
    weekday of their first day: one row per lesson period with five cells, and the largest cell
    (one query, and the periods' from the reference data cache)."""
    return _heatmap_of(_detail_rows([span], scope))


def _heatmap_of(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """`heatmap` counted from `_detail_rows`."""
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        if row["period"] is not None:
            cell = (row["period"], row["starts_on"].isoweekday())
            counts[cell] = counts.get(cell, 0) + 1
    grid = []
    for period in periods_of_day():
        if period.kind != Period.Kind.LESSON:
            continue
        cells = [
            {"weekday": day, "n": counts.get((period.pk, number), 0), "number": number}
            for number, day in enumerate(WEEKDAYS, start=1)
        ]
        grid.append({"period": period.code, "period_id": period.pk, "cells": cells})
    return grid, max(counts.values(), default=0)


def on_call_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[OnCallRequest]:
    """On-call calls raised in `span` (local school dates); with a year `scope`, the calls that
    name a student in it."""
    return _calls_between(scope, *_span_times(span))


def _calls_between(scope: Q, start: dt.datetime, end: dt.datetime) -> QuerySet[OnCallRequest]:
    """`on_call_in` from the moment `start` to before `end`."""
    # Naming every status, and one range of dates, lets the database read the (status,
    # raised_at) index for those dates alone (several spans' dates, OR-ed, read every call of
    # every year: `_call_rows` reads from the first span's start to the last one's end).
    calls = OnCallRequest.objects.filter(
        raised_at__gte=start, raised_at__lt=end, status__in=OnCallRequest.Status.values
    )
    if scope != WHOLE_SCHOOL:
        named = OnCallRequest.students.through.objects.filter(
            oncallrequest_id=OuterRef("pk"), student__in=Student.objects.filter(scope)
        )
        calls = calls.filter(Exists(named))
    return calls


def on_call_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> OnCallFigures:
    """Calls, escalations, and the median and 90th percentile minutes to claim and to arrive
    (one query)."""
    return _on_call_figures_of([span], _call_rows([span], scope))[0]


def on_call_of(spans: list[Span], scope: Q = WHOLE_SCHOOL) -> list[OnCallFigures]:
    """`on_call_figures` for each of `spans` (one query for them all)."""
    return _on_call_figures_of(spans, _call_rows(spans, scope))


def _call_rows(spans: list[Span], scope: Q) -> list[tuple]:
    """The calls raised in any of `spans`, one row each: when raised, claimed and arrived,
    whether escalated, and who raised them with their name and department (one read serves the
    figures and both breakdowns: a grouped query for each cost more to build than the calls cost
    to read). Read from the first to the last day of `spans`."""
    return _calls_read(scope, *_span_times(Span("", *_bounds(spans))))


# A call escalated to SLT: by the on-call officer, or raised to SLT in the first place.
_ESCALATED = Q(escalated_at__isnull=False) | Q(tier=2)


def _calls_query(scope: Q, start: dt.datetime, end: dt.datetime) -> QuerySet:
    # Plain tuples, and whether escalated rather than when (issue 15: a busy half-term's calls
    # cost more to turn into dicts and moments than to read).
    return (
        _calls_between(scope, start, end)
        .annotate(escalated=ExpressionWrapper(_ESCALATED, output_field=BooleanField()))
        .order_by()
        .values_list(
            "raised_at",
            "claimed_at",
            "arrived_at",
            "escalated",
            "raised_by_id",
            *[f"raised_by__{name}" for name in _NAME_FIELDS],
            "raised_by__staff__department_id",
            "raised_by__staff__department__name",
        )
    )


_calls_read = _scoped(
    _calls_query,
    lambda start, end: _calls_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _calls_query(Q(year_group_id=year), start, end),
)


def _calls_in(span: Span, calls: list[tuple]) -> list[tuple]:
    """The calls of `_call_rows` raised in `span`, by the moments it begins and ends (the same
    as their local day; issue 15: SQLite casting each call's time to a day cost more than the
    rest of the read)."""
    start, end = _span_times(span)
    return [call for call in calls if start <= call[0] < end]


def _on_call_figures_of(spans: list[Span], calls: list[tuple]) -> list[OnCallFigures]:
    """`on_call_figures` for each of `spans`, counted from `_call_rows`."""

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    # Each call's minutes to claim and to arrive (None when not claimed, or not arrived),
    # worked out once for all the spans.
    timed = [
        (
            raised_at,
            None if claimed_at is None else (claimed_at - raised_at).total_seconds() / 60,
            None
            if claimed_at is None or arrived_at is None
            else (arrived_at - raised_at).total_seconds() / 60,
            escalated,
        )
        for raised_at, claimed_at, arrived_at, escalated, *_ in calls
    ]
    found = []
    for span in spans:
        start, end = _span_times(span)
        mine = [call for call in timed if start <= call[0] < end]
        claim = sorted(minutes for _, minutes, _, _ in mine if minutes is not None)
        arrive = sorted(minutes for _, _, minutes, _ in mine if minutes is not None)
        found.append(
            OnCallFigures(
                calls=len(mine),
                claimed=len(claim),
                arrived=len(arrive),
                escalations=sum(1 for call in mine if call[3]),
                median_claim_minutes=rounded(percentile(claim, 0.5)),
                p90_claim_minutes=rounded(percentile(claim, 0.9)),
                median_arrive_minutes=rounded(percentile(arrive, 0.5)),
                p90_arrive_minutes=rounded(percentile(arrive, 0.9)),
            )
        )
    return found


def on_call_breakdowns(span: Span, scope: Q = WHOLE_SCHOOL) -> dict[str, list[Row]]:
    """On-call calls by the teacher who raised them and by that teacher's department (one
    query)."""
    return _on_call_breakdowns_of(_call_rows([span], scope))


def _on_call_breakdowns_of(calls: list[tuple]) -> dict[str, list[Row]]:
    """`on_call_breakdowns` counted from `_call_rows`, each largest first, then by its key as
    the database orders it (no department first on SQLite, last on PostgreSQL)."""
    nulls_last = connection.features.nulls_order_largest
    teachers: dict[int, list[Any]] = {}
    departments: dict[int | None, list[Any]] = {}
    for *_, teacher, first_name, last_name, username, department, name in calls:
        if teacher in teachers:
            teachers[teacher][1] += 1
        else:
            # The full name, else the username (as `_name` gives it).
            teachers[teacher] = [f"{first_name} {last_name}".strip() or username, 1]
        if department in departments:
            departments[department][1] += 1
        else:
            departments[department] = [name if name not in (None, "") else "not recorded", 1]
    return {
        "teacher": [
            Row(label=label, count=n, key=str(teacher))
            for teacher, (label, n) in sorted(teachers.items(), key=lambda i: (-i[1][1], i[0]))
        ],
        "department": [
            Row(label=str(label), count=n, key="" if department is None else str(department))
            for department, (label, n) in sorted(
                departments.items(),
                key=lambda i: (-i[1][1], (i[0] is None) == nulls_last, i[0] or 0),
            )
        ],
    }


def interviews_due_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Interview]:
    """Interviews due in `span` (not cancelled, nor their placement), with the day each was
    done (`done_on`)."""
    return (
        Interview.objects.exclude(status=Interview.Status.CANCELLED)
        .filter(in_scope(scope, "placement__student"), due_on__gte=span.start, due_on__lte=span.end)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .annotate(done_on=TruncDate("conducted_at"))
    )


# An interview of `interviews_due_in` done by its due day.
INTERVIEW_ON_TIME = Q(status=Interview.Status.DONE, done_on__lte=F("due_on"))


def interview_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Interviews due in `span` (not cancelled) and those done by their due day (one query)."""
    return interviews_of([span], scope)[0]


def interviews_of(spans: list[Span], scope: Q = WHOLE_SCHOOL) -> list[tuple[int, int]]:
    """`interview_figures` for each of `spans` (one query for them all, from the first to the
    last day of `spans`). Done on time is judged here, as `INTERVIEW_ON_TIME` judges it in the
    database: done, at a moment before the school's midnight that ends its due day (issue 15:
    SQLite casting each interview's moment to a day called Python once a row)."""
    rows = _interviews_read(scope, *_bounds(spans))
    done = Interview.Status.DONE
    # The first moment after each due day, on the school's clock (as `_span_times` ends a span).
    ends = {due_on: _span_times(Span("", due_on, due_on))[1] for due_on in {row[0] for row in rows}}
    return [
        (
            sum(1 for due_on, _, _ in rows if span.start <= due_on <= span.end),
            sum(
                1
                for due_on, status, conducted_at in rows
                if span.start <= due_on <= span.end
                and status == done
                and conducted_at is not None
                and conducted_at < ends[due_on]
            ),
        )
        for span in spans
    ]


def _interviews_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    """The interviews due from `start` to `end` (`interviews_due_in`): due day, status and when
    done."""
    return (
        interviews_due_in(Span("", start, end), scope)
        .order_by()
        .values_list("due_on", "status", "conducted_at")
    )


_interviews_read = _scoped(
    _interviews_query,
    lambda start, end: _interviews_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _interviews_query(Q(year_group_id=year), start, end),
)


def told_same_day(placements: QuerySet[Placement]) -> QuerySet[Message]:
    """The messages to a parent about one of `placements` sent on the day it was booked."""
    booked_day = (
        Placement.objects.filter(pk=OuterRef("related_id"))
        .annotate(day=TruncDate("booked_at"))
        .values("day")[:1]
    )
    return (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in=placements.values("pk"),
            audience=Message.Audience.PARENT,
            status=Message.Status.SENT,
        )
        .annotate(sent_day=TruncDate("sent_at"))
        .filter(sent_day=Subquery(booked_day, output_field=DateField()))
    )


def families_told(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Placements starting in `span`, and those whose family was sent a message about them on
    the day they were booked (two queries, and one for the content type)."""
    return families_told_of([span], _placements_of([span], scope), scope)[0]


def families_told_of(
    spans: list[Span], placements: list[tuple[int, str, int, dt.date]], scope: Q = WHOLE_SCHOOL
) -> list[tuple[int, int]]:
    """`families_told` for each of `spans`, from `placements` (`_placements_of` them) and one
    read of the messages to their families (and the content type's): those sent on the local
    day their placement was booked, as `told_same_day` finds them (issue 15: SQLite casting
    each message's and placement's moment to a day cost more than the rest of the read)."""
    starts = {pk: starts_on for pk, _, _, starts_on in placements}
    zone = timezone.get_current_timezone()
    told = {
        placement
        for placement, sent_at, booked_at in _told_read(scope, *_bounds(spans))
        if sent_at is not None
        and booked_at is not None
        and sent_at.astimezone(zone).date() == booked_at.astimezone(zone).date()
    }
    return [
        (
            sum(1 for day in starts.values() if span.start <= day <= span.end),
            sum(1 for pk in told if pk in starts and span.start <= starts[pk] <= span.end),
        )
        for span in spans
    ]


def _told_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    """The messages sent to a parent about a placement of `placements_in` the days: the
    placement, when sent and when the placement was booked."""
    booked_at = Placement.objects.filter(pk=OuterRef("related_id")).values("booked_at")[:1]
    return (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in=placements_in(Span("", start, end), scope).values("pk"),
            audience=Message.Audience.PARENT,
            status=Message.Status.SENT,
        )
        .annotate(booked_at=Subquery(booked_at, output_field=DateTimeField()))
        .order_by()
        .values_list("related_id", "sent_at", "booked_at")
    )


_told_read = _scoped(
    _told_query,
    lambda start, end: _told_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _told_query(Q(year_group_id=year), start, end),
)


def returned_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Placement]:
    """Placements whose last day falls in `span`, completed or failed: the student returned."""
    return Placement.objects.filter(
        in_scope(scope, "student"),
        status__in=[Placement.Status.COMPLETED, Placement.Status.FAILED],
        ends_on__gte=span.start,
        ends_on__lte=span.end,
    )


def placed_again(span: Span) -> Exists | None:
    """For a placement of `returned_in(span)`: another placement starting within ten school
    days of its last day (chosen in the database); None when the calendar has no such days."""
    limits = _re_referral_limits(span)
    if not limits:
        return None
    # The tenth school day after each possible last day.
    limit = Case(
        *[When(Exact(OuterRef("ends_on"), day), then=Value(last)) for day, last in limits.items()],
        default=Value(None),
        output_field=DateField(),
    )
    return Exists(
        Placement.objects.exclude(status=Placement.Status.CANCELLED).filter(
            student=OuterRef("student"),
            starts_on__gt=OuterRef("ends_on"),
            starts_on__lte=limit,
        )
    )


def _re_referral_limits(span: Span) -> dict[dt.date, dt.date]:
    """For each school day of `span` a placement may end on, the tenth school day after it
    (the last day a new placement counts as a re-referral; the calendar's three queries)."""
    days = school_days_from(span.start, (span.end - span.start).days + 30)
    return {
        day: days[i + RE_REFERRAL_SCHOOL_DAYS]
        for i, day in enumerate(days)
        if day <= span.end and i + RE_REFERRAL_SCHOOL_DAYS < len(days)
    }


def re_referrals(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Placements whose last day falls in `span` (completed or failed: the student returned),
    and those followed by another placement within ten school days (one query, and the
    calendar's)."""
    return re_referrals_of([span], scope)[0]


def re_referrals_of(spans: list[Span], scope: Q = WHOLE_SCHOOL) -> list[tuple[int, int]]:
    """`re_referrals` for each of `spans`: what `placed_again` decides in the database for the
    records page, decided here in Python over one read of the spans' returns and the placements
    starting after them (a CASE of one branch per day of a span cost more to build than the rows
    cost to read) (one query for them all, and the calendar's)."""
    # The tenth school day after each day a placement may end on from the first to the last day
    # of `spans` (for a day of a span, the same as `_re_referral_limits` of that span gives), and
    # the placements that may start in those ten days.
    start, end = _bounds(spans)
    limits = _re_referral_limits(Span("", start, end))
    if not limits:
        return [(0, 0) for _ in spans]
    rows = _returns_read(scope, start, end, max(limits.values()))
    starts: dict[int, list[dt.date]] = {}
    for student, status, starts_on, _ in rows:
        if status != Placement.Status.CANCELLED:
            starts.setdefault(student, []).append(starts_on)
    # Each return: its last day, and whether the student was placed again in time.
    returned_statuses = (Placement.Status.COMPLETED, Placement.Status.FAILED)
    returns = []
    for student, status, _, ends_on in rows:
        if status in returned_statuses and ends_on is not None:
            last = limits.get(ends_on)
            again = last is not None and any(
                ends_on < day <= last for day in starts.get(student, ())
            )
            returns.append((ends_on, again))
    found = []
    for span in spans:
        if not any(span.start <= day <= span.end for day in limits):
            # No school day of the span has ten more after it in the calendar: no figure.
            found.append((0, 0))
            continue
        mine = [again for ends_on, again in returns if span.start <= ends_on <= span.end]
        found.append((len(mine), sum(mine)))
    return found


def _returns_query(scope: Q, start: dt.date, end: dt.date, last: dt.date) -> QuerySet:
    """The placements that returned (ended, completed or failed) from `start` to `end`, and those
    (not cancelled) starting after `start` up to `last`."""
    returned_statuses = (Placement.Status.COMPLETED, Placement.Status.FAILED)
    return (
        Placement.objects.filter(in_scope(scope, "student"))
        .filter(
            Q(status__in=returned_statuses, ends_on__gte=start, ends_on__lte=end)
            | (~Q(status=Placement.Status.CANCELLED) & Q(starts_on__gt=start, starts_on__lte=last))
        )
        .order_by()
        .values_list("student_id", "status", "starts_on", "ends_on")
    )


_returns_read = _scoped(
    _returns_query,
    lambda start, end, last: _returns_query(WHOLE_SCHOOL, start, end, last),
    lambda year, start, end, last: _returns_query(Q(year_group_id=year), start, end, last),
)


def work_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> WorkFigures:
    """The work app's figures for the lessons missed in `span` by the students in `scope`: set
    by the teacher by the deadline or late, from the programme at the deadline, nothing; and
    completion in the room (one query)."""
    students = None if scope == WHOLE_SCHOOL else Student.objects.filter(scope)
    return work_selector_figures(span.start, span.end, students=students)


def work_of(spans: list[Span], scope: Q = WHOLE_SCHOOL) -> list[WorkFigures]:
    """`work_figures` for each of `spans` that overlap or nearly touch (one query for them all,
    compiled once for the whole school and for one year group)."""
    days = [(span.start, span.end) for span in spans]
    if scope == WHOLE_SCHOOL:
        return work_figures_per_span(days)
    year = _one_year(scope)
    if year is not None:
        return work_figures_per_span(days, year=year)
    return work_figures_per_span(days, students=Student.objects.filter(scope))


def _window_starts(
    span: Span, within: int, closed: set[dt.date] | None = None
) -> dict[dt.date, dt.date]:
    """For each day of `span`, the first of the `within` school days ending on it, as the review
    rules count them (weekdays that are not a non-school day; pastoral.services.reviews
    .window_start) (`closed`: the non-school days from `within * 3 + 14` days before the span's
    start or earlier to its end or later, when already read)."""
    earliest = span.start - dt.timedelta(days=within * 3 + 14)
    if closed is None:
        closed = non_school_days(earliest, span.end)
    # The school days after `earliest` up to the span's end, in order: the window ending on a
    # day starts `within` of them back from it (at `earliest` when there are fewer).
    school_days = []
    day = earliest + dt.timedelta(days=1)
    while day <= span.end:
        if day.weekday() < 5 and day not in closed:
            school_days.append(day)
        day += dt.timedelta(days=1)
    starts = {}
    day = span.start
    while day <= span.end:
        counted = bisect.bisect_right(school_days, day)
        starts[day] = school_days[counted - within] if 0 < within <= counted else earliest
        day += dt.timedelta(days=1)
    return starts


def met_review_rule(span: Span, scope: Q = WHOLE_SCHOOL) -> list[int]:
    """The ids of the students who met an active review rule about a student with a placement
    starting in `span`, as pastoral.services.reviews.review_rules_check judges it at booking
    (`met_review_rule_of` the one span)."""
    return met_review_rule_of([span], scope)[0]


@dataclass(frozen=True)
class _Rule:
    """What `met_review_rule_of` asks of an active review rule about a student."""

    kind: str
    count: int
    within_school_days: int


_rules_read = compiled_query(
    lambda: ReviewRule.objects.filter(
        is_active=True, subject=ReviewRule.Subject.STUDENT
    ).values_list("kind", "count", "within_school_days")
)


# What `met_review_rule_of` reads of a placement: student, first day, the student's SEN status
# and whether they are looked after.
_REVIEW_FIELDS = ("student_id", "starts_on", "student__sen_status", "student__looked_after")


def _review_placements_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    return placements_in(Span("", start, end), scope).order_by().values_list(*_REVIEW_FIELDS)


_review_placements_read = _scoped(
    _review_placements_query,
    lambda start, end: _review_placements_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _review_placements_query(Q(year_group_id=year), start, end),
)


@dataclass(frozen=True)
class ReviewPlacements:
    """The placements (not cancelled) of the students in a scope starting from `start` to `end`,
    as `met_review_rule_of` reads them (`_REVIEW_FIELDS`): read with the figures' other
    placements rather than again."""

    start: dt.date
    end: dt.date
    rows: list[tuple[int, dt.date, str, bool]]


def met_review_rule_of(
    spans: list[Span],
    scope: Q = WHOLE_SCHOOL,
    room_days: RoomDays | None = None,
    placements: ReviewPlacements | None = None,
) -> list[list[int]]:
    """`met_review_rule` for each of `spans`: one read of the live placements of the students in
    `scope` from the earliest day a removals rule looks back to to the last day of `spans` (their
    removals counted here in Python; a CASE of one branch per day of the span and a counting
    subquery cost more to build than the rows cost to read; with `placements`, only those
    before them are read), one of their days in a room when a rule counts those (`room_days`,
    when already read for the dates the rule counts), and the rules', for all the spans (the
    half-terms and the non-school days come from the reference data cache). Each read is
    compiled once (`_scoped`)."""
    rules = [_Rule(*row) for row in _rules_read()]
    spans_met = [span for span in spans if span.start <= span.end]
    if not rules or not spans_met:
        return [[] for _ in spans]
    removals = [rule for rule in rules if rule.kind == ReviewRule.Kind.REMOVALS]
    closed: set[dt.date] = set()
    if removals:
        longest = max(rule.within_school_days for rule in removals)
        closed = non_school_days(
            min(span.start for span in spans_met) - dt.timedelta(days=longest * 3 + 14),
            max(span.end for span in spans_met),
        )
    halves: list[HalfTerm] = []
    if any(rule.kind == ReviewRule.Kind.ROOM_DAYS for rule in rules):
        halves = half_terms_between(
            min(span.start for span in spans_met), max(span.end for span in spans_met)
        )
    # Per span: each removals rule's count and the first day of its window ending on each day;
    # each room-days rule's half-terms with the students over its count in the half-term up to
    # the span's last day (its count, the half-term's first day and that last day as the key).
    windows: list[list[tuple[int, dict[dt.date, dt.date]]]] = []
    rooms: list[list[tuple[tuple[int, dt.date, dt.date], HalfTerm]]] = []
    flags: dict[tuple[int, dt.date, dt.date], set[int]] = {}
    reads: list[Span] = []
    for span in spans_met:
        first = span.start
        windows.append([])
        rooms.append([])
        for rule in rules:
            if rule.kind == ReviewRule.Kind.REMOVALS:
                starts = _window_starts(span, rule.within_school_days, closed)
                windows[-1].append((rule.count, starts))
                first = min(first, *starts.values())
            elif rule.kind == ReviewRule.Kind.ROOM_DAYS:
                for half in halves:
                    if half.starts_on > span.end or half.ends_on < span.start:
                        continue
                    # The days in a room in the half-term up to the span's last day.
                    key = (rule.count, half.starts_on, min(half.ends_on, span.end))
                    flags[key] = set()
                    rooms[-1].append((key, half))
        reads.append(Span("", first, span.end))
    if flags:
        first_day = min(since for _, since, _ in flags)
        last_day = max(until for _, _, until in flags)
        if room_days is None or not room_days.start <= first_day <= last_day <= room_days.end:
            room_days = room_days_of(scope, first_day, last_day)
        for (count, since, until), over in flags.items():
            per_student: dict[int, int] = {}
            for _, day, student, n in room_days.rows:
                if since <= day <= until:
                    per_student[student] = per_student.get(student, 0) + n
            over.update(student for student, n in per_student.items() if n >= count)
    first_day, last_day = _bounds(reads)
    if placements is not None and placements.start <= last_day <= placements.end:
        # The placements already read, and those before them back to the first day a removals
        # rule looks at.
        rows = [row for row in placements.rows if first_day <= row[1] <= last_day]
        if first_day < placements.start:
            rows += _review_placements_read(
                scope, first_day, placements.start - dt.timedelta(days=1)
            )
    else:
        rows = _review_placements_read(scope, first_day, last_day)
    # Each student's first days, in order, to count those in a window by bisection.
    starts_of: dict[int, list[dt.date]] = {}
    for student, day, _, _ in rows:
        starts_of.setdefault(student, []).append(day)
    for days in starts_of.values():
        days.sort()
    ehcp = any(rule.kind == ReviewRule.Kind.EHCP_OR_LOOKED_AFTER for rule in rules)
    found: dict[Span, list[int]] = {}
    for i, span in enumerate(spans_met):
        met: set[int] = set()
        for student, day, sen_status, looked_after in rows:
            # A student meets a rule once for the span: their other placements add nothing.
            if student in met or not span.start <= day <= span.end:
                continue
            if (
                (ehcp and (sen_status == Student.SenStatus.EHCP or looked_after))
                or any(
                    bisect.bisect_right(starts_of[student], day)
                    - bisect.bisect_left(starts_of[student], since[day])
                    >= count
                    for count, since in windows[i]
                )
                or any(
                    student in flags[key] and half.starts_on <= day <= half.ends_on
                    for key, half in rooms[i]
                )
            ):
                met.add(student)
        found[span] = sorted(met)
    return [found.get(span, []) for span in spans]


def _review_in_hand(span: Span) -> Q:
    """Reviews about a student that cover `span`: opened by its end, and not closed before its
    start."""
    start, end = _span_times(span)
    return Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))


def _span_times(span: Span) -> tuple[dt.datetime, dt.datetime]:
    """The first moment of `span` and the first after it (local school time)."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(span.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def reviews_behind(
    span: Span, scope: Q = WHOLE_SCHOOL, met: list[int] | None = None
) -> QuerySet[ReviewTask]:
    """The reviews about the students who met a review rule in `span` that cover the span
    (`met`: those students' ids when already read)."""
    if met is None:
        met = met_review_rule(span, scope)
    return ReviewTask.objects.filter(_review_in_hand(span), student_id__in=met)


def review_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> ReviewFigures:
    """Students who met a review rule in `span`, those with a review opened and closed, and the
    closed reviews by decision (three queries, and the rules')."""
    return reviews_of([span], scope)[0]


def reviews_of(
    spans: list[Span],
    scope: Q = WHOLE_SCHOOL,
    room_days: RoomDays | None = None,
    placements: ReviewPlacements | None = None,
) -> list[ReviewFigures]:
    """`review_figures` for each of `spans`: who met a rule read once for them all (from
    `placements` and `room_days` when already read), then one read of the reviews about the
    students in `scope` that cover the first to the last day of `spans`, counted per span and
    student as `reviews_behind` would give them (the closed ones by decision, most first, then
    by decision)."""
    met_of = met_review_rule_of(spans, scope, room_days, placements)
    if not any(met_of):
        return [ReviewFigures() for _ in spans]
    tasks = _tasks_read(scope, *_span_times(Span("", *_bounds(spans))))
    labels = dict(ReviewTask.Decision.choices)
    found = []
    for span, met in zip(spans, met_of, strict=True):
        if not met:
            found.append(ReviewFigures())
            continue
        start, end = _span_times(span)
        mine = set(met)
        covering = [
            (student, status, decision)
            for student, status, decision, opened_at, closed_at in tasks
            if student in mine and opened_at < end and (closed_at is None or closed_at >= start)
        ]
        closed = [row for row in covering if row[1] == ReviewTask.Status.CLOSED]
        decided: dict[str, int] = {}
        for _, _, decision in closed:
            decided[decision] = decided.get(decision, 0) + 1
        found.append(
            ReviewFigures(
                met=len(met),
                opened=len({student for student, _, _ in covering}),
                closed=len({student for student, _, _ in closed}),
                decisions=[
                    Row(label=labels.get(decision, decision), count=n, key=decision)
                    for decision, n in sorted(decided.items(), key=lambda item: (-item[1], item[0]))
                ],
            )
        )
    return found


def _tasks_query(scope: Q, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The reviews about a student in `scope` opened before `end` and not closed before
    `start`."""
    return (
        ReviewTask.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=start),
            in_scope(scope, "student"),
            opened_at__lt=end,
        )
        .order_by()
        .values_list("student_id", "status", "decision", "opened_at", "closed_at")
    )


_tasks_read = _scoped(
    _tasks_query,
    lambda start, end: _tasks_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _tasks_query(Q(year_group_id=year), start, end),
)


def figures(span: Span, scope: Q = WHOLE_SCHOOL, *, detail: bool = True) -> Figures:
    """Every measure for `span`, for the students in `scope` (a fixed number of queries); without
    `detail`, no breakdowns and no heatmap (a comparison column needs only the totals)."""
    return figures_of([span], scope, detail=[detail])[0]


def figures_of(
    spans: list[Span], scope: Q = WHOLE_SCHOOL, *, detail: list[bool] | None = None
) -> list[Figures]:
    """`figures` for each of `spans` (`detail`: per span, as `figures` takes it; all by
    default). Spans that overlap or nearly touch (the dashboard's weeks and its half-term) are
    read together, one date range a query; spans far apart (a half-term a year before) each on
    their own (one query over several far-apart ranges made the five-year half-termly report
    several times slower)."""
    details = detail if detail is not None else [True] * len(spans)
    groups: dict[Span, list[int]] = {}
    for i, span in enumerate(spans):
        # Each span in the run of overlapping spans its first day is in.
        merged = next(m for m in _merged(spans) if m.start <= span.start <= m.end)
        groups.setdefault(merged, []).append(i)
    found: dict[int, Figures] = {}
    for mine in groups.values():
        together = _figures_together([spans[i] for i in mine], scope, [details[i] for i in mine])
        found.update(zip(mine, together, strict=True))
    return [found[i] for i in range(len(spans))]


def _figures_together(spans: list[Span], scope: Q, details: list[bool]) -> list[Figures]:
    """`figures_of` spans that overlap: the placements (with what the breakdowns and heatmap
    count, when a span asks for them), days in rooms, interviews, families told, returns, calls
    (with who raised them), reviews, work and students on roll are read once for all the spans
    and counted per span in Python (one plain read cost less than a query per span and
    measure)."""
    rows = _detail_rows(spans, scope) if any(details) else []
    placements = (
        [(row["pk"], row["provision__kind"], row["student_id"], row["starts_on"]) for row in rows]
        if any(details)
        else _placements_of(spans, scope)
    )
    # The days in a room from the first day of the half-term the spans begin in (a room-days
    # review rule counts a student's days in the half-term) to their last day.
    first, last = _bounds(spans)
    room_days = room_days_of(
        scope, min([first, *(half.starts_on for half in half_terms_between(first, last))]), last
    )
    provisions = provisions_of(spans, placements, scope, room_days)
    interviews = interviews_of(spans, scope)
    told = families_told_of(spans, placements, scope)
    returns = re_referrals_of(spans, scope)
    call_rows = _call_rows(spans, scope)
    calls = _on_call_figures_of(spans, call_rows)
    reviews = reviews_of(
        spans,
        scope,
        room_days,
        ReviewPlacements(
            first,
            last,
            [
                (
                    row["student_id"],
                    row["starts_on"],
                    row["student__sen_status"],
                    row["student__looked_after"],
                )
                for row in rows
            ],
        )
        if any(details)
        else None,
    )
    work = work_of(spans, scope)
    admissions = _admissions_read(scope)
    found = []
    for i, span in enumerate(spans):
        mine = [row for row in placements if span.start <= row[3] <= span.end]
        detailed = [row for row in rows if span.start <= row["starts_on"] <= span.end]
        grid, grid_max = _heatmap_of(detailed) if details[i] else ([], 0)
        found.append(
            Figures(
                span=span,
                provisions=provisions[i],
                placements=len(mine),
                students=len({row[2] for row in mine}),
                on_roll=sum(
                    n
                    for admitted_on, left_on, n in admissions
                    if (admitted_on is None or admitted_on <= span.end)
                    and (left_on is None or left_on >= span.start)
                ),
                breakdowns=_breakdowns_of(detailed) if details[i] else {},
                heatmap=grid,
                heatmap_max=grid_max,
                on_call=calls[i],
                interviews_due=interviews[i][0],
                interviews_on_time=interviews[i][1],
                placements_families_told=told[i][0],
                families_told_same_day=told[i][1],
                returned=returns[i][0],
                re_referred=returns[i][1],
                work=work[i],
                reviews=reviews[i],
                on_call_breakdowns=(
                    _on_call_breakdowns_of(_calls_in(span, call_rows)) if details[i] else {}
                ),
            )
        )
    return found
