"""The half-termly report as files: a PDF for governors (naming no student), an XLSX workbook
with one sheet per breakdown, and a CSV."""

import io
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from conduct.lib import clock, spreadsheets
from school.selectors.calendar import current_school

# Kept apart from the template: page templates carry no inline style (the CSP test reads them all).
PDF_STYLESHEET = Path(__file__).resolve().parent / "half_term_pdf.css"


def _tables(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Every table of the report: a title, its headings and its rows (no student named)."""
    spans = [span.label for span in report["spans"]]
    tables = []
    for provision in report["provisions"]:
        tables.append(
            (
                provision["name"],
                ["Measure", *spans],
                [[row.label, *[c["value"] for c in row.cells]] for row in provision["rows"]],
            )
        )
    tables.append(
        (
            "On-call",
            ["Measure", *spans],
            [[row.label, *[c["value"] for c in row.cells]] for row in report["on_call"]],
        )
    )
    tables.append(
        (
            "Follow-up and rates",
            ["Measure", *spans],
            [[row.label, *[c["value"] for c in row.cells]] for row in report["follow_up"]],
        )
    )
    for chart in report["charts"]:
        tables.append(
            (
                chart["title"],
                ["", chart.get("heading", "Placements")],
                [[r["label"], r["count"]] for r in chart["rows"]],
            )
        )
    tables.append(
        (
            "By lesson and weekday",
            ["Lesson", *report["weekdays"]],
            [[row["period"], *[c["n"] for c in row["cells"]]] for row in report["heatmap"]],
        )
    )
    tables.append(
        (
            "Disproportionality",
            [
                "Group",
                "Students",
                "Placed",
                "Rate %",
                "Others' rate %",
                "Risk ratio",
                "95% CI low",
                "95% CI high",
                "Reading",
            ],
            [
                [g.label, "suppressed", "", "", "", "", "", "", ""]
                if g.suppressed
                else [
                    g.label,
                    g.students,
                    g.placed,
                    g.rate,
                    g.others_rate,
                    g.risk_ratio,
                    g.low,
                    g.high,
                    g.sentence,
                ]
                for g in report["groups"]
            ],
        )
    )
    return tables


def report_csv(report: dict[str, Any]) -> str:
    """One CSV: each table under its title, a blank line between."""
    out = io.StringIO()
    writer = spreadsheets.csv_writer(out)
    for title, headings, rows in _tables(report):
        writer.writerow([title])
        writer.writerow(headings)
        writer.writerows(rows)
        writer.writerow([])
    return out.getvalue()


def report_xlsx(report: dict[str, Any], *, title: str, commentary: str) -> bytes:
    """The workbook: a sheet per table, and the written analysis on the first."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    first.title = "Report"
    first.append(spreadsheets.safe_row([title]))
    first["A1"].font = Font(bold=True, size=14)
    first.append([f"Generated {clock.now():%d/%m/%Y %H:%M}"])
    first.append([])
    first.append(["Written analysis"])
    for line in (commentary or "None written yet.").split("\n"):
        first.append(spreadsheets.safe_row([line]))
    used: set[str] = set()
    for table_title, headings, rows in _tables(report):
        name = "".join(ch for ch in table_title if ch not in "[]:*?/\\")[:31]
        while name in used:
            name = name[:29] + f"{len(used) % 100:02}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(spreadsheets.safe_row(headings))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(spreadsheets.safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: dict[str, Any], *, title: str, commentary: str, user) -> bytes:
    """The A4 report for governors: figures, breakdowns and groups, no student named."""
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reports/half_term_pdf.html",
        {
            **report,
            "title": title,
            "commentary": commentary,
            "school": current_school(),
            "printed": clock.now(),
            "user": user,
        },
    )
    return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])
