"""A student's incidents, referrals, decisions, days in a room and placements, as entries for
their timeline (conduct/timeline.py merges them with the other apps')."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Q

from audit.selectors import history_for_student
from conduct.lib.compiled import compiled_query
from conduct.lib.timeline import LevelledRow, TimelineEntry, start_of
from conduct.lib.urls import url_maker
from pastoral.policies import note_readable
from sanctions import policies
from sanctions.models import (
    AttendanceMark,
    IncidentStudent,
    Placement,
    PlacementDay,
    Referral,
    RoomLogEntry,
    reason_label,
)
from sanctions.selectors.referrals import referral_raised_by_values
from school.models import Student, room_label, staff_display_name

DECIDED = (Referral.Status.APPROVED, Referral.Status.DECLINED, Referral.Status.CANCELLED)
CLOSED = (Placement.Status.COMPLETED, Placement.Status.FAILED, Placement.Status.CANCELLED)
PARTS = dict(IncidentStudent.Part.choices)
# The labels as the timeline words them (lower case), looked up once per row.
SESSIONS = {value: label.lower() for value, label in AttendanceMark.Session.choices}
MARKS = {value: label.lower() for value, label in AttendanceMark.Kind.choices}
LOG_KINDS = {value: label.lower() for value, label in RoomLogEntry.Kind.choices}
REFERRAL_STATUSES = {value: label.lower() for value, label in Referral.Status.choices}
PLACEMENT_STATUSES = {value: label.lower() for value, label in Placement.Status.choices}


# The history rows that decided each of the student's referrals and closed each of their
# placements (a student's page reads them with its other history rows: `ENDS`, `END_FIELDS`):
# when, to what, the note, and who (as `_who` words it).
ENDS = Q(
    field="status",
    object_type__in=["sanctions.referral", "sanctions.placement"],
    to_value__in=[*DECIDED, *CLOSED],
)
END_FIELDS = (
    "object_type",
    "object_id",
    "at",
    "to_value",
    "note",
    "username",
    "by_id",
    "by__first_name",
    "by__last_name",
    "by__username",
)
_DECISIONS_AND_CLOSES = compiled_query(
    lambda student_id: history_for_student(student_id).filter(ENDS).values(*END_FIELDS)
)


def ends_from(changes: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The decisions and closes among history rows (`ENDS`, newest first, with `END_FIELDS`) by
    (object type, id): the earliest of each record's."""
    return {(change["object_type"], change["object_id"]): change for change in changes}


def _decisions_and_closes(student: Student) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The decisions and closes (`_DECISIONS_AND_CLOSES`) by (object type, id)."""
    return ends_from(_DECISIONS_AND_CLOSES(student.pk))


def _who(change: Mapping[str, Any]) -> str:
    """Who made a history row: their full name, else their username (`User.get_full_name()`
    or `get_username()`), or the username kept when the account is gone."""
    if change["by_id"] is None:
        return change["username"]
    full_name = f"{change['by__first_name']} {change['by__last_name']}".strip()
    return full_name or change["by__username"]


def timeline_entries(
    student: Student, *, viewer, ends: dict[tuple[str, str], Mapping[str, Any]] | None = None
) -> list[TimelineEntry]:
    """The student's incidents, referrals and their decisions, each day's marks and log, and
    placements closed, each linked only where `viewer` may open the page. Decisions and closes
    come from the records' history (who, when, why), or from the records themselves when they
    have none: read only for a student with referrals or placements (most have neither). `ends`:
    the history's decisions and closes (`ends_from`), when the page has read them."""
    referrals = _REFERRALS(student.pk)
    placements = _PLACEMENTS(student.pk)
    if ends is None:
        ends = _decisions_and_closes(student) if referrals or placements else {}
    return (
        _incident_entries(student)
        + _referral_entries(student, viewer, referrals, ends)
        + _placement_entries(student, viewer, placements, ends)
    )


