"""Reads of the school's calendar, people and timetable."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from school.models import (
    HalfTerm,
    NonSchoolDay,
    Period,
    School,
    Staff,
    Student,
    TeachingClass,
    Term,
    TimetableSlot,
    YearGroup,
)


def current_school() -> School | None:
    """The school this install serves (the first row; there is one)."""
    return School.objects.order_by("pk").first()


def local_now() -> dt.datetime:
    return timezone.localtime()


# ---- calendar ---------------------------------------------------------------------------------


def term_on(day: dt.date) -> Term | None:
    """The term containing `day`, or None in a holiday."""
    return (
        Term.objects.select_related("academic_year")
        .filter(starts_on__lte=day, ends_on__gte=day)
        .first()
    )


def half_term_on(day: dt.date) -> HalfTerm | None:
    """The half-term containing `day`, or None in a holiday."""
    return (
        HalfTerm.objects.select_related("term__academic_year")
        .filter(starts_on__lte=day, ends_on__gte=day)
        .first()
    )


def _teaching_spans(on_or_after: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Date ranges when school is open, in order: a term's half-terms where it has them (the
    half-term holiday falls between them), else the whole term."""
    spans = []
    terms = Term.objects.filter(ends_on__gte=on_or_after).prefetch_related("half_terms")
    for term in terms.order_by("starts_on"):
        halves = sorted(term.half_terms.all(), key=lambda h: h.starts_on)
        spans += [(h.starts_on, h.ends_on) for h in halves] or [(term.starts_on, term.ends_on)]
    return [span for span in spans if span[1] >= on_or_after]


def is_school_day(day: dt.date) -> bool:
    """A weekday in term time (not in a half-term holiday) that is not an INSET day, bank
    holiday or closure."""
    if day.weekday() >= 5:
        return False
    term = Term.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
    if term is None:
        return False
    halves = term.half_terms.all()
    if halves.exists() and not halves.filter(starts_on__lte=day, ends_on__gte=day).exists():
        return False
    return not NonSchoolDay.objects.filter(date=day).exists()


def school_days_from(start: dt.date, count: int) -> list[dt.date]:
    """The next `count` school days on or after `start`, term dates and closures respected."""
    closed = set(NonSchoolDay.objects.filter(date__gte=start).values_list("date", flat=True))
    days: list[dt.date] = []
    for first, last in _teaching_spans(start):
        day = max(start, first)
        while day <= last and len(days) < count:
            if day.weekday() < 5 and day not in closed:
                days.append(day)
            day += dt.timedelta(days=1)
        if len(days) == count:
            break
    return days


