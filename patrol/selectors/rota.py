"""Reads for the duty rota: the week, periods down and days across, with its coverage check."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from conduct.lib import refcache
from conduct.lib.compiled import compiled_query
from conduct.lib.rendering import Options
from patrol.models import SUPERVISION_KINDS, Duty, StaffAbsence
from school.models import Period, staff_display_name
from school.selectors import calendar as school_calendar
from school.selectors import pickers

KIND_LABELS = dict(Duty.Kind.choices)
BLANK = "---------"  # a select's empty choice, as Django's ModelChoiceField writes it


@dataclass(slots=True)
class RotaDuty:
    """One duty as the rota shows it, read with .values() (a week holds a hundred or more)."""

    pk: int
    staff_id: int
    name: str
    kind: str
    kind_label: str
    room_id: int | None
    room_code: str
    away: bool = False  # its person is recorded away that day: it needs cover
    mine: bool = False  # the signed-in person's own duty


@dataclass(frozen=True, slots=True)
class RotaAbsence:
    """A member of staff away, as the rota lists them."""

    pk: int
    staff_id: int
    staff_name: str
    starts_on: dt.date
    ends_on: dt.date
    note: str


@dataclass
class RotaCell:
    day: dt.date
    period: Period
    duties: list[RotaDuty] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    absent: set[int] = field(default_factory=set)
    label: str = ""  # the cell for a screen reader: "Mon 23 Nov P1"
    today: bool = False

    @property
    def needs_cover(self) -> list[RotaDuty]:
        return [d for d in self.duties if d.away]


@dataclass
class RotaWeek:
    monday: dt.date
    days: list[dt.date]
    school_days: set[dt.date]
    periods: list[Period]
    rows: list[tuple[Period, list[RotaCell]]]
    absences: list[RotaAbsence]

    @property
    def gaps(self) -> list[tuple[dt.date, Period, str]]:
        found = [
            (cell.day, period, gap)
            for period, cells in self.rows
            for cell in cells
            for gap in cell.gaps
        ]
        return sorted(found, key=lambda g: (g[0], g[1].starts_at))


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _overlaps(period: Period, starts: dt.time | None, ends: dt.time | None) -> bool:
    if starts is None or ends is None:
        # A provision without its own day (the reflection room) runs in lessons.
        return period.kind == Period.Kind.LESSON
    return period.starts_at < ends and starts < period.ends_at


def _provision_rooms():
    from sanctions.models import ProvisionRoom

    return ProvisionRoom.objects.values_list("provision__kind", "room_id")


def _occupied_rooms(first: dt.date, last: dt.date):
    from sanctions.models import Placement, PlacementDay

    return (
        PlacementDay.objects.filter(date__gte=first, date__lte=last, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list(
            "date",
            "room_id",
            "room__code",
            "placement__provision__kind",
            "placement__provision__arrives_at",
            "placement__provision__leaves_at",
        )
        .distinct()
    )


# Reads of one fixed shape, their SQL built once (conduct.lib.compiled): the rooms occupied in a
# week, each provision's rooms, the week's duties and absences, and the forms' staff and rooms.
_OCCUPIED_ROOMS = compiled_query(_occupied_rooms)
_PROVISION_ROOMS = compiled_query(_provision_rooms)
_DUTIES = compiled_query(
    lambda first, last: (
        Duty.objects.filter(date__gte=first, date__lte=last)
        .order_by()
        .values_list(
            "pk",
            "date",
            "period_id",
            "kind",
            "staff_id",
            "staff__title",
            "staff__first_name",
            "staff__last_name",
            "room_id",
            "room__code",
        )
    )
)
_ABSENCES = compiled_query(
    lambda first, last: (
        StaffAbsence.objects.filter(starts_on__lte=last, ends_on__gte=first)
        .order_by("starts_on", "staff__last_name")
        .values_list(
            "pk",
            "staff_id",
            "staff__title",
            "staff__first_name",
            "staff__last_name",
            "starts_on",
            "ends_on",
            "note",
        )
    )
)


# A duty as the week keeps it in the cache: (pk, staff id, name, kind, its label, room id, room
# code), each cell's in the order the rota lists them.
CachedDuty = tuple[int, int, str, str, str, int | None, str]


def _week_on_rota(
    monday: dt.date,
) -> tuple[dict[tuple[dt.date, int], list[CachedDuty]], list[RotaAbsence]]:
    """The week's duties, by cell (day, period id) and in order, and its staff absences: the
    duty rota is reference data, kept until the next change to a duty, an absence, the staff
    or the rooms (conduct.lib.refcache), so each duty's name is written and each cell sorted
    once, not on every load."""

    def read() -> tuple[dict[tuple[dt.date, int], list[CachedDuty]], list[RotaAbsence]]:
        friday = monday + dt.timedelta(days=4)
        absences = [
            RotaAbsence(pk, staff_id, staff_display_name(title, first, last), starts, ends, note)
            for pk, staff_id, title, first, last, starts, ends, note in _ABSENCES(monday, friday)
        ]
        by_cell: dict[tuple[dt.date, int], list[tuple[tuple, CachedDuty]]] = defaultdict(list)
        for pk, day, period_id, kind, staff_id, title, first, last, room_id, room_code in _DUTIES(
            monday, friday
        ):
            duty = (
                pk,
                staff_id,
                staff_display_name(title, first, last),
                kind,
                KIND_LABELS.get(kind, kind),
                room_id,
                room_code or "",
            )
            by_cell[(day, period_id)].append(((kind, last, pk), duty))
        cells = {
            cell: [duty for _, duty in sorted(duties, key=lambda i: i[0])]
            for cell, duties in by_cell.items()
        }
        return cells, absences

    # "rota_cells", not the "rota_week" of old: a cache shared across a deploy holds the old
    # shape under the old name.
    return refcache.cached(f"rota_cells:{monday.isoformat()}", read)


def rota_week(monday: dt.date, *, me: int | None = None, today: dt.date | None = None) -> RotaWeek:
    """The duty rota for the week from `monday`: every period of every weekday with its duties,
    and the coverage check: a provision room with students booked in and nobody supervising it,
    a lesson with nobody on patrol, a duty whose person is away. `me` (a staff id) marks that
    person's duties, `today` that day's cells. A fixed number of queries: one, the rooms booked
    that week, when the reference data is cached."""
    days = [monday + dt.timedelta(days=n) for n in range(5)]
    # Two queries for the week rather than four a day.
    school_days = set(school_calendar.school_days_from(days[0], 5)) & set(days)
    periods = school_calendar.periods_of_day()
    cached_cells, absences = _week_on_rota(monday)
    occupied: dict[dt.date, dict[int, tuple[str, str, Any, Any]]] = defaultdict(dict)
    for day, room_id, room_code, kind, starts, ends in _OCCUPIED_ROOMS(days[0], days[-1]):
        occupied[day][room_id] = (room_code, kind, starts, ends)
    rooms_of_kind: dict[str, set[int]] = defaultdict(set)
    for kind, room_id in refcache.cached("rota_provision_rooms", _PROVISION_ROOMS):
        rooms_of_kind[kind].add(room_id)

    away = {d: {a.staff_id for a in absences if a.starts_on <= d <= a.ends_on} for d in days}
    by_cell = {
        (day, period_id): [RotaDuty(*duty, duty[1] in away[day], duty[1] == me) for duty in duties]
        for (day, period_id), duties in cached_cells.items()
    }

    day_labels = {day: f"{day:%a} {day.day} {day:%b}" for day in days}
    # Each day's occupied rooms in the order the gaps name them (by code), sorted once a day.
    rooms_by_day = {
        day: sorted(occupied[day].items(), key=lambda i: i[1][0]) for day in school_days
    }
    rows = []
    for period in periods:
        cells = []
        for day in days:
            cell = RotaCell(
                day=day,
                period=period,
                duties=by_cell.get((day, period.pk), []),
                absent=away[day],
                label=f"{day_labels[day]} {period.name}",
                today=day == today,
            )
            if day in school_days:
                cell.gaps = _gaps(cell, rooms_by_day[day], rooms_of_kind)
            cells.append(cell)
        rows.append((period, cells))
    return RotaWeek(monday, days, school_days, periods, rows, absences)


def _gaps(cell: RotaCell, occupied: list, rooms_of_kind) -> list[str]:
    present = [d for d in cell.duties if d.staff_id not in cell.absent]
    gaps = []
    for room_id, (code, kind, starts, ends) in occupied:
        # A supervision duty's kind is its provision's code.
        if kind not in SUPERVISION_KINDS or not _overlaps(cell.period, starts, ends):
            continue
        covered = any(
            d.kind == kind
            and (d.room_id == room_id or (d.room_id is None and room_id in rooms_of_kind[kind]))
            for d in present
        )
        if not covered:
            gaps.append(f"Nobody supervising {code}")
    if cell.period.kind == Period.Kind.LESSON and not any(
        d.kind == Duty.Kind.ON_CALL for d in present
    ):
        gaps.append("Nobody on patrol")
    return gaps


def coverage_gaps(monday: dt.date) -> list[tuple[dt.date, Period, str]]:
    """Every gap in the week from `monday`: (day, period, what is missing)."""
    return rota_week(monday).gaps


def staff_options() -> Options:
    """The active staff as the rota's forms list them ("Mr J Smith", as `str(staff)`) after
    the empty choice, their `<option>`s written once and kept with the reference data: both
    forms list the same ninety people."""
    return pickers.active_staff_options(BLANK)


def room_options() -> Options:
    """The active rooms as the duty form lists them (as `str(room)`: "S1 Science lab", or the
    code alone) after the empty choice, their `<option>`s written once and kept with the
    reference data."""
    return pickers.active_room_options(BLANK)
