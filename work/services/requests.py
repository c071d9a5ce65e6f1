"""Writes for work requests: asking the teachers of the lessons a placed student misses for
work (with the school's deadline), the teacher's answer, the programme's task at the deadline,
the reminder before it, the officer's record of the work done, the teacher's acknowledgement,
and withdrawing what is no longer needed."""

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from notify.services import staff_email_send
from sanctions.models import PlacementDay
from school.models import Staff
from school.selectors.calendar import is_school_day
from school.selectors.timetable import student_timetable_on
from work.models import (
    Programme,
    ProgrammeTask,
    WorkAttachment,
    WorkRequest,
    WorkSet,
    WorkSettings,
)

S = WorkRequest.Status
# What a teacher or officer may attach: documents, slides, sheets and pictures.
ALLOWED_EXTENSIONS = frozenset(
    [
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "ppt",
        "pptx",
        "odp",
        "xls",
        "xlsx",
        "ods",
        "csv",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "heic",
        "webp",
    ]
)
IMAGE_EXTENSIONS = frozenset(["jpg", "jpeg", "png", "gif", "heic", "webp", "pdf"])


def deadline_for(day: dt.date, settings: WorkSettings | None = None) -> dt.datetime:
    """When work for a lesson on `day` is due: the school's time on the school day(s) before
    (by default 16:00 the school day before)."""
    settings = settings or WorkSettings.current()
    before, counted = day, 0
    for _ in range(40):  # over a holiday of up to several weeks
        before -= dt.timedelta(days=1)
        if is_school_day(before):
            counted += 1
            if counted >= max(settings.deadline_school_days_before, 1):
                break
    return timezone.make_aware(dt.datetime.combine(before, settings.deadline_time))


def _lesson_start(day: dt.date, starts_at: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, starts_at))


@transaction.atomic
def work_requests_create(
    *, days: Sequence[PlacementDay], from_time: dt.time | None = None
) -> list[WorkRequest]:
    """A work request to the teacher of every lesson the student misses on `days` (a
    placement's register lines, first day first): the lesson's own teacher, else the class's
    first teacher. With `from_time` (a removal during the day), the first day's lessons already
    over are skipped. Each has the school's deadline; a lesson too soon for it (a removal
    today, a booking after the deadline) is asked for "as soon as you can"."""
    now = clock.now()
    settings = WorkSettings.current()
    requests = []
    for index, day in enumerate(days):
        deadline = deadline_for(day.date, settings)
        for slot in student_timetable_on(day.placement.student, day.date):
            if index == 0 and from_time and slot.period.ends_at <= from_time:
                continue  # a lesson already over when the student was removed
            teacher = slot.staff or next(
                (link.staff for link in slot.teaching_class.teacher_links.all()), None
            )
            asap = deadline <= now
            requests.append(
                WorkRequest(
                    placement_day=day,
                    date=day.date,
                    period=slot.period,
                    teaching_class=slot.teaching_class,
                    slot=slot,
                    teacher=teacher,
                    created_at=now,
                    deadline=_lesson_start(day.date, slot.period.starts_at) if asap else deadline,
                    asap=asap,
                )
            )
    return WorkRequest.objects.bulk_create(requests)


@transaction.atomic
def work_requests_withdraw(*, days: Iterable[PlacementDay], why: str = "") -> int:
    """Cancel the work requests for `days` (register lines given up, moved or cancelled); work
    already returned to its teacher stays returned. A teacher who had already set work for
    them is told by email. Says how many were cancelled."""
    standing = WorkRequest.objects.filter(placement_day__in=list(days)).exclude(
        status__in=[S.RETURNED, S.CANCELLED]
    )
    already_set = list(
        standing.filter(
            status=S.SET, work_set__kind__in=[WorkSet.Kind.LESSON, WorkSet.Kind.PROGRAMME]
        )
        .exclude(teacher=None)
        .select_related("teacher", "period", "teaching_class", "placement_day__placement__student")
    )
    cancelled = standing.update(status=S.CANCELLED)
    _tell_teachers_work_not_needed(already_set, why=why)
    return cancelled


