"""Reads of the school's people: finding students, a student's profile, the staff record of an
account, the counts per year group, and what the data manager has loaded."""

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Model, Q

from conduct.lib import refcache
from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from school.models import (
    Department,
    Form,
    Guardian,
    ImportRun,
    Staff,
    Student,
    StudentGuardian,
    TeachingClass,
    Term,
    TimetableSlot,
    YearGroup,
)
from school.selectors import calendar as school_calendar


def student_search(query: str = "", *, year: int | None = None, on_roll: bool = True):
    """Students matching a name, UPN or form, in name order."""
    students = Student.objects.select_related("year_group", "form")
    if on_roll:
        students = students.filter(left_on__isnull=True)
    if year:
        students = students.filter(year_group__number=year)
    for word in query.split():
        students = students.filter(
            Q(legal_first_name__icontains=word)
            | Q(legal_last_name__icontains=word)
            | Q(preferred_first_name__icontains=word)
            | Q(preferred_last_name__icontains=word)
            | Q(upn__iexact=word)
            | Q(form__code__iexact=word)
        )
    return students.order_by("legal_last_name", "legal_first_name")


# A student's page reads the student with their year and its head, their form and its tutor:
# one row of each model's columns, its SQL built once (conduct.lib.compiled) where the ORM's
# `select_related(...).get()` built it on every page (~1 ms of the page's ~8, issue 15).
_PROFILE_MODELS = (
    (Student, ""),
    (YearGroup, "year_group__"),
    (Staff, "year_group__head_of_year__"),
    (Form, "form__"),
    (Staff, "form__tutor__"),
)
# The profile's columns: each model's, in `_PROFILE_MODELS`' order.
_PROFILE_COLUMNS = [
    prefix + field.attname
    for model, prefix in _PROFILE_MODELS
    for field in model._meta.concrete_fields
]


M = TypeVar("M", bound=Model)


def _model_from(model: type[M], values: Iterator[Any]) -> M | None:
    """The next `model` among a profile row's `values`, or None when its columns are empty (a
    relation with no row: no form, no tutor)."""
    names = [field.attname for field in model._meta.concrete_fields]
    part = [next(values) for _ in names]
    # The primary key comes first.
    return model.from_db(DEFAULT_DB_ALIAS, names, part) if part[0] is not None else None


def _student_from(values: Iterator[Any]) -> Student:
    """The student of a profile row's `values` (`_PROFILE_COLUMNS`), with their year, form and
    tutor."""
    student = _model_from(Student, values)
    year_group = _model_from(YearGroup, values)
    head_of_year = _model_from(Staff, values)
    form = _model_from(Form, values)
    tutor = _model_from(Staff, values)
    assert student is not None and year_group is not None, "the student's row; a year is required"
    YearGroup._meta.get_field("head_of_year").set_cached_value(year_group, head_of_year)
    if form is not None:
        Form._meta.get_field("tutor").set_cached_value(form, tutor)
    Student._meta.get_field("year_group").set_cached_value(student, year_group)
    Student._meta.get_field("form").set_cached_value(student, form)
    return student


def profile_read(**annotations: Any) -> Callable[[int], tuple[Student, tuple]]:
    """A read of the student as `student_profile` gives them, and of the values of
    `annotations` (expressions on the student's row, e.g. `Exists(...)` of their records) in
    their order, from the same query: a page that needs both makes one query where it made two
    (`student_profile` is this read without annotations). Made once, at import (its SQL is
    compiled per connection); the read raises Student.DoesNotExist."""
    read = compiled_query(
        lambda student_id: (
            Student.objects.filter(pk=student_id)
            .annotate(**annotations)
            .values_list(*_PROFILE_COLUMNS, *annotations)
        )
    )

    def profile(student_id: int) -> tuple[Student, tuple]:
        rows = read(student_id)
        if not rows:
            raise Student.DoesNotExist(f"No student {student_id}")
        values = iter(rows[0])
        return _student_from(values), tuple(values)

    return profile


_PROFILE = profile_read()


def student_profile(student_id: int) -> Student:
    """One student with year, form and tutor loaded (as `select_related` loads them: the
    relations set, None where there is none); raises Student.DoesNotExist."""
    student, _ = _PROFILE(student_id)
    return student


