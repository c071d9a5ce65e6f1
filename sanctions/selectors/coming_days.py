"""The home page's to-do lists about the students in a room today and the next school day, from
one read of their placement days (issue 15: arrivals, rooms booked, families not told and
letters to check each read the same days)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from notify import selectors as notify_selectors
from notify.models import Message
from sanctions.models import Placement, PlacementDay
from school.models import student_name_from
from work.models import WorkRequest

S = Message.Status


@dataclass(frozen=True)
class DayRow:
    """A student's placement day in a room, with what the lists show of it."""

    pk: int
    date: dt.date
    placement_id: int
    status: str  # the placement's
    booked_at: dt.datetime
    referral_id: int | None
    parent_notice_problem: str
    provision: str
    room_id: int
    room_code: str
    student_name: str
    form: str  # "" when the student has no form
    year_group_id: int
    student_id: int


def _placement_days(days: list[dt.date]):
    return (
        PlacementDay.objects.filter(date__in=days, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values(
            "pk",
            "date",
            "placement_id",
            "placement__status",
            "placement__booked_at",
            "placement__referral_id",
            "placement__parent_notice_problem",
            "placement__provision__name",
            "room_id",
            "room__code",
            "placement__student_id",
            "placement__student__preferred_first_name",
            "placement__student__legal_first_name",
            "placement__student__preferred_last_name",
            "placement__student__legal_last_name",
            "placement__student__form__code",
            "placement__student__year_group_id",
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )


# The read for one day and for two (today and the next school day): a list of dates varies the
# SQL with its length, so each length the home page asks for is compiled on its own.
_PLACEMENT_DAYS = {
    1: compiled_query(lambda day: _placement_days([day])),
    2: compiled_query(lambda day, next_day: _placement_days([day, next_day])),
}


def placement_days_on(days: list[dt.date]) -> list[DayRow]:
    """Every active placement day on `days` (one or two of them) whose placement is not
    cancelled, in name order (one query)."""
    rows = _PLACEMENT_DAYS[len(days)](*days)
    return [
        DayRow(
            pk=v["pk"],
            date=v["date"],
            placement_id=v["placement_id"],
            status=v["placement__status"],
            booked_at=v["placement__booked_at"],
            referral_id=v["placement__referral_id"],
            parent_notice_problem=v["placement__parent_notice_problem"],
            provision=v["placement__provision__name"],
            room_id=v["room_id"],
            room_code=v["room__code"],
            student_name=student_name_from(v, "placement__student__"),
            form=v["placement__student__form__code"] or "",
            year_group_id=v["placement__student__year_group_id"],
            student_id=v["placement__student_id"],
        )
        for v in rows
    ]


@dataclass(frozen=True)
class Arrival:
    """A student booked into a room on a day and how many lessons they miss there."""

    row: DayRow
    lessons_missed: int
    student_url: str
    register_url: str  # the room's register today


# The lessons missed on a day, one placement day's id for each (counted by the caller). Read by
# the day rather than by the rows' ids (a list varies the SQL with its length): every placement
# day on it, of which the caller looks up its own.
_LESSONS_MISSED = compiled_query(
    lambda day: (
        WorkRequest.objects.filter(placement_day__date=day)
        .exclude(status=WorkRequest.Status.CANCELLED)
        .values_list("placement_day_id", flat=True)
        .order_by()  # counted, so not sorted (the default order joins the periods)
    )
)


def arrivals(rows: list[DayRow], day: dt.date) -> list[Arrival]:
    """Those of `rows` in a room on `day`, in name order, with the number of lessons they miss
    (one query)."""
    today = [row for row in rows if row.date == day]
    if not today:
        return []
    missed = Counter(_LESSONS_MISSED(day))
    student_url = url_maker("student-detail")
    register_url = url_maker("register-today")
    return [
        Arrival(row, missed[row.pk], student_url(row.student_id), register_url(row.room_code))
        for row in today
    ]


def booked_by_room(rows: list[DayRow], day: dt.date) -> dict[int, int]:
    """How many places each room has booked on `day` (no query)."""
    return dict(Counter(row.room_id for row in rows if row.date == day))


@dataclass(frozen=True)
class ParentMessage:
    pk: int
    status: str
    channel: str
    status_label: str
    channel_label: str


def parent_messages(rows: list[DayRow]) -> dict[int, list[ParentMessage]]:
    """The messages to parents about `rows`' placements, oldest first, by placement (one
    query)."""
    if not rows:
        return {}
    found: dict[int, list[ParentMessage]] = {}
    statuses = dict(Message.Status.choices)
    channels = dict(Message.Channel.choices)
    for v in (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in={row.placement_id for row in rows},
            audience=Message.Audience.PARENT,
        )
        .values("pk", "status", "channel", "related_id")
        .order_by("created_at")
    ):
        found.setdefault(int(v["related_id"] or 0), []).append(
            ParentMessage(
                v["pk"],
                v["status"],
                v["channel"],
                statuses.get(v["status"], v["status"]),
                channels.get(v["channel"], v["channel"]),
            )
        )
    return found


@dataclass(frozen=True)
class NotTold:
    """A student in a room today whose family has not been told: the message still to send
    (a draft, a letter to post, a failure) or none at all."""

    row: DayRow
    call_url: str  # where to log the phone call
    message: ParentMessage | None
    placed_today: bool  # booked on the day itself (a removal to the reflection room)


def families_not_told(
    rows: list[DayRow], messages: dict[int, list[ParentMessage]], day: dt.date
) -> list[NotTold]:
    """Those of `rows` in a room on `day` whose family has not been told, by name (one query):
    the rule of the messages list's (`notify.selectors.not_told`)."""
    today = [row for row in rows if row.date == day]
    if not today:
        return []
    call_url = url_maker("family-call-new")
    return [
        NotTold(row, call_url(row.placement_id), waiting, placed_today)
        for row, waiting, placed_today in notify_selectors.not_told(
            today, messages, notify_selectors.placements_spoken_to(day), day
        )
    ]


@dataclass(frozen=True)
class LetterToCheck:
    """A placement on one of the coming days whose family has not been written to yet: its
    draft to check, or (no `message`) the reason none could be drafted."""

    row: DayRow  # the placement's first day among the days read
    message: ParentMessage | None
    message_url: str  # the draft's page ("" for none)
    referral_url: str  # the referral that booked it ("" for none)


def family_letters_to_check(
    rows: list[DayRow], messages: dict[int, list[ParentMessage]]
) -> list[LetterToCheck]:
    """Booked placements among `rows` whose family's letter is still a draft to check, or for
    which no letter could be drafted, by day then name (no query), as
    `sanctions.selectors.family_letters.family_letters_to_check` finds them."""
    firsts: dict[int, DayRow] = {}
    for row in sorted(rows, key=lambda row: row.date):
        if row.status == Placement.Status.BOOKED:
            firsts.setdefault(row.placement_id, row)
    message_url = url_maker("message-detail")
    referral_url = url_maker("referral-detail")
    found = []
    for placement_id, row in firsts.items():
        referral = referral_url(row.referral_id) if row.referral_id else ""
        for message in messages.get(placement_id, []):
            if message.status == S.DRAFT:
                found.append(LetterToCheck(row, message, message_url(message.pk), referral))
        if row.parent_notice_problem:
            found.append(LetterToCheck(row, None, "", referral))
    return sorted(found, key=lambda item: (item.row.date, item.row.student_name))
