"""Patrol demo data for the demo school, after the behaviour history: a term of on-call requests
with believable response times, this week's duty rota with one deliberate coverage gap, a watch
list with drop-ins, and today's students sent out and a corridor sweep.

Deterministic for a seed. The term of on-call requests is written in bulk (a few thousand rows in
a handful of queries); today's smaller records go through the services so their rules hold.
"""

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conduct.lib import clock
from patrol.models import Duty, OnCallReason, OnCallRequest, SentOut, StaffAbsence
from patrol.selectors import rota as rota_selectors
from patrol.services import on_call, sent_out, sweeps, watch_list
from school.models import (
    ClassTeacher,
    Enrolment,
    Period,
    Staff,
    Student,
    Term,
    TimetableSlot,
)
from school.selectors.calendar import cycle_day_on, school_days_from

# Raised by the demo logins who teach; answered by the conduct login, SLT when escalated.
RAISERS = ("teacher", "pastoral", "curriculum")
REASON_WEIGHT = {
    "Disrupting learning after warnings": 34,
    "Refusing to follow instructions": 26,
    "Refusing to leave / go to buddy room": 14,
    "Rude or abusive to staff": 10,
    "Fighting or unsafe behaviour": 5,
    "Student missing or out of lesson": 7,
    "Other": 4,
}
OUTCOME_WEIGHT = {
    OnCallRequest.Outcome.SETTLED: 34,
    OnCallRequest.Outcome.RETURNED: 40,
    OnCallRequest.Outcome.NOT_NEEDED: 9,
    OnCallRequest.Outcome.ESCALATED: 5,
}
ESCALATED_SHARE = 0.07
WATCH_REASONS = [
    "Low mood since a family bereavement; check he is coping in lessons",
    "New to the school this half-term; settling in",
    "Friendship fallout in the form; make sure she is not isolated",
    "Three removals from science this half-term; is the seating plan helping?",
    "Returning from a suspension: reintegration plan, week 2",
    "Attendance dipping in period 5; is he arriving at lessons?",
    "Young carer; tired and behind with work",
    "Report card for punctuality and equipment",
]
DROP_IN_NOTES = {
    1: "Head on desk, would not start the task when prompted.",
    2: "Chatting to the person next to him; started after a reminder.",
    3: "Did the starter, then drifted; back on task when the teacher came over.",
    4: "Working quietly and answering questions when asked.",
    5: "Fully involved in the group task and helping others.",
}


def _user(username: str):
    return get_user_model().objects.filter(username=username).select_related("staff").first()


def _lesson_periods() -> list[Period]:
    return list(Period.objects.filter(kind=Period.Kind.LESSON).order_by("starts_at"))


