"""What the report pages show: the spans they compare, each measure side by side, and the
records behind a figure."""

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString

from conduct.lib import clock, refcache
from pastoral.models import ReviewTask
from patrol.models import OnCallRequest
from reports.selectors import figures as reports_figures
from reports.selectors.figures import (
    BREAKDOWNS,
    NO_DATA,
    ON_CALL_BREAKDOWNS,
    WEEKDAYS,
    WHOLE_SCHOOL,
    Figures,
    Row,
    Span,
)
from sanctions.models import Placement, PlacementDay, Provision
from school.models import HalfTerm, Student, staff_display_name, student_name
from school.selectors.calendar import half_term_on
from work.selectors import figures as work_figures

# What the records page may be asked to cut placements by: its `by` value -> field path.
RECORD_FILTERS = {
    "provision": "provision__kind",
    "reason": "referral__incident__reason_id",
    "year": "student__year_group__number",
    "form": "student__form_id",
    "referrer": "referrer",
    "department": "removed_from__teaching_class__subject__department_id",
    "subject": "removed_from__teaching_class__subject_id",
}

# The follow-up measures' records (placements): `by` and the keys each figure links to.
MEASURE_KEYS = {
    "interviews": ("due", "on_time", "late"),
    "told": ("all", "yes", "no"),
    "returned": ("all", "again"),
}


def dashboard_spans(today: dt.date) -> list[Span]:
    """This week (Monday to today), last week, and the half-term so far (the last half-term's
    whole length in a holiday)."""
    monday = today - dt.timedelta(days=today.weekday())
    half_term = half_term_on(today) or (
        HalfTerm.objects.filter(starts_on__lte=today).order_by("-starts_on").first()
    )
    spans = [
        Span("This week", monday, min(today, monday + dt.timedelta(days=4))),
        Span("Last week", monday - dt.timedelta(days=7), monday - dt.timedelta(days=3)),
    ]
    if half_term is not None:
        spans.append(Span("Half-term so far", half_term.starts_on, min(today, half_term.ends_on)))
    return spans


def records_url(span: Span, page: str = "reports-records", **cut: Any) -> str:
    """The records page (placements; or `page`: calls, work, reviews) for `span`, cut as `cut`
    says."""
    return _records_links()(span, page, **cut)


def _records_links(links: bool = True) -> Callable[..., str]:
    """`records_url`, reversing each records page and writing each span's dates once (a page
    links to its records hundreds of times; reversing each link cost more than the rest of
    drawing it). Make one per page. Without `links`, every link is blank: a page that links
    nowhere (the half-termly report) builds none."""
    paths: dict[str, str] = {}
    # By the page and the span's days (a span's own hash is worked out in Python each time).
    prefixes: dict[tuple[str, dt.date, dt.date], str] = {}
    # A cut is linked from each span and often from several measures.
    cuts: dict[tuple[tuple[str, Any], ...], str] = {}

    def link(span: Span, page: str = "reports-records", **cut: Any) -> str:
        if not links:
            return ""
        prefix = prefixes.get((page, span.start, span.end))
        if prefix is None:
            if page not in paths:
                paths[page] = reverse(page)
            dates = urlencode({"from": span.start.isoformat(), "to": span.end.isoformat()})
            prefix = prefixes[page, span.start, span.end] = f"{paths[page]}?{dates}"
        if not cut:
            return prefix
        named = tuple(cut.items())
        if named not in cuts:
            cuts[named] = "&".join(f"{name}={_quoted(value)}" for name, value in named)
        return f"{prefix}&{cuts[named]}"

    return link


# What `quote_plus` leaves as it is.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def _quoted(value: Any) -> str:
    """`value` as `urlencode` writes it: a chart links each of its rows with its own key, and
    most keys (ids, codes) need no quoting."""
    text = str(value)
    return text if _UNQUOTED.fullmatch(text) else quote_plus(text)


def _of(part: int, whole: int) -> str:
    """ "3 of 4 (75%)", or "none" when there is nothing to divide."""
    if not whole:
        return "none"
    return f"{part} of {whole} ({round(100 * part / whole)}%)"


