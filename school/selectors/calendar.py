"""Reads of the school's calendar: the school, half-terms, school days, the timetable cycle
and the periods of the day.

The school, its terms, half-terms, closures and periods change only in School settings, the
roster import and the demo load, yet every page asks: each answer is kept in the reference data
cache (conduct/lib/refcache.py) until the next write to those tables. Answers are shared: never
change one (a list returned is the caller's own)."""

import datetime as dt

from conduct.lib import refcache
from school.models import HalfTerm, NonSchoolDay, Period, School, Term


def current_school() -> School | None:
    """The school this install serves (the first row; there is one)."""
    return refcache.cached("school", lambda: School.objects.order_by("pk").first())


def half_term_on(day: dt.date) -> HalfTerm | None:
    """The half-term containing `day` (with its term and academic year), or None in a
    holiday."""
    return refcache.cached(
        f"half_term:{day.isoformat()}",
        lambda: (
            HalfTerm.objects.select_related("term__academic_year")
            .filter(starts_on__lte=day, ends_on__gte=day)
            .first()
        ),
    )


def half_terms_between(start: dt.date, end: dt.date) -> list[HalfTerm]:
    """The half-terms that overlap `start` to `end` (both included), in the calendar's order."""
    return list(
        refcache.cached(
            f"half_terms_between:{start.isoformat()}:{end.isoformat()}",
            lambda: list(HalfTerm.objects.filter(starts_on__lte=end, ends_on__gte=start)),
        )
    )


def non_school_days(start: dt.date, end: dt.date) -> set[dt.date]:
    """The INSET days, bank holidays and closures from `start` to `end` (both included)."""
    return set(
        refcache.cached(
            f"non_school_days:{start.isoformat()}:{end.isoformat()}",
            lambda: list(
                NonSchoolDay.objects.filter(date__gte=start, date__lte=end).values_list(
                    "date", flat=True
                )
            ),
        )
    )


def _teaching_spans(on_or_after: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Date ranges when school is open, in order: a term's half-terms where it has them (the
    half-term holiday falls between them), else the whole term."""
    spans = []
    terms = Term.objects.filter(ends_on__gte=on_or_after).prefetch_related("half_terms")
    for term in terms.order_by("starts_on"):
        halves = sorted(term.half_terms.all(), key=lambda h: h.starts_on)
        spans += [(h.starts_on, h.ends_on) for h in halves] or [(term.starts_on, term.ends_on)]
    return [span for span in spans if span[1] >= on_or_after]


def is_school_day(day: dt.date) -> bool:
    """A weekday in term time (not in a half-term holiday) that is not an INSET day, bank
    holiday or closure. Two plain queries: the term containing `day` with its half-terms (one
    join), then whether `day` is closed. (One query with the half-terms and the closure as
    EXISTS subqueries was measured: it cost more to build in Python, ~1.0 ms, than these two,
    ~0.5 ms, or the four it replaced, ~0.8 ms.) A page asking twice about the same day passes
    the answer down rather than asking again.) Kept in the reference data cache."""
    if day.weekday() >= 5:
        return False
    return refcache.cached(f"school_day:{day.isoformat()}", lambda: _is_school_day(day))


def _is_school_day(day: dt.date) -> bool:
    rows = list(
        Term.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .order_by("starts_on")
        .values_list("pk", "half_terms__starts_on", "half_terms__ends_on")
    )
    if not rows:
        return False
    term = rows[0][0]
    halves = [(starts, ends) for pk, starts, ends in rows if pk == term and starts is not None]
    if halves and not any(starts <= day <= ends for starts, ends in halves):
        return False
    return not NonSchoolDay.objects.filter(date=day).exists()


def school_days_from(start: dt.date, count: int) -> list[dt.date]:
    """The next `count` school days on or after `start`, term dates and closures respected."""
    return list(
        refcache.cached(
            f"school_days:{start.isoformat()}:{count}", lambda: _school_days_from(start, count)
        )
    )


def _school_days_from(start: dt.date, count: int) -> list[dt.date]:
    closed = set(NonSchoolDay.objects.filter(date__gte=start).values_list("date", flat=True))
    days: list[dt.date] = []
    for first, last in _teaching_spans(start):
        day = max(start, first)
        while day <= last and len(days) < count:
            if day.weekday() < 5 and day not in closed:
                days.append(day)
            day += dt.timedelta(days=1)
        if len(days) == count:
            break
    return days


def cycle_day_on(day: dt.date, school: School | None = None) -> int | None:
    """Day of the timetable cycle: 1–5 for Monday–Friday of week A, 6–10 for week B."""
    if day.weekday() >= 5:
        return None
    school = school or current_school()
    weeks = school.timetable_weeks if school else 1
    if weeks == 1 or not school or not school.week_a_starts_on:
        return day.weekday() + 1
    anchor = school.week_a_starts_on - dt.timedelta(days=school.week_a_starts_on.weekday())
    monday = day - dt.timedelta(days=day.weekday())
    week_index = ((monday - anchor).days // 7) % weeks
    return week_index * 5 + day.weekday() + 1


def week_label(cycle_day: int | None, school: School | None = None) -> str:
    """'Week A' / 'Week B' for a two-week timetable, '' for a one-week one."""
    if cycle_day is None:
        return ""
    school = school or current_school()
    if not school or school.timetable_weeks == 1:
        return ""
    return "Week A" if cycle_day <= 5 else "Week B"


def periods_of_day() -> list[Period]:
    """The day's periods (lessons, breaks, lunch, registration) in time order."""
    return list(refcache.cached("periods", lambda: list(Period.objects.order_by("starts_at"))))


def period_at(moment: dt.time, periods: list[Period] | None = None) -> Period | None:
    """The period (lesson, break, lunch or registration) running at `moment`, if any."""
    for period in periods if periods is not None else periods_of_day():
        if period.starts_at <= moment < period.ends_at:
            return period
    return None
