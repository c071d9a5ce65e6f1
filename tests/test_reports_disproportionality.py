"""Disproportionality against figures worked out by hand (the log method for the interval)."""

import datetime as dt
import math

from django.db.models import Q
from django.test import override_settings

from reports.selectors.disproportionality import CHARACTERISTICS, disproportionality, risk_ratio
from reports.selectors.figures import Span
from school.models import Student, YearGroup
from tests.base import SchoolDayTestCase, make_student
from tests.reports_fixtures import place

WEEK = Span("This week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))
MONDAY = dt.date(2026, 11, 23)


class DisproportionalityTest(SchoolDayTestCase):
    """Forty students on roll (Jayden and 39 more): 10 with an EHCP, 5 of them placed; of the
    30 others 3 placed (Jayden, one FSM student, one more). 12 FSM students (none with an EHCP),
    1 placed. 3 looked after. 35 boys and 5 girls. Everyone's ethnicity not yet obtained."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        made = [
            make_student(
                upn=f"S{i:03}",
                first=f"S{i}",
                form=cls.form,
                sen_status="E" if i < 10 else "N",
                fsm=10 <= i < 22,
                looked_after=i in (30, 31, 32),
                gender=Student.Gender.FEMALE if i >= 34 else Student.Gender.MALE,
            )
            for i in range(39)
        ]
        placed = [*made[:5], cls.student, made[10], made[25]]
        for student in placed:
            place(cls, student, cls.rr, cls.rr_room, [MONDAY])
        # Placed twice: still one student placed.
        place(cls, made[0], cls.rr, cls.rr_room, [MONDAY + dt.timedelta(days=1)])
        # A cancelled placement counts nowhere; a leaver is not on roll.
        place(cls, made[30], cls.rr, cls.rr_room, [MONDAY], status="cancelled")
        gone = make_student(upn="GONE", form=cls.form, sen_status="E", left_on=dt.date(2026, 11, 1))
        place(cls, gone, cls.rr, cls.rr_room, [dt.date(2026, 10, 1)])

    def groups(self):
        return {group.label: group for group in disproportionality(WEEK)}

    def test_it_computes_the_rate_risk_ratio_and_interval_by_the_log_method(self):
        """EHCP: 5/10 = 50% against 3/30 = 10%; RR 5.0; SE = √(1/5 − 1/10 + 1/3 − 1/30) = √0.4;
        interval exp(ln 5 ± 1.96 × 0.6325) = 1.45 to 17.27, which excludes 1."""
        ehcp = self.groups()["EHCP"]
        self.assertEqual(
            (ehcp.students, ehcp.placed, ehcp.others, ehcp.others_placed), (10, 5, 30, 3)
        )
        self.assertEqual((ehcp.rate, ehcp.others_rate), (50.0, 10.0))
        self.assertEqual((ehcp.risk_ratio, ehcp.low, ehcp.high), (5.0, 1.45, 17.27))
        self.assertEqual(
            ehcp.sentence,
            "Students with an EHCP were 5.0 times as likely as other students to be placed "
            "(more likely; 95% interval 1.4 to 17.3).",
        )

    def test_it_writes_no_sentence_when_the_interval_includes_one(self):
        """FSM: 1/12 against 7/28; RR 1/3; SE = √(1 − 1/12 + 1/7 − 1/28) ≈ 1.012; interval
        0.05 to 2.42."""
        fsm = self.groups()["FSM"]
        self.assertEqual((fsm.students, fsm.placed, fsm.others, fsm.others_placed), (12, 1, 28, 7))
        self.assertEqual((fsm.risk_ratio, fsm.low, fsm.high), (0.33, 0.05, 2.42))
        self.assertEqual(fsm.sentence, "")

    def test_it_suppresses_small_groups_and_small_remainders(self):
        """Looked after: 3 students. Girls: 5. Boys: 35, but everyone else is 5. Ethnicity not
        yet obtained: all 40, nobody else."""
        found = self.groups()
        for label in ("Looked after", "Female", "Male", "Information not yet obtained"):
            with self.subTest(label):
                self.assertTrue(found[label].suppressed)
                self.assertIsNone(found[label].risk_ratio)
        self.assertFalse(found["EHCP"].suppressed)

    @override_settings(REPORTS_MIN_GROUP_SIZE=3)
    def test_the_suppression_size_is_a_setting(self):
        self.assertFalse(self.groups()["Looked after"].suppressed)

    def test_it_leaves_the_ratio_out_when_nobody_in_a_group_was_placed(self):
        self.assertIsNone(risk_ratio(0, 10, 3, 30))
        ratio, low, high = risk_ratio(5, 10, 3, 30)
        self.assertAlmostEqual(ratio, 5.0)
        self.assertAlmostEqual(low, math.exp(math.log(5) - 1.959964 * math.sqrt(0.4)))

    def test_it_takes_one_query(self):
        with self.assertNumQueries(1):
            disproportionality(WEEK)

    def test_a_year_scope_counts_that_years_students_only(self):
        """The forty are all in Year 9: a Year 9 scope (one year, and two years) counts them
        all as the whole school does; a Year 7 scope counts nobody."""
        year7 = YearGroup.objects.create(number=7)
        whole = self.groups()
        for scope in (
            Q(year_group_id__in=frozenset({self.year9.pk})),
            Q(year_group_id__in=frozenset({self.year9.pk, year7.pk})),
        ):
            with self.subTest(scope=scope):
                mine = {group.label: group for group in disproportionality(WEEK, scope)}
                self.assertEqual(mine, whole)
        nobody = disproportionality(WEEK, Q(year_group_id__in=frozenset({year7.pk})))
        self.assertEqual([(g.students, g.placed) for g in nobody[:2]], [(0, 0), (0, 0)])
        self.assertTrue(all(group.suppressed for group in nobody))

    @override_settings(REPORTS_MIN_GROUP_SIZE=1)
    def test_each_ethnicity_is_a_group_in_the_order_of_its_code(self):
        Student.objects.filter(upn__in=["S000", "S001", "S002"]).update(ethnicity="WIRI")
        Student.objects.filter(upn="S010").update(ethnicity="MWBA")
        found = disproportionality(WEEK)
        ethnicities = [g for g in found if g.label not in {c[0] for c in CHARACTERISTICS}]
        self.assertEqual(
            [(g.label, g.students, g.placed) for g in ethnicities],
            [
                ("White and Black African", 1, 1),
                ("Information not yet obtained", 36, 4),
                ("White – Irish", 3, 3),
            ],
        )
