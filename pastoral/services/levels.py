"""The confidentiality level every pastoral record carries (docs/safeguarding.md)."""

from django.core.exceptions import ValidationError

from audit.services import history_record
from conduct.lib.errors import ActionRefused
from pastoral.models import LEVEL_RANK, Level


def check_level(level: str) -> None:
    if level not in Level.values:
        raise ValidationError({"level": "Choose staff, pastoral or child protection."})


def level_raise(*, record, level: str, by, student, field: str = "level"):
    """Raise the confidentiality level of any record that carries one (`field`), with a history
    row; a level is never lowered, and a change made meanwhile is refused. Call inside the
    caller's transaction."""
    check_level(level)
    current = getattr(record, field)
    if LEVEL_RANK[Level(level)] <= LEVEL_RANK[Level(current)]:
        raise ActionRefused("A record's level can only be raised.")
    model = type(record)
    if model.objects.filter(pk=record.pk, **{field: current}).update(**{field: level}) != 1:
        raise ActionRefused("The level changed meanwhile; look again.")
    setattr(record, field, level)
    history_record(target=record, by=by, field=field, from_=current, to=level, student=student)
    return record
