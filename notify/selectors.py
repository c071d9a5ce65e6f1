"""Reading messages: the "not yet done" list, one message, what a record caused, what is due."""

import datetime as dt
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from conduct.lib import clock, wording
from conduct.lib.compiled import CompiledList, compiled_query
from conduct.lib.timeline import TimelineEntry
from conduct.lib.urls import url_maker
from notify import policies
from notify.models import Message, Notice
from pastoral.models import FamilyCall
from sanctions.models import Placement, PlacementDay
from school import policies as school_policies
from school.models import student_name_from
from school.policies import can_view_student_sensitive

S = Message.Status

# Work still to do first: drafts to check, letters to post, failures to look at; then what is on
# its way, then what is finished.
NOT_DONE = (S.DRAFT, S.APPROVED, S.FAILED, S.LOGGED, S.QUEUED, S.SENDING)
_STATUS_ORDER = [
    S.DRAFT,
    S.APPROVED,
    S.FAILED,
    S.LOGGED,
    S.QUEUED,
    S.SENDING,
    S.SENT,
    S.CANCELLED,
]


# What a row of the list page shows, read as values rather than four models a row (issue 15).
ROW_FIELDS = (
    "pk",
    "status",
    "channel",
    "recipient_name",
    "address",
    "subject",
    "body",
    "created_at",
    "student_id",
    "student__legal_first_name",
    "student__legal_last_name",
    "student__preferred_first_name",
    "student__preferred_last_name",
    "created_by_id",
    "created_by__first_name",
    "created_by__last_name",
    "created_by__username",
    "placement_starts_on",
)


def _messages_shown(status: str | None, audience: str, scope: Q) -> QuerySet:
    """The messages to `audience` the list shows for `status` ("not_done", one status, or None
    for all) among those `scope` lets the reader see (`policies.messages_scope`)."""
    messages = Message.objects.filter(scope, audience=audience)
    if status == "not_done":
        return messages.filter(status__in=NOT_DONE)
    if status:
        return messages.filter(status=status)
    return messages


def _in_list_order(messages: QuerySet, status: str | None) -> QuerySet:
    """`messages` work-to-do first, newest first within each status, as rows of ROW_FIELDS."""
    order: list = []
    if status in (None, "not_done"):
        # Several statuses: work-to-do first (one status needs no ranking).
        rank = Case(
            *[When(status=value, then=Value(i)) for i, value in enumerate(_STATUS_ORDER)],
            default=Value(len(_STATUS_ORDER)),
            output_field=IntegerField(),
        )
        messages = messages.annotate(status_rank=rank)
        order.append("status_rank")
    # A letter about a placement says when the placement starts: drafts for the soonest first.
    placement_type = ContentType.objects.get_for_model(Placement)
    starts_on = Case(
        When(
            related_type=placement_type,
            then=Subquery(
                Placement.objects.filter(pk=OuterRef("related_id")).values("starts_on")[:1]
            ),
        ),
        default=None,
    )
    return (
        messages.annotate(placement_starts_on=starts_on)
        .order_by(
            *order,
            models.F("placement_starts_on").asc(nulls_last=True),
            "-created_at",
            "-pk",
        )
        .values(*ROW_FIELDS)
    )


# Each list (a status and an audience: the page's few choices, each its own SQL) compiled once
# for the readers who see it in one shape: the whole school, or one year (its id the argument,
# as `scope_q` cuts to it). More years vary the SQL, so are read through the ORM.
_LISTS: dict[tuple[str | None, str, bool], tuple[Callable[..., list], Callable[..., list]]] = {}


def _counted(messages: QuerySet) -> QuerySet:
    """How many `messages` there are, as a read of rows (no row when there are none)."""
    return (
        messages.order_by().values("audience").annotate(n=Count("pk")).values_list("n", flat=True)
    )


