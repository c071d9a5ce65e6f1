"""The measures of behaviour response for a span of dates, each counted in the database.

A placement belongs to the span it starts in; its days in a room belong to the span each day
falls in (so a placement across a half-term holiday counts once, in the half-term it started,
and its days where they were). Cancelled placements and cancelled days count nowhere. Every
function takes `scope`, a filter on students (`school.policies.scope_q(..., path="")`), so a
head of year's figures are their years' only.
"""

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone

from notify.models import Message
from pastoral.models import Interview, ReviewRule, ReviewTask
from patrol.models import OnCallRequest
from sanctions.models import Placement, PlacementDay, Provision
from school.models import HalfTerm, NonSchoolDay, Period, Student
from school.selectors.calendar import school_days_from
from work.selectors.figures import WorkFigures
from work.selectors.figures import work_figures as work_selector_figures

# A placement is "returned from" on its last day; a new one within this many school days after
# is a re-referral.
RE_REFERRAL_SCHOOL_DAYS = 10
NO_DATA = "no data yet"
# The scope that reaches every student.
WHOLE_SCHOOL = Q()
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
# The breakdowns of placements, in the order pages and exports show them: key, title.
BREAKDOWNS = (
    ("reason", "By reason"),
    ("year", "By year group"),
    ("form", "By form"),
    ("referrer", "By referrer"),
    ("department", "By department removed from"),
    ("subject", "By subject removed from"),
)
ON_CALL_BREAKDOWNS = (
    ("teacher", "On-call calls by teacher"),
    ("department", "On-call calls by department"),
)


@dataclass(frozen=True)
class Span:
    """A span of school dates, both ends included, with its name for headings."""

    label: str
    start: dt.date
    end: dt.date


@dataclass
class ProvisionFigures:
    kind: str
    name: str
    placements: int = 0
    students: int = 0
    repeat_students: int = 0
    days: int = 0


@dataclass
class Row:
    """One line of a breakdown: what, how many, and the filter value for the records behind."""

    label: str
    count: int
    key: str = ""


@dataclass
class OnCallFigures:
    calls: int = 0
    claimed: int = 0
    arrived: int = 0
    escalations: int = 0
    median_claim_minutes: float | None = None
    p90_claim_minutes: float | None = None
    median_arrive_minutes: float | None = None
    p90_arrive_minutes: float | None = None


@dataclass
class ReviewFigures:
    """Students who met one of the school's review rules (about a student) in a span; of them,
    those with a review opened (in the span, or still open when it began) and those whose
    review is closed; and the closed reviews by their decision."""

    met: int = 0
    opened: int = 0
    closed: int = 0
    decisions: list[Row] = field(default_factory=list)

    @property
    def not_opened(self) -> int:
        return self.met - self.opened


@dataclass
class Figures:
    span: Span
    provisions: list[ProvisionFigures]
    placements: int
    students: int
    on_roll: int
    breakdowns: dict[str, list[Row]]
    heatmap: list[dict[str, Any]]
    heatmap_max: int
    on_call: OnCallFigures
    interviews_due: int
    interviews_on_time: int
    placements_families_told: int
    families_told_same_day: int
    returned: int
    re_referred: int
    work: WorkFigures = field(default_factory=WorkFigures)
    reviews: ReviewFigures = field(default_factory=ReviewFigures)
    on_call_breakdowns: dict[str, list[Row]] = field(default_factory=dict)

    @property
    def placements_per_100(self) -> float | None:
        return per_100(self.placements, self.on_roll)

    @property
    def students_per_100(self) -> float | None:
        return per_100(self.students, self.on_roll)


def per_100(count: int, on_roll: int) -> float | None:
    """`count` per 100 students on roll, to one decimal place (None with nobody on roll)."""
    return round(100 * count / on_roll, 1) if on_roll else None


def percentile(values: list[float], fraction: float) -> float | None:
    """The `fraction` percentile of sorted `values` by linear interpolation (None when empty)."""
    if not values:
        return None
    rank = (len(values) - 1) * fraction
    low, high = math.floor(rank), math.ceil(rank)
    return values[low] + (values[high] - values[low]) * (rank - low)


def in_scope(scope: Q, path: str) -> Q:
    """The filter for rows whose student (at `path`) is in `scope`; nothing for the whole
    school (so its queries carry no subquery)."""
    if scope == Q():
        return Q()
    return Q(**{f"{path}__in": Student.objects.filter(scope)})


