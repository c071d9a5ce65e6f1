"""Reads for a room's register: its placement days and fingerprint, the rooms' places, the marks."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from django.contrib.auth.models import User  # AUTH_USER_MODEL
from django.db.models import Count, Max, Q, QuerySet

from conduct.lib import clock, refcache
from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
from notify.models import Message
from pastoral.models import Interview, Level
from sanctions import policies
from sanctions.models import (
    MIS_CODE_MEANINGS,
    AttendanceMark,
    ClosedDay,
    DigestRun,
    Placement,
    PlacementDay,
    Provision,
    RoomLogEntry,
    mis_code_of,
    reason_label,
)
from sanctions.selectors import provisions as provision_selectors
from school.models import Room, Student, Term, staff_display_name, student_flags, year_group_label
from work.selectors import requests as work_selectors
from work.selectors.requests import LessonMissed

# An attendance mark's placement day, session, kind, minutes late, time and when it was recorded.
MarkRow = tuple[int, str, str, int | None, dt.time, dt.datetime]


@dataclass
class MarkShown:
    """A session's attendance mark, read as plain columns, as the register shows it."""

    kind_label: str
    minutes_late: int | None
    at: str  # "09:05"
    mis_code: str
    mis_meaning: str


@dataclass
class SessionMarks:
    """One session (morning or afternoon) of a register line and its mark, if any, shaped once
    for the page (issue 15)."""

    session: str
    label: str
    mark: MarkShown | None
    # The mark's kind ("" when not marked): the mark button shown pressed.
    kind: str
    # "arrived", "left", "removed" or "marked": what the mark's time is.
    verb: str
    # The mark's own time (late, left early, removed) fills the time field; else "now" does.
    own_time: str
    minutes_late: str  # the mark's minutes late, "" without: the minutes field's value


@dataclass
class Letter:
    """A message to the family about a line's placement."""

    pk: int
    text: str  # "email sent"


@dataclass
class EntryInterview:
    """A line's entry interview (not cancelled): to do or done."""

    pk: int
    done: bool


@dataclass
class LogNote:
    """A room log entry on a register line, read as plain columns: what the line shows, and whose
    student it is and who wrote it for the level checks (`level_subject`, as
    `RoomLogEntry.level_subject`)."""

    pk: int
    at: dt.time
    kind_label: str
    note: str
    level: str
    level_label: str
    recorded_by_id: int
    # Only the student's id and year group: all that the level checks read.
    student: Student

    def level_subject(self):
        return self.student, self.level, self.recorded_by_id


@dataclass
class RegisterLine:
    """One student's line on a room's register (a placement day), shaped for the page."""

    pk: int
    date: dt.date
    placement_id: int
    student_id: int
    status: str  # the placement's
    status_label: str
    last_name: str
    first_name: str
    group: str  # the form, else the year group
    flags: list[tuple[str, str]]
    # The needs the printed register spells out.
    sen_status: str
    eal: bool
    looked_after: bool
    provision_id: int
    provision: str
    # The provision's own leaving time (None: it keeps the school's times).
    leaves_at: dt.time | None
    why: str  # the reason, else the placement's note
    removed_from: str  # the lesson the student was removed from: "P2 9X/Ma1 (Ms A Teague)"
    # When: "10:15", or "10:15 on Monday 23 November" when booked on another day.
    removed_when: str
    parent_notice_problem: str
    days_this_term: int = 0
    days_this_year: int = 0
    sessions: list[SessionMarks] = field(default_factory=list)
    log: list[LogNote] = field(default_factory=list)
    work: list[LessonMissed] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    entry_interviews: list[EntryInterview] = field(default_factory=list)
    exit_done: str = ""  # " done" for each exit interview done


@dataclass
class RegisterDay:
    """What a room's register shows for a day: the provisions that use the room with their own
    times, the students' lines, whether the day is closed, and the register's fingerprint
    (`register_version`)."""

    provisions: list[Provision]
    placement_days: list[RegisterLine]
    closed: ClosedDay | None
    version: str


# What the time of a mark is, said by the mark: "arrived at 09:05"; else "marked at 09:05".
MARK_VERBS: dict[str, str] = {
    AttendanceMark.Kind.LATE: "arrived",
    AttendanceMark.Kind.LEFT_EARLY: "left",
    AttendanceMark.Kind.REMOVED: "removed",
}


