"""Reads for students sent out of lessons: the visits to make, the visits made, and what a
teacher logged."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from conduct.lib import clock, wording
from conduct.lib.compiled import compiled_query
from patrol.models import SentOut
from sanctions.models import Placement, PlacementDay
from school.models import staff_display_name, student_name, student_name_from


def _sent_out() -> QuerySet[SentOut]:
    return SentOut.objects.select_related(
        "student__form",
        "teaching_class",
        "period",
        "from_room",
        "sent_to_room",
        "logged_by__staff",
        "visited_by__staff",
    )


# Every student booked into a room on a day (a few dozen at most): a read of one fixed shape, its
# SQL built once (conduct.lib.compiled); the callers keep the students they ask about.
_BOOKED_ON = compiled_query(
    lambda day: (
        PlacementDay.objects.filter(date=day, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("placement__student_id", "room__code", "placement__provision__name")
    )
)


def bookings_on(day: dt.date, student_ids) -> list[tuple[int, str, str]]:
    """(student id, room code, provision name) of each of `student_ids` booked into a room on
    `day`. One query."""
    wanted = set(student_ids)
    return [row for row in _BOOKED_ON(day) if row[0] in wanted]


def booked_today(student_ids: list[int], day: dt.date) -> dict[int, str]:
    """Students booked into a room on `day`, where they should be rather than in a lesson
    ("IE1 today (Internal exclusion)"). One query."""
    return {
        student_id: f"{room} today ({provision})"
        for student_id, room, provision in bookings_on(day, student_ids)
    }


@dataclass(slots=True)
class SentOutCard:
    """A student sent out today as the patrol's page shows them, read as a row (issue 15): a
    card to visit, or a line in "Visited today"."""

    pk: int
    student_id: int
    student_name: str
    form: str  # "" when the student has no form
    sent_to: str
    sent_to_room_code: str
    sent_to_place: str
    from_room_code: str
    sent_out_of: str  # "Sent out of 9X/Ma1 in M4", as SentOut.sent_out_of
    sent_at: dt.datetime
    logged_by: str  # their staff name, else their user's full name
    reason: str
    outcome: str  # "" while nobody has visited
    outcome_label: str
    outcome_at: dt.datetime | None
    visited_at: dt.datetime | None
    visited_by: str
    taken_to: str
    booked_today: str = ""  # the room they are booked into today, or ""
    waiting: str = ""  # "12 min"


OUTCOME_LABELS = dict(SentOut.Outcome.choices)
_USER_NAMES = ("first_name", "last_name", "staff__title", "staff__first_name", "staff__last_name")

# Today's students sent out, by the moment the day began: one read of one fixed shape, its SQL
# built once (conduct.lib.compiled).
_SENT_OUT_SINCE = compiled_query(
    lambda since: (
        SentOut.objects.filter(sent_at__gte=since)
        .order_by("sent_at", "pk")
        .values(
            "pk",
            "student_id",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
            "student__form__code",
            "sent_to",
            "sent_to_room__code",
            "sent_to_place",
            "teaching_class_id",
            "teaching_class__code",
            "from_room_id",
            "from_room__code",
            "sent_at",
            "reason",
            "outcome",
            "outcome_at",
            "visited_at",
            "visited_by_id",
            "taken_to",
            *(f"logged_by__{name}" for name in _USER_NAMES),
            *(f"visited_by__{name}" for name in _USER_NAMES),
        )
    )
)


def _user_name(row, prefix: str) -> str:
    """As `user.staff.display_name|default:user.get_full_name` wrote it."""
    if row[f"{prefix}staff__last_name"] is not None:
        name = staff_display_name(
            row[f"{prefix}staff__title"],
            row[f"{prefix}staff__first_name"],
            row[f"{prefix}staff__last_name"],
        )
        if name:
            return name
    return f"{row[f'{prefix}first_name'] or ''} {row[f'{prefix}last_name'] or ''}".strip()


def _cards(now: dt.datetime) -> list[SentOutCard]:
    cards = []
    for row in _SENT_OUT_SINCE(clock.start_of_day(now)):
        lesson = row["teaching_class__code"] if row["teaching_class_id"] else "a lesson"
        room = f" in {row['from_room__code']}" if row["from_room_id"] else ""
        cards.append(
            SentOutCard(
                pk=row["pk"],
                student_id=row["student_id"],
                student_name=student_name_from(row, "student__"),
                form=row["student__form__code"] or "",
                sent_to=row["sent_to"],
                sent_to_room_code=row["sent_to_room__code"] or "",
                sent_to_place=row["sent_to_place"],
                from_room_code=row["from_room__code"] or "",
                sent_out_of=f"Sent out of {lesson}{room}",
                sent_at=row["sent_at"],
                logged_by=_user_name(row, "logged_by__"),
                reason=row["reason"],
                outcome=row["outcome"],
                outcome_label=OUTCOME_LABELS.get(row["outcome"], row["outcome"]),
                outcome_at=row["outcome_at"],
                visited_at=row["visited_at"],
                visited_by=_user_name(row, "visited_by__") if row["visited_by_id"] else "",
                taken_to=row["taken_to"],
            )
        )
    return cards


def sent_out_to_visit(*, now: dt.datetime | None = None) -> list[SentOutCard]:
    """Today's students sent out whom nobody has visited yet, longest waiting first, each with
    `booked_today` (the room they are booked into today, or "") and `waiting` ("12 min"). Two
    queries."""
    now = now or clock.now()
    return _waiting([card for card in _cards(now) if not card.outcome], now)


def _waiting(cards: list[SentOutCard], now: dt.datetime) -> list[SentOutCard]:
    booked = booked_today([card.student_id for card in cards], now.date()) if cards else {}
    for card in cards:
        card.booked_today = booked.get(card.student_id, "")
        card.waiting = waiting_phrase(now - card.sent_at)
    return cards


@dataclass(frozen=True)
class VisitToMake:
    """A student sent out today whom nobody has visited yet, as the home page lists them."""

    student_name: str
    form: str  # "" when the student has no form
    sent_at: str  # "10:15"
    class_code: str  # "" when sent out of no class
    room_code: str  # "" when sent out of no room


# Students sent out since a moment whom nobody has visited yet (the home page's, every request).
_TO_VISIT_SINCE = compiled_query(
    lambda since: (
        SentOut.objects.filter(outcome="", sent_at__gte=since)
        .values(
            "sent_at",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
            "student__form__code",
            "teaching_class__code",
            "from_room__code",
        )
        .order_by("sent_at")
    )
)


def visits_to_make(*, now: dt.datetime) -> list[VisitToMake]:
    """`sent_out_to_visit` as the home page shows it: who, from where and when, longest waiting
    first (one query)."""
    rows = _TO_VISIT_SINCE(clock.start_of_day(now))
    return [
        VisitToMake(
            student_name=student_name_from(v, "student__"),
            form=v["student__form__code"] or "",
            sent_at=wording.hhmm(v["sent_at"]),
            class_code=v["teaching_class__code"] or "",
            room_code=v["from_room__code"] or "",
        )
        for v in rows
    ]


def sent_out_today(
    *, now: dt.datetime | None = None, limit: int = 20
) -> tuple[list[SentOutCard], list[SentOutCard]]:
    """`sent_out_to_visit` and the last `limit` visits made today, read together: today's
    students sent out in one query (two with any to visit)."""
    now = now or clock.now()
    cards = _cards(now)
    to_visit = [card for card in cards if not card.outcome]
    visited = sorted(
        (card for card in cards if card.outcome),
        key=lambda card: (card.outcome_at, card.pk),
        reverse=True,
    )
    return _waiting(to_visit, now), visited[:limit]


def waiting_phrase(waited: dt.timedelta) -> str:
    """How long a visit has waited: "under a minute", "12 min", "1 h 15 min"."""
    minutes = max(0, int(waited.total_seconds() // 60))
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def sent_out_visited_today(*, now: dt.datetime | None = None, limit: int = 20) -> list[SentOut]:
    """Today's visits already made, newest first."""
    now = now or clock.now()
    rows = _sent_out().exclude(outcome="").filter(sent_at__gte=clock.start_of_day(now))
    return list(rows.order_by("-outcome_at")[:limit])


