"""The report pages: the weekly dashboard, the records behind its figures, and the half-termly
report with its written analysis and its PDF, XLSX and CSV."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock, dates
from conduct.lib.forms import errors_into
from reports import exports, policies, rendering, services
from reports.models import Commentary
from reports.selectors import pages
from reports.selectors.figures import Span
from sanctions.models import Provision
from school.models import HalfTerm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The most records the page lists at once (a figure for five years could be thousands).
RECORDS_SHOWN = 500


class CommentaryForm(forms.Form):
    text = forms.CharField(
        label="Written analysis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=services.COMMENTARY_MAX,
        help_text="What the figures mean and what the school will do; kept with this report and "
        "printed in the governors' PDF.",
    )


def dashboard(request):
    """This week against last week and the half-term so far, for the reader's students."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    page = pages.dashboard(clock.today(), policies.dashboard_scope(request.user))
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="reports.dashboard",
        detail={"page": "weekly dashboard", "year_scoped": policies.is_year_scoped(request.user)},
    )
    return render(
        request,
        "reports/dashboard.html",
        {**page, "year_scoped": policies.is_year_scoped(request.user)},
    )


def _cut(request) -> tuple[str, str]:
    """The `by` and `key` of the records asked for; 404 for anything a figure never links to."""
    by, key = request.GET.get("by", ""), request.GET.get("key", "")
    if by and by not in pages.RECORD_FILTERS and by not in ("days", "slot", *pages.MEASURE_KEYS):
        raise Http404("No such breakdown")
    if by == "slot":
        if not re.fullmatch(r"[0-9]{1,9}-[1-5]", key):
            raise Http404("No such lesson and weekday")
    elif by in pages.MEASURE_KEYS:
        if key not in pages.MEASURE_KEYS[by]:
            raise Http404("No such figure")
    elif by in ("provision", "days"):
        if key not in Provision.Kind.values:
            raise Http404("No such provision")
    elif key and not (key.isdigit() and len(key) <= 9):
        raise Http404("No such figure")
    return by, key


def _span(request) -> Span:
    """The span a records page is asked for (404 for a backwards one or over a year)."""
    start = dates.date_from_url(request.GET.get("from"))
    end = dates.date_from_url(request.GET.get("to"), default=start)
    if end < start or (end - start).days > 400:
        raise Http404("Choose a span of up to a year")
    return Span(f"{start:%d/%m/%Y} to {end:%d/%m/%Y}", start, end)


# The heading of the records behind a follow-up measure (the others: "Placements starting").
MEASURE_TITLES = {
    ("interviews", "due"): "Placements with an interview due",
    ("interviews", "on_time"): "Placements with an interview done by its day, due",
    ("interviews", "late"): "Placements with an interview not done by its day, due",
    ("told", "yes"): "Placements whose family was told the day they were booked, starting",
    ("told", "no"): "Placements whose family was not told the day they were booked, starting",
    ("returned", "all"): "Placements the student returned from, ending",
    ("returned", "again"): "Placements followed by another within 10 school days, ending",
}


def _audit_figure(request, object_type: str, page: str, span: Span, **detail) -> None:
    """Audit the opening of the records behind a figure: which figure, over which dates."""
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type=object_type,
        detail={
            "page": page,
            "from": span.start.isoformat(),
            "to": span.end.isoformat(),
            **detail,
        },
    )