def _compiled_list(status: str | None, audience: str, *, one_year: bool):
    """The compiled reads of a list's rows and count (`CompiledList`)."""
    key = (status, audience, one_year)
    if key not in _LISTS:
        if one_year:

            def shown(year_id: int) -> QuerySet:
                return _messages_shown(status, audience, Q(student__year_group_id__in=[year_id]))

            _LISTS[key] = (
                compiled_query(lambda year_id: _in_list_order(shown(year_id), status), paged=True),
                compiled_query(lambda year_id: _counted(shown(year_id))),
            )
        else:
            _LISTS[key] = (
                compiled_query(
                    lambda: _in_list_order(_messages_shown(status, audience, Q()), status),
                    paged=True,
                ),
                compiled_query(lambda: _counted(_messages_shown(status, audience, Q()))),
            )
    return _LISTS[key]


def message_list(
    *, status: str | None = None, audience: str = Message.Audience.PARENT, viewer=None
) -> QuerySet | CompiledList:
    """Messages for the list page (those `viewer` may read, when given), work-to-do first, newest
    first within each status, as rows of ROW_FIELDS (for `message_rows`), for a Paginator.
    `status` and `audience`: one of the page's choices."""
    scope = Q() if viewer is None else policies.messages_scope(viewer)
    if not scope:
        rows, counts = _compiled_list(status, audience, one_year=False)
        return CompiledList(rows, counts, ())
    year_id = school_policies.one_year_scope(viewer, policies.PARENT_MESSAGE_ROLES)
    if year_id is not None:
        rows, counts = _compiled_list(status, audience, one_year=True)
        return CompiledList(rows, counts, (year_id,))
    return _in_list_order(_messages_shown(status, audience, scope), status)


@dataclass(frozen=True)
class MessageRow:
    """One line of the messages list, its words written once here rather than by filters per
    row in the template (issue 15)."""

    pk: int
    status: str
    status_label: str
    student_name: str  # "" when the message is about no student
    to: str
    placement_from: str  # "Tue 3 Nov", or "" when it is about no placement
    channel_label: str
    url: str
    subject: str
    body: str
    drafted: str  # "3 Nov 2026 10:15"
    by: str  # who drafted it, "" for the system


def message_rows(messages) -> list[MessageRow]:
    """The list page's rows for `messages` (rows from `message_list`); no query of its own."""
    message_url = url_maker("message-detail")
    status_labels = dict(Message.Status.choices)
    channel_labels = dict(Message.Channel.choices)
    rows = []
    for m in messages:
        student_name = ""
        if m["student_id"] is not None:
            student_name = student_name_from(m, "student__")
        by = ""
        if m["created_by_id"] is not None:
            # As User.get_full_name(), or the username.
            full_name = f"{m['created_by__first_name']} {m['created_by__last_name']}".strip()
            by = full_name or m["created_by__username"]
        rows.append(
            MessageRow(
                pk=m["pk"],
                status=m["status"],
                status_label=status_labels.get(m["status"], m["status"]),
                student_name=student_name,
                to=m["recipient_name"] or m["address"],
                placement_from=wording.short_day(m["placement_starts_on"]),
                channel_label=channel_labels.get(m["channel"], m["channel"]),
                url=message_url(m["pk"]),
                subject=m["subject"],
                body=m["body"],
                drafted=wording.day_and_time(m["created_at"]),
                by=by,
            )
        )
    return rows


@dataclass(frozen=True)
class WaitingMessage:
    pk: int
    channel: str
    status: str


class _Placed(Protocol):
    """A placement's day in a room, as `not_told` reads it."""

    @property
    def placement_id(self) -> int: ...

    @property
    def booked_at(self) -> dt.datetime: ...


class _Said(Protocol):
    """A message to the family about a placement, as `not_told` reads it."""

    @property
    def status(self) -> str: ...


P = TypeVar("P", bound=_Placed)
W = TypeVar("W", bound=_Said)


def not_told(
    rows: Iterable[P], messages: Mapping[int, Sequence[W]], spoken_to: Container[int], day: dt.date
) -> list[tuple[P, W | None, bool]]:
    """The rule of "family not told", for this list and the home page's (plain rows, no query):
    those of `rows` (placements in a room on `day`) whose family has been sent no message about
    the placement (`messages`: each placement's to its family, oldest first) and has not been
    reached by phone about it (`spoken_to`: the placements whose family someone spoke to). Each
    with the oldest message still to send (a draft, a letter to post, a failure) or None, and
    whether the placement was booked on `day` itself (a removal to the reflection room)."""
    found = []
    for row in rows:
        about = messages.get(row.placement_id, ())
        if row.placement_id in spoken_to or any(m.status == S.SENT for m in about):
            continue
        waiting = next((m for m in about if m.status in NOT_DONE), None)
        found.append((row, waiting, clock.local(row.booked_at).date() == day))
    return found


