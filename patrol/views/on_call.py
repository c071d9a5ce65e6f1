"""On-call pages: raise a request, the live queue, one request, and the patrol's actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import ActionRefused, message_of
from pastoral import policies as pastoral_policies
from pastoral.models import Level
from pastoral.policies import note_readable
from patrol import policies
from patrol.forms import RaiseForm, ResolveForm
from patrol.models import OnCallRequest
from patrol.rendering import event_message, render_request, snapshot_message
from patrol.selectors import lesson_now
from patrol.selectors import on_call as on_call_selectors
from patrol.services import on_call as on_call_services
from patrol.views import inputs
from school.selectors import people as school_people


def _get_request(request_id: int) -> OnCallRequest:
    try:
        return on_call_selectors.on_call_request_get(request_id)
    except OnCallRequest.DoesNotExist:
        raise Http404("No on-call request with that number") from None


def _audit_queue_read(request, snapshot: dict, page: str) -> None:
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="patrol.oncallrequest",
        detail={"page": page, "open": len(snapshot["open"]), "resolved": len(snapshot["resolved"])},
    )


def on_call_raise(request):
    if not policies.can_raise_on_call(request.user):
        raise PermissionDenied
    staff = school_people.staff_for_user(request.user)
    now = clock.now()
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                on_call = on_call_services.on_call_request_raise(
                    by=request.user,
                    reason=data["reason"],
                    urgency=data["urgency"],
                    room=data["room"],
                    location=data["location"],
                    teaching_class=data["teaching_class"],
                    period=lesson_now.school_period_now(now),
                    students=data["students"],
                    note=data["note"],
                )
                submission.done(reverse("on-call-detail", args=[on_call.pk]))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or "on-call-raise")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Sent. The patrol team can see your call now.")
            return redirect("on-call-detail", on_call.pk)

    source = request.POST if request.method == "POST" else request.GET
    choice = inputs.lesson_choice(request, staff, room_field="room", now=now)
    context = {
        "form": form,
        "lesson": choice.lesson,
        "now": now,
        "reasons": on_call_selectors.reason_buttons(),
        "urgencies": OnCallRequest.Urgency.choices,
        "urgency": source.get("urgency") or OnCallRequest.Urgency.ROUTINE,
        "room_options": choice.room_options,
        "room": choice.room,
        "location": source.get("location", ""),
        "classes": choice.classes,
        "teaching_class": choice.teaching_class,
        "class_list": choice.class_list,
        "chosen_students": {inputs.row_id(s) for s in source.getlist("students")} - {None},
        "note": source.get("note", ""),
        "mine": on_call_selectors.recent_calls_of(request.user),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "patrol/raise.html", context, status=status)


def on_call_queue(request):
    if not policies.can_answer_on_call(request.user):
        raise PermissionDenied
    on_call_services.on_call_escalate_due()  # escalation shows even with no worker running
    snapshot = on_call_selectors.on_call_snapshot()
    _audit_queue_read(request, snapshot, "on-call queue")
    user = request.user
    return render(
        request,
        "patrol/queue.html",
        {
            "open_cards": [render_request(r, user=user, request=request) for r in snapshot["open"]],
            "resolved_items": [
                render_request(r, user=user, request=request) for r in snapshot["resolved"]
            ],
            "on_call": on_call_selectors.on_call_staff_now(),
            "next_tier": policies.is_next_tier(user),
        },
    )


def on_call_queue_json(request):
    """What a client polls when its socket cannot connect: the same snapshot the socket sends."""
    if not policies.can_answer_on_call(request.user):
        raise PermissionDenied
    on_call_services.on_call_escalate_due()
    snapshot = on_call_selectors.on_call_snapshot()
    _audit_queue_read(request, snapshot, "on-call queue json")
    return JsonResponse(snapshot_message(snapshot, user=request.user, request=request))


def on_call_detail(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_view_on_call_request(request.user, on_call):
        raise PermissionDenied
    if request_id in on_call_services.on_call_escalate_due():
        # Moved to SLT on call just now: shown as it is now. Otherwise the request read above
        # is what the page shows (read again, it cost as much as the rest of the page).
        on_call = _get_request(request_id)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=on_call,
        detail={"page": "on-call request", "students": [s.pk for s in on_call.students.all()]},
    )
    return render(
        request,
        "patrol/detail.html",
        {
            "on_call": on_call,
            "r": on_call_selectors.request_data(on_call),
            "may_cancel": OnCallRequest.Outcome.NOT_NEEDED
            in policies.resolvable_outcomes(request.user, on_call),
            "can_answer": policies.can_answer_on_call(request.user),
            "outcome_note": on_call.outcome_note
            if on_call.outcome_note and note_readable(request.user, on_call)
            else "",
            "raise_levels": _raise_levels(request.user, on_call),
            # The students a discussion may be recorded with from here (pastoral staff: their
            # years'; the discussion page answers 404 for another's).
            "record_with": {
                s.pk
                for s in on_call.students.all()
                if pastoral_policies.can_record_discussion_with(request.user, s)
            },
        },
    )


def _raise_levels(user, on_call: OnCallRequest) -> list[tuple[str, str]]:
    """The higher levels `user` may raise the outcome note to, or none."""
    if not on_call.outcome_note or not note_readable(user, on_call):
        return []
    student, level, author_id = on_call.level_subject()
    if student is None or not pastoral_policies.can_raise_level(
        user, student=student, level=level, author_id=author_id
    ):
        return []
    return pastoral_policies.higher_levels(level)


@require_POST
def on_call_note_level(request, request_id: int):
    """Raise the level of an on-call outcome note (POST), for its author or the pastoral team
    while they may read it; only to a higher level."""
    on_call = _get_request(request_id)
    if not policies.can_view_on_call_request(request.user, on_call):
        raise PermissionDenied
    if not _raise_levels(request.user, on_call):
        raise PermissionDenied
    try:
        on_call_services.on_call_note_level_raise(
            request=on_call, level=request.POST.get("level", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(
            request,
            f"Level of the outcome note raised to {on_call.get_outcome_level_display().lower()}.",
        )
    return redirect("on-call-detail", on_call.pk)


def _done(request, on_call_id: int, kind: str, error: str = ""):
    """htmx gets the changed card as an event (the socket will send the same); a plain form post
    goes back where it came from with a message."""
    if request.headers.get("HX-Request"):
        message = event_message(
            kind,
            on_call_selectors.on_call_request_data(on_call_id),
            user=request.user,
            request=request,
        )
        if error:
            message |= {"type": "error", "message": error}
        return JsonResponse(message, status=409 if error else 200)
    if error:
        messages.error(request, error)
    next_url = request.POST.get("next", "")
    # A path of this site only: redirect() would take a bare word for a URL name (a 500).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}
    ):
        next_url = reverse("on-call-queue")
    return redirect(next_url)


@require_POST
def on_call_claim(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_claim_on_call(request.user, on_call):
        raise PermissionDenied
    try:
        on_call_services.on_call_request_claim(request_id=on_call.pk, by=request.user)
    except ActionRefused as error:
        return _done(request, on_call.pk, "claimed", error=message_of(error))
    return _done(request, on_call.pk, "claimed")


@require_POST
def on_call_arrived(request, request_id: int):
    on_call = _get_request(request_id)
    if not policies.can_mark_arrived(request.user, on_call):
        raise PermissionDenied
    try:
        on_call_services.on_call_request_mark_arrived(request_id=on_call.pk, by=request.user)
    except ActionRefused as error:
        return _done(request, on_call.pk, "arrived", error=message_of(error))
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
        on_call_services.on_call_request_resolve(
            request_id=on_call.pk,
            by=request.user,
            outcome=outcome,
            note=form.cleaned_data["note"],
            level=form.cleaned_data.get("level") or Level.STAFF,
            removed_students=removed,
        )
    except ActionRefused as error:
        return _done(request, on_call.pk, "resolved", error=message_of(error))
    except ValidationError as error:
        return _done(request, on_call.pk, "resolved", error=message_of(error))
    return _done(request, on_call.pk, "resolved")
