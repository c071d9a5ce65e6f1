"""pastoral.rendering.FastRadioSelect (issue 15) writes radio buttons exactly as Django's
RadioSelect writes them through its templates."""

from django import forms
from django.test import SimpleTestCase

from pastoral.rendering import FastRadioSelect

CHOICES = [("a", "Spoke to <them>"), ("b", "No answer & left a message"), ("c", "Wrong number")]


def pair(**field):
    class Slow(forms.Form):
        outcome = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, **field)

    class Fast(forms.Form):
        outcome = forms.ChoiceField(choices=CHOICES, widget=FastRadioSelect, **field)

    return Slow, Fast


class FastRadioSelectTest(SimpleTestCase):
    def assertSame(self, data=None, **field):
        slow, fast = pair(**field)
        self.assertEqual(str(fast(data)["outcome"]), str(slow(data)["outcome"]))

    def test_unbound_bound_and_invalid(self):
        self.assertSame()
        self.assertSame(initial="b")
        self.assertSame({"outcome": "c"})
        self.assertSame({"outcome": "zz"})
        self.assertSame(required=False)

    def test_without_an_id_and_with_a_class(self):
        slow, fast = pair()
        for auto_id in (False, "x_%s"):
            self.assertEqual(
                str(fast(auto_id=auto_id)["outcome"]), str(slow(auto_id=auto_id)["outcome"])
            )
        attrs = {"class": "inline <x>", "id": "how"}
        self.assertEqual(
            FastRadioSelect(choices=CHOICES).render("o", "a", attrs),
            forms.RadioSelect(choices=CHOICES).render("o", "a", attrs),
        )

    def test_choices_in_groups_as_django_writes_them(self):
        grouped = [("Reached", [("a", "Spoke")]), ("Not", [("b", "No answer")])]
        self.assertEqual(
            FastRadioSelect(choices=grouped).render("o", "b", {"id": "g"}),
            forms.RadioSelect(choices=grouped).render("o", "b", {"id": "g"}),
        )
