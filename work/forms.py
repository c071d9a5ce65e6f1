"""Forms for setting work, recording work done and keeping programmes of work."""

from django import forms

from conduct.lib.rendering import FastSelect
from work.models import ProgrammeTask, WorkRequest, WorkSet


class SetWorkForm(forms.Form):
    kind = forms.ChoiceField(
        label="How",
        choices=[
            (WorkSet.Kind.LESSON, "Set this lesson's work"),
            (WorkSet.Kind.PROGRAMME, "Follow the department's programme"),
        ],
        widget=forms.RadioSelect,
        initial=WorkSet.Kind.LESSON,
    )
    instructions = forms.CharField(
        label="What to do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Pages, questions, what to hand in.",
    )
    link = forms.CharField(
        label="Online resource",
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    task = forms.ModelChoiceField(
        label="A task from the programme",
        queryset=ProgrammeTask.objects.none(),
        required=False,
        empty_label="(none)",
        widget=FastSelect,
    )
    covers = forms.TypedMultipleChoiceField(
        label="Students", coerce=int, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, tasks=(), lesson=(), **kwargs):
        """`lesson`: the requests one answer may cover, each with its `pk` and its `label` (the
        student and the period: `selectors.requests.LessonStudent`)."""
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = ProgrammeTask.objects.filter(pk__in=[t.pk for t in tasks])
        self.fields["task"].choices = [("", "(none)")] + [
            (t.pk, f"{t.position}. {t.unit + ': ' if t.unit else ''}{t.title}") for t in tasks
        ]
        self.fields["covers"].choices = [(r.pk, r.label) for r in lesson]
        if not tasks:
            self.fields["kind"].choices = self.fields["kind"].choices[:1]
            del self.fields["task"]


class RecordWorkForm(forms.Form):
    outcome = forms.ChoiceField(
        label="The work", choices=WorkRequest.Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Note for the teacher",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the work was partly done or not done.",
    )
    scan = forms.FileField(
        label="Photo or scan",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )


class TaskForm(forms.ModelForm):
    link = forms.URLField(
        label="Online resource", required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = ProgrammeTask
        fields = ["unit", "title", "instructions", "link", "file"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}


class ProgrammeNewForm(forms.Form):
    # Written straight from their choices (issue 15).
    subject = forms.ModelChoiceField(queryset=None, widget=FastSelect)
    year_group = forms.ModelChoiceField(queryset=None, label="Year group", widget=FastSelect)

    def __init__(self, *args, subjects, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects
        self.fields["year_group"].queryset = years
