"""Reads of the school's people: finding students, a student's profile, the staff record of an
account, the counts per year group, and what the data manager has loaded."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, prefetch_related_objects

from school.models import (
    Guardian,
    ImportRun,
    Period,
    Staff,
    Student,
    StudentGuardian,
    TeachingClass,
    Term,
    TimetableSlot,
    YearGroup,
)


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


def student_profile(student_id: int, *, guardians: bool = True) -> Student:
    """One student with year, form, tutor and (unless `guardians` is false: see
    `student_guardians_load`) guardians loaded."""
    student = Student.objects.select_related("year_group__head_of_year", "form__tutor").get(
        pk=student_id
    )
    if guardians:
        student_guardians_load(student)
    return student


def student_guardians_load(student: Student) -> None:
    """Load `student.guardian_links` with each guardian, in priority order (one query): for a
    page that shows them only to some readers, once it knows it will."""
    prefetch_related_objects(
        [student],
        Prefetch(
            "guardian_links",
            queryset=StudentGuardian.objects.select_related("guardian").order_by("priority"),
        ),
    )


def staff_for_user(user) -> Staff | None:
    """The staff record linked to a signed-in account, or None."""
    if not user or not user.is_authenticated:
        return None
    return Staff.objects.filter(user=user).select_related("department").first()


def pastoral_year_ids(user) -> frozenset[int] | None:
    """The year groups the member of staff signed in as `user` works with pastorally: the years
    they lead and the years assigned to them; None when the school widened them to every year
    (one query)."""
    if not user or not user.is_authenticated:
        return frozenset()
    rows = list(
        Staff.objects.filter(user=user).values_list("whole_school", "years_led", "year_groups")
    )
    if any(whole_school for whole_school, _, _ in rows):
        return None
    return frozenset(pk for _, *years in rows for pk in years if pk is not None)


@dataclass
class YearSummary:
    year_group: YearGroup
    on_roll: int
    sen_support: int
    ehcp: int
    fsm: int
    pupil_premium: int
    eal: int
    looked_after: int


def year_summaries(*, year_ids: frozenset[int] | None = None) -> list[YearSummary]:
    """Students on roll per year group (those in `year_ids`, when given) with the counts a head of
    year watches (one query)."""
    on_roll = Q(students__left_on__isnull=True)
    years = YearGroup.objects.order_by("number")
    if year_ids is not None:
        years = years.filter(pk__in=year_ids)
    years = years.annotate(
        n_on_roll=Count("students", filter=on_roll),
        n_sen=Count("students", filter=on_roll & Q(students__sen_status="K")),
        n_ehcp=Count("students", filter=on_roll & Q(students__sen_status="E")),
        n_fsm=Count("students", filter=on_roll & Q(students__fsm=True)),
        n_pp=Count("students", filter=on_roll & Q(students__pupil_premium=True)),
        n_eal=Count("students", filter=on_roll & Q(students__eal=True)),
        n_cla=Count("students", filter=on_roll & Q(students__looked_after=True)),
    )
    return [
        YearSummary(y, y.n_on_roll, y.n_sen, y.n_ehcp, y.n_fsm, y.n_pp, y.n_eal, y.n_cla)
        for y in years
    ]


def data_status() -> dict:
    """What the data manager checks: how much of the school is loaded and the last import."""
    return {
        "students": Student.objects.filter(left_on__isnull=True).count(),
        "left": Student.objects.filter(left_on__isnull=False).count(),
        "staff": Staff.objects.filter(is_active=True).count(),
        "guardians": Guardian.objects.count(),
        "classes": TeachingClass.objects.count(),
        "slots": TimetableSlot.objects.count(),
        "periods": Period.objects.count(),
        "last_import": ImportRun.objects.select_related("started_by").first(),
        "has_calendar": Term.objects.exists(),
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
