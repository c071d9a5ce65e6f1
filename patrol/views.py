"""On-call pages: raise a request, the live queue, one request, and the patrol's actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from conduct.roles import Role, has_role
from patrol import policies, selectors, services
from patrol.forms import RaiseForm, ResolveForm
from patrol.models import OnCallRequest
from patrol.rendering import event_message, render_request, snapshot_message
from school import selectors as school
from school.models import Room, TeachingClass


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
