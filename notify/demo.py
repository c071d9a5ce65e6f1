"""The demo's parent messages as a school that keeps up with them has them: booking a placement
drafts a letter, email or text to the family (sanctions' booking does that); here each draft
about a placement booked before the last school day was checked and sent, nearly always the
same day, a few the next morning, one text in twenty-five failing to reach the phone. The last
school day's and today's are still drafts to check, as on any morning. Without this the
messages page held the whole term's drafts and the reports said no family was ever told."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from audit.models import StateChange
from audit.services import history_record
from conduct.lib import clock
from notify.models import Message
from notify.services import MISSING
from sanctions.models import Placement
from school.selectors.calendar import is_school_day

S = Message.Status
C = Message.Channel


def load_messages_demo(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Send the drafts about placements booked before the last school day; returns counts."""
    rng = random.Random(seed)
    checker = get_user_model().objects.filter(username="conduct").first()
    last_school_day = next(
        (d for n in range(1, 8) if is_school_day(d := today - dt.timedelta(days=n))), today
    )
    booked = dict(
        Placement.objects.filter(booked_at__date__lt=last_school_day).values_list("pk", "booked_at")
    )
    drafts = Message.objects.filter(
        audience=Message.Audience.PARENT,
        status=S.DRAFT,
        related_type=ContentType.objects.get_for_model(Placement),
        related_id__in=booked,
    ).order_by("pk")
    counts = {"sent_same_day": 0, "sent_next_day": 0, "failed": 0}
    for message in drafts.select_related("student"):
        if MISSING in message.subject or MISSING in message.body:
            continue  # nobody could approve it: still waiting for the missing details
        booked_at = booked[message.related_id]
        drafted = booked_at + dt.timedelta(minutes=1)
        approved = booked_at + dt.timedelta(minutes=rng.randint(8, 50))
        roll = rng.random()
        if roll < 0.08:
            # Booked late in the day: checked first thing the next school day.
            next_day = clock.local(booked_at).date() + dt.timedelta(days=1)
            while not is_school_day(next_day):
                next_day += dt.timedelta(days=1)
            approved = clock.at(next_day, dt.time(8, rng.randint(35, 59)))
            counts["sent_next_day"] += 1
        else:
            counts["sent_same_day"] += 1
        fields = {"created_at": drafted, "approved_by": checker, "approved_at": approved}
        if message.channel == C.LETTER:
            # Printed and posted by the office after the last lesson.
            posted = clock.at(clock.local(approved).date(), dt.time(15, rng.randint(20, 50)))
            fields |= {"status": S.SENT, "sent_by": checker, "sent_at": max(posted, approved)}
            steps = [
                (checker, S.DRAFT, S.APPROVED, approved, ""),
                (checker, S.APPROVED, S.SENT, fields["sent_at"], "Letter posted"),
            ]
        elif message.channel == C.SMS and roll > 0.96:
            tried = approved + dt.timedelta(minutes=1)
            error = f"{clock.local(tried):%d/%m/%Y %H:%M} attempt 1: the number is not a mobile"
            fields |= {"status": S.FAILED, "attempts": 1, "last_error": error}
            steps = [
                (checker, S.DRAFT, S.QUEUED, approved, ""),
                (None, S.QUEUED, S.FAILED, tried, error),
            ]
            counts["sent_same_day" if roll >= 0.08 else "sent_next_day"] -= 1
            counts["failed"] += 1
        else:
            sent = approved + dt.timedelta(seconds=rng.randint(20, 150))
            fields |= {"status": S.SENT, "sent_at": sent, "attempts": 1}
            steps = [(checker, S.DRAFT, S.QUEUED, approved, ""), (None, S.QUEUED, S.SENT, sent, "")]
        Message.objects.filter(pk=message.pk).update(**fields)
        # The draft was written when the placement was booked, not when the demo was loaded.
        StateChange.objects.filter(
            object_type="notify.message", object_id=str(message.pk), to_value=S.DRAFT
        ).update(at=drafted)
        for by, from_, to, at, note in steps:
            history_record(
                target=message, by=by, from_=from_, to=to, at=at, note=note, student=message.student
            )
    return counts
