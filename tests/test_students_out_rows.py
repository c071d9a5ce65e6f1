"""A teacher's students out of their lessons today, read as the columns the page shows (issue 15):
what the read takes in and leaves out, and its order."""

from sanctions.models import Placement, PlacementDay
from sanctions.selectors import in_rooms
from sanctions.services import placements
from school.models import Form, YearGroup
from tests.base import WEDNESDAY, SchoolDayTestCase, make_student
from work.models import WorkRequest


class LessonsOutTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.evan, start_on=WEDNESDAY
        )
        # A second student, with a preferred first name and no form, is in the same lesson.
        year10 = YearGroup.objects.create(number=10, name="")
        cls.mia = make_student(
            upn="B123456789012",
            first="Amelia",
            last="Adams",
            form=Form.objects.create(code="10A", year_group=year10),
            preferred_first_name="Mia",
        )
        cls.mia.form = None
        cls.mia.save()
        placements.placement_book(
            student=cls.mia, provision=cls.rr, days=1, by=cls.evan, start_on=WEDNESDAY
        )
        cls.jayden_day = WorkRequest.objects.get(placement_day__placement__student=cls.student)
        cls.jayden_day = cls.jayden_day.placement_day
        # She is not in 9X/Ma1's timetable: her missed lesson is written in.
        WorkRequest.objects.create(
            placement_day=PlacementDay.objects.get(placement__student=cls.mia),
            date=WEDNESDAY,
            period=cls.periods["P2"],
            teaching_class=cls.maths_class,
            teacher=cls.alice.staff,
        )

    def add(self, period="P1", **fields):
        return WorkRequest.objects.create(
            placement_day=fields.pop("placement_day", self.jayden_day),
            date=fields.pop("date", WEDNESDAY),
            period=self.periods[period],
            teaching_class=self.maths_class,
            teacher=fields.pop("teacher", self.alice.staff),
            **fields,
        )

    def lessons(self, day=WEDNESDAY):
        return [
            (lesson.period_code, lesson.class_code, lesson.student_name, lesson.form)
            for lesson in in_rooms.out_of_lessons_taught_by(self.alice.staff, day)
        ]

    def test_it_lists_the_lessons_in_period_then_last_name_order(self):
        self.add("P1", status=WorkRequest.Status.SET)
        self.assertEqual(
            self.lessons(),
            [
                ("P1", "9X/Ma1", "Jayden Walsh", "9B"),
                ("P2", "9X/Ma1", "Mia Adams", "Year 10"),  # no form: the year
                ("P2", "9X/Ma1", "Jayden Walsh", "9B"),
            ],
        )
        [first, *_] = in_rooms.out_of_lessons_taught_by(self.alice.staff, WEDNESDAY)
        self.assertEqual(
            (first.student_id, first.provision_name, first.room_code, first.status),
            (self.student.pk, "Internal exclusion", "IE1", "set"),
        )
        self.assertEqual((first.starts_at.hour, first.status_label), (9, "Work set"))

    def test_it_leaves_out_cancelled_work_other_teachers_other_days_and_days_called_off(self):
        self.add("P1", status=WorkRequest.Status.CANCELLED)
        self.add("P3", teacher=self.hugo.staff)
        self.assertEqual(len(self.lessons()), 2)
        self.assertEqual(
            in_rooms.out_of_lessons_taught_by(self.hugo.staff, WEDNESDAY)[0].period_code, "P3"
        )
        self.assertEqual(self.lessons(WEDNESDAY.replace(day=26)), [])
        self.assertEqual(in_rooms.out_of_lessons_taught_by(None, WEDNESDAY), [])
        self.jayden_day.is_active = False
        self.jayden_day.save()
        self.assertEqual(self.lessons(), [("P2", "9X/Ma1", "Mia Adams", "Year 10")])

    def test_it_leaves_out_cancelled_placements(self):
        Placement.objects.filter(student=self.mia).update(status=Placement.Status.CANCELLED)
        self.assertEqual(self.lessons(), [("P2", "9X/Ma1", "Jayden Walsh", "9B")])
