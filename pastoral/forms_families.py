"""The forms of the meetings with families and the interventions pages (docs/parents.md,
docs/interventions.md)."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from conduct.lib import clock
from conduct.roles import Role
from pastoral.models import InterventionReview, InterventionType, Meeting
from pastoral.rendering import FastTextarea
from school.models import Staff

OWNER_GROUPS = (Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.DSL, Role.SENCO)


def owner_choices():
    """Active staff who can own an intervention (the pastoral team and the SENCO)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=OWNER_GROUPS)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class MeetingForm(forms.Form):
    day = forms.DateField(
        label="Day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="Time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.TypedChoiceField(
        label="How long",
        coerce=int,
        choices=[(15, "15 minutes"), (30, "30 minutes"), (45, "45 minutes"), (60, "an hour")],
        initial=30,
    )
    mode = forms.ChoiceField(
        label="How", choices=Meeting.Mode.choices, widget=forms.RadioSelect, initial="in_person"
    )
    place = forms.CharField(
        label="Where",
        max_length=200,
        help_text="A room for a meeting in person; the number or link for a phone or video call.",
    )
    purpose = forms.CharField(
        label="What it is about",
        max_length=300,
        widget=FastTextarea(attrs={"rows": 2}),
        help_text="This goes in the invitation.",
    )
    staff = forms.ModelMultipleChoiceField(
        label="Staff attending",
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, staff_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff_queryset is not None:
            self.fields["staff"].queryset = staff_queryset

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=clock.now().tzinfo
        ).astimezone(clock.now().tzinfo)


class MeetingRecordForm(forms.Form):
    attended_by = forms.MultipleChoiceField(
        label="Who came", required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    discussed = forms.CharField(
        label="What was discussed and agreed",
        required=False,
        max_length=5000,
        widget=FastTextarea(attrs={"rows": 5}),
        help_text="Leave who came empty if nobody came: the meeting is recorded as not attended.",
    )

    def __init__(self, *args, guardians=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended_by"].choices = [(str(g.pk), str(g)) for g in guardians]


class RearrangeForm(forms.Form):
    day = forms.DateField(
        label="New day", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(
        label="New time", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(
        label="Where (leave empty for the same place)", max_length=200, required=False
    )

    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(
            self.cleaned_data["day"], self.cleaned_data["time"], tzinfo=clock.now().tzinfo
        )


class InterventionForm(forms.Form):
    kind = forms.ModelChoiceField(
        label="Intervention", queryset=InterventionType.objects.filter(is_active=True)
    )
    owner = OwnerField(label="Owner (who reviews it)", queryset=get_user_model().objects.none())
    starts_on = forms.DateField(
        label="Starts", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    review_on = forms.DateField(
        label="Review by", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    target = forms.CharField(
        label="Target: what it should achieve",
        max_length=2000,
        widget=FastTextarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices()


class InterventionReviewForm(forms.Form):
    progress = forms.CharField(
        label="Progress since the last review",
        max_length=5000,
        widget=FastTextarea(attrs={"rows": 4}),
    )
    decision = forms.ChoiceField(
        label="What happens next",
        choices=InterventionReview.Decision.choices,
        widget=forms.RadioSelect,
    )
    next_review_on = forms.DateField(
        label="Next review by",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Not needed when you end it.",
    )
    kind = forms.ModelChoiceField(
        label="Change it to",
        queryset=InterventionType.objects.filter(is_active=True),
        required=False,
        help_text="Only when you change it.",
    )
    target = forms.CharField(
        label="New target",
        required=False,
        max_length=2000,
        widget=FastTextarea(attrs={"rows": 2}),
        help_text="Only when you change it.",
    )


def staff_attending_choices(student):
    """Staff who might attend: the student's head of year and tutor first, then the team."""
    del student
    return (
        Staff.objects.filter(is_active=True, user__isnull=False)
        .filter(Q(user__groups__name__in=OWNER_GROUPS))
        .distinct()
        .order_by("last_name", "first_name")
    )
