"""The one window of dates the app accepts (conduct/lib/dates.py)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import SimpleTestCase

from conduct.lib import dates
from tests.base import freeze_clock


class DateWindowTest(SimpleTestCase):
    def setUp(self):
        freeze_clock(self)  # Wednesday 25 November 2026, in the 2026/27 academic year

    def test_it_spans_seven_academic_years_back_and_two_ahead(self):
        self.assertEqual(dates.window(), (dt.date(2019, 9, 1), dt.date(2029, 8, 31)))
        self.assertEqual(
            dates.window(dt.date(2027, 8, 31)), (dt.date(2019, 9, 1), dt.date(2029, 8, 31))
        )

    def test_it_reads_a_date_from_a_url_or_answers_404(self):
        self.assertEqual(dates.date_from_url(""), dt.date(2026, 11, 25))
        self.assertEqual(dates.date_from_url("2026-12-01"), dt.date(2026, 12, 1))
        for text in ["9999-12-31", "0001-01-01", "2026-02-30", "yesterday"]:
            with self.subTest(text=text), self.assertRaises(Http404):
                dates.date_from_url(text)

    def test_it_says_by_the_field_what_to_choose(self):
        with self.assertRaises(ValidationError) as caught:
            dates.date_in_window(dt.date(1, 1, 1), field="start_on")
        self.assertEqual(
            caught.exception.message_dict,
            {"start_on": ["Choose a date between 1 September 2019 and 31 August 2029."]},
        )
        with self.assertRaises(ValidationError) as caught:
            dates.date_in_window(
                dt.date(2026, 11, 24), field="start_on", not_before=dt.date(2026, 11, 25)
            )
        self.assertEqual(
            caught.exception.message_dict,
            {"start_on": ["Choose Wednesday 25 November 2026 or later."]},
        )