# The placements with a day on a day whose family someone spoke to (a set: not sorted).
_SPOKEN_TO = compiled_query(
    lambda day: (
        FamilyCall.objects.filter(placement__days__date=day, outcome=FamilyCall.Outcome.SPOKE)
        .values_list("placement_id", flat=True)
        .order_by()
    )
)


def placements_spoken_to(day: dt.date) -> set[int]:
    """The placements with a day on `day` whose family someone has spoken to (one query)."""
    return set(_SPOKEN_TO(day))


@dataclass(frozen=True)
class RoomDay:
    """A student booked into a room on a day, as the list of families not told shows them."""

    placement_id: int
    booked_at: dt.datetime
    student_name: str
    provision: str
    room_code: str
    notice_problem: str  # why no letter could be drafted ("" when one could)


@dataclass(frozen=True)
class NotTold:
    """A student in a room today whose family has not been told: the message still to send
    (a draft, a letter to post, a failure) or none at all."""

    placement_id: int
    student_name: str
    provision: str
    room_code: str
    notice_problem: str  # why no letter could be drafted ("" when one could)
    message: WaitingMessage | None
    placed_today: bool  # booked on the day itself (a removal to the reflection room)


_ROOM_DAYS = compiled_query(
    lambda day: (
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
        .values(
            "placement_id",
            "placement__booked_at",
            "placement__student__legal_first_name",
            "placement__student__legal_last_name",
            "placement__student__preferred_first_name",
            "placement__student__preferred_last_name",
            "placement__provision__name",
            "room__code",
            "placement__parent_notice_problem",
            "placement__student__year_group_id",
        )
    )
)
# The messages to families about the placements with a day on a day, sent or still to send,
# oldest first (read through the days, not by a list of ids, so that the SQL is built once).
_PLACEMENT_MESSAGES = compiled_query(
    lambda day: (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in=PlacementDay.objects.filter(date=day, is_active=True).values(
                "placement_id"
            ),
            audience=Message.Audience.PARENT,
            status__in=(S.SENT, *NOT_DONE),
        )
        .order_by("created_at")
        .values_list("pk", "channel", "status", "related_id")
    )
)


def families_not_told(day: dt.date, viewer=None) -> list[NotTold]:
    """Students booked into a room on `day` (placed that day or before) whose family has been
    sent nothing about the placement and has not been reached by phone about it (`not_told`),
    by name (those whose messages `viewer` may read, when given: pastoral staff, their years'):
    plain rows, three small queries, their SQL built once (issue 15)."""
    rows = [
        RoomDay(
            placement_id=d["placement_id"],
            booked_at=d["placement__booked_at"],
            student_name=student_name_from(d, "placement__student__"),
            provision=d["placement__provision__name"],
            room_code=d["room__code"],
            notice_problem=d["placement__parent_notice_problem"],
        )
        for d in _ROOM_DAYS(day)
        if viewer is None
        or school_policies.reaches_year(
            viewer, d["placement__student__year_group_id"], policies.PARENT_MESSAGE_ROLES
        )
    ]
    if not rows:
        return []
    messages: dict[int, list[WaitingMessage]] = {}
    for pk, channel, status, related_id in _PLACEMENT_MESSAGES(day):
        messages.setdefault(int(related_id or 0), []).append(WaitingMessage(pk, channel, status))
    return [
        NotTold(
            placement_id=row.placement_id,
            student_name=row.student_name,
            provision=row.provision,
            room_code=row.room_code,
            notice_problem=row.notice_problem,
            message=waiting,
            placed_today=placed_today,
        )
        for row, waiting, placed_today in not_told(rows, messages, placements_spoken_to(day), day)
    ]


