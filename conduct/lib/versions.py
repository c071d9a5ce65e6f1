"""What a person saw when they opened an edit form, so a save over someone else's change is
refused and they are told, not silently overwritten (optimistic concurrency)."""

import hashlib
from typing import Any

from conduct.lib.errors import ActionRefused


def fingerprint(*values: Any) -> str:
    """A short token standing for the values of a record's editable fields."""
    return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def check_unchanged(*, seen: str, current: str, message: str) -> None:
    """Refuse with `message` when the record changed since the form showed `seen` (a save
    without a token, e.g. from a service, is not checked)."""
    if seen and seen != current:
        raise ActionRefused(message)
