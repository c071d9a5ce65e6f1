"""Writes for records of discussions with students: recording one, sharing it with named staff
(who get an inbox notice), their first read, and raising its confidentiality level."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from audit.services import history_record
from conduct.lib import clock, dates
from conduct.lib.errors import ActionRefused
from conduct.roles import Role
from notify import services as notify_services
from pastoral.models import LEVEL_RANK, Discussion, DiscussionShare, Level
from pastoral.services.levels import check_level
from school.models import Staff, Student


def share_recipients(student: Student, groups: Iterable[str], named: Staff | None) -> list:
    """The accounts a discussion goes to: the student's form tutor, head of year, the SENCO(s)
    and a named member of staff, as chosen."""
    groups = set(groups)
    unknown = groups - set(Discussion.Group.values)
    if unknown:
        raise ValidationError({"groups": "Choose from the groups listed."})
    people = []
    if Discussion.Group.FORM_TUTOR in groups:
        tutor = student.form.tutor if student.form is not None else None
        if tutor is None or tutor.user_id is None:
            raise ValidationError({"groups": f"{student.name} has no form tutor with an account."})
        people.append(tutor.user)
    if Discussion.Group.HEAD_OF_YEAR in groups:
        head = student.year_group.head_of_year
        if head is None or head.user_id is None:
            raise ValidationError({"groups": "The student's year has no head of year recorded."})
        people.append(head.user)
    if Discussion.Group.SENCO in groups:
        sencos = list(
            get_user_model().objects.filter(groups__name=Role.SENCO, is_active=True).distinct()
        )
        if not sencos:
            raise ValidationError({"groups": "No one holds the SENCO role."})
        people += sencos
    if named is not None:
        if named.user_id is None:
            raise ValidationError({"named": f"{named.display_name} has no account."})
        people.append(named.user)
    return people


@transaction.atomic
def discussion_record(
    *,
    student: Student,
    said: str,
    actions: str = "",
    follow_up_on: dt.date | None = None,
    level: str = Level.PASTORAL,
    groups: Iterable[str] = (),
    named: Staff | None = None,
    came_from: str = "",
    by,
) -> Discussion:
    """Keep a record of a discussion with `student` and share it with the staff chosen (each
    gets an inbox notice that says only that a record is shared, never its content)."""
    check_level(level)
    if not said.strip():
        raise ValidationError({"said": "Write what was said."})
    if came_from not in Discussion.CameFrom.values:
        came_from = ""
    if follow_up_on is not None:
        dates.date_in_window(follow_up_on, field="follow_up_on")
    groups = sorted(set(groups))
    recipients = share_recipients(student, groups, named)
    if recipients and level == Level.CHILD_PROTECTION:
        raise ValidationError(
            {
                "level": "A child-protection record is for the DSL only: raise a safeguarding "
                "concern, or choose another level to share it."
            }
        )
    discussion = Discussion.objects.create(
        student=student,
        recorded_by=by,
        recorded_at=clock.now(),
        said=said.strip(),
        actions=actions.strip(),
        follow_up_on=follow_up_on,
        level=level,
        came_from=came_from,
        shared_groups=groups + ([f"staff:{named.pk}"] if named is not None else []),
    )
    people = {person.pk: person for person in recipients if person.pk != by.pk}
    DiscussionShare.objects.bulk_create(
        [DiscussionShare(discussion=discussion, user=person) for person in people.values()]
    )
    history_record(target=discussion, by=by, to="recorded", student=student)
    notify_services.notice_send(
        recipients=people.values(),
        kind="discussion_shared",
        title=f"A record of a discussion with {student.name} is shared with you",
        link=reverse("discussion-detail", args=[discussion.pk]),
    )
    return discussion


def discussion_read(*, discussion: Discussion, by) -> bool:
    """Note `by`'s first read of a discussion shared with them (and their notice as read). Says
    whether this was their first read."""
    changed = DiscussionShare.objects.filter(
        discussion=discussion, user=by, read_at__isnull=True
    ).update(read_at=clock.now())
    notify_services.notices_read(user=by, link=reverse("discussion-detail", args=[discussion.pk]))
    return bool(changed)


@transaction.atomic
def discussion_level_raise(*, discussion: Discussion, level: str, by) -> Discussion:
    """Raise a discussion's level; a level is never lowered. Raising it to child protection
    leaves it to the DSL and its author, whoever it was shared with."""
    check_level(level)
    current = discussion.level
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(current)]:
        raise ActionRefused("A record's level can only be raised.")
    changed = Discussion.objects.filter(pk=discussion.pk, level=current).update(level=level)
    if changed != 1:
        raise ActionRefused("The level changed meanwhile; look again.")
    discussion.level = level
    history_record(
        target=discussion, by=by, field="level", from_=current, to=level, student=discussion.student
    )
    return discussion
