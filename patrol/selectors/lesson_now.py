"""The lesson a teacher is in now, from the timetable, the classes they teach and a class's
list: the raise page's and the sent-out page's defaults."""

import datetime as dt

from django.db.models import QuerySet

from conduct.lib import clock
from school.models import Period, Staff, Student, TeachingClass, TimetableSlot
from school.selectors import calendar as school_calendar
from school.selectors import timetable as school_timetable


def period_now(now: dt.datetime) -> Period | None:
    return school_calendar.period_at(clock.local(now).time())


def school_period_now(now: dt.datetime) -> Period | None:
    """The period running now on a school day; None at weekends and in holidays."""
    now = clock.local(now)
    return (
        school_calendar.period_at(now.time()) if school_calendar.is_school_day(now.date()) else None
    )


def lesson_now(staff: Staff | None, *, now: dt.datetime | None = None) -> TimetableSlot | None:
    """The lesson `staff` is teaching now, from the timetable, if any."""
    if staff is None:
        return None
    now = clock.local(now or clock.now())
    period = period_now(now)
    if period is None:
        return None
    for slot in school_timetable.staff_timetable_on(staff, now.date()):
        if slot.period_id == period.pk:
            return slot
    return None


def classes_for(staff: Staff | None) -> QuerySet[TeachingClass]:
    """The classes `staff` teaches, for the raise page's class choice."""
    if staff is None:
        return TeachingClass.objects.none()
    return TeachingClass.objects.filter(teacher_links__staff=staff).distinct().order_by("code")


def class_list(teaching_class: TeachingClass | None) -> list[Student]:
    """The students on roll in a class, by surname."""
    if teaching_class is None:
        return []
    return list(
        Student.objects.filter(enrolments__teaching_class=teaching_class, left_on__isnull=True)
        .select_related("form")
        .order_by("legal_last_name", "legal_first_name")
    )
