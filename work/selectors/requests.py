"""Reads for work requests."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.lists import FirstItems, first_items, first_query
from conduct.lib.urls import url_maker
from sanctions.models import PlacementDay, Provision
from school.models import (
    ClassTeacher,
    Staff,
    Student,
    staff_display_name,
    student_name_from,
)
from work.models import (
    DayActivity,
    ProgrammeTask,
    WorkAttachment,
    WorkRequest,
    WorkSet,
    WorkSettings,
    work_state_label,
)


def requests_not_cancelled() -> QuerySet[WorkRequest]:
    """Work requests still standing (asked for, set, done or returned) with their period, class
    and teacher, in period order: what a register line and the day's list of students in rooms
    show for the lessons missed."""
    return (
        WorkRequest.objects.exclude(status=WorkRequest.Status.CANCELLED)
        .select_related("period", "teaching_class", "teacher", "work_set__set_by")
        .order_by("period__starts_at")
    )


@dataclass
class LessonMissed:
    """A lesson a placed student misses, as a register line shows it."""

    pk: int
    period: str  # "P2"
    class_code: str  # "9X/Ma1"
    label: str  # "P2 9X/Ma1 (Ms A Teague)"
    status: str
    state: str  # WorkRequest.state_label
    recorded: bool  # its outcome is recorded


# The lessons missed by the placement days in a room on a day whose work request still stands,
# in period order (`lessons_missed`).
_MISSED = compiled_query(
    lambda room_id, day: (
        WorkRequest.objects.filter(placement_day__room_id=room_id, placement_day__date=day)
        .exclude(status=WorkRequest.Status.CANCELLED)
        .order_by("period__starts_at")
        .values_list(
            "pk",
            "placement_day_id",
            "period__code",
            "teaching_class__code",
            "teacher__title",
            "teacher__first_name",
            "teacher__last_name",
            "status",
            "outcome",
            "answered_late",
            "fell_back_at",
            "work_set__kind",
            "work_set__set_at",
            "work_set__set_by__first_name",
            "work_set__set_by__last_name",
        )
    )
)


def lessons_missed(room_id: int, day: dt.date) -> dict[int, list[LessonMissed]]:
    """The lessons each placement day in a room on a day misses whose work request still
    stands, in period order, by placement day (those with none left out): what
    `requests_not_cancelled` gives a register line, read as plain rows (one query)."""
    missed: dict[int, list[LessonMissed]] = defaultdict(list)
    outcomes = dict(WorkRequest.Outcome.choices)
    rows = _MISSED(room_id, day)
    for (
        pk,
        placement_day_id,
        period,
        teaching_class,
        title,
        first_name,
        last_name,
        status,
        outcome,
        answered_late,
        fell_back_at,
        set_kind,
        set_at,
        set_by_first,
        set_by_last,
    ) in rows:
        label = f"{period} {teaching_class}"
        if last_name is not None:  # a teacher
            label += f" ({staff_display_name(title, first_name, last_name)})"
        state = work_state_label(
            status=status,
            outcome_label=outcomes.get(outcome, outcome),
            set_kind=set_kind,
            set_at=set_at,
            # User.get_full_name()
            set_by_name=f"{set_by_first or ''} {set_by_last or ''}".strip(),
            answered_late=answered_late,
            fell_back=fell_back_at is not None,
        )
        missed[placement_day_id].append(
            LessonMissed(pk, period, teaching_class, label, status, state, recorded=bool(outcome))
        )
    return dict(missed)


@dataclass(frozen=True)
class LessonWithoutWork:
    """A lesson a placed student misses whose teacher has not set work yet, as the to-do list
    shows it."""

    date: dt.date
    day: str  # "Tue 3 Nov"
    period_code: str
    class_code: str
    student_name: str
    register_url: str  # the student's room's register that day
    teacher_name: str  # "" when the timetable names no teacher
    is_gap: bool  # the deadline passed with no programme to give (`WorkRequest.is_gap`)


def requests_without_work(days: list[dt.date]):
    """Lessons on `days` a placed student misses whose teacher has not set work yet, by day and
    period, with the student and the room they are in, as `.values()` rows for
    `lessons_without_work` (one query when evaluated)."""
    return (
        WorkRequest.objects.filter(status=WorkRequest.Status.REQUESTED, date__in=days)
        .values(
            "date",
            "fell_back_at",
            "period__code",
            "teaching_class__code",
            "teacher__title",
            "teacher__first_name",
            "teacher__last_name",
            "placement_day__room__code",
            "placement_day__placement__student__preferred_first_name",
            "placement_day__placement__student__legal_first_name",
            "placement_day__placement__student__preferred_last_name",
            "placement_day__placement__student__legal_last_name",
        )
        .order_by("date", "period__starts_at", "placement_day__placement__student__legal_last_name")
    )


# The first few of them for the home page, today's and the next school day's (a list of dates
# varies the SQL with its length, so each length is compiled on its own).
_FIRST_WITHOUT_WORK = {
    1: compiled_query(lambda day: first_query(requests_without_work([day]))),
    2: compiled_query(lambda day, next_day: first_query(requests_without_work([day, next_day]))),
}


def first_requests_without_work(days: list[dt.date]) -> FirstItems:
    """`first_of(requests_without_work(days))` for one or two days (one query)."""
    return first_items(_FIRST_WITHOUT_WORK[len(days)](*days))


def lessons_without_work(rows) -> list[LessonWithoutWork]:
    """`requests_without_work` rows with their words and links written once (no query)."""
    register_url = url_maker("register", 2)
    found = []
    for row in rows:
        teacher = (
            staff_display_name(
                row["teacher__title"], row["teacher__first_name"], row["teacher__last_name"]
            )
            if row["teacher__last_name"] is not None
            else ""
        )
        found.append(
            LessonWithoutWork(
                date=row["date"],
                day=wording.short_day(row["date"]),
                period_code=row["period__code"],
                class_code=row["teaching_class__code"],
                student_name=student_name_from(row, "placement_day__placement__student__"),
                register_url=register_url(
                    row["placement_day__room__code"], row["date"].isoformat()
                ),
                teacher_name=teacher,
                # A request still asked for whose deadline fell back to nothing.
                is_gap=row["fell_back_at"] is not None,
            )
        )
    return found


def _for_pages() -> QuerySet[WorkRequest]:
    return WorkRequest.objects.select_related(
        "period",
        "teaching_class__subject",
        "teacher",
        "placement_day__room",
        "placement_day__placement__student__form",
        "placement_day__placement__provision",
        "work_set__set_by",
        "task",
        "recorded_by",
    ).prefetch_related("work_set__attachments")


# A teacher's requests for their work page (`teacher_work`): asked of them, or for a class they
# teach (a shared class; a subquery rather than a join, which would count a request once per
# teacher of its class and need DISTINCT), not cancelled; for lessons from `today`, or returned
# and not yet acknowledged, or returned since `fortnight_ago`. The columns the page shows rather
# than nine models a row (issue 15), compiled once.
_TEACHER_WORK = compiled_query(
    lambda staff_id, today, fortnight_ago: (
        WorkRequest.objects.filter(
            Q(teacher_id=staff_id)
            | Q(
                teaching_class__in=ClassTeacher.objects.filter(staff_id=staff_id).values(
                    "teaching_class"
                )
            )
        )
        .exclude(status=WorkRequest.Status.CANCELLED)
        .filter(
            Q(date__gte=today)
            | Q(status=WorkRequest.Status.RETURNED, acknowledged_at=None)
            | Q(status=WorkRequest.Status.RETURNED, date__gte=fortnight_ago)
        )
        .order_by("date", "period__starts_at", "teaching_class__code", "pk")
        .values(
            "pk",
            "date",
            "period_id",
            "period__code",
            "period__name",
            "teaching_class_id",
            "teaching_class__code",
            "placement_day__placement__student__preferred_first_name",
            "placement_day__placement__student__legal_first_name",
            "placement_day__placement__student__preferred_last_name",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__form__code",
            "placement_day__placement__provision__name",
            "placement_day__room__code",
            "status",
            "asap",
            "deadline",
            "fell_back_at",
            "answered_late",
            "work_set__kind",
            "work_set__set_at",
            "work_set__set_by__first_name",
            "work_set__set_by__last_name",
            "task_id",
            "task__title",
            "outcome",
            "outcome_note",
            "outcome_file",
            "created_at",
            "recorded_at",
            "recorded_by_id",
            "recorded_by__first_name",
            "recorded_by__last_name",
            "recorded_by__username",
            "acknowledged_at",
        )
    )
)


@dataclass
class LessonGroup:
    """The students from one class out of one lesson: one answer may cover them all. Its words
    are those of its first request (the link opens it)."""

    url: str  # setting work for its first request
    class_code: str
    period_name: str
    day: str  # "Thu 26 Nov"
    students: list[tuple[str, str]]  # (name, form code or "")
    provision: str
    room_code: str
    asap: bool
    is_gap: bool  # `WorkRequest.is_gap`
    deadline: str  # "Wed 25 Nov 16:00"; "" for none


@dataclass(frozen=True)
class WorkLine:
    """One request of the other lists of the work page, its words written once."""

    pk: int
    url: str  # setting its work
    student_name: str
    class_code: str
    period_code: str
    period_name: str
    day: str  # "Thu 26 Nov"
    state: str  # `WorkRequest.state_label`, its first letter capital
    task_title: str | None  # None without a task from the programme
    outcome: str  # "Partly done"; "" until the room records it
    outcome_note: str
    has_file: bool  # the room's photo or scan of the work
    recorded: str  # when the room recorded it, "Tue 24 Nov 15:40"
    recorded_by: str  # who did (their name, else their username), "" for no one
    moment: dt.datetime  # when recorded, else made: the returned list's order


@dataclass
class TeacherWork:
    to_set: list[LessonGroup]
    set: list[WorkLine]
    returned: list[WorkLine]
    acknowledged: list[WorkLine]


def _day_and_hour(moment: dt.datetime | None) -> str:
    """`|date:"D j M H:i"`: "Tue 24 Nov 15:40" in the school's time ("" for None)."""
    if moment is None:
        return ""
    return f"{wording.short_day(moment)} {wording.hhmm(moment)}"


