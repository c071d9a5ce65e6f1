"""Reads for meetings with families: one meeting with what its page shows, a student's
meetings."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from conduct.lib.compiled import compiled_query
from notify.models import Message
from pastoral.models import Intervention, Meeting
from school.models import (
    Form,
    Guardian,
    Student,
    StudentGuardian,
    YearGroup,
    staff_display_name,
)


def meeting_get(meeting_id: int) -> Meeting | None:
    """One meeting with its people, invitations and interventions (a fixed number of queries)."""
    return (
        Meeting.objects.select_related(
            "student__year_group", "student__form", "placement__provision", "rearranged_from"
        )
        .prefetch_related(
            "staff",
            "guardians",
            "attended_by",
            Prefetch(
                "interventions",
                queryset=Intervention.objects.select_related("kind", "owner").order_by("pk"),
            ),
        )
        .filter(pk=meeting_id)
        .first()
    )


def meeting_invitations(meeting: Meeting) -> list[Message]:
    """The messages that invited the family (drafts to check and send, or sent)."""
    return list(
        Message.objects.filter(
            related_type__app_label="pastoral",
            related_type__model="meeting",
            related_id=meeting.pk,
        )
        .select_related("guardian")
        .order_by("pk")
    )


def meeting_next(meeting: Meeting) -> Meeting | None:
    return Meeting.objects.filter(rearranged_from=meeting).first()


@dataclass(frozen=True)
class MeetingRow:
    """A meeting with the family as the student's page lists it and its timeline shows it."""

    pk: int
    starts_at: dt.datetime
    mode_label: str
    status_label: str
    discussed: str


_MODES = dict(Meeting.Mode.choices)
_STATUSES = dict(Meeting.Status.choices)
_STUDENT_MEETINGS = compiled_query(
    lambda student_id: (
        Meeting.objects.filter(student_id=student_id)
        .order_by("-starts_at", "-pk")
        .values_list("pk", "starts_at", "mode", "status", "discussed")
    )
)


def meetings_for_student(student: Student) -> list[MeetingRow]:
    """The student's meetings, newest first (one query)."""
    return [
        MeetingRow(pk, starts_at, _MODES.get(mode, mode), _STATUSES.get(status, status), discussed)
        for pk, starts_at, mode, status, discussed in _STUDENT_MEETINGS(student.pk)
    ]


@dataclass(frozen=True)
class Invitee:
    """A parent or carer to invite as the invitation page lists them: `str()` is their name."""

    name: str
    channel_label: str

    def __str__(self) -> str:
        return self.name


_CHANNEL_LABELS = {value: str(label) for value, label in Guardian.Channel.choices}
_INVITEES = compiled_query(
    lambda student_id: (
        StudentGuardian.objects.filter(student_id=student_id, parental_responsibility=True)
        .order_by("priority", "pk")
        .values_list(
            "guardian__title",
            "guardian__first_name",
            "guardian__last_name",
            "guardian__preferred_channel",
        )
    )
)


def guardians_to_invite(student: Student) -> list[Invitee]:
    """Those with parental responsibility, in the MIS's priority order, with the way each
    prefers to be told (one compiled read)."""
    return [
        Invitee(_guardian_name(title, first, last), _CHANNEL_LABELS.get(channel, channel))
        for title, first, last, channel in _INVITEES(student.pk)
    ]


# The meeting page, read as the columns it shows, compiled (issue 15: its deep join and four
# related lists were built as SQL on every request, 9.5 ms a page).


@dataclass(frozen=True)
class Person:
    """A parent, carer or member of staff named on the meeting's page: `str()` is their name."""

    pk: int
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class MeetingLink:
    """The meeting this one was rearranged from, or to."""

    pk: int
    starts_at: dt.datetime


@dataclass(frozen=True)
class MeetingPlacement:
    provision: str
    starts_on: dt.date


@dataclass(frozen=True)
class InvitationRow:
    pk: int
    channel_label: str
    to: str
    status_label: str


