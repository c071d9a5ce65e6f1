"""Reference data (the school, its calendar, periods, roles, staff records, the duty rota) is
kept in Django's cache across requests (conduct/lib/refcache.py) and read again at once after
any committed write to its tables: through School settings, a bulk update, the roster import,
a grant of a role. These tests commit for real (TransactionTestCase), as a server does."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.roles import Role, grant_roles, roles_of
from school.models import Period, Room, School, Staff
from school.selectors import calendar
from school.services import roster_import
from tests.base import (
    ConductTestCase,
    freeze_clock,
    make_calendar_and_timetable,
    make_people,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "roster"


def tables_read(queries) -> str:
    return " ".join(query["sql"] for query in queries)


class CommittedChangesTest(TransactionTestCase):
    serialized_rollback = True  # keep the rows migrations seed for the tests after these

    def setUp(self):
        make_people(self)
        make_calendar_and_timetable(self)
        freeze_clock(self)  # Wednesday 25 November 2026, 10:15: period 2

    def home(self, user) -> str:
        self.client.force_login(user)
        return self.client.get(reverse("home")).content.decode()

    def test_it_reads_the_school_and_calendar_once_then_from_the_cache(self):
        self.home(self.alice)
        with CaptureQueriesContext(connection) as second:
            page = self.home(self.alice)

        assert "Northfield Academy" in page
        assert "now: Period 2 until 11:00" in page
        read = tables_read(second.captured_queries)
        for table in ("school_school", "school_period", "school_halfterm", "auth_group"):
            assert f'FROM "{table}"' not in read, table

    def test_it_shows_a_change_made_in_school_settings_on_the_next_page(self):
        assert "Northfield Academy" in self.home(self.fay)
        school = School.objects.get()
        form = {
            field.name: getattr(school, field.attname) or ""
            for field in School._meta.concrete_fields
            if field.name != "id"
        }
        form.update(name="Southfield School", timetable_weeks=1)

        response = self.client.post(
            reverse("admin:school_school_change", args=[school.pk]), form, follow=True
        )

        assert response.status_code == 200
        assert School.objects.get().name == "Southfield School"
        page = self.home(self.alice)
        assert "Southfield School" in page
        assert "Northfield Academy" not in page

    def test_it_shows_a_bulk_update_on_the_next_page(self):
        assert "now: Period 2 until 11:00" in self.home(self.alice)

        Period.objects.filter(code="P2").update(name="Double maths")
        School.objects.update(name="Southfield School")

        page = self.home(self.alice)
        assert "now: Double maths until 11:00" in page
        assert "Southfield School" in page

    def test_it_shows_a_renamed_department_on_the_next_page(self):
        self.client.force_login(self.hugo)
        self.assertContains(self.client.get(reverse("work-department")), "Mathematics")
        with CaptureQueriesContext(connection) as second:
            self.client.get(reverse("work-department"))
        # The department's name from the cache; the head's own departments asked each time.
        self.assertEqual(tables_read(second.captured_queries).count('FROM "school_department"'), 1)

        self.maths.name = "Maths and Statistics"
        self.maths.save()

        self.assertContains(self.client.get(reverse("work-department")), "Maths and Statistics")

    def test_it_shows_what_the_roster_import_changed_on_the_next_page(self):
        assert "now: Period 2 until 11:00" in self.home(self.alice)
        tmp = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, tmp)
        bundle = tmp / "oneroster11"
        shutil.copytree(FIXTURES / "oneroster11", bundle)
        periods = bundle / "periods.csv"
        periods.write_text(periods.read_text().replace("P2,Period 2,", "P2,Second lesson,"))

        result = roster_import(path=bundle, by=self.fay, confirm_leavers=True)

        assert (result.status, result.problems) == ("applied", []), result.problems
        assert "now: Second lesson until 11:00" in self.home(self.alice)

    def test_it_shows_a_new_role_on_the_next_page(self):
        assert 'href="/referrals/"' not in self.home(self.olive)

        grant_roles(self.olive, Role.CONDUCT)

        self.olive.refresh_from_db()
        assert ">Referrals</a>" in self.home(self.olive)

    def test_it_shows_a_change_to_the_staff_in_the_staff_pickers_on_the_next_page(self):
        # Both staff pickers of planning a restorative meeting list the active staff, kept with
        # the reference data (school.selectors.pickers).
        self.client.force_login(self.bob)
        url = reverse("restorative-new", args=[self.student.pk])
        assert "Mr Q Newman" not in self.client.get(url).content.decode()

        newman = Staff.objects.create(
            staff_code="NEWMAN", title="Mr", first_name="Quinn", last_name="Newman"
        )

        page = self.client.get(url).content.decode()
        assert page.count(f'<option value="{newman.pk}">Mr Q Newman</option>') == 2
        Staff.objects.filter(pk=newman.pk).update(is_active=False)
        assert "Newman" not in self.client.get(url).content.decode()

    def test_it_shows_a_change_to_the_rooms_in_the_room_pickers_on_the_next_page(self):
        # The raise page's rooms and the sent-out page's two room pickers are kept with the
        # reference data (school.selectors.pickers).
        self.client.force_login(self.alice)
        raise_url, sent_out_url = reverse("on-call-raise"), reverse("sent-out-new")
        assert "Drama studio" not in self.client.get(raise_url).content.decode()

        studio = Room.objects.create(code="D1", name="Drama studio")

        option = f'<option value="{studio.pk}">D1 Drama studio</option>'
        assert option in self.client.get(raise_url).content.decode()
        assert self.client.get(sent_out_url).content.decode().count(option) == 2
        Room.objects.filter(pk=studio.pk).update(is_active=False)
        assert "Drama studio" not in self.client.get(raise_url).content.decode()
        assert "Drama studio" not in self.client.get(sent_out_url).content.decode()

    def test_a_write_rolled_back_is_never_seen(self):
        calendar.current_school()  # cached as it is

        with self.assertRaises(RuntimeError), transaction.atomic():
            School.objects.update(name="Never committed")
            # Inside the transaction that wrote it, its own change is what it reads.
            assert calendar.current_school().name == "Never committed"
            raise RuntimeError

        assert calendar.current_school().name == "Northfield Academy"
        assert "Never committed" not in self.home(self.alice)

    def test_a_committed_change_drops_the_cached_answer(self):
        assert calendar.half_term_on(dt.date(2026, 11, 25)).number == 2

        with transaction.atomic():
            calendar.half_term_on(dt.date(2026, 11, 25)).__class__.objects.filter(number=2).update(
                number=3
            )
            # Not committed yet: nothing is dropped for other readers, only for this one.
            assert calendar.half_term_on(dt.date(2026, 11, 25)).number == 3

        assert calendar.half_term_on(dt.date(2026, 11, 25)).number == 3


class InTestTransactionsTest(ConductTestCase):
    """Inside a test's transaction nothing is ever committed: what a test wrote is read back,
    and a savepoint rolled back takes the answers read under it."""

    def test_it_reads_back_what_the_test_wrote(self):
        assert calendar.current_school().name == "Northfield Academy"
        School.objects.update(name="Changed in a test")
        assert calendar.current_school().name == "Changed in a test"

    def test_an_answer_read_under_a_savepoint_rolled_back_is_read_again(self):
        with self.assertRaises(RuntimeError), transaction.atomic():
            School.objects.update(name="Rolled back")
            assert calendar.current_school().name == "Rolled back"
            raise RuntimeError

        assert calendar.current_school().name == "Northfield Academy"

    def test_roles_follow_a_grant(self):
        assert roles_of(self.olive) == frozenset()
        grant_roles(self.olive, Role.TEACHER)
        self.olive.refresh_from_db()
        assert roles_of(self.olive) == {Role.TEACHER}


class NothingWrittenTest(TestCase):
    def test_a_school_with_no_data_reads_as_empty(self):
        assert calendar.current_school() is None
        assert calendar.periods_of_day() == []
