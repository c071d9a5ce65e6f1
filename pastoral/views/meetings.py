"""Meetings with a student's family: invite those with parental responsibility (from the
student's page, a placement or a review), record who came and what was discussed, rearrange one
nobody came to."""

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
from pastoral.models import Meeting, ReviewTask
from pastoral.selectors import meetings as selectors
from pastoral.services import meetings as services
from sanctions.models import Placement
from school.models import Student


def _student_or_404(request, student_id: int) -> Student:
    if not policies.can_arrange_meetings(request.user):
        raise PermissionDenied
    if not policies.can_contact_families(request.user):
        raise PermissionDenied
    student = Student.objects.select_related("year_group", "form").filter(pk=student_id).first()
    if student is None or not policies.can_arrange_meeting_for(request.user, student):
        raise Http404("No student with that id")
    return student


def _came_from(request, student: Student) -> tuple[Placement | None, ReviewTask | None]:
    """The placement or review the invitation was made from (?placement= or ?review=)."""
    placement = review = None
    if (value := request.GET.get("placement", "")).isdigit():
        placement = (
            Placement.objects.select_related("provision")
            .filter(pk=int(value), student=student)
            .first()
        )
    if (value := request.GET.get("review", "")).isdigit():
        review = (
            ReviewTask.objects.select_related("placement__provision")
            .filter(pk=int(value), student=student)
            .first()
        )
        if review is not None and review.placement_id and placement is None:
            placement = review.placement
    return placement, review


def _onto_day(error: ValidationError) -> ValidationError:
    """The service speaks of `starts_at`; the form asks for a day and a time."""
    if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
        errors = dict(error.error_dict)
        errors["day"] = errors.pop("starts_at")
        return ValidationError(errors)
    return error


def meeting_new(request, student_id: int):
    """Invite the parents and carers with parental responsibility, each by their own channel."""
    student = _student_or_404(request, student_id)
    placement, review = _came_from(request, student)
    guardians = selectors.guardians_to_invite(student)
    form = forms.MeetingForm(
        request.POST or None,
        staff_queryset=forms.staff_attending_choices(student),
        initial={"purpose": f"To talk about how {student.first_name} is getting on"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                invitation = services.meeting_invite(
                    student=student,
                    starts_at=form.starts_at(),
                    place=data["place"],
                    purpose=data["purpose"],
                    mode=data["mode"],
                    minutes=data["minutes"],
                    staff=data["staff"],
                    placement=placement,
                    by=request.user,
                )
                url = reverse("meeting-detail", args=[invitation.meeting.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("student-detail", args=[student.pk]))
        except ValidationError as error:
            errors_into(form, _onto_day(error))
        else:
            problems = " ".join(invitation.problems)
            messages.success(
                request,
                f"Invitations drafted for {len(invitation.messages)} parent"
                f"{'s' if len(invitation.messages) != 1 else ''} or carer"
                f"{'s' if len(invitation.messages) != 1 else ''}: check and send them below."
                + (f" Not invited: {problems}" if problems else ""),
            )
            return redirect(url)
    return render(
        request,
        "pastoral/meeting_new.html",
        {
            "student": student,
            "placement": placement,
            "review": review,
            "guardians": guardians,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def meeting_detail(request, meeting_id: int):
    """The meeting, its invitations, and (to those who arrange meetings) recording it or
    rearranging it."""
    if not policies.can_arrange_meetings(request.user):
        raise PermissionDenied
    # The page read as the columns it shows, compiled; the records themselves only to change
    # them (a post).
    page = selectors.meeting_page(meeting_id)
    if page is None or not policies.can_see_meetings_of(request.user, page.student):
        raise Http404("No meeting with that id")
    student = page.student
    may_act = policies.can_arrange_meeting_for(request.user, student)
    record_form = forms.MeetingRecordForm(
        request.POST if request.POST.get("action") == "record" else None, guardians=page.invited
    )
    rearrange_form = forms.RearrangeForm(
        request.POST if request.POST.get("action") == "rearrange" else None
    )
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        action = request.POST.get("action")
        form = record_form if action == "record" else rearrange_form
        if action in ("record", "rearrange") and form.is_valid():
            data = form.cleaned_data
            meeting = selectors.meeting_get(meeting_id)
            if meeting is None:
                raise Http404("No meeting with that id")
            try:
                with transaction.atomic():
                    submission = submissions.claim(request)
                    if action == "record":
                        came = [
                            g for g in meeting.guardians.all() if str(g.pk) in data["attended_by"]
                        ]
                        services.meeting_record(
                            meeting=meeting,
                            attended_by=came,
                            discussed=data["discussed"],
                            by=request.user,
                        )
                        url = reverse("meeting-detail", args=[meeting.pk])
                        note = "Meeting recorded." if came else "Recorded as not attended."
                    else:
                        invitation = services.meeting_rearrange(
                            meeting=meeting,
                            starts_at=rearrange_form.starts_at(),
                            place=data["place"],
                            by=request.user,
                        )
                        url = reverse("meeting-detail", args=[invitation.meeting.pk])
                        note = "Rearranged: new invitations drafted, check and send them below."
                    submission.done(url)
            except submissions.AlreadySubmitted as first:
                return redirect(first.url or reverse("meeting-detail", args=[meeting.pk]))
            except ValidationError as error:
                errors_into(form, _onto_day(error))
            else:
                messages.success(request, note)
                return redirect(url)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=student,
        detail={"page": "meeting", "meeting": page.pk},
    )
    failed = record_form.errors or rearrange_form.errors
    return render(
        request,
        "pastoral/meeting_detail.html",
        {
            "meeting": page,
            "student": student,
            "invited": page.invited,
            "came": page.came,
            "staff": page.staff,
            "interventions": page.interventions,
            "invitations": selectors.meeting_page_invitations(page.pk),
            "next": selectors.meeting_page_next(page.pk)
            if page.status == Meeting.Status.REARRANGED
            else None,
            "may_act": may_act,
            "may_set_intervention": student.on_roll
            and policies.can_set_intervention_for(request.user, student),
            "may_record": may_act and page.status == Meeting.Status.INVITED,
            "too_soon": page.starts_at > clock.now(),
            "may_rearrange": may_act
            and page.status in (Meeting.Status.INVITED, Meeting.Status.NOT_ATTENDED),
            "record_form": record_form,
            "rearrange_form": rearrange_form,
        },
        status=400 if failed else 200,
    )
