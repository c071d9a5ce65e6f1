"""The home page: what each of the signed-in person's roles needs today."""

from django.http import HttpResponse
from django.shortcuts import render

from conduct.roles import Role, roles_of
from sanctions import selectors as sanctions_selectors
from school import selectors


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    roles = roles_of(request.user)
    now = selectors.local_now()
    today = now.date()
    staff = selectors.staff_for_user(request.user)
    cycle_day = selectors.cycle_day_on(today)
    context = {
        "now": now,
        "staff": staff,
        "school": selectors.current_school(),
        "school_day": selectors.is_school_day(today),
        "half_term": selectors.half_term_on(today),
        "week": selectors.week_label(cycle_day),
        "period": selectors.period_at(now.time()),
        "roles": roles,
    }
    if staff and roles & {Role.TEACHER, Role.CURRICULUM, Role.PASTORAL}:
        context["my_lessons"] = selectors.staff_timetable_on(staff, today)
    if staff and Role.PASTORAL in roles:
        context["my_years"] = selectors.year_summaries(head_of_year=staff)
    if roles & {Role.SLT, Role.DSL, Role.CONDUCT, Role.ATTENDANCE}:
        context["school_summary"] = selectors.year_summaries()
    pending = sanctions_selectors.pending_referrals_for(request.user)
    context["pending_referrals"] = pending if roles else None
    if roles & {Role.CONDUCT, Role.SLT}:
        context["rooms_today"] = sanctions_selectors.rooms_today(today)
    if Role.ADMIN in roles:
        context["data_status"] = selectors.data_status()
    return render(request, "home.html", context)