@dataclass(frozen=True)
class AgreedRow:
    """An intervention agreed at the meeting."""

    pk: int
    kind: str
    target: str
    owner_name: str
    review_on: dt.date


@dataclass(frozen=True)
class MeetingPage:
    """A meeting as its page shows it: `student` is a Student made from the columns read (its
    name, year group, form and whether on roll), for the policies and the audit record."""

    pk: int
    student: Student
    starts_at: dt.datetime
    minutes: int
    mode_label: str
    place: str
    status: str
    status_label: str
    purpose: str
    placement: MeetingPlacement | None
    rearranged_from: MeetingLink | None
    discussed: str
    recorded_at: dt.datetime | None
    invited: list[Person]
    came: list[Person]
    staff: list[Person]
    interventions: list[AgreedRow]


# A student's columns for `student_from_columns`, under the path to the student.
def student_columns(path: str) -> tuple[str, ...]:
    return tuple(
        f"{path}{name}"
        for name in (
            "id",
            "legal_first_name",
            "legal_last_name",
            "preferred_first_name",
            "preferred_last_name",
            "left_on",
            "year_group_id",
            "year_group__name",
            "year_group__number",
            "form_id",
            "form__code",
        )
    )


def student_from_columns(
    pk: int,
    legal_first_name: str,
    legal_last_name: str,
    preferred_first_name: str,
    preferred_last_name: str,
    left_on: dt.date | None,
    year_group_id: int,
    year_group_name: str,
    year_group_number: int,
    form_id: int | None,
    form_code: str | None,
) -> Student:
    """A Student made from the columns `student_columns` names, for a page read as values: its
    name, `str()` (with its form or year group, as an audit record names it), year group (for
    the policies) and whether on roll."""
    student = Student(
        pk=pk,
        legal_first_name=legal_first_name,
        legal_last_name=legal_last_name,
        preferred_first_name=preferred_first_name,
        preferred_last_name=preferred_last_name,
        left_on=left_on,
        year_group_id=year_group_id,
        form_id=form_id,
    )
    student.year_group = YearGroup(pk=year_group_id, name=year_group_name, number=year_group_number)
    if form_id is not None:
        student.form = Form(pk=form_id, code=form_code or "", year_group_id=year_group_id)
    return student


_MEETING_PAGE = compiled_query(
    lambda meeting_id: Meeting.objects.filter(pk=meeting_id).values_list(
        "pk",
        "starts_at",
        "minutes",
        "mode",
        "place",
        "status",
        "purpose",
        "discussed",
        "recorded_at",
        "placement_id",
        "placement__provision__name",
        "placement__starts_on",
        "rearranged_from_id",
        "rearranged_from__starts_at",
        *student_columns("student__"),
    )
)
_INVITED = compiled_query(
    lambda meeting_id: (
        Meeting.guardians.through.objects.filter(meeting_id=meeting_id)
        .order_by("guardian__last_name", "guardian__first_name")
        .values_list(
            "guardian_id", "guardian__title", "guardian__first_name", "guardian__last_name"
        )
    )
)
_CAME = compiled_query(
    lambda meeting_id: (
        Meeting.attended_by.through.objects.filter(meeting_id=meeting_id)
        .order_by("guardian__last_name", "guardian__first_name")
        .values_list(
            "guardian_id", "guardian__title", "guardian__first_name", "guardian__last_name"
        )
    )
)
_STAFF = compiled_query(
    lambda meeting_id: (
        Meeting.staff.through.objects.filter(meeting_id=meeting_id)
        .order_by("staff__last_name", "staff__first_name")
        .values_list("staff_id", "staff__title", "staff__first_name", "staff__last_name")
    )
)
_AGREED = compiled_query(
    lambda meeting_id: (
        Intervention.objects.filter(meeting_id=meeting_id)
        .order_by("pk")
        .values_list(
            "pk",
            "kind__name",
            "target",
            "review_on",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
        )
    )
)
_INVITATIONS = compiled_query(
    lambda meeting_id: (
        Message.objects.filter(
            related_type__app_label="pastoral", related_type__model="meeting", related_id=meeting_id
        )
        .order_by("pk")
        .values_list(
            "pk",
            "channel",
            "status",
            "address",
            "guardian_id",
            "guardian__title",
            "guardian__first_name",
            "guardian__last_name",
        )
    )
)
_NEXT = compiled_query(
    lambda meeting_id: (
        Meeting.objects.filter(rearranged_from_id=meeting_id)
        .order_by("-starts_at")
        .values_list("pk", "starts_at")
    )
)
_CHANNELS = {value: str(label) for value, label in Message.Channel.choices}
_MESSAGE_STATUSES = {value: str(label) for value, label in Message.Status.choices}


