"""Where the timetable puts a student or a class at a moment, and who teaches what on a day."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from conduct.lib import clock
from conduct.lib.compiled import compiled_query
from school.models import (
    ClassTeacher,
    Enrolment,
    Period,
    Staff,
    Student,
    TeachingClass,
    TimetableSlot,
    room_label,
    staff_display_name,
)
from school.selectors.calendar import cycle_day_on, is_school_day, period_at


@dataclass
class Whereabouts:
    """Where the timetable says someone is at a moment, and why when it says nowhere."""

    at: dt.datetime
    period: Period | None = None
    slot: TimetableSlot | None = None
    teachers: list[Staff] = field(default_factory=list)
    reason: str = ""

    @property
    def teaching_class(self) -> TeachingClass | None:
        return self.slot.teaching_class if self.slot else None

    @property
    def room(self):
        return self.slot.room if self.slot else None


def _slot_teachers(slot: TimetableSlot) -> list[Staff]:
    if slot.staff is not None:
        return [slot.staff]
    return [link.staff for link in slot.teaching_class.teacher_links.all()]


def _slots_at(
    day: dt.date, period: Period | None, cycle_day: int | None = None
) -> QuerySet[TimetableSlot]:
    if cycle_day is None:
        cycle_day = cycle_day_on(day)
    assert cycle_day is not None and period is not None, "asked only on a school day, in a lesson"
    return (
        TimetableSlot.objects.filter(cycle_day=cycle_day, period=period)
        .select_related("teaching_class__subject", "room", "staff", "period")
        .prefetch_related(Prefetch("teaching_class__teacher_links", queryset=_teacher_links()))
    )


def _teacher_links():
    return ClassTeacher.objects.select_related("staff").order_by("-is_main", "staff__last_name")


def _resolve(
    at: dt.datetime | None, school_day: bool | None = None
) -> tuple[dt.datetime, Whereabouts | None, Period | None]:
    at = clock.local(at) if at else clock.now()
    if school_day is None:
        school_day = is_school_day(at.date())
    if not school_day:
        return at, Whereabouts(at=at, reason="Not a school day"), None
    period = period_at(at.time())
    if period is None:
        return at, Whereabouts(at=at, reason="Outside the school day"), None
    if period.kind != Period.Kind.LESSON:
        return at, Whereabouts(at=at, period=period, reason=period.get_kind_display()), None
    return at, None, period


def students_whereabouts(
    student_ids: Iterable[int],
    at: dt.datetime | None = None,
    *,
    cycle_day: int | None = None,
    school_day: bool | None = None,
) -> dict[int, Whereabouts]:
    """Where the timetable puts each student at `at` (default now), with the class and its
    teacher, in a fixed number of queries however many students: the calendar, then one query
    for the slots and one for their teachers. A page that has already read `at`'s cycle day
    and whether it is a school day passes them (the calendar is not read again)."""
    student_ids = list(student_ids)
    at, answer, period = _resolve(at, school_day)
    if answer:
        return {pk: replace(answer) for pk in student_ids}
    slots = (
        _slots_at(at.date(), period, cycle_day)
        .filter(teaching_class__enrolments__student_id__in=student_ids)
        .annotate(enrolled_student=F("teaching_class__enrolments__student_id"))
        .order_by("pk")
    )
    found: dict[int, Whereabouts] = {}
    for slot in slots:
        found.setdefault(
            slot.enrolled_student,  # type: ignore[attr-defined]
            Whereabouts(at=at, period=period, slot=slot, teachers=_slot_teachers(slot)),
        )
    return {
        pk: found.get(pk) or Whereabouts(at=at, period=period, reason="No lesson on the timetable")
        for pk in student_ids
    }


def student_whereabouts(
    student: Student,
    at: dt.datetime | None = None,
    *,
    cycle_day: int | None = None,
    school_day: bool | None = None,
) -> Whereabouts:
    """Where the timetable puts `student` at `at` (default now), with the class and its teacher
    (`cycle_day` and `school_day`: `at`'s, when the page has read them)."""
    return students_whereabouts([student.pk], at, cycle_day=cycle_day, school_day=school_day)[
        student.pk
    ]


@dataclass(frozen=True)
class DayLesson:
    """One of a student's lessons on a day, as their page shows it (written once here, not
    looked up through the slot's relations per cell)."""

    pk: int
    period: str  # its name
    starts_at: str  # "09:50"
    class_code: str
    subject: str  # "" when the class has none
    room: str  # "" when the slot has none
    teachers: str  # "Ms A Teague, Mr B Cole": the slot's own teacher, else the class's
    now: bool = False  # the lesson on at the page's moment


@dataclass
class StudentDay:
    """Where the timetable puts a student at a moment and their lessons that day: `now` is the
    lesson on (as `student_whereabouts` finds it), else `whereabouts` says why none, with the
    period when there is one."""

    whereabouts: Whereabouts
    lessons: list[DayLesson]
    now: DayLesson | None = None


def _classes_of(student_id: int) -> QuerySet:
    """The ids of the classes `student_id` is in, as a subquery: the student's dozen enrolments
    lead to their classes' rows by index, where a join from the day's slots would read every
    slot of the day (no statistics) to check each one's class."""
    return Enrolment.objects.filter(student_id=student_id).values("teaching_class_id")


# A student's lessons on a day of the cycle, in order, with what their cells show.
_STUDENT_LESSONS = compiled_query(
    lambda cycle_day, student_id: (
        TimetableSlot.objects.filter(
            cycle_day=cycle_day, teaching_class_id__in=_classes_of(student_id)
        )
        .order_by("period__starts_at")
        .values_list(
            "pk",
            "period_id",
            "period__name",
            "period__starts_at",
            "teaching_class_id",
            "teaching_class__code",
            "teaching_class__subject__name",
            "room__code",
            "room__name",
            "staff__title",
            "staff__first_name",
            "staff__last_name",
        )
    )
)

# The teachers of every class the student is in, main first (a dozen classes: reading them all
# costs less than building a query for the few the day needs).
_STUDENT_CLASS_TEACHERS = compiled_query(
    lambda student_id: (
        ClassTeacher.objects.filter(teaching_class_id__in=_classes_of(student_id))
        .order_by("-is_main", "staff__last_name")
        .values_list("teaching_class_id", "staff__title", "staff__first_name", "staff__last_name")
    )
)


def student_day(
    student: Student, at: dt.datetime, *, cycle_day: int | None, school_day: bool
) -> StudentDay:
    """`student_whereabouts` and `student_timetable_on` for a student's page, from one read of
    the day's lessons (and their classes' teachers when a lesson has no teacher of its own):
    the columns shown, not the slots and their relations twice. `cycle_day` and `school_day`:
    `at`'s, as the page has read them."""
    at, answer, period = _resolve(at, school_day)
    if cycle_day is None or not school_day:
        return StudentDay(answer or Whereabouts(at=at, reason="Not a school day"), [])
    rows = _STUDENT_LESSONS(cycle_day, student.pk)
    # The class's teachers, main first, for the lessons without a teacher of their own.
    class_teachers: dict[int, list[str]] = {}
    without = {row[4] for row in rows if row[11] is None}
    if without:
        for class_id, title, first, last in _STUDENT_CLASS_TEACHERS(student.pk):
            if class_id in without:
                class_teachers.setdefault(class_id, []).append(
                    staff_display_name(title, first, last)
                )
    # As students_whereabouts chooses: the first of the period's slots by id.
    now_pk = min(
        (row[0] for row in rows if period is not None and row[1] == period.pk), default=None
    )
    lessons = [
        DayLesson(
            pk=pk,
            period=period_name,
            starts_at=f"{starts_at:%H:%M}",
            class_code=class_code,
            subject=subject or "",
            room=room_label(room_code, room_name) if room_code is not None else "",
            teachers=(
                staff_display_name(title, first, last)
                if last is not None
                else ", ".join(class_teachers.get(class_id, []))
            ),
            now=pk == now_pk,
        )
        for (
            pk,
            _,
            period_name,
            starts_at,
            class_id,
            class_code,
            subject,
            room_code,
            room_name,
            title,
            first,
            last,
        ) in rows
    ]
    if answer:
        return StudentDay(answer, lessons)
    now = next((lesson for lesson in lessons if lesson.now), None)
    if now is None:
        return StudentDay(
            Whereabouts(at=at, period=period, reason="No lesson on the timetable"), lessons
        )
    return StudentDay(Whereabouts(at=at, period=period), lessons, now)


def class_whereabouts(teaching_class: TeachingClass, at: dt.datetime | None = None) -> Whereabouts:
    """Where `teaching_class` meets at `at` (default now) and who teaches it."""
    at, answer, period = _resolve(at)
    if answer:
        return answer
    slot = _slots_at(at.date(), period).filter(teaching_class=teaching_class).first()
    if slot is None:
        return Whereabouts(at=at, period=period, reason="Not meeting now")
    return Whereabouts(at=at, period=period, slot=slot, teachers=_slot_teachers(slot))


def staff_timetable_on(
    staff: Staff,
    day: dt.date,
    *,
    cycle_day: int | None = None,
    school_day: bool | None = None,
) -> list[TimetableSlot]:
    """The lessons `staff` teaches on `day`, in order (their own slots and their classes').
    A page that has already read `day`'s cycle day and whether it is a school day passes them
    (the calendar is not read again)."""
    if cycle_day is None:
        cycle_day = cycle_day_on(day)
    if school_day is None:
        school_day = cycle_day is not None and is_school_day(day)
    if cycle_day is None or not school_day:
        return []
    return list(
        TimetableSlot.objects.filter(cycle_day=cycle_day)
        .filter(Q(staff=staff) | Q(staff__isnull=True, teaching_class__teacher_links__staff=staff))
        .select_related("teaching_class__subject", "teaching_class__year_group", "room", "period")
        .annotate(students=Count("teaching_class__enrolments", distinct=True))
        .order_by("period__starts_at")
    )


@dataclass(frozen=True)
class LessonToday:
    """One of a teacher's lessons today, as their home page lists it."""

    period_id: int
    period_code: str
    starts_at: str  # "09:00"
    class_code: str
    subject: str  # "" when the class has no subject
    room_code: str  # "" when the lesson has no room
    students: int


def _staff_lessons(staff_id: int, cycle_day: int) -> QuerySet:
    # The classes they teach read as a list of ids and each lesson's students counted on its
    # own row, rather than every lesson of the day joined to its teachers and enrolments and
    # grouped (issue 15: ~0.23 -> ~0.11 ms on the demo school).
    their_classes = ClassTeacher.objects.filter(staff_id=staff_id).values("teaching_class_id")
    students = (
        Enrolment.objects.filter(teaching_class=OuterRef("teaching_class_id"))
        .order_by()
        .values("teaching_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        TimetableSlot.objects.filter(cycle_day=cycle_day)
        .filter(Q(staff_id=staff_id) | Q(staff__isnull=True, teaching_class_id__in=their_classes))
        .values(
            "pk",
            "period_id",
            "period__code",
            "period__starts_at",
            "teaching_class__code",
            "teaching_class__subject__name",
            "room__code",
        )
        .annotate(students=Coalesce(Subquery(students), 0))
        .order_by("period__starts_at")
    )


# A member of staff's lessons on a cycle day (the home page's, every request).
_STAFF_LESSONS = compiled_query(_staff_lessons)


def staff_lessons_on(
    staff: Staff, day: dt.date, *, cycle_day: int | None, school_day: bool
) -> list[LessonToday]:
    """`staff_timetable_on` as plain rows for the home page, with `day`'s cycle day and whether
    it is a school day as the page read them (one query)."""
    if cycle_day is None or not school_day:
        return []
    rows = _STAFF_LESSONS(staff.pk, cycle_day)
    return [
        LessonToday(
            period_id=v["period_id"],
            period_code=v["period__code"],
            starts_at=f"{v['period__starts_at']:%H:%M}",
            class_code=v["teaching_class__code"],
            subject=v["teaching_class__subject__name"] or "",
            room_code=v["room__code"] or "",
            students=v["students"],
        )
        for v in rows
    ]


def student_timetable_on(
    student: Student,
    day: dt.date,
    *,
    cycle_day: int | None = None,
    school_day: bool | None = None,
) -> list[TimetableSlot]:
    """The student's lessons on `day`, in period order (`cycle_day` and `school_day`: `day`'s,
    when the page has read them)."""
    if cycle_day is None:
        cycle_day = cycle_day_on(day)
    if school_day is None:
        school_day = cycle_day is not None and is_school_day(day)
    if cycle_day is None or not school_day:
        return []
    return list(
        TimetableSlot.objects.filter(
            cycle_day=cycle_day, teaching_class__enrolments__student=student
        )
        .select_related("teaching_class__subject", "room", "period", "staff")
        .prefetch_related(Prefetch("teaching_class__teacher_links", queryset=_teacher_links()))
        .order_by("period__starts_at")
    )