# The placement days in a room on a day, with all a line shows, by surname (`_register_lines`).
_LINES = compiled_query(
    lambda room_id, day: (
        PlacementDay.objects.filter(room_id=room_id, date=day)
        .order_by("placement__student__legal_last_name", "placement__student__legal_first_name")
        .values_list(
            "pk",
            "placement_id",
            "placement__student_id",
            "placement__status",
            "placement__student__legal_first_name",
            "placement__student__legal_last_name",
            "placement__student__preferred_first_name",
            "placement__student__preferred_last_name",
            "placement__student__form__code",
            "placement__student__year_group__name",
            "placement__student__year_group__number",
            "placement__student__sen_status",
            "placement__student__fsm",
            "placement__student__pupil_premium",
            "placement__student__eal",
            "placement__student__looked_after",
            "placement__provision_id",
            "placement__provision__name",
            "placement__provision__leaves_at",
            "placement__referral__incident__reason__code",
            "placement__referral__incident__reason__name",
            "placement__referral__incident__reason__is_dfe",
            "placement__note",
            "placement__removed_from_id",
            "placement__removed_from__period__code",
            "placement__removed_from__teaching_class__code",
            "placement__removed_from__staff__title",
            "placement__removed_from__staff__first_name",
            "placement__removed_from__staff__last_name",
            "placement__booked_at",
            "placement__parent_notice_problem",
            "is_active",
            "placement__student__year_group_id",
        )
    )
)


def _register_lines(room_id: int, day: dt.date, viewer) -> tuple[list[RegisterLine], list[tuple]]:
    """The lines of a room's register on a day (those `viewer` may see, when given), by
    surname, as plain rows; and every placement day in the room that day, shown or not (pk,
    whether active, the placement's status), for the register's fingerprint (one query)."""
    statuses = dict(Placement.Status.choices)
    rows = _LINES(room_id, day)
    lines = []
    every_line = []
    for (
        pk,
        placement_id,
        student_id,
        status,
        legal_first_name,
        legal_last_name,
        preferred_first_name,
        preferred_last_name,
        form,
        year_name,
        year_number,
        sen_status,
        fsm,
        pupil_premium,
        eal,
        looked_after,
        provision_id,
        provision,
        leaves_at,
        reason_code,
        reason_name,
        reason_is_dfe,
        note,
        removed_from_id,
        removed_period,
        removed_class,
        removed_title,
        removed_first_name,
        removed_last_name,
        booked_at,
        parent_notice_problem,
        is_active,
        year_group_id,
    ) in rows:
        every_line.append((pk, is_active, status))
        # Cancelled or no longer in the room, or a student the viewer may not read: not shown.
        if not is_active or status == Placement.Status.CANCELLED:
            continue
        if viewer is not None and not policies.can_read_register_line(viewer, year_group_id):
            continue
        removed_from = removed_when = ""
        if removed_from_id is not None:
            removed_from = f"{removed_period} {removed_class}"
            if removed_last_name is not None:  # a teacher
                teacher = staff_display_name(removed_title, removed_first_name, removed_last_name)
                removed_from += f" ({teacher})"
            booked = clock.local(booked_at)
            removed_when = f"{booked:%H:%M}"
            if booked.date() != day:
                removed_when += f" on {booked:%A} {booked.day} {booked:%B}"
        lines.append(
            RegisterLine(
                pk=pk,
                date=day,
                placement_id=placement_id,
                student_id=student_id,
                status=status,
                status_label=statuses.get(status, status),
                last_name=preferred_last_name or legal_last_name,
                first_name=preferred_first_name or legal_first_name,
                group=form if form is not None else year_group_label(year_name, year_number),
                flags=student_flags(
                    sen_status=sen_status,
                    fsm=fsm,
                    pupil_premium=pupil_premium,
                    eal=eal,
                    looked_after=looked_after,
                ),
                sen_status=sen_status,
                eal=eal,
                looked_after=looked_after,
                provision_id=provision_id,
                provision=provision,
                leaves_at=leaves_at,
                why=(
                    reason_label(reason_code, reason_name, reason_is_dfe)
                    if reason_name is not None
                    else note
                ),
                removed_from=removed_from,
                removed_when=removed_when,
                parent_notice_problem=parent_notice_problem,
            )
        )
    return lines, every_line


