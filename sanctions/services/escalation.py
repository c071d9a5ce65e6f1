"""The school's escalation ladder: each step is a pending referral for a person to decide."""

import datetime as dt

from audit.services import history_record
from conduct.lib import clock
from sanctions.models import EscalationRule, Placement, Referral


def ladder_follow(*, placement: Placement, trigger: str, by) -> list[Referral]:
    """Follow the school's ladder after `placement` was booked or failed (`trigger`), in the
    caller's transaction: each matching step becomes a pending referral, once."""
    made = []
    rules = EscalationRule.objects.filter(
        from_provision=placement.provision, trigger=trigger, is_active=True
    ).select_related("to_provision")
    for rule in rules:
        if trigger == EscalationRule.Trigger.REPEATED:
            since = placement.starts_on - dt.timedelta(days=rule.within_days - 1)
            recent = (
                Placement.objects.filter(
                    student=placement.student,
                    provision=placement.provision,
                    starts_on__gte=since,
                    starts_on__lte=placement.starts_on,
                )
                .exclude(status=Placement.Status.CANCELLED)
                .count()
            )
            if recent < rule.count:
                continue
            why = (
                f"{recent} {placement.provision.name.lower()} placements in {rule.within_days} days"
            )
        else:
            why = f"failed {placement.provision.name.lower()} on {clock.today():%d/%m/%Y}"
        if Referral.objects.filter(escalated_from=placement, provision=rule.to_provision).exists():
            continue
        referral = Referral.objects.create(
            student=placement.student,
            provision=rule.to_provision,
            days=rule.days,
            incident=placement.referral.incident if placement.referral else None,
            requested_by=by,
            requested_at=clock.now(),
            note=f"Escalation ladder: {why}.",
            escalated_from=placement,
        )
        history_record(
            target=referral, by=by, to=referral.status, note=referral.note, student=referral.student
        )
        made.append(referral)
    return made
