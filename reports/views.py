"""The report pages: the weekly dashboard, the records behind its figures, and the half-termly
report with its written analysis and its PDF, XLSX and CSV."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock, dates
from conduct.lib.forms import errors_into
from reports import exports, policies, services
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
    if by and by not in pages.RECORD_FILTERS:
        raise Http404("No such breakdown")
    if by == "provision":
        if key not in Provision.Kind.values:
            raise Http404("No such provision")
    elif key and not (key.isdigit() and len(key) <= 9):
        raise Http404("No such figure")
    return by, key


def records(request):
    """The placements behind one figure of the dashboard, as far as the reader may see them."""
    if not policies.can_view_dashboard(request.user):
        raise PermissionDenied
    start = dates.date_from_url(request.GET.get("from"))
    end = dates.date_from_url(request.GET.get("to"), default=start)
    if end < start or (end - start).days > 400:
        raise Http404("Choose a span of up to a year")
    by, key = _cut(request)
    span = Span(f"{start:%d/%m/%Y} to {end:%d/%m/%Y}", start, end)
    placements = pages.records_behind(span, by, key, policies.dashboard_scope(request.user))
    shown = list(placements[: RECORDS_SHOWN + 1])
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="sanctions.placement",
        detail={
            "page": "records behind a report figure",
            "from": start.isoformat(),
            "to": end.isoformat(),
            "by": by,
            "key": key,
            "students": len({p.student_id for p in shown}),
        },
    )
    return render(
        request,
        "reports/records.html",
        {
            "span": span,
            "placements": shown[:RECORDS_SHOWN],
            "more": len(shown) > RECORDS_SHOWN,
            "by": by,
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
