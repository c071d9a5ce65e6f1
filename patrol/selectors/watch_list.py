"""Reads for the watch list: who is on it with their drop-ins, and where each student is now."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from conduct.lib import clock
from pastoral.policies import note_readable
from patrol import policies
from patrol.models import DropIn, WatchListEntry
from school.models import Staff, Student
from school.selectors import timetable as school_timetable


def provision_today(student_ids: list[int], day: dt.date) -> dict[int, str]:
    """Students booked into a provision room on `day` ("Internal exclusion, IE1"): the
    timetable's lesson is not where they are. One query; read-only use of sanctions."""
    from sanctions.models import Placement, PlacementDay

    rows = (
        PlacementDay.objects.filter(date=day, is_active=True, placement__student_id__in=student_ids)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("placement__student_id", "placement__provision__name", "room__code")
    )
    return {student_id: f"{name}, {room}" for student_id, name, room in rows}


@dataclass
class Watched:
    """One watched student as the patrol and the requester see them."""

    entry: WatchListEntry
    due_for_review: bool
    drop_ins: list[DropIn] = field(default_factory=list)
    where: school_timetable.Whereabouts | None = None
    in_provision: str = ""
    # Whether the person looking may read why the student is watched (patrol.policies).
    show_reason: bool = False

    @property
    def student(self) -> Student:
        return self.entry.student

    @property
    def last_drop_in(self) -> DropIn | None:
        return self.drop_ins[0] if self.drop_ins else None

    @property
    def where_text(self) -> str:
        """ "Period 2 · 9X/Ma1 in M4 · Ms A Teague", or why the timetable says nowhere."""
        if self.in_provision:
            return f"In {self.in_provision} today"
        where = self.where
        if where is None:
            return ""
        if where.slot is None:
            return where.reason
        parts = [where.period.name if where.period else "", where.slot.teaching_class.code]
        if where.room is not None:
            parts[-1] += f" in {where.room.code}"
        if where.teachers:
            parts.append(", ".join(t.display_name for t in where.teachers))
        return " · ".join(p for p in parts if p)


def watch_list(
    *,
    today: dt.date | None = None,
    requested_by: Staff | None = None,
    drop_ins: int = 5,
    viewer=None,
    reader=None,
) -> list[Watched]:
    """Students on the watch list now (optionally only those `requested_by` asked for; those
    `viewer` may read on the watch list page, when given), each with their latest drop-ins and
    whether the review date has passed; two queries. With `reader`, the latest drop-ins are those
    `reader` may see at their level: one above it is not there at all."""
    today = today or clock.today()
    entries = WatchListEntry.objects.filter(ended_at__isnull=True).select_related(
        "student__form", "student__year_group", "requested_by", "added_by__staff"
    )
    if requested_by is not None:
        entries = entries.filter(requested_by=requested_by)
    if viewer is not None:
        entries = policies.watch_entries_in_scope(viewer, entries)
    entries = entries.prefetch_related(
        Prefetch(
            "drop_ins",
            queryset=DropIn.objects.select_related(
                "by__staff", "teaching_class", "room", "period"
            ).order_by("-at"),
        )
    )
    return [
        Watched(
            entry=e,
            due_for_review=e.review_on <= today,
            drop_ins=[d for d in e.drop_ins.all() if reader is None or note_readable(reader, d)][
                :drop_ins
            ],
        )
        for e in entries
    ]


def watch_list_where_now(*, now: dt.datetime | None = None, reader=None) -> list[Watched]:
    """The watch list with where each student is now from the timetable (room, class, teacher)
    or the provision room they are booked into today: the same number of queries for one
    student or a hundred. The last drop-in is the last one `reader` may see (when given)."""
    now = clock.local(now or clock.now())
    watched = watch_list(today=now.date(), drop_ins=1, reader=reader)
    ids = [w.entry.student_id for w in watched]
    if not ids:
        return watched
    where = school_timetable.students_whereabouts(ids, now)
    booked = provision_today(ids, now.date())
    for w in watched:
        w.where = where[w.entry.student_id]
        w.in_provision = booked.get(w.entry.student_id, "")
    return watched


def watch_entry_get(entry_id: int) -> WatchListEntry:
    """One watch list entry with its student and who asked; raises DoesNotExist."""
    return WatchListEntry.objects.select_related(
        "student__form", "student__year_group", "requested_by"
    ).get(pk=entry_id)
