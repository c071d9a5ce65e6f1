"""What a room's register shows: the room's own times, why and since when each student is there,
their days in a room, marks with arrival times and MIS codes in words, lessons missed with their
work, and a closed day as closed — in a fixed number of queries."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conduct.lib.errors import ActionRefused
from sanctions.models import AttendanceMark
from sanctions.services import placements, register
from school.models import Enrolment, Room, TimetableSlot
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase, freeze_clock, make_student
from work.models import WorkRequest, WorkSet
from work.selectors import requests

TODAY = WEDNESDAY.isoformat()


class RegisterPageTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        self.url = reverse("register", args=["IE1", TODAY])
        self.line = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        ).days.get()

    def test_it_shows_the_rooms_own_break_and_lunch(self):
        self.login(self.charlie)
        response = self.client.get(self.url)
        self.assertContains(
            response,
            "<strong>Internal exclusion:</strong> arrive 08:45 · break 10:45–11:00 · "
            "lunch 12:45–13:10 · leave 15:45",
        )

    def test_it_shows_the_lesson_a_reflection_room_student_was_removed_from(self):
        slot = TimetableSlot.objects.get(cycle_day=3, period=self.periods["P2"])
        other = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        Enrolment.objects.create(teaching_class=self.maths_class, student=other)
        placements.placement_book(
            student=other,
            provision=self.rr,
            days=1,
            by=self.alice,
            start_on=WEDNESDAY,
            removed_from=slot,
            note="Swore at the teacher",
        )
        self.login(self.bob)
        response = self.client.get(reverse("register", args=["RR1", TODAY]))
        self.assertContains(response, "<strong>Removed from</strong> P2 9X/Ma1 at 10:15")

    def test_it_counts_each_students_days_in_a_room_this_term_and_year(self):
        # Two days in IE in October and one in the reflection room last summer term.
        freeze_clock(self, dt.datetime(2026, 10, 5, 8, 0, tzinfo=LONDON))
        placements.placement_book(
            student=self.student,
            provision=self.ie,
            days=2,
            by=self.evan,
            start_on=dt.date(2026, 10, 5),
        )
        freeze_clock(self)
        self.login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, "<strong>Days in a room:</strong> 3 this term, 3 this year")

    def test_it_asks_for_the_arrival_time_and_shows_the_code_in_words(self):
        self.login(self.bob)
        mark = reverse("register-mark", args=[self.line.pk])
        response = self.client.get(self.url)
        self.assertContains(response, 'name="at" value="10:15" max="10:15"')
        response = self.client.post(
            mark, {"session": "am", "kind": "late", "at": "09:05"}, follow=True
        )
        self.assertContains(response, "Morning: <strong>Late (20 min)</strong>")
        self.assertContains(
            response,
            '<span class="mark-detail">arrived at 09:05 · '
            '<span class="mis" title="Mark sent to the MIS">L</span> '
            '<span class="mis-meaning">late before registers closed</span></span>',
        )
        # An arrival later than now, or not a time, is refused with what to give.
        for at, problem in [("10:30", "no later than now (10:15)"), ("25:99", "Give the time")]:
            response = self.client.post(
                mark, {"session": "pm", "kind": "late", "at": at}, follow=True
            )
            self.assertContains(response, problem)
        self.assertFalse(AttendanceMark.objects.filter(session="pm").exists())
        self.client.post(mark, {"session": "pm", "kind": "present"})
        response = self.client.get(self.url)
        self.assertContains(response, "Afternoon: <strong>Present</strong>")
        self.assertContains(response, '<span class="mark-detail">marked at 10:15')
        self.assertContains(response, "present in the afternoon")

    def test_it_sends_back_a_marked_line_as_the_page_draws_it(self):
        self.login(self.bob)
        mark = reverse("register-mark", args=[self.line.pk])
        line = self.client.post(
            mark, {"session": "am", "kind": "late", "at": "09:05"}, HTTP_HX_REQUEST="true"
        ).content.decode()
        page = self.client.get(self.url).content.decode()
        # The same line but for its one-time tokens.
        tokens = re.compile(r'name="(csrfmiddlewaretoken|submission)" value="[^"]+"')
        self.assertIn("Morning: <strong>Late (20 min)</strong>", line)
        self.assertIn(tokens.sub("", line.strip()), tokens.sub("", page))

    def test_it_lists_the_lessons_missed_with_their_work(self):
        self.login(self.bob)
        response = self.client.get(self.url)
        request = WorkRequest.objects.get(placement_day=self.line, period__code="P2")
        self.assertContains(
            response,
            '<li>P2 9X/Ma1 (Ms A Teague) – <span class="work-state work-requested">requested'
            f'</span> <a href="/work/{request.pk}/record/">record work',
            html=False,
        )
        self.assertContains(response, "Work pack (PDF)")

    def test_it_says_of_each_lessons_work_what_the_work_request_says(self):
        # The register reads the lessons missed as plain rows; each state reads as on the
        # request itself (WorkRequest.state_label), wherever else it is shown.
        request = WorkRequest.objects.get(placement_day=self.line, period__code="P2")
        tuesday_four = dt.datetime(2026, 11, 24, 16, 5, tzinfo=LONDON)
        lesson = WorkSet.objects.create(
            kind=WorkSet.Kind.LESSON, set_by=self.alice, set_at=tuesday_four
        )
        fallback = WorkSet.objects.create(kind=WorkSet.Kind.FALLBACK, set_at=tuesday_four)
        programme = WorkSet.objects.create(kind=WorkSet.Kind.PROGRAMME, set_at=tuesday_four)
        requested = WorkRequest.Status.REQUESTED
        for change, label in [
            ({}, "requested"),
            ({"fell_back_at": tuesday_four}, "missing"),
            ({"work_set": fallback, "status": "set"}, "from the programme"),
            ({"work_set": programme, "status": "set"}, "programme, chosen by the teacher"),
            ({"work_set": lesson, "status": "set"}, "set by Alice Teague Tue 16:05"),
            (
                {"work_set": lesson, "status": "set", "answered_late": True},
                "set late by Alice Teague Tue 16:05",
            ),
            (
                {"work_set": lesson, "status": "returned", "outcome": "partly"},
                "partly done, returned",
            ),
        ]:
            with self.subTest(label):
                reset = {"work_set": None, "status": requested, "fell_back_at": None}
                WorkRequest.objects.filter(pk=request.pk).update(
                    **reset | {"answered_late": False, "outcome": ""} | change
                )
                request.refresh_from_db()
                self.assertEqual(request.state_label, label)
                [missed] = [
                    w
                    for w in requests.lessons_missed(self.ie_room.pk, WEDNESDAY)[self.line.pk]
                    if w.pk == request.pk
                ]
                self.assertEqual(missed.state, label)
                self.assertEqual(missed.label, "P2 9X/Ma1 (Ms A Teague)")

    def test_it_reads_a_closed_day_as_closed_with_who_and_when(self):
        freeze_clock(self, dt.datetime.combine(WEDNESDAY, dt.time(16, 0), tzinfo=LONDON))
        for session in ("am", "pm"):
            register.mark_record(
                placement_day=self.line, session=session, kind="present", at=dt.time(9), by=self.bob
            )
        register.register_close(room=self.ie_room, date=WEDNESDAY, by=self.bob)
        self.login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(
            response, "<strong>Closed.</strong> The day was closed by Bob Patel at 16:00."
        )
        for control in ('name="kind"', "Close the day", "Failed the room"):
            self.assertNotContains(response, control)
        with self.assertRaisesMessage(ActionRefused, "The day was closed by Bob Patel at 16:00"):
            register.mark_record(
                placement_day=self.line, session="am", kind="absent", at=dt.time(9), by=self.bob
            )
        with self.assertRaisesMessage(ActionRefused, "closed by Bob Patel"):
            register.register_close(room=self.ie_room, date=WEDNESDAY, by=self.evan)

    def test_it_offers_to_raise_a_notes_level_with_no_stray_field(self):
        # The page's next day was once taken by the level-raise form for a `next` to post.
        register.room_log_add(
            placement_day=self.line,
            kind="note",
            at=dt.time(10),
            note="Upset about home",
            level="pastoral",
            by=self.bob,
        )
        self.login(self.bob)
        response = self.client.get(self.url)
        self.assertContains(response, 'class="level-raise"')
        self.assertNotContains(response, 'name="next"')

    def test_it_finds_the_room_again_once_the_rooms_change(self):
        # The room comes from the reference data cache, read again after a write to the rooms.
        self.login(self.bob)
        self.assertContains(self.client.get(self.url), "<h1>IE1 Internal exclusion room")
        self.ie_room.name = "Old library"
        self.ie_room.save()
        self.assertContains(self.client.get(self.url), "<h1>IE1 Old library")
        self.assertEqual(self.client.get(reverse("register", args=["IE2", TODAY])).status_code, 404)
        Room.objects.create(code="IE2", name="Annexe")
        self.assertContains(self.client.get(reverse("register", args=["IE2", TODAY])), "Annexe")

    def test_it_reads_the_register_in_a_fixed_number_of_queries(self):
        self.login(self.bob)
        self.client.get(self.url)  # the session and the user, warmed
        with self.assertNumQueries(13):
            self.client.get(self.url)
        rr = reverse("register", args=["RR1", TODAY])
        self.client.get(rr)  # the room and its provisions, read once into the reference data cache
        counts = []
        for number, name in enumerate(["Mia", "Noah", "Ava"], start=2):
            student = make_student(
                upn=f"B12345678901{number}", first=name, last="Jones", form=self.form
            )
            Enrolment.objects.create(teaching_class=self.maths_class, student=student)
            placements.placement_book(
                student=student, provision=self.rr, days=1, by=self.bob, start_on=WEDNESDAY
            )
            with CaptureQueriesContext(connection) as queries:
                self.client.get(rr)
            counts.append(len(queries))
        # One, two, three students: as many queries (the reflection room keeps the school's
        # times: its day ends with the school's periods, reference data read by the first).
        self.assertEqual(counts, [14, 13, 13])


class RegisterVersionTest(SchoolDayTestCase):
    """An open register screen asks `?version` every few seconds and reloads when it changes."""

    def setUp(self):
        super().setUp()
        self.line = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.evan, start_on=WEDNESDAY
        ).days.get()
        self.url = reverse("register", args=["IE1", TODAY]) + "?version=1"
        self.login(self.bob)
        # After the room's day, so it may be closed.
        freeze_clock(self, dt.datetime.combine(WEDNESDAY, dt.time(16), tzinfo=LONDON))
        self.client.get(self.url)  # the room, read once into the reference data cache

    def version(self) -> str:
        # session, user, and the version's four reads (the room and roles are reference data)
        with self.assertNumQueries(6):
            return self.client.get(self.url).json()["version"]

    def test_it_changes_with_each_mark_log_entry_and_the_closing_and_not_otherwise(self):
        seen = [self.version()]
        self.assertEqual(self.version(), seen[0])
        changes = [
            lambda: register.mark_record(
                placement_day=self.line, session="am", kind="present", at=dt.time(9), by=self.bob
            ),
            lambda: register.room_log_add(
                placement_day=self.line, kind="note", at=dt.time(10), note="Settled", by=self.bob
            ),
            lambda: register.mark_record(
                placement_day=self.line, session="pm", kind="present", at=dt.time(13), by=self.bob
            ),
            lambda: register.register_close(room=self.ie_room, date=WEDNESDAY, by=self.bob),
        ]
        for change in changes:
            change()
            seen.append(self.version())
            # The page carries the same fingerprint, taken from what it read, so an open screen
            # does not reload for nothing (nor miss a change).
            page = self.client.get(reverse("register", args=["IE1", TODAY]))
            self.assertContains(page, f'data-version="{seen[-1]}"')
        self.assertEqual(len(set(seen)), 5, seen)
        self.assertEqual(seen[0].split("-")[0], "1")  # one student booked
