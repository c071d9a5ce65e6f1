"""The audit log: who read or took what, and the history of who changed what."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render

from audit import policies, selectors
from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib.compiled import CompiledList
from conduct.lib.rendering import text_rows

VIEWS = (
    ("reads", "Reads, exports and sign-ins"),
    ("sign-ins", "Sign-ins and accounts"),
    ("changes", "Changes"),
)
EVENT_CELLS = ("when", "who", "what", "record", "last")
CHANGE_CELLS = ("when", "who", "record", "what", "last")


def audit_log(request):
    if not policies.can_view_audit_log(request.user):
        raise PermissionDenied
    who = request.GET.get("who", "").strip()
    view = request.GET.get("view", "reads")
    if view not in dict(VIEWS):
        view = "reads"
    rows: QuerySet | CompiledList
    if not who:
        rows = selectors.AUDIT_LOG_PAGES[view]
    elif view == "changes":
        rows = selectors.state_changes(who=who).values(*selectors.CHANGE_FIELDS)
    else:
        rows = selectors.event_values(
            selectors.audit_events(who=who, accounts_only=view == "sign-ins")
        )
    shape = selectors.change_log_rows if view == "changes" else selectors.audit_log_rows
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    # Reading the log is itself logged (after the page is read, so it does not show itself).
    page.object_list = shape(page.object_list)
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="audit.auditevent" if view == "reads" else "audit.statechange",
        detail={"page": "audit log", "view": view, "who": who[:100], "page_number": page.number},
    )
    # The cells in the order of the table's head: a change says its record before what changed.
    cells = CHANGE_CELLS if view == "changes" else EVENT_CELLS
    context = {"page": page, "who": who, "view": view, "views": VIEWS}
    context["rows_html"] = text_rows(page.object_list, cells)
    return render(request, "audit/audit_log.html", context)
