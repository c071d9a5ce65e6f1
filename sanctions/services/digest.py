"""The morning digest: who is out of which lessons on a day, emailed to the staff."""

import datetime as dt

from django.db import transaction

from conduct.lib import clock
from notify.services import staff_email_send
from sanctions.models import DigestRun
from sanctions.selectors import in_rooms
from school.models import Staff
from school.selectors.calendar import current_school, is_school_day
from work.selectors import requests as work_selectors


def _digest_line(entry: in_rooms.InRoom) -> str:
    lessons = ", ".join(f"{w.period.code} {w.teaching_class.code}" for w in entry.lessons)
    form = entry.student.form or entry.student.year_group
    return f"- {entry.student.name} ({form}): {entry.provision.name}, {entry.room.code}" + (
        f". Misses {lessons}" if lessons else ". Misses no timetabled lesson"
    )


@transaction.atomic
def register_digest_send(*, day: dt.date, force: bool = False) -> DigestRun | None:
    """Email all staff who is out of which lessons on `day`, and each affected teacher their own
    list; once a day (`force` sends again). Queued in the notify outbox, sent after commit."""
    if DigestRun.objects.filter(date=day).exists():
        if not force:
            return None
        DigestRun.objects.filter(date=day).delete()
    entries = in_rooms.in_rooms_on(day)
    heading = f"{day:%A} {day.day} {day:%B}"
    run = DigestRun.objects.create(date=day, sent_at=clock.now(), students=len(entries))
    staff_emails = list(
        Staff.objects.filter(is_active=True).exclude(email="").values_list("email", flat=True)
    )
    if entries and staff_emails:
        body = "\n".join(
            [
                f"Students out of lessons on {heading}:",
                "",
                *map(_digest_line, entries),
                "",
                "Please set work for your lessons in Conduct; it goes to the room before school.",
            ]
        )
        staff_email_send(
            to=staff_emails,
            subject=f"Out of lessons today: {len(entries)} students ({heading})",
            body=body,
            related=run,
        )
        run.staff_emails = len(staff_emails)
    by_teacher: dict = {}
    for entry in entries:
        for request in entry.lessons:
            if request.teacher and request.teacher.email:
                by_teacher.setdefault(request.teacher, []).append((entry, request))
    returned: dict = {}
    for request in work_selectors.returned_not_acknowledged():
        if request.teacher and request.teacher.email:
            returned.setdefault(request.teacher, []).append(request)
            by_teacher.setdefault(request.teacher, [])
    for teacher, items in by_teacher.items():
        lines = [f"Dear {teacher.display_name},", ""]
        if items:
            lines += [f"These students miss your lessons on {heading}:", ""]
            lines += [
                f"- {r.period.name} {r.teaching_class.code}: {e.student.name} "
                f"({e.provision.name}, {e.room.code}) – work {r.state_label}"
                for e, r in items
            ]
            lines += ["", "Please set work for them in Conduct (Work) before the lesson."]
        if returned.get(teacher):
            lines += ["", "Work returned to you from the room:", ""]
            lines += [
                f"- {r.date:%a %d %b} {r.teaching_class.code}: "
                f"{r.placement_day.placement.student.name}, {r.get_outcome_display().lower()}"
                + (f" – {r.outcome_note}" if r.outcome_note else "")
                for r in returned[teacher]
            ]
            lines += ["", "See it (and any photo of the work) in Conduct under Work."]
        body = "\n".join(lines)
        staff_email_send(
            to=teacher.email,
            subject=f"Your students out of lessons on {heading}"
            if items
            else "Work returned to you from the room",
            body=body,
            related=run,
        )
    run.teacher_emails = len(by_teacher)
    run.save(update_fields=["staff_emails", "teacher_emails"])
    return run


def register_digest_due() -> DigestRun | None:
    """Called by the worker every pass: send today's digest once it's the school's digest time
    on a school day."""
    now = clock.now()
    school = current_school()
    if school is None or not is_school_day(now.date()) or now.time() < school.register_digest_at:
        return None
    return register_digest_send(day=now.date())