def placements_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Placement]:
    """Placements (not cancelled) that start in `span`, of students in `scope`."""
    return Placement.objects.exclude(status=Placement.Status.CANCELLED).filter(
        in_scope(scope, "student"), starts_on__gte=span.start, starts_on__lte=span.end
    )


def students_on_roll(span: Span) -> QuerySet[Student]:
    """Students on roll at some time in `span`: admitted by its end, not left before its start
    (a student who joined mid-term counts)."""
    return Student.objects.filter(
        Q(admitted_on__isnull=True) | Q(admitted_on__lte=span.end),
        Q(left_on__isnull=True) | Q(left_on__gte=span.start),
    )


def provision_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> list[ProvisionFigures]:
    """Per provision: placements, students, students placed more than once, days in rooms
    (two queries)."""
    placements = placements_in(span, scope)
    earlier = placements.filter(
        student=OuterRef("student"), provision=OuterRef("provision"), pk__lt=OuterRef("pk")
    )
    counts = {
        row["provision__kind"]: row
        for row in placements.values("provision__kind").annotate(
            n=Count("pk"),
            students=Count("student", distinct=True),
            # A student with a placement that has an earlier one in the span: two or more.
            repeat=Count("student", distinct=True, filter=Exists(earlier)),
        )
    }
    days = dict(
        PlacementDay.objects.filter(
            in_scope(scope, "placement__student"),
            is_active=True,
            date__gte=span.start,
            date__lte=span.end,
        )
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values("placement__provision__kind")
        .annotate(n=Count("pk"))
        .values_list("placement__provision__kind", "n")
    )
    return [
        ProvisionFigures(
            kind=kind,
            name=label,
            placements=counts.get(kind, {}).get("n", 0),
            students=counts.get(kind, {}).get("students", 0),
            repeat_students=counts.get(kind, {}).get("repeat", 0),
            days=days.get(kind, 0),
        )
        for kind, label in Provision.Kind.choices
        if kind != Provision.Kind.SUSPENSION_REVIEW
    ]


def _rows(queryset: QuerySet, key: str, label: str | None = None) -> list[Row]:
    """Placements counted by `key` (a field path), largest first; blank keys as "not recorded"."""
    fields = [key] + ([label] if label else [])
    rows = queryset.values(*fields).annotate(n=Count("pk")).order_by("-n", key)
    return [
        Row(
            label=str(row[label or key]) if row[label or key] not in (None, "") else "not recorded",
            count=row["n"],
            key="" if row[key] is None else str(row[key]),
        )
        for row in rows
    ]


def breakdowns(span: Span, scope: Q = WHOLE_SCHOOL) -> dict[str, list[Row]]:
    """Placements by reason, year group, form, referrer, and department and subject removed
    from (one query each, and one for the referrers' names)."""
    placements = placements_in(span, scope)
    slot_subject = "removed_from__teaching_class__subject"
    found = {
        "reason": _rows(
            placements, "referral__incident__reason_id", "referral__incident__reason__name"
        ),
        "year": _rows(placements, "student__year_group__number"),
        "form": _rows(placements, "student__form_id", "student__form__code"),
        "department": _rows(
            placements.filter(removed_from__isnull=False),
            f"{slot_subject}__department_id",
            f"{slot_subject}__department__name",
        ),
        "subject": _rows(
            placements.filter(removed_from__isnull=False),
            f"{slot_subject}_id",
            f"{slot_subject}__name",
        ),
    }
    for row in found["year"]:
        row.label = f"Year {row.label}" if row.key else row.label
    # Who asked: the referral's author, or whoever booked a removal straight from a lesson.
    referrers = _rows(
        placements.annotate(referrer=Coalesce("referral__requested_by_id", "booked_by_id")),
        "referrer",
    )
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=[r.key for r in referrers])
    }
    for row in referrers:
        row.label = names.get(int(row.key), row.label)
    found["referrer"] = referrers
    return found


