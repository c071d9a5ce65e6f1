"""Cells for CSV and XLSX exports that a spreadsheet shows as text, never runs as a formula.

A name imported from the MIS as `=HYPERLINK("http://evil.example","Click")` would otherwise
become a live formula when the export is opened in Excel or LibreOffice (CSV injection). As
OWASP advises, a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
written with a single quote in front, which the spreadsheet shows as text. Numbers stay numbers:
a negative number stored as a number is not a formula."""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should keep it: text that could be a formula gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a row through `safe_cell`."""
    return [safe_cell(value) for value in row]


class SafeWriter:
    """`csv.writer` whose every row goes through `safe_row`: the one way exports write CSV."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> SafeWriter:
    """A CSV writer for an export (see the module's docstring)."""
    return SafeWriter(handle, **options)
