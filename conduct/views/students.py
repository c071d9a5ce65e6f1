"""A student's page: who they are, where they should be now, and their whole history."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import timeline
from conduct.lib import clock
from school import policies
from school.models import Student
from school.selectors import people as school_people
from school.selectors import timetable as school_timetable
from work.selectors import figures as work_figures


def student_detail(request, student_id: int):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    try:
        student = school_people.student_profile(student_id)
    except Student.DoesNotExist:
        raise Http404("No student with that id") from None
    if not policies.can_view_student(request.user, student):
        raise Http404("No student with that id")
    show_sensitive = policies.can_view_student_sensitive(request.user, student)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=student,
        detail={"page": "student profile", "sensitive": show_sensitive},
    )
    now = clock.now()
    return render(
        request,
        "conduct/student_detail.html",
        {
            "student": student,
            "show_sensitive": show_sensitive,
            "whereabouts": school_timetable.student_whereabouts(student, now),
            "lessons_today": school_timetable.student_timetable_on(student, now.date()),
            "timeline": (
                timeline.student_timeline(student, viewer=request.user) if show_sensitive else None
            ),
            # The work for the lessons they missed in a room, the last twelve months.
            "work_figures": (
                work_figures.work_figures(
                    now.date() - dt.timedelta(days=365), now.date(), student=student
                )
                if show_sensitive
                else None
            ),
        },
    )
