"""The forms of pastoral pages: records, interviews, concerns, and calls to families."""

import datetime as dt

from django import forms

from conduct.lib import clock
from conduct.lib.forms import IdChoiceField
from pastoral.models import (
    Discussion,
    FamilyCall,
    Level,
    RestorativeMeeting,
    RestorativeQuestion,
    RoomStandard,
)
from pastoral.rendering import FastRadioSelect, FastTextarea
from pastoral.selectors import restorative as restorative_selectors
from school.models import Staff
from school.selectors import pickers

LEVEL_HELP = (
    "Staff: everyone who sees the student's history. Pastoral: the conduct and pastoral team. "
    "Child protection: only the DSL (and you). It can be raised later, never lowered."
)


def _staff_with_account(field: IdChoiceField) -> None:
    """Offer the staff who have an active account: listed as plain rows (the queryset decides
    what a post may choose)."""
    field.queryset = Staff.objects.filter(user__isnull=False, user__is_active=True)
    field.offer(pickers.staff_with_account_choices(field.empty_label))


class EntryInterviewForm(forms.Form):
    standards = forms.ModelMultipleChoiceField(
        queryset=RoomStandard.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="The room's procedures and standards gone through",
    )
    student_account = forms.CharField(
        label="The student's account", widget=FastTextarea(attrs={"rows": 4}), max_length=5000
    )
    level = forms.ChoiceField(choices=Level.choices, initial=Level.PASTORAL, help_text=LEVEL_HELP)


class ExitInterviewForm(forms.Form):
    targets = forms.CharField(
        label="Targets for the return", widget=FastTextarea(attrs={"rows": 3}), max_length=2000
    )
    check_in_by = IdChoiceField(
        queryset=Staff.objects.none(), required=False, label="Who checks in with the student"
    )
    check_in_when = forms.CharField(label="When they check in", max_length=200, required=False)
    check_in_how = forms.CharField(label="How they check in", max_length=200, required=False)
    # Staff by default: the targets are written for the return's teachers (docs/restorative.md).
    level = forms.ChoiceField(choices=Level.choices, initial=Level.STAFF, help_text=LEVEL_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _staff_with_account(self.fields["check_in_by"])
        self.harm_fields = []
        self.affected_fields = []
        for question in RestorativeQuestion.objects.filter(active=True):
            name = f"q{question.pk}"
            self.fields[name] = forms.CharField(
                label=question.text,
                required=False,
                max_length=3000,
                widget=FastTextarea(attrs={"rows": 2}),
            )
            if question.audience == RestorativeQuestion.Audience.CAUSED_HARM:
                self.harm_fields.append((question.pk, name))
            else:
                self.affected_fields.append((question.pk, name))

    def bound_harm(self):
        return [self[name] for _, name in self.harm_fields]

    def bound_affected(self):
        return [self[name] for _, name in self.affected_fields]

    def answers(self, which) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in which}


class DiscussionForm(forms.Form):
    said = forms.CharField(
        label="What was said", widget=FastTextarea(attrs={"rows": 4}), max_length=5000
    )
    actions = forms.CharField(
        label="Agreed actions",
        widget=FastTextarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    follow_up_on = forms.DateField(
        label="Follow up on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    level = forms.ChoiceField(choices=Level.choices, initial=Level.PASTORAL, help_text=LEVEL_HELP)
    groups = forms.MultipleChoiceField(
        choices=Discussion.Group.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Share with",
    )
    named = IdChoiceField(
        queryset=Staff.objects.none(), required=False, label="Share with a named member of staff"
    )
    came_from = forms.ChoiceField(
        choices=Discussion.CameFrom.choices, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _staff_with_account(self.fields["named"])


class LevelForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)


class ConcernForm(forms.Form):
    what = forms.CharField(
        label="What you saw or heard, in the child's words where you can",
        widget=FastTextarea(attrs={"rows": 6}),
        max_length=10000,
    )
    urgent = forms.BooleanField(
        required=False, label="Urgent: the child may be at risk of harm today"
    )
    came_from = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)


class ConcernActionForm(forms.Form):
    text = forms.CharField(
        label="Action taken", widget=FastTextarea(attrs={"rows": 3}), max_length=5000
    )


class ConcernCloseForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome", widget=FastTextarea(attrs={"rows": 3}), max_length=5000
    )


class FamilyCallForm(forms.Form):
    guardian = forms.TypedChoiceField(label="Whom you rang", coerce=int, choices=())
    outcome = forms.ChoiceField(
        label="What came of it",
        choices=FamilyCall.Outcome.choices,
        widget=FastRadioSelect,
    )
    called_at = forms.TimeField(
        label="When (today)", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=FastTextarea(attrs={"rows": 3}),
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


class RestorativePlanForm(forms.Form):
    affected_staff = IdChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        label="A member of staff who was affected",
        empty_label="(none)",
    )
    affected_student = IdChoiceField(
        queryset=Staff.objects.none(),
        required=False,
        label="Another student who was affected",
        empty_label="(none)",
        help_text="Students of the same year group.",
    )
    starts_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="Where", max_length=120)
    facilitator = IdChoiceField(
        queryset=Staff.objects.none(), required=False, label="Who facilitates"
    )
    level = forms.ChoiceField(choices=Level.choices, initial=Level.PASTORAL, help_text=LEVEL_HELP)

    def __init__(self, *args, student, **kwargs):
        """The pickers list plain rows (school.selectors.pickers): the active staff, and the
        others on roll of `student`'s year group as "Name (form)"; their querysets decide what
        a post may choose."""
        super().__init__(*args, **kwargs)
        for name in ("affected_staff", "facilitator"):
            field = self.fields[name]
            field.queryset = restorative_selectors.staff_choices()
            field.offer(pickers.active_staff_options(field.empty_label))
        field = self.fields["affected_student"]
        field.queryset = restorative_selectors.affected_student_choices(student)
        field.offer(
            pickers.year_student_choices(
                student.year_group_id, but=student.pk, empty_label=field.empty_label
            )
        )


class RestorativeMoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="New time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label="Where", max_length=120)


class RestorativeCancelForm(forms.Form):
    reason = forms.CharField(
        label="Why it is cancelled", widget=FastTextarea(attrs={"rows": 2}), max_length=1000
    )


class RestorativeRecordForm(forms.Form):
    attended = forms.CharField(
        label="Who attended", widget=FastTextarea(attrs={"rows": 2}), max_length=1000
    )
    said = forms.CharField(
        label="What was said", widget=FastTextarea(attrs={"rows": 5}), max_length=5000
    )
    agreed = forms.CharField(
        label="What was agreed",
        widget=FastTextarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    outcome = forms.ChoiceField(
        label="Outcome", choices=RestorativeMeeting.Outcome.choices, widget=forms.RadioSelect
    )