def cycle_day_on(day: dt.date, school: School | None = None) -> int | None:
    """Day of the timetable cycle: 1–5 for Monday–Friday of week A, 6–10 for week B."""
    if day.weekday() >= 5:
        return None
    school = school or current_school()
    weeks = school.timetable_weeks if school else 1
    if weeks == 1 or not school or not school.week_a_starts_on:
        return day.weekday() + 1
    anchor = school.week_a_starts_on - dt.timedelta(days=school.week_a_starts_on.weekday())
    monday = day - dt.timedelta(days=day.weekday())
    week_index = ((monday - anchor).days // 7) % weeks
    return week_index * 5 + day.weekday() + 1


def week_label(cycle_day: int | None, school: School | None = None) -> str:
    """'Week A' / 'Week B' for a two-week timetable, '' for a one-week one."""
    if cycle_day is None:
        return ""
    school = school or current_school()
    if not school or school.timetable_weeks == 1:
        return ""
    return "Week A" if cycle_day <= 5 else "Week B"


def periods_of_day() -> list[Period]:
    return list(Period.objects.order_by("starts_at"))


def period_at(moment: dt.time, periods: list[Period] | None = None) -> Period | None:
    """The period (lesson, break, lunch or registration) running at `moment`, if any."""
    for period in periods if periods is not None else periods_of_day():
        if period.starts_at <= moment < period.ends_at:
            return period
    return None


# ---- where is a student or a class ------------------------------------------------------------


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


def _slots_at(day: dt.date, period: Period | None) -> QuerySet[TimetableSlot]:
    cycle_day = cycle_day_on(day)
    assert cycle_day is not None and period is not None, "asked only on a school day, in a lesson"
    return (
        TimetableSlot.objects.filter(cycle_day=cycle_day, period=period)
        .select_related("teaching_class__subject", "room", "staff", "period")
        .prefetch_related(Prefetch("teaching_class__teacher_links", queryset=_teacher_links()))
    )


def _teacher_links():
    from school.models import ClassTeacher

    return ClassTeacher.objects.select_related("staff").order_by("-is_main", "staff__last_name")


def _resolve(at: dt.datetime | None) -> tuple[dt.datetime, Whereabouts | None, Period | None]:
    at = timezone.localtime(at) if at else local_now()
    if not is_school_day(at.date()):
        return at, Whereabouts(at=at, reason="Not a school day"), None
    period = period_at(at.time())
    if period is None:
        return at, Whereabouts(at=at, reason="Outside the school day"), None
    if period.kind != Period.Kind.LESSON:
        return at, Whereabouts(at=at, period=period, reason=period.get_kind_display()), None
    return at, None, period


def student_whereabouts(student: Student, at: dt.datetime | None = None) -> Whereabouts:
    """Where the timetable puts `student` at `at` (default now), with the class and its teacher."""
    at, answer, period = _resolve(at)
    if answer:
        return answer
    slot = _slots_at(at.date(), period).filter(teaching_class__enrolments__student=student).first()
    if slot is None:
        return Whereabouts(at=at, period=period, reason="No lesson on the timetable")
    return Whereabouts(at=at, period=period, slot=slot, teachers=_slot_teachers(slot))


def class_whereabouts(teaching_class: TeachingClass, at: dt.datetime | None = None) -> Whereabouts:
    """Where `teaching_class` meets at `at` (default now) and who teaches it."""
    at, answer, period = _resolve(at)
    if answer:
        return answer
    slot = _slots_at(at.date(), period).filter(teaching_class=teaching_class).first()
    if slot is None:
        return Whereabouts(at=at, period=period, reason="Not meeting now")
    return Whereabouts(at=at, period=period, slot=slot, teachers=_slot_teachers(slot))


def staff_timetable_on(staff: Staff, day: dt.date) -> list[TimetableSlot]:
    """The lessons `staff` teaches on `day`, in order (their own slots and their classes')."""
    cycle_day = cycle_day_on(day)
    if cycle_day is None or not is_school_day(day):
        return []
    return list(
        TimetableSlot.objects.filter(cycle_day=cycle_day)
        .filter(Q(staff=staff) | Q(staff__isnull=True, teaching_class__teacher_links__staff=staff))
        .select_related("teaching_class__subject", "teaching_class__year_group", "room", "period")
        .annotate(students=Count("teaching_class__enrolments", distinct=True))
        .order_by("period__starts_at")
    )


def student_timetable_on(student: Student, day: dt.date) -> list[TimetableSlot]:
    """The student's lessons on `day`, in period order."""
    cycle_day = cycle_day_on(day)
    if cycle_day is None or not is_school_day(day):
        return []
    return list(
        TimetableSlot.objects.filter(
            cycle_day=cycle_day, teaching_class__enrolments__student=student
        )
        .select_related("teaching_class__subject", "room", "period", "staff")
        .prefetch_related(Prefetch("teaching_class__teacher_links", queryset=_teacher_links()))
        .order_by("period__starts_at")
    )


# ---- people -----------------------------------------------------------------------------------


def student_search(query: str = "", *, year: int | None = None, on_roll: bool = True):
    """Students matching a name, UPN or form, in name order."""
    students = Student.objects.select_related("year_group", "form")
    if on_roll:
        students = students.filter(left_on__isnull=True)
    if year:
        students = students.filter(year_group__number=year)
    for word in query.split():
        students = students.filter(
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
            | Q(upn__iexact=word)
            | Q(form__code__iexact=word)
        )
    return students.order_by("legal_last_name", "legal_first_name")


def student_profile(student_id: int) -> Student:
    """One student with year, form, tutor and guardians loaded."""
    from school.models import StudentGuardian

    return (
        Student.objects.select_related("year_group__head_of_year", "form__tutor")
        .prefetch_related(
            Prefetch(
                "guardian_links",
                queryset=StudentGuardian.objects.select_related("guardian").order_by("priority"),
            )
        )
        .get(pk=student_id)
    )


def staff_for_user(user) -> Staff | None:
    if not user or not user.is_authenticated:
        return None
    return Staff.objects.filter(user=user).select_related("department").first()


@dataclass
class YearSummary:
    year_group: YearGroup
    on_roll: int
    sen_support: int
    ehcp: int
    fsm: int
    pupil_premium: int
    eal: int
    looked_after: int


def year_summaries(*, head_of_year: Staff | None = None) -> list[YearSummary]:
    """Students on roll per year group with the counts a head of year watches (one query)."""
    on_roll = Q(students__left_on__isnull=True)
    years = YearGroup.objects.order_by("number")
    if head_of_year is not None:
        years = years.filter(head_of_year=head_of_year)
    years = years.annotate(
        n_on_roll=Count("students", filter=on_roll),
        n_sen=Count("students", filter=on_roll & Q(students__sen_status="K")),
        n_ehcp=Count("students", filter=on_roll & Q(students__sen_status="E")),
        n_fsm=Count("students", filter=on_roll & Q(students__fsm=True)),
        n_pp=Count("students", filter=on_roll & Q(students__pupil_premium=True)),
        n_eal=Count("students", filter=on_roll & Q(students__eal=True)),
        n_cla=Count("students", filter=on_roll & Q(students__looked_after=True)),
    )
    return [
        YearSummary(y, y.n_on_roll, y.n_sen, y.n_ehcp, y.n_fsm, y.n_pp, y.n_eal, y.n_cla)
        for y in years
    ]


def data_status() -> dict:
    """What the data manager checks: how much of the school is loaded and the last import."""
    from school.models import Guardian, ImportRun

    return {
        "students": Student.objects.filter(left_on__isnull=True).count(),
        "left": Student.objects.filter(left_on__isnull=False).count(),
        "staff": Staff.objects.filter(is_active=True).count(),
        "guardians": Guardian.objects.count(),
        "classes": TeachingClass.objects.count(),
        "slots": TimetableSlot.objects.count(),
        "periods": Period.objects.count(),
        "last_import": ImportRun.objects.select_related("started_by").first(),
        "has_calendar": Term.objects.exists(),
    }


def student_by_name_or_upn(text: str) -> list[Student]:
    """Students on roll whose UPN is `text`, or whose full name (preferred or legal) is, ignoring
    case; more than one means the name is shared."""
    text = " ".join(text.split())
    students = Student.objects.filter(left_on__isnull=True).select_related("form", "year_group")
    by_upn = list(students.filter(upn__iexact=text))
    if by_upn:
        return by_upn
    first, _, last = text.rpartition(" ")
    if not first:
        return []
    return list(
        students.filter(
            (Q(preferred_first_name__iexact=first) | Q(legal_first_name__iexact=first))
            & (Q(preferred_last_name__iexact=last) | Q(legal_last_name__iexact=last))
        )
    )
