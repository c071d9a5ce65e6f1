"""The patrol's phone page: visits to make, the watch list with where-now, the sweep."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from audit.models import AuditEvent
from audit.services import audit_record
from conduct.lib import clock
from patrol import policies
from patrol.forms import FindingForm, FinishSweepForm
from patrol.models import SentOut
from patrol.selectors import sent_out as sent_out_selectors
from patrol.selectors import sweeps as sweeps_selectors
from patrol.selectors import watch_list as watch_list_selectors
from patrol.views import inputs
from school.models import Student

TABS = (("visits", "Visits to make"), ("watch", "Watch list"), ("sweep", "Sweep"))


def patrol_home(request, *, tab=None, forms=None, status=200):
    """The patrol's phone page: visits to make, the watch list with where-now, the sweep."""
    if not policies.can_patrol(request.user):
        raise PermissionDenied
    tab = tab or request.GET.get("tab", "visits")
    if tab not in dict(TABS):
        tab = "visits"
    now = clock.now()
    forms = forms or {}
    context = {"tab": tab, "tabs": TABS, "now": now}
    if tab == "visits":
        context["outcomes"] = SentOut.Outcome.choices
        if request.GET.get("part") == "list":
            context["to_visit"] = sent_out_selectors.sent_out_to_visit(now=now)
            return render(request, "patrol/_visits.html", context)
        context["to_visit"], context["visited"] = sent_out_selectors.sent_out_today(now=now)
        context["visit_errors"] = forms.get("visit_errors", {})
    elif tab == "watch":
        context["watched"] = watch_list_selectors.watch_list_where_now(now=now, reader=request.user)
        for w in context["watched"]:
            w.show_reason = policies.can_read_watch_reason(request.user, w.student)
        audit_record(
            request=request,
            action=AuditEvent.Action.VIEW,
            object_type="patrol.watchlistentry",
            detail={"page": "patrol watch list", "students": len(context["watched"])},
        )
    else:
        sweep = sweeps_selectors.sweep_open_for(request.user)
        query = request.GET.get("q", "")
        not_lesson_time = sweeps_selectors.not_lesson_time(now)
        context |= {
            "not_lesson_time": not_lesson_time,
            "sweep": sweep,
            "query": query,
            "matches": inputs.student_matches(query) if sweep and not not_lesson_time else [],
            "finding_form": forms.get("finding") or FindingForm(),
            "finish_form": forms.get("finish") or FinishSweepForm(),
            "sweeps": sweeps_selectors.sweeps_today(now=now),
        }
        chosen = forms.get("finding")
        student_id = inputs.row_id(chosen.data.get("student")) if chosen is not None else None
        if student_id is not None:
            context["matches"] = list(
                Student.objects.filter(pk=student_id, left_on__isnull=True)
            ) + [m for m in context["matches"] if m.pk != student_id]
    return render(request, "patrol/patrol.html", context, status=status)
