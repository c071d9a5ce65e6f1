"""The demo's work for students out of lessons: a programme of work for every subject and year
taught (one left out, to show a gap), and a term of answers: most set by the teacher on time,
some late, some from the programme at the deadline, a few with nothing; the past days' work
recorded by the room and returned, much of it acknowledged. Run after the behaviour history
(sanctions/demo.py), whose bookings made the requests."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from conduct.lib import clock
from sanctions.models import Placement, Provision
from school.models import Staff, TeachingClass
from work.models import DayActivity, Programme, ProgrammeTask, WorkRequest, WorkSet
from work.services.requests import deadline_for

# The demo's logins who teach: their lessons still to come are left for them to answer.
DEMO_TEACHERS = ("teacher", "curriculum", "pastoral")

UNITS = [
    (
        "Unit 1: Core knowledge",
        [
            (
                "Key words",
                "Write each key word from the unit's glossary with its meaning and an "
                "example sentence. Learn five of them and test yourself.",
            ),
            (
                "Retrieval quiz",
                "Answer the twenty retrieval questions on the sheet without notes, "
                "then check and correct in green pen.",
            ),
            (
                "Read and summarise",
                "Read the textbook section for this unit and write a summary of "
                "no more than 150 words, then three questions you would ask your teacher.",
            ),
        ],
    ),
    (
        "Unit 2: Practice and application",
        [
            (
                "Practice questions",
                "Complete the practice questions in order, showing your working "
                "or your reasons. Stop after 45 minutes and mark the ones you found hardest.",
            ),
            (
                "Extended answer",
                "Plan and write an extended answer to the question on the sheet: "
                "a point, evidence and explanation in each paragraph.",
            ),
            (
                "Review and targets",
                "Look back at your last three pieces of work in your book. Write "
                "what went well, one thing to improve, and redo one question.",
            ),
        ],
    ),
]

LESSON_WORK = [
    "Textbook pages {p}–{q}: read, then answer questions 1–8 in full sentences.",
    "Finish the worksheet we started on {day} (attached); then the extension task on the back.",
    "Watch the video (link) and make notes with the headings on the board photo attached.",
    "Exercise {p}{x}, questions 1–15. Show all working. Answers at the back to check 1–5 only.",
    "Write a paragraph answering: what is the most important idea from this week, and why?",
    "Revision: make a mind map of the topic from your book, then do the quiz on the link.",
]
LINKS = [
    "https://www.bbc.co.uk/bitesize",
    "https://www.oak.national-academy.org.uk",
    "https://corbettmaths.com",
    "",
    "",
]
NOTES = {
    WorkRequest.Outcome.COMPLETED: ["", "", "Worked well all lesson.", "Neat and complete."],
    WorkRequest.Outcome.PARTLY: [
        "Did the first half; struggled with the longer questions.",
        "Slow start after a warning; finished about two thirds.",
        "Needed help with the instructions; partly done.",
    ],
    WorkRequest.Outcome.NOT_DONE: [
        "Refused to start despite encouragement.",
        "Spent the lesson with the pastoral team (interview).",
        "Said the work was too hard; we tried the programme task instead.",
    ],
}


ALD_DAY = [
    ("09:00", "09:45", "Reading with the learning mentor", "Silent reading, then a reading log."),
    ("09:45", "11:00", "The lessons' work", "Work set by the student's teachers (this pack)."),
    (
        "11:20",
        "12:20",
        "Restorative session",
        "With the pastoral team: what happened, who was affected, what next.",
    ),
    ("13:10", "14:10", "Practical learning", "Food room or the garden with the technician."),
    ("14:10", "15:00", "Reflection and targets", "Write three targets for the return to lessons."),
]


def _day_activities() -> int:
    """The alternative learning day's own programme for the day."""
    provision = Provision.objects.filter(kind=Provision.Kind.ALTERNATIVE_LEARNING_DAY).first()
    if provision is None:
        return 0
    return len(
        DayActivity.objects.bulk_create(
            DayActivity(
                provision=provision,
                starts_at=dt.time.fromisoformat(start),
                ends_at=dt.time.fromisoformat(end),
                activity=activity,
                detail=detail,
            )
            for start, end, activity, detail in ALD_DAY
        )
    )


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, at))


def _programmes(rng: random.Random) -> int:
    """A programme for every subject and year taught, except one (the demo's gap)."""
    combos = sorted(
        set(
            TeachingClass.objects.exclude(subject=None)
            .exclude(year_group=None)
            .values_list("subject_id", "year_group_id")
        )
    )
    left_out = combos[-1] if combos else None
    made = Programme.objects.bulk_create(
        Programme(subject_id=s, year_group_id=y, updated_at=clock.now())
        for s, y in combos
        if (s, y) != left_out
    )
    tasks = []
    for programme in made:
        position = 1
        for unit, unit_tasks in UNITS:
            for title, instructions in unit_tasks:
                tasks.append(
                    ProgrammeTask(
                        programme=programme,
                        position=position,
                        unit=unit,
                        title=title,
                        instructions=instructions,
                        link=rng.choice(LINKS),
                    )
                )
                position += 1
    ProgrammeTask.objects.bulk_create(tasks)
    return len(made)