def teacher_work(staff: Staff, today: dt.date) -> TeacherWork:
    """A teacher's work page in one query: lessons still to set (from today, grouped by class
    and day), work set for lessons to come, work returned from the room not yet acknowledged,
    and the last fortnight's acknowledged."""
    S = WorkRequest.Status
    outcomes = dict(WorkRequest.Outcome.choices)
    set_url = url_maker("work-set")
    groups: dict[tuple, LessonGroup] = {}
    found = TeacherWork([], [], [], [])
    for row in _TEACHER_WORK(staff.pk, today, today - dt.timedelta(days=14)):
        student = student_name_from(row, "placement_day__placement__student__")
        day = wording.short_day(row["date"])
        if row["status"] == S.REQUESTED:
            key = (row["date"], row["teaching_class_id"], row["period_id"])
            if key not in groups:
                groups[key] = LessonGroup(
                    url=set_url(row["pk"]),
                    class_code=row["teaching_class__code"],
                    period_name=row["period__name"],
                    day=day,
                    students=[],
                    provision=row["placement_day__placement__provision__name"],
                    room_code=row["placement_day__room__code"],
                    asap=row["asap"],
                    # Still asked for, and its deadline fell back to nothing.
                    is_gap=row["fell_back_at"] is not None,
                    deadline=_day_and_hour(row["deadline"]),
                )
                found.to_set.append(groups[key])
            form = row["placement_day__placement__student__form__code"] or ""
            groups[key].students.append((student, form))
            continue
        if row["status"] != S.RETURNED and row["date"] < today:
            continue  # set or done for a lesson gone by: on no list
        outcome = row["outcome"]
        outcome_label = outcomes.get(outcome, outcome)
        state = work_state_label(
            status=row["status"],
            outcome_label=outcome_label,
            set_kind=row["work_set__kind"],
            set_at=row["work_set__set_at"],
            # User.get_full_name()
            set_by_name=(
                f"{row['work_set__set_by__first_name'] or ''} "
                f"{row['work_set__set_by__last_name'] or ''}"
            ).strip(),
            answered_late=row["answered_late"],
            fell_back=row["fell_back_at"] is not None,
        )
        recorded_by = ""
        if row["recorded_by_id"] is not None:
            full_name = f"{row['recorded_by__first_name']} {row['recorded_by__last_name']}"
            recorded_by = full_name.strip() or row["recorded_by__username"]
        line = WorkLine(
            pk=row["pk"],
            url=set_url(row["pk"]),
            student_name=student,
            class_code=row["teaching_class__code"],
            period_code=row["period__code"],
            period_name=row["period__name"],
            day=day,
            state=state[:1].upper() + state[1:],
            task_title=row["task__title"] if row["task_id"] is not None else None,
            outcome=outcome_label if outcome else "",
            outcome_note=row["outcome_note"],
            has_file=bool(row["outcome_file"]),
            recorded=_day_and_hour(row["recorded_at"]),
            recorded_by=recorded_by,
            moment=row["recorded_at"] or row["created_at"],
        )
        if row["status"] == S.RETURNED:
            (found.acknowledged if row["acknowledged_at"] else found.returned).append(line)
        else:
            found.set.append(line)
    found.returned.sort(key=lambda line: line.moment, reverse=True)
    return found