def _tell_teachers_work_not_needed(requests: list[WorkRequest], *, why: str) -> None:
    by_teacher: dict[Staff, list[WorkRequest]] = {}
    for request in requests:
        if request.teacher and request.teacher.email:
            by_teacher.setdefault(request.teacher, []).append(request)
    for teacher, items in by_teacher.items():
        lines = [
            f"- {r.date:%a %d %b} {r.period.name} {r.teaching_class.code}: "
            f"{r.placement_day.placement.student.name}"
            for r in items
        ]
        staff_email_send(
            to=teacher.email,
            subject="Work you set is no longer needed",
            body="\n".join(
                [
                    f"Dear {teacher.display_name},",
                    "",
                    "You set work for these lessons, but the student's placement has been "
                    f"{why or 'changed'}; the room will not use it on these days:",
                    "",
                    *lines,
                    "",
                    "If the placement was moved, the new days are in Work to set in Conduct.",
                ]
            ),
        )


# ---- answering ------------------------------------------------------------------------------


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def check_upload(upload: UploadedFile, *, field: str, images_only: bool = False) -> None:
    """Refuse a file too big or of a kind the room can't open, saying why by the field."""
    settings = WorkSettings.current()
    allowed = IMAGE_EXTENSIONS if images_only else ALLOWED_EXTENSIONS
    name = upload.name or "file"
    if _extension(name) not in allowed:
        raise ValidationError(
            {field: f"{name} can't be attached: send one of {', '.join(sorted(allowed))}."}
        )
    if upload.size is not None and upload.size > settings.max_upload_mb * 1024 * 1024:
        raise ValidationError(
            {
                field: f"{name} is {upload.size / 1024 / 1024:.1f} MB: the largest file "
                f"allowed is {settings.max_upload_mb} MB."
            }
        )


def _check_link(link: str) -> str:
    link = link.strip()
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {"link": "Give a web address starting https:// (or http://)."}
            ) from None
    return link


def programme_for(request: WorkRequest) -> Programme | None:
    teaching_class = request.teaching_class
    if teaching_class.subject_id is None or teaching_class.year_group_id is None:
        return None
    return Programme.objects.filter(
        subject_id=teaching_class.subject_id, year_group_id=teaching_class.year_group_id
    ).first()


def next_task_for(programme: Programme, student_id: int) -> ProgrammeTask | None:
    """The programme's next task for this student: the first, in order, they have not been
    given; once they have had them all, round again from the one they had longest ago."""
    tasks = list(programme.tasks.order_by("position", "pk"))
    if not tasks:
        return None
    given = list(
        WorkRequest.objects.filter(placement_day__placement__student_id=student_id, task__in=tasks)
        .exclude(status=S.CANCELLED)
        .order_by("date", "period__starts_at", "pk")
        .values_list("task_id", flat=True)
    )
    for task in tasks:
        if task.pk not in given:
            return task
    last_seen = {task_id: index for index, task_id in enumerate(given)}
    return min(tasks, key=lambda task: last_seen.get(task.pk, -1))


@dataclass
class Answer:
    kind: str  # WorkSet.Kind.LESSON or PROGRAMME
    instructions: str = ""
    link: str = ""
    task: ProgrammeTask | None = None


