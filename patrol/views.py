"""On-call pages: raise a request, the live queue, one request, and the patrol's actions; the
patrol's phone page (visits to make, the watch list with where-now, sweeps), students sent out,
students found out of lessons for attendance, the watch list and drop-ins, and the duty rota."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from conduct.roles import Role, has_role
from patrol import policies, selectors, services
from patrol.forms import (
    AbsenceForm,
    DropInForm,
    DutyForm,
    FindingForm,
    FinishSweepForm,
    RaiseForm,
    ResolveForm,
    ReviewForm,
    SentOutForm,
    VisitForm,
    WatchListForm,
)
from patrol.models import OnCallRequest, OutOfLesson, SentOut, WatchListEntry
from patrol.rendering import event_message, render_request, snapshot_message
from school import selectors as school
from school.models import Room, Student, TeachingClass


def _get_request(request_id: int) -> OnCallRequest:
    try:
        return selectors.on_call_request_get(request_id)
    except OnCallRequest.DoesNotExist:
        raise Http404("No on-call request with that number") from None


# ---- raise ------------------------------------------------------------------------------------


def on_call_raise(request):
    if not policies.can_raise_on_call(request.user):
        raise PermissionDenied
    staff = school.staff_for_user(request.user)
    now = school.local_now()
    lesson = selectors.lesson_now(staff, now=now)
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            on_call = services.on_call_request_raise(
                raised_by=request.user,
                reason=data["reason"],
                urgency=data["urgency"],
                room=data["room"],
                location=data["location"],
                teaching_class=data["teaching_class"],
                period=school.period_at(now.time()) if school.is_school_day(now.date()) else None,
                students=data["students"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Sent. The patrol team can see your call now.")
            return redirect("on-call-detail", on_call.pk)

    # Defaults come from the lesson now; the class can be changed (GET ?teaching_class=) and the
    # class list follows it, with or without JavaScript.
    source = request.POST if request.method == "POST" else request.GET
    teaching_class = _chosen(TeachingClass, source.get("teaching_class"))
    if teaching_class is None and "teaching_class" not in source and lesson:
        teaching_class = lesson.teaching_class
    room = _chosen(Room, source.get("room"))
    if room is None and "room" not in source and lesson:
        room = lesson.room
    classes = list(selectors.classes_for(staff))
    if teaching_class and teaching_class not in classes:
        classes.insert(0, teaching_class)
    context = {
        "form": form,
        "lesson": lesson,
        "now": now,
        "reasons": selectors.on_call_reasons(),
        "urgencies": OnCallRequest.Urgency.choices,
        "urgency": source.get("urgency") or OnCallRequest.Urgency.ROUTINE,
        "rooms": Room.objects.filter(is_active=True).order_by("code"),
        "room": room,
        "location": source.get("location", ""),
        "classes": classes,
        "teaching_class": teaching_class,
        "class_list": selectors.class_list(teaching_class),
        "chosen_students": {int(s) for s in source.getlist("students") if s.isdigit()},
        "note": source.get("note", ""),
        "mine": selectors.on_call_requests_raised_by(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "patrol/raise.html", context, status=status)


def _chosen(model, value):
    if value and str(value).isdigit():
        return model.objects.filter(pk=value).first()
    return None


# ---- the queue --------------------------------------------------------------------------------


def _viewer(request) -> dict:
    return {"me": request.user.pk, "is_slt": has_role(request.user, Role.SLT)}


def on_call_queue(request):
    if not policies.can_answer_on_call(request.user):
        raise PermissionDenied
    services.on_call_escalate_due()  # escalation shows even with no worker running
    snapshot = selectors.on_call_snapshot()
    viewer = _viewer(request)
    return render(
        request,
        "patrol/queue.html",
        {
            "open_cards": [render_request(r, request=request, **viewer) for r in snapshot["open"]],
            "resolved_items": [
                render_request(r, request=request, **viewer) for r in snapshot["resolved"]
            ],
            "on_call": selectors.on_call_staff_now(),
            "is_slt": viewer["is_slt"],
        },
    )


def on_call_queue_json(request):
    """What a client polls when its socket cannot connect: the same snapshot the socket sends."""
    if not policies.can_answer_on_call(request.user):
        raise PermissionDenied
    services.on_call_escalate_due()
    snapshot = selectors.on_call_snapshot()
    return JsonResponse(snapshot_message(snapshot, request=request, **_viewer(request)))


def on_call_detail(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_view_on_call_request(request.user, on_call):
        raise PermissionDenied
    services.on_call_escalate_due()
    on_call = _get_request(request_id)
    return render(
        request,
        "patrol/detail.html",
        {
            "on_call": on_call,
            "r": selectors.request_data(on_call),
            "can_cancel": policies.can_resolve_on_call(
                request.user, on_call, OnCallRequest.Outcome.NOT_NEEDED
            ),
            "can_answer": policies.can_answer_on_call(request.user),
        },
    )


# ---- actions ----------------------------------------------------------------------------------


def _done(request, on_call_id: int, kind: str, error: str = ""):
    """htmx gets the changed card as an event (the socket will send the same); a plain form post
    goes back where it came from with a message."""
    if request.headers.get("HX-Request"):
        message = event_message(
            kind, selectors.on_call_request_data(on_call_id), request=request, **_viewer(request)
        )
        if error:
            message |= {"type": "error", "message": error}
        return JsonResponse(message, status=409 if error else 200)
    if error:
        messages.error(request, error)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("on-call-queue")
    return redirect(next_url)


@require_POST
def on_call_claim(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_claim_on_call(request.user, on_call):
        raise PermissionDenied
    try:
        services.on_call_request_claim(request_id=on_call.pk, user=request.user)
    except services.OnCallError as error:
        return _done(request, on_call.pk, "claimed", error=str(error))
    return _done(request, on_call.pk, "claimed")


@require_POST
def on_call_arrived(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_mark_arrived(request.user, on_call):
        raise PermissionDenied
    try:
        services.on_call_request_mark_arrived(request_id=on_call.pk, user=request.user)
    except services.OnCallError as error:
        return _done(request, on_call.pk, "arrived", error=str(error))
    return _done(request, on_call.pk, "arrived")


@require_POST
def on_call_resolve(request, request_id: int):
    on_call = _get_request(request_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        return _done(request, on_call.pk, "resolved", error="Choose an outcome.")
    outcome = form.cleaned_data["outcome"]
    if not policies.can_resolve_on_call(request.user, on_call, outcome):
        raise PermissionDenied
    # The card lists the students with ticks; an officer who unticks them all removed nobody.
    removed = form.cleaned_data["removed"] if request.POST.get("choose_removed") else None
    try:
        services.on_call_request_resolve(
            request_id=on_call.pk,
            user=request.user,
            outcome=outcome,
            note=form.cleaned_data["note"],
            removed_students=removed,
        )
    except services.OnCallError as error:
        return _done(request, on_call.pk, "resolved", error=str(error))
    except ValidationError as error:
        return _done(request, on_call.pk, "resolved", error=" ".join(error.messages))
    return _done(request, on_call.pk, "resolved")


# ==== patrol: the phone page, sent out, sweeps, watch list, drop-ins, rota ======================


def _at_today(time_value, now):
    """A time typed on a phone, as a moment today; blank means now."""
    if time_value is None:
        return now
    return now.replace(hour=time_value.hour, minute=time_value.minute, second=0, microsecond=0)


def _student_matches(query: str):
    """Students matching a name, UPN or form typed on the page (at most 15)."""
    query = query.strip()
    if len(query) < 2:
        return []
    return list(school.student_search(query)[:15])


def _errors_into(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


TABS = (("visits", "Visits to make"), ("watch", "Watch list"), ("sweep", "Sweep"))


def patrol_home(request, *, tab=None, forms=None, status=200):
    """The patrol's phone page: visits to make, the watch list with where-now, the sweep."""
    if not policies.can_patrol(request.user):
        raise PermissionDenied
    tab = tab or request.GET.get("tab", "visits")
    if tab not in dict(TABS):
        tab = "visits"
    now = school.local_now()
    forms = forms or {}
    context = {"tab": tab, "tabs": TABS, "now": now}
    if tab == "visits":
        context["to_visit"] = selectors.sent_out_to_visit(now=now)
        context["outcomes"] = SentOut.Outcome.choices
        if request.GET.get("part") == "list":
            return render(request, "patrol/_visits.html", context)
        context["visited"] = selectors.sent_out_visited_today(now=now)
        context["visit_errors"] = forms.get("visit_errors", {})
    elif tab == "watch":
        context["watched"] = selectors.watch_list_where_now(now=now)
    else:
        sweep = selectors.sweep_open_for(request.user)
        query = request.GET.get("q", "")
        context |= {
            "sweep": sweep,
            "query": query,
            "matches": _student_matches(query) if sweep else [],
            "finding_form": forms.get("finding") or FindingForm(),
            "finish_form": forms.get("finish") or FinishSweepForm(),
            "sweeps": selectors.sweeps_today(now=now),
        }
        chosen = forms.get("finding")
        if chosen is not None and chosen.data.get("student"):
            context["matches"] = list(
                Student.objects.filter(pk=chosen.data.get("student"), left_on__isnull=True)
            ) + [m for m in context["matches"] if str(m.pk) != chosen.data.get("student")]
    return render(request, "patrol/patrol.html", context, status=status)


