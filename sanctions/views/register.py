"""The day's register for a room: the page, its actions, the printed register and the marks
export for the MIS."""

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
from django.utils.safestring import SafeString, mark_safe

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock, dates, spreadsheets
from conduct.lib.errors import message_of
from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from pastoral import policies as pastoral_policies
from sanctions import policies, printing, register_rendering
from sanctions.models import AttendanceMark, PlacementDay, RoomLogEntry
from sanctions.selectors import in_rooms
from sanctions.selectors import register as register_selectors
from sanctions.services import digest as digest_services
from sanctions.services import register as register_services
from school import policies as school_policies
from school.models import Room
from school.selectors.calendar import current_school
from school.selectors.people import staff_for_user


def _room_and_day(room_code: str, day: str | None) -> tuple[Room, dt.date]:
    """The room and the register's day from the URL (no day: today)."""
    room = register_selectors.room_of_code(room_code)
    if room is None:
        raise Http404("No room with that code")
    return room, dates.date_from_url(day)


def register(request, room_code: str, day: str | None = None):
    """The day's register for one room: who is in, when they come and go, why they are here.
    The open screen asks for `?version` every few seconds and reloads the list (`?partial`) when
    someone else changed it."""
    if not policies.can_view_register(request.user):
        raise PermissionDenied
    room, date = _room_and_day(room_code, day)
    if "version" in request.GET:
        return JsonResponse({"version": register_selectors.register_version(room.pk, date)})
    page = register_selectors.register_day(room.pk, date, viewer=request.user)
    placement_days = page.placement_days
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=room,
        detail={"page": "register", "date": date.isoformat(), "students": len(placement_days)},
    )
    can_mark = policies.can_mark_day(request.user, date) and page.closed is None
    controls = register_rendering.LineControls.of(request, date, can_mark=can_mark)
    lines = register_rendering.register_lines_html(placement_days, controls, room)
    if "partial" in request.GET:
        return HttpResponse(lines)
    leaves_at = register_services.leaving_time([line.leaves_at for line in placement_days])
    context = {
        "room": room,
        "date": date,
        # The day as the date filter would write it ("j M", "l j F Y"), without its formatter.
        "short_date": f"{date.day} {date:%b}",
        "long_date": f"{date:%A} {date.day} {date:%B %Y}",
        "placement_days": placement_days,
        "room_times": register_rendering.room_times_html(page.provisions),
        "closed": register_services.closed_phrase(page.closed) if page.closed else "",
        "version": page.version,
        "links": register_rendering.page_links(room.code, date),
        "can_run": policies.can_run_rooms(request.user),
        "is_ahead": date > clock.today(),
        "close_refusal": register_services.close_refusal(date=date, leaves_at=leaves_at),
        "register_lines": lines,
        **_digest_panel(request.user, date),
    }
    return render(request, "sanctions/register.html", context)


def _digest_panel(user, date: dt.date) -> dict:
    """Today's digest on today's register, for those who may send it: when it last went and to
    whom, or when the worker will send it."""
    if date != clock.today() or not policies.can_send_digest(user):
        return {}
    run = register_selectors.digest_of(date)
    school = current_school()
    due_at = school.register_digest_at if school else None
    return {
        "digest_panel": True,
        "digest_sent": digest_services.digest_sent_phrase(run) if run else "",
        "digest_at": due_at,
        # Past its time and not sent: the worker is not running.
        "digest_overdue": run is None and due_at is not None and clock.now().time() > due_at,
    }


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
    if not (dates.in_window(start) and dates.in_window(end)):
        first, last = dates.window()
        return HttpResponseBadRequest(f"Choose dates between {first:%d/%m/%Y} and {last:%d/%m/%Y}.")
    if end < start:
        return HttpResponseBadRequest("The end date is before the start date.")
    if (end - start).days > 366:
        return HttpResponseBadRequest("Export at most a year at a time.")
    marks = register_selectors.marks_between(start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="conduct-marks-{start}-to-{end}.csv"'
    response.write("\ufeff")  # Excel and SIMS open UTF-8 correctly with a BOM
    writer = spreadsheets.csv_writer(response)
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
    page = None
    if request.headers.get("HX-Request") and error is None:
        page = register_selectors.register_day(placement_day.room_id, placement_day.date)
    line = (
        next((pd for pd in page.placement_days if pd.pk == placement_day.pk), None)
        if page
        else None
    )
    if line is not None:
        controls = register_rendering.LineControls.of(
            request, line.date, can_mark=policies.can_mark_day(request.user, line.date)
        )
        return HttpResponse(register_rendering.line_html(line, controls))
    url = reverse("register", args=[placement_day.room.code, placement_day.date.isoformat()])
    return redirect(f"{url}#placement-day-{placement_day.pk}")


# The marks whose time is the person's own (arrived, left, removed); present is marked "now".
TIMED_KINDS = (
    AttendanceMark.Kind.LATE,
    AttendanceMark.Kind.LEFT_EARLY,
    AttendanceMark.Kind.REMOVED,
)


def _time_given(text: str, kind: str) -> dt.time:
    """The arrival (or leaving) time typed with a late, left-early or removed mark; now when it is
    left blank or the mark has no time of its own."""
    if kind not in TIMED_KINDS or not text.strip():
        return clock.minute_now()
    try:
        return dt.time.fromisoformat(text.strip()).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise ValidationError({"at": "Give the time as HH:MM, e.g. 09:05."}) from None


def _minutes_given(text: str) -> int | None:
    """The minutes late typed with a mark: blank counts them from the room's start; anything but
    a whole number from 1 to 999 is refused by the field ("²" is a digit to Python, not to int)."""
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and int(text) >= 1):
        raise ValidationError(
            {"minutes_late": "Give the minutes late as a whole number from 1 to 999, e.g. 10."}
        )
    return int(text)


