"""Telling the family: log a phone call about a placement, draft a "good day" note home."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into
from pastoral import policies
from pastoral.forms import FamilyCallForm
from pastoral.selectors import family_contacts as selectors
from pastoral.services import family_contacts as services
from school.models import Guardian


def _placement_or_404(request, placement_id: int):
    if not policies.can_contact_families(request.user):
        raise PermissionDenied
    placement = selectors.placement_for_contact(placement_id)
    if placement is None or not policies.can_log_family_call(request.user, placement.student):
        raise Http404("No placement with that id")
    return placement


def family_call_new(request, placement_id: int):
    """Log a phone call to the family about a placement or removal."""
    placement = _placement_or_404(request, placement_id)
    guardians = selectors.contacts_to_phone(placement.student)
    form = FamilyCallForm(
        request.POST or None,
        guardians=guardians,
        initial={"called_at": clock.local(clock.now()).strftime("%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        guardian = next((g for g, _ in guardians if g.pk == data["guardian"]), None)
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                call = services.family_call_record(
                    student=placement.student,
                    placement=placement,
                    guardian=guardian if isinstance(guardian, Guardian) else None,
                    outcome=data["outcome"],
                    note=data["note"],
                    called_at=form.called_at_today(),
                    by=request.user,
                )
                submission.done(reverse("student-detail", args=[placement.student_id]))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("student-detail", args=[placement.student_id]))
        except ValidationError as error:
            errors_into(form, error)
        else:
            told = " The family has been told." if call.reached else ""
            messages.success(request, f"Call logged: {call}.{told}")
            return redirect("student-detail", placement.student_id)
    return render(
        request,
        "pastoral/family_call_new.html",
        {
            "placement": placement,
            "form": form,
            "calls": selectors.calls_about(placement),
            "may_arrange_meeting": placement.student.on_roll
            and policies.can_arrange_meeting_for(request.user, placement.student),
            "status": 400 if form.errors else 200,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def good_day_note(request, placement_id: int):
    """One click from the room: draft "a good day" note home, opened for checking and sending."""
    placement = _placement_or_404(request, placement_id)
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            message = services.good_day_note_draft(
                placement=placement, note=request.POST.get("note", "")[:300], by=request.user
            )
            submission.done(reverse("message-detail", args=[message.pk]))
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or reverse("student-detail", args=[placement.student_id]))
    except ValidationError as error:
        messages.error(request, message_of(error))
        return redirect("student-detail", placement.student_id)
    messages.success(request, "A good-day note is drafted: check it and send it.")
    return redirect("message-detail", message.pk)
