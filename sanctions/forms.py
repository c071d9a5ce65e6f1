from django import forms

from conduct.lib.compiled import compiled_query
from conduct.lib.forms import LONG_TEXT, NOTE_TEXT, IdChoiceField
from sanctions.models import IncidentStudent, Provision, ReasonCategory, reason_label
from sanctions.selectors import provisions as provision_selectors
from school.models import Room, Student
from school.selectors import pickers
from school.selectors.people import student_by_name_or_upn

# The reasons a referral may give, in their order, as (id, code, name, is DfE) rows: read each
# time (not reference data), the SQL built once (issue 15).
_ACTIVE_REASONS = compiled_query(
    lambda: (
        ReasonCategory.objects.filter(is_active=True)
        .order_by("order", "name")
        .values_list("pk", "code", "name", "is_dfe")
    )
)


class ReferralForm(forms.Form):
    """A referral names the incident (what, where, when, why) and the provision asked for."""

    provision = IdChoiceField(
        queryset=Provision.objects.all(), empty_label=None, label="Provision asked for"
    )
    days = forms.IntegerField(min_value=1, max_value=10, initial=1, label="Days")
    occurred_at = forms.DateTimeField(
        label="When it happened",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )
    room = IdChoiceField(queryset=Room.objects.filter(is_active=True), required=False, label="Room")
    location = forms.CharField(
        max_length=120, required=False, label="Or another place", help_text="e.g. the canteen"
    )
    reason = IdChoiceField(queryset=ReasonCategory.objects.filter(is_active=True), label="Reason")
    part = forms.ChoiceField(
        choices=IncidentStudent.Part.choices,
        initial=IncidentStudent.Part.PERPETRATOR,
        label="The student's part",
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=LONG_TEXT, label="What happened"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=NOTE_TEXT,
        label="Note for the approver",
    )

    others = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=NOTE_TEXT,
        label="Other students involved",
        help_text="One per line: name or UPN, then their part, e.g. “Mia Jones, victim” or "
        "“B123456789012, witness”",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The pickers' options as plain rows, the provisions and rooms with the reference data
        # (issue 15); the querysets still decide what a post may choose.
        provision = self.fields["provision"]
        provision.offer([(p.pk, str(p)) for p in provision_selectors.all_provisions()])
        room = self.fields["room"]
        room.offer(pickers.active_room_options(room.empty_label))
        reason = self.fields["reason"]
        reason.offer(
            [
                ("", reason.empty_label),
                *((pk, reason_label(code, name, dfe)) for pk, code, name, dfe in _ACTIVE_REASONS()),
            ]
        )

    def clean(self):
        data = super().clean()
        if not data.get("room") and not data.get("location", "").strip():
            # By the first of the two (the error summary leads there); the group says one of
            # the two is required.
            self.add_error("room", "Say where it happened: choose a room or name a place.")
        return data

    def clean_others(self) -> list[tuple[Student, str]]:
        """Each line names one student, found by UPN or full name among students on roll."""
        parts = {value: value for value in IncidentStudent.Part.values}
        found, problems = [], []
        for number, raw in enumerate(self.cleaned_data.get("others", "").splitlines(), 1):
            line = raw.strip()
            if not line:
                continue
            who, _, part = line.rpartition(",")
            who, part = who.strip(), part.strip().lower()
            if not who or part not in parts:
                problems.append(
                    f"line {number} (“{line}”): write the name or UPN, a comma, then "
                    "perpetrator, victim or witness"
                )
                continue
            matches = student_by_name_or_upn(who)
            if not matches:
                problems.append(f"line {number}: no student on roll called “{who}”")
            elif len(matches) > 1:
                forms_ = ", ".join(str(m.form or m.year_group) for m in matches)
                problems.append(
                    f"line {number}: {len(matches)} students called “{who}” ({forms_}): use the UPN"
                )
            else:
                found.append((matches[0], part))
        if problems:
            raise forms.ValidationError(problems)
        return found


class DecisionForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=10, label="Days")
    provision = forms.ModelChoiceField(
        queryset=Provision.objects.all(), empty_label=None, label="Provision"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NOTE_TEXT, label="Note"
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE_TEXT, label="Why it is declined"
    )