def register_mark(request, placement_day_id: int):
    placement_day = _placement_day_or_404(request, placement_day_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kind = request.POST.get("kind", "")
    try:
        minutes = _minutes_given(request.POST.get("minutes_late", ""))
        register_services.mark_record(
            placement_day=placement_day,
            session=request.POST.get("session", ""),
            kind=kind,
            at=_time_given(request.POST.get("at", ""), kind),
            by=request.user,
            minutes_late=minutes,
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
            level=request.POST.get("level", "") or "staff",
            by=request.user,
        )
    except ValidationError as error:
        return _back_to_register(request, placement_day, error)
    return _back_to_register(request, placement_day)


def room_log_level(request, entry_id: int):
    """Raise the level of a room log note (POST), for its author or the pastoral team while they
    may read it; only to a higher level (docs/safeguarding.md)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not policies.can_view_register(request.user):
        raise PermissionDenied
    entry = get_object_or_404(
        RoomLogEntry.objects.select_related(
            "placement_day__placement__student", "placement_day__room"
        ),
        pk=entry_id,
    )
    student, level, author_id = entry.level_subject()
    if not pastoral_policies.note_readable(request.user, entry):
        raise Http404("No room log entry with that id")
    if not pastoral_policies.can_raise_level(
        request.user, student=student, level=level, author_id=author_id
    ):
        raise PermissionDenied
    try:
        register_services.room_log_level_raise(
            entry=entry, level=request.POST.get("level", ""), by=request.user
        )
    except ValidationError as error:
        return _back_to_register(request, entry.placement_day, error)
    messages.success(request, f"Level raised to {entry.get_level_display().lower()}.")
    return _back_to_register(request, entry.placement_day)


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


def register_digest(request):
    """Send today's register digest to the staff now, or resend it (a resend is asked for
    explicitly and kept in the history with who sent it)."""
    if not policies.can_send_digest(request.user):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    room = Room.objects.filter(code=request.POST.get("room", "")[:20]).first()
    try:
        run = digest_services.register_digest_send_now(
            by=request.user, resend="resend" in request.POST
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        audit_record(
            request=request,
            action=AuditEvent.Action.EXPORT,
            target=run,
            detail={"page": "register digest", "times_sent": run.times_sent},
        )
        messages.success(
            request,
            f"Today's register digest is on its way. {digest_services.digest_sent_phrase(run)}",
        )
    return redirect("register-today", room.code) if room else redirect("home")


def my_students_out(request):
    """A teacher's read-only list: which of their students are out of which of their lessons
    today, and in which room."""
    if not policies.can_view_own_students_out(request.user):
        raise PermissionDenied
    today = clock.today()
    lessons = in_rooms.out_of_lessons_taught_by(staff_for_user(request.user), today)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="sanctions.placementday",
        detail={"page": "my students out", "date": today.isoformat(), "lessons": len(lessons)},
    )
    return render(
        request,
        "sanctions/my_students_out.html",
        {
            "date": today,
            "lessons": lessons,
            "rows": _lessons_out_html(
                lessons, links=school_policies.can_view_students(request.user)
            ),
        },
    )


def _lessons_out_html(lessons: list[in_rooms.LessonOut], *, links: bool) -> SafeString:
    """The `<li>` of each lesson on a teacher's page of their students out of their lessons,
    as its template's loop wrote them (issue 15), the student's name a link to their page
    where `links`."""
    student_url = url_maker("student-detail")
    items = []
    for lesson in lessons:
        name = escape(lesson.student_name)
        if links:
            name = f'<a href="{student_url(lesson.student_id)}">{name}</a>'
        items.append(
            f'\n  <li class="out-lesson"><strong class="nowrap">{escape(lesson.period_code)} '
            f"{lesson.starts_at:%H:%M}</strong> <strong>{escape(lesson.class_code)}</strong>:\n"
            f'    {name} <span class="muted">{escape(lesson.form)}</span>\n'
            f"    is in {escape(lesson.provision_name.lower())} "
            f"({escape(lesson.room_code)}) · work: "
            f'<span class="work-state work-{escape(lesson.status)}">'
            f"{escape(lesson.status_label.lower())}</span></li>\n  "
        )
    return mark_safe("".join(items))
