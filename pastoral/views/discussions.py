"""Records of discussions with a student: record one (also from a drop-in, a sent-out visit or an
on-call outcome, with the student chosen), read one (a shared one's read is noted for its
author), raise its level."""

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
from conduct.lib.errors import ActionRefused
from conduct.lib.forms import errors_into
from pastoral import forms, policies
from pastoral.models import LEVEL_RANK, Discussion, Level
from pastoral.selectors import discussions as selectors
from pastoral.services import discussions as services
from school.models import Student


def discussion_new(request, student_id: int):
    if not policies.can_record_discussions(request.user):
        raise PermissionDenied
    student = get_object_or_404(
        Student.objects.select_related("form__tutor", "year_group__head_of_year"), pk=student_id
    )
    if not policies.can_record_discussion_with(request.user, student):
        raise Http404("No student with that id")
    came_from = request.GET.get("from", "")
    initial = {"came_from": came_from if came_from in Discussion.CameFrom.values else ""}
    form = forms.DiscussionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                discussion = services.discussion_record(
                    student=student,
                    said=data["said"],
                    actions=data["actions"],
                    follow_up_on=data["follow_up_on"],
                    level=data["level"],
                    groups=data["groups"],
                    named=data["named"],
                    came_from=data.get("came_from") or "",
                    by=request.user,
                )
                url = reverse("discussion-detail", args=[discussion.pk])
                submission.done(url)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url)
        except ValidationError as error:
            errors_into(form, error)
        except ActionRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Discussion recorded.")
            return redirect(url)
    return render(request, "pastoral/discussion_new.html", {"student": student, "form": form})


def discussion_detail(request, discussion_id: int):
    try:
        discussion, shared = selectors.discussion_get(discussion_id, viewer=request.user)
    except Discussion.DoesNotExist:
        raise Http404("No discussion with that id") from None
    if not policies.can_read_discussion(request.user, discussion, shared_with_user=shared):
        # Never a hint that the record exists.
        raise Http404("No discussion with that id")
    if shared:
        services.discussion_read(discussion=discussion, by=request.user)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=discussion,
        detail={"page": "discussion", "student": discussion.student_id},
    )
    student = discussion.student
    return render(
        request,
        "pastoral/discussion_detail.html",
        {
            "discussion": discussion,
            "student": student,
            "shares": discussion.shares.all(),
            "corrections": audit_selectors.corrections_of(discussion),
            "show_readers": policies.can_see_readers(request.user, discussion),
            "can_raise_level": policies.can_raise_level(
                request.user,
                student=student,
                level=discussion.level,
                author_id=discussion.recorded_by_id,
            ),
            "levels": [
                (v, label)
                for v, label in Level.choices
                if LEVEL_RANK[Level(v)] > LEVEL_RANK[Level(discussion.level)]
            ],
            "groups": [
                Discussion.Group(g).label
                for g in discussion.shared_groups
                if g in Discussion.Group.values
            ],
        },
    )


def discussion_level(request, discussion_id: int):
    """Raise a discussion's confidentiality level (POST)."""
    if request.method != "POST":
        raise Http404
    try:
        discussion, shared = selectors.discussion_get(discussion_id, viewer=request.user)
    except Discussion.DoesNotExist:
        raise Http404("No discussion with that id") from None
    if not policies.can_read_discussion(request.user, discussion, shared_with_user=shared):
        raise Http404("No discussion with that id")
    if not policies.can_raise_level(
        request.user,
        student=discussion.student,
        level=discussion.level,
        author_id=discussion.recorded_by_id,
    ):
        raise PermissionDenied
    form = forms.LevelForm(request.POST)
    if form.is_valid():
        try:
            services.discussion_level_raise(
                discussion=discussion, level=form.cleaned_data["level"], by=request.user
            )
            messages.success(request, "Level raised.")
        except (ActionRefused, ValidationError) as refusal:
            messages.error(request, "; ".join(getattr(refusal, "messages", [str(refusal)])))
    return redirect("discussion-detail", discussion.pk)