def register_day(room_id: int, day: dt.date, *, viewer=None) -> RegisterDay:
    """The register for one room on one day in a fixed number of queries, whatever the number of
    students (the lines `viewer` may see, when given). The day's marks, log entries and the
    closing are each read once, for the lines and for the fingerprint alike."""
    placement_days, every_line = _register_lines(room_id, day, viewer)
    marks = _MARKS(room_id, day)
    log = _log_notes(room_id, day)
    closed = _closed_day(room_id, day)
    version = _fingerprint(
        active=sum(1 for _, is_active, _ in every_line if is_active),
        not_booked=sum(1 for _, _, status in every_line if status != Placement.Status.BOOKED),
        last_pk=max((pk for pk, _, _ in every_line), default=None),
        marks=len(marks),
        marks_last=max((row[-1] for row in marks), default=None),
        log=len(log),
        closed=1 if closed else 0,
    )
    _with_marks_log_and_work(placement_days, marks, log, room_id, day)
    letters_of, entry_interviews_of, exit_done_of = _letters_and_interviews(
        placement_days, room_id, day
    )
    days_in_rooms = _days_in_rooms(placement_days, room_id, day)
    for line in placement_days:
        line.days_this_term, line.days_this_year = days_in_rooms.get(line.student_id, (0, 0))
        line.letters = letters_of[line.placement_id]
        line.entry_interviews = entry_interviews_of[line.placement_id]
        line.exit_done = exit_done_of[line.placement_id]
    provisions = provision_selectors.provisions_in_room(room_id)
    return RegisterDay(provisions, placement_days, closed, version)


def register_to_print(room_id: int, day: dt.date, *, viewer) -> list[RegisterLine]:
    """The register's lines as the printed register shows them (those `viewer` may see), with
    their marks, room log and lessons missed (four queries)."""
    placement_days, _ = _register_lines(room_id, day, viewer)
    marks, log = _MARKS(room_id, day), _log_notes(room_id, day)
    _with_marks_log_and_work(placement_days, marks, log, room_id, day)
    return placement_days


_CLOSED = compiled_query(
    lambda room_id, day: ClosedDay.objects.filter(room_id=room_id, date=day).values_list(
        "pk",
        "closed_at",
        "closed_by_id",
        "closed_by__username",
        "closed_by__first_name",
        "closed_by__last_name",
    )
)


def _closed_day(room_id: int, day: dt.date) -> ClosedDay | None:
    """The day's closing in the room with who closed it (their names only), or None (one
    query)."""
    for pk, closed_at, user_id, username, first_name, last_name in _CLOSED(room_id, day):
        closed_by = User(pk=user_id, username=username, first_name=first_name, last_name=last_name)
        return ClosedDay(pk=pk, room_id=room_id, date=day, closed_at=closed_at, closed_by=closed_by)
    return None


def _with_marks_log_and_work(
    placement_days: list[RegisterLine],
    marks: list[MarkRow],
    log: list[tuple[int, LogNote]],
    room_id: int,
    day: dt.date,
) -> None:
    """Set each line's sessions with their marks, its room log and its lessons missed (one
    query: the lessons, none without lines)."""
    log_of: dict[int, list[LogNote]] = defaultdict(list)
    for placement_day_id, note in log:
        log_of[placement_day_id].append(note)
    work_of = work_selectors.lessons_missed(room_id, day) if placement_days else {}
    sessions_of = _sessions(marks)
    for line in placement_days:
        line.sessions = sessions_of(line.pk)
        line.log = log_of[line.pk]
        line.work = work_of.get(line.pk, [])


_LOG = compiled_query(
    lambda room_id, day: RoomLogEntry.objects.filter(
        placement_day__room_id=room_id, placement_day__date=day
    ).values_list(
        "pk",
        "placement_day_id",
        "kind",
        "at",
        "note",
        "level",
        "recorded_by_id",
        "placement_day__placement__student_id",
        "placement_day__placement__student__year_group_id",
    )
)


