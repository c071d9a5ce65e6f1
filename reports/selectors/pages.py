"""What the report pages show: the spans they compare, each measure side by side, and the
records behind a figure."""

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse

from reports.selectors import figures as reports_figures
from reports.selectors.figures import (
    BREAKDOWNS,
    NO_DATA,
    ON_CALL_BREAKDOWNS,
    WEEKDAYS,
    WHOLE_SCHOOL,
    Figures,
    Span,
)
from sanctions.models import Placement
from school.models import HalfTerm
from school.selectors.calendar import half_term_on

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


def records_url(span: Span, **cut: Any) -> str:
    """The records page for placements starting in `span`, cut as `cut` says."""
    query = {"from": span.start.isoformat(), "to": span.end.isoformat(), **cut}
    return f"{reverse('reports-records')}?{urlencode(query)}"


@dataclass
class Compared:
    """One measure across the compared spans: a label and per span a value and a link."""

    label: str
    cells: list[dict[str, Any]]


def _cell(value: Any, url: str = "") -> dict[str, Any]:
    return {"value": "—" if value is None else value, "url": url}


def compare(all_figures: list[Figures]) -> dict[str, Any]:
    """Every measure side by side for the compared spans, in the order a page shows them."""
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
                            records_url(f.span, by="provision", key=provision.kind)
                            if attr in ("placements", "students")
                            else "",
                        )
                        for f in all_figures
                    ],
                )
            )
        provisions.append({"name": provision.name, "kind": provision.kind, "rows": rows})
    on_call = [
        Compared(label, [_cell(getattr(f.on_call, attr)) for f in all_figures])
        for label, attr in (
            ("Calls", "calls"),
            ("Escalated to SLT", "escalations"),
            ("Median minutes to claim", "median_claim_minutes"),
            ("90th percentile minutes to claim", "p90_claim_minutes"),
            ("Median minutes to arrive", "median_arrive_minutes"),
            ("90th percentile minutes to arrive", "p90_arrive_minutes"),
        )
    ]
    follow_up = [
        Compared(
            "Placements per 100 students on roll",
            [_cell(f.placements_per_100) for f in all_figures],
        ),
        Compared("Students on roll", [_cell(f.on_roll) for f in all_figures]),
        Compared(
            "Interviews done on time",
            [_cell(f"{f.interviews_on_time} of {f.interviews_due}") for f in all_figures],
        ),
        Compared(
            "Families told the same day",
            [
                _cell(f"{f.families_told_same_day} of {f.placements_families_told}")
                for f in all_figures
            ],
        ),
        Compared(
            "Placed again within 10 school days of returning",
            [_cell(f"{f.re_referred} of {f.returned}") for f in all_figures],
        ),
        Compared("Work set for lessons missed", [_cell(f.work) for f in all_figures]),
        # Reviews (the review rules) are not recorded anywhere yet.
        Compared("Students who need a review", [_cell(NO_DATA) for f in all_figures]),
    ]
    return {"spans": spans, "provisions": provisions, "on_call": on_call, "follow_up": follow_up}


def charts(found: Figures) -> list[dict[str, Any]]:
    """Each breakdown of `found` as rows with a bar length (percent of the largest) and a link."""
    result = []
    for key, title in BREAKDOWNS:
        rows = found.breakdowns[key]
        largest = max((row.count for row in rows), default=0)
        result.append(
            {
                "key": key,
                "title": title,
                "rows": [
                    {
                        "label": row.label,
                        "count": row.count,
                        "bar": round(100 * row.count / largest) if largest else 0,
                        "url": records_url(found.span, by=key, key=row.key),
                    }
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
                    {
                        "label": row.label,
                        "count": row.count,
                        "bar": round(100 * row.count / largest) if largest else 0,
                        "url": "",
                    }
                    for row in rows
                ],
            }
        )
    return result


def heat_rows(found: Figures) -> list[dict[str, Any]]:
    """The heatmap's cells with a shade from 0 to 4 (of the largest cell)."""
    largest = found.heatmap_max
    for row in found.heatmap:
        for cell in row["cells"]:
            cell["shade"] = 0 if not cell["n"] else 1 + (3 * cell["n"]) // max(largest, 1)
    return found.heatmap


def dashboard(today: dt.date, scope: Q = WHOLE_SCHOOL) -> dict[str, Any]:
    """The weekly dashboard: the three spans compared, the half-term's breakdowns and heatmap."""
    spans = dashboard_spans(today)
    all_figures = [reports_figures.figures(span, scope, detail=span is spans[-1]) for span in spans]
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
    if by in RECORD_FILTERS:
        field = RECORD_FILTERS[by]
        placements = placements.filter(
            **({f"{field}__isnull": True} if key == "" else {field: key})
        )
    return placements.select_related(
        "student__form", "provision", "referral__incident__reason"
    ).order_by("starts_on", "pk")


def half_term_span(half_term: HalfTerm, label: str) -> Span:
    return Span(f"{label}: {half_term}", half_term.starts_on, half_term.ends_on)


def compared_half_terms(half_term: HalfTerm) -> list[tuple[str, HalfTerm]]:
    """`half_term`, the one before it, and the same half-term a year earlier (where the calendar
    has them), each with its column heading (two queries)."""
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
    found = [("This half-term", half_term)]
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
    all_figures = [reports_figures.figures(span, detail=i == 0) for i, span in enumerate(spans)]
    latest = all_figures[0]
    return {
        **compare(all_figures),
        "figures": latest,
        "charts": charts(latest),
        "heatmap": heat_rows(latest),
        "chart_span": latest.span,
        "weekdays": WEEKDAYS,
        "groups": disproportionality(latest.span),
        "min_group_size": min_group_size(),
    }
