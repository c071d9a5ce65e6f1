"""The home page: what each of the signed-in person's roles needs today."""

from django.http import HttpResponse
from django.shortcuts import render

from conduct.lib import clock
from conduct.roles import roles_of
from sanctions import policies as sanctions_policies
from sanctions.selectors import referrals as referral_selectors
from sanctions.selectors import register as register_selectors
from school import policies
from school.selectors import calendar as school_calendar
from school.selectors import people as school_people
from school.selectors import timetable as school_timetable


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    user = request.user
    now = clock.now()
    today = now.date()
    staff = school_people.staff_for_user(user)
    cycle_day = school_calendar.cycle_day_on(today)
    context = {
        "now": now,
        "staff": staff,
        "school": school_calendar.current_school(),
        "school_day": school_calendar.is_school_day(today),
        "half_term": school_calendar.half_term_on(today),
        "week": school_calendar.week_label(cycle_day),
        "period": school_calendar.period_at(now.time()),
        "has_role": bool(roles_of(user)),
    }
    if staff and policies.can_see_own_lessons(user):
        context["my_lessons"] = school_timetable.staff_timetable_on(staff, today)
    if staff and policies.can_see_own_years(user):
        context["my_years"] = school_people.year_summaries(
            year_ids=policies.pastoral_year_ids(user)
        )
    if policies.can_see_school_summary(user):
        context["school_summary"] = school_people.year_summaries()
    context["pending_referrals"] = referral_selectors.pending_referrals_for(user)
    if sanctions_policies.can_view_rooms(user):
        context["rooms_today"] = register_selectors.rooms_today(today)
    if policies.can_see_data_status(user):
        context["data_status"] = school_people.data_status()
    return render(request, "home.html", context)