def message_get(message_id: int) -> Message:
    """One message with what its page shows; raises Message.DoesNotExist."""
    return Message.objects.select_related(
        "student", "guardian", "template", "created_by", "approved_by", "edited_by", "sent_by"
    ).get(pk=message_id)


def messages_about(record: models.Model) -> QuerySet[Message]:
    """Every message a record (e.g. a placement) caused, newest first."""
    return Message.objects.filter(
        related_type=ContentType.objects.get_for_model(record), related_id=record.pk
    )


def parent_contacts_not_done(record: models.Model | None = None) -> QuerySet[Message]:
    """Parent messages still needing a person or on their way: draft, approved (letters to post),
    failed or queued — optionally only those a given record caused."""
    messages = messages_about(record) if record is not None else Message.objects.all()
    return messages.filter(audience=Message.Audience.PARENT, status__in=NOT_DONE)


def messages_stuck_sending(*, now: dt.datetime) -> list[Message]:
    """Messages a sender claimed and never finished: its lease ran out (the process died while
    talking to the server). Whether they went is unknown, so they are not sent again by
    themselves."""
    return list(Message.objects.filter(status=S.SENDING, next_attempt_at__lt=now).order_by("pk"))


def messages_due(*, now: dt.datetime, limit: int) -> list[Message]:
    """Queued emails and texts whose time to try has come, oldest first (not yet claimed)."""
    return list(
        Message.objects.filter(
            status=S.QUEUED,
            channel__in=[Message.Channel.EMAIL, Message.Channel.SMS],
            next_attempt_at__lte=now,
        ).order_by("next_attempt_at", "pk")[:limit]
    )


_PARENT_CONTACTS = compiled_query(
    lambda student_id: Message.objects.filter(
        student_id=student_id, audience=Message.Audience.PARENT
    ).values_list("pk", "sent_at", "created_at", "channel", "status", "subject")
)


def timeline_entries(student, *, viewer) -> list[TimelineEntry]:
    """Contacts with the student's family as timeline entries, linked where `viewer` may read
    messages; only those who may see a student's family contacts see them at all."""
    if not can_view_student_sensitive(viewer, student):
        return []
    may_open = policies.can_view_messages(viewer) and school_policies.reaches(
        viewer, student, policies.PARENT_MESSAGE_ROLES
    )
    message_url = url_maker("message-detail")
    channels = {value: label.lower() for value, label in Message.Channel.choices}
    statuses = {value: label.lower() for value, label in Message.Status.choices}
    return [
        TimelineEntry(
            sent_at or created_at,
            "message",
            f"Parent contact ({channels.get(channel, channel)}): {statuses.get(status, status)}",
            subject,
            message_url(pk) if may_open else "",
        )
        for pk, sent_at, created_at, channel, status, subject in _PARENT_CONTACTS(student.pk)
    ]


def notices_for(user, *, limit: int = 200):
    """`user`'s inbox, newest first (one query)."""
    return list(Notice.objects.filter(recipient=user).order_by("-created_at", "-pk")[:limit])


@dataclass(frozen=True, slots=True)
class InboxRow:
    """A notice as the inbox lists it."""

    pk: int
    title: str
    body: str
    level: str
    created_at: dt.datetime
    read_at: dt.datetime | None


# The inbox as the columns it shows, newest first (the first 200, as `notices_for`): its SQL
# built once (issue 15).
_INBOX = compiled_query(
    lambda user_id: (
        Notice.objects.filter(recipient_id=user_id)
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "body", "level", "created_at", "read_at")[:200]
    )
)


def inbox_rows(user) -> list[InboxRow]:
    """`notices_for(user)` as the columns the inbox shows (one query)."""
    return [InboxRow(*row) for row in _INBOX(user.pk)]


# Every page's menu counts the unread notices, and building the ORM's COUNT cost ten times as much
# as running it (~0.25 ms a page): its SQL is built once (conduct.lib.compiled).
_UNREAD_NOTICES = compiled_query(
    lambda user_id: (
        Notice.objects.filter(recipient_id=user_id, read_at=None)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values_list("unread", flat=True)
    )
)


def unread_notice_count(user) -> int:
    """How many of `user`'s notices are unread (one query), for the menu."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return sum(_UNREAD_NOTICES(user.pk))  # no row when none is unread
