"""The exit interview's placement read (what a page that shows it joins in, and what recording
it does) and the pastoral forms' <textarea> written without a template (issue 15)."""

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from pastoral.rendering import FastTextarea
from pastoral.selectors.interviews import exit_interview_placement
from sanctions.models import Placement
from tests.base import WEDNESDAY, SchoolDayTestCase


class ExitInterviewPlacementTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        self.placement = Placement.objects.create(
            student=self.student,
            provision=self.ie,
            planned_days=1,
            starts_on=WEDNESDAY,
            ends_on=WEDNESDAY,
            booked_by=self.bob,
        )

    def test_shown_joins_the_student_form_year_and_provision_only(self):
        with self.assertNumQueries(1):
            placement = exit_interview_placement(self.placement.pk, to_record=False)
            self.assertEqual(
                (placement.student, placement.student.year_group, placement.provision),
                (self.student, self.student.year_group, self.ie),
            )
            placement.student.form  # noqa: B018 (joined: no query)
        self.assertNotIn("tutor", placement.student.form._state.fields_cache)
        self.assertNotIn("referral", placement._state.fields_cache)

    def test_to_record_joins_tutor_head_of_year_and_referral_too(self):
        with self.assertNumQueries(1):
            placement = exit_interview_placement(self.placement.pk, to_record=True)
            placement.student.form.tutor  # noqa: B018
            placement.student.year_group.head_of_year  # noqa: B018
            self.assertIsNone(placement.referral)

    def test_an_unknown_placement_is_none(self):
        self.assertIsNone(exit_interview_placement(999999, to_record=False))


class FastTextareaTest(SimpleTestCase):
    def test_writes_what_djangos_textarea_writes(self):
        for attrs in ({"rows": 2}, {"rows": 3, "aria-describedby": 'a"b', "required": True}):
            for value in (None, "", "0", 0, "a<b>&\"'\nline", mark_safe("<i>")):
                for extra in (None, {"id": "id_q1"}):
                    self.assertEqual(
                        FastTextarea(attrs=dict(attrs)).render("q1", value, extra),
                        forms.Textarea(attrs=dict(attrs)).render("q1", value, extra),
                    )
