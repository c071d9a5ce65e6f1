"""Corridor sweeps from the patrol phone, and the students they find, for attendance staff."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import ActionRefused, message_of
from conduct.lib.forms import errors_into
from patrol import policies
from patrol.forms import FindingForm, FinishSweepForm
from patrol.models import Sweep, SweepFinding
from patrol.selectors import sweeps as sweeps_selectors
from patrol.services import sweeps as sweeps_services
from patrol.views import home

SWEEP_TAB = "?tab=sweep"


@require_POST
def sweep_start(request):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    tab = reverse("patrol-home") + SWEEP_TAB
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            sweeps_services.sweep_start(by=request.user)
            submission.done(tab)
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or tab)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Sweep started. Record anyone you find out of lessons.")
    return redirect(tab)


@require_POST
def sweep_find(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    if not Sweep.objects.filter(pk=sweep_id).exists():
        raise Http404("No such sweep")
    form = FindingForm(request.POST)
    if form.is_valid():
        tab = reverse("patrol-home") + SWEEP_TAB
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                finding = sweeps_services.sweep_record_finding(
                    sweep_id=sweep_id,
                    by=request.user,
                    student=form.cleaned_data["student"],
                    found_where=form.cleaned_data["found_where"],
                    note=form.cleaned_data["note"],
                )
                submission.done(tab)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or tab)
        except ValidationError as error:
            errors_into(form, error)
        else:
            should = (
                finding.should_be_class.code if finding.should_be_class else finding.should_be_text
            )
            messages.success(
                request,
                f"Recorded {finding.student.name} (should be in {should}). "
                "Attendance staff can see it now.",
            )
            return redirect(tab)
    return home.patrol_home(request, tab="sweep", forms={"finding": form}, status=400)


@require_POST
def sweep_finish(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    if not Sweep.objects.filter(pk=sweep_id).exists():
        raise Http404("No such sweep")
    form = FinishSweepForm(request.POST)
    if form.is_valid():
        try:
            sweeps_services.sweep_finish(
                sweep_id=sweep_id,
                by=request.user,
                rooms=form.cleaned_data["rooms"],
                areas=form.cleaned_data["areas"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Sweep finished.")
            return redirect(reverse("patrol-home") + SWEEP_TAB)
    return home.patrol_home(request, tab="sweep", forms={"finish": form}, status=400)


def found_out_of_lessons(request):
    if not policies.can_view_found_out_of_lessons(request.user):
        raise PermissionDenied
    now = clock.now()
    to_deal_with = list(sweeps_selectors.findings(dealt_with=False))
    dealt_with = list(
        sweeps_selectors.findings(
            dealt_with=True, since=now.date() - dt.timedelta(days=14), limit=50
        )
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="patrol.sweepfinding",
        detail={
            "page": "found out of lessons",
            "to_deal_with": len(to_deal_with),
            "dealt_with": len(dealt_with),
        },
    )
    return render(
        request,
        "patrol/found_out_of_lessons.html",
        {
            "to_deal_with": to_deal_with,
            "dealt_with": dealt_with,
            "can_mark": policies.can_mark_finding_dealt_with(request.user),
        },
    )


@require_POST
def found_out_of_lessons_dealt_with(request, finding_id: int):
    if not policies.can_mark_finding_dealt_with(request.user):
        raise PermissionDenied
    if not SweepFinding.objects.filter(pk=finding_id).exists():
        raise Http404("No such record")
    try:
        finding = sweeps_services.finding_mark_dealt_with(
            finding_id=finding_id, by=request.user, note=request.POST.get("note", "")[:300]
        )
    except ActionRefused as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"{finding.student.name}: marked dealt with.")
    return redirect("found-out-of-lessons")
