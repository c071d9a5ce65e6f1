"""Writes for programmes of work: a department's ordered tasks per subject and year group."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max

from audit.services import history_record
from conduct.lib import clock, versions
from conduct.lib.errors import ActionRefused
from school.models import Subject, YearGroup
from work.models import Programme, ProgrammeTask
from work.services.requests import check_upload


def _touch(programme: Programme, by) -> None:
    programme.updated_at = clock.now()
    programme.updated_by = by
    programme.save(update_fields=["updated_at", "updated_by"])


@transaction.atomic
def programme_create(*, subject: Subject, year_group: YearGroup, by) -> Programme:
    """A new, empty programme of work for a subject and year group (one each)."""
    try:
        with transaction.atomic():
            programme = Programme.objects.create(
                subject=subject, year_group=year_group, updated_by=by, updated_at=clock.now()
            )
    except IntegrityError:
        raise ActionRefused(
            f"{subject} for Year {year_group.number} already has a programme of work."
        ) from None
    history_record(target=programme, by=by, to="created", note=str(programme))
    return programme


def _clean_task(
    *, title: str, instructions: str, link: str, file: UploadedFile | None
) -> tuple[str, str, str]:
    title, instructions, link = title.strip(), instructions.strip(), link.strip()
    if not title:
        raise ValidationError({"title": "Give the task a title."})
    if not instructions:
        raise ValidationError({"instructions": "Say what the student does."})
    if file is not None:
        check_upload(file, field="file")
    return title, instructions, link


@transaction.atomic
def task_add(
    *,
    programme: Programme,
    title: str,
    instructions: str,
    unit: str = "",
    link: str = "",
    file: UploadedFile | None = None,
    by,
) -> ProgrammeTask:
    """A task at the end of the programme."""
    title, instructions, link = _clean_task(
        title=title, instructions=instructions, link=link, file=file
    )
    last = programme.tasks.aggregate(last=Max("position"))["last"] or 0
    task = ProgrammeTask.objects.create(
        programme=programme,
        position=last + 1,
        unit=unit.strip(),
        title=title,
        instructions=instructions,
        link=link,
        file=file or "",
    )
    _touch(programme, by)
    history_record(target=programme, by=by, field="tasks", to=f"added {title}")
    return task


def task_version(task: ProgrammeTask) -> str:
    """The token for what a task says now (its edit form carries it)."""
    return versions.fingerprint(task.unit, task.title, task.instructions, task.link, task.file.name)


@transaction.atomic
def task_update(
    *,
    task: ProgrammeTask,
    title: str,
    instructions: str,
    unit: str = "",
    link: str = "",
    file: UploadedFile | None = None,
    seen: str = "",
    by,
) -> ProgrammeTask:
    """Change a task; `seen` is `task_version` as the form showed it: when someone else changed
    the task meanwhile, the save is refused rather than overwriting theirs."""
    current = ProgrammeTask.objects.select_for_update().get(pk=task.pk)
    versions.check_unchanged(
        seen=seen,
        current=task_version(current),
        message="Someone else changed this task while you were editing it. Open it again to "
        "see their version, then make your change.",
    )
    title, instructions, link = _clean_task(
        title=title, instructions=instructions, link=link, file=file
    )
    task.title, task.instructions, task.unit, task.link = title, instructions, unit.strip(), link
    if file is not None:
        task.file = file
    task.save()
    _touch(task.programme, by)
    history_record(target=task.programme, by=by, field="tasks", to=f"changed {title}")
    return task


@transaction.atomic
def task_move(*, task: ProgrammeTask, up: bool, by) -> None:
    """Swap a task with the one before (up) or after it."""
    tasks = list(task.programme.tasks.select_for_update().order_by("position", "pk"))
    index = next(i for i, t in enumerate(tasks) if t.pk == task.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(tasks):
        return
    tasks[index], tasks[other] = tasks[other], tasks[index]
    for position, each in enumerate(tasks, start=1):
        if each.position != position:
            ProgrammeTask.objects.filter(pk=each.pk).update(position=position)
    _touch(task.programme, by)
    history_record(
        target=task.programme,
        by=by,
        field="tasks",
        to=f"moved {task.title} {'up' if up else 'down'}",
    )


@transaction.atomic
def task_remove(*, task: ProgrammeTask, by) -> None:
    """Take a task out of the programme; work already given keeps its words in the pack's
    history but no longer names the task."""
    programme = task.programme
    title = task.title
    task.delete()
    for position, each in enumerate(programme.tasks.order_by("position", "pk"), start=1):
        if each.position != position:
            ProgrammeTask.objects.filter(pk=each.pk).update(position=position)
    _touch(programme, by)
    history_record(target=programme, by=by, field="tasks", to=f"removed {title}")
