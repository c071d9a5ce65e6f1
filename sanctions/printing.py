"""Printable documents: the day's register as an A4 PDF."""

import datetime as dt

from django.template.loader import render_to_string

from conduct.lib import clock
from sanctions.selectors import provisions as provision_selectors
from sanctions.selectors import register
from school.models import Room
from school.selectors.calendar import current_school


def register_html(*, room: Room, date: dt.date, user) -> tuple[str, int]:
    """The printed register's HTML for `room` on `date` (the lines `user` may see), and how
    many students it lists."""
    placement_days = register.register_to_print(room.pk, date, viewer=user)
    provisions = {provision.pk: provision for provision in provision_selectors.all_provisions()}
    html = render_to_string(
        "sanctions/register_pdf.html",
        {
            "room": room,
            "date": date,
            # Each line with its provision, whose own times the line shows.
            "lines": [(line, provisions[line.provision_id]) for line in placement_days],
            "school": current_school(),
            "printed": clock.now(),
            "user": user,
        },
    )
    return html, len(placement_days)


def register_document(*, room: Room, date: dt.date, user):
    """The register for `room` on `date`, laid out for A4 landscape (a WeasyPrint Document), and
    how many students it lists."""
    html, students = register_html(room=room, date=date, user=user)
    # Imported here: WeasyPrint needs Debian's Pango, and the rest of Conduct runs without it.
    from weasyprint import HTML

    return HTML(string=html).render(), students
