"""Printable documents: the day's register as an A4 PDF."""

import datetime as dt

from django.template.loader import render_to_string

from sanctions import selectors
from school.models import Room
from school.selectors import current_school, local_now


def register_document(*, room: Room, date: dt.date, user):
    """The register for `room` on `date`, laid out for A4 landscape (a WeasyPrint Document), and
    how many students it lists."""
    lines = list(
        selectors.register_lines(room.pk, date).prefetch_related(
            "work_requests__period", "work_requests__teaching_class"
        )
    )
    # Imported here: WeasyPrint needs Debian's Pango, and the rest of Conduct runs without it.
    from weasyprint import HTML

    html = render_to_string(
        "sanctions/register_pdf.html",
        {
            "room": room,
            "date": date,
            "lines": lines,
            "school": current_school(),
            "printed": local_now(),
            "user": user,
        },
    )
    return HTML(string=html).render(), len(lines)
