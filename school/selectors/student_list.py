"""The students list's page of students, read as rows: a model with its form and year group for
each of fifty students cost more than drawing them (issue 15)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from conduct.lib.compiled import CompiledList, compiled_query
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


# The list without search words (the page as it opens, and a year chosen) compiled once for each
# shape of reader: the whole school, or one year group (its id an argument, as `scope_q` cuts to
# it); a year chosen adds its number as an argument. Search words, and a head of several years,
# vary the SQL: read through the ORM.
_LISTS: dict[tuple[bool, bool], tuple[Callable[..., list], Callable[..., list]]] = {}
# A year number beyond the column's range matches nothing: the ORM leaves the comparison out.
_YEAR_NUMBERS = range(1, 32768)


def _on_roll(one_year: bool, chosen_year: bool, *args: int) -> QuerySet:
    """The students on roll in the reader's year (`one_year`: its id the first of `args`) and
    in the year chosen (`chosen_year`: its number the last), as `student_search` and
    `students_in_scope` cut them."""
    students = Student.objects.filter(left_on__isnull=True)
    if chosen_year:
        students = students.filter(year_group__number=args[-1])
    if one_year:
        students = students.filter(Q(year_group_id__in=[args[0]]))
    return students


def _compiled_list(one_year: bool, chosen_year: bool):
    """The compiled reads of the list's rows and count (`CompiledList`) for one shape."""
    key = (one_year, chosen_year)
    if key not in _LISTS:

        def rows(*args: int) -> QuerySet:
            return (
                _on_roll(one_year, chosen_year, *args)
                .order_by("legal_last_name", "legal_first_name")
                .values_list(*_FIELDS)
            )

        def counted(*args: int) -> QuerySet:
            # Counted without the form and the year joined (every student has one year and at
            # most one form): a scan of the students alone.
            return (
                _on_roll(one_year, chosen_year, *args)
                .order_by()
                .values("left_on")
                .annotate(n=Count("pk"))
                .values_list("n", flat=True)
            )

        # compiled_query takes a read's arguments from its function's: one name for each.
        read = _READ_OF_ARITY[one_year + chosen_year]
        _LISTS[key] = (compiled_query(read(rows), paged=True), compiled_query(read(counted)))
    return _LISTS[key]


_READ_OF_ARITY: dict[int, Callable[[Callable[..., QuerySet]], Callable[..., QuerySet]]] = {
    0: lambda build: lambda: build(),
    1: lambda build: lambda a: build(a),
    2: lambda build: lambda a, b: build(a, b),
}


def student_list_values(reader, *, query: str, year: int | None) -> QuerySet | CompiledList:
    """The students `reader` may see matching `query` (and in Year `year`), in name order, as
    rows of values for `student_rows`, for a Paginator."""
    if not query.split() and (not year or year in _YEAR_NUMBERS):
        scope = policies.scope_q(reader, policies.STUDENT_READERS)
        year_id = policies.one_year_scope(reader, policies.STUDENT_READERS)
        if not scope or year_id is not None:
            one_year = year_id is not None
            rows, counts = _compiled_list(one_year, bool(year))
            args = ((year_id,) if one_year else ()) + ((year,) if year else ())
            return CompiledList(rows, counts, args)
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
