"""Writes for interviews with students in a provision: planning them (inside the placement's
transaction), the entry interview, the restorative exit interview and its "returning today"
note, and raising an interview's confidentiality level."""

import datetime as dt
import os
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from notify import services as notify_services
from pastoral import policies as pastoral_policies
from pastoral.models import LEVEL_RANK, Interview, Level, RestorativeQuestion, RoomStandard
from pastoral.selectors import interviews as interview_selectors
from pastoral.services.levels import check_level
from sanctions.models import Placement
from school.models import Staff
from school.selectors import calendar as school_calendar


@transaction.atomic
def entry_interview_plan(*, placement: Placement, due_on: dt.date) -> Interview:
    """The entry interview to do for `placement` on `due_on` (its first day)."""
    return Interview.objects.create(placement=placement, kind=Interview.Kind.ENTRY, due_on=due_on)


@transaction.atomic
def interviews_cancel(*, placement: Placement) -> int:
    """Cancel `placement`'s interviews still to do; those done stay done. Says how many."""
    return Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        status=Interview.Status.CANCELLED
    )


@transaction.atomic
def interviews_move(*, placement: Placement, due_on: dt.date) -> int:
    """Make `placement`'s interviews still to do due on `due_on` (its new first day). Says how
    many."""
    return Interview.objects.filter(placement=placement, status=Interview.Status.TO_DO).update(
        due_on=due_on
    )


def _texts(ids: Iterable[int], model, **filters) -> list[str]:
    wanted = {int(i) for i in ids}
    found = {
        row.pk: row.text for row in model.objects.filter(pk__in=wanted, active=True, **filters)
    }
    if wanted - set(found):
        raise ValidationError({"standards": "Choose from the room's standards as listed."})
    return [found[pk] for pk in sorted(found)]


@transaction.atomic
def interview_entry_complete(
    *,
    interview: Interview,
    standard_ids: Iterable[int],
    student_account: str,
    level: str = Level.PASTORAL,
    reflection: str = "",
    by,
) -> Interview:
    """Record the entry interview as done, once: the standards gone through, the student's
    account, who held it and when."""
    if interview.kind != Interview.Kind.ENTRY:
        raise ActionRefused("This is not an entry interview.")
    check_level(level)
    standards = _texts(standard_ids, RoomStandard)
    now = clock.now()
    changed = Interview.objects.filter(pk=interview.pk, status=Interview.Status.TO_DO).update(
        status=Interview.Status.DONE,
        conducted_by=by,
        conducted_at=now,
        answers={"standards": standards},
        student_account=student_account.strip(),
        reflection=reflection.strip(),
        level=level,
    )
    if changed != 1:
        raise ActionRefused("This interview is already done or was cancelled.")
    interview.refresh_from_db()
    history_record(
        target=interview,
        by=by,
        from_=Interview.Status.TO_DO,
        to=Interview.Status.DONE,
        student=interview.placement.student,
    )
    return interview


def _answers(given: dict[int, str], audience: str) -> list[dict[str, str]]:
    questions = RestorativeQuestion.objects.filter(audience=audience, active=True)
    return [
        {"question": q.text, "answer": given.get(q.pk, "").strip()}
        for q in questions
        if given.get(q.pk, "").strip()
    ]


# The "returning today" note to those who may not read the exit interview's level: the same
# words whatever that level is, so it says nothing of it (docs/restorative.md).
RETURNING_WITHOUT_TARGETS = "Please welcome them back to your lessons."


def returning_today_recipients(student, day: dt.date) -> list:
    """The accounts of the teachers of `student`'s lessons on `day`, their form tutor and head
    of year."""
    return [
        member.user
        for member in interview_selectors.returning_today_staff(student, day)
        if member.user_id is not None
    ]