_INCIDENTS = compiled_query(
    lambda student_id: IncidentStudent.objects.filter(student_id=student_id).values_list(
        "part",
        "incident__occurred_at",
        "incident__reason__code",
        "incident__reason__name",
        "incident__reason__is_dfe",
        "incident__room__code",
        "incident__room__name",
        "incident__location",
        "incident__reported_by__title",
        "incident__reported_by__first_name",
        "incident__reported_by__last_name",
        "incident__description",
    )
)


def _incident_entries(student: Student) -> list[TimelineEntry]:
    entries = []
    for (
        part,
        occurred_at,
        reason_code,
        reason_name,
        is_dfe,
        room_code,
        room_name,
        location,
        title,
        first_name,
        last_name,
        description,
    ) in _INCIDENTS(student.pk):
        where = room_label(room_code, room_name) if room_code else location
        reporter = staff_display_name(title, first_name, last_name)
        entries.append(
            TimelineEntry(
                occurred_at,
                "incident",
                f"Incident: {reason_label(reason_code, reason_name, is_dfe)} "
                f"({PARTS.get(part, part).lower()})",
                f"{where} · reported by {reporter} · {description}",
            )
        )
    return entries


# The student's referrals as plain rows: what the entries, `can_view_referral_row` and
# `referral_raised_by_values` read.
_REFERRALS = compiled_query(
    lambda student_id: Referral.objects.filter(student_id=student_id).values(
        "pk",
        "days",
        "note",
        "requested_by_id",
        "requested_at",
        "status",
        "decided_at",
        "decision_note",
        "provision__name",
        "provision__approver_roles",
        "requested_by__first_name",
        "requested_by__last_name",
        "requested_by__username",
        "decided_by_id",
        "decided_by__first_name",
        "decided_by__last_name",
        "escalated_from",
        "escalated_from__status",
        "escalated_from__closed_at",
        "escalated_from__closing_note",
        "escalated_from__provision__name",
    )
)


def _referral_entries(
    student: Student,
    viewer,
    referrals: list[Mapping[str, Any]],
    ends: dict[tuple[str, str], Mapping[str, Any]],
) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    referral_url = url_maker("referral-detail")
    for referral in referrals:
        may_view = policies.can_view_referral_row(
            viewer,
            approver_roles=referral["provision__approver_roles"],
            year_group_id=student.year_group_id,
            requested_by_id=referral["requested_by_id"],
        )
        url = referral_url(referral["pk"]) if may_view else ""
        origin = referral_raised_by_values(referral, first_name=student.first_name)
        days = referral["days"]
        asked = f"{referral['provision__name'].lower()}, {days} day" + ("s" if days != 1 else "")
        if origin.by_ladder:
            title = f"Escalation ladder: referral for {asked}"
            detail = origin.sentence[0].upper() + origin.sentence[1:]
            detail += f" · “{origin.note}”" if origin.note else ""
        else:
            title = f"Referred for {asked}"
            detail = f"by {origin.who}" + (f" · {referral['note']}" if referral["note"] else "")
        entries.append(TimelineEntry(referral["requested_at"], "referral", title, detail, url))
        decision = ends.get(("sanctions.referral", str(referral["pk"])))
        if decision is not None:
            entries.append(
                TimelineEntry(
                    decision["at"],
                    "decision",
                    f"Referral {Referral.Status(decision['to_value']).label.lower()}",
                    f"by {_who(decision)}" + (f" · {decision['note']}" if decision["note"] else ""),
                    url,
                )
            )
        elif referral["decided_at"]:
            # Decided before referrals kept their history. As User.get_full_name() words it.
            decider = (
                f"{referral['decided_by__first_name']} {referral['decided_by__last_name']}".strip()
                if referral["decided_by_id"] is not None
                else ""
            )
            note = referral["decision_note"]
            entries.append(
                TimelineEntry(
                    referral["decided_at"],
                    "decision",
                    f"Referral {REFERRAL_STATUSES.get(referral['status'], referral['status'])}",
                    f"by {decider}" + (f" · {note}" if note else ""),
                    url,
                )
            )
    return entries