def _log_notes(room_id: int, day: dt.date) -> list[tuple[int, LogNote]]:
    """The day's room log entries in the room, each with its placement day's pk, in the log's
    order (one query)."""
    kinds = dict(RoomLogEntry.Kind.choices)
    levels = dict(Level.choices)
    students: dict[int, Student] = {}
    notes = []
    for (
        pk,
        placement_day_id,
        kind,
        at,
        note,
        level,
        recorded_by_id,
        student_id,
        year_group_id,
    ) in _LOG(room_id, day):
        if student_id not in students:
            students[student_id] = Student(pk=student_id, year_group_id=year_group_id)
        notes.append(
            (
                placement_day_id,
                LogNote(
                    pk=pk,
                    at=at,
                    kind_label=kinds.get(kind, kind),
                    note=note,
                    level=level,
                    level_label=levels.get(level, level),
                    recorded_by_id=recorded_by_id,
                    student=students[student_id],
                ),
            )
        )
    return notes


# The day's attendance marks in a room as plain rows, read once for the lines and the
# fingerprint.
_MARKS = compiled_query(
    lambda room_id, day: (
        AttendanceMark.objects.filter(placement_day__room_id=room_id, placement_day__date=day)
        .order_by()
        .values_list("placement_day_id", "session", "kind", "minutes_late", "at", "recorded_at")
    )
)


def _sessions(marks: list[MarkRow]):
    """A line's sessions (by its pk), each with its mark, if any."""
    kinds = dict(AttendanceMark.Kind.choices)
    given = {
        (placement_day_id, session): (kind, minutes_late, at)
        for placement_day_id, session, kind, minutes_late, at, _ in marks
    }

    session_labels = AttendanceMark.Session.choices  # built by each call: once a page

    def sessions_of(line_pk: int) -> list[SessionMarks]:
        sessions = []
        for session, label in session_labels:
            kind, minutes_late, at = given.get((line_pk, session), ("", None, None))
            mark = None
            if kind:
                code = mis_code_of(kind, session)
                mark = MarkShown(
                    kind_label=kinds.get(kind, kind),
                    minutes_late=minutes_late,
                    at=f"{at:%H:%M}",
                    mis_code=code,
                    mis_meaning=MIS_CODE_MEANINGS[code],
                )
            sessions.append(
                SessionMarks(
                    session=session,
                    label=label,
                    mark=mark,
                    kind=kind,
                    verb=MARK_VERBS.get(kind, "marked") if kind else "",
                    own_time=mark.at if mark and kind in MARK_VERBS else "",
                    minutes_late=str(minutes_late) if minutes_late else "",
                )
            )
        return sessions

    return sessions_of


def _placements_in_room(room_id: int, day: dt.date) -> QuerySet:
    """The placements with a day in the room on `day`: a subquery, so that a read of their
    letters or interviews has one shape whatever their number (`compiled_query`)."""
    return PlacementDay.objects.filter(room_id=room_id, date=day).values("placement_id")


# The messages to families about the placements in a room on a day, newest first.
_LETTERS = compiled_query(
    lambda room_id, day: (
        Message.objects.filter(
            audience=Message.Audience.PARENT,
            # By name, not get_for_model(): its cache makes the query count depend on what ran.
            related_type__app_label="sanctions",
            related_type__model="placement",
            related_id__in=_placements_in_room(room_id, day),
        )
        .order_by("-created_at", "-pk")
        .values_list("pk", "student_id", "related_id", "channel", "status")
    )
)
_INTERVIEWS = compiled_query(
    lambda room_id, day: Interview.objects.filter(
        placement_id__in=_placements_in_room(room_id, day)
    ).values_list("pk", "placement_id", "kind", "status")
)


