"""Safeguarding concerns: anyone raises one from a student's page; only the DSL and its author
read it; the DSL records actions and the outcome. Every read is in the audit log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib.errors import ActionRefused
from conduct.lib.forms import errors_into
from pastoral import forms, policies
from pastoral.models import Concern
from pastoral.selectors import concerns as selectors
from pastoral.services import concerns as services
from school.models import Student


def concern_new(request, student_id: int):
    if not policies.can_raise_concerns(request.user):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.select_related("form", "year_group"), pk=student_id)
    if not policies.can_raise_concern(request.user, student):
        raise Http404("No student with that id")
    form = forms.ConcernForm(
        request.POST or None, initial={"came_from": request.GET.get("from", "")[:120]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                concern = services.concern_raise(
                    student=student,
                    what=data["what"],
                    urgent=data["urgent"],
                    came_from=data["came_from"],
                    by=request.user,
                )
                url = reverse("concern-detail", args=[concern.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Your concern has gone to the designated safeguarding lead.")
            return redirect(url)
    return render(request, "pastoral/concern_new.html", {"student": student, "form": form})


def concern_list(request):
    if not policies.can_act_on_concerns(request.user):
        raise PermissionDenied
    concerns = list(selectors.concerns_open_first())
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="pastoral.concern",
        detail={"page": "concerns", "count": len(concerns)},
    )
    return render(request, "pastoral/concern_list.html", {"concerns": concerns})


def _concern_or_404(request, concern_id: int) -> Concern:
    try:
        concern = selectors.concern_get(concern_id)
    except Concern.DoesNotExist:
        raise Http404("No concern with that id") from None
    if not policies.can_read_concern(request.user, concern):
        raise Http404("No concern with that id")
    return concern


def concern_detail(request, concern_id: int):
    concern = _concern_or_404(request, concern_id)
    may_act = policies.can_act_on_concerns(request.user)
    action_form = forms.ConcernActionForm()
    close_form = forms.ConcernCloseForm()
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        doing = request.POST.get("do")
        try:
            if doing == "action":
                action_form = forms.ConcernActionForm(request.POST)
                if action_form.is_valid():
                    services.concern_action_add(
                        concern=concern, text=action_form.cleaned_data["text"], by=request.user
                    )
                    messages.success(request, "Action recorded.")
                    return redirect("concern-detail", concern.pk)
            elif doing == "close":
                close_form = forms.ConcernCloseForm(request.POST)
                if close_form.is_valid():
                    services.concern_close(
                        concern=concern,
                        outcome=close_form.cleaned_data["outcome"],
                        by=request.user,
                    )
                    messages.success(request, "Outcome recorded; the concern is closed.")
                    return redirect("concern-detail", concern.pk)
        except ValidationError as error:
            errors_into(action_form if doing == "action" else close_form, error)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=concern,
        detail={"page": "safeguarding concern", "student": concern.student_id},
    )
    return render(
        request,
        "pastoral/concern_detail.html",
        {
            "concern": concern,
            "student": concern.student,
            "actions": list(concern.actions.select_related("by")),
            "may_act": may_act,
            "action_form": action_form,
            "close_form": close_form,
        },
    )
