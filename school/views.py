"""Student list and profile."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from sanctions import selectors as sanctions_selectors
from school import policies, selectors
from school.models import Student, YearGroup


def student_list(request):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    year_number = int(year) if year.isdigit() else None
    students = selectors.student_search(query, year=year_number)
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    template = "school/_student_rows.html" if request.headers.get("HX-Request") else None
    return render(
        request,
        template or "school/student_list.html",
        {
            "page": page,
            "query": query,
            "year": year_number,
            "years": YearGroup.objects.order_by("number"),
            "show_sensitive": policies.can_view_student_sensitive(request.user),
        },
    )


def student_detail(request, student_id: int):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    try:
        student = selectors.student_profile(student_id)
    except Student.DoesNotExist:
        raise Http404("No student with that id") from None
    show_sensitive = policies.can_view_student_sensitive(request.user)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=student,
        detail={"page": "student profile", "sensitive": show_sensitive},
    )
    now = selectors.local_now()
    return render(
        request,
        "school/student_detail.html",
        {
            "student": student,
            "show_sensitive": show_sensitive,
            "whereabouts": selectors.student_whereabouts(student, now),
            "lessons_today": selectors.student_timetable_on(student, now.date()),
            "timeline": sanctions_selectors.student_timeline(student) if show_sensitive else None,
        },
    )
