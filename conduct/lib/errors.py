"""The one error type for an action the rules refuse."""

from django.core.exceptions import ValidationError


class ActionRefused(ValidationError):
    """A write a service will not make as asked: already done by someone else, in the wrong
    state, not yours. Its message is written for the person who asked, and it is a
    ValidationError, so views show it the same way as a bad field."""


def message_of(error: ValidationError) -> str:
    """A refusal as one sentence for the person (a ValidationError's str() is a list's repr)."""
    return " ".join(error.messages)
