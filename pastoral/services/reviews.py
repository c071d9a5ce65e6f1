"""The review the guidance asks for: when a student keeps being removed (or a teacher's or a
department's removals mount), open a review task for the people who can help, and close it with
a decision. Called where placements are booked, in the booking's transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from audit.services import history_record
from conduct.lib import clock
from pastoral.models import ReviewRule, ReviewTask
from sanctions.models import Placement, PlacementDay
from school.models import HalfTerm, NonSchoolDay, Staff, Student

if TYPE_CHECKING:
    from django.contrib.auth.models import User

R = ReviewRule
T = ReviewTask


def window_start(end: dt.date, school_days: int) -> dt.date:
    """The first of the `school_days` school days ending on `end`: weekdays, not counting the
    school's non-school days (one query)."""
    earliest = end - dt.timedelta(days=school_days * 3 + 14)
    closed = set(
        NonSchoolDay.objects.filter(date__gte=earliest, date__lte=end).values_list(
            "date", flat=True
        )
    )
    day, counted = end, 0
    while day > earliest:
        if day.weekday() < 5 and day not in closed:
            counted += 1
            if counted == school_days:
                return day
        day -= dt.timedelta(days=1)
    return earliest


def _live(placements):
    return placements.exclude(status=Placement.Status.CANCELLED)


def _teacher_of(placement: Placement) -> Staff | None:
    """Whom the student was removed from: the lesson's teacher, or who reported the incident."""
    if placement.removed_from_id and placement.removed_from and placement.removed_from.staff_id:
        return placement.removed_from.staff
    if placement.referral_id and placement.referral and placement.referral.incident_id:
        return placement.referral.incident.reported_by  # type: ignore[union-attr]
    return None


def _teacher_q(teachers: list[Staff]) -> Q:
    return Q(removed_from__staff__in=teachers) | Q(referral__incident__reported_by__in=teachers)


def _open(
    *,
    rule: ReviewRule,
    for_whom: str,
    reason: str,
    placement: Placement,
    by,
    lesson_department=None,
    **about,
) -> ReviewTask | None:
    """Open a task unless one is already open for the same person about the same subject."""
    if ReviewTask.objects.filter(status=T.Status.OPEN, for_whom=for_whom, **about).exists():
        return None
    assigned = None
    student = about.get("student")
    if for_whom == T.For.HEAD_OF_YEAR and student is not None and student.year_group_id:
        assigned = student.year_group.head_of_year
    department = about.get("department") or lesson_department
    if for_whom == T.For.HEAD_OF_DEPARTMENT and department is not None:
        assigned = department.head
    task = ReviewTask.objects.create(
        rule=rule,
        for_whom=for_whom,
        assigned_to=assigned,
        reason=reason[:300],
        placement=placement,
        opened_at=clock.now(),
        **about,
    )
    history_record(target=task, by=by, to=T.Status.OPEN, note=reason[:300], student=student)
    return task


def _student_reason(rule: ReviewRule, student: Student, placement: Placement) -> str | None:
    if rule.kind == R.Kind.REMOVALS:
        since = window_start(placement.starts_on, rule.within_school_days)
        count = _live(
            Placement.objects.filter(
                student=student, starts_on__gte=since, starts_on__lte=placement.starts_on
            )
        ).count()
        if count >= rule.count:
            return f"{count} removals in {rule.within_school_days} school days"
    elif rule.kind == R.Kind.ROOM_DAYS:
        half_term = HalfTerm.objects.filter(
            starts_on__lte=placement.starts_on, ends_on__gte=placement.starts_on
        ).first()
        if half_term is not None:
            days = (
                PlacementDay.objects.filter(
                    placement__student=student,
                    is_active=True,
                    date__gte=half_term.starts_on,
                    date__lte=half_term.ends_on,
                )
                .exclude(placement__status=Placement.Status.CANCELLED)
                .count()
            )
            if days >= rule.count:
                return f"{days} days in a room this half-term"
    elif rule.kind == R.Kind.EHCP_OR_LOOKED_AFTER:
        if student.has_ehcp and student.looked_after:
            return "removed, and has an EHCP and is looked after"
        if student.has_ehcp:
            return "removed, and has an education, health and care plan (EHCP)"
        if student.looked_after:
            return "removed, and is looked after"
    return None


def review_rules_check(*, placement: Placement, by) -> list[ReviewTask]:
    """After `placement` is booked: open the reviews the school's rules call for."""
    opened: list[ReviewTask] = []
    student = placement.student
    rules = list(ReviewRule.objects.filter(is_active=True))
    for rule in (r for r in rules if r.subject == R.Subject.STUDENT):
        why = _student_reason(rule, student, placement)
        if why is None:
            continue
        reason = f"{student.name}: {why}."
        who = [T.For.HEAD_OF_YEAR]
        if student.sen_status != Student.SenStatus.NONE:
            who.append(T.For.SENCO)
        for for_whom in who:
            task = _open(
                rule=rule,
                for_whom=for_whom,
                reason=reason,
                placement=placement,
                by=by,
                student=student,
            )
            if task:
                opened.append(task)
    teacher = _teacher_of(placement)
    if teacher is None:
        return opened
    # The department whose lesson it was (the subject's), else the teacher's own.
    slot = placement.removed_from
    subject = slot.teaching_class.subject if slot else None
    department = subject.department if subject is not None else teacher.department
    for rule in (r for r in rules if r.subject != R.Subject.STUDENT):
        since = window_start(placement.starts_on, rule.within_school_days)
        recent = _live(Placement.objects.filter(starts_on__gte=since))
        if rule.subject == R.Subject.TEACHER:
            count = recent.filter(_teacher_q([teacher])).count()
            about: dict = {"teacher": teacher}
            whose = teacher.display_name
        else:
            if department is None:
                continue
            colleagues = list(Staff.objects.filter(department=department))
            count = recent.filter(_teacher_q(colleagues)).distinct().count()
            about = {"department": department}
            whose = f"the {department} department"
        if count < rule.count:
            continue
        reason = (
            f"Students were removed from {whose}'s lessons {count} times in "
            f"{rule.within_school_days} school days: a chance to offer support."
        )
        for for_whom in (T.For.HEAD_OF_DEPARTMENT, T.For.SLT):
            task = _open(
                rule=rule,
                for_whom=for_whom,
                reason=reason,
                placement=placement,
                by=by,
                lesson_department=department,
                **about,
            )
            if task:
                opened.append(task)
    return opened


def review_task_close(*, task: ReviewTask, decision: str, note: str, by: User) -> ReviewTask:
    """Close a review with its decision (and a note saying why, or what was arranged)."""
    errors = {}
    if decision not in T.Decision.values:
        errors["decision"] = "Choose the decision."
    if decision == T.Decision.OTHER and not note.strip():
        errors["note"] = "Say what was decided."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changed = ReviewTask.objects.filter(pk=task.pk, status=T.Status.OPEN).update(
            status=T.Status.CLOSED,
            decision=decision,
            decision_note=note.strip(),
            closed_by=by,
            closed_at=clock.now(),
        )
        if changed != 1:
            raise ValidationError("This review has already been closed.")
        task.refresh_from_db()
        history_record(
            target=task,
            by=by,
            field="status",
            from_=T.Status.OPEN,
            to=T.Status.CLOSED,
            note=task.get_decision_display(),
            student=task.student,
        )
    return task
