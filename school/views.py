"""The student list (the student page is in the conduct layer: it draws on every app)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.urls import url_maker
from school import policies
from school.models import YearGroup
from school.rendering import student_rows_html
from school.selectors import people as school_people


def student_list(request):
    if not policies.can_view_students(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    year_number = int(year) if year.isdigit() else None
    students = policies.students_in_scope(
        request.user, school_people.student_search(query, year=year_number)
    )
    page = Paginator(students, 50).get_page(request.GET.get("page"))
    show_sensitive = policies.can_view_student_sensitive(request.user)
    student_url = url_maker("student-detail")  # reversed once, not once a row
    for student in page.object_list:
        student.url = student_url(student.pk)
        # A head of year who also teaches sees every student, and the needs of their years'.
        student.show_flags = show_sensitive and policies.can_view_student_sensitive(
            request.user, student
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
            "students": len(page.object_list),
            "sensitive": show_sensitive,
        },
    )
    template = "school/_student_rows.html" if request.headers.get("HX-Request") else None
    return render(
        request,
        template or "school/student_list.html",
        {
            "page": page,
            "query": query,
            "year": year_number,
            "years": YearGroup.objects.order_by("number"),
            "show_sensitive": show_sensitive,
            "rows_html": student_rows_html(page.object_list, show_sensitive=show_sensitive),
        },
    )
