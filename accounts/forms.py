from django import forms


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class NewAppCodeForm(CodeForm):
    token = forms.CharField(
        label="Code from the app",
        max_length=20,
        help_text="The 6 digits the app shows for Conduct once you have scanned the picture.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