@transaction.atomic
def work_set(
    *,
    requests: Sequence[WorkRequest],
    answer: Answer,
    files: Sequence[UploadedFile] = (),
    by,
) -> WorkSet:
    """The teacher's answer to one or more requests (the same class on the same day): their
    instructions, an online link, files, a task from the programme, or "follow the
    programme" (each student then gets their own next task). Replaces an earlier answer; work
    already recorded by the room can't be changed. Kept in each request's history."""
    if not requests:
        raise ActionRefused("Choose at least one student to set work for.")
    first = requests[0]
    if any(
        r.teaching_class_id != first.teaching_class_id or r.date != first.date for r in requests
    ):
        raise ActionRefused("One answer covers students from the same class on the same day.")
    if answer.kind not in (WorkSet.Kind.LESSON, WorkSet.Kind.PROGRAMME):
        raise ValidationError({"kind": "Choose how you are setting the work."})
    instructions = answer.instructions.strip()
    link = _check_link(answer.link)
    for upload in files:
        check_upload(upload, field="files")
    programme = programme_for(first)
    task = answer.task
    if task is not None and (programme is None or task.programme_id != programme.pk):
        raise ValidationError({"task": "Choose a task from this class's programme."})
    if answer.kind == WorkSet.Kind.LESSON and not (instructions or link or files or task):
        raise ValidationError(
            {"instructions": "Write what to do, give a link, attach a file or pick a task."}
        )
    if answer.kind == WorkSet.Kind.PROGRAMME and (
        programme is None or not programme.tasks.exists()
    ):
        raise ValidationError(
            {"kind": "Your department has no programme of work for this class: write the work."}
        )
    now = clock.now()
    work = WorkSet.objects.create(
        kind=answer.kind, instructions=instructions, link=link, set_by=by, set_at=now
    )
    for upload in files:
        WorkAttachment.objects.create(
            work_set=work,
            file=upload,
            name=os.path.basename(upload.name or "file")[:200],
            size=upload.size or 0,
        )
    for request in requests:
        given = task
        if answer.kind == WorkSet.Kind.PROGRAMME and programme is not None:
            given = next_task_for(programme, request.placement_day.placement.student_id)
        late = request.deadline is not None and now > request.deadline
        changed = WorkRequest.objects.filter(
            pk=request.pk, status__in=[S.REQUESTED, S.SET], outcome=""
        ).update(status=S.SET, work_set=work, task=given, answered_late=late)
        if changed != 1:
            raise ActionRefused(
                f"{request.placement_day.placement.student.name}'s work for "
                f"{request.period.code} is no longer open to set."
            )
        history_record(
            target=request,
            by=by,
            from_=request.status,
            to=S.SET,
            note=work.get_kind_display() + (" (late)" if late else ""),
            student=request.placement_day.placement.student,
        )
    return work


# ---- the deadline ---------------------------------------------------------------------------


def _student_line(request: WorkRequest) -> str:
    return (
        f"- {request.date:%a %d %b} {request.period.name} {request.teaching_class.code}: "
        f"{request.placement_day.placement.student.name} "
        f"(due {request.deadline:%a %H:%M})"
        if request.deadline
        else ""
    )


def work_reminders_send() -> int:
    """Remind each teacher once, some hours before the deadline, of the requests they have not
    answered (one email per teacher). Says how many teachers were reminded."""
    now = clock.now()
    settings = WorkSettings.current()
    due = list(
        WorkRequest.objects.filter(
            status=S.REQUESTED,
            reminded_at=None,
            fell_back_at=None,
            asap=False,
            deadline__gt=now,
            deadline__lte=now + dt.timedelta(hours=settings.reminder_hours_before),
        )
        .exclude(teacher=None)
        .select_related("teacher", "period", "teaching_class", "placement_day__placement__student")
        .order_by("deadline", "date", "period__starts_at")
    )
    by_teacher: dict[Staff, list[WorkRequest]] = {}
    for request in due:
        by_teacher.setdefault(request.teacher, []).append(request)  # type: ignore[arg-type]
    with transaction.atomic():
        for teacher, items in by_teacher.items():
            if teacher.email:
                staff_email_send(
                    to=teacher.email,
                    subject=f"Reminder: work to set for {len(items)} lesson(s)",
                    body="\n".join(
                        [
                            f"Dear {teacher.display_name},",
                            "",
                            "These students miss your lessons and have no work from you yet:",
                            "",
                            *map(_student_line, items),
                            "",
                            "Set it in Conduct under Work to set. At the deadline your "
                            "department's programme of work is given instead.",
                        ]
                    ),
                )
        WorkRequest.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return len(by_teacher)


