"""The watch list: pastoral staff keep it, the patrol drops in."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into
from pastoral import policies as pastoral_policies
from patrol import policies, rendering
from patrol.forms import DropInForm, ReviewForm, WatchListForm
from patrol.models import DropIn, WatchListEntry
from patrol.selectors import watch_list as watch_list_selectors
from patrol.services import watch_list as watch_list_services
from patrol.views import inputs
from school.models import Student
from school.selectors import people as school_people
from school.selectors import timetable as school_timetable


def watch_list(request):
    """The watch list: pastoral staff add students and read the drop-ins."""
    if not policies.can_view_watch_list(request.user):
        raise PermissionDenied
    can_keep = policies.can_keep_watch_list(request.user)
    staff = school_people.staff_for_user(request.user)
    now = clock.now()
    form = None
    if can_keep:
        initial = {
            "requested_by": staff,
            "review_on": now.date() + dt.timedelta(weeks=3),
        }
        form = WatchListForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied
        if form.is_valid() and not policies.can_keep_watch_for(
            request.user, form.cleaned_data["student"]
        ):
            form.add_error("student", "You keep the watch list for your own year groups.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                watch_list_services.watch_list_add(
                    by=request.user,
                    student=data["student"],
                    reason=data["reason"],
                    review_on=data["review_on"],
                    requested_by=data["requested_by"],
                    now=now,
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(
                    request, f"{data['student'].name} is on the watch list. The patrol sees it now."
                )
                return redirect("watch-list")
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "")
    matches = inputs.student_matches(query)
    chosen = inputs.chosen(Student, source.get("student"))
    if chosen and chosen not in matches:
        matches.insert(0, chosen)
    matches = [m for m in matches if policies.can_keep_watch_for(request.user, m)]
    mine = request.GET.get("mine") == "1"
    watched = watch_list_selectors.watch_list_rows(
        today=now.date(), reader=request.user, requested_by=staff if mine else None
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="patrol.watchlistentry",
        detail={"page": "watch list", "students": len(watched), "mine": mine},
    )
    # One token for the page, in the panels written in Python and in the template's own forms.
    csrf_token = get_token(request)
    return render(
        request,
        "patrol/watch_list.html",
        {
            "form": form,
            "query": query,
            "matches": matches,
            "chosen_student": source.get("student", ""),
            "watched": watched,
            "watched_html": rendering.watch_rows_html(
                watched, can_keep=can_keep, today=now.date(), csrf_token=csrf_token
            ),
            "csrf_token": csrf_token,
            "due": sum(1 for w in watched if w.due_for_review),
            "mine": mine,
            "me": staff,
            "can_keep": can_keep,
            "today": now.date(),
        },
        status=400 if request.method == "POST" else 200,
    )


def _entry_to_keep(request, entry_id: int) -> WatchListEntry:
    """The entry, when `request.user` keeps the watch list for its student."""
    if not policies.can_keep_watch_list(request.user):
        raise PermissionDenied
    try:
        entry = watch_list_selectors.watch_entry_get(entry_id)
    except WatchListEntry.DoesNotExist:
        raise Http404("Not on the watch list") from None
    if not policies.can_keep_watch_for(request.user, entry.student):
        raise Http404("Not on the watch list")
    return entry


@require_POST
def watch_list_review(request, entry_id: int):
    _entry_to_keep(request, entry_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the new review date.")
        return redirect("watch-list")
    try:
        entry = watch_list_services.watch_list_review(
            entry_id=entry_id, by=request.user, review_on=form.cleaned_data["review_on"]
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"{entry.student.name}: next review {entry.review_on:%d/%m/%Y}.")
    return redirect("watch-list")


@require_POST
def watch_list_end(request, entry_id: int):
    _entry_to_keep(request, entry_id)
    try:
        entry = watch_list_services.watch_list_end(entry_id=entry_id, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"{entry.student.name} is off the watch list.")
    return redirect("watch-list")


def drop_in_new(request, entry_id: int):
    """Record a drop-in on a watched student, from the patrol phone."""
    if not policies.can_record_drop_in(request.user):
        raise PermissionDenied
    try:
        entry = watch_list_selectors.watch_entry_get(entry_id)
    except WatchListEntry.DoesNotExist:
        raise Http404("Not on the watch list") from None
    now = clock.now()
    form = DropInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        watch = f"{reverse('patrol-home')}?tab=watch"
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                watch_list_services.drop_in_record(
                    entry_id=entry.pk,
                    by=request.user,
                    engagement=form.cleaned_data["engagement"],
                    note=form.cleaned_data["note"],
                    level=form.cleaned_data["level"] or "staff",
                    at=inputs.at_today(form.cleaned_data["time"], now),
                    now=now,
                )
                submission.done(watch)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or watch)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, f"Drop-in on {entry.student.name} recorded.")
            return redirect(watch)
    watched = watch_list_selectors.Watched(
        entry=entry,
        due_for_review=entry.review_on <= now.date(),
        where=school_timetable.student_whereabouts(entry.student, now),
        in_provision=watch_list_selectors.provision_today([entry.student_id], now.date()).get(
            entry.student_id, ""
        ),
        show_reason=policies.can_read_watch_reason(request.user, entry.student),
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=entry,
        detail={"page": "drop-in", "student": entry.student_id, "reason": watched.show_reason},
    )
    return render(
        request,
        "patrol/drop_in.html",
        {"w": watched, "form": form, "ended": entry.ended_at is not None},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def drop_in_level(request, drop_in_id: int):
    """Raise the level of a drop-in (POST), for its author or the pastoral team while they may
    read it; only to a higher level. Back to the page it came from (the watch list by default)."""
    drop_in = (
        DropIn.objects.select_related("entry__student__year_group").filter(pk=drop_in_id).first()
    )
    if drop_in is None or not pastoral_policies.note_readable(request.user, drop_in):
        raise Http404("No drop-in with that id")
    student, level, author_id = drop_in.level_subject()
    if not pastoral_policies.can_raise_level(
        request.user, student=student, level=level, author_id=author_id
    ):
        raise PermissionDenied
    try:
        watch_list_services.drop_in_level_raise(
            drop_in=drop_in, level=request.POST.get("level", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(
            request, f"Level of the drop-in raised to {drop_in.get_level_display().lower()}."
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("watch-list")
    return redirect(back)
