"""Forms for pastoral pages."""

import datetime as dt

from django import forms

from conduct.lib import clock
from pastoral.models import FamilyCall


class FamilyCallForm(forms.Form):
    guardian = forms.TypedChoiceField(label="Whom you rang", coerce=int, choices=())
    outcome = forms.ChoiceField(
        label="What came of it", choices=FamilyCall.Outcome.choices, widget=forms.RadioSelect
    )
    called_at = forms.TimeField(
        label="When (today)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was said, or which number was wrong.",
    )

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = [
            (g.pk, f"{g} ({link}) {g.mobile or g.home_phone or 'no number on record'}")
            for g, link in guardians
        ]

    def called_at_today(self) -> dt.datetime:
        return dt.datetime.combine(
            clock.today(), self.cleaned_data["called_at"], tzinfo=clock.now().tzinfo
        )
