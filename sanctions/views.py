"""Referral, decision and register pages."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from audit.models import AuditEvent
from audit.services import audit_record
from sanctions import forms, policies, selectors, services
from sanctions.models import Provision, Referral
from school import policies as school_policies
from school.models import Room, Student
from school.selectors import local_now, staff_for_user


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def referral_new(request, student_id: int):
    if not policies.can_refer(request.user):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.select_related("form", "year_group"), pk=student_id)
    staff = staff_for_user(request.user)
    if staff is None:
        raise PermissionDenied("Only staff with a staff record can refer.")
    now = local_now()
    form = forms.ReferralForm(
        request.POST or None,
        initial={
            "occurred_at": now.replace(second=0, microsecond=0, tzinfo=None),
            "provision": Provision.objects.filter(kind=Provision.Kind.INTERNAL_EXCLUSION).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                incident = services.incident_record(
                    occurred_at=data["occurred_at"],
                    reason=data["reason"],
                    description=data["description"],
                    reported_by=staff,
                    recorded_by=request.user,
                    students=[(student, data["part"])],
                    room=data["room"],
                    location=data["location"],
                )
                referral = services.referral_create(
                    student=student,
                    provision=data["provision"],
                    days=data["days"],
                    requested_by=request.user,
                    incident=incident,
                    note=data["note"],
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if referral.status == Referral.Status.APPROVED:
                placement = referral.placements.first()
                when = f" from {placement.starts_on:%A %d %B}" if placement else ""
                messages.success(
                    request, f"{student.name} is booked into {referral.provision}{when}."
                )
            else:
                messages.success(
                    request,
                    f"Referral sent: {referral.provision} for {student.name} is waiting for a "
                    "decision.",
                )
            return redirect("referral-detail", referral.pk)
    return render(request, "sanctions/referral_new.html", {"student": student, "form": form})


def referral_list(request):
    if not policies.can_refer(request.user):
        raise PermissionDenied
    return render(
        request,
        "sanctions/referral_list.html",
        {
            "pending": selectors.pending_referrals_for(request.user),
            "mine": selectors.referrals_made_by(request.user),
        },
    )


def referral_detail(request, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related(
            "student__form",
            "student__year_group",
            "provision",
            "incident__reason",
            "incident__room",
            "incident__reported_by",
            "requested_by",
            "decided_by",
        ),
        pk=referral_id,
    )
    may_decide = policies.can_approve(request.user, referral.provision)
    if not (
        may_decide or referral.requested_by == request.user or policies.can_run_rooms(request.user)
    ):
        raise PermissionDenied
    audit_record(request=request, action=AuditEvent.Action.VIEW, target=referral)
    decision = forms.DecisionForm(
        initial={"days": referral.days, "provision": referral.provision}, prefix="approve"
    )
    decline = forms.DeclineForm(prefix="decline")
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        try:
            if "decline" in request.POST:
                decline = forms.DeclineForm(request.POST, prefix="decline")
                if decline.is_valid():
                    services.referral_decline(
                        referral=referral, user=request.user, reason=decline.cleaned_data["reason"]
                    )
                    messages.success(request, "Referral declined; the referrer can see why.")
                    return redirect("referral-list")
            else:
                decision = forms.DecisionForm(request.POST, prefix="approve")
                if decision.is_valid():
                    data = decision.cleaned_data
                    placement = services.referral_approve(
                        referral=referral,
                        user=request.user,
                        days=data["days"],
                        provision=data["provision"],
                        note=data["note"],
                    )
                    if placement:
                        messages.success(
                            request,
                            f"Approved: {referral.student.name} is booked into "
                            f"{placement.provision} from {placement.starts_on:%A %d %B}.",
                        )
                    else:
                        messages.success(request, "Approved.")
                    return redirect("referral-detail", referral.pk)
        except ValidationError as error:
            _form_errors(decline if "decline" in request.POST else decision, error)
    warnings = []
    if referral.status == Referral.Status.PENDING:
        warnings = selectors.booking_warnings(
            referral.student,
            referral.provision,
            referral.days,
            local_now().date() + dt.timedelta(days=1),
        )
    return render(
        request,
        "sanctions/referral_detail.html",
        {
            "referral": referral,
            "may_decide": may_decide and referral.status == Referral.Status.PENDING,
            "decision": decision,
            "decline": decline,
            "warnings": warnings,
            "placements": referral.placements.prefetch_related("days__room"),
        },
    )


def register(request, room_code: str, day: str | None = None):
    """The day's register for one room: who is in, when they come and go, why they are here."""
    if not policies.can_run_rooms(request.user) and not school_policies.can_view_student_sensitive(
        request.user
    ):
        raise PermissionDenied
    room = get_object_or_404(Room, code=room_code)
    try:
        date = dt.date.fromisoformat(day) if day else local_now().date()
    except ValueError:
        raise Http404("Give the date as YYYY-MM-DD.") from None
    lines = list(selectors.register_lines(room.pk, date))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=room,
        detail={"page": "register", "date": date.isoformat(), "students": len(lines)},
    )
    return render(
        request,
        "sanctions/register.html",
        {
            "room": room,
            "date": date,
            "lines": lines,
            "previous": date - dt.timedelta(days=1),
            "next": date + dt.timedelta(days=1),
        },
    )
