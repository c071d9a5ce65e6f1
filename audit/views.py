"""The audit log: who read or took what, and the history of who changed what."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit import policies, selectors

VIEWS = (
    ("reads", "Reads, exports and sign-ins"),
    ("sign-ins", "Sign-ins and accounts"),
    ("changes", "Changes"),
)


def audit_log(request):
    if not policies.can_view_audit_log(request.user):
        raise PermissionDenied
    who = request.GET.get("who", "").strip()
    view = request.GET.get("view", "reads")
    if view not in dict(VIEWS):
        view = "reads"
    if view == "changes":
        rows = selectors.state_changes(who=who)
    else:
        rows = selectors.audit_events(who=who, accounts_only=view == "sign-ins")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(
        request, "audit/audit_log.html", {"page": page, "who": who, "view": view, "views": VIEWS}
    )
