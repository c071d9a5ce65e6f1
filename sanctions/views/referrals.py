"""Referral pages: refer from a student's page, the referral lists, and the decision."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit import selectors as audit_selectors
from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock, dates
from conduct.lib.forms import errors_into
from sanctions import forms, policies
from sanctions.models import Provision, Referral
from sanctions.rendering import referral_table_html
from sanctions.selectors import provisions as provision_selectors
from sanctions.selectors import referrals as referral_selectors
from sanctions.services import incidents, referrals
from sanctions.views import placements as placement_views
from school.models import Student
from school.selectors.people import staff_for_user


def referral_new(request, student_id: int):
    if not policies.can_refer(request.user):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.select_related("form", "year_group"), pk=student_id)
    if not policies.can_refer_student(request.user, student):
        raise Http404("No student with that id")
    staff = staff_for_user(request.user)
    if staff is None:
        raise PermissionDenied("Only staff with a staff record can refer.")
    now = clock.now()
    form = forms.ReferralForm(
        request.POST or None,
        initial={
            "occurred_at": now.replace(second=0, microsecond=0, tzinfo=None),
            "provision": next(
                (
                    p
                    for p in provision_selectors.all_provisions()
                    if p.kind == Provision.Kind.INTERNAL_EXCLUSION
                ),
                None,
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                incident = incidents.incident_record(
                    occurred_at=data["occurred_at"],
                    reason=data["reason"],
                    description=data["description"],
                    reported_by=staff,
                    by=request.user,
                    students=[(student, data["part"])]
                    + [(other, part) for other, part in data["others"] if other != student],
                    room=data["room"],
                    location=data["location"],
                )
                referral = referrals.referral_create(
                    student=student,
                    provision=data["provision"],
                    days=data["days"],
                    by=request.user,
                    incident=incident,
                    note=data["note"],
                )
                submission.done(reverse("referral-detail", args=[referral.pk]))
        except submissions.AlreadySubmitted as first:
            # Sent twice (a double click): the first send made the referral; show it.
            return redirect(first.url or reverse("student-detail", args=[student.pk]))
        except ValidationError as error:
            errors_into(form, error)
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
    pending = referral_selectors.pending_referrals(request.user).yours
    mine = referral_selectors.referral_rows_made_by(request.user)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="sanctions.referral",
        detail={"page": "referral list", "pending": len(pending), "mine": len(mine)},
    )
    return render(
        request,
        "sanctions/referral_list.html",
        {
            "pending_table": referral_table_html(
                pending,
                caption="Referrals waiting for your decision",
                empty="Nothing is waiting for you.",
            ),
            "mine_table": referral_table_html(
                mine, caption="Referrals you made", empty="You have made no referrals."
            ),
        },
    )


def referral_detail(request, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related(
            *referral_selectors.ROW_RELATED, "incident__room", "incident__reported_by"
        ),
        pk=referral_id,
    )
    if not policies.can_view_referral(request.user, referral):
        raise PermissionDenied
    may_decide = policies.can_approve(request.user, referral.provision, referral.student)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=referral,
        detail={"page": "referral", "student": referral.student_id},
    )
    decision = forms.DecisionForm(
        initial={"days": referral.days, "provision": referral.provision}, prefix="approve"
    )
    decline = forms.DeclineForm(prefix="decline")
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        here = reverse("referral-detail", args=[referral.pk])
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                if "decline" in request.POST:
                    decline = forms.DeclineForm(request.POST, prefix="decline")
                    if decline.is_valid():
                        referrals.referral_decline(
                            referral=referral,
                            by=request.user,
                            reason=decline.cleaned_data["reason"],
                        )
                        submission.done(here)
                        messages.success(request, "Referral declined; the referrer can see why.")
                        return redirect("referral-list")
                else:
                    decision = forms.DecisionForm(request.POST, prefix="approve")
                    if decision.is_valid():
                        data = decision.cleaned_data
                        placement = referrals.referral_approve(
                            referral=referral,
                            by=request.user,
                            days=data["days"],
                            provision=data["provision"],
                            note=data["note"],
                        )
                        submission.done(here)
                        if placement:
                            messages.success(
                                request,
                                f"Approved: {referral.student.name} is booked into "
                                f"{placement.provision} from {placement.starts_on:%A %d %B}.",
                            )
                        else:
                            messages.success(request, "Approved.")
                        return redirect(here)
                # An invalid form keeps nothing, the token included, so it can be sent again.
                transaction.set_rollback(True)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or here)
        except ValidationError as error:
            errors_into(decline if "decline" in request.POST else decision, error)
    warnings = []
    if referral.status == Referral.Status.PENDING:
        warnings = referral_selectors.booking_warnings(
            referral.student,
            referral.provision,
            referral.days,
            clock.today() + dt.timedelta(days=1),
        )
    move = placement_views.last_move_problem(request)
    return render(
        request,
        "sanctions/referral_detail.html",
        {
            "referral": referral,
            "corrections": (
                audit_selectors.corrections_of(referral.incident) if referral.incident else []
            ),
            "may_decide": may_decide and referral.status == Referral.Status.PENDING,
            "decision": decision,
            "decline": decline,
            "warnings": warnings,
            # The days' rooms link to their registers for those who may open them.
            "may_view_register": policies.can_view_register(request.user),
            "move_first": clock.today(),
            "move_last": dates.window()[1],
            # Each placement with whether this person may move or cancel it, and the problems
            # with the last attempt to move it.
            "placements": [
                (
                    placement,
                    policies.can_change_placement(request.user, placement),
                    move if move.get("placement") == placement.pk else {},
                )
                for placement in referral.placements.select_related("provision").prefetch_related(
                    "days__room"
                )
            ],
        },
    )
