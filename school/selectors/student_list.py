"""The students list's page of students, read as rows: a model with its form and year group for
each of fifty students cost more than drawing them (issue 15)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from school import policies
from school.models import Student, YearGroup, student_flags, year_group_label
from school.selectors import people as school_people

# What the list shows of each student.
_FIELDS = (
    "pk",
    "legal_first_name",
    "legal_last_name",
    "preferred_first_name",
    "preferred_last_name",
    "form__code",
    "year_group_id",
    "year_group__number",
    "sen_status",
    "fsm",
    "pupil_premium",
    "eal",
    "looked_after",
)


@dataclass(frozen=True, slots=True)
class StudentRow:
    """A student as the list shows them."""

    url: str
    first_name: str  # the preferred names where there are some
    last_name: str
    form: str  # its code, "" for none
    year: int
    flags: list[tuple[str, str]]
    show_flags: bool  # whether the reader may see this student's needs and context


def student_list_values(reader, *, query: str, year: int | None) -> QuerySet:
    """The students `reader` may see matching `query` (and in Year `year`), in name order, as
    rows of values for `student_rows`."""
    students = school_people.student_search(query, year=year)
    return policies.students_in_scope(reader, students).values_list(*_FIELDS)


def student_rows(values, *, reader, show_sensitive: bool) -> list[StudentRow]:
    """Rows of `student_list_values` as the list shows them; their needs and context marked
    shown where `reader` may see them (`show_sensitive`: they may see some student's)."""
    student_url = url_maker("student-detail")  # reversed once, not once a row
    # A head of year who also teaches sees every student, and the needs of their years': the
    # policy is asked once for each year group on the page, of a student of that year.
    sensitive_in_year: dict[int, bool] = {}
    rows = []
    for pk, first, last, preferred_first, preferred_last, form, year_id, year, *flags in values:
        if show_sensitive and year_id not in sensitive_in_year:
            sensitive_in_year[year_id] = policies.can_view_student_sensitive(
                reader, Student(pk=pk, year_group_id=year_id)
            )
        sen_status, fsm, pupil_premium, eal, looked_after = flags
        rows.append(
            StudentRow(
                url=student_url(pk),
                first_name=preferred_first or first,
                last_name=preferred_last or last,
                form=form or "",
                year=year,
                flags=student_flags(
                    sen_status=sen_status,
                    fsm=fsm,
                    pupil_premium=pupil_premium,
                    eal=eal,
                    looked_after=looked_after,
                ),
                show_flags=show_sensitive and sensitive_in_year[year_id],
            )
        )
    return rows


# A read of one fixed shape, its SQL built once (conduct.lib.compiled).
_YEARS = compiled_query(lambda: YearGroup.objects.order_by("number").values_list("number", "name"))


def year_choices() -> list[tuple[int, str]]:
    """The year filter's choices: (number, "Year 9"), in order."""
    return [(number, year_group_label(name, number)) for number, name in _YEARS()]
