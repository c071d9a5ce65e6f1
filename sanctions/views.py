"""Referral, decision and register pages."""

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import audit_record
from sanctions import forms, policies, printing, selectors, services
from sanctions.models import (
    AttendanceMark,
    Placement,
    PlacementDay,
    Provision,
    Referral,
    RoomLogEntry,
)
from school.models import Room, Student
from school.selectors import local_now, staff_for_user


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


REGISTER_CHOICES = {
    "sessions": AttendanceMark.Session.choices,
    "kinds": AttendanceMark.Kind.choices,
    "log_kinds": [c for c in RoomLogEntry.Kind.choices if c[0] != RoomLogEntry.Kind.FAILED],
}


def referral_new(request, student_id: int):
    if not policies.can_refer(request.user):
        raise PermissionDenied
    student = get_object_or_404(Student.objects.select_related("form", "year_group"), pk=student_id)
    staff = staff_for_user(request.user)
    if staff is None:
        raise PermissionDenied("Only staff with a staff record can refer.")
    now = local_now()
    form = forms.ReferralForm(
        request.POST or None,
        initial={
            "occurred_at": now.replace(second=0, microsecond=0, tzinfo=None),
            "provision": Provision.objects.filter(kind=Provision.Kind.INTERNAL_EXCLUSION).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                incident = services.incident_record(
                    occurred_at=data["occurred_at"],
                    reason=data["reason"],
                    description=data["description"],
                    reported_by=staff,
                    recorded_by=request.user,
                    students=[(student, data["part"])]
                    + [(other, part) for other, part in data["others"] if other != student],
                    room=data["room"],
                    location=data["location"],
                )
                referral = services.referral_create(
                    student=student,
                    provision=data["provision"],
                    days=data["days"],
                    requested_by=request.user,
                    incident=incident,
                    note=data["note"],
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if referral.status == Referral.Status.APPROVED:
                placement = referral.placements.first()
                when = f" from {placement.starts_on:%A %d %B}" if placement else ""
                messages.success(
                    request, f"{student.name} is booked into {referral.provision}{when}."
                )
            else:
                messages.success(
                    request,
                    f"Referral sent: {referral.provision} for {student.name} is waiting for a "
                    "decision.",
                )
            return redirect("referral-detail", referral.pk)
    return render(request, "sanctions/referral_new.html", {"student": student, "form": form})


def referral_list(request):
    if not policies.can_refer(request.user):
        raise PermissionDenied
    return render(
        request,
        "sanctions/referral_list.html",
        {
            "pending": selectors.pending_referrals_for(request.user),
            "mine": selectors.referrals_made_by(request.user),
        },
    )


def referral_detail(request, referral_id: int):
    referral = get_object_or_404(
        Referral.objects.select_related(
            "student__form",
            "student__year_group",
            "provision",
            "incident__reason",
            "incident__room",
            "incident__reported_by",
            "requested_by",
            "decided_by",
        ),
        pk=referral_id,
    )
    may_decide = policies.can_approve(request.user, referral.provision)
    if not (
        may_decide or referral.requested_by == request.user or policies.can_run_rooms(request.user)
    ):
        raise PermissionDenied
    audit_record(request=request, action=AuditEvent.Action.VIEW, target=referral)
    decision = forms.DecisionForm(
        initial={"days": referral.days, "provision": referral.provision}, prefix="approve"
    )
    decline = forms.DeclineForm(prefix="decline")
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        try:
            if "decline" in request.POST:
                decline = forms.DeclineForm(request.POST, prefix="decline")
                if decline.is_valid():
                    services.referral_decline(
                        referral=referral, user=request.user, reason=decline.cleaned_data["reason"]
                    )
                    messages.success(request, "Referral declined; the referrer can see why.")
                    return redirect("referral-list")
            else:
                decision = forms.DecisionForm(request.POST, prefix="approve")
                if decision.is_valid():
                    data = decision.cleaned_data
                    placement = services.referral_approve(
                        referral=referral,
                        user=request.user,
                        days=data["days"],
                        provision=data["provision"],
                        note=data["note"],
                    )
                    if placement:
                        messages.success(
                            request,
                            f"Approved: {referral.student.name} is booked into "
                            f"{placement.provision} from {placement.starts_on:%A %d %B}.",
                        )
                    else:
                        messages.success(request, "Approved.")
                    return redirect("referral-detail", referral.pk)
        except ValidationError as error:
            _form_errors(decline if "decline" in request.POST else decision, error)
    warnings = []
    if referral.status == Referral.Status.PENDING:
        warnings = selectors.booking_warnings(
            referral.student,
            referral.provision,
            referral.days,
            local_now().date() + dt.timedelta(days=1),
        )
    return render(
        request,
        "sanctions/referral_detail.html",
        {
            "referral": referral,
            "may_decide": may_decide and referral.status == Referral.Status.PENDING,
            "may_change": may_decide or policies.can_run_rooms(request.user),
            "decision": decision,
            "decline": decline,
            "warnings": warnings,
            "placements": referral.placements.prefetch_related("days__room"),
        },
    )


def _room_and_day(room_code: str, day: str | None) -> tuple[Room, dt.date]:
    """The room and the register's day from the URL (no day: today)."""
    room = get_object_or_404(Room, code=room_code)
    try:
        return room, dt.date.fromisoformat(day) if day else local_now().date()
    except ValueError:
        raise Http404("Give the date as YYYY-MM-DD.") from None


def register(request, room_code: str, day: str | None = None):
    """The day's register for one room: who is in, when they come and go, why they are here.
    The open screen asks for `?version` every few seconds and reloads the list (`?partial`) when
    someone else changed it."""
    if not policies.can_view_register(request.user):
        raise PermissionDenied
    room, date = _room_and_day(room_code, day)
    if "version" in request.GET:
        return JsonResponse({"version": selectors.register_version(room.pk, date)})
    lines = list(selectors.register_lines(room.pk, date))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=room,
        detail={"page": "register", "date": date.isoformat(), "students": len(lines)},
    )
    context = {
        "room": room,
        "date": date,
        "lines": lines,
        "version": selectors.register_version(room.pk, date),
        "previous": date - dt.timedelta(days=1),
        "next": date + dt.timedelta(days=1),
        "can_run": policies.can_run_rooms(request.user),
        **REGISTER_CHOICES,
    }
    if "partial" in request.GET:
        return render(request, "sanctions/_register_lines.html", context)
    return render(request, "sanctions/register.html", context)


MARKS_HEADER = [
    "UPN",
    "Surname",
    "Forename",
    "Date",
    "Session",
    "Mark",
    "Minutes late",
    "What happened",
    "Provision",
    "Room",
    "Recorded by",
]


def marks_export(request):
    """Attendance marks in the rooms as a CSV for the MIS, for a date range (audited)."""
    if not policies.can_export_marks(request.user):
        raise PermissionDenied
    today = local_now().date()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or today.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or start.isoformat())
    except ValueError:
        return HttpResponseBadRequest("Give the dates as YYYY-MM-DD, e.g. ?from=2026-11-23")
    if end < start:
        return HttpResponseBadRequest("The end date is before the start date.")
    if (end - start).days > 366:
        return HttpResponseBadRequest("Export at most a year at a time.")
    marks = selectors.marks_between(start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conduct-marks-{start}-to-{end}.csv"'
    response.write("\ufeff")  # Excel and SIMS open UTF-8 correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(MARKS_HEADER)
    count = 0
    for mark in marks:
        student = mark.placement_day.placement.student
        writer.writerow(
            [
                student.upn,
                student.legal_last_name,
                student.legal_first_name,
                f"{mark.placement_day.date:%d/%m/%Y}",
                mark.session.upper(),
                mark.mis_code,
                mark.minutes_late or "",
                mark.get_kind_display(),
                mark.placement_day.placement.provision.name,
                mark.placement_day.room.code,
                mark.recorded_by.get_username(),
            ]
        )
        count += 1
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        object_type="sanctions.attendancemark",
        detail={"from": start.isoformat(), "to": end.isoformat(), "rows": count},
    )
    return response


def _line_or_404(request, line_id: int) -> PlacementDay:
    if not policies.can_run_rooms(request.user):
        raise PermissionDenied
    return get_object_or_404(
        PlacementDay.objects.select_related("placement__student", "placement__provision", "room"),
        pk=line_id,
    )


def _back_to_register(request, line: PlacementDay, error: ValidationError | None = None):
    if error is not None:
        messages.error(request, " ".join(error.messages))
    if request.headers.get("HX-Request") and error is None:
        line = selectors.register_lines(line.room_id, line.date).get(pk=line.pk)
        return render(request, "sanctions/_register_row.html", {"line": line, **REGISTER_CHOICES})
    url = reverse("register", args=[line.room.code, line.date.isoformat()])
    return redirect(f"{url}#line-{line.pk}")


def register_mark(request, line_id: int):
    line = _line_or_404(request, line_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    minutes = request.POST.get("minutes_late", "").strip()
    try:
        services.mark_record(
            placement_day=line,
            session=request.POST.get("session", ""),
            kind=request.POST.get("kind", ""),
            at=local_now().time().replace(second=0, microsecond=0),
            user=request.user,
            minutes_late=int(minutes) if minutes.isdigit() else None,
        )
    except ValidationError as error:
        return _back_to_register(request, line, error)
    return _back_to_register(request, line)


def register_log(request, line_id: int):
    line = _line_or_404(request, line_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.room_log_add(
            placement_day=line,
            kind=request.POST.get("kind", ""),
            at=local_now().time().replace(second=0, microsecond=0),
            note=request.POST.get("note", ""),
            user=request.user,
        )
    except ValidationError as error:
        return _back_to_register(request, line, error)
    return _back_to_register(request, line)


def register_fail(request, line_id: int):
    line = _line_or_404(request, line_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        referrals = services.placement_fail(
            placement_day=line,
            user=request.user,
            note=request.POST.get("note", ""),
            at=local_now().time().replace(second=0, microsecond=0),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        next_steps = ", ".join(
            f"{r.provision} ({r.days} day{'s' if r.days != 1 else ''})" for r in referrals
        )
        messages.success(
            request,
            f"{line.placement.student.name} failed the room. "
            + (
                f"Next step referred for a decision: {next_steps}."
                if next_steps
                else "The ladder has no next step for this."
            ),
        )
    url = reverse("register", args=[line.room.code, line.date.isoformat()])
    return redirect(url)


def register_close_day(request, room_code: str, day: str):
    if not policies.can_run_rooms(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    room, date = _room_and_day(room_code, day)
    try:
        closed = services.register_close(room=room, date=date, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Day closed: {len(closed)} placement{'s' if len(closed) != 1 else ''} completed.",
        )
    return redirect("register", room.code, date.isoformat())


def register_pdf(request, room_code: str, day: str):
    """The day's register as an A4 PDF to print or file (audited: it carries SEN and reasons)."""
    if not policies.can_view_register(request.user):
        raise PermissionDenied
    room, date = _room_and_day(room_code, day)
    document, students = printing.register_document(room=room, date=date, user=request.user)
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        target=room,
        detail={"page": "register pdf", "date": date.isoformat(), "students": students},
    )
    response = HttpResponse(document.write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="register-{room.code}-{date}.pdf"'
    return response


def _placement_for_change(request, placement_id: int) -> Placement:
    placement = get_object_or_404(
        Placement.objects.select_related("provision", "student", "referral"), pk=placement_id
    )
    if not (
        policies.can_approve(request.user, placement.provision)
        or policies.can_run_rooms(request.user)
    ):
        raise PermissionDenied
    if request.method != "POST":
        raise PermissionDenied("Changing a placement takes a POST.")
    return placement


def _after_change(placement: Placement):
    if placement.referral_id:
        return redirect("referral-detail", placement.referral_id)
    return redirect("student-detail", placement.student_id)


def placement_cancel(request, placement_id: int):
    placement = _placement_for_change(request, placement_id)
    try:
        services.placement_cancel(
            placement=placement, user=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Placement cancelled: its places are free, work requests withdrawn, and any letter "
            f"not yet sent to {placement.student.first_name}'s family cancelled.",
        )
    return _after_change(placement)


def placement_move(request, placement_id: int):
    placement = _placement_for_change(request, placement_id)
    try:
        start_on = dt.date.fromisoformat(request.POST.get("start_on", ""))
    except ValueError:
        messages.error(request, "Choose the new first day (a date).")
        return _after_change(placement)
    try:
        placement = services.placement_move(
            placement=placement,
            user=request.user,
            start_on=start_on,
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Moved: {placement.student.name} now starts {placement.provision.name.lower()} on "
            f"{placement.starts_on:%A %d %B}. A letter to the family is drafted for review.",
        )
    return _after_change(placement)