def _back(request, default: str):
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = default
    return redirect(next_url)


# ---- students sent out ------------------------------------------------------------------------


def sent_out_new(request):
    """Log a student sent out: the lesson now from the timetable, the class list to choose from;
    the patrol, with no lesson, finds the student by name."""
    if not policies.can_log_sent_out(request.user):
        raise PermissionDenied
    staff = school.staff_for_user(request.user)
    now = school.local_now()
    lesson = selectors.lesson_now(staff, now=now)
    form = SentOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sent_out_log(
                logged_by=request.user,
                student=data["student"],
                reason=data["reason"],
                sent_to=data["sent_to"],
                sent_to_room=data["sent_to_room"],
                sent_to_place=data["sent_to_place"],
                teaching_class=data["teaching_class"],
                from_room=data["from_room"],
                period=school.period_at(now.time()) if school.is_school_day(now.date()) else None,
                sent_at=_at_today(data["sent_time"], now),
                now=now,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(
                request, f"Logged: {data['student'].name} sent out. The patrol will visit."
            )
            return redirect("sent-out-new")
    source = request.POST if request.method == "POST" else request.GET
    teaching_class = _chosen(TeachingClass, source.get("teaching_class"))
    if teaching_class is None and "teaching_class" not in source and lesson:
        teaching_class = lesson.teaching_class
    room = _chosen(Room, source.get("from_room"))
    if room is None and "from_room" not in source and lesson:
        room = lesson.room
    classes = list(selectors.classes_for(staff))
    if teaching_class and teaching_class not in classes:
        classes.insert(0, teaching_class)
    query = source.get("q", "")
    students = selectors.class_list(teaching_class)
    matches = [s for s in _student_matches(query) if s not in students]
    context = {
        "form": form,
        "lesson": lesson,
        "classes": classes,
        "teaching_class": teaching_class,
        "rooms": Room.objects.filter(is_active=True).order_by("code"),
        "room": room,
        "students": students,
        "matches": matches,
        "query": query,
        "chosen_student": source.get("student", ""),
        "destinations": SentOut.Destination.choices,
        "sent_to": source.get("sent_to") or SentOut.Destination.CORRIDOR,
        "mine": selectors.sent_out_logged_by(request.user, now=now),
        "can_patrol": policies.can_patrol(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "patrol/sent_out_new.html", context, status=status)


@require_POST
def sent_out_visit(request, sent_out_id: int):
    if not policies.can_record_visit(request.user):
        raise PermissionDenied
    sent_out = SentOut.objects.filter(pk=sent_out_id).first()
    if sent_out is None:
        raise Http404("No such student sent out")
    form = VisitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what happened.")
        return redirect(f"{reverse('patrol-home')}?tab=visits")
    now = school.local_now()
    try:
        services.sent_out_record_visit(
            sent_out_id=sent_out.pk,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            visited_at=_at_today(form.cleaned_data["visited_time"], now),
            taken_to=form.cleaned_data["taken_to"],
            note=form.cleaned_data["note"],
            now=now,
        )
    except services.OnCallError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        return patrol_home(
            request,
            tab="visits",
            forms={"visit_errors": {sent_out.pk: " ".join(error.messages)}},
            status=400,
        )
    else:
        messages.success(request, f"Visit recorded: {sent_out.student.name}.")
    return redirect(f"{reverse('patrol-home')}?tab=visits")


# ---- sweeps -----------------------------------------------------------------------------------

SWEEP_TAB = "?tab=sweep"


@require_POST
def sweep_start(request):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    try:
        services.sweep_start(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Sweep started. Record anyone you find out of lessons.")
    return redirect(reverse("patrol-home") + SWEEP_TAB)


@require_POST
def sweep_find(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            finding = services.sweep_record_finding(
                sweep_id=sweep_id,
                user=request.user,
                student=form.cleaned_data["student"],
                found_where=form.cleaned_data["found_where"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            should = (
                finding.should_be_class.code if finding.should_be_class else finding.should_be_text
            )
            messages.success(
                request,
                f"Recorded {finding.student.name} (should be in {should}). "
                "Attendance staff can see it now.",
            )
            return redirect(reverse("patrol-home") + SWEEP_TAB)
    return patrol_home(request, tab="sweep", forms={"finding": form}, status=400)


@require_POST
def sweep_finish(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    form = FinishSweepForm(request.POST)
    if form.is_valid():
        try:
            services.sweep_finish(
                sweep_id=sweep_id,
                user=request.user,
                rooms=form.cleaned_data["rooms"],
                areas=form.cleaned_data["areas"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, "Sweep finished.")
            return redirect(reverse("patrol-home") + SWEEP_TAB)
    return patrol_home(request, tab="sweep", forms={"finish": form}, status=400)


# ---- students found out of lessons (attendance) -----------------------------------------------


def out_of_lessons(request):
    if not policies.can_view_out_of_lessons(request.user):
        raise PermissionDenied
    now = school.local_now()
    return render(
        request,
        "patrol/out_of_lessons.html",
        {
            "to_deal_with": selectors.out_of_lessons(dealt_with=False),
            "dealt_with": selectors.out_of_lessons(
                dealt_with=True, since=now.date() - dt.timedelta(days=14), limit=50
            ),
            "can_mark": policies.can_mark_dealt_with(request.user),
        },
    )


@require_POST
def out_of_lesson_dealt_with(request, finding_id: int):
    if not policies.can_mark_dealt_with(request.user):
        raise PermissionDenied
    if not OutOfLesson.objects.filter(pk=finding_id).exists():
        raise Http404("No such record")
    try:
        finding = services.out_of_lesson_mark_dealt_with(
            finding_id=finding_id, user=request.user, note=request.POST.get("note", "")[:300]
        )
    except services.OnCallError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{finding.student.name}: marked dealt with.")
    return redirect("out-of-lessons")


# ---- the watch list and drop-ins --------------------------------------------------------------


def watch_list(request):
    """The watch list: pastoral staff add students and read the drop-ins."""
    if not policies.can_view_watch_list(request.user):
        raise PermissionDenied
    can_keep = policies.can_keep_watch_list(request.user)
    staff = school.staff_for_user(request.user)
    now = school.local_now()
    form = None
    if can_keep:
        initial = {
            "requested_by": staff,
            "review_on": now.date() + dt.timedelta(weeks=3),
        }
        form = WatchListForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.watch_list_add(
                    added_by=request.user,
                    student=data["student"],
                    reason=data["reason"],
                    review_on=data["review_on"],
                    requested_by=data["requested_by"],
                    now=now,
                )
            except ValidationError as error:
                _errors_into(form, error)
            else:
                messages.success(
                    request, f"{data['student'].name} is on the watch list. The patrol sees it now."
                )
                return redirect("watch-list")
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "")
    matches = _student_matches(query)
    chosen = _chosen(Student, source.get("student"))
    if chosen and chosen not in matches:
        matches.insert(0, chosen)
    mine = request.GET.get("mine") == "1"
    watched = selectors.watch_list(today=now.date(), requested_by=staff if mine else None)
    return render(
        request,
        "patrol/watch_list.html",
        {
            "form": form,
            "query": query,
            "matches": matches,
            "chosen_student": source.get("student", ""),
            "watched": watched,
            "due": sum(1 for w in watched if w.due_for_review),
            "mine": mine,
            "me": staff,
            "can_keep": can_keep,
            "staff_choices": selectors.staff_for_rota(),
            "today": now.date(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def watch_list_review(request, entry_id: int):
    if not policies.can_keep_watch_list(request.user):
        raise PermissionDenied
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the new review date.")
        return redirect("watch-list")
    try:
        entry = services.watch_list_review(
            entry_id=entry_id, user=request.user, review_on=form.cleaned_data["review_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{entry.student.name}: next review {entry.review_on:%d/%m/%Y}.")
    return redirect("watch-list")


@require_POST
def watch_list_end(request, entry_id: int):
    if not policies.can_keep_watch_list(request.user):
        raise PermissionDenied
    try:
        entry = services.watch_list_end(entry_id=entry_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{entry.student.name} is off the watch list.")
    return redirect("watch-list")


def drop_in_new(request, entry_id: int):
    """Record a drop-in on a watched student, from the patrol phone."""
    if not policies.can_record_drop_in(request.user):
        raise PermissionDenied
    try:
        entry = selectors.watch_entry_get(entry_id)
    except WatchListEntry.DoesNotExist:
        raise Http404("Not on the watch list") from None
    now = school.local_now()
    form = DropInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.drop_in_record(
                entry_id=entry.pk,
                by=request.user,
                engagement=form.cleaned_data["engagement"],
                note=form.cleaned_data["note"],
                at=_at_today(form.cleaned_data["time"], now),
                now=now,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, f"Drop-in on {entry.student.name} recorded.")
            return redirect(f"{reverse('patrol-home')}?tab=watch")
    where = selectors.whereabouts_of([entry.student_id], now)[entry.student_id]
    watched = selectors.Watched(
        entry=entry,
        due_for_review=entry.review_on <= now.date(),
        where=where,
        in_provision=selectors.provision_today([entry.student_id], now.date()).get(
            entry.student_id, ""
        ),
    )
    return render(
        request,
        "patrol/drop_in.html",
        {"w": watched, "form": form, "ended": entry.ended_at is not None},
        status=400 if request.method == "POST" else 200,
    )


# ---- the duty rota ----------------------------------------------------------------------------


def _week_from(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return selectors.monday_of(day)


def rota(request, *, duty_form=None, absence_form=None, status=200):
    """The week's duties, periods down and days across, with the coverage check."""
    if not policies.can_view_rota(request.user):
        raise PermissionDenied
    today = school.local_now().date()
    source = request.POST if request.method == "POST" else request.GET
    monday = _week_from(source.get("week"), today)
    week = selectors.rota_week(monday)
    can_manage = policies.can_manage_rota(request.user)
    default_day = today if monday <= today <= monday + dt.timedelta(days=4) else monday
    return render(
        request,
        "patrol/rota.html",
        {
            "week": week,
            "today": today,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "can_manage": can_manage,
            "duty_form": duty_form
            or (DutyForm(initial={"date": default_day}) if can_manage else None),
            "absence_form": absence_form
            or (
                AbsenceForm(initial={"starts_on": default_day, "ends_on": default_day})
                if can_manage
                else None
            ),
            "me": school.staff_for_user(request.user),
        },
        status=status,
    )


def _rota_back(request):
    week = request.POST.get("week", "")
    return redirect(f"{reverse('rota')}?week={week}" if week else reverse("rota"))


@require_POST
def duty_add(request):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    form = DutyForm(request.POST)
    if form.is_valid():
        try:
            duty = services.duty_add(added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(
                request,
                f"{duty.staff.display_name}: {duty.get_kind_display()}, "
                f"{duty.date:%a %-d %b} {duty.period.name}.",
            )
            return _rota_back(request)
    return rota(request, duty_form=form, status=400)


@require_POST
def duty_remove(request, duty_id: int):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    try:
        services.duty_remove(duty_id=duty_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Duty removed.")
    return _rota_back(request)


@require_POST
def absence_add(request):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence = services.staff_absence_add(added_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, f"{absence.staff.display_name} recorded away.")
            return _rota_back(request)
    return rota(request, absence_form=form, status=400)


@require_POST
def absence_remove(request, absence_id: int):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    try:
        services.staff_absence_remove(absence_id=absence_id, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Absence removed.")
    return _rota_back(request)
