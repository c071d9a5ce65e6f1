"""A student's incidents, referrals, decisions, days in a room and placements, as entries for
their timeline (conduct/timeline.py merges them with the other apps')."""

from audit.models import StateChange
from audit.selectors import history_for_student
from conduct.lib.timeline import TimelineEntry, start_of
from conduct.lib.urls import url_maker
from pastoral.policies import note_readable
from sanctions import policies
from sanctions.models import IncidentStudent, Placement, PlacementDay, Referral
from sanctions.selectors.referrals import referral_raised_by
from school.models import Student

DECIDED = (Referral.Status.APPROVED, Referral.Status.DECLINED, Referral.Status.CANCELLED)
CLOSED = (Placement.Status.COMPLETED, Placement.Status.FAILED, Placement.Status.CANCELLED)


def _decisions_and_closes(student: Student) -> dict[tuple[str, str], StateChange]:
    """The history rows that decided each of the student's referrals and closed each of their
    placements, by (object type, id)."""
    changes = history_for_student(student.pk).filter(
        field="status",
        object_type__in=["sanctions.referral", "sanctions.placement"],
        to_value__in=[*DECIDED, *CLOSED],
    )
    return {(change.object_type, change.object_id): change for change in changes}


def _who(change: StateChange) -> str:
    if change.by is None:
        return change.username
    return change.by.get_full_name() or change.by.get_username()


def timeline_entries(student: Student, *, viewer) -> list[TimelineEntry]:
    """The student's incidents, referrals and their decisions, each day's marks and log, and
    placements closed, each linked only where `viewer` may open the page. Decisions and closes
    come from the records' history (who, when, why), or from the records themselves when they
    have none."""
    entries: list[TimelineEntry] = []
    may_see_register = policies.can_view_register(viewer)
    referral_url = url_maker("referral-detail")
    register_url = url_maker("register", 2)
    ends = _decisions_and_closes(student)
    for part in IncidentStudent.objects.filter(student=student).select_related(
        "incident__reason", "incident__room", "incident__reported_by"
    ):
        incident = part.incident
        entries.append(
            TimelineEntry(
                incident.occurred_at,
                "incident",
                f"Incident: {incident.reason} ({part.get_part_display().lower()})",
                f"{incident.where} · reported by {incident.reported_by.display_name} · "
                f"{incident.description}",
            )
        )
    for referral in Referral.objects.filter(student=student).select_related(
        "student", "provision", "requested_by", "decided_by", "escalated_from__provision"
    ):
        url = referral_url(referral.pk) if policies.can_view_referral(viewer, referral) else ""
        origin = referral_raised_by(referral)
        asked = f"{referral.provision.name.lower()}, {referral.days} day" + (
            "s" if referral.days != 1 else ""
        )
        if origin.by_ladder:
            title = f"Escalation ladder: referral for {asked}"
            detail = origin.sentence[0].upper() + origin.sentence[1:]
            detail += f" · “{origin.note}”" if origin.note else ""
        else:
            title = f"Referred for {asked}"
            detail = f"by {origin.who}" + (f" · {referral.note}" if referral.note else "")
        entries.append(TimelineEntry(referral.requested_at, "referral", title, detail, url))
        decision = ends.get(("sanctions.referral", str(referral.pk)))
        if decision is not None:
            entries.append(
                TimelineEntry(
                    decision.at,
                    "decision",
                    f"Referral {Referral.Status(decision.to_value).label.lower()}",
                    f"by {_who(decision)}" + (f" · {decision.note}" if decision.note else ""),
                    url,
                )
            )
        elif referral.decided_at:
            # Decided before referrals kept their history.
            decider = referral.decided_by.get_full_name() if referral.decided_by else ""
            entries.append(
                TimelineEntry(
                    referral.decided_at,
                    "decision",
                    f"Referral {referral.get_status_display().lower()}",
                    f"by {decider}"
                    + (f" · {referral.decision_note}" if referral.decision_note else ""),
                    url,
                )
            )
    days = (
        PlacementDay.objects.filter(placement__student=student, is_active=True)
        .select_related("placement__provision", "placement__student", "room")
        .prefetch_related("marks", "log_entries")
    )
    for day in days:
        marks = ", ".join(
            f"{m.get_session_display().lower()} {m.get_kind_display().lower()}"
            for m in day.marks.all()
        )
        log = "; ".join(
            f"{e.at:%H:%M} {e.get_kind_display().lower()}" + (f": {e.note}" if e.note else "")
            for e in day.log_entries.all()
            if note_readable(viewer, e)
        )
        entries.append(
            TimelineEntry(
                start_of(day.date),
                "day",
                f"{day.placement.provision.name} in {day.room.code}",
                " · ".join(filter(None, [marks or "not marked", log])),
                register_url(day.room.code, day.date.isoformat()) if may_see_register else "",
            )
        )
    closed = Placement.objects.filter(student=student, status__in=CLOSED).select_related(
        "provision"
    )
    for placement in closed:
        actual = (
            f" · {placement.actual_days} of {placement.planned_days} days"
            if placement.actual_days is not None
            else ""
        )
        close = ends.get(("sanctions.placement", str(placement.pk)))
        if close is not None:
            entries.append(
                TimelineEntry(
                    close.at,
                    "placement",
                    f"Placement {Placement.Status(close.to_value).label.lower()}",
                    f"{placement.provision.name}{actual} · by {_who(close)}"
                    + (f" · {close.note}" if close.note else ""),
                )
            )
        elif placement.closed_at:
            # Closed before placements kept their history.
            entries.append(
                TimelineEntry(
                    placement.closed_at,
                    "placement",
                    f"Placement {placement.get_status_display().lower()}",
                    f"{placement.provision.name}{actual}"
                    + (f" · {placement.closing_note}" if placement.closing_note else ""),
                )
            )
    return entries