_PLACEMENTS = compiled_query(
    lambda student_id: Placement.objects.filter(student_id=student_id).values_list(
        "pk",
        "status",
        "planned_days",
        "actual_days",
        "closed_at",
        "closing_note",
        "provision__name",
    )
)
# The student's days in a room with their marks (a row for each mark, one for a day without),
# and their log, each read through the placement's student (one SQL for every student) rather
# than by a list of ids.
_DAYS = compiled_query(
    lambda student_id: (
        PlacementDay.objects.filter(placement__student_id=student_id, is_active=True)
        .order_by("date", "marks__session")
        .values_list("pk", "date", "room__code", "placement_id", "marks__session", "marks__kind")
    )
)
_LOG = compiled_query(
    lambda student_id: RoomLogEntry.objects.filter(
        placement_day__placement__student_id=student_id, placement_day__is_active=True
    ).values_list("placement_day_id", "at", "kind", "note", "level", "recorded_by_id")
)


def _placement_entries(
    student: Student,
    viewer,
    placements: list[tuple],
    ends: dict[tuple[str, str], Mapping[str, Any]],
) -> list[TimelineEntry]:
    """Each day in a room with its marks and the log notes `viewer` may read, and each placement
    closed: the days and their marks read only when there are `placements`, the log only when
    there are days."""
    if not placements:
        return []
    provisions = {placement[0]: placement[6] for placement in placements}
    return _day_entries(student, viewer, provisions) + _closed_placement_entries(placements, ends)


def _day_entries(student: Student, viewer, provisions: dict[int, str]) -> list[TimelineEntry]:
    """The student's days in a room (`provisions`: their placements' provisions by id), in date
    order, each with its marks in session order."""
    rows = _DAYS(student.pk)
    if not rows:
        return []
    days: dict[int, tuple] = {}
    marks: dict[int, list[str]] = defaultdict(list)
    for pk, date, room, placement_id, session, kind in rows:
        days.setdefault(pk, (pk, date, room, placement_id))
        if session is not None:
            marks[pk].append(f"{SESSIONS.get(session, session)} {MARKS.get(kind, kind)}")
    log: dict[int, list[str]] = defaultdict(list)
    for day_id, at, kind, note, level, author_id in _LOG(student.pk):
        if note_readable(viewer, LevelledRow(student, level, author_id)):
            log[day_id].append(
                f"{at:%H:%M} {LOG_KINDS.get(kind, kind)}" + (f": {note}" if note else "")
            )
    register_url = url_maker("register", 2) if policies.can_view_register(viewer) else None
    return [
        TimelineEntry(
            start_of(date),
            "day",
            f"{provisions[placement_id]} in {room}",
            " · ".join(filter(None, [", ".join(marks[pk]) or "not marked", "; ".join(log[pk])])),
            register_url(room, date.isoformat()) if register_url else "",
        )
        for pk, date, room, placement_id in days.values()
    ]


def _closed_placement_entries(
    placements: list[tuple], ends: dict[tuple[str, str], Mapping[str, Any]]
) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for pk, status, planned, actual_days, closed_at, closing_note, provision in placements:
        if status not in CLOSED:
            continue
        actual = f" · {actual_days} of {planned} days" if actual_days is not None else ""
        close = ends.get(("sanctions.placement", str(pk)))
        if close is not None:
            entries.append(
                TimelineEntry(
                    close["at"],
                    "placement",
                    f"Placement {Placement.Status(close['to_value']).label.lower()}",
                    f"{provision}{actual} · by {_who(close)}"
                    + (f" · {close['note']}" if close["note"] else ""),
                )
            )
        elif closed_at:
            # Closed before placements kept their history.
            entries.append(
                TimelineEntry(
                    closed_at,
                    "placement",
                    f"Placement {PLACEMENT_STATUSES.get(status, status)}",
                    f"{provision}{actual}" + (f" · {closing_note}" if closing_note else ""),
                )
            )
    return entries
