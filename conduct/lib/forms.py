"""Showing a service's refusal on the form that asked for it."""

from django.core.exceptions import ValidationError

# The longest text a form takes (characters): an account of what happened, and a note. Longer
# is refused by the field; the whole post is bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (settings).
LONG_TEXT = 10_000
NOTE_TEXT = 2_000


def errors_into(form, error: ValidationError) -> None:
    """Put a service's ValidationError on `form`: each message by its field where the form has
    that field, the rest at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