def records(request):
    """The placements behind one figure of the dashboard, as far as the reader may see them."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    span = _span(request)
    by, key = _cut(request)
    lines = pages.record_lines(
        span, by, key, policies.dashboard_scope(request.user), RECORDS_SHOWN + 1
    )
    _audit_figure(
        request,
        "sanctions.placement",
        "records behind a report figure",
        span,
        by=by,
        key=key,
        students=len({line.student_id for line in lines}),
    )
    return render(
        request,
        "reports/records.html",
        {
            "span": span,
            "placements": lines[:RECORDS_SHOWN],
            "rows_html": rendering.placement_rows_html(lines[:RECORDS_SHOWN]),
            "more": len(lines) > RECORDS_SHOWN,
            "by": by,
            "title": MEASURE_TITLES.get((by, key), "Placements starting"),
        },
    )


def _key(request, allowed) -> str:
    key = request.GET.get("key", "")
    if key not in allowed:
        raise Http404("No such figure")
    return key


def records_calls(request):
    """The on-call calls behind an on-call figure (for a head of year, those naming one of
    their students); each opens the call for a reader who may see it."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    span = _span(request)
    by = request.GET.get("by", "")
    if by in ("teacher", "department"):
        key = request.GET.get("key", "")
        if not (key.isdigit() and len(key) <= 9) and not (by == "department" and key == ""):
            raise Http404("No such figure")
    elif by:
        raise Http404("No such breakdown")
    else:
        key = _key(request, pages.CALL_KEYS)
    lines = pages.call_lines(
        span, key, policies.dashboard_scope(request.user), by, RECORDS_SHOWN + 1
    )
    _audit_figure(
        request, "patrol.oncallrequest", "calls behind a report figure", span, by=by, key=key
    )
    may_open = policies.can_open_calls(request.user)
    return render(
        request,
        "reports/records_calls.html",
        {
            "span": span,
            "key": key,
            "by": by,
            "calls": lines[:RECORDS_SHOWN],
            "rows_html": rendering.call_rows_html(lines[:RECORDS_SHOWN], may_open=may_open),
            "more": len(lines) > RECORDS_SHOWN,
            "may_open": may_open,
        },
    )


WORK_TITLES = {
    "": "Lessons missed in a room",
    "on_time": "Work set by the teacher by the deadline",
    "late": "Work set by the teacher after the deadline",
    "programme": "Work from the programme at the deadline (fallen back)",
    "nothing": "Lessons missed with no work",
    "waiting": "Lessons still waiting for the teacher",
    "completed": "Work completed in the room",
    "partly": "Work partly done in the room",
    "not_done": "Work not done in the room",
}


def records_work(request):
    """The lessons missed behind a work figure, for the reader's students."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    span = _span(request)
    key = _key(request, WORK_TITLES)
    lines = pages.work_lines(span, key, policies.dashboard_scope(request.user), RECORDS_SHOWN + 1)
    _audit_figure(
        request,
        "work.workrequest",
        "work behind a report figure",
        span,
        key=key,
        students=len({line.student_id for line in lines}),
    )
    return render(
        request,
        "reports/records_work.html",
        {
            "span": span,
            "title": WORK_TITLES[key],
            "requests": lines[:RECORDS_SHOWN],
            "rows_html": rendering.work_rows_html(lines[:RECORDS_SHOWN]),
            "more": len(lines) > RECORDS_SHOWN,
        },
    )


REVIEW_TITLES = {
    "": "Students who met a review rule",
    "none": "Students who met a review rule with no review opened",
    "closed": "Students who met a review rule whose review is closed",
}


def records_reviews(request):
    """The students behind the review figures and their reviews (open, closed, the decision)."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    span = _span(request)
    key = _key(request, pages.REVIEW_KEYS)
    lines = pages.review_lines(span, key, policies.dashboard_scope(request.user))
    _audit_figure(
        request,
        "pastoral.reviewtask",
        "reviews behind a report figure",
        span,
        key=key,
        students=[line.student.pk for line in lines],
    )
    return render(
        request,
        "reports/records_reviews.html",
        {
            "span": span,
            "title": REVIEW_TITLES[key],
            "lines": lines,
            "rows_html": rendering.review_rows_html(lines),
        },
    )


def _half_term(half_term_id: int | None) -> HalfTerm | None:
    """The half-term asked for (404 if none such), or the current or latest one."""
    halves = HalfTerm.objects.select_related("term__academic_year")
    if half_term_id is not None:
        return get_object_or_404(halves, pk=half_term_id)
    today = clock.today()
    return (
        halves.filter(starts_on__lte=today).order_by("-starts_on").first()
        or halves.order_by("starts_on").first()
    )