def _guardian_name(title: str, first_name: str, last_name: str) -> str:
    """`str(guardian)` from its columns."""
    return f"{title} {first_name} {last_name}".strip()


def _people(rows, name) -> list[Person]:
    return [Person(pk, name(title, first, last)) for pk, title, first, last in rows]


def meeting_page(meeting_id: int) -> MeetingPage | None:
    """The meeting with what its page shows: its student, placement, the meeting it was
    rearranged from, who was invited, who came, the staff and the interventions agreed (six
    compiled reads)."""
    rows = _MEETING_PAGE(meeting_id)
    if not rows:
        return None
    (
        pk,
        starts_at,
        minutes,
        mode,
        place,
        status,
        purpose,
        discussed,
        recorded_at,
        placement_id,
        provision,
        placement_starts_on,
        rearranged_from_id,
        rearranged_from_starts_at,
        student_id,
        legal_first_name,
        legal_last_name,
        preferred_first_name,
        preferred_last_name,
        left_on,
        year_group_id,
        year_group_name,
        year_group_number,
        form_id,
        form_code,
    ) = rows[0]
    student = student_from_columns(
        student_id,
        legal_first_name,
        legal_last_name,
        preferred_first_name,
        preferred_last_name,
        left_on,
        year_group_id,
        year_group_name,
        year_group_number,
        form_id,
        form_code,
    )
    return MeetingPage(
        pk=pk,
        student=student,
        starts_at=starts_at,
        minutes=minutes,
        mode_label=_MODES.get(mode, mode),
        place=place,
        status=status,
        status_label=_STATUSES.get(status, status),
        purpose=purpose,
        placement=MeetingPlacement(provision, placement_starts_on)
        if placement_id is not None
        else None,
        rearranged_from=MeetingLink(rearranged_from_id, rearranged_from_starts_at)
        if rearranged_from_id is not None
        else None,
        discussed=discussed,
        recorded_at=recorded_at,
        invited=_people(_INVITED(meeting_id), _guardian_name),
        came=_people(_CAME(meeting_id), _guardian_name),
        staff=_people(_STAFF(meeting_id), staff_display_name),
        interventions=[
            AgreedRow(pk, kind, target, f"{first} {last}".strip() or username, review_on)
            for pk, kind, target, review_on, first, last, username in _AGREED(meeting_id)
        ],
    )


def meeting_page_invitations(meeting_id: int) -> list[InvitationRow]:
    """The messages that invited the family (drafts to check and send, or sent), oldest first."""
    return [
        InvitationRow(
            pk,
            _CHANNELS.get(channel, channel),
            (_guardian_name(title, first, last) if guardian_id is not None else "") or address,
            _MESSAGE_STATUSES.get(status, status),
        )
        for pk, channel, status, address, guardian_id, title, first, last in _INVITATIONS(
            meeting_id
        )
    ]


def meeting_page_next(meeting_id: int) -> MeetingLink | None:
    """The meeting this one was rearranged to."""
    rows = _NEXT(meeting_id)
    return MeetingLink(*rows[0]) if rows else None
