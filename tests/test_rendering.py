"""Select boxes, plain inputs and the referrals tables written in Python read exactly as Django's
templates write them."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from conduct.lib.rendering import FastSelect, FastSelectRenderer, Options
from sanctions.rendering import referral_table_html
from sanctions.selectors.referrals import ReferralRow


class Sample(forms.Form):
    flat = forms.ChoiceField(choices=[("", "---"), ("1", "Ms O'Neil & <Co>"), (2, "Two")])
    grouped = forms.ChoiceField(
        choices=[("Rooms", [("E1", "E1"), ("E2", 'E2 "north"')]), ("Other", [("x", "Elsewhere")])]
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    maybe = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=[("a", "A")], disabled=True, required=False)


class FastSelectTest(SimpleTestCase):
    def render_both(self, form):
        for name in form.fields:
            field = form[name]
            django = field.as_widget(widget=None)
            form.renderer = FastSelectRenderer()
            fast = form[name].as_widget()
            form.renderer = DjangoTemplates()
            yield name, django, fast

    def test_it_writes_what_django_writes(self):
        for data in (
            None,
            {"flat": "1", "grouped": "E2", "many": ["a", "c"], "maybe": "true"},
            {"flat": "nope", "grouped": "", "many": ["zzz"], "maybe": "unknown"},
        ):
            form = Sample(data, renderer=DjangoTemplates())
            form.fields["flat"].widget.attrs.update(
                {"aria-describedby": "flat-help", "required": True}
            )
            for name, django, fast in self.render_both(form):
                with self.subTest(data=data, field=name):
                    self.assertHTMLEqual(fast, django)
                    self.assertIn("<select", fast)

    def test_it_escapes_labels_and_values(self):
        form = Sample(renderer=FastSelectRenderer())
        html = form["flat"].as_widget()
        self.assertIn("Ms O&#x27;Neil &amp; &lt;Co&gt;", html)
        self.assertNotIn("<Co>", html)


class FastSelectWidgetTest(SimpleTestCase):
    def test_it_writes_what_django_writes(self):
        choices = [
            ("", "---"),
            ("1", "Ms O'Neil & <Co>"),
            (2, "Two"),
            (None, "Nothing"),
            ("Rooms", [("E1", "E1"), ("E2", 'E2 "north"')]),
            ("1", "One again"),
        ]
        attrs = {"aria-describedby": "x-help", "required": True, "id": "id_x"}
        for value in (None, "", "1", 2, "E2", "nope"):
            for renderer in (DjangoTemplates(), FastSelectRenderer()):
                with self.subTest(value=value, renderer=type(renderer).__name__):
                    django = forms.Select(choices=choices).render("x", value, attrs, renderer)
                    fast = FastSelect(choices=choices).render("x", value, attrs, renderer)
                    self.assertHTMLEqual(fast, django)
                    # The first match only is chosen, as Django chooses.
                    self.assertEqual(fast.count("selected"), django.count("selected"))

    def test_options_written_beforehand_read_the_same(self):
        choices = [("", "---"), ("1", "Ms O'Neil & <Co>"), (2, 'Two "2"'), (None, "No"), ("1", "1")]
        attrs = {"required": True, "id": "id_x"}
        for value in (None, "", "1", 2, "None", "nope", ["2", "1"]):
            with self.subTest(value=value):
                self.assertEqual(
                    FastSelect(choices=Options(choices)).render("x", value, attrs),
                    FastSelect(choices=choices).render("x", value, attrs),
                )


class FastInputTest(SimpleTestCase):
    def test_it_writes_each_plain_input_as_django_does(self):
        class Inputs(forms.Form):
            text = forms.CharField(max_length=20, help_text="Say it")
            day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
            at = forms.TimeField(widget=forms.TimeInput(format="%H:%M"), required=False)
            count = forms.IntegerField(min_value=1)
            email = forms.EmailField(required=False)
            secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
            hidden = forms.CharField(widget=forms.HiddenInput)
            agree = forms.BooleanField(required=False)
            marked = forms.CharField(widget=forms.TextInput(attrs={"data-x": mark_safe("&amp;")}))

        for data in (
            None,
            {
                "text": 'O\'Neil & "<Co>"',
                "day": "2026-11-25",
                "at": "10:15",
                "count": "3",
                "secret": "a<b",
                "hidden": "&x",
                "agree": "on",
                "marked": "ok",
            },
            {"day": "not a day", "count": "x", "agree": ""},
        ):
            for name in Inputs.base_fields:
                with self.subTest(data=data, field=name):
                    django = Inputs(data, renderer=DjangoTemplates())[name].as_widget()
                    fast = Inputs(data, renderer=FastSelectRenderer())[name].as_widget()
                    self.assertEqual(fast, django)


class ReferralTableTest(SimpleTestCase):
    """The referrals tables (the referrals page, the home page's "waiting for your decision"),
    written in Python: every value escaped, the days counted in words, a dash for no reason."""

    def row(self, pk, **changes):
        fields = {
            "pk": pk,
            "url": f"/referrals/{pk}/",
            "student_name": "Aoife O'Neil <b>",
            "form": "9X",
            "provision": "Internal exclusion & more",
            "days": 2,
            "reason": 'S1 – "Swearing"',
            "raised_by": "Ms P Chauhan",
            "when": "Tue 24 Nov 10:15",
            "status_label": "Waiting",
            "approver_roles": ("pastoral",),
            "year_group_id": 1,
            "waiting_for": "Pastoral",
        }
        return ReferralRow(**(fields | changes))

    HEAD = (
        "<caption class='visually-hidden'>Yours &lt;now&gt;</caption>"
        "<thead><tr><th scope='col'>Student</th><th scope='col'>Asked for</th>"
        "<th scope='col'>Reason</th><th scope='col'>Raised by</th><th scope='col'>When</th>"
        "<th scope='col'>Status</th></tr></thead>"
    )

    def table(self, rows):
        return referral_table_html(rows, caption="Yours <now>", empty="None & nothing.")

    def test_each_row_escaped_with_its_days_in_words(self):
        # Each cell names its heading, for a phone's stacked rows.
        self.assertHTMLEqual(
            self.table([self.row(1), self.row(2, days=1, reason="", form="")]),
            f"<table class='stack-table'>{self.HEAD}<tbody>"
            "<tr><td data-label='Student'><a href='/referrals/1/'>Aoife O&#x27;Neil &lt;b&gt;</a> "
            "<span class='muted'>9X</span></td>"
            "<td data-label='Asked for'>Internal exclusion &amp; more, 2 days</td>"
            "<td data-label='Reason'>S1 – &quot;Swearing&quot;</td>"
            "<td data-label='Raised by'>Ms P Chauhan</td>"
            "<td data-label='When'>Tue 24 Nov 10:15</td><td data-label='Status'>Waiting</td></tr>"
            "<tr><td data-label='Student'><a href='/referrals/2/'>Aoife O&#x27;Neil &lt;b&gt;</a> "
            "<span class='muted'></span></td>"
            "<td data-label='Asked for'>Internal exclusion &amp; more, 1 day</td>"
            "<td data-label='Reason'>—</td><td data-label='Raised by'>Ms P Chauhan</td>"
            "<td data-label='When'>Tue 24 Nov 10:15</td><td data-label='Status'>Waiting</td></tr>"
            "</tbody></table>",
        )

    def test_no_rows_is_one_line_saying_so(self):
        self.assertHTMLEqual(
            self.table([]),
            f"<table class='stack-table'>{self.HEAD}<tbody>"
            "<tr><td colspan='6'>None &amp; nothing.</td></tr></tbody></table>",
        )
