"""A subject access request as a zip: a readable PDF (WeasyPrint) and the same as JSON."""

import io
import json
import re
import zipfile

from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from privacy.selectors.subject_access import SubjectAccess
from school.selectors.calendar import current_school

README = """Subject access request: {name}

subject-access.pdf   everything Conduct holds about the student, to read and print
subject-access.json  the same, for a machine to read

Before this is released: every name marked for redaction (highlighted in the PDF, listed
under "redact" in the JSON) belongs to someone else; remove it, or record why it may be
released. Records at confidentiality levels not listed were not included: {levels}.
"""


def _marked(value, names: list[str]) -> str:
    """`value` as HTML, the names in `names` wrapped in <mark> (for redaction)."""
    if isinstance(value, list):
        value = "; ".join(
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value
        )
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, indent=1)
    text = "" if value is None else str(value)
    if not names:
        return escape(text)
    pattern = re.compile(
        "(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")",
        re.IGNORECASE,
    )
    parts = pattern.split(text)
    return "".join(
        f'<mark class="redact">{escape(part)}</mark>' if i % 2 else escape(part)
        for i, part in enumerate(parts)
    )


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _shown(value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def subject_access_html(bundle: SubjectAccess, *, requester) -> str:
    """The request as one HTML page for WeasyPrint, the names to redact in <mark>."""
    sections = [
        {
            "title": section.title,
            "records": [
                {
                    "id": record.id,
                    "fields": [
                        (
                            _label(name),
                            mark_safe(
                                _marked(_shown(v) if isinstance(v, bool) else v, record.redact)
                            ),
                        )
                        for name, v in record.fields.items()
                        if v not in (None, "", [], {})
                    ],
                    "redact": record.redact,
                }
                for record in records
            ],
        }
        for section, records in bundle.sections
    ]
    return render_to_string(
        "privacy/subject_access_pdf.html",
        {
            "bundle": bundle,
            "personal": [(_label(k), _shown(v)) for k, v in bundle.personal.items()],
            "sections": sections,
            "requester": requester,
            "school": current_school(),
        },
    )


def subject_access_pdf(bundle: SubjectAccess, *, requester) -> bytes:
    from weasyprint import HTML  # needs Debian's Pango: imported only when printing

    return HTML(string=subject_access_html(bundle, requester=requester)).write_pdf()


def subject_access_zip(bundle: SubjectAccess, *, requester) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(name=bundle.student.name, levels=", ".join(bundle.levels)),
        )
        archive.writestr(
            "subject-access.json", json.dumps(bundle.as_json(), ensure_ascii=False, indent=2)
        )
        archive.writestr("subject-access.pdf", subject_access_pdf(bundle, requester=requester))
    return buffer.getvalue()
