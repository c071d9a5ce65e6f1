"""Reading the audit log and the history of state changes."""

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import formats, timezone
from django.utils.text import Truncator

from audit.models import AuditEvent, StateChange
from conduct.lib.compiled import CompiledList, compiled_query
from conduct.lib.rendering import escape

# The columns the audit log's rows read (.values(): a page holds a hundred rows).
EVENT_FIELDS = ("at", "username", "action", "object_type", "object_repr", "ip_address")
CHANGE_FIELDS = ("at", "username", "object_type", "object_repr", "from_value", "to_value", "note")
ACTION_LABELS = dict(AuditEvent.Action.choices)


@dataclass(frozen=True, slots=True)
class AuditLogRow:
    """One line of the audit log as the page shows it, its cells as text."""

    when: str  # "24 Nov 2026 08:41:07", in the school's time zone
    who: str
    what: str  # the event's action, or the change "booked → closed"
    record: str
    last: str  # reads: where from (the IP address); changes: the note, cut at 120 characters


def _when(moment: dt.datetime, zone: dt.tzinfo) -> str:
    # As the template filter date:"j M Y H:i:s" writes it, without its formatter per row; in
    # `zone`, the current time zone read once a page (timezone.localtime reads it each time).
    local = moment.astimezone(zone) if moment.utcoffset() is not None else moment
    return f"{local.day} {local:%b %Y %H:%M:%S}"


def event_values(events: QuerySet[AuditEvent]) -> QuerySet:
    """The audit log's columns of `events`, the detail as its JSON text (`detail_text`): the
    log shows a detail only when it names a username or an address, and most (the reads') name
    neither, so only those are decoded."""
    return events.values(*EVENT_FIELDS, detail_text=Cast("detail", TextField()))


def _event_record(event: dict) -> str:
    text = event["detail_text"] or ""
    # A key is written as itself in JSON text (SQLite's, as Django wrote it, and PostgreSQL's).
    detail = json.loads(text) if '"username"' in text or '"address"' in text else {}
    if not isinstance(detail, dict):
        detail = {}
    if detail.get("username"):
        tried = "Username tried" if event["action"] == "login_failed" else "Username"
        parts = [f"{tried}: {detail['username']}"]
        if detail.get("added"):
            parts.append(f"roles given: {', '.join(str(r) for r in detail['added'])}")
        if detail.get("removed"):
            parts.append(f"roles taken away: {', '.join(str(r) for r in detail['removed'])}")
        for field, values in (detail.get("changed") or {}).items():
            parts.append(f"{field}: {values[0]} → {values[1]}")
        return " · ".join(parts)
    if detail.get("address"):
        return f"Address: {detail['address']}"
    return event["object_repr"] or event["object_type"]


def audit_log_rows(events: Iterable[dict]) -> list[AuditLogRow]:
    """Rows of `event_values(audit_events(...))` as the audit log shows them."""
    zone = timezone.get_current_timezone()
    return [
        AuditLogRow(
            when=_when(e["at"], zone),
            who=e["username"] or "—",
            what=ACTION_LABELS.get(e["action"], e["action"]),
            record=_event_record(e),
            last=e["ip_address"] or "",
        )
        for e in events
    ]


def change_log_rows(changes: Iterable[dict]) -> list[AuditLogRow]:
    """Rows of `state_changes(...).values(*CHANGE_FIELDS)` as the audit log shows them."""
    zone = timezone.get_current_timezone()
    return [
        AuditLogRow(
            when=_when(c["at"], zone),
            who=c["username"] or "—",
            what=f"{c['from_value']} → {c['to_value']}" if c["from_value"] else c["to_value"],
            record=c["object_repr"] or c["object_type"],
            last=Truncator(c["note"]).chars(120),
        )
        for c in changes
    ]


def audit_events(*, who: str = "", accounts_only: bool = False) -> QuerySet[AuditEvent]:
    """Audit events newest first, optionally for usernames containing `who` (who acted, or the
    username tried or acted on), optionally only sign-ins and changes of accounts."""
    events = AuditEvent.objects.all()
    if accounts_only:
        events = events.filter(action__in=AuditEvent.ACCOUNT_ACTIONS)
    if who:
        events = events.filter(
            models.Q(username__icontains=who) | models.Q(detail__username__icontains=who)
        )
    return events


def counted(rows: QuerySet) -> QuerySet:
    # SELECT COUNT(*) as a read of one row: grouped by a constant, which SQL leaves out.
    return rows.order_by().values(one=Value(1)).annotate(n=Count("pk")).values_list("n", flat=True)


def _compiled_pages(rows: QuerySet) -> CompiledList:
    """A log read a page at a time through SQL built once, for the Paginator."""
    return CompiledList(
        compiled_query(lambda: rows, paged=True), compiled_query(lambda: counted(rows))
    )


# The audit log's three views unfiltered, most of its reads: their SQL built once.
AUDIT_LOG_PAGES = {
    "reads": _compiled_pages(event_values(AuditEvent.objects.all())),
    "sign-ins": _compiled_pages(
        event_values(AuditEvent.objects.filter(action__in=AuditEvent.ACCOUNT_ACTIONS))
    ),
    "changes": _compiled_pages(StateChange.objects.values(*CHANGE_FIELDS)),
}


