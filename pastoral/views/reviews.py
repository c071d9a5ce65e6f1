"""A review opened by the school's rules: what it is about, the removals, the prompt to consider
reasonable adjustments, and closing it with a decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib.errors import message_of
from pastoral import policies
from pastoral.models import ReviewTask
from pastoral.selectors import reviews as selectors
from pastoral.services import reviews as services


def review_task_detail(request, task_id: int):
    if not policies.can_see_review_tasks(request.user):
        raise PermissionDenied
    task = selectors.review_task_get(task_id)
    if task is None:
        raise Http404("No review with that id")
    if not policies.can_act_on_review_task(request.user, task):
        raise PermissionDenied("This review is for someone else.")
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                services.review_task_close(
                    task=task,
                    decision=request.POST.get("decision", ""),
                    note=request.POST.get("note", "")[:2000],
                    by=request.user,
                )
                submission.done(reverse("review-task-detail", args=[task.pk]))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("home"))
        except ValidationError as e:
            error = message_of(e)
        else:
            messages.success(request, "Review closed.")
            return redirect("review-task-detail", task.pk)
    removals = selectors.removal_history(task)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=task.student or task,
        detail={"page": "review", "review": task.pk},
    )
    return render(
        request,
        "pastoral/review_task_detail.html",
        {
            "task": task,
            "removal_rows": selectors.removal_rows(removals, with_student=not task.student_id),
            "prompt": selectors.ADJUSTMENTS_PROMPT if task.student_id else "",
            "decisions": ReviewTask.Decision.choices,
            "error": error,
            "may_arrange": task.student is not None
            and task.student.on_roll
            and policies.can_arrange_meeting_for(request.user, task.student),
            "may_set_intervention": task.student is not None
            and task.student.on_roll
            and policies.can_set_intervention_for(request.user, task.student),
        },
        status=400 if error else 200,
    )
