from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent
from school import policies


def audit_log(request):
    if not policies.can_view_audit_log(request.user):
        raise PermissionDenied
    events = AuditEvent.objects.all()
    who = request.GET.get("who", "").strip()
    if who:
        events = events.filter(username__icontains=who)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "who": who})
