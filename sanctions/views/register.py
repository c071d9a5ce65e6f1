"""The day's register for a room: the page, its actions, the printed register and the marks
export for the MIS."""

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from conduct.lib import clock
from conduct.lib.errors import message_of
from sanctions import policies, printing
from sanctions.models import AttendanceMark, PlacementDay, RoomLogEntry
from sanctions.selectors import register as register_selectors
from sanctions.services import register as register_services
from school.models import Room

REGISTER_CHOICES = {
    "sessions": AttendanceMark.Session.choices,
    "kinds": AttendanceMark.Kind.choices,
    "log_kinds": [c for c in RoomLogEntry.Kind.choices if c[0] != RoomLogEntry.Kind.FAILED],
}


def _room_and_day(room_code: str, day: str | None) -> tuple[Room, dt.date]:
    """The room and the register's day from the URL (no day: today)."""
    room = get_object_or_404(Room, code=room_code)
    try:
        return room, dt.date.fromisoformat(day) if day else clock.today()
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
        return JsonResponse({"version": register_selectors.register_version(room.pk, date)})
    placement_days = list(
        register_selectors.register_placement_days(room.pk, date, viewer=request.user)
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=room,
        detail={"page": "register", "date": date.isoformat(), "students": len(placement_days)},
    )
    context = {
        "room": room,
        "date": date,
        "placement_days": placement_days,
        "version": register_selectors.register_version(room.pk, date),
        "previous": date - dt.timedelta(days=1),
        "next": date + dt.timedelta(days=1),
        "can_run": policies.can_run_rooms(request.user),
        **REGISTER_CHOICES,
    }
    if "partial" in request.GET:
        return render(request, "sanctions/_register_placement_days.html", context)
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
    today = clock.today()
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or today.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or start.isoformat())
    except ValueError:
        return HttpResponseBadRequest("Give the dates as YYYY-MM-DD, e.g. ?from=2026-11-23")
    if end < start:
        return HttpResponseBadRequest("The end date is before the start date.")
    if (end - start).days > 366:
        return HttpResponseBadRequest("Export at most a year at a time.")
    marks = register_selectors.marks_between(start, end)
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


def _placement_day_or_404(request, placement_day_id: int) -> PlacementDay:
    if not policies.can_run_rooms(request.user):
        raise PermissionDenied
    return get_object_or_404(
        PlacementDay.objects.select_related("placement__student", "placement__provision", "room"),
        pk=placement_day_id,
    )


def _back_to_register(request, placement_day: PlacementDay, error: ValidationError | None = None):
    if error is not None:
        messages.error(request, message_of(error))
    if request.headers.get("HX-Request") and error is None:
        placement_day = register_selectors.register_placement_days(
            placement_day.room_id, placement_day.date
        ).get(pk=placement_day.pk)
        context = {
            "placement_day": placement_day,
            "can_run": policies.can_run_rooms(request.user),
            **REGISTER_CHOICES,
        }
        return render(request, "sanctions/_placement_day.html", context)
    url = reverse("register", args=[placement_day.room.code, placement_day.date.isoformat()])
    return redirect(f"{url}#placement-day-{placement_day.pk}")


def register_mark(request, placement_day_id: int):
    placement_day = _placement_day_or_404(request, placement_day_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    minutes = request.POST.get("minutes_late", "").strip()
    try:
        register_services.mark_record(
            placement_day=placement_day,
            session=request.POST.get("session", ""),
            kind=request.POST.get("kind", ""),
            at=clock.minute_now(),
            by=request.user,
            minutes_late=int(minutes) if minutes.isdigit() else None,
        )
    except ValidationError as error:
        return _back_to_register(request, placement_day, error)
    return _back_to_register(request, placement_day)


def register_log(request, placement_day_id: int):
    placement_day = _placement_day_or_404(request, placement_day_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        register_services.room_log_add(
            placement_day=placement_day,
            kind=request.POST.get("kind", ""),
            at=clock.minute_now(),
            note=request.POST.get("note", ""),
            by=request.user,
        )
    except ValidationError as error:
        return _back_to_register(request, placement_day, error)
    return _back_to_register(request, placement_day)


def register_fail(request, placement_day_id: int):
    placement_day = _placement_day_or_404(request, placement_day_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        referrals = register_services.placement_fail(
            placement_day=placement_day,
            by=request.user,
            note=request.POST.get("note", ""),
            at=clock.minute_now(),
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        next_steps = ", ".join(
            f"{r.provision} ({r.days} day{'s' if r.days != 1 else ''})" for r in referrals
        )
        messages.success(
            request,
            f"{placement_day.placement.student.name} failed the room. "
            + (
                f"Next step referred for a decision: {next_steps}."
                if next_steps
                else "The ladder has no next step for this."
            ),
        )
    url = reverse("register", args=[placement_day.room.code, placement_day.date.isoformat()])
    return redirect(url)


def register_close_day(request, room_code: str, day: str):
    if not policies.can_run_rooms(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    room, date = _room_and_day(room_code, day)
    try:
        closed = register_services.register_close(room=room, date=date, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
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
