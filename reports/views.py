"""The report pages: the weekly dashboard and the records behind its figures."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock, dates
from reports import policies
from reports.selectors import pages
from reports.selectors.figures import Span
from sanctions.models import Provision

# The most records the page lists at once (a figure for five years could be thousands).
RECORDS_SHOWN = 500


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
