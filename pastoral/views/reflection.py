"""The student's locked reflection page: on a room device, under the staff member's session, it
shows only this student's reflection questions; every other address sends the device back here
(conduct.middleware.ReflectionLock) until the staff member gives their password."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.errors import ActionRefused
from pastoral import policies
from pastoral.models import Interview, RestorativeQuestion
from pastoral.selectors import interviews as selectors
from pastoral.services import interviews as services

LOCK_KEY = "reflection_lock"
FAILED_KEY = "reflection_unlock_failed"
# Wrong passwords before the device is signed out (a student guessing).
UNLOCK_TRIES = 5
# Addresses a locked device may still reach.
LOCKED_PREFIXES = ("/reflection/", "/static/")


def locked_interview_id(request) -> int | None:
    session = getattr(request, "session", None)
    if session is None:
        return None
    value = session.get(LOCK_KEY)
    return value if isinstance(value, int) else None


@require_http_methods(["POST"])
def reflection_lock(request, interview_id: int):
    """Hand the device to the student: lock this session to their reflection page."""
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    try:
        interview = selectors.interview_get(interview_id)
    except Interview.DoesNotExist:
        raise Http404("No interview with that id") from None
    student = interview.placement.student
    if not policies.can_hold_interview_with(request.user, student):
        raise Http404("No interview with that id")
    if interview.kind != Interview.Kind.ENTRY or interview.status == Interview.Status.CANCELLED:
        raise Http404("No interview with that id")
    request.session[LOCK_KEY] = interview.pk
    audit_record(
        request=request,
        action=AuditEvent.Action.CHANGE,
        target=interview,
        detail={"page": "reflection locked", "student": student.pk},
    )
    return redirect("reflection")


def reflection(request):
    """The locked page: the student's first name and their questions, nothing else."""
    interview_id = locked_interview_id(request)
    if interview_id is None:
        raise Http404("No reflection in progress on this device")
    interview = selectors.interview_get(interview_id)
    questions = list(
        RestorativeQuestion.objects.filter(
            audience=RestorativeQuestion.Audience.CAUSED_HARM, active=True
        )
    )
    error = ""
    if request.method == "POST" and request.POST.get("do") == "save":
        answers = [(q.text, request.POST.get(f"q{q.pk}", "")[:3000]) for q in questions]
        try:
            services.interview_reflection_save(
                interview=interview, answers=answers, by=request.user
            )
        except (ValidationError, ActionRefused) as refusal:
            error = "; ".join(getattr(refusal, "messages", [str(refusal)]))
        else:
            return render(
                request,
                "pastoral/reflection_locked.html",
                {"student": interview.placement.student, "saved": True},
            )
    return render(
        request,
        "pastoral/reflection_locked.html",
        {"student": interview.placement.student, "questions": questions, "error": error},
    )


@require_http_methods(["POST"])
def reflection_unlock(request):
    """Back to the staff view, only with the signed-in staff member's password; after
    UNLOCK_TRIES wrong ones the device is signed out."""
    interview_id = locked_interview_id(request)
    if interview_id is None:
        return redirect("home")
    if not request.user.check_password(request.POST.get("password", "")):
        audit_record(
            request=request,
            action=AuditEvent.Action.CHANGE,
            object_type="pastoral.interview",
            detail={"page": "reflection unlock refused", "interview": interview_id},
        )
        failed = int(request.session.get(FAILED_KEY, 0)) + 1
        if failed >= UNLOCK_TRIES:
            logout(request)  # the staff member signs in again; nothing was left open
            return redirect("login")
        request.session[FAILED_KEY] = failed
        messages.error(request, "That is not the password of the member of staff signed in.")
        return redirect("reflection")
    del request.session[LOCK_KEY]
    request.session.pop(FAILED_KEY, None)
    return redirect("interview-detail", interview_id)
