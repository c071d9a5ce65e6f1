"""A department's work for students out of lessons: the figures and the requests."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from conduct.lib import clock, dates
from school.selectors import people as school_people
from work import policies, rendering
from work.selectors import figures

LESSONS_A_PAGE = 50


def work_department(request):
    """Heads of department see their department's; SLT choose any department."""
    if not policies.can_view_department_work(request.user):
        raise PermissionDenied
    allowed = policies.department_ids(request.user)
    departments = [d for d in school_people.departments() if d.pk in allowed]
    today = clock.today()
    end = dates.date_from_url(request.GET.get("to"), default=today)
    start = dates.date_from_url(request.GET.get("from"), default=end - dt.timedelta(days=41))
    if start > end:
        start, end = end, start
    chosen = None
    wanted = request.GET.get("department", "")
    if wanted:
        chosen = next((d for d in departments if str(d.pk) == wanted), None)
        if chosen is None:
            raise Http404
    elif departments:
        chosen = departments[0]
    context = {
        "departments": departments,
        "department": chosen,
        "start": start,
        "end": end,
        "may_keep": policies.can_keep_programmes(request.user),
    }
    if chosen is not None:
        whole, by_teacher = figures.department_figures(start, end, department_id=chosen.pk)
        lessons = figures.department_requests(start, end, department_id=chosen.pk, figures=whole)
        page = Paginator(lessons, LESSONS_A_PAGE).get_page(request.GET.get("page"))
        context["figures"] = whole
        context["by_teacher"] = by_teacher
        context["teachers_html"] = rendering.teacher_figures_html(by_teacher)
        context["page"] = page
        context["lessons_html"] = rendering.department_lessons_html(
            figures.department_lesson_rows(page.object_list)
        )
    return render(request, "work/work_department.html", context)
