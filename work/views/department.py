"""A department's work for students out of lessons: the figures and the requests."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from conduct.lib import clock, dates
from school.models import Department
from work import policies
from work.selectors import figures


def work_department(request):
    """Heads of department see their department's; SLT choose any department."""
    if not policies.can_view_department_work(request.user):
        raise PermissionDenied
    allowed = policies.department_ids(request.user)
    departments = list(Department.objects.filter(pk__in=allowed).order_by("name"))
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
        context["figures"] = figures.work_figures(start, end, department=chosen)
        context["by_teacher"] = figures.work_figures_by_teacher(start, end, department=chosen)
        context["requests"] = figures.department_requests(start, end, department=chosen)
    return render(request, "work/work_department.html", context)
