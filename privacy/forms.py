from django import forms


class SubjectAccessForm(forms.Form):
    reference = forms.CharField(
        label="The request's reference or date received",
        max_length=100,
        help_text="For the audit log, e.g. the date the letter arrived or your case number",
    )
    identity = forms.CharField(
        label="How the requester's identity and right to ask were checked",
        max_length=300,
        help_text="e.g. parent with parental responsibility, known to the school, asked in person",
    )
    confirm = forms.BooleanField(
        label="I will check every name marked for redaction before anything is released",
        error_messages={"required": "Tick to say you will check the marked names"},
    )


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label="What to correct")
    value = forms.CharField(label="The corrected text", widget=forms.Textarea, max_length=10000)
    reason = forms.CharField(
        label="Why it is corrected",
        max_length=500,
        help_text="e.g. the parent showed the incident was the day before; kept with the change",
    )

    def __init__(self, *args, fields: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = list(fields.items())
