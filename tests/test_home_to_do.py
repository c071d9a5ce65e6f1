"""The home page as a to-do list: the officer sees every referral waiting (theirs and others'),
who arrives today, interviews to do, family letters to check, lessons with no work, and visits
to make, each linked to where it is done; attendance staff find the marks export and the
registers. Its queries are pinned per role."""

import datetime as dt
import re

from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

from conduct.roles import Role
from patrol.services import sent_out
from sanctions.services import incidents, placements, referrals
from school.models import ClassTeacher, Enrolment, ImportRun, TeachingClass, TimetableSlot
from school.selectors import calendar as school_calendar
from school.selectors import timetable as school_timetable
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    SchoolDayTestCase,
    frozen_clock,
    make_guardian,
    make_student,
    people_by_role,
)


class OfficerHomeTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        make_guardian(self.student)
        self.mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            reason=self.refusal,
            description="Swore at a teacher",
            reported_by=self.alice.staff,
            by=self.alice,
            room=self.room,
            students=[(self.mia, "perpetrator")],
        )
        # An internal exclusion waits for the head of year: the officer may not decide it.
        self.waiting = referrals.referral_create(
            student=self.mia, provision=self.ie, days=1, by=self.alice, incident=incident
        )

    def book_today(self):
        """Jayden in IE1 today: an interview to do, work to ask for P2, a letter to check."""
        return placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )

    def test_it_shows_the_officer_an_internal_exclusion_waiting_for_a_head_of_year(self):
        self.login(self.bob)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Referrals waiting for someone else")
        self.assertContains(response, reverse("referral-detail", args=[self.waiting.pk]))
        self.assertContains(response, "waiting for Pastoral or Senior leadership")
        # ... and the referral's page opens for them.
        page = self.client.get(reverse("referral-detail", args=[self.waiting.pk]))
        self.assertEqual(page.status_code, 200)

    def test_it_lists_todays_work_each_linked_to_where_it_is_done(self):
        placement = self.book_today()
        sent_out.sent_out_log(
            by=self.alice,
            student=self.mia,
            reason="Shouting",
            sent_to="corridor",
            teaching_class=self.maths_class,
            period=self.periods["P2"],
        )
        self.login(self.bob)
        response = self.client.get(reverse("home"))
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        self.assertContains(response, "Arriving today")
        self.assertContains(response, reverse("register-today", args=["IE1"]))
        self.assertContains(response, "Interviews to do")
        self.assertContains(response, f'<a href="{register}">Jayden Walsh</a>: 9X/Ma1', html=False)
        self.assertContains(response, "ask Ms A Teague")
        letter = placement.referral_id or self.student.messages.get().pk
        self.assertContains(response, reverse("message-detail", args=[letter]))
        self.assertContains(response, "email draft to check")
        self.assertContains(response, "Visits to make")
        self.assertContains(response, "sent out at 10:15 from 9X/Ma1")
        self.assertContains(response, reverse("patrol-home"))

    def test_a_teacher_sees_none_of_the_officers_list(self):
        self.book_today()
        self.login(self.alice)
        response = self.client.get(reverse("home"))
        for heading in (
            "Referrals waiting for someone else",
            "Arriving today",
            "Interviews to do",
            "Family letters to check",
            "Lessons with no work yet",
            "Visits to make",
            "Marks for the MIS",
        ):
            self.assertNotContains(response, heading)

    def test_attendance_staff_find_the_marks_export_and_the_registers(self):
        self.login(self.gita)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Marks for the MIS")
        self.assertContains(response, f'action="{reverse("marks-export")}"')
        self.assertContains(response, reverse("register-today", args=["IE1"]))
        self.assertNotContains(response, "Referrals waiting for someone else")

    def test_its_queries_are_pinned_for_each_role(self):
        self.book_today()
        # Not more as the lists grow: a second student placed today and another letter.
        placements.placement_book(
            student=self.mia, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        pinned = {
            # With work to set, families not told, reviews and interventions due, the inbox.
            Role.TEACHER: 5,
            Role.CONDUCT: 13,
            Role.PASTORAL: 14,  # and the years they look after (year scope)
            Role.DSL: 14,
            Role.SLT: 14,
            Role.ADMIN: 9,
            Role.ATTENDANCE: 6,
            Role.CURRICULUM: 6,
            Role.SENCO: 6,
            "outsider": 3,
        }
        for role, person in people_by_role(self).items():
            with self.subTest(role=role):
                self.login(person)
                # Once to read the reference data (the school, its calendar, roles: kept in
                # conduct/lib/refcache.py), as any page before it has on a server.
                self.client.get(reverse("home"))
                with self.assertNumQueries(pinned[role]):
                    self.client.get(reverse("home"))

    def test_a_day_later_the_same_connection_shows_that_days_lists(self):
        # The home page's reads are compiled once per connection (conduct.lib.compiled) with
        # the day as an argument: rendered again a day on, each role's page must be what a fresh
        # connection draws that day, not Wednesday's lists again.
        # Jayden in IE1 today and tomorrow: an arrival on each day, and lessons missed.
        placements.placement_book(
            student=self.student, provision=self.ie, days=2, by=self.evan, start_on=WEDNESDAY
        )
        thursday = TEN_FIFTEEN + dt.timedelta(days=1)
        for role, person in people_by_role(self).items():
            with self.subTest(role=role):
                self.login(person)
                wednesday_page = _page(self.client.get(reverse("home")))
                with frozen_clock(thursday):
                    warm = _page(self.client.get(reverse("home")))
                    connections[DEFAULT_DB_ALIAS].__dict__.pop("_compiled_queries", None)
                    fresh = _page(self.client.get(reverse("home")))
                self.assertEqual(warm, fresh)
                if role == Role.CONDUCT:
                    self.assertNotEqual(warm, wednesday_page)


def _page(response) -> str:
    """The page's HTML without its CSRF token (new on each request)."""
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]*"', r'\1""', response.text)


