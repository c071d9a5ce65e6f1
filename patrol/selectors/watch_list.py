"""Reads for the watch list: who is on it with their drop-ins, and where each student is now."""

import datetime as dt
from dataclasses import dataclass, field

from conduct.lib import clock, wording
from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from pastoral.models import Level
from pastoral.policies import can_raise_level, higher_levels, note_readable
from patrol import policies
from patrol.models import DropIn, WatchListEntry
from patrol.selectors.sent_out import bookings_on
from school.models import (
    Staff,
    Student,
    staff_display_name,
    student_name_from,
    year_group_label,
)
from school.selectors import timetable as school_timetable


def provision_today(student_ids: list[int], day: dt.date) -> dict[int, str]:
    """Students booked into a provision room on `day` ("Internal exclusion, IE1"): the
    timetable's lesson is not where they are. One query; read-only use of sanctions."""
    return {
        student_id: f"{provision}, {room}"
        for student_id, room, provision in bookings_on(day, student_ids)
    }


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
        return where_words(self.where, self.in_provision)


def where_words(where: school_timetable.Whereabouts | None, in_provision: str) -> str:
    """ "Period 2 · 9X/Ma1 in M4 · Ms A Teague", the provision room they are booked into today,
    or why the timetable says nowhere."""
    if in_provision:
        return f"In {in_provision} today"
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


@dataclass(frozen=True, slots=True)
class LastDropIn:
    at: dt.datetime
    engagement_label: str  # "4 – Working well"


@dataclass(slots=True)
class WatchCard:
    """One watched student on the patrol's watch tab, read as rows (issue 15)."""

    pk: int  # the entry's
    student: Student  # its id and year group only: for the policies
    student_name: str
    group: str  # the form, or the year group
    reason: str
    requested_by: str
    review_on: dt.date
    due_for_review: bool
    last_drop_in: LastDropIn | None  # the last one the reader may read
    where_text: str = ""
    # Whether the person looking may read why the student is watched (patrol.policies).
    show_reason: bool = False


# The open entries in the model's order (the students' legal names), as rows: one read of one
# fixed shape, its SQL built once (conduct.lib.compiled), for the patrol's tab and the watch list
# page, which keep those they show.
_OPEN_ENTRIES = compiled_query(
    lambda: (
        WatchListEntry.objects.filter(ended_at__isnull=True)
        .order_by("student__legal_last_name", "student__legal_first_name", "pk")
        .values(
            "pk",
            "student_id",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
            "student__form__code",
            "student__year_group_id",
            "student__year_group__name",
            "student__year_group__number",
            "reason",
            "requested_by_id",
            "requested_by__title",
            "requested_by__first_name",
            "requested_by__last_name",
            "review_on",
            "added_at",
        )
    )
)


def _group(row) -> str:
    """The student's form, or their year group, as `student.form|default:student.year_group`."""
    return row["student__form__code"] or year_group_label(
        row["student__year_group__name"], row["student__year_group__number"]
    )


def _requested_by(row) -> str:
    return staff_display_name(
        row["requested_by__title"], row["requested_by__first_name"], row["requested_by__last_name"]
    )


@dataclass(frozen=True, slots=True)
class DropInLine:
    """One drop-in as the watch list page shows it, its words written once (issue 15)."""

    pk: int
    engagement: int
    engagement_label: str  # "4 – Working well"
    at: str  # "Tue 24 Nov 10:15"
    lesson: str  # "9X/Ma1 in M4", or "" when the student had no lesson then
    by: str
    note: str
    level_label: str
    # The levels the reader may raise it to (none: no control), and where to send that.
    raise_levels: list[tuple[str, str]]
    raise_url: str


@dataclass(frozen=True, slots=True)
class WatchRow:
    """One watched student on the watch list page, its words and links written once."""

    pk: int
    student_name: str
    student_url: str
    group: str  # the form, or the year group
    reason: str
    requested_by: str
    added: str  # "3 Nov"
    review: str  # "Tue 24 Nov 2026"
    due_for_review: bool
    has_drop_ins: bool  # any of the latest drop-ins, readable or not
    drop_ins: list[DropInLine]  # the latest ones the reader may read
    review_url: str
    end_url: str


@dataclass(frozen=True, slots=True)
class _DropInFacts:
    """What pastoral.policies read of a drop-in (`level_subject()`), from its row."""

    student: Student
    level: str
    by_id: int

    def level_subject(self):
        return self.student, self.level, self.by_id


ENGAGEMENT_LABELS = dict(DropIn.Engagement.choices)
LEVEL_LABELS = dict(Level.choices)


# The drop-ins on every open entry, newest first, as plain rows: a read of one fixed shape (no
# list of entries in it), its SQL built once (conduct.lib.compiled); the page keeps those on the
# entries it shows.
_OPEN_DROP_INS = compiled_query(
    lambda: (
        DropIn.objects.filter(entry__ended_at__isnull=True)
        .order_by("-at", "-pk")
        .values_list(
            "pk",
            "entry_id",
            "at",
            "engagement",
            "note",
            "level",
            "by_id",
            "by__first_name",
            "by__last_name",
            "by__staff__title",
            "by__staff__first_name",
            "by__staff__last_name",
            "teaching_class__code",
            "room__code",
        )
    )
)


