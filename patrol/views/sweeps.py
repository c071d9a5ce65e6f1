"""Corridor sweeps from the patrol phone, and the students they find, for attendance staff."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from audit.models import AuditEvent
from audit.services import audit_record
from conduct import submissions
from conduct.lib import clock
from conduct.lib.errors import ActionRefused, message_of
from conduct.lib.forms import errors_into
from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from patrol import policies
from patrol.forms import FindingForm, FinishSweepForm
from patrol.models import Sweep, SweepFinding
from patrol.selectors import sweeps as sweeps_selectors
from patrol.services import sweeps as sweeps_services
from patrol.views import home
from school.models import staff_display_name

SWEEP_TAB = "?tab=sweep"


@require_POST
def sweep_start(request):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    tab = reverse("patrol-home") + SWEEP_TAB
    try:
        with transaction.atomic():
            submission = submissions.claim(request)
            sweeps_services.sweep_start(by=request.user)
            submission.done(tab)
    except submissions.AlreadySubmitted as first:
        return redirect(first.url or tab)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Sweep started. Record anyone you find out of lessons.")
    return redirect(tab)


@require_POST
def sweep_find(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    if not Sweep.objects.filter(pk=sweep_id).exists():
        raise Http404("No such sweep")
    form = FindingForm(request.POST)
    if form.is_valid():
        tab = reverse("patrol-home") + SWEEP_TAB
        try:
            with transaction.atomic():
                submission = submissions.claim(request)
                finding = sweeps_services.sweep_record_finding(
                    sweep_id=sweep_id,
                    by=request.user,
                    student=form.cleaned_data["student"],
                    found_where=form.cleaned_data["found_where"],
                    note=form.cleaned_data["note"],
                )
                submission.done(tab)
        except submissions.AlreadySubmitted as first:
            return redirect(first.url or tab)
        except ValidationError as error:
            errors_into(form, error)
        else:
            should = (
                finding.should_be_class.code if finding.should_be_class else finding.should_be_text
            )
            messages.success(
                request,
                f"Recorded {finding.student.name} (should be in {should}). "
                "Attendance staff can see it now.",
            )
            return redirect(tab)
    return home.patrol_home(request, tab="sweep", forms={"finding": form}, status=400)


@require_POST
def sweep_finish(request, sweep_id: int):
    if not policies.can_sweep(request.user):
        raise PermissionDenied
    if not Sweep.objects.filter(pk=sweep_id).exists():
        raise Http404("No such sweep")
    form = FinishSweepForm(request.POST)
    if form.is_valid():
        try:
            sweeps_services.sweep_finish(
                sweep_id=sweep_id,
                by=request.user,
                rooms=form.cleaned_data["rooms"],
                areas=form.cleaned_data["areas"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, "Sweep finished.")
            return redirect(reverse("patrol-home") + SWEEP_TAB)
    return home.patrol_home(request, tab="sweep", forms={"finish": form}, status=400)


def _day(moment: dt.datetime) -> str:
    # As the date filter's "D j M" writes it ("Wed 25 Nov"), in the zone given.
    return f"{moment:%a} {moment.day} {moment:%b}"


def _staff_or_user(row: dict, user: str) -> str:
    """`{{ user.staff.display_name|default:user.get_full_name }}` from a finding's columns."""
    if row[f"{user}__staff__id"] is not None:
        name = staff_display_name(
            row[f"{user}__staff__title"],
            row[f"{user}__staff__first_name"],
            row[f"{user}__staff__last_name"],
        )
        if name:
            return name
    first, last = row[f"{user}__first_name"], row[f"{user}__last_name"]
    return f"{first or ''} {last or ''}".strip()


def _student_name(row: dict) -> str:
    first = row["student__preferred_first_name"] or row["student__legal_first_name"]
    last = row["student__preferred_last_name"] or row["student__legal_last_name"]
    return f"{first} {last}"


