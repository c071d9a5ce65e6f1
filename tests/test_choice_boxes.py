"""`{% choice_boxes %}` (issue 15) writes a field of radio buttons or checkboxes exactly as the
include it replaced, pastoral/_checkboxes.html, wrote it through Django's widget templates."""

from django import forms
from django.template import Context, Template
from django.test import SimpleTestCase

from pastoral.rendering import choice_boxes_html

# The include as it was.
INCLUDE = Template(
    '<fieldset class="field{% if field.errors %} has-error{% endif %}">\n'
    "  <legend>{{ field.label }}</legend>\n"
    '  {% for error in field.errors %}<span class="error">{{ error }}</span>{% endfor %}\n'
    '  {% for box in field %}<label class="choice" for="{{ box.id_for_label }}">{{ box.tag }}'
    " {{ box.choice_label }}</label>{% endfor %}\n"
    "</fieldset>\n"
)


class Boxes(forms.Form):
    how = forms.ChoiceField(
        label="How <now>",
        choices=[("a", "In person"), ("b", "Phone & <video>")],
        widget=forms.RadioSelect,
        initial="b",
    )
    who = forms.MultipleChoiceField(
        label="Who came",
        required=False,
        choices=[("1", "Mrs O'Neil"), ("2", "Mr <b>"), ("3", "Ms C")],
        widget=forms.CheckboxSelectMultiple,
    )


class ChoiceBoxesTest(SimpleTestCase):
    def assertSame(self, form):
        for name in ("how", "who"):
            field = form[name]
            self.assertEqual(
                str(choice_boxes_html(field)), INCLUDE.render(Context({"field": field}))
            )

    def test_unbound_with_initial(self):
        self.assertSame(Boxes())

    def test_bound_with_choices_made(self):
        form = Boxes({"how": "a", "who": ["1", "3"]})
        self.assertTrue(form.is_valid())
        self.assertSame(form)

    def test_bound_with_errors(self):
        form = Boxes({"how": "zz", "who": ["9"]})
        self.assertFalse(form.is_valid())
        self.assertSame(form)
        self.assertIn("has-error", str(choice_boxes_html(form["how"])))

    def test_checked_and_required_as_django_writes_them(self):
        html = str(choice_boxes_html(Boxes()["how"]))
        self.assertIn(
            '<input type="radio" name="how" value="b" id="id_how_1" required checked>', html
        )
        self.assertIn("Phone &amp; &lt;video&gt;", html)
