"""The helpers that let a long page render less (issue 15): a URL made per row gives exactly
what `reverse` gives, a timeline's dates read as the template's date filters wrote them, and a
capped list knows how many it left out."""

import datetime as dt

from django.template import Context, Template
from django.test import SimpleTestCase
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from conduct.lib.lists import first_of
from conduct.lib.timeline import TimelineEntry, shape
from conduct.lib.urls import url_maker


class UrlMakerTest(SimpleTestCase):
    def test_it_gives_what_reverse_gives(self):
        register = url_maker("register", 2)
        for room, day in [("IE1", "2026-11-25"), ("R 2&b", "2026-01-02"), ("Lab-é", "x")]:
            self.assertEqual(register(room, day), reverse("register", args=[room, day]))
        detail = url_maker("referral-detail")
        for pk in (1, 42, 987654):
            self.assertEqual(detail(pk), reverse("referral-detail", args=[pk]))

    def test_it_follows_the_script_prefix_of_the_request(self):
        url_maker("referral-detail")  # kept for the usual prefix
        set_script_prefix("/school/")
        try:
            self.assertEqual(url_maker("referral-detail")(7), "/school/referrals/7/")
        finally:
            set_script_prefix("/")
        self.assertEqual(url_maker("referral-detail")(7), "/referrals/7/")


class TimelineShapeTest(SimpleTestCase):
    def test_the_dates_read_as_the_date_filters_wrote_them(self):
        template = Template(
            "{{ at|date:'c' }}|{{ at|date:'D j M Y' }}"
            "{% if kind != 'day' %} {{ at|time:'H:i' }}{% endif %}"
        )
        moments = [
            timezone.make_aware(dt.datetime(2026, 11, 24, 9, 5)),
            timezone.make_aware(dt.datetime(2026, 6, 1, 23, 30)),  # summer time
            dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),
        ]
        for at in moments:
            for kind in ("incident", "day"):
                [entry] = shape([TimelineEntry(at, kind, "title")])
                expected = template.render(Context({"at": at, "kind": kind}))
                self.assertEqual(f"{entry.iso}|{entry.when}", expected)


class FirstOfTest(SimpleTestCase):
    def test_it_keeps_the_first_few_and_counts_the_rest(self):
        capped = first_of(list(range(20)), 8)
        self.assertEqual(list(capped), list(range(8)))
        self.assertEqual((capped.total, capped.more), (20, 12))
        short = first_of([1, 2], 8)
        self.assertEqual((list(short), short.total, short.more), ([1, 2], 2, 0))
        self.assertEqual(first_of(list(range(9)), 8).more, 1)