@transaction.atomic
def work_fall_back_due() -> tuple[int, int]:
    """At the deadline, give each unanswered request the next task of its department's
    programme for the subject and year; with no programme it stays a gap the room staff see.
    Says how many fell back and how many are gaps."""
    now = clock.now()
    due = list(
        WorkRequest.objects.filter(status=S.REQUESTED, fell_back_at=None, deadline__lte=now)
        .select_related("teaching_class", "placement_day__placement__student", "period")
        .order_by("date", "period__starts_at", "pk")
    )
    fell_back = gaps = 0
    programmes: dict[tuple, Programme | None] = {}
    for request in due:
        key = (request.teaching_class.subject_id, request.teaching_class.year_group_id)
        if key not in programmes:
            programmes[key] = programme_for(request)
        programme = programmes[key]
        student = request.placement_day.placement.student
        task = next_task_for(programme, student.pk) if programme else None
        if task is None:
            WorkRequest.objects.filter(pk=request.pk, status=S.REQUESTED).update(fell_back_at=now)
            gaps += 1
            continue
        work = WorkSet.objects.create(kind=WorkSet.Kind.FALLBACK, set_at=now)
        changed = WorkRequest.objects.filter(pk=request.pk, status=S.REQUESTED).update(
            status=S.SET, work_set=work, task=task, fell_back_at=now
        )
        if changed:
            fell_back += 1
            history_record(
                target=request,
                by=None,
                from_=S.REQUESTED,
                to=S.SET,
                note=f"No answer by the deadline: {programme}, {task.title}",
                student=student,
            )
    return fell_back, gaps


def work_deadlines_due() -> None:
    """Called by the worker every pass: the reminders before the deadline, then the
    programme's tasks at it."""
    work_reminders_send()
    work_fall_back_due()


# ---- in the room and back -------------------------------------------------------------------


@transaction.atomic
def work_record(
    *,
    request: WorkRequest,
    outcome: str,
    note: str = "",
    scan: UploadedFile | None = None,
    by,
) -> WorkRequest:
    """The officer's record of one piece of work done in the room (completed, partly, not
    done), with a note and an optional scan or photo: it returns to the teacher."""
    if outcome not in WorkRequest.Outcome.values:
        raise ValidationError({"outcome": "Choose completed, partly done or not done."})
    if request.status == S.CANCELLED:
        raise ActionRefused("This lesson's work was withdrawn with the placement's day.")
    if request.date > clock.today():
        raise ActionRefused("Work can be recorded on the day, not before.")
    if scan is not None:
        check_upload(scan, field="scan", images_only=True)
    note = note.strip()
    if outcome != WorkRequest.Outcome.COMPLETED and not note:
        raise ValidationError({"note": "Say what was done, or why not."})
    locked = WorkRequest.objects.select_for_update().get(pk=request.pk)
    before = locked.status
    locked.outcome = outcome
    locked.outcome_note = note
    if scan is not None:
        locked.outcome_file = scan
    locked.recorded_by = by
    locked.recorded_at = clock.now()
    locked.acknowledged_at = None
    locked.status = S.RETURNED
    locked.save()
    history_record(
        target=locked,
        by=by,
        from_=before,
        to=S.RETURNED,
        note=f"{locked.get_outcome_display()}{': ' + note if note else ''}",
        student=request.placement_day.placement.student,
    )
    return locked


@transaction.atomic
def work_acknowledge(*, request: WorkRequest, by) -> WorkRequest:
    """The teacher has seen the work returned to them."""
    changed = WorkRequest.objects.filter(
        pk=request.pk, status=S.RETURNED, acknowledged_at=None
    ).update(acknowledged_at=clock.now())
    if changed != 1:
        raise ActionRefused("This work is not waiting for you to acknowledge it.")
    history_record(
        target=request,
        by=by,
        field="acknowledged",
        from_="",
        to="yes",
        student=request.placement_day.placement.student,
    )
    request.refresh_from_db()
    return request