def request_for_page(request_id: int) -> WorkRequest | None:
    return _for_pages().filter(pk=request_id).first()


@dataclass(frozen=True)
class GivenWork:
    """The work a teacher set, as `work/_work_given.html` shows it (`work_given_html`)."""

    kind_label: str  # "Set by the teacher"
    set_by: str | None  # their name, else their username; None for no one
    set_at: str  # "Tue 24 Nov 13:52"
    instructions: str
    link: str
    attachments: list[tuple[int, str, int]]  # (pk, name, size), in order


@dataclass(frozen=True)
class GivenTask:
    """The programme's task given, as `work/_work_given.html` shows it."""

    unit: str
    title: str
    instructions: str
    link: str


@dataclass(frozen=True)
class ClassToSet:
    code: str
    subject_id: int | None
    year_group_id: int | None


@dataclass(frozen=True)
class RequestToSet:
    """A request as the page setting its work shows it and its policy reads it
    (`request_to_set`)."""

    pk: int
    date: dt.date
    status: str
    outcome: str
    teacher_id: int | None
    teaching_class_id: int
    teaching_class: ClassToSet
    period_name: str
    provision: str  # the provision's name
    room_code: str
    asap: bool
    deadline: dt.datetime | None
    answered_late: bool
    work_set: GivenWork | None
    task: GivenTask | None


