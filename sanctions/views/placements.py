"""Changing a booked placement: cancel it or move it to another day."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from conduct import submissions
from conduct.lib.errors import message_of
from sanctions import policies
from sanctions.models import Placement
from sanctions.services import placements


def _placement_for_change(request, placement_id: int) -> Placement:
    placement = get_object_or_404(
        Placement.objects.select_related("provision", "student", "referral"), pk=placement_id
    )
    if not policies.can_change_placement(request.user, placement):
        raise PermissionDenied
    if request.method != "POST":
        raise PermissionDenied("Changing a placement takes a POST.")
    return placement


def _page_of(placement: Placement) -> str:
    """Where a placement is changed and its change seen: its referral's page, or the student's."""
    if placement.referral_id:
        return reverse("referral-detail", args=[placement.referral_id])
    return reverse("student-detail", args=[placement.student_id])


def _after_change(placement: Placement):
    return redirect(_page_of(placement))


def placement_cancel(request, placement_id: int):
    placement = _placement_for_change(request, placement_id)
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            placements.placement_cancel(
                placement=placement, by=request.user, reason=request.POST.get("reason", "")
            )
            submission.done(_page_of(placement))
    except submissions.AlreadySubmitted as first:
        # Sent twice: the first send cancelled it; show the outcome.
        return redirect(first.url or _page_of(placement))
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(
            request,
            f"Placement cancelled: its places are free, work requests withdrawn, and any letter "
            f"not yet sent to {placement.student.first_name}'s family cancelled.",
        )
    return _after_change(placement)


MOVE_ERRORS = "placement-move-errors"


def last_move_problem(request) -> dict:
    """The problems with the last attempt to move a placement, to show by the move form's
    fields (read once): {"placement": pk, "errors": {field: message}, and what was typed}."""
    return request.session.pop(MOVE_ERRORS, {})


def _refuse_move(request, placement: Placement, error: ValidationError):
    """Keep the problems for the move form's fields and go back to it; a refusal with no field
    is a message."""
    # The move form is on the referral's page; a placement booked without one gets a message.
    if hasattr(error, "error_dict") and placement.referral_id:
        request.session[MOVE_ERRORS] = {
            "placement": placement.pk,
            "errors": {field: " ".join(msgs) for field, msgs in error.message_dict.items()},
            "start_on": request.POST.get("start_on", "")[:10],
            "reason": request.POST.get("reason", "")[:200],
        }
        messages.error(request, "The placement was not moved: see the problem by the form.")
    else:
        messages.error(request, message_of(error))
    response = _after_change(placement)
    if placement.referral_id:
        response["Location"] += f"#placement-{placement.pk}"
    return response


def _date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def placement_move(request, placement_id: int):
    placement = _placement_for_change(request, placement_id)
    try:
        start_on = dt.date.fromisoformat(request.POST.get("start_on", ""))
    except ValueError:
        return _refuse_move(
            request, placement, ValidationError({"start_on": "Choose the new first day (a date)."})
        )
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            placement = placements.placement_move(
                placement=placement,
                by=request.user,
                start_on=start_on,
                reason=request.POST.get("reason", ""),
                seen_start_on=_date_or_none(request.POST.get("seen_start", "")),
            )
            submission.done(_page_of(placement))
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or _page_of(placement))
    except ValidationError as error:
        return _refuse_move(request, placement, error)
    else:
        messages.success(
            request,
            f"Moved: {placement.student.name} now starts {placement.provision.name.lower()} on "
            f"{placement.starts_on:%A %d %B}. A letter to the family is drafted for review.",
        )
    return _after_change(placement)
