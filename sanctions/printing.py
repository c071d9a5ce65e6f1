"""Printable documents: the day's register as an A4 PDF."""

import datetime as dt

from django.template.loader import render_to_string

from conduct.lib import clock
from sanctions.selectors import register
from school.models import Room
from school.selectors.calendar import current_school


def register_document(*, room: Room, date: dt.date, user):
    """The register for `room` on `date`, laid out for A4 landscape (a WeasyPrint Document), and
    how many students it lists."""
    placement_days = list(register.register_placement_days(room.pk, date, viewer=user))
    # Imported here: WeasyPrint needs Debian's Pango, and the rest of Conduct runs without it.
    from weasyprint import HTML

    html = render_to_string(
        "sanctions/register_pdf.html",
        {
            "room": room,
            "date": date,
            "placement_days": placement_days,
            "school": current_school(),
            "printed": clock.now(),
            "user": user,
        },
    )
    return HTML(string=html).render(), len(placement_days)
