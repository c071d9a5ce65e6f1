"""A term of believable behaviour history for the demo school.

Patterns a school would recognise: more incidents in years 9 and 10, more in the afternoon, a
small group of students referred again and again, SEN support over-represented (as national
figures show), most removals to the reflection room, fewer internal exclusions, a handful of
alternative learning days and suspension referrals. Everything is written through the services,
so capacity rules hold in the demo as they do for real.
"""

import datetime as dt
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.selectors import history_of
from conduct.lib import clock
from sanctions import policies
from sanctions.models import (
    AttendanceMark,
    ClosedDay,
    Placement,
    PlacementDay,
    Provision,
    ProvisionRoom,
    ReasonCategory,
    Referral,
)
from sanctions.services import incidents, placements, referrals, register
from school.models import ClassTeacher, Enrolment, Room, Student, Term, TimetableSlot
from school.selectors.calendar import cycle_day_on, is_school_day

ARRIVAL = {
    Provision.Kind.INTERNAL_EXCLUSION: "the student services entrance on Mill Lane",
    Provision.Kind.ALTERNATIVE_LEARNING_DAY: "the Learning Base door beside the sports hall",
}
ROOMS = [
    # provision kind, room code, name, places
    (Provision.Kind.REFLECTION_ROOM, "RR1", "Reflection room", 8),
    (Provision.Kind.INTERNAL_EXCLUSION, "IE1", "Internal exclusion room", 10),
    (Provision.Kind.ALTERNATIVE_LEARNING_DAY, "ALD1", "Learning base", 6),
]
YEAR_WEIGHT = {7: 0.6, 8: 0.9, 9: 1.5, 10: 1.3, 11: 0.8}
PERIOD_WEIGHT = {"P1": 0.6, "P2": 0.8, "P3": 1.0, "P4": 1.3, "P5": 1.6}
REASON_WEIGHT = {
    "DB": 30,
    "RFB": 28,
    "DEF": 12,
    "VA": 8,
    "VP": 6,
    "TRU": 6,
    "PP": 3,
    "BU": 2,
    "DM": 2,
    "MT": 2,
    "TH": 1,
    "RA": 1,
    "PA": 0.5,
    "SM": 0.3,
    "DA": 0.3,
    "LG": 0.4,
}
DESCRIPTIONS = {
    "DB": "Repeatedly talking over the teacher and distracting others after two warnings.",
    "RFB": "Refused to move seat and then refused to go to the buddy room when asked.",
    "DEF": "Told the teacher they would not do the work and walked out of the lesson.",
    "VA": "Swore at the teacher when asked to put their phone away.",
    "VP": "Threatened another student on the way into the lesson.",
    "TRU": "Found in the toilets during the lesson after registration.",
    "PP": "Pushed another student into a table during a disagreement.",
    "BU": "Repeated name-calling of a younger student, reported by the student's form tutor.",
    "DM": "Wrote on and damaged a desk and a textbook.",
    "MT": "Filmed another student in the lesson without permission.",
    "TH": "Took another student's calculator and would not return it.",
    "RA": "Used a racist term towards another student.",
    "PA": "Pushed past a member of staff blocking the doorway.",
    "SM": "Inappropriate sexual comments towards another student.",
    "DA": "Vaping in the toilets.",
    "LG": "Homophobic language towards another student.",
}


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def ensure_provision_rooms() -> None:
    for kind, entrance in ARRIVAL.items():
        Provision.objects.filter(kind=kind, arrival_instructions="").update(
            arrival_instructions=entrance
        )
    for kind, code, name, places in ROOMS:
        room, _ = Room.objects.get_or_create(code=code, defaults={"name": name, "capacity": places})
        ProvisionRoom.objects.get_or_create(
            provision=Provision.objects.get(kind=kind), room=room, defaults={"capacity": places}
        )


