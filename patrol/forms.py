from django import forms

from patrol.models import OnCallReason, OnCallRequest
from school.models import Room, Student, TeachingClass


class RaiseForm(forms.Form):
    reason = forms.ModelChoiceField(
        OnCallReason.objects.filter(is_active=True),
        error_messages={"required": "Tap the reason to send the call."},
    )
    urgency = forms.ChoiceField(
        choices=OnCallRequest.Urgency.choices, initial=OnCallRequest.Urgency.ROUTINE
    )
    room = forms.ModelChoiceField(Room.objects.filter(is_active=True), required=False)
    location = forms.CharField(max_length=120, required=False)
    teaching_class = forms.ModelChoiceField(TeachingClass.objects.all(), required=False)
    students = forms.ModelMultipleChoiceField(
        Student.objects.filter(left_on__isnull=True), required=False
    )
    note = forms.CharField(max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("room") and not (data.get("location") or "").strip():
            self.add_error("room", "Say where help is needed: choose a room or type a place.")
        return data


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=OnCallRequest.Outcome.choices)
    note = forms.CharField(max_length=1000, required=False)
    removed = forms.ModelMultipleChoiceField(Student.objects.all(), required=False)
