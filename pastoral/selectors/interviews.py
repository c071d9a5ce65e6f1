"""Reads for interviews."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, FilteredRelation, Q, QuerySet

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.lists import FIRST, FirstItems, first_items, first_of, first_query
from conduct.lib.urls import url_maker
from pastoral import policies
from pastoral.models import Interview
from sanctions.models import Placement
from school import policies as school_policies
from school.models import Staff, Student, student_name_from
from school.selectors import timetable as school_timetable


def interviews_for_student(student: Student | int) -> QuerySet[Interview]:
    """Every interview of `student`'s placements (to do, done or cancelled), in due order
    (`student`: the student or their id)."""
    return Interview.objects.filter(placement__student=student).order_by("due_on", "pk")


@dataclass(frozen=True)
class InterviewToDo:
    """An interview still to do, with where its student is on the day it is due, every word
    and link written once."""

    pk: int
    kind_label: str
    url: str
    student_name: str
    due_on: dt.date
    due_day: str  # "Tue 3 Nov"
    room_code: str  # "" when the student is in no room that day
    register_url: str  # that room's register on the due day, "" when in no room
    overdue: bool


def _due_interviews(due: QuerySet[Interview]) -> QuerySet:
    """`due`'s interviews as `_to_do_rows` reads them, in their order."""
    # The placement's day on the due day (at most one is active: `one_active_day`) joined in
    # rather than read in a query more (issue 15: cheaper to build).
    return (
        due.annotate(
            due_day=FilteredRelation(
                "placement__days",
                condition=Q(placement__days__date=F("due_on"), placement__days__is_active=True),
            )
        )
        .values(
            "pk",
            "kind",
            "due_on",
            "placement__student__preferred_first_name",
            "placement__student__legal_first_name",
            "placement__student__preferred_last_name",
            "placement__student__legal_last_name",
            "due_day__room__code",
        )
        .order_by("due_on", "placement__student__legal_last_name")
    )


def _due_by(today: dt.date) -> QuerySet[Interview]:
    return Interview.objects.filter(status=Interview.Status.TO_DO, due_on__lte=today)


# The first few due in the whole school (the officer's and the senior team's home page) and in
# one year (a head of year's, as `scope_q` cuts them); more years vary the SQL, so are read
# through the ORM.
_FIRST_DUE_EVERYWHERE = compiled_query(lambda today: first_query(_due_interviews(_due_by(today))))
_FIRST_DUE_IN_YEAR = compiled_query(
    lambda today, year_id: first_query(
        _due_interviews(_due_by(today).filter(placement__student__year_group_id__in=[year_id]))
    )
)


def interviews_to_do(
    *, today: dt.date, viewer=None, first: int | None = None
) -> list[InterviewToDo] | FirstItems[InterviewToDo]:
    """Interviews still to do that are due by `today` (those `viewer` may hold, when given:
    pastoral staff, their years'), overdue first, each with the room its student is in on the
    due day, where it is held (one query). With `first`, only the first that many and how many
    there are in all (`FirstItems`)."""
    scope = (
        Q()
        if viewer is None
        else school_policies.scope_q(viewer, policies.INTERVIEWERS, "placement__student__")
    )
    year_id = (
        None if viewer is None else school_policies.one_year_scope(viewer, policies.INTERVIEWERS)
    )
    if first == FIRST and not scope:
        head = first_items(_FIRST_DUE_EVERYWHERE(today))
        return FirstItems(_to_do_rows(head.items, today), head.total)
    if first == FIRST and year_id is not None:
        head = first_items(_FIRST_DUE_IN_YEAR(today, year_id))
        return FirstItems(_to_do_rows(head.items, today), head.total)
    interviews = _due_interviews(_due_by(today).filter(scope))
    if first is None:
        return _to_do_rows(interviews, today)
    head = first_of(interviews, first)
    return FirstItems(_to_do_rows(head.items, today), head.total)


def _to_do_rows(interviews, today: dt.date) -> list[InterviewToDo]:
    url = url_maker("interview-detail")
    register_url = url_maker("register", 2)
    kinds = dict(Interview.Kind.choices)
    found = []
    for row in interviews:
        due_on = row["due_on"]
        room_code = row["due_day__room__code"] or ""
        found.append(
            InterviewToDo(
                pk=row["pk"],
                kind_label=kinds.get(row["kind"], row["kind"]),
                url=url(row["pk"]),
                student_name=student_name_from(row, "placement__student__"),
                due_on=due_on,
                due_day=wording.short_day(due_on),
                room_code=room_code,
                register_url=register_url(room_code, due_on.isoformat()) if room_code else "",
                overdue=due_on < today,
            )
        )
    return found


def interview_get(interview_id: int) -> Interview:
    """One interview with its placement, student, reason and who held it (one query)."""
    return Interview.objects.select_related(
        "placement__student__form",
        "placement__student__year_group",
        "placement__provision",
        "placement__referral__incident__reason",
        "conducted_by",
        "check_in_by",
    ).get(pk=interview_id)


# What the exit interview's page shows of its placement; recording it also tells the form tutor
# and head of year and quotes the incident's reason (issue 15: a page that only shows it reads
# three joins rather than seven, cheaper to build).
_SHOWN = ("student__form", "student__year_group", "provision")
_RECORDED = (
    "student__form__tutor",
    "student__year_group__head_of_year",
    "provision",
    "referral__incident__reason",
)


def exit_interview_placement(placement_id: int, *, to_record: bool) -> Placement | None:
    """The placement of an exit interview with its student's form and year and its provision;
    `to_record`: with the form tutor, head of year and the referral's incident and reason, as
    recording the interview uses them too."""
    return (
        Placement.objects.select_related(*(_RECORDED if to_record else _SHOWN))
        .filter(pk=placement_id)
        .first()
    )


def exit_interview_of(placement_id: int) -> Interview | None:
    """The placement's exit interview when it is recorded."""
    return (
        Interview.objects.filter(
            placement_id=placement_id, kind=Interview.Kind.EXIT, status=Interview.Status.DONE
        )
        .select_related("conducted_by", "check_in_by")
        .first()
    )


def returning_today_staff(student: Student, day: dt.date) -> list[Staff]:
    """The teachers of `student`'s lessons on `day`, their form tutor and head of year (each
    once, in that order)."""
    staff: list[Staff] = []
    for slot in school_timetable.student_timetable_on(student, day):
        if slot.staff is not None:
            staff.append(slot.staff)
        else:
            staff += [link.staff for link in slot.teaching_class.teacher_links.all()]
    if student.form is not None and student.form.tutor is not None:
        staff.append(student.form.tutor)
    if student.year_group.head_of_year is not None:
        staff.append(student.year_group.head_of_year)
    return list(dict.fromkeys(staff))


@dataclass(frozen=True)
class Returning:
    """A student returning to lessons on a day after an exit interview, with the targets and
    the staff who hear about it."""

    interview: Interview
    student: Student
    targets: str
    staff: list[Staff]


def returning_on(day: dt.date) -> list[Returning]:
    """The students whose exit interview is done and who return to lessons on `day`, each with
    the staff to tell (their lessons' teachers that day, form tutor, head of year)."""
    done = (
        Interview.objects.filter(
            kind=Interview.Kind.EXIT, status=Interview.Status.DONE, returns_on=day
        )
        .select_related(
            "placement__student__form__tutor", "placement__student__year_group__head_of_year"
        )
        .order_by("placement__student__legal_last_name", "pk")
    )
    return [
        Returning(
            interview,
            interview.placement.student,
            interview.targets,
            returning_today_staff(interview.placement.student, day),
        )
        for interview in done
    ]
