"""Restorative meetings: plan one from the exit interview or the student page, then record it
once held (docs/restorative.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import history_of
from audit.services import audit_record
from conduct import submissions
from conduct.lib.errors import ActionRefused, message_of
from conduct.lib.forms import errors_into
from pastoral import forms, policies
from pastoral.models import RestorativeMeeting
from pastoral.selectors import restorative as selectors
from pastoral.services import restorative as services
from sanctions.models import Placement
from school.models import Student


def restorative_new(request, student_id: int):
    """Plan a restorative meeting with `student` (from the exit interview: ?placement=<id>)."""
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.select_related("form", "year_group"), pk=student_id)
    if not policies.can_plan_restorative(request.user, student):
        raise Http404("No student with that id")
    placement = None
    placement_id = request.GET.get("placement", "")
    if placement_id.isdigit():
        placement = (
            Placement.objects.select_related("provision")
            .filter(pk=int(placement_id), student=student)
            .first()
        )
    form = forms.RestorativePlanForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                meeting = services.restorative_meeting_plan(
                    student=student,
                    placement=placement,
                    affected_staff=data["affected_staff"],
                    affected_student=data["affected_student"],
                    starts_at=data["starts_at"],
                    place=data["place"],
                    facilitator=data["facilitator"],
                    level=data["level"],
                    by=request.user,
                )
                url = reverse("restorative-detail", args=[meeting.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as error:
            errors_into(form, error)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Restorative meeting planned.")
            return redirect(url)
    return render(
        request,
        "pastoral/restorative_new.html",
        {"student": student, "placement": placement, "form": form},
    )


def _move_or_cancel(request, meeting: RestorativeMeeting, form):
    """Move or cancel a planned meeting from its page: the redirect when done, None to show the
    form with its errors."""
    if not form.is_valid():
        return None
    try:
        if isinstance(form, forms.RestorativeMoveForm):
            services.restorative_meeting_move(
                meeting=meeting,
                starts_at=form.cleaned_data["starts_at"],
                place=form.cleaned_data["place"],
                by=request.user,
            )
            said = "Restorative meeting moved."
        else:
            services.restorative_meeting_cancel(
                meeting=meeting, reason=form.cleaned_data["reason"], by=request.user
            )
            said = "Restorative meeting cancelled."
    except ActionRefused as refusal:
        # Moved, cancelled or recorded meanwhile: the page as it is now says so.
        messages.error(request, message_of(refusal))
        return redirect("restorative-detail", meeting.pk)
    except ValidationError as error:
        errors_into(form, error)
        return None
    messages.success(request, said)
    return redirect("restorative-detail", meeting.pk)


def restorative_detail(request, meeting_id: int):
    """A restorative meeting: the plan, and the record (a form while it is planned, for those
    who hold interviews with the student). Not found for anyone who may not read it."""
    try:
        meeting = selectors.restorative_meeting_get(meeting_id)
    except RestorativeMeeting.DoesNotExist:
        raise Http404("No meeting with that id") from None
    if not policies.can_read_restorative(request.user, meeting):
        raise Http404("No meeting with that id")
    student = meeting.student
    can_record = policies.can_plan_restorative(request.user, student)
    planned = meeting.status == RestorativeMeeting.Status.PLANNED
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = forms.RestorativeRecordForm(
        request.POST if request.method == "POST" and not action else None
    )
    move_form = forms.RestorativeMoveForm(
        request.POST if action == "move" else None,
        prefix="move",
        initial={"starts_at": meeting.starts_at, "place": meeting.place},
    )
    cancel_form = forms.RestorativeCancelForm(
        request.POST if action == "cancel" else None, prefix="cancel"
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if action in ("move", "cancel"):
            done = _move_or_cancel(request, meeting, move_form if action == "move" else cancel_form)
            if done is not None:
                return done
        if "level" in request.POST:
            level_form = forms.LevelForm(request.POST)
            try:
                if not level_form.is_valid():
                    raise ValidationError({"level": "Choose a level."})
                services.restorative_meeting_level_raise(
                    meeting=meeting, level=level_form.cleaned_data["level"], by=request.user
                )
            except (ActionRefused, ValidationError) as refusal:
                messages.error(request, "; ".join(getattr(refusal, "messages", [str(refusal)])))
            else:
                messages.success(request, "Level raised.")
            if not policies.can_read_restorative(request.user, meeting):
                return redirect("student-detail", student.pk)
            return redirect("restorative-detail", meeting.pk)
        elif planned and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    submission = submissions.claim(request)
                    services.restorative_meeting_record(
                        meeting=meeting,
                        attended=data["attended"],
                        said=data["said"],
                        agreed=data["agreed"],
                        outcome=data["outcome"],
                        by=request.user,
                    )
                    url = reverse("restorative-detail", args=[meeting.pk])
                    submission.done(url)
            except submissions.AlreadySubmitted as first:
                return redirect(first.url)
            except ValidationError as error:
                errors_into(form, error)
            except ActionRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Restorative meeting recorded.")
                return redirect(url)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=meeting,
        detail={"page": "restorative meeting", "student": student.pk},
    )
    return render(
        request,
        "pastoral/restorative_detail.html",
        {
            "meeting": meeting,
            "student": student,
            "form": form,
            "can_record": can_record and planned,
            "can_raise_level": can_record and bool(policies.higher_levels(meeting.level)),
            "move_form": move_form,
            "cancel_form": cancel_form,
            "history": history_of(meeting).select_related("by"),
            "levels": policies.higher_levels(meeting.level),
        },
    )
