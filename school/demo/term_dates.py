"""English school term dates for any academic year, built from the usual local-authority pattern.

Autumn starts at the beginning of September, with a week's half-term at the end of October and
a two-week Christmas break; spring has a half-term in mid-February and ends before Easter (the
two weeks around Easter are holiday); summer has the spring bank holiday week off and ends in the
third week of July. Five INSET days and the early-May bank holiday are non-school days.
"""

import datetime as dt
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)


def academic_year_start(today: dt.date) -> int:
    """The calendar year the academic year containing `today` began in (years run Sept–Aug)."""
    return today.year if today.month >= 9 else today.year - 1


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def next_weekday(day: dt.date, weekday: int) -> dt.date:
    """The first `weekday` (0 = Monday) on or after `day`."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def previous_weekday(day: dt.date, weekday: int) -> dt.date:
    """The last `weekday` (0 = Monday) on or before `day`."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += ONE_DAY
    return days


@dataclass
class SchoolCalendar:
    name: str  # "2026/27"
    starts_on: dt.date  # 1 September
    ends_on: dt.date  # 31 August
    # (kind, starts_on, ends_on) for autumn, spring, summer
    terms: list[tuple[str, dt.date, dt.date]] = field(default_factory=list)
    # (term kind, number 1|2, starts_on, ends_on)
    half_terms: list[tuple[str, int, dt.date, dt.date]] = field(default_factory=list)
    # (date, kind, description) with kind one of NonSchoolDay.Kind's values
    non_school_days: list[tuple[dt.date, str, str]] = field(default_factory=list)
    week_a_starts_on: dt.date | None = None

    def school_days(self) -> list[dt.date]:
        """Days students are in: weekdays inside half-terms, less INSET days and bank holidays."""
        closed = {day for day, _, _ in self.non_school_days}
        return [
            day
            for _, _, start, end in self.half_terms
            for day in weekdays(start, end)
            if day not in closed
        ]


def english_calendar(start_year: int) -> SchoolCalendar:
    """The academic year starting in September of `start_year`, with real-looking dates."""
    y1, y2 = start_year, start_year + 1
    sept1 = dt.date(y1, 9, 1)
    # Term starts on 1 September when that is Monday–Wednesday, otherwise the Monday after.
    autumn_start = sept1 if sept1.weekday() <= 2 else next_weekday(sept1, 0)
    # October half-term: the last full Monday–Friday week inside October.
    october_break = previous_weekday(dt.date(y1, 10, 27), 0)
    autumn_end = previous_weekday(dt.date(y1, 12, 21), 4)
    spring_start = next_weekday(dt.date(y2, 1, 3), 0)
    february_break = next_weekday(dt.date(y2, 2, 12), 0)
    easter = easter_sunday(y2)
    easter_break = easter - dt.timedelta(days=6)  # the week before Easter and the week after
    spring_end = easter_break - dt.timedelta(days=3)
    summer_start = easter_break + dt.timedelta(days=14)
    may_day = next_weekday(dt.date(y2, 5, 1), 0)
    whitsun_break = previous_weekday(dt.date(y2, 5, 31), 0)  # the spring bank holiday week
    summer_end = previous_weekday(dt.date(y2, 7, 23), 4)
    if summer_end.day < 20:  # keep the year near 190 teaching days when 23 July is a weekend
        summer_end = next_weekday(dt.date(y2, 7, 20), 0) + dt.timedelta(days=2)

    cal = SchoolCalendar(
        name=f"{y1}/{str(y2)[-2:]}",
        starts_on=sept1,
        ends_on=dt.date(y2, 8, 31),
        week_a_starts_on=monday_of(autumn_start),
    )
    cal.terms = [
        ("autumn", autumn_start, autumn_end),
        ("spring", spring_start, spring_end),
        ("summer", summer_start, summer_end),
    ]
    cal.half_terms = [
        ("autumn", 1, autumn_start, october_break - dt.timedelta(days=3)),
        ("autumn", 2, october_break + dt.timedelta(days=7), autumn_end),
        ("spring", 1, spring_start, february_break - dt.timedelta(days=3)),
        ("spring", 2, february_break + dt.timedelta(days=7), spring_end),
        ("summer", 1, summer_start, whitsun_break - dt.timedelta(days=3)),
        ("summer", 2, whitsun_break + dt.timedelta(days=7), summer_end),
    ]
    first_days = weekdays(autumn_start, autumn_start + dt.timedelta(days=6))
    inset = [
        (first_days[0], "Staff training: safeguarding and behaviour policy"),
        (first_days[1], "Staff training: curriculum planning"),
        (october_break - dt.timedelta(days=3), "Staff training: SEND and inclusion"),
        (spring_start, "Staff training: assessment and moderation"),
        (summer_end, "Staff training: timetable and transition"),
    ]
    cal.non_school_days = [(day, "inset", text) for day, text in inset]
    cal.non_school_days.append((may_day, "bank_holiday", "Early May bank holiday"))
    cal.non_school_days.sort()
    return cal
