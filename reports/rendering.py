"""The report pages' tables (each measure across the compared spans, the breakdowns' charts and
the heatmap, the records behind a figure) written in Python rather than by template tags per
cell: the weekly dashboard draws a few hundred figures, and the templates' per-row work was a
fifth of its cost; a records page lists up to 500 rows, and its template's loop was half of its
cost (issue 15). The weekly dashboard, the half-termly report and the meeting pack draw them
alike; each records page's rows are what its template's loop wrote, to the whitespace."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from conduct.lib.wording import day_month, short_day
from pastoral.models import ReviewTask
from reports.selectors.figures import Span
from reports.selectors.pages import CallLine, Compared, PlacementLine, ReviewLine, WorkLine
from sanctions.models import Placement
from work.models import WorkRequest, WorkSet


def span_heads_html(spans: list[Span]) -> str:
    """The compared spans' column headings, each with its dates (the same in each table of a
    page: written once, as formatting a date costs more than writing a row)."""
    return "".join(
        f'<th scope="col">{escape(span.label)}<br><small>{date_format(span.start, "j M")}–'
        f"{date_format(span.end, 'j M Y')}</small></th>"
        for span in spans
    )


def compare_table_html(caption: str, heads: str, rows: list[Compared]) -> SafeString:
    """The table of `rows` (each measure across the spans `heads` names: `span_heads_html`),
    captioned `caption`."""
    body = "".join(
        f'\n    <tr><th scope="row">{escape(row.label)}</th>{row.shown}</tr>\n  ' for row in rows
    )
    return mark_safe(
        f'<div class="table-scroll" role="region" aria-label="{escape(caption)}" tabindex="0">\n'
        '<table class="compare keep-words">\n'
        f"  <caption>{escape(caption)}</caption>\n"
        f'  <thead><tr><th scope="col">Measure</th>{heads}</tr></thead>\n'
        f"  <tbody>\n  {body}\n  </tbody>\n</table>\n</div>\n"
    )


def charts_html(
    charts: list[dict[str, Any]], heatmap: list[dict[str, Any]], weekdays: tuple[str, ...]
) -> SafeString:
    """The breakdowns' charts (`pages.charts`) and the heatmap (`pages.heat_rows`)."""
    sections = []
    for chart in charts:
        key, title = escape(chart["key"]), escape(chart["title"])
        if chart["rows"]:
            what = escape(chart.get("what") or capfirst(chart["title"][3:]))
            rows = "".join(
                f'\n        <tr><td>{escape(row["label"])}</td><td class="num">{row["figure"]}'
                '</td>\n        <td class="bar-cell"><svg class="bar" viewBox="0 0 100 10" '
                'preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="0" '
                f'y="0" width="{row["bar"]}" height="10"></rect></svg></td></tr>\n      '
                for row in chart["rows"]
            )
            table = (
                f'\n    <table>\n      <thead><tr><th scope="col">{what}</th>'
                f'<th scope="col" class="num">{escape(chart.get("heading") or "Placements")}</th>'
                '<th scope="col"><span class="visually-hidden">Bar</span></th></tr></thead>\n'
                f"      <tbody>\n      {rows}\n      </tbody>\n    </table>\n    "
            )
        else:
            table = "<p>None in this span.</p>"
        sections.append(
            f'\n  <section class="chart" aria-labelledby="chart-{key}">\n'
            f'    <h3 id="chart-{key}">{title}</h3>\n    {table}\n  </section>\n'
        )
    days = "".join(f'<th scope="col">{escape(day)}</th>' for day in weekdays)
    lines = "".join(
        f'\n      <tr><th scope="row">{escape(row["period"])}</th>{row["shown"]}</tr>\n    '
        for row in heatmap
    )
    return mark_safe(
        f'<div class="report-grid">\n{"".join(sections)}\n</div>\n'
        '<section aria-labelledby="heatmap-title">\n'
        '  <h3 id="heatmap-title">By lesson and weekday</h3>\n'
        "  <p>Placements by the lesson a student was removed from (or the incident's lesson) and "
        "the weekday; darker is more.</p>\n"
        '  <div class="table-scroll" role="region" aria-label="Placements by lesson and weekday" '
        'tabindex="0">\n  <table class="heatmap">\n'
        f'    <thead><tr><th scope="col">Lesson</th>{days}</tr></thead>\n'
        f"    <tbody>\n    {lines}\n    </tbody>\n  </table>\n  </div>\n</section>\n"
    )


class _Once(dict):
    """`once[value]` is `make(value)`, made once per value: a records page repeats its students,
    days, lessons, classes and teachers many times over, and escaping or formatting each cell
    cost more than looking it up."""

    def __init__(self, make: Callable[[Any], str]):
        super().__init__()
        self.make = make

    def __missing__(self, value: Any) -> str:
        made = self[value] = self.make(value)
        return made


def _day(day: dt.date) -> str:
    """`|date:"D j M Y"`: "Tue 3 Nov 2026"."""
    return f"{short_day(day)} {day.year}"


_WORK_KINDS = dict(WorkSet.Kind.choices)
_OUTCOMES = dict(WorkRequest.Outcome.choices)


