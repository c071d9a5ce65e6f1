"""Work and reviews for the report fixture's week (tests/reports_fixtures.py), worked out by hand
in tests/test_reports_work_reviews.py's docstrings."""

import datetime as dt

from pastoral.models import ReviewRule, ReviewTask
from school.models import Student
from tests.base import make_student
from tests.reports_fixtures import at, place
from work.models import WorkRequest, WorkSet


def make_work(target) -> None:
    """Mia's two IE days (P3, 24 and 25 November) and Jayden's RR day (P2, 25 November) missed
    six lessons: set on time and completed; set late and partly done; from the programme at the
    deadline and not done; nothing by the deadline; still waiting (no deadline yet); and one
    cancelled (in no figure)."""
    d = dt.date
    day24, day25 = target.p3.days.order_by("date")
    jayden25 = target.p2.days.get()
    periods = target.periods

    def request(day, period, *, kind=None, late=False, outcome="", deadline=None, status=None):
        work_set = WorkSet.objects.create(kind=kind, set_by=target.alice) if kind else None
        return WorkRequest.objects.create(
            placement_day=day,
            date=day.date,
            period=periods[period],
            teaching_class=target.maths_class,
            teacher=target.alice.staff,
            status=status or ("set" if kind else "requested"),
            work_set=work_set,
            answered_late=late,
            outcome=outcome,
            deadline=deadline,
            fell_back_at=at(d(2026, 11, 24), 16) if kind == "fallback" else None,
        )

    request(day24, "P1", kind="lesson", outcome="completed")
    request(day24, "P2", kind="lesson", late=True, outcome="partly")
    request(day25, "P1", kind="fallback", outcome="not_done")
    request(day25, "P2", deadline=at(d(2026, 11, 24), 16))
    request(jayden25, "P3")
    request(jayden25, "P4", status="cancelled")


def make_reviews(target) -> None:
    """In the week, three students meet the school's default review rules: Jayden a third
    removal in ten school days (23, 25 and 26 November), Zoe (EHCP) any removal, Leo five days
    in a room in the half-term (2, 20, 23, 24 and 25 November). Jayden's review was opened on
    the 26th and closed on the 27th with adjustments; Mia has a review (she met no rule) that
    counts nowhere."""
    d = dt.date
    target.p6 = place(target, target.student, target.rr, target.rr_room, [d(2026, 11, 26)])
    target.zoe = make_student(
        upn="Z100", first="Zoe", last="Ray", form=target.form, sen_status=Student.SenStatus.EHCP
    )
    place(target, target.zoe, target.ie, target.ie_room, [d(2026, 11, 24)])
    place(target, target.leo, target.ie, target.ie_room, [d(2026, 11, 24), d(2026, 11, 25)])
    removals = ReviewRule.objects.get(subject="student", kind="removals")
    ReviewTask.objects.create(
        rule=removals,
        for_whom=ReviewTask.For.HEAD_OF_YEAR,
        student=target.student,
        reason="3 removals in 10 school days",
        opened_at=at(d(2026, 11, 26), 9),
        status=ReviewTask.Status.CLOSED,
        decision=ReviewTask.Decision.ADJUSTMENTS,
        closed_by=target.bob,
        closed_at=at(d(2026, 11, 27), 12),
    )
    ReviewTask.objects.create(
        rule=removals,
        for_whom=ReviewTask.For.HEAD_OF_YEAR,
        student=target.mia,
        reason="earlier",
        opened_at=at(d(2026, 11, 24), 9),
    )
