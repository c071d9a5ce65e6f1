"""Programmes of work: heads of department keep ordered tasks per subject and year group."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from conduct import submissions
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into
from conduct.lib.rendering import field_html
from work import policies
from work.forms import ProgrammeNewForm, TaskForm
from work.models import ProgrammeTask
from work.rendering import programme_tasks_html
from work.selectors import programmes as selectors
from work.services import programmes as services


def programme_list(request):
    if not policies.can_keep_programmes(request.user):
        raise PermissionDenied
    departments = policies.department_ids(request.user)
    choices = selectors.programme_choices(departments)
    form = ProgrammeNewForm(request.POST or None, subjects=choices.subjects, years=choices.years)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                programme = services.programme_create(
                    subject=form.cleaned_data["subject"],
                    year_group=form.cleaned_data["year_group"],
                    by=request.user,
                )
                submission.done(reverse("programme-detail", args=[programme.pk]))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("programme-list"))
        except ValidationError as error:
            errors_into(form, error)
        else:
            return redirect("programme-detail", programme.pk)
    return render(
        request,
        "work/programme_list.html",
        {"programmes": selectors.programmes_listed(departments), "form": form},
    )


def _programme(request, programme_id: int):
    programme = selectors.programme_with_tasks(programme_id)
    if programme is None:
        raise Http404
    if not policies.can_keep_programme(request.user, programme):
        raise PermissionDenied
    return programme


def _task_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "instructions": data["instructions"],
        "unit": data["unit"],
        "link": data["link"],
        "file": data.get("file") or None,
    }


def _fields_html(form, indent: str = "\n  "):
    """A task form's fields as includes/field.html wrote each, one a line (issue 15)."""
    return mark_safe(
        indent.join(
            field_html(form[name]) for name in ("unit", "title", "instructions", "link", "file")
        )
    )


def programme_detail(request, programme_id: int):
    """A programme's tasks in order, with a form to add one at the end."""
    # The page's read as plain rows (issue 15); the programme itself only to add a task.
    page = selectors.programme_page(programme_id)
    if page is None:
        raise Http404
    if not policies.can_keep_programme(request.user, page):
        raise PermissionDenied
    form = TaskForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        programme = _programme(request, programme_id)
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                services.task_add(programme=programme, by=request.user, **_task_fields(form))
                submission.done(reverse("programme-detail", args=[programme.pk]))
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or reverse("programme-detail", args=[programme.pk]))
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Task added at the end of the programme.")
            return redirect("programme-detail", programme.pk)
    # One CSRF token for the page's forms, as the template's context gives its own.
    csrf_token = get_token(request)
    return render(
        request,
        "work/programme_detail.html",
        {
            "programme": page,
            "form": form,
            "csrf_token": csrf_token,
            "tasks_html": programme_tasks_html(page.tasks, csrf_token),
            "fields_html": _fields_html(form, indent="\n    "),
        },
    )


def _task(request, task_id: int) -> ProgrammeTask:
    # With its programme's year, which the page names (a query of its own else).
    task = (
        ProgrammeTask.objects.select_related("programme__subject", "programme__year_group")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404
    if not policies.can_keep_programme(request.user, task.programme):
        raise PermissionDenied
    return task


def programme_task_edit(request, task_id: int):
    task = _task(request, task_id)
    # What the person saw, kept through the post (binding the form changes `task` in memory).
    seen = request.POST.get("seen", "")[:64] if request.method == "POST" else ""
    seen = seen or services.task_version(task)
    form = TaskForm(request.POST or None, request.FILES or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, by=request.user, seen=seen, **_task_fields(form))
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Task saved.")
            return redirect("programme-detail", task.programme_id)
    return render(
        request,
        "work/programme_task_edit.html",
        {"task": task, "form": form, "seen": seen, "fields_html": _fields_html(form)},
    )


@require_POST
def programme_task_move(request, task_id: int):
    task = _task(request, task_id)
    services.task_move(task=task, up=request.POST.get("direction") == "up", by=request.user)
    return redirect(reverse("programme-detail", args=[task.programme_id]) + f"#task-{task.pk}")


@require_POST
def programme_task_remove(request, task_id: int):
    task = _task(request, task_id)
    try:
        services.task_remove(task=task, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"Task “{task.title}” removed.")
    return redirect("programme-detail", task.programme_id)
