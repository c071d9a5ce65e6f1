"""The roster as read from any format, before it touches the database, and what the database
already knows (so references can be checked without a query per row)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from school.importers.files import Notice, Problems, Row, Table
from school.models import Department, Form, Period, Staff, Student, TeachingClass


@dataclass
class Roster:
    """Everything an import says, keyed by the natural identifiers. A record holds only the
    fields its source gives, so a field the source does not carry is never blanked."""

    format: str
    school: dict[str, Any] | None = None
    departments: dict[str, dict] = field(default_factory=dict)  # code -> {name?}
    years: dict[str, dict] = field(default_factory=dict)  # "2026/27" -> {starts_on, ends_on}
    terms: dict[tuple[str, str], dict] = field(default_factory=dict)  # (year, kind) -> dates
    half_terms: dict[tuple[str, str, int], dict] = field(default_factory=dict)
    periods: dict[str, dict] = field(default_factory=dict)
    rooms: set[str] = field(default_factory=set)
    year_groups: set[int] = field(default_factory=set)
    subjects: dict[str, dict] = field(default_factory=dict)  # code -> {name, department?}
    forms: dict[str, dict] = field(default_factory=dict)  # code -> {year, tutor?, room?}
    staff: dict[str, dict] = field(default_factory=dict)  # staff code -> fields
    students: dict[str, dict] = field(default_factory=dict)  # UPN -> fields
    guardians: dict[str, dict] = field(default_factory=dict)  # source id -> fields
    guardian_links: dict[tuple[str, str], dict] = field(default_factory=dict)  # (UPN, gid)
    classes: dict[str, dict] = field(default_factory=dict)  # class code -> fields
    class_teachers: dict[str, dict[str, bool]] = field(default_factory=dict)  # code -> staff
    enrolments: dict[str, set[str]] = field(default_factory=dict)  # class code -> UPNs
    slots: dict[str, dict[tuple[int, str], dict]] = field(default_factory=dict)
    # What the import states in full, so what is missing from it has left.
    states_students: bool = False
    states_staff: bool = False
    states_guardian_links: bool = False
    states_classes: bool = False
    # What the import cannot use but need not refuse, for the report.
    notices: list[Notice] = field(default_factory=list)


@dataclass
class Known:
    """Codes already in the database, read once."""

    periods: set[str]
    departments: set[str]
    forms: set[str]
    staff: set[str]
    students: set[str]
    classes: set[str]

    @classmethod
    def load(cls) -> Known:
        return cls(
            periods=set(Period.objects.values_list("code", flat=True)),
            departments=set(Department.objects.values_list("code", flat=True)),
            forms=set(Form.objects.values_list("code", flat=True)),
            staff=set(Staff.objects.values_list("staff_code", flat=True)),
            students=set(Student.objects.values_list("upn", flat=True)),
            classes=set(TeachingClass.objects.values_list("code", flat=True)),
        )


class Reader:
    """Reads one table's cells by alias and records problems at `file:row:column`."""

    def __init__(self, table: Table, problems: Problems, fields: dict[str, tuple[str, ...]]):
        self.table = table
        self.problems = problems
        self.fields = fields
        self.headers = {key: table.header_for(*aliases) for key, aliases in fields.items()}

    def require_columns(self, *keys: str) -> bool:
        ok = True
        for key in keys:
            if self.headers[key] is None:
                aliases = self.fields[key]
                also = f" (also accepted: {', '.join(aliases[1:])})" if len(aliases) > 1 else ""
                self.problems.add(self.table.name, 1, aliases[0], f"missing column{also}")
                ok = False
        return ok

    def column(self, key: str) -> str:
        return self.headers[key] or self.fields[key][0]

    def has(self, key: str) -> bool:
        return self.headers[key] is not None

    def get(self, row: Row, key: str) -> str:
        header = self.headers[key]
        return self.table.value(row, header) if header else ""

    def problem(self, row: Row, key: str, message: str) -> None:
        self.problems.add(self.table.name, row.line, self.column(key), message)

    def text(self, row: Row, key: str, max_length: int) -> str:
        value = self.get(row, key)
        if len(value) > max_length:
            self.problem(row, key, f"longer than {max_length} characters")
        return value

    def email(self, row: Row, key: str) -> str:
        value = self.get(row, key)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.problem(row, key, f'"{value}" is not an email address')
        return value

    def required(self, row: Row, key: str) -> str | None:
        value = self.get(row, key)
        if not value:
            self.problem(row, key, "required, but blank")
            return None
        return value

    def parse(
        self,
        row: Row,
        key: str,
        parser: Callable[[str], Any],
        help_text: str,
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The parsed value; None after recording a problem; `default` when blank."""
        value = self.get(row, key)
        if not value:
            if required:
                self.problem(row, key, "required, but blank")
                return None
            if default is not None:
                return default
            try:
                return parser(value)
            except ValueError:
                return default
        try:
            return parser(value)
        except ValueError:
            self.problem(row, key, f'"{value}" {help_text}')
            return None