def watch_list_rows(
    *, today: dt.date, reader, requested_by: Staff | None = None, drop_ins: int = 5
) -> list[WatchRow]:
    """The watch list page: the students on it that `reader` reads there (optionally only those
    `requested_by` asked for), each with its latest `drop_ins` drop-ins cut to those `reader`
    may read and the levels they may raise each to; two queries."""
    entries = []
    for row in _OPEN_ENTRIES():
        if requested_by is not None and row["requested_by_id"] != requested_by.pk:
            continue
        student = Student(pk=row["student_id"], year_group_id=row["student__year_group_id"])
        if policies.watch_entry_in_scope(reader, student):
            entries.append((row, student))
    if not entries:
        return []
    latest: dict[int, list[tuple]] = {e["pk"]: [] for e, _ in entries}
    for row in _OPEN_DROP_INS():
        if row[1] in latest and len(latest[row[1]]) < drop_ins:
            latest[row[1]].append(row)
    student_url = url_maker("student-detail")
    review_url = url_maker("watch-list-review")
    end_url = url_maker("watch-list-end")
    level_url = url_maker("drop-in-level")
    rows = []
    for e, student in entries:
        lines = []
        for pk, _, at, engagement, note, level, by_id, *names, class_code, room_code in latest[
            e["pk"]
        ]:
            facts = _DropInFacts(student, level, by_id)
            if not note_readable(reader, facts):
                continue
            user_first, user_last, title, staff_first, staff_last = names
            # As `by.staff.display_name|default:by.get_full_name` wrote it.
            by = "" if staff_last is None else staff_display_name(title, staff_first, staff_last)
            lesson = ""
            if class_code:
                lesson = f"{class_code} in {room_code}" if room_code else class_code
            may_raise = can_raise_level(reader, student=student, level=level, author_id=by_id)
            lines.append(
                DropInLine(
                    pk=pk,
                    engagement=engagement,
                    engagement_label=ENGAGEMENT_LABELS.get(engagement, str(engagement)),
                    at=f"{wording.short_day(at)} {wording.hhmm(at)}",
                    lesson=lesson,
                    by=by or f"{user_first} {user_last}".strip(),
                    note=note,
                    level_label=LEVEL_LABELS.get(level, level),
                    raise_levels=higher_levels(level) if may_raise else [],
                    raise_url=level_url(pk) if may_raise else "",
                )
            )
        review_on = e["review_on"]
        rows.append(
            WatchRow(
                pk=e["pk"],
                student_name=student_name_from(e, "student__"),
                student_url=student_url(student.pk),
                group=_group(e),
                reason=e["reason"],
                requested_by=_requested_by(e),
                added=wording.day_month(e["added_at"]),
                review=f"{wording.short_day(review_on)} {review_on.year}",
                due_for_review=review_on <= today,
                has_drop_ins=bool(latest[e["pk"]]),
                drop_ins=lines,
                review_url=review_url(e["pk"]),
                end_url=end_url(e["pk"]),
            )
        )
    return rows


def watch_list_where_now(*, now: dt.datetime | None = None, reader=None) -> list[WatchCard]:
    """The watch list with where each student is now from the timetable (room, class, teacher)
    or the provision room they are booked into today: the same number of queries for one
    student or a hundred. The last drop-in is the last one `reader` may see (when given)."""
    now = clock.local(now or clock.now())
    today = now.date()
    cards = []
    for row in _OPEN_ENTRIES():
        student = Student(pk=row["student_id"], year_group_id=row["student__year_group_id"])
        cards.append(
            WatchCard(
                pk=row["pk"],
                student=student,
                student_name=student_name_from(row, "student__"),
                group=_group(row),
                reason=row["reason"],
                requested_by=_requested_by(row),
                review_on=row["review_on"],
                due_for_review=row["review_on"] <= today,
                last_drop_in=None,
            )
        )
    if not cards:
        return cards
    by_entry = {card.pk: card for card in cards}
    for _pk, entry_id, at, engagement, _note, level, by_id, *_ in _OPEN_DROP_INS():
        card = by_entry.get(entry_id)
        if card is None or card.last_drop_in is not None:
            continue
        if reader is None or note_readable(reader, _DropInFacts(card.student, level, by_id)):
            label = ENGAGEMENT_LABELS.get(engagement, str(engagement))
            card.last_drop_in = LastDropIn(at, label)
    ids = [card.student.pk for card in cards]
    where = school_timetable.students_whereabouts(ids, now)
    booked = provision_today(ids, today)
    for card in cards:
        card.where_text = where_words(where[card.student.pk], booked.get(card.student.pk, ""))
    return cards


def watch_entry_get(entry_id: int) -> WatchListEntry:
    """One watch list entry with its student and who asked; raises DoesNotExist."""
    return WatchListEntry.objects.select_related(
        "student__form", "student__year_group", "requested_by"
    ).get(pk=entry_id)
