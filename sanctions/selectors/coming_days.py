"""The home page's to-do lists about the students in a room today and the next school day, from
one read of their placement days (issue 15: arrivals, rooms booked, families not told and
letters to check each read the same days)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from notify import selectors as notify_selectors
from notify.models import Message
from pastoral.models import FamilyCall
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
    lessons_missed: int  # the lessons of the day the student misses
    family_spoken_to: bool  # someone spoke to the family about the placement on the phone


def _placement_days(days: list[dt.date]):
    return PlacementDay.objects.filter(date__in=days, is_active=True).exclude(
        placement__status=Placement.Status.CANCELLED
    )


def _placement_day_rows(days: list[dt.date]):
    # The lessons missed and the calls counted on each row rather than read in queries more
    # (issue 15: a query's own cost was more than these few rows' subqueries).
    missed = (
        WorkRequest.objects.filter(placement_day=OuterRef("pk"))
        .exclude(status=WorkRequest.Status.CANCELLED)
        .order_by()
        .values("placement_day")
        .annotate(n=Count("pk"))
        .values("n")
    )
    spoken_to = FamilyCall.objects.filter(
        placement=OuterRef("placement_id"), outcome=FamilyCall.Outcome.SPOKE
    )
    return (
        _placement_days(days)
        .annotate(lessons_missed=Coalesce(Subquery(missed), 0), family_spoken_to=Exists(spoken_to))
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
            "lessons_missed",
            "family_spoken_to",
        )
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
    )


# The read for one day and for two (today and the next school day): a list of dates varies the
# SQL with its length, so each length the home page asks for is compiled on its own.
_PLACEMENT_DAYS = {
    1: compiled_query(lambda day: _placement_day_rows([day])),
    2: compiled_query(lambda day, next_day: _placement_day_rows([day, next_day])),
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
            lessons_missed=v["lessons_missed"],
            family_spoken_to=v["family_spoken_to"],
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


def arrivals(rows: list[DayRow], day: dt.date) -> list[Arrival]:
    """Those of `rows` in a room on `day`, in name order, with the number of lessons they miss
    (no query)."""
    today = [row for row in rows if row.date == day]
    if not today:
        return []
    student_url = url_maker("student-detail")
    register_url = url_maker("register-today")
    return [
        Arrival(row, row.lessons_missed, student_url(row.student_id), register_url(row.room_code))
        for row in today
    ]


def booked_by_room(rows: list[DayRow], day: dt.date) -> dict[int, int]:
    """How many places each room has booked on `day` (no query)."""
    return dict(Counter(row.room_id for row in rows if row.date == day))


# The places booked in each room on a day, for a page that reads no placement rows.
_BOOKED_ON = compiled_query(
    lambda day: _placement_days([day]).values_list("room_id").annotate(n=Count("pk")).order_by()
)


def booked_on(day: dt.date) -> dict[int, int]:
    """How many places each room has booked on `day`, as `booked_by_room` counts them (one
    query)."""
    return dict(_BOOKED_ON(day))


@dataclass(frozen=True)
class ParentMessage:
    pk: int
    status: str
    channel: str
    status_label: str
    channel_label: str


def _parent_messages(placement_type_id: int, days: list[dt.date]):
    return (
        Message.objects.filter(
            related_type_id=placement_type_id,
            related_id__in=_placement_days(days).values("placement_id"),
            audience=Message.Audience.PARENT,
        )
        .values("pk", "status", "channel", "related_id")
        .order_by("created_at")
    )


# The messages about the placements `_PLACEMENT_DAYS` reads, by the same days (not by the
# placements' ids: a list varies the SQL with its length).
_PARENT_MESSAGES = {
    1: compiled_query(lambda type_id, day: _parent_messages(type_id, [day])),
    2: compiled_query(lambda type_id, day, next_day: _parent_messages(type_id, [day, next_day])),
}


def parent_messages(rows: list[DayRow], days: list[dt.date]) -> dict[int, list[ParentMessage]]:
    """The messages to parents about `rows`' placements (`placement_days_on(days)`), oldest
    first, by placement (one query; none when there are no rows)."""
    if not rows:
        return {}
    found: dict[int, list[ParentMessage]] = {}
    statuses = dict(Message.Status.choices)
    channels = dict(Message.Channel.choices)
    placement_type = ContentType.objects.get_for_model(Placement)
    for v in _PARENT_MESSAGES[len(days)](placement_type.pk, *days):
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
    """Those of `rows` in a room on `day` whose family has not been told, by name (no query):
    the rule of the messages list's (`notify.selectors.not_told`)."""
    today = [row for row in rows if row.date == day]
    if not today:
        return []
    call_url = url_maker("family-call-new")
    spoken_to = {row.placement_id for row in today if row.family_spoken_to}
    return [
        NotTold(row, call_url(row.placement_id), waiting, placed_today)
        for row, waiting, placed_today in notify_selectors.not_told(today, messages, spoken_to, day)
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
