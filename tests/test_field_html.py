"""includes/field.html is written by conduct.lib.rendering.field_html (`{% field %}`): the same
HTML the template wrote, for every kind of field and state a form puts it in."""

from django import forms
from django.contrib.auth import password_validation
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import SimpleTestCase

from conduct.lib.rendering import field_html

# includes/field.html as it was written in the template language, the reference.
TEMPLATE = Template(
    '<div class="field{% if field.errors %} has-error{% endif %}">\n'
    '  <label for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required '
    'and not one_of %} <span class="muted">(optional)</span>{% endif %}</label>\n'
    '  {% if field.help_text %}<span class="hint" id="{{ field.auto_id }}_hint">'
    "{{ field.help_text }}</span>{% endif %}\n"
    '  {% for error in field.errors %}<span class="error" id="{{ field.auto_id }}_error">'
    "{{ error }}</span>{% endfor %}\n"
    "  {{ field }}\n"
    "</div>\n"
)


class EveryKindForm(forms.Form):
    name = forms.CharField(max_length=20, label="Name <& co>", help_text="Tom & <Jerry>")
    note = forms.CharField(required=False, widget=forms.Textarea({"rows": 3}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=[("a", "A & b"), ("c", "<c>")], widget=forms.RadioSelect)
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], required=False)
    sure = forms.BooleanField(required=False)
    count = forms.IntegerField(min_value=1)
    # A lazy help text that gives safe HTML stays HTML, as {{ field.help_text }} wrote it.
    password = forms.CharField(help_text=password_validation.password_validators_help_text_html())


class FieldHtmlTest(SimpleTestCase):
    def check(self, form):
        for field in form:
            for one_of in (False, True):
                reference = TEMPLATE.render(Context({"field": field, "one_of": one_of}))
                self.assertEqual(field_html(field, one_of=one_of), reference, field.name)
            included = render_to_string("includes/field.html", {"field": field})
            self.assertEqual(included, TEMPLATE.render(Context({"field": field})), field.name)

    def test_it_writes_what_the_template_wrote_unbound(self):
        self.check(EveryKindForm(initial={"name": "O'Neil <b>", "kind": "c", "sure": True}))

    def test_it_writes_what_the_template_wrote_with_errors(self):
        form = EveryKindForm({"name": "x" * 30, "day": "soon", "kind": "z", "count": "0"})
        self.assertFalse(form.is_valid())
        self.check(form)

    def test_it_writes_what_the_template_wrote_without_ids(self):
        self.check(EveryKindForm({"name": "Ann", "many": ["1", "2"]}, auto_id=False))