class LongToDoListTest(SchoolDayTestCase):
    """A long to-do list shows its first few on the home page, with how many there are in all
    and a link to the rest (issue 15: the page drew every item)."""

    ie_capacity = 11

    def setUp(self):
        super().setUp()
        self.students = [
            make_student(upn=f"C12345678901{n}", first=f"Kid{n}", last=f"Zed{n}", form=self.form)
            for n in range(10)
        ]
        for student in self.students:
            placements.placement_book(
                student=student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
            )

    def test_the_home_page_shows_the_first_eight_interviews_and_links_to_the_rest(self):
        self.login(self.bob)
        response = self.client.get(reverse("home"))
        text = response.content.decode()
        section = text[text.index('id="interviews-heading"') :]
        section = section[: section.index("</section>")]
        self.assertIn('<span class="count">10</span>', section)
        self.assertEqual(section.count("<li>"), 8)
        self.assertIn(f'<a href="{reverse("to-do-interviews")}">and 2 more interviews', section)

        full = self.client.get(reverse("to-do-interviews"))
        for student in self.students:
            self.assertContains(full, student.name)
        self.assertContains(full, "Back to today")

    def test_each_interview_links_to_the_register_of_the_room_its_student_is_in_that_day(self):
        self.login(self.bob)
        full = self.client.get(reverse("to-do-interviews"))
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        self.assertContains(full, f'<a href="{register}">IE1 register</a>', count=10)

    def test_the_full_list_of_lessons_with_no_work_links_each_to_its_register(self):
        placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        )
        self.login(self.bob)
        full = self.client.get(reverse("to-do-work"))
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        self.assertContains(full, f'<a href="{register}">Jayden Walsh</a>: 9X/Ma1', html=False)
        self.assertContains(full, "ask Ms A Teague")

    def test_a_teacher_may_not_open_the_full_lists(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("to-do-interviews")).status_code, 403)
        self.assertEqual(self.client.get(reverse("to-do-work")).status_code, 403)


class DataManagerHomeTest(SchoolDayTestCase):
    """The data manager's home: what is loaded, the last import and who ran it, and the year
    groups' counts, each read as plain rows (issue 15)."""

    def test_it_shows_the_last_import_with_who_ran_it_and_its_status(self):
        ImportRun.objects.create(
            started_by=self.fay, source_name="roster.zip", format="OneRoster 1.1", status="applied"
        )
        self.login(self.fay)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Last import: <strong>Applied</strong> — roster.zip, ")
        self.assertContains(response, " by Fay Morgan.")
        self.assertContains(response, "<dt>Students on roll</dt><dd>1</dd>", html=False)

    def test_an_import_from_the_command_line_names_nobody(self):
        ImportRun.objects.create(source_name="exports/", format="CSV exports", status="rejected")
        self.login(self.fay)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "<strong>Rejected – nothing changed</strong> — exports/, ")
        self.assertNotContains(response, " by ")

    def test_the_head_of_year_sees_their_year_with_its_link_and_counts(self):
        self.login(self.charlie)
        response = self.client.get(reverse("home"))
        link = f"{reverse('student-list')}?year={self.year9.number}"
        self.assertContains(response, f'<a href="{link}">{self.year9}</a>', html=False)
        self.assertContains(response, '<td class="num">1</td>', html=False)


class MyLessonsTest(SchoolDayTestCase):
    def test_a_teacher_sees_the_lessons_of_their_classes_and_those_they_take_with_each_class_size(
        self,
    ):
        cycle_day = school_calendar.cycle_day_on(WEDNESDAY)
        mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        Enrolment.objects.create(teaching_class=self.maths_class, student=mia)
        # Bob covers Alice's class in P1 (the lesson is his), and Alice takes another class in P3.
        TimetableSlot.objects.create(
            teaching_class=self.maths_class,
            cycle_day=cycle_day,
            period=self.periods["P1"],
            staff=self.bob.staff,
        )
        other = TeachingClass.objects.create(code="9Y/Ma2", year_group=self.year9)
        ClassTeacher.objects.create(teaching_class=other, staff=self.bob.staff)
        TimetableSlot.objects.create(
            teaching_class=other,
            cycle_day=cycle_day,
            period=self.periods["P3"],
            staff=self.alice.staff,
        )
        TimetableSlot.objects.create(
            teaching_class=other, cycle_day=cycle_day, period=self.periods["P4"]
        )

        def lessons(staff):
            rows = school_timetable.staff_lessons_on(
                staff, WEDNESDAY, cycle_day=cycle_day, school_day=True
            )
            return [(row.period_code, row.class_code, row.subject, row.students) for row in rows]

        self.assertEqual(
            lessons(self.alice.staff),
            [("P2", "9X/Ma1", "Mathematics", 2), ("P3", "9Y/Ma2", "", 0)],
        )
        self.assertEqual(
            lessons(self.bob.staff),
            [("P1", "9X/Ma1", "Mathematics", 2), ("P4", "9Y/Ma2", "", 0)],
        )