def work_rows_html(lines: list[WorkLine]) -> SafeString:
    """The `<tr>` of each lesson missed behind a work figure (`pages.work_lines`)."""
    student_url = _Once(url_maker("student-detail"))
    text = _Once(escape)
    day = _Once(_day)
    rows = []
    for line in lines:
        if line.work_kind is None:
            work = "none yet"
        else:
            late = " (late)" if line.answered_late else ""
            work = f"{text[_WORK_KINDS.get(line.work_kind, line.work_kind)]}{late}"
        outcome = _OUTCOMES.get(line.outcome, line.outcome) or "not recorded"
        rows.append(
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{student_url[line.student_id]}">'
            f"{text[line.student]}</a></td>\n"
            f'      <td data-label="Form">{text[line.form]}</td>\n'
            f'      <td data-label="Lesson">{day[line.date]} {text[line.period]}</td>\n'
            f'      <td data-label="Class">{text[line.teaching_class]}</td>\n'
            f'      <td data-label="Teacher">{text[line.teacher or "not on the timetable"]}</td>\n'
            f'      <td data-label="Work">{work}</td>\n'
            f'      <td data-label="In the room">{text[outcome]}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))


_STATUSES = dict(Placement.Status.choices)


def placement_rows_html(lines: list[PlacementLine]) -> SafeString:
    """The `<tr>` of each placement behind a figure (`pages.record_lines`)."""
    student_url = _Once(url_maker("student-detail"))
    text = _Once(escape)
    day = _Once(_day)
    rows = []
    for line in lines:
        status = _STATUSES.get(line.status, line.status)
        rows.append(
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{student_url[line.student_id]}">'
            f"{text[line.student]}</a></td>\n"
            f'      <td data-label="Form">{text[line.form]}</td>\n'
            f'      <td data-label="Provision">{text[line.provision]}</td>\n'
            f'      <td data-label="From">{day[line.starts_on]}</td>\n'
            f'      <td data-label="To">{day[line.ends_on]}</td>\n'
            f'      <td data-label="Status">{text[status]}</td>\n'
            f'      <td data-label="Reason">{text[line.reason or "not recorded"]}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))


def _moment(moment: dt.datetime) -> str:
    """`|date:"D j M Y H:i"`: "Tue 3 Nov 2026 10:15", in the school's time."""
    moment = timezone.localtime(moment)
    return f"{short_day(moment)} {moment.year} {moment:%H:%M}"


def _number(value: float | None) -> str:
    """`{{ value|default_if_none:"" }}` of a number."""
    return "" if value is None else escape(str(localize(value)))


def call_rows_html(lines: list[CallLine], *, may_open: bool) -> SafeString:
    """The `<tr>` of each on-call call behind a figure (`pages.call_lines`), each linked to the
    call for a reader who `may_open` them."""
    call_url = url_maker("on-call-detail")
    text = _Once(escape)
    number = _Once(_number)
    rows = []
    for line in lines:
        raised = _moment(line.raised_at)
        if may_open:
            raised = f'<a href="{call_url(line.pk)}">{raised}</a>'
        claimed_by = "not claimed" if line.claimed_by is None else text[line.claimed_by]
        rows.append(
            "\n    <tr>\n"
            f'      <td data-label="Raised">{raised}</td>\n'
            '      <td data-label="By">'
            f"{text[line.raised_by_full_name or line.raised_by_username]}</td>\n"
            f'      <td data-label="Where">{text[line.location]}</td>\n'
            f'      <td data-label="Reason">{text[line.reason or ""]}</td>\n'
            f'      <td data-label="Claimed by">{claimed_by}</td>\n'
            '      <td data-label="Minutes to claim" class="num">'
            f"{number[line.claim_minutes]}</td>\n"
            '      <td data-label="Minutes to arrive" class="num">'
            f"{number[line.arrive_minutes]}</td>\n"
            f'      <td data-label="Escalated">{"yes" if line.escalated else "no"}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))


_FOR_WHOM = dict(ReviewTask.For.choices)
_DECISIONS = dict(ReviewTask.Decision.choices)


def review_rows_html(lines: list[ReviewLine]) -> SafeString:
    """The `<tr>` of each student behind a review figure with their reviews
    (`pages.review_lines`)."""
    student_url = url_maker("student-detail")
    rows = []
    for line in lines:
        reviews = []
        for task in line.tasks:
            shown = f"{escape(_FOR_WHOM.get(task.for_whom, task.for_whom))}: opened "
            shown += day_month(task.opened_at)
            if task.status == "closed":
                closed = "" if task.closed_at is None else day_month(task.closed_at)
                decision = escape(_DECISIONS.get(task.decision, task.decision))
                shown += f", closed {closed} — {decision}"
            else:
                shown += ", open"
            reviews.append(shown)
        student = line.student
        rows.append(
            "\n    <tr>\n"
            f'      <td data-label="Student"><a href="{student_url(student.pk)}">'
            f"{escape(student.name)}</a></td>\n"
            f'      <td data-label="Form">{escape(student.form)}</td>\n'
            '      <td data-label="Review">'
            f"{'<br>'.join(reviews) or '<strong>No review opened</strong>'}</td>\n"
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))
