"""Interventions: set one for a student (from their page, or agreed at a meeting), and review it
(progress; carry on, extend, change or end), with its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.forms import errors_into
from pastoral import forms_families as forms
from pastoral import policies
from pastoral.models import Intervention, Meeting
from pastoral.selectors import interventions as selectors
from pastoral.services import interventions as services
from school.models import Student


def intervention_new(request, student_id: int):
    """Set an intervention: type from the school's list, owner, start, review date, target."""
    if not policies.can_arrange_meetings(request.user):
        raise PermissionDenied
    student = Student.objects.select_related("year_group", "form").filter(pk=student_id).first()
    if student is None or not policies.can_set_intervention_for(request.user, student):
        raise Http404("No student with that id")
    meeting = None
    if (value := request.GET.get("meeting", "")).isdigit():
        meeting = Meeting.objects.filter(pk=int(value), student=student).first()
    today = clock.today()
    form = forms.InterventionForm(
        request.POST or None,
        initial={"owner": request.user.pk, "starts_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                intervention = services.intervention_start(
                    student=student,
                    kind=data["kind"],
                    owner=data["owner"],
                    starts_on=data["starts_on"],
                    review_on=data["review_on"],
                    target=data["target"],
                    meeting=meeting,
                    by=request.user,
                )
                url = (
                    reverse("meeting-detail", args=[meeting.pk])
                    if meeting
                    else reverse("intervention-detail", args=[intervention.pk])
                )
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("student-detail", args=[student.pk]))
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request, f"{intervention.kind} set; review by {data['review_on']:%a %-d %b}."
            )
            return redirect(url)
    return render(
        request,
        "pastoral/intervention_new.html",
        {"student": student, "meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


def intervention_detail(request, intervention_id: int):
    """The intervention, its reviews, and the review form for its owner and the pastoral team."""
    # The page read as the columns it shows, compiled; the record itself only to review it.
    page = selectors.intervention_page(intervention_id)
    if page is None or not policies.can_review_intervention(request.user, page):
        if not policies.can_arrange_meetings(request.user):
            raise PermissionDenied
        raise Http404("No intervention with that id")
    active = page.status == Intervention.Status.ACTIVE
    form = forms.InterventionReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and active:
            data = form.cleaned_data
            intervention = selectors.intervention_get(intervention_id)
            if intervention is None:
                raise Http404("No intervention with that id")
            try:
                with transaction.atomic():
                    submission = submissions.claim(request)
                    review = services.intervention_review(
                        intervention=intervention,
                        progress=data["progress"],
                        decision=data["decision"],
                        next_review_on=data["next_review_on"],
                        kind=data["kind"],
                        target=data["target"],
                        by=request.user,
                    )
                    url = reverse("intervention-detail", args=[intervention.pk])
                    submission.done(url)
            except submissions.AlreadySubmitted as first:
                return redirect(first.url or reverse("intervention-detail", args=[intervention.pk]))
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(
                    request, f"Review recorded: {review.get_decision_display().lower()}."
                )
                return redirect(url)
        elif not active:
            form.add_error(None, "This intervention has ended; start a new one instead.")
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=page.student,
        detail={"page": "intervention", "intervention": page.pk},
    )
    return render(
        request,
        "pastoral/intervention_detail.html",
        {
            "intervention": page,
            "student": page.student,
            "reviews": page.reviews,
            "active": active,
            "form": form,
            "overdue": active and page.review_on < clock.today(),
        },
        status=400 if form.errors else 200,
    )
