"""Reads for the reviews the rules open: a person's reviews to do, one review with what it needs
(the removal history, the lessons and teachers removed from)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString, mark_safe

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.rendering import escape
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
    """A removal as a review lists it, every word written once."""

    day: str  # "Tue 3 Nov", the day it starts
    student_name: str
    provision: str
    lesson: str  # "" when neither the slot nor the incident names a class
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


def _removals(placements: QuerySet[Placement]) -> QuerySet:
    """`placements` as `removal_history` reads them: the newest 30 with the columns it shows."""
    return placements.values(
        "starts_on",
        "student__preferred_first_name",
        "student__legal_first_name",
        "student__preferred_last_name",
        "student__legal_last_name",
        "provision__name",
        "removed_from_id",
        "removed_from__teaching_class__code",
        "removed_from__staff__title",
        "removed_from__staff__first_name",
        "removed_from__staff__last_name",
        "referral__incident_id",
        "referral__incident__teaching_class__code",
        "referral__incident__reported_by__title",
        "referral__incident__reported_by__first_name",
        "referral__incident__reported_by__last_name",
    ).order_by("-starts_on", "-pk")[:30]


def _not_cancelled() -> QuerySet[Placement]:
    return Placement.objects.exclude(status=Placement.Status.CANCELLED)


# A student's, a teacher's and a department's removals: three shapes, each compiled once
# (issue 15: building the five-join read was most of the review's page).
_STUDENT_REMOVALS = compiled_query(
    lambda student_id: _removals(_not_cancelled().filter(student_id=student_id))
)
_TEACHER_REMOVALS = compiled_query(
    lambda teacher_id: _removals(
        _not_cancelled().filter(
            Q(removed_from__staff_id=teacher_id) | Q(referral__incident__reported_by_id=teacher_id)
        )
    )
)
_DEPARTMENT_REMOVALS = compiled_query(
    lambda department_id: _removals(
        _not_cancelled()
        .filter(
            Q(removed_from__staff__department_id=department_id)
            | Q(referral__incident__reported_by__department_id=department_id)
        )
        .distinct()
    )
)


def removal_history(task: ReviewTask) -> list[Removal]:
    """The removals the review is about: the student's (or the teacher's, the department's), the
    newest 30, with the lesson and the teacher removed from (one query): the slot's class and
    teacher, else the incident's class and who reported it."""
    if task.student_id:
        rows = _STUDENT_REMOVALS(task.student_id)
    elif task.teacher_id:
        rows = _TEACHER_REMOVALS(task.teacher_id)
    else:
        rows = _DEPARTMENT_REMOVALS(task.department_id)
    found = []
    for row in rows:
        slot = row["removed_from_id"] is not None
        incident = row["referral__incident_id"] is not None
        if slot:
            lesson = row["removed_from__teaching_class__code"]
        else:
            lesson = (incident and row["referral__incident__teaching_class__code"]) or ""
        if slot and row["removed_from__staff__title"] is not None:
            teacher = staff_display_name(
                row["removed_from__staff__title"],
                row["removed_from__staff__first_name"],
                row["removed_from__staff__last_name"],
            )
        elif incident:
            teacher = staff_display_name(
                row["referral__incident__reported_by__title"],
                row["referral__incident__reported_by__first_name"],
                row["referral__incident__reported_by__last_name"],
            )
        else:
            teacher = ""
        found.append(
            Removal(
                day=wording.short_day(row["starts_on"]),
                student_name=student_name_from(row, "student__"),
                provision=row["provision__name"],
                lesson=lesson,
                teacher=teacher,
            )
        )
    return found


def removal_rows(removals: list[Removal], *, with_student: bool) -> SafeString:
    """The removals table's rows as the page writes them (with the student's name for a
    teacher's or a department's review), each escaped: "" when there are none."""
    return mark_safe(
        "".join(
            f"\n      <tr><td>{escape(r.day)}</td>"
            + (f"<td>{escape(r.student_name)}</td>" if with_student else "")
            + f"<td>{escape(r.provision)}</td><td>{escape(r.lesson or '–')}</td>"
            f"<td>{escape(r.teacher or '–')}</td></tr>\n    "
            for r in removals
        )
    )