@transaction.atomic
def load_patrol_demo(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Load the patrol demo; returns counts. Does nothing without a term or the demo logins."""
    rng = random.Random(seed)
    on_call.on_call_reasons_ensure_defaults()
    term = Term.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    conduct, slt = _user("conduct"), _user("slt")
    if term is None or conduct is None or slt is None:
        return {}
    counts: dict[str, int] = {}
    counts["on_call_requests"] = _on_call_history(rng, term.starts_on, today, conduct, slt)
    counts["duties"], counts["gaps"] = _rota_this_week(rng, today, conduct, slt)
    counts["watched"], counts["drop_ins"] = _watch_list(rng, today, conduct)
    day = _demo_day(today)
    if day is not None:
        counts["sent_out"] = _sent_out_today(rng, day, conduct)
        counts["found_out_of_lessons"] = _sweep_today(rng, day, conduct)
    return counts


def _demo_day(today: dt.date) -> dt.date | None:
    """Today if school is open and the day has begun, else the last school day."""
    now = clock.now()
    days = school_days_from(today - dt.timedelta(days=10), 10)
    if today in days and (today != now.date() or now.time() >= dt.time(11, 0)):
        return today
    earlier = [d for d in days if d < today]
    return earlier[-1] if earlier else None


def _at(day: dt.date, time: dt.time, minutes: float = 0) -> dt.datetime:
    start = dt.datetime.combine(day, time, tzinfo=timezone.get_current_timezone())
    return start + dt.timedelta(minutes=minutes)


# ---- a term of on-call requests ---------------------------------------------------------------


def _on_call_history(rng, start: dt.date, today: dt.date, conduct, slt) -> int:
    raisers = [u for u in (_user(name) for name in RAISERS) if u and getattr(u, "staff", None)]
    if not raisers:
        return 0
    reasons = {r.label: r for r in OnCallReason.objects.all()}
    weights = [REASON_WEIGHT.get(label, 1) for label in reasons]
    # Each raiser's lessons by cycle day, and each class's students: two queries.
    staff_ids = {u.staff.pk: u for u in raisers}
    main = defaultdict(set)
    for class_id, staff_id in ClassTeacher.objects.filter(staff_id__in=staff_ids).values_list(
        "teaching_class_id", "staff_id"
    ):
        main[class_id].add(staff_id)
    lessons: dict[tuple[int, int], list[TimetableSlot]] = defaultdict(list)
    slots = TimetableSlot.objects.filter(period__kind=Period.Kind.LESSON).select_related(
        "period", "room", "teaching_class"
    )
    for slot in slots.filter(teaching_class_id__in=list(main)):
        teachers = {slot.staff_id} if slot.staff_id else main[slot.teaching_class_id]
        for staff_id in teachers & set(staff_ids):
            lessons[(staff_id, slot.cycle_day)].append(slot)
    pupils = defaultdict(list)
    for class_id, student_id in Enrolment.objects.filter(
        teaching_class_id__in=list(main)
    ).values_list("teaching_class_id", "student_id"):
        pupils[class_id].append(student_id)

    rows, links = [], []
    days = [d for d in school_days_from(start, 200) if d < today]
    for day in days:
        cycle_day = cycle_day_on(day)
        for _ in range(rng.choice([1, 2, 2, 3, 3, 4, 5])):
            raiser = rng.choice(raisers)
            options = lessons.get((raiser.staff.pk, cycle_day or 0))
            if not options:
                continue
            slot = rng.choice(options)
            raised = _at(day, slot.period.starts_at, rng.uniform(4, 52))
            row = OnCallRequest(
                raised_by=raiser,
                reason=rng.choices(list(reasons.values()), weights)[0],
                urgency=rng.choices(["routine", "urgent", "emergency"], [70, 25, 5])[0],
                room=slot.room,
                teaching_class=slot.teaching_class,
                period=slot.period,
                raised_at=raised,
                status=OnCallRequest.Status.RESOLVED,
                version=5,
            )
            if rng.random() < ESCALATED_SHARE:
                # Nobody claimed it in two minutes: SLT on call picked it up.
                row.tier = OnCallRequest.Tier.SLT
                row.escalated_at = raised + dt.timedelta(seconds=120)
                row.claimed_by = slt
                row.claimed_at = raised + dt.timedelta(seconds=rng.uniform(140, 420))
            else:
                # Most within a minute or two: a log-normal around 50 seconds.
                wait = min(115, max(12, rng.lognormvariate(3.9, 0.45)))
                row.claimed_by = conduct
                row.claimed_at = raised + dt.timedelta(seconds=wait)
            row.arrived_at = row.claimed_at + dt.timedelta(seconds=rng.uniform(50, 240))
            row.resolved_at = row.arrived_at + dt.timedelta(minutes=rng.uniform(3, 14))
            row.resolved_by = row.claimed_by
            row.outcome = rng.choices(list(OUTCOME_WEIGHT), list(OUTCOME_WEIGHT.values()))[0]
            rows.append(row)
            class_pupils = pupils.get(slot.teaching_class_id) or []
            links.append(rng.sample(class_pupils, k=min(len(class_pupils), rng.choice([1, 1, 2]))))
    created = OnCallRequest.objects.bulk_create(rows, batch_size=500)
    through = OnCallRequest.students.through
    through.objects.bulk_create(
        [
            through(oncallrequest_id=request.pk, student_id=student_id)
            for request, students in zip(created, links, strict=True)
            for student_id in students
        ],
        batch_size=1000,
    )
    return len(created)


# ---- this week's rota -------------------------------------------------------------------------

PATROL_TITLES = ("Teaching Assistant", "Assistant Headteacher", "Deputy Headteacher", "SENCO")


def _rota_this_week(rng, today: dt.date, conduct, slt) -> tuple[int, int]:
    monday = rota_selectors.monday_of(today)
    week = [d for d in school_days_from(monday, 5) if d < monday + dt.timedelta(days=5)]
    if not week:
        return 0, 0
    periods = list(Period.objects.order_by("starts_at"))
    lessons = [p for p in periods if p.kind == Period.Kind.LESSON]
    staff = list(Staff.objects.filter(is_active=True).order_by("staff_code"))
    by_title = defaultdict(list)
    for s in staff:
        by_title[s.job_title].append(s)
    rr = (by_title.get("Reflection Room Supervisor") or [None])[0]
    ald = (by_title.get("Cover Supervisor") or [None])[0]
    ie = getattr(conduct, "staff", None)
    slt_staff = getattr(slt, "staff", None)
    taken = {s.pk for s in (rr, ald, ie, slt_staff) if s}
    patrol = [s for s in staff if s.job_title.startswith(PATROL_TITLES) and s.pk not in taken]
    patrol = patrol or [s for s in staff if s.pk not in taken][:6]
    # The deliberate gap: nobody on patrol in period 4 today (or the week's first school day).
    gap_day = today if today in week else week[0]
    gap_period = lessons[3] if len(lessons) > 3 else lessons[-1]

    duties = []
    turn = 0
    for day in week:
        for period in periods:
            if ie and period.starts_at < dt.time(15, 45):
                duties.append(
                    Duty(date=day, period=period, staff=ie, kind=Duty.Kind.INTERNAL_EXCLUSION)
                )
            if period.kind != Period.Kind.LESSON:
                if ald and dt.time(9, 0) <= period.starts_at < dt.time(15, 30):
                    duties.append(Duty(date=day, period=period, staff=ald, kind=Duty.Kind.ALD))
                continue
            if rr:
                kind = Duty.Kind.REFLECTION_ROOM
                duties.append(Duty(date=day, period=period, staff=rr, kind=kind))
            if ald:
                duties.append(Duty(date=day, period=period, staff=ald, kind=Duty.Kind.ALD))
            if slt_staff:
                kind = Duty.Kind.SLT_ON_CALL
                duties.append(Duty(date=day, period=period, staff=slt_staff, kind=kind))
            if patrol and not (day == gap_day and period == gap_period):
                duties.append(
                    Duty(date=day, period=period, staff=patrol[turn % len(patrol)], kind="on_call")
                )
                turn += 1
    # The conduct login drew up the week's rota (in bulk: a few hundred rows).
    added_at = clock.now()
    for duty in duties:
        duty.added_by, duty.added_at = conduct, added_at
    Duty.objects.bulk_create(duties)
    # Someone away who has no duty, so the only gap is the deliberate one.
    spare = [s for s in staff if s.pk not in taken and s not in patrol]
    if spare:
        StaffAbsence.objects.create(
            staff=rng.choice(spare),
            starts_on=gap_day,
            ends_on=gap_day,
            note="Course",
            added_by=conduct,
            added_at=added_at,
        )
    return len(duties), len(rota_selectors.coverage_gaps(monday))


# ---- the watch list and drop-ins --------------------------------------------------------------


def _watch_list(rng, today: dt.date, conduct) -> tuple[int, int]:
    pastoral, dsl = _user("pastoral"), _user("dsl")
    askers = [u for u in (pastoral, pastoral, pastoral, dsl) if u and getattr(u, "staff", None)]
    if not askers:
        return 0, 0
    year9 = list(
        Student.objects.filter(left_on__isnull=True, year_group__number=9).values_list(
            "pk", flat=True
        )
    )
    others = list(Student.objects.filter(left_on__isnull=True).values_list("pk", flat=True))
    pool = year9 or others
    chosen = rng.sample(pool, k=min(8, len(pool)))
    students = Student.objects.in_bulk(chosen)
    days = [d for d in school_days_from(today - dt.timedelta(days=28), 30) if d < today]
    lessons = _lessons_of(chosen)
    entries, drop_ins = 0, 0
    for i, student_id in enumerate(chosen):
        asker = askers[i % len(askers)]
        added = days[max(0, len(days) - rng.randint(6, 15))] if days else today
        added_at = _at(added, dt.time(8, 30))
        # Two whose review date has come: the list shows them as due for review.
        review = today - dt.timedelta(days=1) if i < 2 else today + dt.timedelta(days=7 + 3 * i)
        entry = watch_list.watch_list_add(
            by=asker,
            student=students[student_id],
            reason=WATCH_REASONS[i % len(WATCH_REASONS)],
            review_on=max(review, added),
            requested_by=asker.staff,
            now=added_at,
        )
        entries += 1
        since = [d for d in days if d > added]
        for day in sorted(rng.sample(since, k=min(len(since), rng.randint(0, 4)))):
            slot = rng.choice(lessons.get((student_id, cycle_day_on(day)), [None]))
            if slot is None:
                continue
            at = _at(day, slot.period.starts_at, rng.uniform(10, 45))
            engagement = rng.choices([1, 2, 3, 4, 5], [1, 2, 4, 4, 2])[0]
            watch_list.drop_in_record(
                entry_id=entry.pk,
                by=conduct,
                engagement=engagement,
                note=DROP_IN_NOTES[engagement],
                at=at,
                now=at,
            )
            drop_ins += 1
    return entries, drop_ins


def _lessons_of(student_ids) -> dict[tuple[int, int], list[TimetableSlot]]:
    by_class = defaultdict(list)
    for slot in TimetableSlot.objects.filter(period__kind=Period.Kind.LESSON).select_related(
        "period"
    ):
        by_class[slot.teaching_class_id].append(slot)
    lessons = defaultdict(list)
    for class_id, student_id in Enrolment.objects.filter(student_id__in=student_ids).values_list(
        "teaching_class_id", "student_id"
    ):
        for slot in by_class[class_id]:
            lessons[(student_id, slot.cycle_day)].append(slot)
    return lessons


# ---- today's students sent out and a sweep ----------------------------------------------------


def _sent_out_today(rng, day: dt.date, conduct) -> int:
    teacher = _user("teacher") or conduct
    staff = getattr(teacher, "staff", None)
    cycle_day = cycle_day_on(day)
    now = clock.now()
    latest = (now - dt.timedelta(minutes=40)).time() if day == now.date() else dt.time(23, 0)
    slots = list(
        TimetableSlot.objects.filter(cycle_day=cycle_day, period__kind=Period.Kind.LESSON)
        .filter(  # the teacher's own lessons, as the timetable reads them
            Q(staff=staff) | Q(staff__isnull=True, teaching_class__teacher_links__staff=staff),
            period__starts_at__lte=latest,
        )
        .select_related("period", "room", "teaching_class")
        .order_by("period__starts_at")[:3]
    )
    logged = 0
    plan = [
        (SentOut.Destination.CORRIDOR, "Shouting out and ignoring two warnings", "returned"),
        (SentOut.Destination.BUDDY_ROOM, "Refused to move seat", "elsewhere"),
        (SentOut.Destination.CORRIDOR, "Throwing a pen across the room", None),
    ]
    for slot, (destination, reason, outcome) in zip(slots, plan, strict=False):
        pupils = list(slot.teaching_class.enrolments.values_list("student", flat=True)[:30])
        if not pupils:
            continue
        student = Student.objects.get(pk=rng.choice(pupils))
        sent_at = _at(day, slot.period.starts_at, rng.uniform(10, 30))
        sent = sent_out.sent_out_log(
            by=teacher,
            student=student,
            reason=reason,
            sent_to=destination,
            sent_to_place="S2 (Science buddy room)" if destination == "buddy_room" else "",
            teaching_class=slot.teaching_class,
            from_room=slot.room,
            period=slot.period,
            sent_at=sent_at,
            now=sent_at,
        )
        if outcome:
            seen = sent_at + dt.timedelta(minutes=rng.uniform(3, 9))
            sent_out.sent_out_record_visit(
                sent_out_id=sent.pk,
                by=conduct,
                outcome=outcome,
                visited_at=seen,
                taken_to="Head of year's office" if outcome == "elsewhere" else "",
                now=seen + dt.timedelta(minutes=4),
            )
        logged += 1
    return logged


def _sweep_today(rng, day: dt.date, conduct) -> int:
    period = next((p for p in _lesson_periods()[1:2]), None)
    if period is None:
        return 0
    start = _at(day, period.starts_at, 20)
    sweep = sweeps.sweep_start(by=conduct, now=start)
    students = list(
        Student.objects.filter(left_on__isnull=True, year_group__number__in=[9, 10]).order_by("pk")[
            :400
        ]
    )
    places = ["Toilets by the sports hall", "Stairwell behind the library"]
    found = []
    for minutes, place in zip((6, 14), places, strict=True):
        found_at = start + dt.timedelta(minutes=minutes)
        found.append(
            sweeps.sweep_record_finding(
                sweep_id=sweep.pk,
                by=conduct,
                student=rng.choice(students),
                found_where=place,
                found_at=found_at,
                now=found_at,
            )
        )
    sweeps.sweep_finish(
        sweep_id=sweep.pk,
        by=conduct,
        areas="Science corridor, sports hall, library stairs, toilets",
        now=start + dt.timedelta(minutes=22),
    )
    attendance = _user("attendance")
    if attendance and found:
        sweeps.finding_mark_dealt_with(
            finding_id=found[0].pk,
            by=attendance,
            note="Phoned home; late mark corrected in the MIS",
            now=start + dt.timedelta(minutes=50),
        )
    return len(found)