@transaction.atomic
def load_behaviour_history(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """From the start of the current term until `today`: incidents, referrals and placements;
    today's pending referrals; tomorrow's bookings. Returns counts."""
    rng = random.Random(seed)
    ensure_provision_rooms()
    term = Term.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    if term is None:
        return {}
    provisions = {p.kind: p for p in Provision.objects.all()}
    reasons = {r.code: r for r in ReasonCategory.objects.all()}
    conduct, slt = _user("conduct"), _user("slt")
    approvers = {Provision.Kind.INTERNAL_EXCLUSION: _user("pastoral") or slt}

    students = list(Student.objects.filter(left_on__isnull=True).select_related("year_group"))
    weights = [
        YEAR_WEIGHT.get(s.year_group.number, 1.0)
        * (1.8 if s.sen_status == "K" else 1)
        * (1.4 if s.pupil_premium else 1)
        for s in students
    ]
    # A few students account for a large share of referrals, as in every school.
    frequent = set(rng.sample(range(len(students)), k=max(1, len(students) // 25)))
    weights = [w * (9 if i in frequent else 1) for i, w in enumerate(weights)]

    lessons: dict[tuple[int, int], list[TimetableSlot]] = defaultdict(list)
    slots = TimetableSlot.objects.select_related("period", "room", "staff", "teaching_class")
    by_class: dict[int, list[TimetableSlot]] = defaultdict(list)
    for slot in slots:
        by_class[slot.teaching_class_id].append(slot)
    for class_id, student_id in Enrolment.objects.values_list("teaching_class_id", "student_id"):
        for slot in by_class[class_id]:
            lessons[(student_id, slot.cycle_day)].append(slot)
    teachers = {}
    for slot in slots:
        if slot.staff_id:
            teachers[slot.pk] = slot.staff
    main_teacher = {
        link.teaching_class_id: link.staff
        for link in ClassTeacher.objects.filter(is_main=True).select_related("staff")
    }

    counts = defaultdict(int)
    tz = timezone.get_current_timezone()
    day = term.starts_on
    # What every generated incident draws on.
    school = {
        "students": students,
        "weights": weights,
        "lessons": lessons,
        "teachers": teachers,
        "main_teacher": main_teacher,
        "reasons": reasons,
        "provisions": provisions,
        "conduct": conduct,
        "slt": slt,
        "approvers": approvers,
        "counts": counts,
        "tz": tz,
        "today": today,
    }
    while day < today:
        if is_school_day(day):
            cycle_day = cycle_day_on(day)
            for _ in range(rng.choice([3, 4, 5, 5, 6, 7, 8])):
                _one_incident(rng=rng, day=day, cycle_day=cycle_day, **school)
        day += dt.timedelta(days=1)
    # The registers draw on their own generator: the history after them stays as it was.
    _close_past_placements(rng, random.Random(seed + 1), today, conduct)
    # The last school day's referrals: some approved into today's rooms, some still waiting.
    recent = [today - dt.timedelta(days=n) for n in range(1, 6)]
    last = max((d for d in recent if is_school_day(d)), default=None)
    for kind, decide in (
        []
        if last is None
        else [
            (Provision.Kind.INTERNAL_EXCLUSION, True),
            (Provision.Kind.INTERNAL_EXCLUSION, True),
            (Provision.Kind.INTERNAL_EXCLUSION, True),
            (Provision.Kind.INTERNAL_EXCLUSION, True),
            (Provision.Kind.ALTERNATIVE_LEARNING_DAY, True),
            (Provision.Kind.INTERNAL_EXCLUSION, False),
            (Provision.Kind.INTERNAL_EXCLUSION, False),
            (Provision.Kind.INTERNAL_EXCLUSION, False),
            (Provision.Kind.ALTERNATIVE_LEARNING_DAY, False),
        ]
    ):
        _one_incident(
            rng=rng,
            day=last,
            cycle_day=cycle_day_on(last),
            force_kind=kind,
            decide=decide,
            **school,
        )
    counts["pending"] = Referral.objects.filter(status=Referral.Status.PENDING).count()
    return dict(counts)


def _one_incident(
    *,
    rng,
    day,
    cycle_day,
    students,
    weights,
    lessons,
    teachers,
    main_teacher,
    reasons,
    provisions,
    conduct,
    slt,
    approvers,
    counts,
    tz,
    today,
    force_kind=None,
    decide=True,
):
    student = rng.choices(students, weights)[0]
    options = [
        s for s in lessons.get((student.pk, cycle_day), []) if s.period.code in PERIOD_WEIGHT
    ]
    if not options:
        return
    slot = rng.choices(options, [PERIOD_WEIGHT[s.period.code] for s in options])[0]
    teacher = teachers.get(slot.pk) or main_teacher.get(slot.teaching_class_id)
    if teacher is None:
        return
    code = rng.choices(list(REASON_WEIGHT), list(REASON_WEIGHT.values()))[0]
    minutes = rng.randint(5, 50)
    occurred = dt.datetime.combine(day, slot.period.starts_at, tzinfo=tz) + dt.timedelta(
        minutes=minutes
    )
    recorder = teacher.user or conduct
    incident = incidents.incident_record(
        occurred_at=occurred,
        reason=reasons[code],
        description=DESCRIPTIONS[code],
        reported_by=teacher,
        by=recorder,
        students=[(student, "perpetrator")],
        room=slot.room,
        period=slot.period,
        teaching_class=slot.teaching_class,
    )
    counts["incidents"] += 1
    serious = code in ("PP", "PA", "SM", "DA", "RA", "LG", "BU")
    roll = rng.random()
    if serious and roll < 0.15:
        kind, days = Provision.Kind.SUSPENSION_REVIEW, 1
    elif serious or roll < 0.22:
        kind, days = Provision.Kind.INTERNAL_EXCLUSION, rng.choice([1, 1, 1, 2])
    elif roll < 0.27:
        kind, days = Provision.Kind.ALTERNATIVE_LEARNING_DAY, 1
    else:
        kind, days = Provision.Kind.REFLECTION_ROOM, 1
    if force_kind:
        kind, days = force_kind, rng.choice([1, 2])
    provision = provisions[kind]
    # The reflection room takes a removed student at once; the others start the next day.
    referral = Referral.objects.create(
        student=student,
        incident=incident,
        provision=provision,
        days=days,
        requested_by=recorder,
        requested_at=occurred + dt.timedelta(minutes=10),
        note="",
    )
    counts["referrals"] += 1
    decider = conduct if kind == Provision.Kind.REFLECTION_ROOM else approvers.get(kind, slt)
    if not policies.can_approve(decider, provision, student):
        decider = slt  # the head of year decides for their own year; SLT for the others
    if not decide:
        return  # still waiting for a decision
    if rng.random() < 0.06 and kind != Provision.Kind.REFLECTION_ROOM:
        referrals.referral_decline(
            referral=referral,
            by=decider,
            reason="Dealt with by the head of year with a report card.",
        )
        # Decided, in its history too, two hours after the incident, as an approval is below.
        decided = occurred + dt.timedelta(hours=2)
        Referral.objects.filter(pk=referral.pk).update(decided_at=decided)
        history_of(referral).filter(to_value=Referral.Status.DECLINED).update(at=decided)
        counts["declined"] += 1
        return
    start = day if kind == Provision.Kind.REFLECTION_ROOM else day + dt.timedelta(days=1)
    try:
        placement = referrals.referral_approve(referral=referral, by=decider, start_on=start)
    except Exception:  # noqa: BLE001 - a full week in the demo simply leaves it pending
        return
    # The decision and booking read as made two hours after the incident, in their history too.
    decided = occurred + dt.timedelta(hours=2)
    Referral.objects.filter(pk=referral.pk).update(decided_at=decided)
    history_of(referral).update(at=decided)
    if placement:
        Placement.objects.filter(pk=placement.pk).update(booked_at=decided)
        history_of(placement).update(at=decided)
        counts["placements"] += 1


def _close_past_placements(rng, marking, today, conduct):
    """Each placement whose days are over was registered every session (mostly present, some
    late, a few absent; the student who failed the room removed on its last afternoon) and
    closed with the length the marks give; each past room-day's register was closed."""
    marks: list[AttendanceMark] = []
    room_days: set[tuple[int, dt.date]] = set()
    past = Placement.objects.filter(status=Placement.Status.BOOKED, ends_on__lt=today)
    for placement in past.select_related("provision").prefetch_related("days"):
        failed = rng.random() < 0.08
        days = sorted((d for d in placement.days.all() if d.is_active), key=lambda d: d.date)
        placement_marks = []
        for day in days:
            last_of_failed = failed and day is days[-1]
            placement_marks += _marks_of_a_day(marking, day, placement.provision, last_of_failed)
            room_days.add((day.room_id, day.date))
        for mark in placement_marks:
            mark.recorded_by = conduct
        marks += placement_marks
        closed = placements.placement_close(
            placement=placement,
            by=conduct,
            failed=failed,
            note="Refused to follow the room's rules after two warnings." if failed else "",
            actual_days=sum(register.SESSION_VALUE[m.kind] for m in placement_marks),
        )
        # Closed, in its history too, after school on its last day (not when the demo loaded:
        # a student's history would list every past placement as completed this minute).
        closed_at = clock.at(days[-1].date if days else placement.ends_on, dt.time(15, 40))
        Placement.objects.filter(pk=placement.pk).update(closed_at=closed_at)
        history_of(placement).filter(to_value=closed.status).update(at=closed_at)
    AttendanceMark.objects.bulk_create(marks)
    ClosedDay.objects.bulk_create(
        ClosedDay(
            room_id=room_id,
            date=date,
            closed_by=conduct,
            closed_at=clock.at(date, dt.time(15, marking.randint(35, 59))),
        )
        for room_id, date in sorted(room_days)
    )


def _marks_of_a_day(rng, day: PlacementDay, provision: Provision, removed: bool):
    """The morning's and the afternoon's marks for one student's day in a room."""
    K = AttendanceMark.Kind
    starts = {
        AttendanceMark.Session.AM: provision.arrives_at or dt.time(8, 40),
        AttendanceMark.Session.PM: provision.lunch_ends_at or dt.time(13, 20),
    }
    absent = rng.random() < 0.04 and not removed  # a student removed was there to remove
    marks = []
    for session, start in starts.items():
        kind, minutes_late, at = K.PRESENT, None, start
        if absent:
            kind = K.ABSENT
        elif session == AttendanceMark.Session.PM and removed:
            kind, at = K.REMOVED, _later(start, rng.randint(20, 90))
        elif session == AttendanceMark.Session.AM and rng.random() < 0.1:
            minutes_late = rng.randint(3, 25)
            kind, at = K.LATE, _later(start, minutes_late)
        elif session == AttendanceMark.Session.PM and rng.random() < 0.03:
            kind, at = K.LEFT_EARLY, _later(start, rng.randint(60, 120))
        marks.append(
            AttendanceMark(
                placement_day=day,
                session=session,
                kind=kind,
                minutes_late=minutes_late,
                at=at,
                recorded_at=clock.at(day.date, _later(at, rng.randint(1, 6))),
            )
        )
    return marks


def _later(time: dt.time, minutes: int) -> dt.time:
    return (dt.datetime.combine(dt.date.min, time) + dt.timedelta(minutes=minutes)).time()