def _linked(value: Any, url: str) -> str:
    """`value` as a template prints it (localized, escaped), linked to `url` when there is one.
    The report pages draw a few hundred figures: one string per row cost less than a template
    tag per figure (and a whole number is printed as it is when thousands are not grouped, as
    Django's own number format does, without asking the locale each time)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        shown = str(value)
    else:
        shown = html.escape(value if isinstance(value, str) else str(localize(value)))
    # SafeString itself: mark_safe() is wrapped for lazy strings, a cost per figure.
    return SafeString(f'<a href="{html.escape(url)}">{shown}</a>' if url else shown)


@dataclass
class Compared:
    """One measure across the compared spans: a label and per span a value and a link."""

    label: str
    cells: list[dict[str, Any]]

    @property
    def shown(self) -> str:
        """The row's cells as the page draws them."""
        cells = []
        for cell in self.cells:
            attrs = ' class="no-data"' if cell["value"] == NO_DATA else ""
            cells.append(f"<td{attrs}>{_linked(cell['value'], cell['url'])}</td>")
        return SafeString("".join(cells))


def _cell(value: Any, url: str = "") -> dict[str, Any]:
    return {"value": "—" if value is None else value, "url": url}


def compare(all_figures: list[Figures], links: bool = True) -> dict[str, Any]:
    """Every measure side by side for the compared spans, in the order a page shows them (each
    linked to its records with `links`)."""
    link_to = _records_links(links)
    spans = [f.span for f in all_figures]
    provisions = []
    for i, provision in enumerate(all_figures[0].provisions):
        rows = []
        for label, attr in (
            ("Placements", "placements"),
            ("Students", "students"),
            ("Students placed more than once", "repeat_students"),
            ("Days in the room", "days"),
        ):
            rows.append(
                Compared(
                    label,
                    [
                        _cell(
                            getattr(f.provisions[i], attr),
                            link_to(f.span, by="provision", key=provision.kind)
                            if attr in ("placements", "students", "repeat_students")
                            else link_to(f.span, by="days", key=provision.kind),
                        )
                        for f in all_figures
                    ],
                )
            )
        provisions.append({"name": provision.name, "kind": provision.kind, "rows": rows})
    on_call = [
        Compared(
            label,
            [
                _cell(
                    getattr(f.on_call, attr),
                    link_to(f.span, "reports-records-calls", **({"key": key} if key else {})),
                )
                for f in all_figures
            ],
        )
        for label, attr, key in (
            ("Calls", "calls", ""),
            ("Escalated to SLT", "escalations", "escalated"),
            ("Median minutes to claim", "median_claim_minutes", "claimed"),
            ("90th percentile minutes to claim", "p90_claim_minutes", "claimed"),
            ("Median minutes to arrive", "median_arrive_minutes", "arrived"),
            ("90th percentile minutes to arrive", "p90_arrive_minutes", "arrived"),
        )
    ]
    work = [
        Compared(
            label,
            [
                _cell(
                    _of(getattr(f.work, attr), getattr(f.work, whole)),
                    link_to(f.span, "reports-records-work", key=attr),
                )
                for f in all_figures
            ],
        )
        for label, attr, whole in (
            ("Work set by the teacher by the deadline", "on_time", "decided"),
            ("Work set by the teacher after the deadline", "late", "decided"),
            ("Fallen back: work from the programme at the deadline", "programme", "decided"),
            ("No work", "nothing", "decided"),
            ("Work completed in the room", "completed", "recorded"),
        )
    ]
    work.append(
        Compared(
            "Lessons still waiting for the teacher (in no share)",
            [
                _cell(f.work.waiting, link_to(f.span, "reports-records-work", key="waiting"))
                for f in all_figures
            ],
        )
    )
    reviews = [
        Compared(
            "Students who met a review rule",
            [_cell(f.reviews.met, link_to(f.span, "reports-records-reviews")) for f in all_figures],
        ),
        Compared(
            "… with a review opened",
            [
                _cell(
                    _of(f.reviews.opened, f.reviews.met),
                    link_to(f.span, "reports-records-reviews"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "… with no review opened",
            [
                _cell(
                    f.reviews.not_opened,
                    link_to(f.span, "reports-records-reviews", key="none"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "… with the review closed",
            [
                _cell(
                    _of(f.reviews.closed, f.reviews.met),
                    link_to(f.span, "reports-records-reviews", key="closed"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "Decisions of the closed reviews",
            [
                _cell(
                    "; ".join(f"{row.label}: {row.count}" for row in f.reviews.decisions) or "none"
                )
                for f in all_figures
            ],
        ),
    ]
    follow_up = [
        Compared(
            "Placements per 100 students on roll",
            [_cell(f.placements_per_100) for f in all_figures],
        ),
        Compared("Students on roll", [_cell(f.on_roll) for f in all_figures]),
        Compared(
            "Interviews done on time",
            [
                _cell(
                    f"{f.interviews_on_time} of {f.interviews_due}",
                    link_to(f.span, by="interviews", key="due"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "… interviews not done by their day",
            [
                _cell(
                    f.interviews_due - f.interviews_on_time,
                    link_to(f.span, by="interviews", key="late"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "Families told the same day",
            [
                _cell(
                    f"{f.families_told_same_day} of {f.placements_families_told}",
                    link_to(f.span, by="told", key="yes"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "… families not told the same day",
            [
                _cell(
                    f.placements_families_told - f.families_told_same_day,
                    link_to(f.span, by="told", key="no"),
                )
                for f in all_figures
            ],
        ),
        Compared(
            "Placed again within 10 school days of returning",
            [
                _cell(
                    f"{f.re_referred} of {f.returned}",
                    link_to(f.span, by="returned", key="again"),
                )
                for f in all_figures
            ],
        ),
    ]
    return {
        "spans": spans,
        "provisions": provisions,
        "on_call": on_call,
        "work": work,
        "reviews": reviews,
        "follow_up": follow_up,
    }


def charts(found: Figures, links: bool = True) -> list[dict[str, Any]]:
    """Each breakdown of `found` as rows with a bar length (percent of the largest) and, with
    `links`, a link; `figure` is the count as the page draws it."""
    link_to = _records_links(links)
    result = []
    for key, title in BREAKDOWNS:
        rows = found.breakdowns[key]
        largest = max((row.count for row in rows), default=0)
        result.append(
            {
                "key": key,
                "title": title,
                "rows": [
                    _chart_row(row, largest, link_to(found.span, by=key, key=row.key))
                    for row in rows
                ],
            }
        )
    for key, title in ON_CALL_BREAKDOWNS:
        rows = found.on_call_breakdowns[key]
        largest = max((row.count for row in rows), default=0)
        result.append(
            {
                "key": f"on-call-{key}",
                "title": title,
                "heading": "Calls",
                "what": "Teacher" if key == "teacher" else "Department",
                "rows": [
                    _chart_row(
                        row,
                        largest,
                        link_to(found.span, "reports-records-calls", by=key, key=row.key),
                    )
                    for row in rows
                ],
            }
        )
    return result


def _chart_row(row: Row, largest: int, url: str) -> dict[str, Any]:
    """A chart's row: its label, count, bar length (percent of the largest), link, and the
    count as the page draws it (`figure`)."""
    return {
        "label": row.label,
        "count": row.count,
        "bar": round(100 * row.count / largest) if largest else 0,
        "url": url,
        "figure": _linked(row.count, url),
    }


def heat_rows(found: Figures, links: bool = True) -> list[dict[str, Any]]:
    """The heatmap's cells with a shade from 0 to 4 (of the largest cell) and, with `links`, a
    link; each row's `shown` is its cells as the page draws them."""
    link_to = _records_links(links)
    largest = found.heatmap_max
    for row in found.heatmap:
        for cell in row["cells"]:
            cell["shade"] = 0 if not cell["n"] else 1 + (3 * cell["n"]) // max(largest, 1)
            cell["url"] = (
                link_to(found.span, by="slot", key=f"{row['period_id']}-{cell['number']}")
                if cell["n"]
                else ""
            )
        row["shown"] = SafeString(
            "".join(
                f'<td class="shade-{cell["shade"]}">{_linked(cell["n"], cell["url"])}</td>'
                for cell in row["cells"]
            )
        )
    return found.heatmap


def dashboard(today: dt.date, scope: Q = WHOLE_SCHOOL) -> dict[str, Any]:
    """The weekly dashboard: the three spans compared, the half-term's breakdowns and heatmap."""
    spans = dashboard_spans(today)
    all_figures = reports_figures.figures_of(
        spans, scope, detail=[span is spans[-1] for span in spans]
    )
    latest = all_figures[-1]
    return {
        **compare(all_figures),
        "charts": charts(latest),
        "heatmap": heat_rows(latest),
        "chart_span": latest.span,
        "weekdays": WEEKDAYS,
    }


def records_behind(span: Span, by: str, key: str, scope: Q = WHOLE_SCHOOL) -> QuerySet[Placement]:
    """The placements behind one figure: starting in `span`, in `scope`, where `by` is `key`
    (a blank key: where it was not recorded). One query."""
    placements = reports_figures.placements_in(span, scope).annotate(
        referrer=Coalesce("referral__requested_by_id", "booked_by_id")
    )
    if by == "days":
        days = PlacementDay.objects.filter(
            placement=OuterRef("pk"), is_active=True, date__gte=span.start, date__lte=span.end
        )
        # Placements with a day in the span (they may have started before it).
        placements = (
            Placement.objects.exclude(status=Placement.Status.CANCELLED)
            .filter(reports_figures.in_scope(scope, "student"), provision__kind=key)
            .filter(Exists(days))
            .annotate(referrer=Coalesce("referral__requested_by_id", "booked_by_id"))
        )
    elif by == "slot":
        # A heatmap cell: "<period id>-<ISO weekday>" of the lesson removed from (or the
        # incident's) and the first day.
        period_id, weekday = (int(part) for part in key.split("-"))
        placements = placements.annotate(
            period=Coalesce("removed_from__period_id", "referral__incident__period_id")
        ).filter(period=period_id, starts_on__iso_week_day=weekday)
    elif by == "interviews":
        due = reports_figures.interviews_due_in(span, scope)
        if key == "on_time":
            due = due.filter(reports_figures.INTERVIEW_ON_TIME)
        elif key == "late":
            due = due.exclude(reports_figures.INTERVIEW_ON_TIME)
        # Placements with an interview due in the span (they may have started before it).
        placements = Placement.objects.filter(pk__in=due.values("placement_id")).annotate(
            referrer=Coalesce("referral__requested_by_id", "booked_by_id")
        )
    elif by == "told":
        told = reports_figures.told_same_day(placements).values("related_id")
        if key == "yes":
            placements = placements.filter(pk__in=told)
        elif key == "no":
            placements = placements.exclude(pk__in=told)
    elif by == "returned":
        placements = reports_figures.returned_in(span, scope).annotate(
            referrer=Coalesce("referral__requested_by_id", "booked_by_id")
        )
        if key == "again":
            again = reports_figures.placed_again(span)
            placements = placements.filter(again) if again is not None else placements.none()
    elif by in RECORD_FILTERS:
        field = RECORD_FILTERS[by]
        placements = placements.filter(
            **({f"{field}__isnull": True} if key == "" else {field: key})
        )
    return placements.select_related(
        "student__form", "provision", "referral__incident__reason"
    ).order_by("starts_on", "pk")


@dataclass(frozen=True, slots=True)
class PlacementLine:
    """A placement (`pk`) as the records behind a figure list it: the student (id, name and form
    code, "" for none), the provision's name, the first and last day, the status and the reason
    of the incident referred ("" for none recorded)."""

    pk: int
    student_id: int
    student: str
    form: str
    provision: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    reason: str


# The columns of a `PlacementLine`, in the order `record_lines` reads them.
_PLACEMENT_FIELDS = (
    "pk",
    "student_id",
    "student__preferred_first_name",
    "student__legal_first_name",
    "student__preferred_last_name",
    "student__legal_last_name",
    "student__form__code",
    "provision__name",
    "starts_on",
    "ends_on",
    "status",
    "referral__incident__reason__name",
)


def _record_read(by: str, key: str) -> Callable[..., list]:
    """`records_behind` of the cut `by`, `key` as `record_lines` reads it, through `_scoped`
    (compiled for the whole school and one year group): the scope, the first and last day,
    and a limit."""

    def query(scope: Q, start: dt.date, end: dt.date) -> QuerySet:
        placements = records_behind(Span("", start, end), by, key, scope)
        return placements.values_list(*_PLACEMENT_FIELDS)

    return reports_figures._scoped(
        query,
        lambda start, end: query(WHOLE_SCHOOL, start, end),
        lambda year, start, end: query(Q(year_group_id__in=[year]), start, end),
        paged=True,
    )


# The cuts the dashboard links to most whose SQL is the same whatever the span (every provision
# and days in it, the follow-up measures but those placed again, whose SQL holds the span's
# school days), and all placements: compiled once. Building these reads cost more than
# running them (issue 15).
_RECORD_READS = {
    (by, key): _record_read(by, key)
    for by, keys in (
        ("", ("",)),
        ("provision", Provision.Kind.values),
        ("days", Provision.Kind.values),
        ("interviews", MEASURE_KEYS["interviews"]),
        ("told", MEASURE_KEYS["told"]),
        ("returned", ("all",)),
    )
    for key in keys
}


def record_lines(
    span: Span, by: str, key: str, scope: Q = WHOLE_SCHOOL, limit: int = 500
) -> list[PlacementLine]:
    """`records_behind(span, by, key, scope)` (the same placements, in the same order), at most
    `limit`, as the page lists them (one query, of the columns the page shows: reading the
    placements as models with their four related rows, and a template's loop over them, was
    most of the page's cost; issue 15)."""
    read = _RECORD_READS.get((by, key))
    rows: list[Any] = (
        read(scope, span.start, span.end, limit=limit)
        if read is not None
        else list(records_behind(span, by, key, scope).values_list(*_PLACEMENT_FIELDS)[:limit])
    )
    return [
        PlacementLine(
            pk,
            student_id,
            student_name(legal_first, legal_last, preferred_first, preferred_last),
            form or "",
            provision,
            starts_on,
            ends_on,
            status,
            reason or "",
        )
        for (
            pk,
            student_id,
            preferred_first,
            legal_first,
            preferred_last,
            legal_last,
            form,
            provision,
            starts_on,
            ends_on,
            status,
            reason,
        ) in rows
    ]


def half_term_span(half_term: HalfTerm, label: str) -> Span:
    return Span(f"{label}: {half_term}", half_term.starts_on, half_term.ends_on)


def compared_half_terms(half_term: HalfTerm) -> list[tuple[str, HalfTerm]]:
    """`half_term`, the one before it, and the same half-term a year earlier (where the calendar
    has them), each with its column heading (two queries, kept in the reference data cache)."""
    return [
        ("This half-term", half_term),
        *refcache.cached(
            f"compared_half_terms:{half_term.pk}", lambda: _earlier_half_terms(half_term)
        ),
    ]


def _earlier_half_terms(half_term: HalfTerm) -> list[tuple[str, HalfTerm]]:
    """The half-terms `compared_half_terms` puts beside `half_term`."""
    halves = HalfTerm.objects.select_related("term__academic_year")
    previous = halves.filter(starts_on__lt=half_term.starts_on).order_by("-starts_on").first()
    last_year = (
        halves.filter(
            term__kind=half_term.term.kind,
            number=half_term.number,
            starts_on__lt=half_term.starts_on,
        )
        .order_by("-starts_on")
        .first()
    )
    found = []
    if previous is not None:
        found.append(("Previous half-term", previous))
    if last_year is not None:
        found.append(("Same half-term last year", last_year))
    return found


def half_term_report(half_term: HalfTerm) -> dict[str, Any]:
    """The half-termly report: every measure for `half_term` with the previous half-term and the
    same half-term last year beside it, the breakdowns, the heatmap and disproportionality
    (whole school)."""
    from reports.selectors.disproportionality import disproportionality, min_group_size

    spans = [half_term_span(h, label) for label, h in compared_half_terms(half_term)]
    all_figures = reports_figures.figures_of(spans, detail=[i == 0 for i in range(len(spans))])
    latest = all_figures[0]
    # For governors and the meeting: no figure links to its records.
    return {
        **compare(all_figures, links=False),
        "figures": latest,
        "charts": charts(latest, links=False),
        "heatmap": heat_rows(latest, links=False),
        "chart_span": latest.span,
        "weekdays": WEEKDAYS,
        "groups": disproportionality(latest.span),
        "min_group_size": min_group_size(),
    }


def calls_behind(
    span: Span, key: str, scope: Q = WHOLE_SCHOOL, by: str = ""
) -> QuerySet[OnCallRequest]:
    """The on-call calls behind a figure: raised in `span` (for a year scope, naming one of its
    students); `key` "escalated", "claimed" or "arrived" narrows them to those the figure counts,
    or with `by` "teacher" or "department" it is the raiser's user id or department id (blank:
    not recorded) of a chart's row (one query)."""
    calls = _calls_cut(reports_figures.on_call_in(span, scope), key, by)
    return calls.select_related("raised_by", "claimed_by", "reason")


def _calls_cut(calls: QuerySet[OnCallRequest], key: str, by: str = "") -> QuerySet[OnCallRequest]:
    """`calls` narrowed to those of the figure `key` (or the chart's row `key` of `by`), as
    `calls_behind` says, in the page's order."""
    if by == "teacher":
        calls = calls.filter(raised_by_id=int(key))
    elif by == "department":
        calls = calls.filter(
            **(
                {"raised_by__staff__department_id__isnull": True}
                if key == ""
                else {"raised_by__staff__department_id": key}
            )
        )
    elif key == "escalated":
        calls = calls.filter(Q(escalated_at__isnull=False) | Q(tier=2))
    elif key == "claimed":
        calls = calls.filter(claimed_at__isnull=False)
    elif key == "arrived":
        calls = calls.filter(claimed_at__isnull=False, arrived_at__isnull=False)
    return calls.order_by("raised_at", "pk")


CALL_KEYS = ("", "escalated", "claimed", "arrived")
REVIEW_KEYS = ("", "none", "closed")


@dataclass(frozen=True, slots=True)
class CallLine:
    """An on-call call (`pk`) as the calls behind a figure list it: when it was raised, who
    raised it (their full name, "" for none, and username), where, why, who claimed it (None
    for nobody), the minutes to claim and to arrive (None until then) and whether it was
    escalated to SLT."""

    pk: int
    raised_at: dt.datetime
    raised_by_full_name: str
    raised_by_username: str
    location: str
    reason: str
    claimed_by: str | None
    claim_minutes: float | None
    arrive_minutes: float | None
    escalated: bool


# The columns of a `CallLine`, in the order `call_lines` reads them.
_CALL_FIELDS = (
    "pk",
    "raised_at",
    "raised_by__first_name",
    "raised_by__last_name",
    "raised_by__username",
    "location",
    "reason__label",
    "claimed_by_id",
    "claimed_by__first_name",
    "claimed_by__last_name",
    "claimed_by__username",
    "claimed_at",
    "arrived_at",
    "escalated_at",
    "tier",
)


def _minutes(start: dt.datetime, end: dt.datetime | None) -> float | None:
    return None if end is None else round((end - start).total_seconds() / 60, 1)


def _year_calls(year: int, start: dt.datetime, end: dt.datetime) -> QuerySet[OnCallRequest]:
    """`on_call_in`'s calls from `start` to before `end` that name a student of the year group
    `year` (for a head of year of one year). The same calls as `_calls_between` with that
    year's scope, found through each call's students: SQLite checked each call's students
    against the list of the year's students one by one (issue 15: 2.1 -> 0.13 ms on the demo
    school's half-term)."""
    named = OnCallRequest.students.through.objects.filter(
        oncallrequest_id=OuterRef("pk"), student__year_group_id=year
    )
    return reports_figures._calls_between(WHOLE_SCHOOL, start, end).filter(Exists(named))


def _call_read(key: str, by: str = "") -> Callable[..., list]:
    """`calls_behind` of `key` (and `by`) as `call_lines` reads it, through `_scoped` (compiled
    for the whole school and one year group): the scope, the first moment of the span and the
    first after it, the chart row's id for a `by`, and a limit."""

    def cut(calls: QuerySet[OnCallRequest], row: int | str = "") -> QuerySet:
        return _calls_cut(calls, str(row) if by else key, by).values_list(*_CALL_FIELDS)

    def query(scope: Q, start: dt.datetime, end: dt.datetime, row: int | str = "") -> QuerySet:
        return cut(reports_figures._calls_between(scope, start, end), row)

    if by:
        return reports_figures._scoped(
            query,
            lambda start, end, row: query(WHOLE_SCHOOL, start, end, row),
            lambda year, start, end, row: cut(_year_calls(year, start, end), row),
            paged=True,
        )
    return reports_figures._scoped(
        query,
        lambda start, end: query(WHOLE_SCHOOL, start, end),
        lambda year, start, end: cut(_year_calls(year, start, end)),
        paged=True,
    )


# Each figure's calls, and a chart row's (a teacher's, a department's), compiled once; the calls
# of the teachers of no department are built each time.
_CALL_READS = {key: _call_read(key) for key in CALL_KEYS}
_CALL_ROW_READS = {by: _call_read("", by) for by in ("teacher", "department")}


def call_lines(
    span: Span, key: str, scope: Q = WHOLE_SCHOOL, by: str = "", limit: int = 500
) -> list[CallLine]:
    """`calls_behind(span, key, scope, by)` (the same calls, in the same order), at most
    `limit`, as the page lists them (one query, of the columns the page shows: reading the
    calls as models with their three related rows, and a template's loop over them, was most
    of the page's cost; issue 15)."""
    start, end = reports_figures._span_times(span)
    rows: list[Any]
    if not by:
        rows = _CALL_READS[key](scope, start, end, limit=limit)
    elif key:
        rows = _CALL_ROW_READS[by](scope, start, end, int(key), limit=limit)
    else:
        calls = _calls_cut(reports_figures._calls_between(scope, start, end), key, by)
        rows = list(calls.values_list(*_CALL_FIELDS)[:limit])
    lines = []
    for (
        pk,
        raised_at,
        raised_first,
        raised_last,
        raised_username,
        location,
        reason,
        claimed_by_id,
        claimed_first,
        claimed_last,
        claimed_username,
        claimed_at,
        arrived_at,
        escalated_at,
        tier,
    ) in rows:
        claimed_by = None
        if claimed_by_id is not None:
            # As User.get_full_name(), or the username without one (as the page shows it).
            claimed_by = f"{claimed_first} {claimed_last}".strip() or claimed_username
        lines.append(
            CallLine(
                pk,
                raised_at,
                f"{raised_first} {raised_last}".strip(),
                raised_username,
                location,
                reason,
                claimed_by,
                _minutes(raised_at, claimed_at),
                _minutes(raised_at, arrived_at),
                escalated_at is not None or tier == OnCallRequest.Tier.SLT,
            )
        )
    return lines


@dataclass(frozen=True, slots=True)
class ReviewStudent:
    """A student behind the review figures as the page names them: id, name and form code
    ("" for none)."""

    pk: int
    name: str
    form: str


@dataclass(frozen=True, slots=True)
class ReviewShown:
    """A review about a student as the page shows it: for whom, opened, its status, closed (None
    while open) and the decision ("" for none)."""

    for_whom: str
    opened_at: dt.datetime
    status: str
    closed_at: dt.datetime | None
    decision: str


@dataclass
class ReviewLine:
    """A student who met a review rule, and the reviews that cover the span."""

    student: ReviewStudent
    tasks: list[ReviewShown]

    @property
    def closed(self) -> bool:
        return any(t.status == "closed" for t in self.tasks)


def _review_tasks_query(scope: Q, start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The reviews about the students in `scope` that cover the moments from `start` to before
    `end` (`reviews_behind`'s, for the students in `scope` rather than a list of them), in the
    page's order, the columns of a `ReviewShown` after the student's id."""
    return (
        ReviewTask.objects.filter(
            Q(closed_at__isnull=True) | Q(closed_at__gte=start),
            reports_figures.in_scope(scope, "student"),
            opened_at__lt=end,
        )
        .order_by("opened_at", "pk")
        .values_list("student_id", "for_whom", "opened_at", "status", "closed_at", "decision")
    )


# Compiled once for the whole school and one year group: the reviews of the students who met a
# rule are picked from them in Python (a list of ids in the SQL changes it with their number;
# building the read cost more than running it, issue 15).
_review_tasks_read = reports_figures._scoped(
    _review_tasks_query,
    lambda start, end: _review_tasks_query(WHOLE_SCHOOL, start, end),
    lambda year, start, end: _review_tasks_query(Q(year_group_id__in=[year]), start, end),
)


def review_lines(span: Span, key: str, scope: Q = WHOLE_SCHOOL) -> list[ReviewLine]:
    """The students behind the review figures with their reviews (three queries, and the
    rules'): all, those with no review ("none"), or those whose review is closed ("closed").
    The students and reviews are read as the columns the page shows (issue 15: as models, and
    a template's loop over them, they were most of the page's cost)."""
    met = reports_figures.met_review_rule(span, scope)
    students = [
        ReviewStudent(
            pk, student_name(legal_first, legal_last, preferred_first, preferred_last), form or ""
        )
        for pk, preferred_first, legal_first, preferred_last, legal_last, form in (
            Student.objects.filter(pk__in=met)
            .order_by("legal_last_name", "legal_first_name")
            .values_list(
                "pk",
                "preferred_first_name",
                "legal_first_name",
                "preferred_last_name",
                "legal_last_name",
                "form__code",
            )
        )
    ]
    tasks: dict[int, list[ReviewShown]] = {}
    if met:
        mine = set(met)
        for student_id, *shown in _review_tasks_read(scope, *reports_figures._span_times(span)):
            if student_id in mine:
                tasks.setdefault(student_id, []).append(ReviewShown(*shown))
    lines = [ReviewLine(student, tasks.get(student.pk, [])) for student in students]
    if key == "none":
        lines = [line for line in lines if not line.tasks]
    elif key == "closed":
        lines = [line for line in lines if line.closed]
    return lines


@dataclass(frozen=True, slots=True)
class WorkLine:
    """A lesson missed as the records behind a work figure list it: the student (id, name and
    form code, "" for none), the lesson, the teacher's name ("" for none on the timetable), the
    kind of work set (None for none yet) and the outcome in the room ("" for not recorded)."""

    student_id: int
    student: str
    form: str
    date: dt.date
    period: str
    teaching_class: str
    teacher: str
    work_kind: str | None
    answered_late: bool
    outcome: str


# The columns of a `WorkLine`, in the order `work_lines` reads them.
_WORK_FIELDS = (
    "placement_day__placement__student_id",
    "placement_day__placement__student__preferred_first_name",
    "placement_day__placement__student__legal_first_name",
    "placement_day__placement__student__preferred_last_name",
    "placement_day__placement__student__legal_last_name",
    "placement_day__placement__student__form__code",
    "date",
    "period__code",
    "teaching_class__code",
    "teacher__title",
    "teacher__first_name",
    "teacher__last_name",
    "work_set__kind",
    "answered_late",
    "outcome",
)


def _work_query(
    scope: Q, key: str, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> QuerySet:
    """The requests behind the work figure `key` as work.selectors.figures.requests_behind
    finds them (the same filters, the same order), the columns of a `WorkLine`; `now` the moment
    whose deadlines have passed, for the figures that ask (`_TIMED`)."""
    students = None if scope == WHOLE_SCHOOL else Student.objects.filter(scope)
    rows = work_figures._requests(start, end, students=students)
    if key:
        rows = rows.filter(work_figures._shares(now or clock.now())[key])
    return rows.order_by("date", "period__starts_at", "pk").values_list(*_WORK_FIELDS)


def _timed(key: str) -> bool:
    """Whether the requests behind the work figure `key` depend on the moment (whose deadlines
    have passed): a compiled read takes it as an argument only then."""
    shares = [work_figures._shares(dt.datetime(2000, 1, day, tzinfo=dt.UTC)) for day in (1, 2)]
    return bool(key) and shares[0][key] != shares[1][key]


_TIMED = frozenset(key for key in work_figures.SHARES if _timed(key))


def _work_read(key: str) -> Callable[..., list]:
    """`_work_query` of `key`, read through `_scoped` (compiled for the whole school and one
    year group): the scope, the first and last day, the moment for a `_TIMED` key, and a
    limit."""
    if key in _TIMED:
        return reports_figures._scoped(
            lambda scope, start, end, now: _work_query(scope, key, start, end, now),
            lambda start, end, now: _work_query(WHOLE_SCHOOL, key, start, end, now),
            lambda year, start, end, now: _work_query(
                Q(year_group_id__in=[year]), key, start, end, now
            ),
            paged=True,
        )
    return reports_figures._scoped(
        lambda scope, start, end: _work_query(scope, key, start, end),
        lambda start, end: _work_query(WHOLE_SCHOOL, key, start, end),
        lambda year, start, end: _work_query(Q(year_group_id__in=[year]), key, start, end),
        paged=True,
    )


_WORK_READS = {key: _work_read(key) for key in ("", *work_figures.SHARES)}


def work_lines(span: Span, key: str, scope: Q = WHOLE_SCHOOL, limit: int = 500) -> list[WorkLine]:
    """The lessons missed behind a work figure (`key`: one of the work app's shares, blank for
    all), for the students in `scope`, in date and lesson order, at most `limit` (one query, of
    the columns the page shows: reading 500 requests as models with their five related rows,
    and a template's loop over them, was most of the page's cost; issue 15)."""
    args: tuple[Any, ...] = (span.start, span.end)
    if key in _TIMED:
        args += (clock.now(),)
    return [
        WorkLine(
            student_id,
            student_name(legal_first, legal_last, preferred_first, preferred_last),
            form or "",
            date,
            period,
            teaching_class,
            "" if first is None else staff_display_name(title, first, last),
            kind,
            late,
            outcome,
        )
        for (
            student_id,
            preferred_first,
            legal_first,
            preferred_last,
            legal_last,
            form,
            date,
            period,
            teaching_class,
            title,
            first,
            last,
            kind,
            late,
            outcome,
        ) in _WORK_READS[key](scope, *args, limit=limit)
    ]


# How many students the meeting pack lists.
PACK_STUDENTS = 15


@dataclass
class PackStudent:
    """A student in the meeting pack: their removals in the half-term and the flags an
    inspector's case sample asks about."""

    student: Any
    removals: int
    by_kind: dict[str, int]
    days: int


def most_removed(span: Span, limit: int = PACK_STUDENTS) -> list[PackStudent]:
    """The students with the most placements starting in `span` (most first, then by name),
    with their placements per provision and days in a room in the span (two queries)."""
    kinds = [kind for kind, _ in Provision.Kind.choices]
    rows = list(
        reports_figures.placements_in(span)
        .values("student")
        .annotate(
            n=Count("pk"),
            **{f"k_{kind}": Count("pk", filter=Q(provision__kind=kind)) for kind in kinds},
        )
        .order_by("-n", "student__legal_last_name", "student__legal_first_name", "student")[:limit]
    )
    days = PlacementDay.objects.filter(
        placement__student=OuterRef("pk"),
        is_active=True,
        date__gte=span.start,
        date__lte=span.end,
    ).exclude(placement__status=Placement.Status.CANCELLED)
    day_counts = days.order_by().values("placement__student").annotate(c=Count("pk")).values("c")
    students = Student.objects.select_related("form", "year_group").annotate(
        room_days=Coalesce(Subquery(day_counts, output_field=IntegerField()), 0)
    )
    found = {s.pk: s for s in students.filter(pk__in=[row["student"] for row in rows])}
    return [
        PackStudent(
            student=found[row["student"]],
            removals=row["n"],
            by_kind={kind: row[f"k_{kind}"] for kind in kinds if row[f"k_{kind}"]},
            days=found[row["student"]].room_days,
        )
        for row in rows
        if row["student"] in found
    ]
