"""A small fixed history to check the reports against figures worked out by hand.

The week of Monday 23 to Friday 27 November 2026 (autumn half-term 2), with one placement from
the week before and a few either side of the autumn half-term holiday (24 October – 1 November).
Every figure the tests expect is worked out in tests/test_reports_figures.py's docstrings.
"""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from notify.models import Message
from pastoral.models import Interview
from patrol.models import OnCallReason, OnCallRequest
from sanctions.models import Incident, Placement, PlacementDay, Referral
from school.models import AcademicYear, Form, HalfTerm, Term, TimetableSlot, YearGroup
from tests.base import LONDON, make_student


def make_half_term() -> HalfTerm:
    """Autumn 1 of 2026/27 alone, for a page that needs a half-term and no more."""
    d = dt.date
    year = AcademicYear.objects.create(
        name="2026/27", starts_on=d(2026, 9, 1), ends_on=d(2027, 8, 31)
    )
    term = Term.objects.create(
        academic_year=year, kind=Term.Kind.AUTUMN, starts_on=d(2026, 9, 3), ends_on=d(2026, 12, 18)
    )
    return HalfTerm.objects.create(
        term=term, number=1, starts_on=term.starts_on, ends_on=d(2026, 10, 23)
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def place(target, student, provision, room, days, *, status="completed", by=None, **extra):
    """A placement on `days` (dates) with a register line for each."""
    placement = Placement.objects.create(
        student=student,
        provision=provision,
        status=status,
        planned_days=len(days),
        starts_on=days[0],
        ends_on=days[-1],
        booked_by=by or target.alice,
        booked_at=extra.pop("booked_at", at(days[0], 8)),
        **extra,
    )
    for day in days:
        PlacementDay.objects.create(placement=placement, date=day, room=room)
    return placement


def make_report_history(target) -> None:
    """Needs SchoolDayTestCase's calendar, timetable and provision rooms."""
    d = dt.date
    year10 = YearGroup.objects.create(number=10)
    target.year10 = year10
    form10 = Form.objects.create(code="10A", year_group=year10)
    jayden = target.student
    target.mia = make_student(upn="B100", first="Mia", last="Hart", form=target.form)
    target.leo = make_student(upn="C100", first="Leo", last="Dunn", form=form10)
    # Left before the week: not on roll. Joined in the week: on roll.
    make_student(upn="D100", first="Ann", last="Gone", form=form10, left_on=d(2026, 11, 1))
    make_student(upn="E100", first="Ben", last="New", form=form10, admitted_on=d(2026, 11, 24))
    monday_p2 = TimetableSlot.objects.get(teaching_class=target.maths_class, cycle_day=1)
    wednesday_p2 = TimetableSlot.objects.get(teaching_class=target.maths_class, cycle_day=3)
    incident = Incident.objects.create(
        occurred_at=at(d(2026, 11, 23), 11, 30),
        period=target.periods["P3"],
        reason=target.refusal,
        description="Refused to follow instructions",
        reported_by=target.charlie.staff,
        recorded_by=target.charlie,
    )
    referral = Referral.objects.create(
        student=target.mia,
        incident=incident,
        provision=target.ie,
        days=2,
        requested_by=target.charlie,
        status=Referral.Status.APPROVED,
    )
    rr, ie = target.rr_room, target.ie_room
    # P1, P2: Jayden removed from maths twice (Monday and Wednesday period 2).
    target.p1 = place(
        target,
        jayden,
        target.rr,
        rr,
        [d(2026, 11, 23)],
        removed_from=monday_p2,
        booked_at=at(d(2026, 11, 23), 10, 5),
    )
    target.p2 = place(
        target, jayden, target.rr, rr, [d(2026, 11, 25)], status="booked", removed_from=wednesday_p2
    )
    # P3: Mia in IE Tuesday and Wednesday, referred by Charlie for refusal in period 3.
    target.p3 = place(
        target,
        target.mia,
        target.ie,
        ie,
        [d(2026, 11, 24), d(2026, 11, 25)],
        status="booked",
        referral=referral,
        by=target.bob,
    )
    # P4: Leo in IE from the Friday before to Monday (one day in the week). P5 cancelled.
    target.p4 = place(target, leo := target.leo, target.ie, ie, [d(2026, 11, 20), d(2026, 11, 23)])
    place(target, leo, target.ie, ie, [d(2026, 11, 26)], status="cancelled")
    # Either side of the half-term holiday: Mia returns on Thursday 22 October and is placed
    # again on Friday 6 November, the sixth school day after (fifteen calendar days).
    place(target, target.mia, target.rr, rr, [d(2026, 10, 22)])
    place(target, target.mia, target.rr, rr, [d(2026, 11, 6)])
    # Leo's IE across the holiday: Friday 23 October and Monday 2 November.
    place(target, leo, target.ie, ie, [d(2026, 10, 23), d(2026, 11, 2)])

    # Interviews due in the week: one on time, one late, one not done, one cancelled.
    Interview.objects.create(
        placement=target.p3,
        kind="entry",
        due_on=d(2026, 11, 24),
        status="done",
        conducted_at=at(d(2026, 11, 24), 12),
    )
    Interview.objects.create(
        placement=target.p3,
        kind="exit",
        due_on=d(2026, 11, 25),
        status="done",
        conducted_at=at(d(2026, 11, 26), 9),
    )
    Interview.objects.create(placement=target.p1, kind="entry", due_on=d(2026, 11, 23))
    Interview.objects.create(
        placement=target.p2, kind="entry", due_on=d(2026, 11, 25), status="cancelled"
    )

    # Families: P3's told the day it was booked, P1's the day after, P2's still a draft.
    placement_type = ContentType.objects.get_for_model(Placement)

    def letter(placement, status, sent_at=None):
        Message.objects.create(
            channel="email",
            status=status,
            address="parent@example.org",
            subject="Placement",
            student=placement.student,
            related_type=placement_type,
            related_id=placement.pk,
            sent_at=sent_at,
        )

    letter(target.p3, "sent", at(d(2026, 11, 24), 9))
    letter(target.p1, "sent", at(d(2026, 11, 24), 9))
    letter(target.p2, "draft")

    # On-call: claimed after 2, 4 and 6 minutes; arrived after 5 and 10; one escalated; one
    # still open; one in the week before.
    reason = OnCallReason.objects.get_or_create(label="Other")[0]

    def call(day, claim=None, arrive=None, escalated=False, student=None):
        raised = at(day, 10)
        request = OnCallRequest.objects.create(
            raised_by=target.alice,
            reason=reason,
            location="Field",
            raised_at=raised,
            status="open" if claim is None else "claimed",
            claimed_by=None if claim is None else target.bob,
            claimed_at=None if claim is None else raised + dt.timedelta(minutes=claim),
            arrived_at=None if arrive is None else raised + dt.timedelta(minutes=arrive),
            escalated_at=raised + dt.timedelta(minutes=8) if escalated else None,
        )
        if student:
            request.students.add(student)

    call(d(2026, 11, 23), 2, 5, student=leo)
    call(d(2026, 11, 24), 4, 10, escalated=True)
    call(d(2026, 11, 25), 6)
    call(d(2026, 11, 25))
    call(d(2026, 11, 20), 1, 2)
