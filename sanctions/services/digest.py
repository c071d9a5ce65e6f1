"""The morning digest: who is out of which lessons on a day, emailed to the staff."""

import datetime as dt

from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from notify.services import staff_email_send
from pastoral import policies as pastoral_policies
from pastoral.selectors import interventions as intervention_selectors
from pastoral.selectors import interviews as interview_selectors
from pastoral.services.interviews import RETURNING_WITHOUT_TARGETS
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
def register_digest_send(*, day: dt.date, force: bool = False, by=None) -> DigestRun | None:
    """Email all staff who is out of which lessons on `day`, and each affected teacher their own
    list; once a day (`force` sends again, on the same day's run). `by` is the person who sent it
    from the register (None: the worker). Queued in the notify outbox, sent after commit."""
    run = DigestRun.objects.select_for_update().filter(date=day).first()
    if run is not None and not force:
        return None
    entries = in_rooms.in_rooms_on(day)
    heading = f"{day:%A} {day.day} {day:%B}"
    user = by if by is not None and getattr(by, "is_authenticated", False) else None
    if run is None:
        run = DigestRun.objects.create(
            date=day, sent_at=clock.now(), sent_by=user, students=len(entries)
        )
    else:
        run.sent_at, run.sent_by, run.students = clock.now(), user, len(entries)
        run.times_sent += 1
        run.staff_emails = 0
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
    returning: dict = {}
    for back in interview_selectors.returning_on(day):
        for member in back.staff:
            if member.email and member.is_active:
                returning.setdefault(member, []).append(back)
                by_teacher.setdefault(member, [])
    # Intervention reviews due (overdue, or due today) for each owner who has any.
    reviews = intervention_selectors.reviews_due_by_owner(today=day)
    for owner in Staff.objects.filter(user_id__in=list(reviews), is_active=True).exclude(email=""):
        by_teacher.setdefault(owner, [])
    for teacher, items in by_teacher.items():
        lines = [f"Dear {teacher.display_name},", ""]
        if returning.get(teacher):
            lines += [f"Returning to lessons today, {heading}, after an exit interview:", ""]
            lines += [
                f"- {b.student.name} ({b.student.form or b.student.year_group}). "
                + _targets_for(teacher, b)
                for b in returning[teacher]
            ]
            lines += ["", "The student page in Conduct has the reintegration plan.", ""]
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
        due = reviews.get(teacher.user_id, []) if teacher.user_id else []
        if due:
            lines += [""] if len(lines) > 2 else []  # after the other sections
            lines += ["Intervention reviews due (you own them):", ""]
            lines += [
                f"- {i.student.name} ({i.student.form or i.student.year_group}): {i.kind}, "
                + (f"overdue since {i.review_on:%a %d %b}" if i.review_on < day else "due today")
                for i in due
            ]
            lines += ["", "Record each review from your home page in Conduct."]
        body = "\n".join(lines)
        staff_email_send(
            to=teacher.email,
            subject=f"Your students out of lessons on {heading}"
            if items
            else f"Returning to lessons today ({heading})"
            if returning.get(teacher)
            else "Work returned to you from the room"
            if returned.get(teacher)
            else f"Intervention reviews due: {len(due)}",
            body=body,
            related=run,
        )
    run.teacher_emails = len(by_teacher)
    run.teachers = ", ".join(sorted(teacher.display_name for teacher in by_teacher))
    run.save()
    return run


def _targets_for(member: Staff, back) -> str:
    """The targets for a returning student in `member`'s email, or "returning" alone when the
    exit interview is above a level they may read (docs/restorative.md)."""
    if back.interview.level == "staff" or (
        member.user is not None and pastoral_policies.can_read_targets(member.user, back.interview)
    ):
        return f"Targets: {back.targets}"
    return RETURNING_WITHOUT_TARGETS


def digest_sent_phrase(run: DigestRun) -> str:
    """ "Sent at 07:30 by the worker to all 9 staff, and to 1 teacher with their own list (Ms A
    Teague)." — when the day's digest last went and to whom."""
    who = (
        "the worker"
        if run.sent_by is None
        else (run.sent_by.get_full_name() or run.sent_by.get_username())
    )
    to = f"all {run.staff_emails} staff" if run.staff_emails else "no staff (nobody was in a room)"
    teachers = (
        f", and to {run.teacher_emails} teacher{'s' if run.teacher_emails != 1 else ''} "
        f"with their own list ({run.teachers})"
        if run.teacher_emails
        else ""
    )
    times = f" It has gone {run.times_sent} times today." if run.times_sent > 1 else ""
    return f"Sent at {clock.local(run.sent_at):%H:%M} by {who} to {to}{teachers}.{times}"


@transaction.atomic
def register_digest_send_now(*, by, resend: bool = False) -> DigestRun:
    """Send today's digest from the register, kept in the history with who sent it. Sending it
    again must be asked for as a resend: a second press of "Send" is refused, saying when it went
    and to whom."""
    today = clock.today()
    if not is_school_day(today):
        raise ActionRefused("Today is not a school day: there is no register digest to send.")
    before = DigestRun.objects.select_related("sent_by").filter(date=today).first()
    if before is not None and not resend:
        raise ActionRefused(
            f"Today's digest has already gone. {digest_sent_phrase(before)} "
            "Choose Resend to send it again."
        )
    run = register_digest_send(day=today, force=True, by=by)
    assert run is not None  # force always sends
    history_record(
        target=run,
        by=by,
        field="sent",
        from_=f"{clock.local(before.sent_at):%H:%M}" if before else "",
        to=f"{clock.local(run.sent_at):%H:%M}",
        note="Resent from the register" if before else "Sent from the register",
    )
    return run


def register_digest_due() -> DigestRun | None:
    """Called by the worker every pass: send today's digest once it's the school's digest time
    on a school day."""
    now = clock.now()
    school = current_school()
    if school is None or not is_school_day(now.date()) or now.time() < school.register_digest_at:
        return None
    return register_digest_send(day=now.date())