def _letters_and_interviews(placement_days: list[RegisterLine], room_id: int, day: dt.date):
    """By placement: its messages to the family (newest first), its entry interviews not
    cancelled, and " done" for each exit interview done (two queries, none
    without lines)."""
    letters_of: dict[int, list[Letter]] = defaultdict(list)
    entry_interviews_of: dict[int, list[EntryInterview]] = defaultdict(list)
    exit_done_of: dict[int, str] = defaultdict(str)
    if not placement_days:
        return letters_of, entry_interviews_of, exit_done_of
    student_of = {line.placement_id: line.student_id for line in placement_days}
    channels = dict(Message.Channel.choices)
    statuses = dict(Message.Status.choices)
    for pk, student_id, placement_id, channel, status in _LETTERS(room_id, day):
        # About a placement shown and to this student's family.
        if placement_id in student_of and student_id == student_of[placement_id]:
            text = f"{channels[channel].lower()} {statuses[status].lower()}"
            letters_of[placement_id].append(Letter(pk, text))
    for pk, placement_id, kind, status in _INTERVIEWS(room_id, day):
        if kind == Interview.Kind.ENTRY and status != Interview.Status.CANCELLED:
            done = status != Interview.Status.TO_DO
            entry_interviews_of[placement_id].append(EntryInterview(pk, done))
        elif kind == Interview.Kind.EXIT and status == Interview.Status.DONE:
            exit_done_of[placement_id] += " done"
    return letters_of, entry_interviews_of, exit_done_of


# Days in a room (any provision) of each student in a room on a day, this academic year and
# this term, up to and including the day: by room and day, the year's and the term's first days.
_DAYS_IN_ROOMS = compiled_query(
    lambda room_id, day, year_starts, term_starts: (
        PlacementDay.objects.filter(
            placement__student__in=PlacementDay.objects.filter(room_id=room_id, date=day).values(
                "placement__student_id"
            ),
            is_active=True,
            date__gte=year_starts,
            date__lte=day,
            # Implied by the day's date (a placement's active days lie within its starts_on and
            # ends_on, sanctions.services.placements), but checked on the placement itself: its
            # days are looked up only for the student's placements still running this year, not
            # for every placement of their school life.
            placement__ends_on__gte=year_starts,
        )
        .exclude(placement__status=Placement.Status.CANCELLED)
        .values_list("placement__student")
        .annotate(
            year=Count("date", distinct=True),
            term=Count("date", distinct=True, filter=Q(date__gte=term_starts)),
        )
    )
)


def _days_in_rooms(
    placement_days: list[RegisterLine], room_id: int, day: dt.date
) -> dict[int, tuple[int, int]]:
    """Each line's student's days in a room (any provision) this term and this academic year,
    up to and including `day`, by student (one query, none without lines)."""
    if not placement_days:
        return {}
    # Reference data: the calendar changes only in School settings.
    term = refcache.cached(
        f"register_term:{day.isoformat()}",
        lambda: (
            Term.objects.filter(starts_on__lte=day, academic_year__ends_on__gte=day)
            .order_by("-starts_on")
            .values("starts_on", "academic_year__starts_on")
            .first()
        ),
    )
    if term is None:
        return {}
    rows = _DAYS_IN_ROOMS(room_id, day, term["academic_year__starts_on"], term["starts_on"])
    return {student: (this_term, this_year) for student, this_year, this_term in rows}


_DIGEST = compiled_query(
    lambda day: DigestRun.objects.filter(date=day).values_list(
        "pk",
        "sent_at",
        "times_sent",
        "students",
        "staff_emails",
        "teacher_emails",
        "teachers",
        "sent_by_id",
        "sent_by__username",
        "sent_by__first_name",
        "sent_by__last_name",
    )
)


def room_of_code(code: str) -> Room | None:
    """The room with `code`, or None: reference data, read once until the rooms change (no query
    on most pages)."""
    longest = Room._meta.get_field("code").max_length
    if longest is not None and len(code) > longest:  # no room has it: nothing to keep
        return None
    # Quoted: a cache key has no spaces or control characters.
    return refcache.cached(f"room:{quote(code)}", lambda: Room.objects.filter(code=code).first())


def digest_of(day: dt.date) -> DigestRun | None:
    """The register digest sent for `day`, with who sent it last (their names only), or None
    (one query)."""
    for (
        pk,
        sent_at,
        times_sent,
        students,
        staff_emails,
        teacher_emails,
        teachers,
        user_id,
        username,
        first_name,
        last_name,
    ) in _DIGEST(day):
        sent_by = (
            None
            if user_id is None
            else User(pk=user_id, username=username, first_name=first_name, last_name=last_name)
        )
        return DigestRun(
            pk=pk,
            date=day,
            sent_at=sent_at,
            sent_by=sent_by,
            times_sent=times_sent,
            students=students,
            staff_emails=staff_emails,
            teacher_emails=teacher_emails,
            teachers=teachers,
        )
    return None