# The files of a piece of work set, in order.
_ATTACHMENTS = compiled_query(
    lambda work_set_id: (
        WorkAttachment.objects.filter(work_set_id=work_set_id)
        .order_by("pk")
        .values_list("pk", "name", "size")
    )
)

# The work and task given for a request (`_given`): the last columns of the pages' reads.
_GIVEN = (
    "answered_late",
    "work_set_id",
    "work_set__kind",
    "work_set__set_by_id",
    "work_set__set_by__first_name",
    "work_set__set_by__last_name",
    "work_set__set_by__username",
    "work_set__set_at",
    "work_set__instructions",
    "work_set__link",
    "task_id",
    "task__unit",
    "task__title",
    "task__instructions",
    "task__link",
)


def _given(columns) -> tuple[GivenWork | None, GivenTask | None]:
    """The work (with its files: a query) and the task given, from a row's `_GIVEN` columns."""
    (
        _answered_late,
        work_set_id,
        kind,
        set_by_id,
        set_by_first,
        set_by_last,
        set_by_username,
        set_at,
        instructions,
        link,
        task_id,
        task_unit,
        task_title,
        task_instructions,
        task_link,
    ) = columns
    work_set = None
    if work_set_id is not None:
        set_by = None
        if set_by_id is not None:  # User.get_full_name, else the username
            set_by = f"{set_by_first} {set_by_last}".strip() or set_by_username
        work_set = GivenWork(
            kind_label=dict(WorkSet.Kind.choices).get(kind, kind),
            set_by=set_by,
            set_at=_day_and_hour(set_at),
            instructions=instructions,
            link=link,
            attachments=list(_ATTACHMENTS(work_set_id)),
        )
    task = (
        GivenTask(task_unit, task_title, task_instructions, task_link)
        if task_id is not None
        else None
    )
    return work_set, task