def _to_deal_with_html(rows: list[dict], *, can_mark: bool, csrf_token: str) -> SafeString:
    """The rows of students found out of lessons to deal with, as the page's loop wrote them
    (issue 15)."""
    zone = timezone.get_current_timezone()
    student_url = url_maker("student-detail")
    dealt_url = url_maker("found-out-of-lessons-dealt-with")
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    out = []
    for f in rows:
        found = f["found_at"].astimezone(zone)
        name = escape(_student_name(f))
        note = f'<br><span class="muted">{escape(f["note"])}</span>' if f["note"] else ""
        period = f["period__name"] or ""
        if f["should_be_class_id"] is not None:
            should_be = f"{escape(period)} · {escape(f['should_be_class__code'])}"
            if f["should_be_room_id"] is not None:
                should_be += f" in {escape(f['should_be_room__code'])}"
            if f["should_be_teacher_id"] is not None:
                teacher = staff_display_name(
                    f["should_be_teacher__title"],
                    f["should_be_teacher__first_name"],
                    f["should_be_teacher__last_name"],
                )
                should_be += f" · {escape(teacher)}"
        else:
            should_be = f"{escape(period)} {escape(f['should_be_text'])}"
        mark = ""
        if can_mark:
            pk = f["pk"]
            mark = (
                '<td data-label="Dealt with">\n'
                f'          <form method="post" action="{escape(dealt_url(pk))}" class="stack">\n'
                f"            {csrf}\n"
                f'            <label for="dealt-{pk}" class="visually-hidden">Note for {name}'
                "</label>\n"
                f'            <input type="text" id="dealt-{pk}" name="note" maxlength="300" '
                'placeholder="Note (optional)" autocomplete="off">\n'
                '            <button type="submit" class="button small">Dealt with'
                f'<span class="visually-hidden">: {name}</span></button>\n'
                "          </form>\n"
                "        </td>"
            )
        out.append(
            "\n      <tr>\n"
            f'        <td class="nowrap" data-label="Found">{_day(found)} {found:%H:%M}</td>\n'
            f'        <td data-label="Student"><a href="{escape(student_url(f["student_id"]))}">'
            f'{name}</a> <span class="muted">{escape(f["student__form__code"] or "")}</span></td>\n'
            f'        <td data-label="Where found">{escape(f["found_where"])}{note}</td>\n'
            f'        <td data-label="Should have been in">{should_be}</td>\n'
            f'        <td data-label="Found by">{escape(_staff_or_user(f, "sweep__staff"))}</td>\n'
            f"        {mark}\n"
            "      </tr>\n      "
        )
    return mark_safe("".join(out))


def _dealt_with_html(rows: list[dict]) -> SafeString:
    """The rows of students found out of lessons dealt with, as the page's loop wrote them."""
    zone = timezone.get_current_timezone()
    out = []
    for f in rows:
        found = f["found_at"].astimezone(zone)
        dealt = f["dealt_with_at"].astimezone(zone)
        should_be = (
            f["should_be_class__code"]
            if f["should_be_class_id"] is not None
            else f["should_be_text"]
        )
        note = f" · {escape(f['dealt_with_note'])}" if f["dealt_with_note"] else ""
        out.append(
            "\n      <tr>\n"
            f'        <td class="nowrap" data-label="Found">{_day(found)} {found:%H:%M}</td>\n'
            f'        <td data-label="Student">{escape(_student_name(f))}</td>\n'
            f'        <td data-label="Should have been in">{escape(should_be)}</td>\n'
            f'        <td data-label="Dealt with">{_day(dealt)} {dealt:%H:%M} · '
            f"{escape(_staff_or_user(f, 'dealt_with_by'))}{note}</td>\n"
            "      </tr>\n      "
        )
    return mark_safe("".join(out))


def found_out_of_lessons(request):
    if not policies.can_view_found_out_of_lessons(request.user):
        raise PermissionDenied
    now = clock.now()
    to_deal_with = sweeps_selectors.finding_values(dealt_with=False)
    dealt_with = sweeps_selectors.finding_values(
        dealt_with=True, since=now.date() - dt.timedelta(days=14)
    )
    audit_record(
        request=request,
        action=AuditEvent.Action.VIEW,
        object_type="patrol.sweepfinding",
        detail={
            "page": "found out of lessons",
            "to_deal_with": len(to_deal_with),
            "dealt_with": len(dealt_with),
        },
    )
    can_mark = policies.can_mark_finding_dealt_with(request.user)
    return render(
        request,
        "patrol/found_out_of_lessons.html",
        {
            "to_deal_with": to_deal_with,
            "to_deal_with_html": _to_deal_with_html(
                to_deal_with, can_mark=can_mark, csrf_token=get_token(request)
            ),
            "dealt_with": dealt_with,
            "dealt_with_html": _dealt_with_html(dealt_with),
            "can_mark": can_mark,
        },
    )


@require_POST
def found_out_of_lessons_dealt_with(request, finding_id: int):
    if not policies.can_mark_finding_dealt_with(request.user):
        raise PermissionDenied
    if not SweepFinding.objects.filter(pk=finding_id).exists():
        raise Http404("No such record")
    try:
        finding = sweeps_services.finding_mark_dealt_with(
            finding_id=finding_id, by=request.user, note=request.POST.get("note", "")[:300]
        )
    except ActionRefused as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, f"{finding.student.name}: marked dealt with.")
    return redirect("found-out-of-lessons")
