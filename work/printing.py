"""Printable documents: a student's work pack for a day, as an A4 PDF."""

from django.template.loader import render_to_string

from conduct.lib import clock
from school.selectors.calendar import current_school
from work.selectors.requests import WorkPack


def work_pack_pdf(pack: WorkPack, *, user) -> bytes:
    """The pack laid out for A4 portrait: the room's day, then each lesson's work."""
    # Imported here: WeasyPrint needs Debian's Pango, and the rest of Conduct runs without it.
    from weasyprint import HTML

    html = render_to_string(
        "work/work_pack_pdf.html",
        {"pack": pack, "school": current_school(), "printed": clock.now(), "user": user},
    )
    return HTML(string=html).write_pdf()
