"""Which groups of students are placed more (or less) often than everyone else, and whether the
difference is more than chance would give.

For each group (SEN support, EHCP, FSM, pupil premium, EAL, each gender, each ethnicity group,
looked-after) among the students on roll in a span: its rate (the share of its students placed at
least once), the risk ratio against every other student on roll, and a 95% confidence interval
by the log method (Katz): exp(ln RR ± 1.96 × √(1/a − 1/n₁ + 1/c − 1/n₀)), where a of n₁ in
the group and c of n₀ outside it were placed. A group, or everyone else, smaller than the
suppression size is not shown, as published statistics do.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from reports.selectors.figures import (
    WHOLE_SCHOOL,
    Span,
    _scoped,
    placements_in,
    students_on_roll,
)
from school.models import Student

Z_95 = 1.959964


def min_group_size() -> int:
    """Groups below this many students are suppressed (settings.REPORTS_MIN_GROUP_SIZE, 10)."""
    return int(getattr(settings, "REPORTS_MIN_GROUP_SIZE", 10))


@dataclass
class GroupRisk:
    label: str
    # In the group: students, of them placed; everyone else on roll: students, placed.
    students: int
    placed: int
    others: int
    others_placed: int
    suppressed: bool = False
    rate: float | None = None
    others_rate: float | None = None
    risk_ratio: float | None = None
    low: float | None = None
    high: float | None = None
    sentence: str = ""

    @property
    def excludes_one(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 1 or self.high < 1)


def risk_ratio(a: int, n1: int, c: int, n0: int) -> tuple[float, float, float] | None:
    """The risk ratio of a/n1 against c/n0 with its 95% interval by the log (Katz) method; None
    when either side has no one placed (the log is not defined)."""
    if not (a and c and n1 and n0):
        return None
    ratio = (a / n1) / (c / n0)
    se = math.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0)
    return ratio, math.exp(math.log(ratio) - Z_95 * se), math.exp(math.log(ratio) + Z_95 * se)


def _group(label: str, students: int, placed: int, total: int, total_placed: int, noun: str):
    """One group's line, suppressed when it or everyone else is too small to show."""
    group = GroupRisk(label, students, placed, total - students, total_placed - placed)
    smallest = min_group_size()
    if students < smallest or group.others < smallest:
        group.suppressed = True
        return group
    group.rate = round(100 * placed / students, 1)
    group.others_rate = round(100 * group.others_placed / group.others, 1)
    found = risk_ratio(placed, students, group.others_placed, group.others)
    if found:
        group.risk_ratio, group.low, group.high = (round(x, 2) for x in found)
        if group.excludes_one:
            how = "more" if group.low > 1 else "less"
            group.sentence = (
                f"{noun} were {group.risk_ratio:.1f} times as likely as other students to be "
                f"placed ({how} likely; 95% interval {group.low:.1f} to {group.high:.1f})."
            )
    return group


# The yes/no characteristics: label, the student's field and the value that puts a student in
# the group, how a sentence names the group.
CHARACTERISTICS = (
    ("SEN support", "sen_status", Student.SenStatus.SUPPORT, "Students on SEN support"),
    ("EHCP", "sen_status", Student.SenStatus.EHCP, "Students with an EHCP"),
    ("FSM", "fsm", True, "Students eligible for free school meals"),
    ("Pupil premium", "pupil_premium", True, "Pupil premium students"),
    ("EAL", "eal", True, "Students with English as an additional language"),
    ("Looked after", "looked_after", True, "Looked-after students"),
) + tuple((label, "gender", code, f"{label} students") for code, label in Student.Gender.choices)
# The fields the groups are told apart by, as the grouped read gives them.
_FIELDS = ("sen_status", "fsm", "pupil_premium", "eal", "looked_after", "gender", "ethnicity")


def _roll_query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
    span = Span("", start, end)
    placed = Exists(placements_in(span).filter(student=OuterRef("pk")))
    return (
        students_on_roll(span)
        .filter(scope)
        .annotate(placed=placed)
        .values(*_FIELDS, "placed")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(*_FIELDS, "placed", "n")
    )


# The students on roll counted by every field a group is told apart by and whether they were
# placed: a few hundred rows, each group's counts added up in Python. One aggregate with two
# filtered counts per group cost more to build each time than to run (issue 15).
_roll_read = _scoped(
    _roll_query,
    lambda start, end: _roll_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _roll_query(Q(year_group_id=year), start, end),
)


def disproportionality(span: Span, scope: Q = WHOLE_SCHOOL) -> list[GroupRisk]:
    """Every group's rate, risk ratio and interval for placements starting in `span` (one
    query)."""
    rows = [
        (dict(zip(_FIELDS, fields, strict=True)), bool(placed), n)
        for *fields, placed, n in _roll_read(scope, span.start, span.end)
    ]
    total = sum(n for _, _, n in rows)
    total_placed = sum(n for _, placed, n in rows if placed)

    def counted(field: str, value) -> tuple[int, int]:
        mine = [(placed, n) for row, placed, n in rows if row[field] == value]
        return sum(n for _, n in mine), sum(n for placed, n in mine if placed)

    groups = [
        _group(label, *counted(field, value), total, total_placed, noun)
        for label, field, value, noun in CHARACTERISTICS
    ]
    names = dict(Student.Ethnicity.choices)
    for ethnicity in sorted({row["ethnicity"] for row, _, _ in rows}):
        label = names.get(ethnicity, "Not recorded")
        n, p = counted("ethnicity", ethnicity)
        groups.append(_group(label, n, p, total, total_placed, f"{label} students"))
    return groups
