from django import forms
from django.core.exceptions import ValidationError

from conduct.lib.forms import ROW_ID, IdChoiceField
from conduct.lib.rendering import FastSelect
from pastoral.models import Level
from patrol.models import DropIn, Duty, OnCallReason, OnCallRequest, SentOut
from school.models import Period, Room, Staff, Student, TeachingClass
from school.selectors import pickers


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses, as not a valid value, an id no row can have."""

    def _check_values(self, value):
        for pk in value:
            if not ROW_ID.fullmatch(str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class RaiseForm(forms.Form):
    reason = IdChoiceField(
        OnCallReason.objects.filter(is_active=True),
        error_messages={"required": "Tap the reason to send the call."},
    )
    urgency = forms.ChoiceField(
        choices=OnCallRequest.Urgency.choices, initial=OnCallRequest.Urgency.ROUTINE
    )
    room = IdChoiceField(Room.objects.filter(is_active=True), required=False)
    location = forms.CharField(max_length=120, required=False)
    teaching_class = IdChoiceField(TeachingClass.objects.all(), required=False)
    students = IdsChoiceField(Student.objects.filter(left_on__isnull=True), required=False)
    note = forms.CharField(max_length=1000, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("room") and not (data.get("location") or "").strip():
            self.add_error("room", "Say where help is needed: choose a room or type a place.")
        return data


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=OnCallRequest.Outcome.choices)
    note = forms.CharField(max_length=1000, required=False)
    level = forms.ChoiceField(choices=Level.choices, required=False)
    removed = IdsChoiceField(Student.objects.all(), required=False)


# ---- patrol: sent out, sweeps, watch list, drop-ins, rota ---------------------------------------

ON_ROLL = Student.objects.filter(left_on__isnull=True)
ACTIVE_ROOMS = Room.objects.filter(is_active=True)
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SentOutForm(forms.Form):
    student = IdChoiceField(ON_ROLL, error_messages={"required": "Choose the student sent out."})
    teaching_class = IdChoiceField(
        TeachingClass.objects.all(), required=False, label="Lesson (class)"
    )
    from_room = IdChoiceField(ACTIVE_ROOMS, required=False, label="Sent out of room")
    sent_to = forms.ChoiceField(
        choices=SentOut.Destination.choices,
        initial=SentOut.Destination.CORRIDOR,
        widget=forms.RadioSelect,
        label="Sent to",
    )
    sent_to_room = IdChoiceField(ACTIVE_ROOMS, required=False, label="Buddy room")
    sent_to_place = forms.CharField(max_length=120, required=False, label="Where (if elsewhere)")
    reason = forms.CharField(
        max_length=300, error_messages={"required": "Say why the student was sent out."}
    )
    sent_time = forms.TimeField(
        required=False, label="Time sent out", widget=TIME_WIDGET, help_text="Blank means now"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The buddy rooms the page lists, written once with the reference data; the queryset
        # still decides what a post may choose.
        field = self.fields["sent_to_room"]
        field.offer(pickers.active_room_options(field.empty_label))


class VisitForm(forms.Form):
    outcome = forms.ChoiceField(choices=SentOut.Outcome.choices)
    visited_time = forms.TimeField(required=False, widget=TIME_WIDGET)
    taken_to = forms.CharField(max_length=120, required=False)
    note = forms.CharField(max_length=1000, required=False)


class FindingForm(forms.Form):
    student = IdChoiceField(ON_ROLL, error_messages={"required": "Choose the student you found."})
    found_where = forms.CharField(
        max_length=120,
        label="Where found",
        error_messages={"required": "Say where the student was found."},
    )
    note = forms.CharField(max_length=300, required=False)


class FinishSweepForm(forms.Form):
    rooms = IdsChoiceField(ACTIVE_ROOMS, required=False, label="Rooms you looked into")
    areas = forms.CharField(
        max_length=300, required=False, label="Areas", help_text="e.g. science corridor, toilets"
    )
    note = forms.CharField(max_length=1000, required=False)


class WatchListForm(forms.Form):
    student = IdChoiceField(ON_ROLL, error_messages={"required": "Find and choose the student."})
    reason = forms.CharField(
        max_length=300,
        label="Why drop in",
        error_messages={"required": "Say why the patrol should drop in on this student."},
    )
    review_on = forms.DateField(label="Review on", widget=DATE_WIDGET)
    requested_by = IdChoiceField(Staff.objects.filter(is_active=True), label="Who asked")


class ReviewForm(forms.Form):
    review_on = forms.DateField(widget=DATE_WIDGET)


class DropInForm(forms.Form):
    engagement = forms.TypedChoiceField(
        choices=DropIn.Engagement.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="How engaged",
        error_messages={"required": "Choose how engaged the student was, from 1 to 5."},
    )
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea({"rows": 3}))
    level = forms.ChoiceField(
        choices=Level.choices,
        initial=Level.STAFF,
        required=False,
        help_text="Who may read it: staff (everyone on the watch list), pastoral (the pastoral "
        "team) or child protection (only the DSL and you). It can be raised later, never lowered.",
    )
    time = forms.TimeField(
        required=False, widget=TIME_WIDGET, label="Time", help_text="Blank means now"
    )


class DutyForm(forms.Form):
    date = forms.DateField(label="Day", widget=DATE_WIDGET)
    period = IdChoiceField(Period.objects.all())
    staff = IdChoiceField(Staff.objects.filter(is_active=True), label="Who")
    kind = forms.ChoiceField(choices=Duty.Kind.choices, label="Duty", widget=FastSelect)
    room = IdChoiceField(
        ACTIVE_ROOMS, required=False, help_text="Supervision only; blank means every room"
    )


class AbsenceForm(forms.Form):
    staff = IdChoiceField(Staff.objects.filter(is_active=True), label="Who")
    starts_on = forms.DateField(label="From", widget=DATE_WIDGET)
    ends_on = forms.DateField(label="To", widget=DATE_WIDGET)
    note = forms.CharField(max_length=200, required=False)
