"""The confidentiality level every pastoral record carries (docs/safeguarding.md)."""

from django.core.exceptions import ValidationError

from pastoral.models import Level


def check_level(level: str) -> None:
    if level not in Level.values:
        raise ValidationError({"level": "Choose staff, pastoral or child protection."})
