"""The referral form's pickers list their options as plain rows (issue 15): the provisions and
rooms with the reference data, the reasons read with SQL built once; a post may still choose
only what the fields' querysets hold."""

from sanctions.forms import ReferralForm
from sanctions.models import Provision, ReasonCategory
from school.models import Room
from tests.base import SchoolDayTestCase


class ReferralFormOptionsTest(SchoolDayTestCase):
    def test_the_reasons_are_the_active_ones_in_their_order_named_as_the_page_names_them(self):
        ReasonCategory.objects.create(code="ZZ", name="Retired reason", is_active=False)
        ReasonCategory.objects.create(code="AA", name="A school reason", order=0)
        expected = [("", "---------")] + [
            (r.pk, str(r)) for r in ReasonCategory.objects.filter(is_active=True)
        ]
        self.assertEqual(list(ReferralForm().fields["reason"].choices), expected)
        self.assertIn((ReasonCategory.objects.get(code="AA").pk, "A school reason"), expected)
        self.assertNotIn("Retired reason", [label for _, label in expected])

    def test_the_provisions_and_rooms_are_listed_as_their_querysets_would(self):
        form = ReferralForm()
        self.assertEqual(
            list(form.fields["provision"].choices),
            [(p.pk, str(p)) for p in Provision.objects.all()],
        )
        self.assertEqual(
            list(form.fields["room"].choices),
            [("", "---------")] + [(r.pk, str(r)) for r in Room.objects.filter(is_active=True)],
        )

    def test_drawing_its_pickers_reads_only_the_reasons(self):
        str(ReferralForm()["room"])  # the reference data read once
        with self.assertNumQueries(1):
            form = ReferralForm()
            for name in ("provision", "room", "reason"):
                str(form[name])

    def test_a_post_chooses_only_from_the_querysets(self):
        retired = ReasonCategory.objects.create(code="ZZ", name="Retired", is_active=False)
        form = ReferralForm({"reason": retired.pk, "provision": "x", "room": "99999"})
        form.is_valid()
        for name in ("reason", "provision", "room"):
            self.assertIn("not one of the available choices", form.errors[name][0], name)