@transaction.atomic
def exit_interview_record(
    *,
    placement: Placement,
    harm_answers: dict[int, str],
    affected_answers: dict[int, str],
    targets: str,
    check_in_by: Staff | None,
    check_in_when: str,
    check_in_how: str,
    level: str = Level.STAFF,
    by,
) -> Interview:
    """Record the restorative exit interview (once per placement) and send the "returning today"
    note with the targets to the teachers of the return day's lessons, the form tutor and the head
    of year."""
    check_level(level)
    if placement.status == Placement.Status.CANCELLED:
        raise ActionRefused("This placement was cancelled.")
    if not targets.strip():
        raise ValidationError({"targets": "Write the targets for the return."})
    if Interview.objects.filter(
        placement=placement, kind=Interview.Kind.EXIT, status=Interview.Status.DONE
    ).exists():
        raise ActionRefused("The exit interview is already recorded.")
    Interview.objects.filter(
        placement=placement, kind=Interview.Kind.EXIT, status=Interview.Status.TO_DO
    ).update(status=Interview.Status.CANCELLED)
    following = school_calendar.school_days_from(placement.ends_on + dt.timedelta(days=1), 1)
    returns_on = following[0] if following else None
    interview = Interview.objects.create(
        placement=placement,
        kind=Interview.Kind.EXIT,
        due_on=placement.ends_on,
        status=Interview.Status.DONE,
        conducted_by=by,
        conducted_at=clock.now(),
        answers={
            "restorative": _answers(harm_answers, RestorativeQuestion.Audience.CAUSED_HARM),
            "affected": _answers(affected_answers, RestorativeQuestion.Audience.AFFECTED),
        },
        targets=targets.strip(),
        check_in_by=check_in_by,
        check_in_when=check_in_when.strip()[:200],
        check_in_how=check_in_how.strip()[:200],
        level=level,
        returns_on=returns_on,
    )
    student = placement.student
    history_record(target=interview, by=by, to=Interview.Status.DONE, student=student)
    if returns_on is not None:
        recipients = returning_today_recipients(student, returns_on)
        told = [user for user in recipients if pastoral_policies.can_read_targets(user, interview)]
        for users, body in (
            (told, f"Targets: {interview.targets}"),
            ([user for user in recipients if user not in told], RETURNING_WITHOUT_TARGETS),
        ):
            if users:
                notify_services.notice_send(
                    recipients=users,
                    kind="returning_today",
                    title=f"{student.name} returns to lessons on {returns_on:%A %-d %B}",
                    body=body,
                    link=reverse("student-detail", args=[student.pk]),
                )
    return interview


@transaction.atomic
def interview_level_raise(*, interview: Interview, level: str, by) -> Interview:
    """Raise an interview's level; a level is never lowered."""
    check_level(level)
    current = interview.level
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(current)]:
        raise ActionRefused("A record's level can only be raised.")
    changed = Interview.objects.filter(pk=interview.pk, level=current).update(level=level)
    if changed != 1:
        raise ActionRefused("The level changed meanwhile; look again.")
    interview.level = level
    history_record(
        target=interview,
        by=by,
        field="level",
        from_=current,
        to=level,
        student=interview.placement.student,
    )
    return interview


@transaction.atomic
def interview_reflection_save(
    *, interview: Interview, answers: list[tuple[str, str]], by
) -> Interview:
    """Keep the student's own reflection (typed on a locked room device, under `by`'s session)
    with the entry interview: each question and answer, added to what is there."""
    if interview.kind != Interview.Kind.ENTRY or interview.status == Interview.Status.CANCELLED:
        raise ActionRefused("This interview takes no reflection.")
    given = [(q, a.strip()) for q, a in answers if a.strip()]
    if not given:
        raise ValidationError({"reflection": "Answer at least one question."})
    text = "\n\n".join(f"{q}\n{a}" for q, a in given)
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    current.reflection = f"{current.reflection}\n\n{text}".strip()
    current.save(update_fields=["reflection"])
    history_record(
        target=current,
        by=by,
        field="reflection",
        to="reflection added",
        student=current.placement.student,
    )
    return current


# The photo or scan of a paper reflection sheet: a picture or a PDF, checked by its name and by
# its first bytes (a renamed program is refused), no bigger than this.
SCAN_MAX_MB = 10
SCAN_EXTENSIONS = frozenset(["jpg", "jpeg", "png", "gif", "webp", "heic", "pdf"])


def _looks_like(head: bytes, extension: str) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension == "gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if extension == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    return head[4:8] == b"ftyp"  # heic


def check_reflection_scan(scan: UploadedFile) -> None:
    """Refuse a file that is not a photo or PDF, or is too big, saying why by the field."""
    name = scan.name or "file"
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in SCAN_EXTENSIONS:
        raise ValidationError(
            {"scan": f"{name} can't be attached: send a photo (JPEG, PNG, HEIC…) or a PDF."}
        )
    if scan.size is not None and scan.size > SCAN_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {
                "scan": f"{name} is {scan.size / 1024 / 1024:.1f} MB: the largest file "
                f"allowed is {SCAN_MAX_MB} MB."
            }
        )
    scan.seek(0)
    head = scan.read(16)
    scan.seek(0)
    if not head or not _looks_like(head, extension):
        raise ValidationError(
            {"scan": f"{name} is not the photo or PDF its name says: take the photo again."}
        )


@transaction.atomic
def interview_reflection_scan_attach(*, interview: Interview, scan: UploadedFile, by) -> Interview:
    """Keep a photo or scan of the student's paper reflection sheet with the entry interview
    (a new one replaces the last; the history keeps that it was changed)."""
    if interview.kind != Interview.Kind.ENTRY or interview.status == Interview.Status.CANCELLED:
        raise ActionRefused("This interview takes no reflection.")
    check_reflection_scan(scan)
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    had = bool(current.reflection_scan)
    current.reflection_scan = scan
    current.save(update_fields=["reflection_scan"])
    history_record(
        target=current,
        by=by,
        field="reflection_scan",
        from_="photo attached" if had else "",
        to="photo replaced" if had else "photo attached",
        student=current.placement.student,
    )
    return current
