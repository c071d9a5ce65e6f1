"""The figures the school is judged on: of the lessons students missed in a room, the share
with work set by the teacher by the deadline, set late, given from the programme at the
deadline, or with nothing; and how much of the work was completed in the room."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Value, When

from conduct.lib import clock, wording
from conduct.lib.compiled import CompiledList, compiled_query
from school.models import staff_display_name, student_name_from
from work.models import WorkRequest, WorkSet, work_state_label

K = WorkSet.Kind
TEACHER_ANSWERED = Q(work_set__kind__in=[K.LESSON, K.PROGRAMME])
NOTHING = Q(work_set=None)


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


@dataclass
class WorkFigures:
    """Counts and whole-number percentages (None when there is nothing to divide by). `decided`
    are the lessons whose deadline has passed or whose work is set; `waiting` are still open to
    the teacher and in no share."""

    on_time: int = 0
    late: int = 0
    programme: int = 0
    nothing: int = 0
    waiting: int = 0
    completed: int = 0
    partly: int = 0
    not_done: int = 0
    label: str = ""

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.programme + self.nothing

    @property
    def lessons(self) -> int:
        """Every lesson counted: each is in one of the shares or waiting."""
        return self.decided + self.waiting

    @property
    def recorded(self) -> int:
        return self.completed + self.partly + self.not_done

    @property
    def on_time_share(self) -> int | None:
        return _share(self.on_time, self.decided)

    @property
    def late_share(self) -> int | None:
        return _share(self.late, self.decided)

    @property
    def programme_share(self) -> int | None:
        return _share(self.programme, self.decided)

    @property
    def nothing_share(self) -> int | None:
        return _share(self.nothing, self.decided)

    @property
    def completion_rate(self) -> int | None:
        """Work completed in the room, of the work the room recorded."""
        return _share(self.completed, self.recorded)

    @property
    def partly_share(self) -> int | None:
        return _share(self.partly, self.recorded)


def _shares(now: dt.datetime) -> dict[str, Q]:
    """Each count of WorkFigures as a filter on requests."""
    passed = Q(fell_back_at__isnull=False) | Q(deadline__lte=now)
    return {
        "on_time": TEACHER_ANSWERED & Q(answered_late=False),
        "late": TEACHER_ANSWERED & Q(answered_late=True),
        "programme": Q(work_set__kind=K.FALLBACK),
        "nothing": NOTHING & (passed | Q(status=WorkRequest.Status.RETURNED)),
        "waiting": NOTHING & ~passed & ~Q(status=WorkRequest.Status.RETURNED),
        "completed": Q(outcome=WorkRequest.Outcome.COMPLETED),
        "partly": Q(outcome=WorkRequest.Outcome.PARTLY),
        "not_done": Q(outcome=WorkRequest.Outcome.NOT_DONE),
    }


SHARES = tuple(_shares(dt.datetime(2000, 1, 1)))


def _requests(
    start: dt.date,
    end: dt.date,
    *,
    provision=None,
    department=None,
    subject=None,
    teacher=None,
    student=None,
    students=None,
) -> QuerySet[WorkRequest]:
    rows = WorkRequest.objects.filter(date__gte=start, date__lte=end).exclude(
        status=WorkRequest.Status.CANCELLED
    )
    if provision is not None:
        rows = rows.filter(placement_day__placement__provision=provision)
    if department is not None:
        rows = rows.filter(teaching_class__subject__department=department)
    if subject is not None:
        rows = rows.filter(teaching_class__subject=subject)
    if teacher is not None:
        rows = rows.filter(teacher=teacher)
    if student is not None:
        rows = rows.filter(placement_day__placement__student=student)
    if students is not None:
        rows = rows.filter(placement_day__placement__student__in=students)
    return rows


def work_figures(
    start: dt.date,
    end: dt.date,
    *,
    provision=None,
    department=None,
    subject=None,
    teacher=None,
    student=None,
    students=None,
) -> WorkFigures:
    """The shares for lessons missed from `start` to `end` (inclusive), for one provision,
    department, subject, teacher or student when given, or the students of a queryset (one
    query; for the whole school, compiled once: the home page's, every request)."""
    now = clock.now()
    if all(scope is None for scope in (provision, department, subject, teacher, student, students)):
        return _figures_of(_SCHOOL_GROUPED(start, end, now))
    rows = _requests(
        start,
        end,
        provision=provision,
        department=department,
        subject=subject,
        teacher=teacher,
        student=student,
        students=students,
    )
    return _figures_of(_grouped(rows, now))


def _figures_of(grouped) -> WorkFigures:
    """`_shares` counted from the requests grouped by what decides their share (`_grouped`;
    issue 15: eight filtered counts cost more to build than one grouping summed here)."""
    counts: dict[str, Any] = dict.fromkeys(SHARES, 0)
    for kind, late, outcome, status, has_passed, n in grouped:
        for name in _shares_of(kind, late, outcome, status, has_passed):
            counts[name] += n
    return WorkFigures(**counts)


def _grouped(rows: QuerySet[WorkRequest], now: dt.datetime, *by: str) -> QuerySet:
    """`rows` counted by the fields `by` and then by what decides their share."""
    passed = Q(fell_back_at__isnull=False) | Q(deadline__lte=now)
    return (
        rows.annotate(passed=Case(When(passed, then=Value(True)), default=Value(False)))
        .values_list(*by, "work_set__kind", "answered_late", "outcome", "status", "passed")
        .annotate(n=Count("pk"))
        .order_by()
    )


# The whole school's requests between two days grouped as `_figures_of` counts them, the moment
# whose deadlines have passed an argument with the days.
_SCHOOL_GROUPED = compiled_query(lambda start, end, now: _grouped(_requests(start, end), now))


# The same grouped by day as well (`work_figures_per_span`), for the whole school and for the
# students of one year group.
_SCHOOL_BY_DAY = compiled_query(
    lambda start, end, now: _grouped(_requests(start, end), now, "date")
)
_YEAR_BY_DAY = compiled_query(
    lambda year, start, end, now: _grouped(
        _requests(start, end).filter(placement_day__placement__student__year_group_id=year),
        now,
        "date",
    )
)


def work_figures_per_span(
    spans: list[tuple[dt.date, dt.date]], *, students=None, year: int | None = None
) -> list[WorkFigures]:
    """`work_figures(start, end, students=students)` for each (start, end) of `spans`, from one
    read of the days from the first start to the last end grouped by day as well (for spans
    that overlap or nearly touch; one query for them all). For the whole school, or the
    students of the year group `year`, that read is compiled once (issue 15: building the
    grouping cost more than running it)."""
    counts: list[dict[str, Any]] = [dict.fromkeys(SHARES, 0) for _ in spans]
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    now = clock.now()
    if year is not None:
        rows = _YEAR_BY_DAY(year, first, last, now)
    elif students is None:
        rows = _SCHOOL_BY_DAY(first, last, now)
    else:
        rows = list(_grouped(_requests(first, last, students=students), now, "date"))
    for day, kind, late, outcome, status, has_passed, n in rows:
        names = _shares_of(kind, late, outcome, status, has_passed)
        for (start, end), mine in zip(spans, counts, strict=True):
            if start <= day <= end:
                for name in names:
                    mine[name] += n
    return [WorkFigures(**mine) for mine in counts]


# The counts a request's outcome in the room falls in (WorkFigures' names), as `_shares` has them.
_OUTCOME_SHARES = {
    WorkRequest.Outcome.COMPLETED: "completed",
    WorkRequest.Outcome.PARTLY: "partly",
    WorkRequest.Outcome.NOT_DONE: "not_done",
}


def _shares_of(kind, answered_late, outcome, status, passed: bool) -> list[str]:
    """The counts of WorkFigures one request falls in (`_shares`, for a request read in Python):
    `kind` is its work set's (None without work), `passed` whether it fell back or its deadline
    has passed."""
    found = []
    if kind is None:
        returned = status == WorkRequest.Status.RETURNED
        found.append("nothing" if passed or returned else "waiting")
    elif kind in (K.LESSON, K.PROGRAMME):
        found.append("late" if answered_late else "on_time")
    elif kind == K.FALLBACK:
        found.append("programme")
    if outcome in _OUTCOME_SHARES:
        found.append(_OUTCOME_SHARES[outcome])
    return found


# A student's requests for the lessons from `start` to `end`, with what `_shares_of` asks: found
# through their placements (an index on each step), never through the whole school's requests
# of those dates; the days an argument, so a student's fifth year reads one year's rows.
_STUDENT_REQUESTS = compiled_query(
    lambda student_id, start, end: (
        WorkRequest.objects.filter(
            placement_day__placement__student_id=student_id, date__gte=start, date__lte=end
        )
        .exclude(status=WorkRequest.Status.CANCELLED)
        .order_by()
        .values_list(
            "work_set__kind",
            "answered_late",
            "fell_back_at",
            "deadline",
            "status",
            "outcome",
        )
    )
)


def student_work_figures(start: dt.date, end: dt.date, *, student) -> WorkFigures:
    """`work_figures(start, end, student=student)` for a student's page, counted from their
    requests' rows (one plain query of the columns `_shares` asks): a student misses a few
    dozen lessons a year, and reading them costs less than building the grouping (issue 15).
    Tested to agree with `work_figures`."""
    now = clock.now()
    counts: dict[str, Any] = dict.fromkeys(SHARES, 0)
    for kind, late, fell_back_at, deadline, status, outcome in _STUDENT_REQUESTS(
        student.pk, start, end
    ):
        passed = fell_back_at is not None or (deadline is not None and deadline <= now)
        for name in _shares_of(kind, late, outcome, status, passed):
            counts[name] += 1
    return WorkFigures(**counts)


# A department's requests from `start` to `end` grouped by teacher (with their name) and then as
# `_figures_of` counts them, in the teachers' name order: the department's figures and each
# teacher's from one read, compiled once (`department_figures`).
_DEPARTMENT_BY_TEACHER = compiled_query(
    lambda department_id, start, end, now: _grouped(
        _requests(start, end).filter(teaching_class__subject__department_id=department_id),
        now,
        "teacher",
        "teacher__title",
        "teacher__first_name",
        "teacher__last_name",
    ).order_by("teacher__last_name", "teacher__first_name")
)


def department_figures(
    start: dt.date, end: dt.date, *, department_id: int
) -> tuple[WorkFigures, list[WorkFigures]]:
    """`work_figures(start, end, department=...)`, and the same figures for each teacher asked
    in the department, most lessons first (labelled with their name), from one query: the
    department's are its teachers' added up (issue 15: the eight filtered counts per teacher
    cost more to build than the page's rows). Tested to agree with `work_figures`."""
    whole: dict[str, Any] = dict.fromkeys(SHARES, 0)
    by_teacher: dict[int | None, tuple[str, dict[str, Any]]] = {}
    for (
        teacher,
        title,
        first,
        last,
        kind,
        late,
        outcome,
        status,
        has_passed,
        n,
    ) in _DEPARTMENT_BY_TEACHER(department_id, start, end, clock.now()):
        if teacher not in by_teacher:
            name = " ".join(part for part in (title, (first or "")[:1], last) if part)
            by_teacher[teacher] = (name, dict.fromkeys(SHARES, 0))
        mine = by_teacher[teacher][1]
        for share in _shares_of(kind, late, outcome, status, has_passed):
            mine[share] += n
            whole[share] += n
    found = [
        WorkFigures(label=name or "No teacher on the timetable", **counts)
        for name, counts in by_teacher.values()
    ]
    return WorkFigures(**whole), sorted(found, key=lambda f: -f.lessons)


# The columns of a department's lesson that its list shows (`department_lesson_rows`).
_LESSON_FIELDS = (
    "date",
    "period__code",
    "teaching_class__code",
    "teacher_id",
    "teacher__title",
    "teacher__first_name",
    "teacher__last_name",
    "placement_day__placement__student__preferred_first_name",
    "placement_day__placement__student__legal_first_name",
    "placement_day__placement__student__preferred_last_name",
    "placement_day__placement__student__legal_last_name",
    "placement_day__placement__provision__name",
    "status",
    "outcome",
    "answered_late",
    "fell_back_at",
    "work_set__kind",
    "work_set__set_at",
    "work_set__set_by__first_name",
    "work_set__set_by__last_name",
    "task_id",
    "task__title",
)

# A department's requests from `start` to `end`, newest first, a page at a time: the columns
# its list shows rather than seven models a row (issue 15), compiled once. The id last, so that
# the lessons of one class in one period keep their place from one page to the next.
_DEPARTMENT_LESSONS = compiled_query(
    lambda department_id, start, end: (
        _requests(start, end)
        .filter(teaching_class__subject__department_id=department_id)
        .order_by("-date", "period__starts_at", "teaching_class__code", "pk")
        .values(*_LESSON_FIELDS)
    ),
    paged=True,
)


def department_requests(
    start: dt.date, end: dt.date, *, department_id: int, figures: WorkFigures
) -> CompiledList:
    """The department's requests in the range, newest first, as rows for
    `department_lesson_rows`, for a Paginator. Counted by `figures`, the department's
    (`department_figures`) for the same range: read from the same rows, every one of them
    in one of its counts, so the list needs no count of its own."""
    total = figures.lessons
    return CompiledList(_DEPARTMENT_LESSONS, lambda *_args: [total], (department_id, start, end))


@dataclass(frozen=True)
class DepartmentLesson:
    """A lesson missed as the department's list shows it, its words written once here rather
    than by the template per row (issue 15)."""

    day: str  # "Tue 3 Nov"
    period_code: str
    class_code: str
    teacher_name: str  # "" when the timetable names no teacher
    student_name: str
    provision: str
    state: str  # WorkRequest.state_label
    task_title: str | None  # None without a task from the programme
    outcome: str  # "partly done"; "" until the room records it


def department_lesson_rows(rows) -> list[DepartmentLesson]:
    """Rows of `department_requests` as the list shows them (no query)."""
    outcomes = dict(WorkRequest.Outcome.choices)
    found = []
    for row in rows:
        outcome = row["outcome"]
        outcome_label = outcomes.get(outcome, outcome)
        teacher = ""
        if row["teacher_id"] is not None:
            teacher = staff_display_name(
                row["teacher__title"], row["teacher__first_name"], row["teacher__last_name"]
            )
        set_by_first = row["work_set__set_by__first_name"] or ""
        set_by_last = row["work_set__set_by__last_name"] or ""
        found.append(
            DepartmentLesson(
                day=wording.short_day(row["date"]),
                period_code=row["period__code"],
                class_code=row["teaching_class__code"],
                teacher_name=teacher,
                student_name=student_name_from(row, "placement_day__placement__student__"),
                provision=row["placement_day__placement__provision__name"],
                state=work_state_label(
                    status=row["status"],
                    outcome_label=outcome_label,
                    set_kind=row["work_set__kind"],
                    set_at=row["work_set__set_at"],
                    # User.get_full_name()
                    set_by_name=f"{set_by_first} {set_by_last}".strip(),
                    answered_late=row["answered_late"],
                    fell_back=row["fell_back_at"] is not None,
                ),
                task_title=row["task__title"] if row["task_id"] is not None else None,
                outcome=outcome_label.lower() if outcome else "",
            )
        )
    return found


def requests_behind(
    start: dt.date, end: dt.date, *, share: str = "", students=None, limit: int = 500
) -> list[WorkRequest]:
    """The requests behind one of the figures (`share`, one of SHARES; blank: every lesson
    missed), for the students of a queryset when given, in date order, at most `limit` (one
    query)."""
    rows = _requests(start, end, students=students)
    if share:
        rows = rows.filter(_shares(clock.now())[share])
    return list(
        rows.select_related(
            "period",
            "teaching_class",
            "teacher",
            "work_set",
            "placement_day__placement__student__form",
        ).order_by("date", "period__starts_at", "pk")[:limit]
    )