@transaction.atomic
def load_work_demo(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    now = clock.now()
    counts = {"programmes": _programmes(rng), "activities": _day_activities()}
    tasks_of: dict[tuple, list[ProgrammeTask]] = {}
    for task in ProgrammeTask.objects.select_related("programme").order_by("position"):
        key = (task.programme.subject_id, task.programme.year_group_id)
        tasks_of.setdefault(key, []).append(task)
    users = dict(Staff.objects.exclude(user=None).values_list("pk", "user"))
    officer = Staff.objects.filter(user__username="conduct").values_list("user", flat=True).first()
    demo_teachers = set(
        Staff.objects.filter(user__username__in=DEMO_TEACHERS).values_list("pk", flat=True)
    )
    requests = list(
        WorkRequest.objects.exclude(status=WorkRequest.Status.CANCELLED)
        .select_related("period", "teaching_class", "placement_day__placement", "placement_day")
        .order_by("date", "period__starts_at", "pk")
    )
    deadlines: dict[dt.date, dt.datetime] = {}
    given: dict[int, int] = {}  # student -> tasks had so far
    groups: dict[tuple, WorkSet] = {}
    sets, updates = [], []
    for request in requests:
        placement = request.placement_day.placement
        lesson_start = _aware(request.date, request.period.starts_at)
        if placement.removed_from_id and request.date == placement.starts_on:
            request.asap, request.deadline = True, lesson_start
        else:
            if request.date not in deadlines:
                deadlines[request.date] = deadline_for(request.date)
            request.asap, request.deadline = False, deadlines[request.date]
            if request.date > today and request.deadline <= now:
                # Booked (by the demo) after the day's deadline: as soon as you can.
                request.asap, request.deadline = True, lesson_start
        passed = request.deadline <= now
        roll = rng.random()
        key = (request.teaching_class_id, request.date)
        teacher_user = users.get(request.teacher_id)
        tasks = tasks_of.get(
            (request.teaching_class.subject_id, request.teaching_class.year_group_id), []
        )
        if not passed and request.teacher_id in demo_teachers:
            pass  # waiting for the demo teacher who signs in
        elif (passed and roll < 0.68) or (not passed and roll < 0.35):
            # Set by the teacher in good time (one answer for the class that day).
            if key not in groups:
                groups[key] = WorkSet(
                    kind=WorkSet.Kind.LESSON,
                    instructions=rng.choice(LESSON_WORK).format(
                        p=rng.randint(20, 180),
                        q=rng.randint(181, 190),
                        x=rng.choice("ABCD"),
                        day=(request.date - dt.timedelta(days=7)).strftime("%A"),
                    ),
                    link=rng.choice(LINKS),
                    set_by_id=teacher_user,
                    set_at=min(request.deadline, now)
                    - dt.timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59)),
                )
                sets.append(groups[key])
            request.work_set = groups[key]
            request.status = WorkRequest.Status.SET
        elif passed and roll < 0.80 and not request.asap:
            # Set late: after the deadline, before the lesson.
            sets.append(
                WorkSet(
                    kind=WorkSet.Kind.LESSON,
                    instructions=rng.choice(LESSON_WORK).format(
                        p=rng.randint(20, 180), q=rng.randint(181, 190), x="A", day="Monday"
                    ),
                    set_by_id=teacher_user,
                    set_at=request.deadline + dt.timedelta(minutes=rng.randint(30, 900)),
                )
            )
            request.work_set = sets[-1]
            request.answered_late = True
            request.status = WorkRequest.Status.SET
        elif passed and tasks and roll < 0.96:
            # Nobody answered: the student's next task from the programme at the deadline.
            had = given.get(placement.student_id, 0)
            request.task = tasks[had % len(tasks)]
            given[placement.student_id] = had + 1
            sets.append(WorkSet(kind=WorkSet.Kind.FALLBACK, set_at=request.deadline))
            request.work_set = sets[-1]
            request.fell_back_at = request.deadline
            request.status = WorkRequest.Status.SET
        elif passed:
            request.fell_back_at = request.deadline  # nothing: a gap the room saw
        updates.append(request)
    for work in sets:
        if work.set_at > now:
            work.set_at = now
    WorkSet.objects.bulk_create(sets)
    returned = 0
    for request in updates:
        request.work_set_id = request.work_set.pk if request.work_set else None
        day_over = request.date < today or (
            request.date == today and request.period.ends_at <= now.time()
        )
        if day_over and request.placement_day.is_active and placement_ok(request):
            outcome = rng.choices(
                list(NOTES), weights=[72, 20, 8] if request.work_set_id else [10, 30, 60]
            )[0]
            request.outcome = outcome
            request.outcome_note = rng.choice(NOTES[outcome])
            request.recorded_by_id = officer
            request.recorded_at = min(_aware(request.date, dt.time(15, 40)), now)
            request.status = WorkRequest.Status.RETURNED
            if request.date < today - dt.timedelta(days=2) and rng.random() < 0.7:
                request.acknowledged_at = request.recorded_at + dt.timedelta(
                    hours=rng.randint(2, 40)
                )
            returned += 1
    WorkRequest.objects.bulk_update(
        updates,
        [
            "asap",
            "deadline",
            "work_set",
            "task",
            "answered_late",
            "fell_back_at",
            "status",
            "outcome",
            "outcome_note",
            "recorded_by",
            "recorded_at",
            "acknowledged_at",
        ],
        batch_size=500,
    )
    counts["requests"] = len(updates)
    counts["answered"] = sum(1 for r in updates if r.work_set_id)
    counts["returned"] = returned
    return counts


def placement_ok(request: WorkRequest) -> bool:
    """A day the student was in the room: the placement not cancelled."""
    return request.placement_day.placement.status != Placement.Status.CANCELLED