def reads_about_student(
    student_id: int, related: dict[str, QuerySet] | None = None
) -> QuerySet[AuditEvent]:
    """Reads and exports of one student's records, newest first: their page, and events about
    the records in `related` (object type -> a queryset of those records' ids as text, e.g. the
    student's referrals). Each part is a lookup on the (object type, object id) index; one query
    a page, whatever the number of records."""
    about = Q(object_type="school.student", object_id=str(student_id))
    for object_type, ids in (related or {}).items():
        about |= Q(object_type=object_type, object_id__in=ids)
    return (
        AuditEvent.objects.filter(
            about, action__in=[AuditEvent.Action.VIEW, AuditEvent.Action.EXPORT]
        )
        .select_related("user")
        .order_by("-at", "-pk")
    )


def student_read_values(events: QuerySet[AuditEvent]) -> QuerySet:
    """The columns "who has looked" shows of `events` (`reads_about_student`): who (their name
    as the account has it now, or the username kept), what, which record, from where, and the
    detail as its JSON text (`detail_text`), decoded only when it names a page."""
    return events.values(
        "at",
        "user_id",
        "user__first_name",
        "user__last_name",
        "username",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
        detail_text=Cast("detail", TextField()),
    )


@dataclass(frozen=True, slots=True)
class StudentReadRow:
    """One read or export on "who has looked", its cells as HTML (escaped), with the event's
    username, object type and action as read."""

    username: str
    object_type: str
    action: str
    html: str  # the row's <tr>


def _detail_page(detail_text: str | None) -> str:
    """The event's detail's page, as {{ e.detail.page }} writes it ("" for none)."""
    text = detail_text or ""
    if '"page"' not in text:
        return ""
    detail = json.loads(text)
    page = detail.get("page") if isinstance(detail, dict) else None
    if not page:
        return ""
    return escape(page if type(page) is str else formats.localize(page))


def student_read_rows(events: Iterable[dict]) -> list[StudentReadRow]:
    """Rows of `student_read_values(...)` as "who has looked" shows them, each a <tr>."""
    zone = timezone.get_current_timezone()
    rows = []
    for e in events:
        username = e["username"]
        if e["user_id"] is not None:
            who = f"{e['user__first_name']} {e['user__last_name']}".strip() or username
        else:
            who = username or "—"
        action = e["action"]
        page = _detail_page(e["detail_text"])
        what = escape(ACTION_LABELS.get(action, action))
        if page:
            what += f' <span class="muted">({page})</span>'
        rows.append(
            StudentReadRow(
                username=username,
                object_type=e["object_type"],
                action=action,
                html=(
                    f"<tr><td>{escape(_when(e['at'], zone))}</td><td>{escape(who)}</td>"
                    f"<td>{what}</td><td>{escape(e['object_repr'] or e['object_type'])}</td>"
                    f"<td>{escape(e['ip_address'] or '')}</td></tr>"
                ),
            )
        )
    return rows


def history_of(target: models.Model) -> QuerySet[StateChange]:
    """Every state change of one record, oldest first."""
    return StateChange.objects.filter(
        object_type=target._meta.label_lower, object_id=str(target.pk)
    ).order_by("at", "pk")


def history_for_student(student_id: int) -> QuerySet[StateChange]:
    """Every state change of records about one student, newest first."""
    return StateChange.objects.filter(student_id=student_id).select_related("by__staff")


def state_changes(*, who: str = "") -> QuerySet[StateChange]:
    """State changes newest first, optionally by usernames containing `who`."""
    changes = StateChange.objects.all()
    if who:
        changes = changes.filter(username__icontains=who)
    return changes


# A correction (rectification) is a history row whose field is "corrected:<field>" and whose
# note is "<reason>\n\nWas:\n<the text before>" (privacy.services.corrections).
CORRECTED = "corrected:"


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    by: str
    field: str
    reason: str
    was: str


# The corrections of one kind of record (its model's label), by record id: one read each.
_CORRECTIONS: dict[str, Callable[[int], list]] = {}


def _corrections_read(label: str) -> Callable[[int], list]:
    if label not in _CORRECTIONS:
        _CORRECTIONS[label] = compiled_query(
            lambda record_id: (
                StateChange.objects.filter(
                    object_type=label, object_id=str(record_id), field__startswith=CORRECTED
                )
                .order_by("-at", "-pk")
                .values_list("at", "username", "field", "note")
            )
        )
    return _CORRECTIONS[label]


def corrections_of(record: models.Model) -> list[Correction]:
    """Every correction of `record`, newest first: who, when, which field, why, and the text it
    had before (one query)."""
    return corrections_from(record, _corrections_read(record._meta.label_lower)(record.pk))


def corrections_from(record: models.Model, rows: Iterable) -> list[Correction]:
    """`corrections_of(record)` from its history rows as a page has read them with others:
    (at, username, field, note), newest first."""
    found = []
    for at, username, field, note in rows:
        reason, _, was = note.partition("\n\nWas:\n")
        name = field.removeprefix(CORRECTED)
        try:
            label = str(getattr(record._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a field since removed: its name
            label = name
        found.append(Correction(at=at, by=username or "—", field=label, reason=reason, was=was))
    return found
