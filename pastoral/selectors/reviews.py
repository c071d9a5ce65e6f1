"""Reads for the reviews the rules open: a person's reviews to do, one review with what it needs
(the removal history, the lessons and teachers removed from)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from conduct.roles import Role, has_role
from pastoral.models import ReviewTask
from sanctions.models import Placement
from school import policies as school_policies
from school.models import staff_display_name, student_name_from

# What every student review reminds its reader to consider (Equality Act 2010, SEND code).
ADJUSTMENTS_PROMPT = (
    "Before deciding, consider whether the behaviour could be linked to an unmet need (SEN, a "
    "disability, something at home), and whether reasonable adjustments — a different seat, a "
    "movement break, a time-out card, adapted work or instructions — could prevent further "
    "removals. If the student has an EHCP or is looked after, involve the SENCO or the "
    "designated teacher and the virtual school."
)


def _open_for(user_id: int, senco: bool, slt: bool, pastoral: bool) -> QuerySet[ReviewTask]:
    """The open reviews assigned to the user, and those for a role of theirs: the SENCO's, the
    senior team's, a head of year's not yet assigned."""
    mine = Q(assigned_to__user_id=user_id)
    if senco:
        mine |= Q(for_whom=ReviewTask.For.SENCO)
    if slt:
        mine |= Q(for_whom=ReviewTask.For.SLT)
    if pastoral:
        mine |= Q(for_whom=ReviewTask.For.HEAD_OF_YEAR, assigned_to__isnull=True)
    return ReviewTask.objects.filter(mine, status=ReviewTask.Status.OPEN)


def _to_do_values(tasks: QuerySet[ReviewTask]) -> QuerySet:
    return tasks.values(
        "pk",
        "reason",
        "opened_at",
        "student_id",
        "student__preferred_first_name",
        "student__legal_first_name",
        "student__preferred_last_name",
        "student__legal_last_name",
        "teacher_id",
        "teacher__title",
        "teacher__first_name",
        "teacher__last_name",
        "department__name",
    ).order_by("opened_at")


# The reviews of someone whose roles reach every year, and of a head of year (one year, an
# argument), compiled once for each combination of the roles that widen them (their SQL
# differs; the user's id is an argument).
_EVERY_YEAR: dict[tuple[bool, bool, bool], Callable[[int], list]] = {}
_ONE_YEAR: dict[tuple[bool, bool, bool], Callable[[int, int], list]] = {}


def _every_year(roles: tuple[bool, bool, bool]) -> Callable[[int], list]:
    if roles not in _EVERY_YEAR:
        _EVERY_YEAR[roles] = compiled_query(
            lambda user_id: _to_do_values(_open_for(user_id, *roles))
        )
    return _EVERY_YEAR[roles]


def _one_year(roles: tuple[bool, bool, bool]) -> Callable[[int, int], list]:
    if roles not in _ONE_YEAR:
        _ONE_YEAR[roles] = compiled_query(
            lambda user_id, year_id: _to_do_values(
                _open_for(user_id, *roles).filter(
                    Q(student__isnull=True) | Q(student__year_group_id__in=[year_id])
                )
            )
        )
    return _ONE_YEAR[roles]


@dataclass(frozen=True)
class ReviewToDo:
    """An open review as the home page lists it."""

    url: str
    title: str  # the student's name, or "Support for" the teacher or department
    reason: str
    opened_day: str  # "Tue 3 Nov"


def review_tasks_to_do(user) -> list[ReviewToDo]:
    """The open reviews for `user` (one query); pastoral staff's cut to their years."""
    roles = (has_role(user, Role.SENCO), has_role(user, Role.SLT), has_role(user, Role.PASTORAL))
    readers = (Role.PASTORAL, Role.SENCO, Role.SLT, Role.DSL)
    scoped = school_policies.scope_q(user, readers, "student__")
    year_id = school_policies.one_year_scope(user, readers)
    rows: Iterable[dict[str, Any]]
    if year_id is not None:
        rows = _one_year(roles)(user.pk, year_id)
    elif scoped:  # an empty Q (every year) would vanish from the OR below
        rows = _to_do_values(_open_for(user.pk, *roles).filter(Q(student__isnull=True) | scoped))
    else:
        rows = _every_year(roles)(user.pk)
    url = url_maker("review-task-detail")
    found = []
    for v in rows:
        if v["student_id"] is not None:
            title = student_name_from(v, "student__")
        elif v["teacher_id"] is not None:
            name = staff_display_name(
                v["teacher__title"], v["teacher__first_name"], v["teacher__last_name"]
            )
            title = f"Support for {name}"
        else:
            title = f"Support for {v['department__name'] or ''}"
        found.append(
            ReviewToDo(url(v["pk"]), title, v["reason"], wording.short_day(v["opened_at"]))
        )
    return found


@dataclass(frozen=True)
class Removal:
    placement: Placement
    lesson: str
    teacher: str


def review_task_get(task_id: int) -> ReviewTask | None:
    return (
        ReviewTask.objects.select_related(
            "student__year_group",
            "student__form",
            "teacher",
            "department",
            "rule",
            "assigned_to",
            "closed_by",
        )
        .filter(pk=task_id)
        .first()
    )


def removal_history(task: ReviewTask) -> list[Removal]:
    """The removals the review is about: the student's (or the teacher's, the department's), the
    newest 30, with the lesson and the teacher removed from (one query)."""
    placements = Placement.objects.exclude(status=Placement.Status.CANCELLED)
    if task.student_id:
        placements = placements.filter(student_id=task.student_id)
    elif task.teacher_id:
        placements = placements.filter(
            Q(removed_from__staff_id=task.teacher_id)
            | Q(referral__incident__reported_by_id=task.teacher_id)
        )
    else:
        placements = placements.filter(
            Q(removed_from__staff__department_id=task.department_id)
            | Q(referral__incident__reported_by__department_id=task.department_id)
        ).distinct()
    rows = placements.select_related(
        "student",
        "provision",
        "removed_from__teaching_class",
        "removed_from__staff",
        "referral__incident__reported_by",
        "referral__incident__teaching_class",
    ).order_by("-starts_on", "-pk")[:30]
    found = []
    for p in rows:
        slot = p.removed_from
        incident = p.referral.incident if p.referral_id and p.referral else None
        lesson = (
            str(slot.teaching_class)
            if slot
            else (str(incident.teaching_class) if incident and incident.teaching_class else "")
        )
        teacher = (
            slot.staff.display_name
            if slot and slot.staff
            else (incident.reported_by.display_name if incident else "")
        )
        found.append(Removal(p, lesson, teacher))
    return found
