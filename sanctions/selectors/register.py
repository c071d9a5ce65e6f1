"""Reads for a room's register: its placement days and fingerprint, the rooms' places, the marks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from conduct.lib import clock
from conduct.lib.urls import url_maker
from notify.models import Message
from sanctions import policies
from sanctions.models import (
    AttendanceMark,
    ClosedDay,
    DigestRun,
    Placement,
    PlacementDay,
    Provision,
    RoomLogEntry,
)
from sanctions.selectors import provisions as provision_selectors
from school.models import Term
from work.selectors import requests as work_selectors


def register_placement_days(room_id: int, day: dt.date, *, viewer=None) -> QuerySet[PlacementDay]:
    """The register for one room on one day (the lines `viewer` may see, when given: pastoral
    staff see their years), with everything its rows show, in a fixed number of queries."""
    lines = PlacementDay.objects.filter(room_id=room_id, date=day, is_active=True)
    if viewer is not None:
        lines = policies.register_lines_in_scope(viewer, lines)
    return (
        lines.exclude(placement__status=Placement.Status.CANCELLED)
        .select_related(
            "placement__student__form",
            "placement__student__year_group",
            "placement__provision",
            "placement__referral__incident__reason",
            "placement__removed_from__period",
            "placement__removed_from__teaching_class",
            "placement__removed_from__staff",
        )
        .prefetch_related(
            "marks",
            "log_entries",
            # The entry and exit interviews shown (and linked) on the line.
            "placement__interviews",
            Prefetch(
                "work_requests",
                queryset=work_selectors.requests_not_cancelled(),
            ),
            Prefetch(
                "placement__student__messages",
                queryset=Message.objects.filter(
                    audience=Message.Audience.PARENT,
                    related_type__app_label="sanctions",
                    related_type__model="placement",
                ).order_by("-created_at"),
                to_attr="placement_messages",
            ),
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )


@dataclass
class RegisterDay:
    """What a room's register shows for a day: the provisions that use the room with their own
    times, the students' lines (each with `days_this_term` and `days_this_year`), and whether
    the day is closed."""

    provisions: list[Provision]
    placement_days: list[PlacementDay]
    closed: ClosedDay | None
    term: Term | None


def register_day(room_id: int, day: dt.date, *, viewer=None) -> RegisterDay:
    """The register for one room on one day in a fixed number of queries, whatever the number of
    students (the lines `viewer` may see, when given)."""
    placement_days = list(register_placement_days(room_id, day, viewer=viewer))
    term = (
        Term.objects.select_related("academic_year")
        .filter(starts_on__lte=day, academic_year__ends_on__gte=day)
        .order_by("-starts_on")
        .first()
    )
    _count_days_in_rooms(placement_days, day, term)
    provisions = list(Provision.objects.filter(rooms__room_id=room_id).order_by("kind").distinct())
    closed = ClosedDay.objects.filter(room_id=room_id, date=day).select_related("closed_by").first()
    return RegisterDay(provisions, placement_days, closed, term)


def _count_days_in_rooms(placement_days: list[PlacementDay], day: dt.date, term) -> None:
    """Set each line's days in a room (any provision) this term and this academic year, up to
    and including `day` (one query)."""
    counts: dict[int, dict[str, int]] = {}
    if term is not None and placement_days:
        rows = (
            PlacementDay.objects.filter(
                placement__student__in=[pd.placement.student_id for pd in placement_days],
                is_active=True,
                date__gte=term.academic_year.starts_on,
                date__lte=day,
            )
            .exclude(placement__status=Placement.Status.CANCELLED)
            .values("placement__student")
            .annotate(
                year=Count("date", distinct=True),
                term=Count("date", distinct=True, filter=Q(date__gte=term.starts_on)),
            )
        )
        counts = {row["placement__student"]: row for row in rows}
    for placement_day in placement_days:
        row = counts.get(placement_day.placement.student_id, {})
        placement_day.days_this_term = row.get("term", 0)  # type: ignore[attr-defined]
        placement_day.days_this_year = row.get("year", 0)  # type: ignore[attr-defined]


def digest_of(day: dt.date) -> DigestRun | None:
    """The register digest sent for `day`, with who sent it last, or None."""
    return DigestRun.objects.select_related("sent_by").filter(date=day).first()


@dataclass(frozen=True)
class RoomToday:
    """A provision's room with its places and how many are booked on the day."""

    provision: str
    room: str  # as `Room.__str__` writes it: "IE1" or "IE1 Old library"
    url: str  # the room's register today
    capacity: int
    booked: int


def rooms_today(day: dt.date, *, booked: dict[int, int] | None = None) -> list[RoomToday]:
    """Each provision room with its places booked on `day` (`booked` by room id, when the page
    has counted them already: no query; else one; the rooms are reference data)."""
    if booked is None:
        booked = dict(
            PlacementDay.objects.filter(date=day, is_active=True)
            .exclude(placement__status=Placement.Status.CANCELLED)
            .values_list("room")
            .annotate(n=Count("pk"))
        )
    url = url_maker("register-today")
    found = []
    for r in provision_selectors.bookable_provision_rooms():
        code, name = r.room.code, r.room.name
        found.append(
            RoomToday(
                provision=r.provision.name,
                room=code if not name or name == code else f"{code} {name}",
                url=url(code),
                capacity=r.capacity,
                booked=booked.get(r.room_id, 0),
            )
        )
    return found


def marks_between(start: dt.date, end: dt.date) -> QuerySet[AttendanceMark]:
    """Every attendance mark in the rooms between two dates, for the MIS export; never a mark
    for a day that has not come (the MIS would take it as attendance)."""
    return (
        AttendanceMark.objects.filter(
            placement_day__date__gte=start,
            placement_day__date__lte=min(end, clock.today()),
            placement_day__is_active=True,
        )
        .select_related(
            "placement_day__placement__student",
            "placement_day__placement__provision",
            "placement_day__room",
            "recorded_by",
        )
        .order_by(
            "placement_day__date",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__legal_first_name",
            "session",
        )
    )


def register_version(room_id: int, day: dt.date) -> str:
    """A fingerprint of a room's register on a day: changes whenever a placement day, mark, log
    entry, placement status or the day's closing changes, so an open register screen knows to
    refresh."""
    placement_days = PlacementDay.objects.filter(room_id=room_id, date=day)
    state = placement_days.aggregate(
        n=Count("pk", filter=Q(is_active=True)),
        closed=Count("pk", filter=~Q(placement__status=Placement.Status.BOOKED)),
        last=Max("pk"),
    )
    marks = AttendanceMark.objects.filter(placement_day__in=placement_days).aggregate(
        n=Count("pk"), last=Max("recorded_at")
    )
    log = RoomLogEntry.objects.filter(placement_day__in=placement_days).aggregate(n=Count("pk"))
    closed = ClosedDay.objects.filter(room_id=room_id, date=day).count()
    return "-".join(
        str(v)
        for v in (
            state["n"],
            state["closed"],
            state["last"],
            marks["n"],
            marks["last"].timestamp() if marks["last"] else 0,
            log["n"],
            closed,
        )
    )