def half_term_report(request, half_term_id: int | None = None):
    """The half-termly statistical report, with its written analysis (kept by POST)."""
    if not policies.can_view_half_term_report(request.user):
        raise PermissionDenied
    half_term = _half_term(half_term_id)
    if half_term is None:
        return render(request, "reports/half_term.html", {"half_term": None})
    commentary = Commentary.objects.filter(half_term=half_term).first()
    form = CommentaryForm(initial={"text": commentary.text if commentary else ""})
    if request.method == "POST":
        if not policies.can_write_commentary(request.user):
            raise PermissionDenied
        form = CommentaryForm(request.POST)
        if form.is_valid():
            try:
                services.commentary_save(
                    half_term=half_term, text=form.cleaned_data["text"], by=request.user
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, "The written analysis is kept with the report.")
                return redirect("reports-half-term", half_term.pk)
    report = pages.half_term_report(half_term)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=half_term,
        detail={"page": "half-termly report"},
    )
    return render(
        request,
        "reports/half_term.html",
        {
            **report,
            "half_term": half_term,
            "half_terms": HalfTerm.objects.select_related("term__academic_year").order_by(
                "-starts_on"
            ),
            "commentary": commentary,
            "form": form,
            "may_write": policies.can_write_commentary(request.user),
            "may_view_pack": policies.can_view_meeting_pack(request.user),
        },
    )


EXPORTS = {"pdf": "application/pdf", "xlsx": XLSX, "csv": "text/csv; charset=utf-8"}


def half_term_export(request, half_term_id: int, fmt: str):
    """The half-termly report as a PDF for governors, an XLSX workbook or a CSV (audited)."""
    if not policies.can_view_half_term_report(request.user):
        raise PermissionDenied
    if fmt not in EXPORTS:
        raise Http404("No such format")
    half_term = _half_term(half_term_id)
    assert half_term is not None
    report = pages.half_term_report(half_term)
    commentary = Commentary.objects.filter(half_term=half_term).first()
    text = commentary.text if commentary else ""
    title = f"Behaviour response report: {half_term}"
    if fmt == "pdf":
        body: bytes | str = exports.report_pdf(
            report, title=title, commentary=text, user=request.user
        )
    elif fmt == "xlsx":
        body = exports.report_xlsx(report, title=title, commentary=text)
    else:
        body = exports.report_csv(report)
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        target=half_term,
        detail={"page": "half-termly report", "format": fmt},
    )
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    name = f"report-{half_term.starts_on:%Y-%m-%d}.{fmt}"
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _pack(request, half_term_id: int) -> tuple[HalfTerm, dict, list | None, str]:
    """What the meeting pack holds: the half-term, its report, its named students for a reader
    who may see them (else None) and the written analysis."""
    if not policies.can_view_meeting_pack(request.user):
        raise PermissionDenied
    half_term = _half_term(half_term_id)
    assert half_term is not None
    report = pages.half_term_report(half_term)
    students = (
        pages.most_removed(report["figures"].span)
        if policies.can_see_pack_students(request.user)
        else None
    )
    commentary = Commentary.objects.filter(half_term=half_term).first()
    return half_term, report, students, commentary.text if commentary else ""


def meeting_pack(request, half_term_id: int):
    """The meeting pack on screen: the half-term's report and the students with the most
    removals with their SEN, looked-after and pupil-premium flags (audited, naming them)."""
    half_term, report, students, text = _pack(request, half_term_id)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        target=half_term,
        detail={
            "page": "meeting pack",
            "students": [row.student.pk for row in students or []],
        },
    )
    return render(
        request,
        "reports/meeting_pack.html",
        {
            **report,
            "half_term": half_term,
            "pack_students": students,
            "pack_limit": pages.PACK_STUDENTS,
            "commentary": {"text": text},
            "may_view_report": policies.can_view_half_term_report(request.user),
        },
    )


def meeting_pack_pdf(request, half_term_id: int):
    """The meeting pack as a PDF (audited as an export naming its students)."""
    half_term, report, students, text = _pack(request, half_term_id)
    body = exports.report_pdf(
        report,
        title=f"Meeting pack: {half_term}",
        commentary=text,
        user=request.user,
        pack_students=students,
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.EXPORT,
        target=half_term,
        detail={
            "page": "meeting pack",
            "format": "pdf",
            "students": [row.student.pk for row in students or []],
        },
    )
    response = HttpResponse(body, content_type="application/pdf")
    name = f"meeting-pack-{half_term.starts_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
