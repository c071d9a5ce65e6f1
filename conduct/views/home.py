"""The home page: what each of the signed-in person's roles needs today."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from conduct import navigation, rendering
from conduct.lib import clock
from conduct.lib.lists import FIRST, FirstItems, first_of
from conduct.roles import roles_of
from pastoral import policies as pastoral_policies
from pastoral.selectors import interventions as pastoral_interventions
from pastoral.selectors import interviews as pastoral_interviews
from pastoral.selectors import reviews as pastoral_reviews
from patrol import policies as patrol_policies
from patrol.selectors import sent_out as sent_out_selectors
from sanctions import policies as sanctions_policies
from sanctions.rendering import referral_table_html
from sanctions.selectors import coming_days
from sanctions.selectors import referrals as referral_selectors
from sanctions.selectors import register as register_selectors
from school import policies
from school.selectors import calendar as school_calendar
from school.selectors import people as school_people
from school.selectors import timetable as school_timetable
from work import policies as work_policies
from work.selectors import figures as work_figures
from work.selectors import requests as work_selectors


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    user = request.user
    now = clock.now()
    today = now.date()
    staff = school_people.staff_for_user(user)
    school = school_calendar.current_school()
    cycle_day = school_calendar.cycle_day_on(today, school)
    half_term = school_calendar.half_term_on(today)
    context = {
        "now": now,
        "staff": staff,
        "school": school,
        "school_day": school_calendar.is_school_day(today),
        "half_term": half_term,
        "week": school_calendar.week_label(cycle_day, school),
        "period": school_calendar.period_at(now.time()),
        "has_role": bool(roles_of(user)),
    }
    if staff and policies.can_see_own_lessons(user):
        context["my_lessons"] = school_timetable.staff_lessons_on(
            staff, today, cycle_day=cycle_day, school_day=context["school_day"]
        )
        period = context["period"]
        context["my_lessons_html"] = rendering.my_lessons_html(
            context["my_lessons"], period_id=period.pk if period else None
        )
    if staff and work_policies.can_set_work(user):
        context["work_to_set"] = work_selectors.requests_to_set_count(staff, today)
    if staff and policies.can_see_own_years(user):
        context["my_years"] = school_people.year_summaries(
            year_ids=policies.pastoral_year_ids(user)
        )
        context["my_years_html"] = rendering.year_table_html(
            context["my_years"], caption="Your year groups"
        )
    if policies.can_see_school_summary(user):
        context["school_summary"] = school_people.year_summaries()
        context["school_summary_html"] = rendering.year_table_html(
            context["school_summary"], caption="Students on roll by year group"
        )
    pending = referral_selectors.pending_referrals(
        user, others=sanctions_policies.can_view_pending_referrals(user)
    )
    context["pending_referrals"] = pending.yours
    context["pending_referrals_html"] = referral_table_html(
        pending.yours, caption="Referrals waiting for your decision", empty=""
    )
    context.update(_to_do(user, now, half_term, pending))
    booked = context.pop("rooms_booked", None)
    if sanctions_policies.can_view_rooms(user):
        if booked is None:
            booked = coming_days.booked_on(today)
        context["rooms_today_html"] = rendering.rooms_today_html(
            register_selectors.rooms_today(booked=booked)
        )
    if policies.can_see_data_status(user):
        context["data_status"] = school_people.data_status()
    # The page's body is written in Python (`conduct.rendering.home_html`), asking the same
    # `may` flags the layout's template asks.
    context["content"] = rendering.home_html(context, may=navigation.navigation(request)["may"])
    return render(request, "home.html", context)


def _to_do(user, now, half_term, pending: referral_selectors.PendingReferrals) -> dict:
    """The officer's to-do list, each part only for those whose work it is: referrals waiting
    for others (to plan the room), students arriving today, interviews to do, family letters
    to check for today's and the next school day's placements, lessons with no work yet, and
    visits to make. A long list shows its first few (`first_of`) and links to the rest; each
    panel is written by `conduct.rendering`."""
    today = now.date()
    found: dict = {}
    coming = [today]
    next_school_day = None
    if sanctions_policies.can_check_family_letters(user) or work_policies.can_chase_work(user):
        next_day = school_calendar.school_days_from(today + dt.timedelta(days=1), 1)
        coming += next_day
        next_school_day = next_day[0] if next_day else None
    if sanctions_policies.can_view_pending_referrals(user):
        found["waiting_on_others"] = rendering.waiting_on_others_panel(first_of(pending.others))
    # The students in a room today and the next school day, read once for the lists below.
    rows = None
    if (
        sanctions_policies.can_run_rooms(user)
        or pastoral_policies.can_contact_families(user)
        or sanctions_policies.can_check_family_letters(user)
    ):
        rows = coming_days.placement_days_on(coming)
        found["rooms_booked"] = coming_days.booked_by_room(rows, today)
    if sanctions_policies.can_run_rooms(user):
        found["arriving_today"] = rendering.arriving_today_panel(
            coming_days.arrivals(rows or [], today), user=user
        )
    if pastoral_policies.can_hold_interviews(user):
        found["interviews_to_do"] = rendering.interviews_to_do_panel(
            pastoral_interviews.interviews_to_do(today=today, viewer=user, first=FIRST), user=user
        )
    messages = (
        coming_days.parent_messages(rows, coming)
        if rows
        and (
            pastoral_policies.can_contact_families(user)
            or sanctions_policies.can_check_family_letters(user)
        )
        else {}
    )
    if pastoral_policies.can_contact_families(user):
        not_told = [
            item
            for item in coming_days.families_not_told(rows or [], messages, today)
            if pastoral_policies.can_log_family_call_in_year(user, item.row.year_group_id)
        ]
        found["families_not_told"] = rendering.families_not_told_panel(
            first_of(not_told), user=user
        )
    if pastoral_policies.can_see_review_tasks(user):
        found["review_tasks"] = rendering.review_tasks_panel(
            pastoral_reviews.review_tasks_to_do(user)
        )
    if pastoral_policies.can_own_interventions(user):
        found["reviews_due"] = rendering.reviews_due_panel(
            pastoral_interventions.reviews_due(owner=user, today=today), today=today
        )
    if sanctions_policies.can_check_family_letters(user):
        found["letters_to_check"] = rendering.letters_to_check_panel(
            first_of(coming_days.family_letters_to_check(rows or [], messages)),
            user=user,
            today=today,
            next_day=next_school_day,
        )
    if work_policies.can_chase_work(user):
        head = work_selectors.first_requests_without_work(coming)
        found["lessons_without_work"] = rendering.lessons_without_work_panel(
            FirstItems(work_selectors.lessons_without_work(head.items), head.total),
            user=user,
            today=today,
        )
        found["work_figures_from"] = half_term.starts_on if half_term else today - dt.timedelta(30)
        found["work_figures"] = work_figures.work_figures(found["work_figures_from"], today)
    if patrol_policies.can_patrol(user):
        found["visits_to_make"] = sent_out_selectors.visits_to_make(now=now)
        found["visits_to_make_html"] = rendering.visits_to_make_html(found["visits_to_make"])
    return found


def _coming_days(today) -> list:
    """Today and the next school day: the days the officer's lists look at."""
    return [today, *school_calendar.school_days_from(today + dt.timedelta(days=1), 1)]


def interviews_to_do_list(request):
    """Every interview to do that is due (the home page shows the first few)."""
    if not pastoral_policies.can_hold_interviews(request.user):
        raise PermissionDenied
    today = clock.today()
    rows = pastoral_interviews.interviews_to_do(today=today, viewer=request.user)
    return render(
        request,
        "conduct/to_do_list.html",
        {
            "section": "interviews",
            "interviews_to_do": rows,
            "interviews_to_do_html": rendering.interviews_to_do_html(rows, user=request.user),
        },
    )


def lessons_without_work_list(request):
    """Every lesson missed today and the next school day that has no work yet (the home page
    shows the first few)."""
    if not work_policies.can_chase_work(request.user):
        raise PermissionDenied
    today = clock.today()
    rows = work_selectors.lessons_without_work(
        work_selectors.requests_without_work(_coming_days(today))
    )
    return render(
        request,
        "conduct/to_do_list.html",
        {
            "section": "work",
            "lessons_without_work": rows,
            "lessons_without_work_html": rendering.lessons_without_work_html(
                rows, user=request.user, today=today
            ),
        },
    )
