"""The entry interview (from the register line and the home page) and the restorative exit
interview of a placement."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit import selectors as audit_selectors
from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib.errors import ActionRefused
from conduct.lib.forms import errors_into
from pastoral import forms, policies
from pastoral.models import Interview
from pastoral.selectors import interviews as selectors
from pastoral.selectors import restorative as restorative_selectors
from pastoral.services import interviews as services


def _interview_or_404(request, interview_id: int) -> Interview:
    try:
        interview = selectors.interview_get(interview_id)
    except Interview.DoesNotExist:
        raise Http404("No interview with that id") from None
    if not policies.can_read_interview(request.user, interview):
        raise Http404("No interview with that id")
    return interview


def interview_detail(request, interview_id: int):
    """An entry interview: the form while it is to do, the record once done."""
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    interview = _interview_or_404(request, interview_id)
    if interview.kind == Interview.Kind.EXIT:
        return redirect("exit-interview", interview.placement_id)
    form = forms.EntryInterviewForm(request.POST or None)
    to_do = interview.status == Interview.Status.TO_DO
    if request.method == "POST" and to_do and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                services.interview_entry_complete(
                    interview=interview,
                    standard_ids=[s.pk for s in data["standards"]],
                    student_account=data["student_account"],
                    level=data["level"],
                    by=request.user,
                )
                url = reverse("interview-detail", args=[interview.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as error:
            errors_into(form, error)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Entry interview recorded.")
            return redirect(url)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=interview,
        detail={"page": "entry interview", "student": interview.placement.student_id},
    )
    return render(
        request,
        "pastoral/interview_entry.html",
        {
            "interview": interview,
            "placement": interview.placement,
            "student": interview.placement.student,
            "form": form,
            "corrections": audit_selectors.corrections_of(interview),
            "levels": policies.higher_levels(interview.level),
            "can_record_discussion": policies.can_record_discussion_with(
                request.user, interview.placement.student
            ),
            "can_raise_level": interview.status == Interview.Status.DONE
            and policies.can_raise_level(
                request.user,
                student=interview.placement.student,
                level=interview.level,
                author_id=interview.conducted_by_id,
            ),
        },
    )


def exit_interview(request, placement_id: int):
    """The restorative exit interview of a placement: the form until recorded, then the
    record."""
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    placement = selectors.exit_interview_placement(placement_id, to_record=request.method == "POST")
    if placement is None or not policies.can_hold_interview_with(request.user, placement.student):
        raise Http404("No placement with that id")
    done = selectors.exit_interview_of(placement.pk)
    if done is not None:
        done.placement = placement  # read above, with its student: not read again
    if done is not None and not policies.can_read_interview(request.user, done):
        raise Http404("No placement with that id")
    form = forms.ExitInterviewForm(request.POST or None)
    if request.method == "POST" and done is None and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                services.exit_interview_record(
                    placement=placement,
                    harm_answers=form.answers(form.harm_fields),
                    affected_answers=form.answers(form.affected_fields),
                    targets=data["targets"],
                    check_in_by=data["check_in_by"],
                    check_in_when=data["check_in_when"],
                    check_in_how=data["check_in_how"],
                    level=data["level"],
                    by=request.user,
                )
                url = reverse("exit-interview", args=[placement.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as error:
            errors_into(form, error)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Exit interview recorded; the return note is sent.")
            return redirect(url)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=placement,
        detail={"page": "exit interview", "student": placement.student_id},
    )
    return render(
        request,
        "pastoral/interview_exit.html",
        {
            "placement": placement,
            "student": placement.student,
            "interview": done,
            "form": form,
            "corrections": audit_selectors.corrections_of(done) if done is not None else [],
            "restorative_meetings": [
                meeting
                for meeting in restorative_selectors.restorative_meetings_after_placement(
                    placement.student, placement.pk
                )
                if policies.can_read_restorative(request.user, meeting)
            ],
            "can_record_discussion": policies.can_record_discussion_with(
                request.user, placement.student
            ),
        },
    )


def interview_level(request, interview_id: int):
    """Raise an interview's confidentiality level (POST)."""
    if request.method != "POST":
        raise Http404
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    interview = _interview_or_404(request, interview_id)
    student = interview.placement.student
    if not policies.can_raise_level(
        request.user, student=student, level=interview.level, author_id=interview.conducted_by_id
    ):
        raise PermissionDenied
    form = forms.LevelForm(request.POST)
    if form.is_valid():
        try:
            services.interview_level_raise(
                interview=interview, level=form.cleaned_data["level"], by=request.user
            )
            messages.success(request, "Level raised.")
        except (ActionRefused, ValidationError) as refusal:
            messages.error(request, "; ".join(getattr(refusal, "messages", [str(refusal)])))
    if not policies.can_read_interview(request.user, interview):
        return redirect("student-detail", student.pk)
    return redirect("interview-detail", interview.pk)


def interview_reflection_scan(request, interview_id: int):
    """The photo or scan of the student's paper reflection sheet: GET opens it (for those who
    may read the interview, audited), POST attaches one (checked: a photo or PDF, not too
    big; a bad file is refused with the reason on the interview page)."""
    if not policies.can_hold_interviews(request.user):
        raise PermissionDenied
    interview = _interview_or_404(request, interview_id)
    if request.method == "POST":
        if not policies.can_hold_interviews(request.user):
            raise PermissionDenied
        scan = request.FILES.get("scan")
        try:
            if scan is None:
                raise ValidationError({"scan": "Choose the photo or scan of the sheet."})
            services.interview_reflection_scan_attach(
                interview=interview, scan=scan, by=request.user
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "Photo of the reflection sheet attached.")
        return redirect("interview-detail", interview.pk)
    if not interview.reflection_scan:
        raise Http404("No photo of a reflection with this interview")
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=interview,
        detail={"page": "reflection photo", "student": interview.placement.student_id},
    )
    try:
        response = FileResponse(interview.reflection_scan.open("rb"), as_attachment=False)
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