def sent_out_logged_by(user, *, now: dt.datetime | None = None, limit: int = 5) -> list[SentOut]:
    """What `user` logged today, newest first, so a teacher sees the visit happen."""
    now = now or clock.now()
    rows = _sent_out().filter(logged_by=user, sent_at__gte=clock.start_of_day(now))
    return list(rows.order_by("-sent_at")[:limit])


@dataclass(frozen=True, slots=True)
class LoggedToday:
    """One of the students a person sent out today, as the page to log another lists them."""

    sent_at: dt.datetime
    student_name: str
    outcome: str
    outcome_label: str  # as `SentOut.get_outcome_display()`
    visited_at: dt.datetime | None
    visited_by: str  # their staff record's name, else the account's full name, else ""


# `sent_out_logged_by()` (the latest five) as the columns the page lists: SQL built once.
_LOGGED_TODAY = compiled_query(
    lambda user_id, start: (
        SentOut.objects.filter(logged_by_id=user_id, sent_at__gte=start)
        .order_by("-sent_at")
        .values_list(
            "sent_at",
            "student__preferred_first_name",
            "student__legal_first_name",
            "student__preferred_last_name",
            "student__legal_last_name",
            "outcome",
            "visited_at",
            "visited_by__first_name",
            "visited_by__last_name",
            "visited_by__staff__id",
            "visited_by__staff__title",
            "visited_by__staff__first_name",
            "visited_by__staff__last_name",
        )[:5]
    )
)
_OUTCOMES = dict(SentOut.Outcome.choices)


def logged_today(user, *, now: dt.datetime | None = None) -> list[LoggedToday]:
    """`sent_out_logged_by(user, now=now)` as the columns its list shows (one query)."""
    found = []
    for (
        sent_at,
        preferred_first,
        legal_first,
        preferred_last,
        legal_last,
        outcome,
        visited_at,
        first_name,
        last_name,
        staff_id,
        title,
        staff_first,
        staff_last,
    ) in _LOGGED_TODAY(user.pk, clock.start_of_day(now or clock.now())):
        # As `{{ visited_by.staff.display_name|default:visited_by.get_full_name }}`.
        visitor = staff_display_name(title, staff_first, staff_last) if staff_id is not None else ""
        if not visitor and first_name is not None:
            visitor = f"{first_name} {last_name}".strip()
        found.append(
            LoggedToday(
                sent_at,
                student_name(legal_first, legal_last, preferred_first, preferred_last),
                outcome,
                _OUTCOMES.get(outcome, outcome),
                visited_at,
                visitor,
            )
        )
    return found
