"""The teacher's work page and setting work; the files; the room's record of work done and
the student's work pack."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into
from school.selectors.people import staff_for_user
from work import policies
from work.forms import RecordWorkForm, SetWorkForm
from work.models import WorkAttachment, WorkRequest
from work.rendering import work_given_html
from work.selectors import requests as selectors
from work.services import requests as services


def _request_or_404(request_id: int) -> WorkRequest:
    found = selectors.request_for_page(request_id)
    if found is None:
        raise Http404
    return found


def work_to_set(request):
    """A teacher's own requests: lessons to set, work set, work returned from the room."""
    if not policies.can_set_work(request.user):
        raise PermissionDenied
    staff = staff_for_user(request.user)
    today = clock.today()
    work = selectors.teacher_work(staff, today) if staff else None
    return render(request, "work/work_to_set.html", {"work": work, "today": today})


def work_set(request, request_id: int):
    """Set work for a lesson, and for every student from the same class that day at once."""
    work_request = selectors.request_to_set(request_id)
    if work_request is None:
        raise Http404
    if not policies.can_answer_request(request.user, work_request):
        raise PermissionDenied
    # The lesson's students the user may answer for, their classes read once (issue 15).
    lesson = (
        policies.answerable_requests(request.user, selectors.lesson_students(work_request))
        if work_request.status in (WorkRequest.Status.REQUESTED, WorkRequest.Status.SET)
        and not work_request.outcome
        else []
    )
    tasks = selectors.programme_tasks_for(work_request)
    # The lesson opened, and the others of the class that day still waiting for work.
    initial = {
        "covers": [
            r.pk
            for r in lesson
            if r.pk == work_request.pk or r.status == WorkRequest.Status.REQUESTED
        ]
    }
    form = SetWorkForm(request.POST or None, tasks=tasks, lesson=lesson, initial=initial)
    if request.method == "POST" and not lesson:
        form.add_error(None, "This lesson's work can no longer be changed.")
    elif request.method == "POST" and form.is_valid():
        # The requests themselves, of those offered (`lesson`) the ones ticked.
        chosen = [
            r
            for r in selectors.same_lesson(work_request)
            if r.pk in form.cleaned_data["covers"] and r.pk in {s.pk for s in lesson}
        ]
        answer = services.Answer(
            kind=form.cleaned_data["kind"],
            instructions=form.cleaned_data["instructions"],
            link=form.cleaned_data["link"],
            task=form.cleaned_data.get("task"),
        )
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                services.work_set(
                    requests=chosen,
                    answer=answer,
                    files=request.FILES.getlist("files"),
                    by=request.user,
                )
                submission.done(reverse("work-to-set"))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("work-to-set"))
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                f"Work set for {len(chosen)} student{'s' if len(chosen) != 1 else ''}: "
                "the room has it now.",
            )
            return redirect("work-to-set")
    return render(
        request,
        "work/work_set.html",
        {
            "work_request": work_request,
            "given": work_given_html(work_request),
            "lesson": lesson,
            "form": form,
            "tasks": tasks,
            "max_mb": selectors.max_upload_mb(),
            "allowed": ", ".join(sorted(services.ALLOWED_EXTENSIONS)),
        },
    )


@require_POST
def work_acknowledge(request, request_id: int):
    work_request = _request_or_404(request_id)
    if not policies.can_answer_request(request.user, work_request):
        raise PermissionDenied
    try:
        services.work_acknowledge(request=work_request, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    return redirect(reverse("work-to-set") + "#returned")


def work_file(request, attachment_id: int):
    """A file a teacher attached, to those who may see its request (audited)."""
    attachment = WorkAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    first = attachment.work_set.requests.select_related("teaching_class__subject").first()
    if first is None or not policies.can_view_request(request.user, first):
        raise PermissionDenied
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=attachment,
        detail={"page": "work file"},
    )
    try:
        return FileResponse(
            attachment.file.open("rb"), as_attachment=False, filename=attachment.name
        )
    except FileNotFoundError:
        raise Http404 from None


def work_done_file(request, request_id: int):
    """The officer's photo or scan of the work done (audited: it is the student's work)."""
    work_request = _request_or_404(request_id)
    if not policies.can_view_request(request.user, work_request):
        raise PermissionDenied
    if not work_request.outcome_file:
        raise Http404
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=work_request,
        detail={"page": "work done file"},
    )
    try:
        return FileResponse(work_request.outcome_file.open("rb"), as_attachment=False)
    except FileNotFoundError:
        raise Http404 from None


class _Audited:
    """A work request as `audit_record` names it (its model, id and `str`), from the page's
    read rather than the model (issue 15)."""

    _meta = WorkRequest._meta

    def __init__(self, pk: int, text: str):
        self.pk = pk
        self.text = text

    def __str__(self) -> str:
        return self.text


def work_record(request, request_id: int):
    """The officer records one piece of work done in the room; it returns to the teacher."""
    # The page's read: the columns it shows (issue 15); the request itself only to record.
    work_request = selectors.request_to_record(request_id)
    if work_request is None:
        raise Http404
    if not policies.can_record_work(request.user):
        raise PermissionDenied
    initial = {"outcome": work_request.outcome or "completed", "note": work_request.outcome_note}
    form = RecordWorkForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        to_record = _request_or_404(request_id)
        try:
            services.work_record(
                request=to_record,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                scan=form.cleaned_data.get("scan") or None,
                by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Recorded: the work is back with the teacher.")
            day = to_record.placement_day
            return redirect(
                reverse("register", args=[day.room.code, day.date.isoformat()])
                + f"#placement-day-{day.pk}"
            )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=_Audited(work_request.pk, work_request.audit_repr),
        detail={"page": "work record"},
    )
    return render(
        request,
        "work/work_record.html",
        {"work_request": work_request, "given": work_given_html(work_request), "form": form},
    )


def work_pack(request, placement_day_id: int):
    """A student's work pack for one day as a PDF (audited: an export about a student)."""
    if not policies.can_record_work(request.user):
        raise PermissionDenied
    from work import printing

    pack = selectors.work_pack(placement_day_id)
    if pack is None:
        raise Http404
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        target=pack.placement_day,
        detail={
            "page": "work pack",
            "date": pack.placement_day.date.isoformat(),
            "lessons": len(pack.lessons),
        },
    )
    response = HttpResponse(
        printing.work_pack_pdf(pack, user=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="work-pack-{pack.student.upn}-{pack.placement_day.date}.pdf"'
    )
    return response