def heatmap(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[list[dict[str, Any]], int]:
    """Placements by lesson period (the lesson removed from, or the incident's period) and
    weekday of their first day: one row per lesson period with five cells, and the largest cell
    (two queries)."""
    counts = {
        (row["period"], row["weekday"]): row["n"]
        for row in placements_in(span, scope)
        .annotate(period=Coalesce("removed_from__period_id", "referral__incident__period_id"))
        .filter(period__isnull=False)
        .values("period", weekday=F("starts_on__iso_week_day"))
        .annotate(n=Count("pk"))
    }
    rows = []
    for period in Period.objects.filter(kind=Period.Kind.LESSON).order_by("starts_at"):
        cells = [
            {"weekday": day, "n": counts.get((period.pk, number), 0), "number": number}
            for number, day in enumerate(WEEKDAYS, start=1)
        ]
        rows.append({"period": period.code, "period_id": period.pk, "cells": cells})
    return rows, max(counts.values(), default=0)


def on_call_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[OnCallRequest]:
    """On-call calls raised in `span` (local school dates); with a year `scope`, the calls that
    name a student in it."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(span.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    # Naming every status lets the database use the (status, raised_at) index for the dates.
    calls = OnCallRequest.objects.filter(
        status__in=OnCallRequest.Status.values, raised_at__gte=start, raised_at__lt=end
    )
    if scope != WHOLE_SCHOOL:
        named = OnCallRequest.students.through.objects.filter(
            oncallrequest_id=OuterRef("pk"), student__in=Student.objects.filter(scope)
        )
        calls = calls.filter(Exists(named))
    return calls


def on_call_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> OnCallFigures:
    """Calls, escalations, and the median and 90th percentile minutes to claim and to arrive
    (two queries: the counts, then the two columns of waits)."""
    calls = on_call_in(span, scope)
    totals = calls.aggregate(
        calls=Count("pk"),
        escalations=Count("pk", filter=Q(escalated_at__isnull=False) | Q(tier=2)),
    )
    waits = (
        calls.filter(claimed_at__isnull=False)
        .annotate(
            to_claim=ExpressionWrapper(
                F("claimed_at") - F("raised_at"), output_field=DurationField()
            ),
            to_arrive=ExpressionWrapper(
                F("arrived_at") - F("raised_at"), output_field=DurationField()
            ),
        )
        .values_list("to_claim", "to_arrive")
    )
    claim, arrive = [], []
    for to_claim, to_arrive in waits:
        claim.append(to_claim.total_seconds() / 60)
        if to_arrive is not None:
            arrive.append(to_arrive.total_seconds() / 60)
    claim.sort()
    arrive.sort()

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    return OnCallFigures(
        calls=totals["calls"],
        claimed=len(claim),
        arrived=len(arrive),
        escalations=totals["escalations"],
        median_claim_minutes=rounded(percentile(claim, 0.5)),
        p90_claim_minutes=rounded(percentile(claim, 0.9)),
        median_arrive_minutes=rounded(percentile(arrive, 0.5)),
        p90_arrive_minutes=rounded(percentile(arrive, 0.9)),
    )


def on_call_breakdowns(span: Span, scope: Q = WHOLE_SCHOOL) -> dict[str, list[Row]]:
    """On-call calls by the teacher who raised them and by that teacher's department (two
    queries, and one for the teachers' names)."""
    calls = on_call_in(span, scope)
    teachers = _rows(calls, "raised_by_id")
    names = {
        user.pk: user.get_full_name() or user.get_username()
        for user in get_user_model().objects.filter(pk__in=[r.key for r in teachers])
    }
    for row in teachers:
        row.label = names.get(int(row.key), row.label)
    return {
        "teacher": teachers,
        "department": _rows(
            calls, "raised_by__staff__department_id", "raised_by__staff__department__name"
        ),
    }


def interviews_due_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Interview]:
    """Interviews due in `span` (not cancelled, nor their placement), with the day each was
    done (`done_on`)."""
    return (
        Interview.objects.exclude(status=Interview.Status.CANCELLED)
        .filter(in_scope(scope, "placement__student"), due_on__gte=span.start, due_on__lte=span.end)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .annotate(done_on=TruncDate("conducted_at"))
    )


# An interview of `interviews_due_in` done by its due day.
INTERVIEW_ON_TIME = Q(status=Interview.Status.DONE, done_on__lte=F("due_on"))


def interview_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Interviews due in `span` (not cancelled) and those done by their due day (one query)."""
    found = interviews_due_in(span, scope).aggregate(
        due=Count("pk"), on_time=Count("pk", filter=INTERVIEW_ON_TIME)
    )
    return found["due"], found["on_time"]


def told_same_day(placements: QuerySet[Placement]) -> QuerySet[Message]:
    """The messages to a parent about one of `placements` sent on the day it was booked."""
    booked_day = (
        Placement.objects.filter(pk=OuterRef("related_id"))
        .annotate(day=TruncDate("booked_at"))
        .values("day")[:1]
    )
    return (
        Message.objects.filter(
            related_type=ContentType.objects.get_for_model(Placement),
            related_id__in=placements.values("pk"),
            audience=Message.Audience.PARENT,
            status=Message.Status.SENT,
        )
        .annotate(sent_day=TruncDate("sent_at"))
        .filter(sent_day=Subquery(booked_day, output_field=DateField()))
    )


def families_told(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Placements starting in `span`, and those whose family was sent a message about them on
    the day they were booked (two queries, and one for the content type)."""
    placements = placements_in(span, scope)
    told = told_same_day(placements).aggregate(n=Count("related_id", distinct=True))["n"]
    return placements.count(), told


