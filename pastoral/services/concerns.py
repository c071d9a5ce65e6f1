"""Writes for safeguarding concerns: raising one (the DSL is told at once, in the app and by an
email that says only that a concern is waiting), the DSL's actions and its outcome."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from audit.services import history_record
from conduct.lib import clock
from conduct.lib.errors import ActionRefused
from conduct.roles import Role
from notify import services as notify_services
from pastoral.models import Concern, ConcernAction
from school.models import Student


def dsl_accounts() -> list:
    return list(get_user_model().objects.filter(groups__name=Role.DSL, is_active=True).distinct())


@transaction.atomic
def concern_raise(
    *, student: Student, what: str, urgent: bool = False, came_from: str = "", by
) -> Concern:
    """Keep a concern and tell the DSL(s) at once: an inbox notice and an email, neither with
    any of its content or the child's name."""
    if not what.strip():
        raise ValidationError({"what": "Write what you saw or heard."})
    concern = Concern.objects.create(
        student=student,
        raised_by=by,
        raised_at=clock.now(),
        what=what.strip(),
        urgent=urgent,
        came_from=came_from.strip()[:120],
    )
    history_record(target=concern, by=by, to=Concern.Status.OPEN)
    dsls = dsl_accounts()
    title = ("URGENT: " if urgent else "") + "A safeguarding concern is waiting for you"
    notify_services.notice_send(
        recipients=dsls,
        kind="concern",
        title=title,
        link=reverse("concern-detail", args=[concern.pk]),
        urgent=urgent,
    )
    addresses = [person.email for person in dsls if person.email]
    if addresses:
        notify_services.staff_email_send(
            to=addresses,
            subject=title,
            body=(
                "A safeguarding concern has been raised and is waiting for you in Conduct.\n"
                "Sign in to read it: its content is never sent by email.\n"
            ),
        )
    return concern


@transaction.atomic
def concern_action_add(*, concern: Concern, text: str, by) -> ConcernAction:
    """The DSL notes an action taken."""
    if not text.strip():
        raise ValidationError({"text": "Write the action taken."})
    if concern.status != Concern.Status.OPEN:
        raise ActionRefused("This concern is closed.")
    action = ConcernAction.objects.create(concern=concern, by=by, at=clock.now(), text=text.strip())
    history_record(target=concern, by=by, field="action", to="action added")
    return action


@transaction.atomic
def concern_close(*, concern: Concern, outcome: str, by) -> Concern:
    """The DSL records the outcome and closes the concern (once)."""
    if not outcome.strip():
        raise ValidationError({"outcome": "Write the outcome."})
    changed = Concern.objects.filter(pk=concern.pk, status=Concern.Status.OPEN).update(
        status=Concern.Status.CLOSED, outcome=outcome.strip(), closed_by=by, closed_at=clock.now()
    )
    if changed != 1:
        raise ActionRefused("This concern is already closed.")
    concern.refresh_from_db()
    history_record(target=concern, by=by, from_=Concern.Status.OPEN, to=Concern.Status.CLOSED)
    return concern
