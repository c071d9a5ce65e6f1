"""Reading messages: the "not yet done" list, one message, what a record caused, what is due."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from conduct.lib import clock, wording
from conduct.lib.compiled import compiled_query
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


def message_list(
    *, status: str | None = None, audience: str = Message.Audience.PARENT, viewer=None
) -> QuerySet:
    """Messages for the list page (those `viewer` may read, when given), work-to-do first, newest
    first within each status, as rows of ROW_FIELDS (for `message_rows`)."""
    messages = Message.objects.filter(audience=audience)
    if viewer is not None:
        messages = policies.messages_in_scope(viewer, messages)
    order: list = []
    if status == "not_done":
        messages = messages.filter(status__in=NOT_DONE)
    elif status:
        messages = messages.filter(status=status)
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
class NotTold:
    """A student in a room today whose family has not been told: the message still to send
    (a draft, a letter to post, a failure) or none at all."""

    placement: Placement
    room_code: str
    message: Message | None
    placed_today: bool  # booked on the day itself (a removal to the reflection room)


def families_not_told(day: dt.date) -> list[NotTold]:
    """Students booked into a room on `day` (placed that day or before) whose family has been
    sent nothing about the placement and has not been reached by phone about it (a logged call
    where someone spoke to them), by name (two queries)."""
    placement_type = ContentType.objects.get_for_model(Placement)
    sent = Message.objects.filter(
        related_type=placement_type,
        related_id=OuterRef("placement_id"),
        audience=Message.Audience.PARENT,
        status=S.SENT,
    )
    days = list(
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .exclude(Exists(sent))
        .exclude(
            Exists(
                FamilyCall.objects.filter(
                    placement_id=OuterRef("placement_id"), outcome=FamilyCall.Outcome.SPOKE
                )
            )
        )
        # What the rows show: the student's name, the provision and the room's code.
        .select_related("placement__student", "placement__provision")
        .annotate(room_code=F("room__code"))
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )
    waiting: dict[int, Message] = {}
    for message in (
        Message.objects.filter(
            related_type=placement_type,
            related_id__in=[d.placement_id for d in days],
            audience=Message.Audience.PARENT,
            status__in=NOT_DONE,
        )
        .only("pk", "channel", "status", "related_id")
        .order_by("created_at")
    ):
        waiting.setdefault(int(message.related_id or 0), message)
    return [
        NotTold(
            d.placement,
            d.room_code,  # type: ignore[attr-defined]
            waiting.get(d.placement_id),
            clock.local(d.placement.booked_at).date() == day,
        )
        for d in days
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


def unread_notice_count(user) -> int:
    """How many of `user`'s notices are unread (one query), for the menu."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notice.objects.filter(recipient=user, read_at=None).count()