# A request as the page setting its work shows it: the lesson, the room, the work and task
# already given; compiled once (issue 15: building a six-join read's SQL cost more than the
# page's own).
_TO_SET_PAGE = compiled_query(
    lambda request_id: WorkRequest.objects.filter(pk=request_id).values_list(
        "pk",
        "date",
        "status",
        "outcome",
        "teacher_id",
        "teaching_class_id",
        "teaching_class__code",
        "teaching_class__subject_id",
        "teaching_class__year_group_id",
        "period__name",
        "placement_day__placement__provision__name",
        "placement_day__room__code",
        "asap",
        "deadline",
        *_GIVEN,
    )
)


def request_to_set(request_id: int) -> RequestToSet | None:
    """A request as the page setting its work shows it: the lesson, the room, and the work and
    task already given with the work's files; no more (one query, two with work set; their SQL
    built once)."""
    rows = _TO_SET_PAGE(request_id)
    if not rows:
        return None
    row = rows[0]
    (
        pk,
        date,
        status,
        outcome,
        teacher_id,
        teaching_class_id,
        class_code,
        subject_id,
        year_group_id,
        period_name,
        provision,
        room_code,
        asap,
        deadline,
        answered_late,
    ) = row[:15]
    work_set, task = _given(row[14:])
    return RequestToSet(
        pk=pk,
        date=date,
        status=status,
        outcome=outcome,
        teacher_id=teacher_id,
        teaching_class_id=teaching_class_id,
        teaching_class=ClassToSet(class_code, subject_id, year_group_id),
        period_name=period_name,
        provision=provision,
        room_code=room_code,
        asap=asap,
        deadline=deadline,
        answered_late=answered_late,
        work_set=work_set,
        task=task,
    )


@dataclass(frozen=True)
class RequestToRecord:
    """A request as the room's page recording its work done shows it (`request_to_record`)."""

    pk: int
    date: dt.date
    student_name: str
    class_code: str
    period_name: str
    teacher_name: str | None  # `Staff.display_name`; None for no teacher
    state_label: str  # `WorkRequest.state_label`
    outcome: str
    outcome_note: str
    has_outcome_file: bool
    register_url: str  # the room's register that day, at the student's line
    audit_repr: str  # `str(WorkRequest)`: "9X/Ma1 26/11 P2"
    answered_late: bool
    work_set: GivenWork | None
    task: GivenTask | None


# A request as the room's page recording its work shows it; compiled once (issue 15: the
# nine-join model read was most of the page's cost).
_TO_RECORD_PAGE = compiled_query(
    lambda request_id: WorkRequest.objects.filter(pk=request_id).values_list(
        "pk",
        "date",
        "status",
        "outcome",
        "outcome_note",
        "outcome_file",
        "fell_back_at",
        "teaching_class__code",
        "period__code",
        "period__name",
        "teacher_id",
        "teacher__title",
        "teacher__first_name",
        "teacher__last_name",
        "placement_day_id",
        "placement_day__date",
        "placement_day__room__code",
        "placement_day__placement__student__preferred_first_name",
        "placement_day__placement__student__legal_first_name",
        "placement_day__placement__student__preferred_last_name",
        "placement_day__placement__student__legal_last_name",
        *_GIVEN,
    )
)


def request_to_record(request_id: int) -> RequestToRecord | None:
    """A request as the room's page recording its work done shows it: the student, the lesson
    and its teacher, the state of its work, the work and task given with the work's files
    (one query, two with work set; their SQL built once)."""
    rows = _TO_RECORD_PAGE(request_id)
    if not rows:
        return None
    row = rows[0]
    (
        pk,
        date,
        status,
        outcome,
        outcome_note,
        outcome_file,
        fell_back_at,
        class_code,
        period_code,
        period_name,
        teacher_id,
        title,
        first_name,
        last_name,
        placement_day_id,
        day,
        room_code,
        *student,
    ) = row[:21]
    answered_late, _work_set_id, set_kind, set_by_id, set_by_first, set_by_last = row[21:27]
    set_at = row[28]
    work_set, task = _given(row[21:])
    # `state_label` names who set the work only for work they set themselves, and reads the
    # work only while it is not recorded or withdrawn.
    shown = status != WorkRequest.Status.CANCELLED and not outcome and set_kind is not None
    own = shown and set_kind not in (WorkSet.Kind.FALLBACK, WorkSet.Kind.PROGRAMME)
    state = work_state_label(
        status=status,
        outcome_label=dict(WorkRequest.Outcome.choices).get(outcome, outcome),
        set_kind=set_kind if shown else None,
        set_at=set_at if shown else None,
        set_by_name=(
            f"{set_by_first} {set_by_last}".strip() if own and set_by_id is not None else ""
        ),
        answered_late=answered_late,
        fell_back=fell_back_at is not None,
    )
    first, legal_first, last, legal_last = student
    return RequestToRecord(
        pk=pk,
        date=date,
        student_name=f"{first or legal_first} {last or legal_last}",
        class_code=class_code,
        period_name=period_name,
        teacher_name=(
            staff_display_name(title, first_name, last_name) if teacher_id is not None else None
        ),
        state_label=state,
        outcome=outcome,
        outcome_note=outcome_note,
        has_outcome_file=bool(outcome_file),
        register_url=url_maker("register", 2)(room_code, day.isoformat())
        + f"#placement-day-{placement_day_id}",
        audit_repr=f"{class_code} {date:%d/%m} {period_code}",
        answered_late=answered_late,
        work_set=work_set,
        task=task,
    )


