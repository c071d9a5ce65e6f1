"""Showing a service's refusal on the form that asked for it, and a model picker that lists
its options as plain rows."""

import re

from django import forms
from django.core.exceptions import ValidationError

from conduct.lib.rendering import Choices, FastSelect

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


# A row's id as a form sends it: ASCII digits that fit the database ("²", "1.5" or thirty nines
# are no row, and must not reach the database).
ROW_ID = re.compile(r"[0-9]{1,18}")


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that says "not one of the choices" to an id no row can have, written
    with `FastSelect` (the rota's staff and room lists are long)."""

    widget = FastSelect

    def to_python(self, value):
        if value not in self.empty_values and not ROW_ID.fullmatch(str(value)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def offer(self, choices) -> None:
        """List `choices`, (id, label) pairs read as plain rows (or `Options` kept with the
        reference data, school.selectors.pickers) with the empty choice first where the field
        shows one, in place of a model instance per option and a query per field (issue 15).
        What a post may choose is still the field's queryset: set it first (setting it lists
        its rows again)."""
        self.choices = choices if isinstance(choices, Choices) else Choices(choices)
