"""The roster import of class periods as the OneRoster standard writes them (period
identifiers with no day), Conduct's richer `<cycle day>:<period>[@room]`, and the timetable.csv a
bundle may carry to place them (docs/import.md)."""

import io

from django.core.management import call_command

from school.models import ImportRun, TeachingClass, TimetableSlot
from tests.base import make_calendar_and_timetable
from tests.test_import_oneroster import BundleTestCase


def periods_notice(count: str, first: str, row: int) -> str:
    return (
        f"classes.csv: periods name no cycle day in {count} (the first: "
        f'"{first}" on row {row}), as the OneRoster standard writes them: those periods are '
        "not placed in the timetable, and a class with none placed keeps the slots Conduct "
        "already has for it. Write a period as <cycle day>:<period> (e.g. 1:P2), or add "
        "timetable.csv to the bundle, to place it."
    )


class PeriodsWithoutDaysTest(BundleTestCase):
    def standard_periods(self, bundle):
        """classes.csv as the standard writes it: period identifiers, no day."""
        self.edit(bundle, "classes.csv", '"1:P2,3:P2,6:P1@M5"', '"1,3"')
        self.edit(bundle, "classes.csv", '"2:P1,7:P3"', "2")
        self.edit(bundle, "classes.csv", '"4:P4,9:P5"', "P4")

    def test_it_imports_classes_whose_periods_name_no_day_and_says_so_once(self):
        bundle = self.bundle("oneroster11")
        self.standard_periods(bundle)

        result = self.run_import(bundle)

        assert result.problems == []
        assert result.status == "applied"
        assert result.counts["classes"]["created"] == 3
        assert result.counts["timetable_slots"]["created"] == 0
        assert result.notices == [periods_notice("3 classes", "1,3", 4)]
        maths = TeachingClass.objects.get(code="9X/Ma1")
        assert maths.students.count() == 3
        assert not maths.slots.exists()
        assert ImportRun.objects.get().notices == result.notices

    def test_it_keeps_the_timetable_conduct_has_when_periods_name_no_day(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.standard_periods(bundle)

        result = self.run_import(bundle)

        assert (result.status, result.problems) == ("applied", [])
        # Not restated, so not counted: the classes' slots are left alone.
        assert not any(result.counts["timetable_slots"].values())
        assert TimetableSlot.objects.count() == 7
        assert TimetableSlot.objects.filter(teaching_class__code="9X/Ma1").count() == 3

    def test_it_keeps_the_timetable_conduct_has_when_periods_are_blank(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.edit(bundle, "classes.csv", '"1:P2,3:P2,6:P1@M5"', "")

        result = self.run_import(bundle)

        assert result.problems == [] and result.notices == []
        assert result.counts["timetable_slots"]["removed"] == 0
        assert TimetableSlot.objects.filter(teaching_class__code="9X/Ma1").count() == 3

    def test_it_places_the_periods_that_name_a_day(self):
        bundle = self.bundle("oneroster11")
        self.run_import(bundle)
        self.edit(bundle, "classes.csv", '"1:P2,3:P2,6:P1@M5"', '"1:P2,3"')

        result = self.run_import(bundle)

        assert result.notices == [periods_notice("1 class", "1:P2,3", 4)]
        maths = TeachingClass.objects.get(code="9X/Ma1")
        assert {(s.cycle_day, s.period.code) for s in maths.slots.all()} == {(1, "P2")}

    def test_it_still_reports_a_slot_that_is_not_one(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "classes.csv", '"2:P1,7:P3"', '"2:P1,Mon:P3"')

        result = self.run_import(bundle)

        assert result.problems == [
            'classes.csv:5:periods: "Mon:P3" is not a timetable slot '
            "(<cycle day>:<period>[@<room>], e.g. 1:P1)"
        ]

    def test_it_imports_periods_with_no_day_in_a_12_bundle(self):
        make_calendar_and_timetable(self)
        bundle = self.bundle("oneroster12")
        self.edit(bundle, "classes.csv", '"1:P1,5:P3@H3"', '"1,5"')

        result = self.run_import(bundle)

        assert result.status == "applied"
        assert result.notices == [periods_notice("1 class", "1,5", 3)]
        assert TeachingClass.objects.get(code="8X/Hi1").students.count() == 2

    def test_it_prints_the_notice_from_the_command(self):
        bundle = self.bundle("oneroster11")
        self.standard_periods(bundle)
        out = io.StringIO()

        call_command("import_roster", str(bundle), stdout=out)

        lines = out.getvalue().splitlines()
        assert lines[0] == "OneRoster 1.1: applied"
        assert lines[1] == "Notice: " + periods_notice("3 classes", "1,3", 4)
        assert sum(line.startswith("Notice:") for line in lines) == 1


class TimetableInABundleTest(BundleTestCase):
    def test_it_places_classes_from_the_bundles_timetable_csv(self):
        bundle = self.bundle("oneroster11")
        self.edit(bundle, "classes.csv", '"1:P2,3:P2,6:P1@M5"', '"1,3"')
        self.edit(bundle, "classes.csv", '"2:P1,7:P3"', "2")
        (bundle / "timetable.csv").write_text(
            "Class,Day,Period,Room,Teacher\n"
            "9X/Ma1,Mon A,P2,,RHU\n"
            "9X/Ma1,Wed A,P2,,RHU\n"
            "9X/Ma1,Mon B,P1,M5,SJO\n"
            "10Y/Sc1,Fri A,P5,S14,\n",
            encoding="utf-8",
        )

        result = self.run_import(bundle)

        assert result.problems == []
        assert result.format == "OneRoster 1.1"
        # English is the one class left with periods that name no day.
        assert result.notices == [periods_notice("1 class", "2", 5)]
        maths = TeachingClass.objects.get(code="9X/Ma1")
        assert {
            (s.cycle_day, s.period.code, s.room.code, s.staff.staff_code) for s in maths.slots.all()
        } == {(1, "P2", "M4", "RHU"), (3, "P2", "M4", "RHU"), (6, "P1", "M5", "SJO")}
        # The class teachers still come from enrollments.csv.
        assert maths.teachers.count() == 2
        science = TeachingClass.objects.get(code="10Y/Sc1")  # timetable.csv over `periods`
        assert [(s.cycle_day, s.period.code, s.room.code) for s in science.slots.all()] == [
            (5, "P5", "S14")
        ]
        assert not TeachingClass.objects.get(code="9X/En1").slots.exists()

    def test_it_reports_timetable_rows_that_name_what_is_not_there(self):
        bundle = self.bundle("oneroster11")
        (bundle / "timetable.csv").write_text(
            "Class,Day,Period,Room,Teacher\n"
            "9X/Ma1,Mon A,P2,,RHU\n"
            "9X/Ma1,1,P2,,RHU\n"
            "9X/Ma9,Tue A,P1,,RHU\n"
            "9B,Tue A,P1,,SJO\n"
            "9X/En1,Tue A,P9,,XYZ\n",
            encoding="utf-8",
        )

        result = self.run_import(bundle)

        assert result.problems == [
            "timetable.csv:3:Period: 9X/Ma1 is given twice on day 1 P2 (row 2)",
            'timetable.csv:4:Class: no class "9X/Ma9" in classes.csv',
            'timetable.csv:5:Class: "9B" is a homeroom class, not taught in the timetable',
            'timetable.csv:6:Period: no period "P9" (not in periods.csv nor in Conduct)',
            'timetable.csv:6:Teacher: no member of staff "XYZ" in users.csv or Conduct',
        ]
