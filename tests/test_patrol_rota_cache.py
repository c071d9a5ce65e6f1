"""The duty rota's week, staff and rooms are reference data (conduct/lib/refcache.py): read once,
then from the cache, and read again at once after any committed change to a duty, an absence or
a member of staff. These tests commit for real (TransactionTestCase), as a server does."""

import datetime as dt

from django.db import connection
from django.test import TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patrol.models import Duty, StaffAbsence
from school.models import Period, Room, Staff
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    freeze_clock,
    frozen_clock,
    make_calendar_and_timetable,
    make_people,
)


class RotaCacheTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        make_people(self)
        make_calendar_and_timetable(self)
        freeze_clock(self)  # Wednesday 25 November 2026, 10:15: period 2
        self.client.force_login(self.bob)

    def rota(self) -> str:
        return self.client.get(reverse("rota"), {"week": "2026-11-25"}).content.decode()

    def test_it_reads_the_week_once_then_from_the_cache(self):
        self.rota()
        with CaptureQueriesContext(connection) as second:
            self.rota()
        read = " ".join(query["sql"] for query in second.captured_queries)
        for table in ("patrol_duty", "patrol_staffabsence", "school_staff", "school_room"):
            self.assertNotIn(f'FROM "{table}"', read, table)

    def test_it_shows_each_committed_change_on_the_next_load(self):
        self.assertNotIn("Mr H Reid", self.rota().split("Add a duty")[0])
        data = {
            "week": "2026-11-23",
            "date": WEDNESDAY.isoformat(),
            "period": self.periods["P2"].pk,
            "staff": self.hugo.staff.pk,
            "kind": "on_call",
        }
        self.client.post(reverse("duty-add"), data)
        self.assertIn("<span>Mr H Reid</span>", self.rota())

        StaffAbsence.objects.create(
            staff=self.hugo.staff, starts_on=WEDNESDAY, ends_on=WEDNESDAY + dt.timedelta(days=1)
        )
        page = self.rota()
        self.assertIn("<li>Mr H Reid: Wed 25 Nov to Thu 26 Nov", page)
        self.assertIn("away: needs cover", page)

        Staff.objects.filter(pk=self.hugo.staff.pk).update(last_name="Reed")
        page = self.rota()
        self.assertIn("<span>Mr H Reed</span>", page)
        self.assertIn(f'<option value="{self.hugo.staff.pk}">Mr H Reed</option>', page)

        Room.objects.filter(pk=self.room.pk).update(name="Maths four")
        self.assertIn(f'<option value="{self.room.pk}">M4 Maths four</option>', self.rota())

        Duty.objects.all().delete()
        self.assertNotIn("<span>Mr H Reed</span>", self.rota())

    def test_it_writes_the_blank_forms_once_a_day_and_again_after_a_change(self):
        self.rota()
        with CaptureQueriesContext(connection) as second:
            page = self.rota()
        read = " ".join(query["sql"] for query in second.captured_queries)
        self.assertNotIn('FROM "school_period"', read)
        self.assertIn('<input type="date" name="date" value="2026-11-25"', page)

        period = self.periods["P2"]
        Period.objects.filter(pk=period.pk).update(name="Second lesson")
        self.assertIn(f'<option value="{period.pk}">Second lesson (', self.rota())

        # Another day's blank forms are that day's.
        with frozen_clock(TEN_FIFTEEN + dt.timedelta(days=1)):
            page = self.rota()
        self.assertIn('<input type="date" name="date" value="2026-11-26"', page)
        self.assertIn('<input type="date" name="starts_on" value="2026-11-26"', page)
