"""Writes for interventions: set one (at a meeting, or by pastoral staff) and review it, which
carries it on, extends it, changes it or ends it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import history_record
from conduct.lib import clock
from pastoral.models import Intervention, InterventionReview, InterventionType, Meeting
from school.models import Student

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# A review date further ahead than this is a mistake, not a plan.
LONGEST = dt.timedelta(days=366)


def intervention_start(
    *,
    student: Student,
    kind: InterventionType,
    owner: User,
    review_on: dt.date,
    target: str,
    starts_on: dt.date | None = None,
    meeting: Meeting | None = None,
    by: User,
) -> Intervention:
    """Set an intervention for `student` with an owner who reviews it by `review_on`."""
    starts_on = starts_on or clock.today()
    errors: dict[str, str] = {}
    if not kind.is_active:
        errors["kind"] = "Choose an intervention from the school's list."
    if not target.strip():
        errors["target"] = "Say what it should achieve, so the review can tell."
    if review_on <= starts_on:
        errors["review_on"] = "The review must come after the start."
    elif review_on > starts_on + LONGEST:
        errors["review_on"] = "Review it within a year."
    if meeting is not None and meeting.student_id != student.pk:
        errors["meeting"] = "That meeting was about another student."
    if not owner.is_active:
        errors["owner"] = "Choose someone still on the staff."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        intervention = Intervention.objects.create(
            student=student,
            kind=kind,
            owner=owner,
            meeting=meeting,
            starts_on=starts_on,
            review_on=review_on,
            target=target.strip(),
            set_by=by,
        )
        history_record(
            target=intervention,
            by=by,
            to=Intervention.Status.ACTIVE,
            note=f"{kind}: {target.strip()[:200]}",
            student=student,
        )
    return intervention


def intervention_review(
    *,
    intervention: Intervention,
    progress: str,
    decision: str,
    next_review_on: dt.date | None = None,
    kind: InterventionType | None = None,
    target: str = "",
    by: User,
) -> InterventionReview:
    """Record a review: carry on or extend (to `next_review_on`), change (a new `kind` or
    `target`, reviewed on `next_review_on`) or end it (the progress is its outcome)."""
    errors: dict[str, str] = {}
    today = clock.today()
    if not progress.strip():
        errors["progress"] = "Say what progress there has been."
    if decision not in InterventionReview.Decision.values:
        errors["decision"] = "Choose what happens next."
    elif decision != InterventionReview.Decision.END:
        if next_review_on is None or next_review_on <= today:
            errors["next_review_on"] = "Choose the next review date, after today."
        elif next_review_on > today + LONGEST:
            errors["next_review_on"] = "Review it within a year."
    if decision == InterventionReview.Decision.CHANGE and kind is None and not target.strip():
        errors["target"] = "Say what changes: the intervention or its target."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if current.status != Intervention.Status.ACTIVE:
            raise ValidationError("This intervention has ended; start a new one instead.")
        review = InterventionReview.objects.create(
            intervention=current,
            progress=progress.strip(),
            decision=decision,
            next_review_on=next_review_on if decision != InterventionReview.Decision.END else None,
            reviewed_by=by,
            reviewed_at=clock.now(),
        )
        before = current.status
        if decision == InterventionReview.Decision.END:
            current.status = Intervention.Status.ENDED
            current.outcome = progress.strip()
        else:
            assert next_review_on is not None
            current.review_on = next_review_on
            if decision == InterventionReview.Decision.CHANGE:
                current.kind = kind or current.kind
                current.target = target.strip() or current.target
        current.save()
        history_record(
            target=current,
            by=by,
            field="review",
            from_=before,
            to=current.status,
            note=f"{review.get_decision_display()}: {progress.strip()[:200]}",
            student=current.student,
        )
    return review
