from django import forms

from sanctions.models import IncidentStudent, Provision, ReasonCategory
from school.models import Room


class ReferralForm(forms.Form):
    """A referral names the incident (what, where, when, why) and the provision asked for."""

    provision = forms.ModelChoiceField(
        queryset=Provision.objects.all(), empty_label=None, label="Provision asked for"
    )
    days = forms.IntegerField(min_value=1, max_value=10, initial=1, label="Days")
    occurred_at = forms.DateTimeField(
        label="When it happened",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.filter(is_active=True), required=False, label="Room"
    )
    location = forms.CharField(
        max_length=120, required=False, label="Or another place", help_text="e.g. canteen"
    )
    reason = forms.ModelChoiceField(
        queryset=ReasonCategory.objects.filter(is_active=True), label="Reason"
    )
    part = forms.ChoiceField(
        choices=IncidentStudent.Part.choices,
        initial=IncidentStudent.Part.PERPETRATOR,
        label="The student's part",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="What happened")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note for the approver"
    )

    def clean(self):
        data = super().clean()
        if not data.get("room") and not data.get("location", "").strip():
            self.add_error("location", "Say where it happened: choose a room or name a place.")
        return data


class DecisionForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=10, label="Days")
    provision = forms.ModelChoiceField(
        queryset=Provision.objects.all(), empty_label=None, label="Provision"
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Note")


class DeclineForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Why it is declined")