def same_lesson(request: WorkRequest | RequestToSet) -> list[WorkRequest]:
    """The requests one answer may cover with `request`: the same class on the same day, still
    open to set (it first), with what the page names them by and setting work reads (the
    student, the period, the class)."""
    rows = list(
        WorkRequest.objects.select_related(
            "period", "teaching_class", "placement_day__placement__student"
        )
        .filter(
            teaching_class_id=request.teaching_class_id,
            date=request.date,
            status__in=[WorkRequest.Status.REQUESTED, WorkRequest.Status.SET],
            outcome="",
        )
        .order_by("period__starts_at", "placement_day__placement__student__legal_last_name")
    )
    return sorted(rows, key=lambda r: r.pk != request.pk)


@dataclass(frozen=True)
class LessonStudent:
    """One request of a lesson as the page setting work ticks it (`lesson_students`)."""

    pk: int
    status: str
    teacher_id: int | None
    teaching_class_id: int | None
    label: str  # "Jayden Walsh (P2)": the student and the period


# `same_lesson`'s requests as the columns the page shows and its policy reads, compiled once.
_SAME_LESSON = compiled_query(
    lambda teaching_class_id, day: (
        WorkRequest.objects.filter(
            teaching_class_id=teaching_class_id,
            date=day,
            status__in=[WorkRequest.Status.REQUESTED, WorkRequest.Status.SET],
            outcome="",
        )
        .order_by("period__starts_at", "placement_day__placement__student__legal_last_name")
        .values(
            "pk",
            "status",
            "teacher_id",
            "teaching_class_id",
            "period__code",
            "placement_day__placement__student__preferred_first_name",
            "placement_day__placement__student__legal_first_name",
            "placement_day__placement__student__preferred_last_name",
            "placement_day__placement__student__legal_last_name",
        )
    )
)


def lesson_students(request) -> list[LessonStudent]:
    """`same_lesson(request)` as the page ticks them (one query, its SQL built once): the same
    requests in the same order, each with the student's name and the period (issue 15)."""
    rows = [
        LessonStudent(
            pk=row["pk"],
            status=row["status"],
            teacher_id=row["teacher_id"],
            teaching_class_id=row["teaching_class_id"],
            label=(
                f"{student_name_from(row, 'placement_day__placement__student__')} "
                f"({row['period__code']})"
            ),
        )
        for row in _SAME_LESSON(request.teaching_class_id, request.date)
    ]
    return sorted(rows, key=lambda r: r.pk != request.pk)


@dataclass(frozen=True)
class TaskChoice:
    """A task of a programme as the page setting work offers it."""

    pk: int
    position: int
    unit: str
    title: str


# The tasks of the programme for a subject and year, in order: the columns the page offers.
_TASKS_FOR = compiled_query(
    lambda subject_id, year_group_id: (
        ProgrammeTask.objects.filter(
            programme__subject_id=subject_id, programme__year_group_id=year_group_id
        )
        .order_by("position", "pk")
        .values_list("pk", "position", "unit", "title")
    )
)