def returned_in(span: Span, scope: Q = WHOLE_SCHOOL) -> QuerySet[Placement]:
    """Placements whose last day falls in `span`, completed or failed: the student returned."""
    return Placement.objects.filter(
        in_scope(scope, "student"),
        status__in=[Placement.Status.COMPLETED, Placement.Status.FAILED],
        ends_on__gte=span.start,
        ends_on__lte=span.end,
    )


def placed_again(span: Span) -> Exists | None:
    """For a placement of `returned_in(span)`: another placement starting within ten school
    days of its last day (chosen in the database); None when the calendar has no such days."""
    days = school_days_from(span.start, (span.end - span.start).days + 30)
    limits = {
        day: days[i + RE_REFERRAL_SCHOOL_DAYS]
        for i, day in enumerate(days)
        if day <= span.end and i + RE_REFERRAL_SCHOOL_DAYS < len(days)
    }
    if not limits:
        return None
    # The tenth school day after each possible last day.
    limit = Case(
        *[When(Exact(OuterRef("ends_on"), day), then=Value(last)) for day, last in limits.items()],
        default=Value(None),
        output_field=DateField(),
    )
    return Exists(
        Placement.objects.exclude(status=Placement.Status.CANCELLED).filter(
            student=OuterRef("student"),
            starts_on__gt=OuterRef("ends_on"),
            starts_on__lte=limit,
        )
    )


def re_referrals(span: Span, scope: Q = WHOLE_SCHOOL) -> tuple[int, int]:
    """Placements whose last day falls in `span` (completed or failed: the student returned),
    and those followed by another placement within ten school days (one query, and the
    calendar's)."""
    again = placed_again(span)
    if again is None:
        return 0, 0
    found = returned_in(span, scope).aggregate(
        returned=Count("pk"), again=Count("pk", filter=again)
    )
    return found["returned"], found["again"]


def work_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> WorkFigures:
    """The work app's figures for the lessons missed in `span` by the students in `scope`: set
    by the teacher by the deadline or late, from the programme at the deadline, nothing; and
    completion in the room (one query)."""
    students = None if scope == WHOLE_SCHOOL else Student.objects.filter(scope)
    return work_selector_figures(span.start, span.end, students=students)


def _window_starts(span: Span, within: int) -> dict[dt.date, dt.date]:
    """For each day of `span`, the first of the `within` school days ending on it, as the review
    rules count them (weekdays that are not a non-school day; pastoral.services.reviews
    .window_start) (one query)."""
    earliest = span.start - dt.timedelta(days=within * 3 + 14)
    closed = set(
        NonSchoolDay.objects.filter(date__gte=earliest, date__lte=span.end).values_list(
            "date", flat=True
        )
    )
    starts = {}
    day = span.start
    while day <= span.end:
        back, counted, first = day, 0, earliest
        while back > earliest:
            if back.weekday() < 5 and back not in closed:
                counted += 1
                if counted == within:
                    first = back
                    break
            back -= dt.timedelta(days=1)
        starts[day] = first
        day += dt.timedelta(days=1)
    return starts


