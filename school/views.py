"""The student list (the student page is in the conduct layer: it draws on every app)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from school import policies
from school.rendering import student_rows_html
from school.selectors import student_list as student_list_selectors


def student_list(request):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    year_number = int(year) if year.isdigit() else None
    students = student_list_selectors.student_list_values(
        request.user, query=query, year=year_number
    )
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    show_sensitive = policies.can_view_student_sensitive(request.user)
    rows = student_list_selectors.student_rows(
        page.object_list, reader=request.user, show_sensitive=show_sensitive
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="school.student",
        detail={
            "page": "student list",
            "query": query[:100],
            "year": year_number,
            "page_number": page.number,
            "students": len(rows),
            "sensitive": show_sensitive,
        },
    )
    context = {
        "page": page,
        "query": query,
        "year": year_number,
        "show_sensitive": show_sensitive,
        "rows_html": student_rows_html(rows, show_sensitive=show_sensitive),
    }
    if request.headers.get("HX-Request"):
        return render(request, "school/_student_rows.html", context)
    context["years"] = student_list_selectors.year_choices()
    return render(request, "school/student_list.html", context)