def programme_tasks_for(request: WorkRequest | RequestToSet) -> list[TaskChoice]:
    """The tasks of the programme for the request's subject and year, in order (one query, its
    SQL built once)."""
    teaching_class = request.teaching_class
    if teaching_class.subject_id is None or teaching_class.year_group_id is None:
        return []
    return [
        TaskChoice(*row)
        for row in _TASKS_FOR(teaching_class.subject_id, teaching_class.year_group_id)
    ]


# The school's largest file a teacher may attach (`WorkSettings.current().max_upload_mb`: its
# first row's), compiled once.
_MAX_UPLOAD_MB = compiled_query(
    lambda: WorkSettings.objects.order_by("pk").values_list("max_upload_mb", flat=True)[:1]
)


def max_upload_mb() -> int:
    """`WorkSettings.current().max_upload_mb` (one query, its SQL built once): the setting,
    else its default when the school has saved none."""
    found = _MAX_UPLOAD_MB()
    return found[0] if found else WorkSettings().max_upload_mb


@dataclass
class WorkPack:
    """A student's day in a room: the room's times and each lesson missed with its work."""

    placement_day: PlacementDay
    student: Student
    provision: Provision
    lessons: list[WorkRequest]
    timetable: list[tuple[dt.time | None, str, WorkRequest | None]]


def work_pack(placement_day_id: int) -> WorkPack | None:
    """What a student's work pack shows for one day (four queries): the room's day (arrival,
    break, lunch, leaving, the provision's own activities) with the lessons missed in order,
    and each lesson's work."""
    day = (
        PlacementDay.objects.filter(pk=placement_day_id)
        .select_related("placement__student__form", "placement__provision", "room")
        .first()
    )
    if day is None:
        return None
    lessons = list(
        _for_pages()
        .filter(placement_day=day)
        .exclude(status=WorkRequest.Status.CANCELLED)
        .order_by("period__starts_at")
    )
    provision = day.placement.provision
    timetable: list[tuple[dt.time | None, str, WorkRequest | None]] = []

    def until(end: dt.time | None) -> str:
        return f" (until {end:%H:%M})" if end else ""

    for at, label in (
        (provision.arrives_at, "Arrive"),
        (provision.break_starts_at, "Break in the room" + until(provision.break_ends_at)),
        (provision.lunch_starts_at, "Lunch in the room" + until(provision.lunch_ends_at)),
        (provision.leaves_at, "Leave"),
    ):
        if at is not None:
            timetable.append((at, label, None))
    for activity in DayActivity.objects.filter(provision=provision).order_by("starts_at"):
        label = f"{activity.activity} (until {activity.ends_at:%H:%M})"
        timetable.append(
            (activity.starts_at, label + (f": {activity.detail}" if activity.detail else ""), None)
        )
    for lesson in lessons:
        timetable.append(
            (lesson.period.starts_at, f"{lesson.period.name}: {lesson.teaching_class}", lesson)
        )
    timetable.sort(key=lambda row: row[0] or dt.time(0))
    return WorkPack(day, day.placement.student, provision, lessons, timetable)


# The requests still waiting for a member of staff's work from a day on (counted by the caller: a
# teacher's are few). Their classes are a subquery, not a join: joined, each request would be
# counted once per teacher link, needing DISTINCT, and SQLite then reads every request the
# school ever made rather than the few still waiting (issue 15).
_TO_SET = compiled_query(
    lambda staff_id, day: (
        WorkRequest.objects.filter(
            Q(teacher_id=staff_id)
            | Q(
                teaching_class__in=ClassTeacher.objects.filter(staff_id=staff_id).values(
                    "teaching_class"
                )
            )
        )
        .filter(status=WorkRequest.Status.REQUESTED, date__gte=day)
        .values_list("pk", flat=True)
        .order_by()
    )
)


def requests_to_set_count(staff: Staff, today: dt.date) -> int:
    """How many of `staff`'s lessons from today still wait for work (one query)."""
    return len(_TO_SET(staff.pk, today))


def returned_not_acknowledged() -> QuerySet[WorkRequest]:
    """Work the room recorded and returned that its teacher has not yet acknowledged, with the
    teacher, student and class (one query): for the teachers' morning email."""
    return (
        WorkRequest.objects.filter(status=WorkRequest.Status.RETURNED, acknowledged_at=None)
        .exclude(teacher=None)
        .select_related("teacher", "period", "teaching_class", "placement_day__placement__student")
        .order_by("date", "period__starts_at")
    )