def met_review_rule(span: Span, scope: Q = WHOLE_SCHOOL) -> list[int]:
    """The ids of the students who met an active review rule about a student with a placement
    starting in `span`, as pastoral.services.reviews.review_rules_check judges it at booking:
    one query over the span's placements (each rule a condition on the placement), and the
    rules', the half-terms' and the non-school days'."""
    placements = placements_in(span, scope)
    met = Q(pk__in=[])
    live = Placement.objects.exclude(status=Placement.Status.CANCELLED)
    for rule in ReviewRule.objects.filter(is_active=True, subject=ReviewRule.Subject.STUDENT):
        if rule.kind == ReviewRule.Kind.EHCP_OR_LOOKED_AFTER:
            met |= Q(student__sen_status=Student.SenStatus.EHCP) | Q(student__looked_after=True)
        elif rule.kind == ReviewRule.Kind.REMOVALS:
            # The first of the rule's school days ending on each day of the span.
            starts = _window_starts(span, rule.within_school_days)
            since = Case(
                *[When(starts_on=day, then=Value(first)) for day, first in starts.items()],
                default=Value(None),
                output_field=DateField(),
            )
            recent = (
                live.filter(
                    student=OuterRef("student"),
                    starts_on__gte=OuterRef(f"since_{rule.pk}"),
                    starts_on__lte=OuterRef("starts_on"),
                )
                .order_by()
                .values("student")
                .annotate(n=Count("pk"))
                .values("n")
            )
            placements = placements.annotate(**{f"since_{rule.pk}": since}).annotate(
                **{f"recent_{rule.pk}": Subquery(recent)}
            )
            met |= Q(**{f"recent_{rule.pk}__gte": rule.count})
        elif rule.kind == ReviewRule.Kind.ROOM_DAYS:
            for half in HalfTerm.objects.filter(starts_on__lte=span.end, ends_on__gte=span.start):
                days = (
                    PlacementDay.objects.filter(
                        is_active=True,
                        date__gte=half.starts_on,
                        # The days in a room in the half-term up to the span's last day.
                        date__lte=min(half.ends_on, span.end),
                    )
                    .exclude(placement__status=Placement.Status.CANCELLED)
                    .values("placement__student")
                    .annotate(n=Count("pk"))
                    .filter(n__gte=rule.count)
                    .values("placement__student")
                )
                met |= Q(
                    starts_on__gte=half.starts_on,
                    starts_on__lte=half.ends_on,
                    student__in=days,
                )
    return sorted(set(placements.filter(met).order_by().values_list("student", flat=True)))


def _review_in_hand(span: Span) -> Q:
    """Reviews about a student that cover `span`: opened by its end, and not closed before its
    start."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(span.start, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Q(opened_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))


def reviews_behind(
    span: Span, scope: Q = WHOLE_SCHOOL, met: list[int] | None = None
) -> QuerySet[ReviewTask]:
    """The reviews about the students who met a review rule in `span` that cover the span
    (`met`: those students' ids when already read)."""
    if met is None:
        met = met_review_rule(span, scope)
    return ReviewTask.objects.filter(_review_in_hand(span), student_id__in=met)


def review_figures(span: Span, scope: Q = WHOLE_SCHOOL) -> ReviewFigures:
    """Students who met a review rule in `span`, those with a review opened and closed, and the
    closed reviews by decision (three queries, and the rules')."""
    met = met_review_rule(span, scope)
    if not met:
        return ReviewFigures()
    tasks = reviews_behind(span, scope, met)
    counts = tasks.aggregate(
        opened=Count("student", distinct=True),
        closed=Count("student", distinct=True, filter=Q(status=ReviewTask.Status.CLOSED)),
    )
    labels = dict(ReviewTask.Decision.choices)
    decisions = [
        Row(label=labels.get(row["decision"], row["decision"]), count=row["n"], key=row["decision"])
        for row in tasks.filter(status=ReviewTask.Status.CLOSED)
        .values("decision")
        .annotate(n=Count("pk"))
        .order_by("-n", "decision")
    ]
    return ReviewFigures(
        met=len(met), opened=counts["opened"], closed=counts["closed"], decisions=decisions
    )


def figures(span: Span, scope: Q = WHOLE_SCHOOL, *, detail: bool = True) -> Figures:
    """Every measure for `span`, for the students in `scope` (a fixed number of queries); without
    `detail`, no breakdowns and no heatmap (a comparison column needs only the totals)."""
    provisions = provision_figures(span, scope)
    placements = placements_in(span, scope)
    totals = placements.aggregate(n=Count("pk"), students=Count("student", distinct=True))
    grid, grid_max = heatmap(span, scope) if detail else ([], 0)
    due, on_time = interview_figures(span, scope)
    booked, told = families_told(span, scope)
    returned, again = re_referrals(span, scope)
    return Figures(
        span=span,
        provisions=provisions,
        placements=totals["n"],
        students=totals["students"],
        on_roll=students_on_roll(span).filter(scope).count(),
        breakdowns=breakdowns(span, scope) if detail else {},
        heatmap=grid,
        heatmap_max=grid_max,
        on_call=on_call_figures(span, scope),
        interviews_due=due,
        interviews_on_time=on_time,
        placements_families_told=booked,
        families_told_same_day=told,
        returned=returned,
        re_referred=again,
        work=work_figures(span, scope),
        reviews=review_figures(span, scope),
        on_call_breakdowns=on_call_breakdowns(span, scope) if detail else {},
    )