@dataclass(frozen=True)
class GuardianContact:
    """A parent or carer as the student's page shows their contact details."""

    pk: int  # the guardian's
    name: str  # as `Guardian.__str__` words it
    priority: int
    relationship_label: str
    parental_responsibility: bool
    preferred_channel_label: str
    mobile: str
    email: str
    address: str
    postcode: str


_RELATIONSHIPS = dict(StudentGuardian.Relationship.choices)
_CHANNELS = dict(Guardian.Channel.choices)
_GUARDIAN_CONTACTS = compiled_query(
    lambda student_id: (
        StudentGuardian.objects.filter(student_id=student_id)
        .order_by("priority")
        .values_list(
            "guardian_id",
            "guardian__title",
            "guardian__first_name",
            "guardian__last_name",
            "priority",
            "relationship",
            "parental_responsibility",
            "guardian__preferred_channel",
            "guardian__mobile",
            "guardian__email",
            "guardian__address",
            "guardian__postcode",
        )
    )
)


def guardian_contacts(student: Student) -> list[GuardianContact]:
    """The student's parents and carers, in priority order (one query): for a page that shows
    them only to some readers, once it knows it will."""
    return [
        GuardianContact(
            pk=pk,
            name=f"{title} {first_name} {last_name}".strip(),
            priority=priority,
            relationship_label=_RELATIONSHIPS.get(relationship, relationship),
            parental_responsibility=responsibility,
            preferred_channel_label=_CHANNELS.get(channel, channel),
            mobile=mobile,
            email=email,
            address=address,
            postcode=postcode,
        )
        for (
            pk,
            title,
            first_name,
            last_name,
            priority,
            relationship,
            responsibility,
            channel,
            mobile,
            email,
            address,
            postcode,
        ) in _GUARDIAN_CONTACTS(student.pk)
    ]


def departments() -> list[Department]:
    """Every department, in name order. Kept in the reference data cache until the next change
    to departments (conduct/lib/refcache.py): never change the records returned."""
    return list(refcache.cached("departments", lambda: list(Department.objects.order_by("name"))))


def staff_for_user(user) -> Staff | None:
    """The staff record linked to a signed-in account (with its department), or None. Kept in
    the reference data cache until the next change to staff or departments
    (conduct/lib/refcache.py): never change the record returned."""
    if not user or not user.is_authenticated:
        return None
    return refcache.cached(
        f"staff:{user.pk}",
        lambda: Staff.objects.filter(user=user).select_related("department").first(),
    )


# Whether a user's staff record reaches every year, and the years it leads and is assigned: read
# on every page of a year-scoped person (`school.policies.pastoral_year_ids`), so compiled once.
_YEARS_OF_USER = compiled_query(
    lambda user_id: Staff.objects.filter(user_id=user_id).values_list(
        "whole_school", "years_led", "year_groups"
    )
)


def pastoral_year_ids(user) -> frozenset[int] | None:
    """The year groups the member of staff signed in as `user` works with pastorally: the years
    they lead and the years assigned to them; None when the school widened them to every year
    (one query)."""
    if not user or not user.is_authenticated:
        return frozenset()
    rows = _YEARS_OF_USER(user.pk)
    if any(whole_school for whole_school, _, _ in rows):
        return None
    return frozenset(pk for _, *years in rows for pk in years if pk is not None)


@dataclass(frozen=True)
class YearSummary:
    label: str  # "Year 9"
    url: str  # the student list for the year
    on_roll: int
    sen_support: int
    ehcp: int
    fsm: int
    pupil_premium: int
    eal: int
    looked_after: int


def _year_reads(year_ids: frozenset[int] | list[int] | None):
    """The year groups (those in `year_ids`, when given) and their students' counts, as
    querysets."""
    years = YearGroup.objects.order_by("number")
    students = Student.objects.filter(left_on__isnull=True)
    if year_ids is not None:
        years = years.filter(pk__in=year_ids)
        students = students.filter(year_group_id__in=year_ids)
    counts = (
        students.values("year_group_id")
        .annotate(
            n_on_roll=Count("pk"),
            n_sen=Count("pk", filter=Q(sen_status="K")),
            n_ehcp=Count("pk", filter=Q(sen_status="E")),
            n_fsm=Count("pk", filter=Q(fsm=True)),
            n_pp=Count("pk", filter=Q(pupil_premium=True)),
            n_eal=Count("pk", filter=Q(eal=True)),
            n_cla=Count("pk", filter=Q(looked_after=True)),
        )
        .order_by()
    )
    return years.values("pk", "number", "name"), counts


