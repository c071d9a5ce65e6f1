"""The duty rota: the week with its coverage check, duties and staff absences."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from conduct.lib import clock, refcache
from conduct.lib.errors import message_of
from conduct.lib.forms import errors_into
from conduct.lib.rendering import Choices, field_html
from conduct.lib.urls import url_maker
from patrol import policies, rendering
from patrol.forms import AbsenceForm, DutyForm
from patrol.selectors import rota as rota_selectors
from patrol.services import rota as rota_services
from school.selectors import people as school_people

# The rota looks back and ahead at most this far (a week of year 0001 or 9999 is no week).
ROTA_REACH = dt.timedelta(days=2 * 366)


def _week_from(value: str | None, today: dt.date) -> dt.date | None:
    """The Monday of the week asked for (this week when none or no date was given), or None
    when the date is too far from today to have a rota."""
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    if not today - ROTA_REACH <= day <= today + ROTA_REACH:
        return None
    return rota_selectors.monday_of(day)


def rota(request, *, duty_form=None, absence_form=None, status=200):
    """The week's duties, periods down and days across, with the coverage check."""
    if not policies.can_view_rota(request.user):
        raise PermissionDenied
    today = clock.today()
    source = request.POST if request.method == "POST" else request.GET
    monday = _week_from(source.get("week"), today)
    if monday is None:
        messages.error(
            request,
            f"No rota for the week of {source.get('week')}: the rota covers two years either "
            "side of today. Here is this week.",
        )
        return redirect("rota")
    me = school_people.staff_for_user(request.user)
    week = rota_selectors.rota_week(monday, me=me.pk if me else None, today=today)
    can_manage = policies.can_manage_rota(request.user)
    default_day = today if monday <= today <= monday + dt.timedelta(days=4) else monday
    gaps = week.gaps
    fields = {}
    if can_manage:
        fields = {
            **_duty_fields(duty_form, default_day, week.periods),
            **_absence_fields(absence_form, default_day),
        }
    return render(
        request,
        "patrol/rota.html",
        {
            "week": week,
            # The dates as the template's date filter would write them ("j F Y", "Y-m-d"),
            # without its formatter for each.
            "week_of": f"{monday.day} {monday:%B %Y}",
            "week_value": monday.isoformat(),
            "previous_week": (monday - dt.timedelta(days=7)).isoformat(),
            "next_week": (monday + dt.timedelta(days=7)).isoformat(),
            "gap_count": len(gaps),
            "gap_items": rendering.gap_items(gaps),
            "rota_head": rendering.rota_head(week, today=today),
            # Reversed once: a week holds a hundred or more duties.
            "rota_rows": rendering.rota_rows(
                week, remove_url=url_maker("duty-remove") if can_manage else None
            ),
            "absence_items": rendering.absence_items(
                week,
                remove_url=url_maker("absence-remove") if can_manage else None,
                csrf_token=get_token(request) if can_manage else "",
            ),
            "can_manage": can_manage,
            "duty_form": duty_form,
            "absence_form": absence_form,
            "fields": fields,
        },
        status=status,
    )


def _duty_fields(form: DutyForm | None, default_day: dt.date, periods) -> dict[str, str]:
    """The duty form's fields as the page writes them (conduct.lib.rendering.field_html). A
    blank form's depend only on its day and the reference data (the staff, rooms and periods
    offered): written once a day and kept with that data (conduct.lib.refcache); a form sent
    back with its errors is written each time."""

    def write(form: DutyForm) -> dict[str, str]:
        # The staff and rooms as options written with the reference data (the fields'
        # querysets still decide what is valid); the periods are the week's.
        form.fields["staff"].choices = rota_selectors.staff_options()
        form.fields["room"].choices = rota_selectors.room_options()
        form.fields["period"].choices = Choices(
            [("", rota_selectors.BLANK), *((p.pk, str(p)) for p in periods)]
        )
        return {f"duty_{name}": field_html(form[name]) for name in form.fields}

    if form is not None:
        return write(form)
    return refcache.cached(
        f"rota_duty_fields:{default_day.isoformat()}",
        lambda: write(DutyForm(initial={"date": default_day})),
    )


def _absence_fields(form: AbsenceForm | None, default_day: dt.date) -> dict[str, str]:
    """The absence form's fields, as `_duty_fields` writes the duty form's."""

    def write(form: AbsenceForm) -> dict[str, str]:
        form.fields["staff"].choices = rota_selectors.staff_options()
        return {f"absence_{name}": field_html(form[name]) for name in form.fields}

    if form is not None:
        return write(form)
    return refcache.cached(
        f"rota_absence_fields:{default_day.isoformat()}",
        lambda: write(AbsenceForm(initial={"starts_on": default_day, "ends_on": default_day})),
    )


def _rota_back(request):
    week = request.POST.get("week", "")
    return redirect(f"{reverse('rota')}?week={week}" if week else reverse("rota"))


@require_POST
def duty_add(request):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    form = DutyForm(request.POST)
    if form.is_valid():
        try:
            duty = rota_services.duty_add(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                f"{duty.staff.display_name}: {duty.get_kind_display()}, "
                f"{duty.date:%a %-d %b} {duty.period.name}.",
            )
            return _rota_back(request)
    return rota(request, duty_form=form, status=400)


@require_POST
def duty_remove(request, duty_id: int):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    try:
        rota_services.duty_remove(duty_id=duty_id, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Duty removed.")
    return _rota_back(request)


@require_POST
def absence_add(request):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            absence = rota_services.staff_absence_add(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, f"{absence.staff.display_name} recorded away.")
            return _rota_back(request)
    return rota(request, absence_form=form, status=400)


@require_POST
def absence_remove(request, absence_id: int):
    if not policies.can_manage_rota(request.user):
        raise PermissionDenied
    try:
        rota_services.staff_absence_remove(absence_id=absence_id, by=request.user)
    except ValidationError as error:
        messages.error(request, message_of(error))
    else:
        messages.success(request, "Absence removed.")
    return _rota_back(request)
