"""The calendar and the timetable selectors: school days, week A/B, where a student is now."""

import datetime as dt
from zoneinfo import ZoneInfo

from school.models import AcademicYear, HalfTerm, NonSchoolDay, Term, TimetableSlot
from school.selectors import calendar as school_calendar
from school.selectors import timetable as school_timetable
from tests.base import WEDNESDAY, ConductTestCase, make_calendar_and_timetable, make_student

LONDON = ZoneInfo("Europe/London")


def at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=LONDON)


class CalendarTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)
        NonSchoolDay.objects.create(date=dt.date(2026, 11, 27), kind=NonSchoolDay.Kind.INSET)

    def test_it_knows_school_days_from_terms_weekends_and_closures(self):
        self.assertTrue(school_calendar.is_school_day(WEDNESDAY))
        self.assertFalse(school_calendar.is_school_day(dt.date(2026, 11, 28)))  # Saturday
        self.assertFalse(school_calendar.is_school_day(dt.date(2026, 11, 27)))  # INSET day
        self.assertFalse(school_calendar.is_school_day(dt.date(2026, 10, 28)))  # half-term holiday
        self.assertFalse(school_calendar.is_school_day(dt.date(2026, 12, 21)))  # Christmas holiday

    def test_it_answers_whether_a_day_is_a_school_day_in_two_queries(self):
        with self.assertNumQueries(1):  # a holiday: the term and its half-terms say so
            self.assertFalse(school_calendar.is_school_day(dt.date(2026, 10, 28)))
        # A term the MIS gave no half-terms: every weekday in it, closures apart.
        spring = Term.objects.create(
            academic_year=AcademicYear.objects.get(),
            kind=Term.Kind.SPRING,
            starts_on=dt.date(2027, 1, 5),
            ends_on=dt.date(2027, 3, 26),
        )
        NonSchoolDay.objects.create(date=dt.date(2027, 2, 17), kind=NonSchoolDay.Kind.CLOSURE)
        with self.assertNumQueries(2):
            self.assertTrue(school_calendar.is_school_day(dt.date(2027, 2, 16)))
        self.assertFalse(school_calendar.is_school_day(dt.date(2027, 2, 17)))  # closed
        HalfTerm.objects.create(
            term=spring, number=3, starts_on=spring.starts_on, ends_on=dt.date(2027, 2, 12)
        )
        self.assertFalse(school_calendar.is_school_day(dt.date(2027, 2, 16)))  # now a holiday
        self.assertTrue(school_calendar.is_school_day(dt.date(2027, 2, 10)))

    def test_it_counts_the_next_school_days_past_closures_and_term_end(self):
        days = school_calendar.school_days_from(dt.date(2026, 11, 26), 3)
        # Thursday, then Friday is INSET and the weekend is skipped.
        self.assertEqual(days, [dt.date(2026, 11, 26), dt.date(2026, 11, 30), dt.date(2026, 12, 1)])
        # The term ends on Friday 18 December; the next term isn't in the calendar yet.
        self.assertEqual(
            school_calendar.school_days_from(dt.date(2026, 12, 17), 5),
            [dt.date(2026, 12, 17), dt.date(2026, 12, 18)],
        )
        # Across the October half-term holiday.
        self.assertEqual(
            school_calendar.school_days_from(dt.date(2026, 10, 23), 2),
            [dt.date(2026, 10, 23), dt.date(2026, 11, 2)],
        )

    def test_it_names_the_half_term(self):
        self.assertEqual(school_calendar.half_term_on(WEDNESDAY).name, "Autumn 2")
        self.assertIsNone(school_calendar.half_term_on(dt.date(2026, 10, 28)))

    def test_it_works_out_week_a_and_b_of_a_two_week_timetable(self):
        self.school.timetable_weeks = 2
        self.school.week_a_starts_on = dt.date(2026, 11, 16)
        self.school.save()
        self.assertEqual(school_calendar.cycle_day_on(dt.date(2026, 11, 16)), 1)  # Monday week A
        self.assertEqual(school_calendar.cycle_day_on(WEDNESDAY), 8)  # Wednesday week B
        self.assertEqual(
            school_calendar.cycle_day_on(dt.date(2026, 12, 4)), 5
        )  # Friday week A again
        self.assertEqual(
            school_calendar.cycle_day_on(dt.date(2026, 11, 13)), 10
        )  # Friday, week B before
        self.assertEqual(
            school_calendar.cycle_day_on(dt.date(2026, 11, 6)), 5
        )  # two weeks before: A
        self.assertEqual(school_calendar.week_label(8), "Week B")
        self.assertIsNone(school_calendar.cycle_day_on(dt.date(2026, 11, 22)))  # Sunday


class WhereaboutsTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)

    def test_it_finds_the_student_in_their_lesson_with_room_and_teacher(self):
        where = school_timetable.student_whereabouts(self.student, at(WEDNESDAY, 10, 15))
        self.assertEqual(where.teaching_class, self.maths_class)
        self.assertEqual(where.room.code, "M4")
        self.assertEqual([t.display_name for t in where.teachers], ["Ms A Teague"])
        self.assertEqual(where.period.code, "P2")

    def test_it_names_the_cover_teacher_when_a_lesson_has_its_own(self):
        TimetableSlot.objects.filter(cycle_day=3).update(staff=self.hugo.staff)
        where = school_timetable.class_whereabouts(self.maths_class, at(WEDNESDAY, 10, 59))
        self.assertEqual([t.display_name for t in where.teachers], ["Mr H Reid"])

    def test_it_says_why_when_the_student_is_in_no_lesson(self):
        cases = {
            at(WEDNESDAY, 9, 30): "No lesson on the timetable",
            at(WEDNESDAY, 11, 5): "Break",
            at(WEDNESDAY, 13, 30): "Lunch",
            at(WEDNESDAY, 8, 45): "Registration",
            at(WEDNESDAY, 16, 0): "Outside the school day",
            at(dt.date(2026, 11, 28), 10, 15): "Not a school day",
        }
        for moment, reason in cases.items():
            with self.subTest(moment=moment):
                where = school_timetable.student_whereabouts(self.student, moment)
                self.assertIsNone(where.slot)
                self.assertEqual(where.reason, reason)

    def test_it_finds_many_students_in_the_same_number_of_queries(self):
        other = make_student(upn="B123456789012", first="Mia", last="Cole", form=self.form)
        with self.assertNumQueries(6):  # the calendar (4), the slots and their teachers (2)
            where = school_timetable.students_whereabouts(
                [self.student.pk, other.pk], at(WEDNESDAY, 10, 15)
            )
        self.assertEqual(where[self.student.pk].teaching_class, self.maths_class)
        self.assertEqual(where[other.pk].reason, "No lesson on the timetable")
        at_break = school_timetable.students_whereabouts(
            [self.student.pk, other.pk], at(WEDNESDAY, 11, 5)
        )
        self.assertEqual({w.reason for w in at_break.values()}, {"Break"})

    def test_it_reads_a_students_day_for_their_page_as_asked_apart(self):
        """The student's page: where they are now and today's lessons from one read of the
        day's lessons, the same answers as asking each apart, in fewer queries."""
        cycle_day = school_calendar.cycle_day_on(WEDNESDAY)
        for moment in [at(WEDNESDAY, 10, 15), at(WEDNESDAY, 9, 30), at(WEDNESDAY, 11, 5)]:
            with self.subTest(moment=moment):
                where = school_timetable.student_whereabouts(
                    self.student, moment, cycle_day=cycle_day, school_day=True
                )
                slots = school_timetable.student_timetable_on(
                    self.student, WEDNESDAY, cycle_day=cycle_day, school_day=True
                )
                # the day's lessons and their teachers (the periods are reference data, cached)
                with self.assertNumQueries(2):
                    day = school_timetable.student_day(
                        self.student, moment, cycle_day=cycle_day, school_day=True
                    )
                self.assertEqual([lesson.pk for lesson in day.lessons], [s.pk for s in slots])
                self.assertEqual(day.now.pk if day.now else None, getattr(where.slot, "pk", None))
                self.assertEqual(
                    [lesson.pk for lesson in day.lessons if lesson.now],
                    [day.now.pk] if day.now else [],
                )
                self.assertEqual(
                    (day.whereabouts.period, day.whereabouts.reason), (where.period, where.reason)
                )
        day = school_timetable.student_day(
            self.student, at(WEDNESDAY, 10, 15), cycle_day=cycle_day, school_day=True
        )
        self.assertEqual(
            [(x.period, x.starts_at, x.class_code, x.room, x.teachers) for x in day.lessons],
            [("Period 2", "10:00", "9X/Ma1", "M4 Maths 4", "Ms A Teague")],
        )
        self.assertEqual(day.now, day.lessons[0])
        # A lesson with its own (cover) teacher names them alone, without reading the class's.
        TimetableSlot.objects.filter(cycle_day=cycle_day).update(staff=self.hugo.staff)
        with self.assertNumQueries(1):  # the day's lessons alone
            day = school_timetable.student_day(
                self.student, at(WEDNESDAY, 10, 15), cycle_day=cycle_day, school_day=True
            )
        self.assertEqual(day.now.teachers, "Mr H Reid")
        not_school = school_timetable.student_day(
            self.student, at(WEDNESDAY, 10, 15), cycle_day=None, school_day=False
        )
        self.assertEqual(
            (not_school.whereabouts.reason, not_school.lessons), ("Not a school day", [])
        )

    def test_it_lists_a_teachers_lessons_with_class_sizes(self):
        lessons = school_timetable.staff_timetable_on(self.alice.staff, WEDNESDAY)
        self.assertEqual(
            [(s.teaching_class.code, s.period.code, s.students) for s in lessons],
            [("9X/Ma1", "P2", 1)],
        )
        self.assertEqual(school_timetable.staff_timetable_on(self.bob.staff, WEDNESDAY), [])