# The two reads for the whole school and for one year (a head of year's), compiled; a list of
# years varies the SQL with its length, so more years are read through the ORM.
_WHOLE_SCHOOL = (
    compiled_query(lambda: _year_reads(None)[0]),
    compiled_query(lambda: _year_reads(None)[1]),
)
_ONE_YEAR = (
    compiled_query(lambda year_id: _year_reads([year_id])[0]),
    compiled_query(lambda year_id: _year_reads([year_id])[1]),
)


def year_summaries(*, year_ids: frozenset[int] | None = None) -> list[YearSummary]:
    """Students on roll per year group (those in `year_ids`, when given) with the counts a head of
    year watches (two plain queries: cheaper to build than one over the join)."""
    if year_ids is None:
        years, counted = (read() for read in _WHOLE_SCHOOL)
    elif len(year_ids) == 1:
        years, counted = (read(*year_ids) for read in _ONE_YEAR)
    else:
        years, counted = _year_reads(year_ids)
    counts = {row["year_group_id"]: row for row in counted}
    student_list = url_maker("student-list", 0)()
    found = []
    for year in years:
        n = counts.get(year["pk"], {})
        found.append(
            YearSummary(
                label=year["name"] or f"Year {year['number']}",
                url=f"{student_list}?year={year['number']}",
                on_roll=n.get("n_on_roll", 0),
                sen_support=n.get("n_sen", 0),
                ehcp=n.get("n_ehcp", 0),
                fsm=n.get("n_fsm", 0),
                pupil_premium=n.get("n_pp", 0),
                eal=n.get("n_eal", 0),
                looked_after=n.get("n_cla", 0),
            )
        )
    return found


@dataclass(frozen=True)
class LastImport:
    status_label: str
    source_name: str
    started_at: dt.datetime
    by: str  # who started it ("" for the command line)


def data_status() -> dict:
    """What the data manager checks: how much of the school is loaded and the last import. The
    staff, periods and terms are reference data (conduct/lib/refcache.py): counted from the
    cache; students on roll and left in one query."""
    students = Student.objects.aggregate(
        on_roll=Count("pk", filter=Q(left_on__isnull=True)),
        left=Count("pk", filter=Q(left_on__isnull=False)),
    )
    last = (
        ImportRun.objects.values(
            "status",
            "source_name",
            "started_at",
            "started_by_id",
            "started_by__first_name",
            "started_by__last_name",
            "started_by__username",
        )
        .order_by("-started_at")
        .first()
    )
    last_import = None
    if last is not None:
        name = f"{last['started_by__first_name']} {last['started_by__last_name']}".strip()
        last_import = LastImport(
            status_label=dict(ImportRun.Status.choices).get(last["status"], last["status"]),
            source_name=last["source_name"],
            started_at=last["started_at"],
            by=(name or last["started_by__username"]) if last["started_by_id"] else "",
        )
    return {
        "students": students["on_roll"],
        "left": students["left"],
        "staff": refcache.cached(
            "active_staff_count", lambda: Staff.objects.filter(is_active=True).count()
        ),
        "guardians": Guardian.objects.count(),
        "classes": TeachingClass.objects.count(),
        "slots": TimetableSlot.objects.count(),
        "periods": len(school_calendar.periods_of_day()),
        "last_import": last_import,
        "has_calendar": refcache.cached("has_terms", lambda: Term.objects.exists()),
    }


def student_by_name_or_upn(text: str) -> list[Student]:
    """Students on roll whose UPN is `text`, or whose full name (preferred or legal) is, ignoring
    case; more than one means the name is shared."""
    text = " ".join(text.split())
    students = Student.objects.filter(left_on__isnull=True).select_related("form", "year_group")
    by_upn = list(students.filter(upn__iexact=text))
    if by_upn:
        return by_upn
    first, _, last = text.rpartition(" ")
    if not first:
        return []
    return list(
        students.filter(
            (Q(preferred_first_name__iexact=first) | Q(legal_first_name__iexact=first))
            & (Q(preferred_last_name__iexact=last) | Q(legal_last_name__iexact=last))
        )
    )