@dataclass(frozen=True)
class RoomToday:
    """A provision's room with its places and how many are booked on the day."""

    provision: str
    room: str  # as `Room.__str__` writes it: "IE1" or "IE1 Old library"
    url: str  # the room's register today
    capacity: int
    booked: int


def rooms_today(*, booked: dict[int, int]) -> list[RoomToday]:
    """Each provision room with its places booked today (`booked` by room id, as the home page
    counted them: `sanctions.selectors.coming_days`); no query, the rooms are reference data."""
    url = url_maker("register-today")
    found = []
    for r in provision_selectors.bookable_provision_rooms():
        code, name = r.room.code, r.room.name
        found.append(
            RoomToday(
                provision=r.provision.name,
                room=code if not name or name == code else f"{code} {name}",
                url=url(code),
                capacity=r.capacity,
                booked=booked.get(r.room_id, 0),
            )
        )
    return found


def marks_between(start: dt.date, end: dt.date) -> QuerySet[AttendanceMark]:
    """Every attendance mark in the rooms between two dates, for the MIS export; never a mark
    for a day that has not come (the MIS would take it as attendance)."""
    return (
        AttendanceMark.objects.filter(
            placement_day__date__gte=start,
            placement_day__date__lte=min(end, clock.today()),
            placement_day__is_active=True,
        )
        .select_related(
            "placement_day__placement__student",
            "placement_day__placement__provision",
            "placement_day__room",
            "recorded_by",
        )
        .order_by(
            "placement_day__date",
            "placement_day__placement__student__legal_last_name",
            "placement_day__placement__student__legal_first_name",
            "session",
        )
    )


# The register's fingerprint, counted in the database for `register_version` (each grouped by
# its one room so that it is a read of rows: no row when there is nothing to count).
_DAYS_STATE = compiled_query(
    lambda room_id, day: (
        PlacementDay.objects.filter(room_id=room_id, date=day)
        .values("room_id")
        .annotate(
            n=Count("pk", filter=Q(is_active=True)),
            not_booked=Count("pk", filter=~Q(placement__status=Placement.Status.BOOKED)),
            last=Max("pk"),
        )
        .values_list("n", "not_booked", "last")
    )
)
_MARKS_STATE = compiled_query(
    lambda room_id, day: (
        AttendanceMark.objects.filter(placement_day__room_id=room_id, placement_day__date=day)
        .values("placement_day__room_id")
        .annotate(n=Count("pk"), last=Max("recorded_at"))
        .values_list("n", "last")
    )
)
_LOG_STATE = compiled_query(
    lambda room_id, day: (
        RoomLogEntry.objects.filter(placement_day__room_id=room_id, placement_day__date=day)
        .values("placement_day__room_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
)


def register_version(room_id: int, day: dt.date) -> str:
    """A fingerprint of a room's register on a day: changes whenever a placement day, mark, log
    entry, placement status or the day's closing changes, so an open register screen knows to
    refresh (the page itself takes it from what it read, `RegisterDay.version`). Four small
    reads, compiled once: an open screen asks every few seconds."""
    [(active, not_booked, last_pk)] = _DAYS_STATE(room_id, day) or [(0, 0, None)]
    [(marks, marks_last)] = _MARKS_STATE(room_id, day) or [(0, None)]
    [log] = _LOG_STATE(room_id, day) or [0]
    return _fingerprint(
        active=active,
        not_booked=not_booked,
        last_pk=last_pk,
        marks=marks,
        marks_last=marks_last,
        log=log,
        closed=len(_CLOSED(room_id, day)),
    )


def _fingerprint(
    *,
    active: int,
    not_booked: int,
    last_pk: int | None,
    marks: int,
    marks_last: dt.datetime | None,
    log: int,
    closed: int,
) -> str:
    return "-".join(
        str(v)
        for v in (
            active,
            not_booked,
            last_pk,
            marks,
            marks_last.timestamp() if marks_last else 0,
            log,
            closed,
        )
    )
