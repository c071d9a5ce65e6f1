"""Demo pastoral records (loaded by `manage.py load_demo` after the behaviour history): entry
interviews done for most placements, restorative exit interviews with their "returning today"
notes, a restorative meeting held and one planned, room log notes and drop-ins at the pastoral
level, records of discussions shared with heads of year, tutors and the SENCO (some read), records
at each confidentiality level, and two safeguarding concerns for the DSL."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from audit.selectors import history_of
from conduct.lib import clock
from conduct.roles import Role, grant_roles
from notify.models import Notice
from pastoral.models import (
    Concern,
    Discussion,
    DiscussionShare,
    Interview,
    Level,
    RestorativeMeeting,
    RoomStandard,
)
from pastoral.services import concerns, discussions, interviews, restorative
from patrol.models import DropIn
from sanctions.models import Placement, PlacementDay, RoomLogEntry
from school.demo.logins import DEMO_PASSWORD
from school.models import Staff, Student

ACCOUNTS = [
    "Says it started in the lunch queue and they were pushed first.",
    "Accepts they swore at the teacher; says they were embarrassed in front of the class.",
    "Says they did not hear the instruction; agrees they walked out.",
    "Admits throwing the bottle; says it was a joke that went wrong.",
]
SAID = [
    "Talked about friendships in the form group; feels left out at lunch.",
    "Worried about mocks; has not been sleeping well.",
    "Spoke about the incident in science; understands why it escalated.",
    "Says things are difficult at home since the move; wants someone to talk to.",
    "Agreed the time-out card would help in maths.",
]
ACTIONS = ["Lunch club on Tuesdays", "Check in with the form tutor each morning", "Mentor sessions"]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _senco_login():
    """The demo school's SENCO (a member of staff without a login in the school demo) gets the
    `senco` login, with the demo password, so what is shared with the SENCO can be seen."""
    existing = _user("senco")
    if existing is not None:
        return existing
    staff = Staff.objects.filter(job_title="SENCO", user__isnull=True).first()
    if staff is None:
        return None
    user = get_user_model().objects.create_user(
        username="senco",
        password=DEMO_PASSWORD,
        first_name=staff.first_name,
        last_name=staff.last_name,
        email=staff.email,
    )
    grant_roles(user, Role.SENCO)
    staff.user = user
    staff.save(update_fields=["user"])
    return user


@transaction.atomic
def _restorative_meetings(recent: list, today: dt.date, conduct, pastoral) -> int:
    """After three of the exit interviews: a restorative meeting held with the teacher who was
    affected (recorded), one planned with another student and moved to tomorrow (the first time
    and place kept in its history), and one cancelled with the reason."""
    made = 0
    for n, placement in enumerate(recent[:3]):
        student = placement.student
        head = student.year_group.head_of_year
        other = (
            Student.objects.filter(year_group=student.year_group, left_on__isnull=True)
            .exclude(pk=student.pk)
            .first()
        )
        teacher = Staff.objects.filter(user__username="teacher").first()
        when = clock.at(
            placement.ends_on + dt.timedelta(days=1) if n == 0 else today + dt.timedelta(days=1),
            dt.time(12, 40),
        )
        meeting = restorative.restorative_meeting_plan(
            student=student,
            placement=placement,
            affected_staff=teacher if n != 1 else None,
            affected_student=other if n == 1 else None,
            starts_at=when if n != 1 else when - dt.timedelta(days=1),
            place="Year office" if n != 1 else "The reflection room, after lunch",
            facilitator=head,
            level=Level.PASTORAL,
            by=conduct,
        )
        if n == 0:
            restorative.restorative_meeting_record(
                meeting=meeting,
                attended=f"{student.name}, {teacher.display_name if teacher else 'the teacher'}, "
                f"{head.display_name if head else 'the head of year'} (facilitating)",
                said="Each said what happened and how it felt; the teacher explained the effect "
                "on the class.",
                agreed="An apology in person; a seat near the front; check in each Friday.",
                outcome=RestorativeMeeting.Outcome.REPAIRED,
                by=pastoral,
            )
        elif n == 1:
            restorative.restorative_meeting_move(
                meeting=meeting, starts_at=when, place="Year 9 office", by=conduct
            )
        else:
            restorative.restorative_meeting_cancel(
                meeting=meeting,
                reason="The teacher asked to talk with the student on their own in the lesson "
                "instead; the head of year agreed.",
                by=conduct,
            )
        made += 1
    return made


def _levelled_notes(rng: random.Random, today: dt.date, conduct) -> int:
    """Notes in the rooms' logs on recent days (most at the staff level, a few at the pastoral
    level), and a few drop-ins kept at the pastoral level (one at the child-protection level):
    the demo's register and watch list show each only to those who may read it."""
    staff_notes = [
        "Settled quickly; worked through the maths pack.",
        "Asked for a break at 11:00; back on time.",
        "Warned twice for talking across the room.",
    ]
    pastoral_notes = [
        "Upset after a phone call at break; talked it through with the officer.",
        "Mentioned trouble with friends on the bus; head of year told.",
    ]
    days = list(
        PlacementDay.objects.filter(
            is_active=True, date__lt=today, date__gte=today - dt.timedelta(days=10)
        ).order_by("-date")[:12]
    )
    made = 0
    for n, day in enumerate(days):
        pastoral = n % 4 == 1
        RoomLogEntry.objects.create(
            placement_day=day,
            kind=RoomLogEntry.Kind.NOTE,
            at=dt.time(10 + n % 4, 5 * (n % 6)),
            note=rng.choice(pastoral_notes if pastoral else staff_notes),
            level=Level.PASTORAL if pastoral else Level.STAFF,
            recorded_by=conduct,
            recorded_at=clock.at(day.date, dt.time(15, 0)),
        )
        made += pastoral
    drop_ins = list(DropIn.objects.exclude(note="").values_list("pk", flat=True)[:30])
    chosen = rng.sample(drop_ins, k=min(4, len(drop_ins)))
    DropIn.objects.filter(pk__in=chosen[:3]).update(level=Level.PASTORAL)
    if len(chosen) > 3:
        DropIn.objects.filter(pk=chosen[3]).update(
            level=Level.CHILD_PROTECTION,
            note="Said things are hard at home; passed to the DSL the same morning.",
        )
    return made + len(chosen)


def load_pastoral_demo(*, today: dt.date, seed: int = 2026) -> dict[str, int]:
    """Load the pastoral demo; returns counts. Does nothing without the demo logins."""
    rng = random.Random(seed)
    conduct, pastoral, teacher = _user("conduct"), _user("pastoral"), _user("teacher")
    if conduct is None or pastoral is None or teacher is None:
        return {}
    counts = {"entry_interviews": 0, "exit_interviews": 0, "discussions": 0, "concerns": 0}
    standards = list(RoomStandard.objects.filter(active=True).values_list("pk", flat=True))

    # Most past entry interviews were held; a few are left to do (and today's are to do).
    for interview in Interview.objects.filter(
        kind=Interview.Kind.ENTRY, status=Interview.Status.TO_DO, due_on__lt=today
    ).select_related("placement__student")[:400]:
        if rng.random() < 0.15:
            continue
        interviews.interview_entry_complete(
            interview=interview,
            standard_ids=rng.sample(standards, k=min(len(standards), rng.randint(3, 5))),
            student_account=rng.choice(ACCOUNTS),
            level=Level.STAFF if rng.random() < 0.3 else Level.PASTORAL,
            by=conduct,
        )
        held = clock.at(interview.due_on, dt.time(9, rng.randint(0, 40)))
        Interview.objects.filter(pk=interview.pk).update(conducted_at=held)
        history_of(interview).filter(to_value=Interview.Status.DONE).update(at=held)
        counts["entry_interviews"] += 1

    # Restorative exit interviews for the placements that ended in the last fortnight.
    recent = Placement.objects.filter(
        status__in=[Placement.Status.COMPLETED],
        ends_on__lt=today,
        ends_on__gte=today - dt.timedelta(days=14),
    ).select_related("student__form__tutor", "student__year_group__head_of_year")[:25]
    for placement in recent:
        exit_interview = interviews.exit_interview_record(
            placement=placement,
            harm_answers={},
            affected_answers={},
            targets=rng.choice(
                [
                    "Arrive on time to every lesson; use the time-out card instead of walking out.",
                    "Apologise to Mr Hughes; sit at the front in science for two weeks.",
                    "No phone out in lessons; report to the head of year each Friday.",
                ]
            ),
            check_in_by=placement.student.year_group.head_of_year,
            check_in_when="Each morning for a week, at registration",
            check_in_how="Five minutes in the year office",
            by=conduct,
        )
        # Held at the end of the placement's last day, before it closed (not at loading).
        held = clock.at(placement.ends_on, dt.time(15, 15))
        Interview.objects.filter(pk=exit_interview.pk).update(conducted_at=held)
        history_of(exit_interview).filter(to_value=Interview.Status.DONE).update(at=held)
        counts["exit_interviews"] += 1
    counts["restorative_meetings"] = _restorative_meetings(list(recent), today, conduct, pastoral)
    counts["levelled_notes"] = _levelled_notes(rng, today, conduct)
    # The older "returning today" notes have been read; the last few wait in inboxes.
    old = Notice.objects.filter(kind="returning_today").order_by("-pk").values_list("pk", flat=True)
    Notice.objects.filter(pk__in=list(old[6:])).update(read_at=clock.now())

    # Records of discussions, shared with heads of year, tutors and the SENCO.
    students = list(
        Student.objects.filter(left_on__isnull=True, year_group__number=9).select_related(
            "form__tutor", "year_group__head_of_year"
        )[:60]
    )
    senco = _senco_login()
    for n, student in enumerate(rng.sample(students, k=min(20, len(students)))):
        groups = rng.choice([["head_of_year"], ["form_tutor"], ["senco"], []])
        tutor = student.form.tutor if student.form is not None else None
        head = student.year_group.head_of_year
        if groups == ["form_tutor"] and (tutor is None or tutor.user_id is None):
            groups = []
        if groups == ["head_of_year"] and (head is None or head.user_id is None):
            groups = []
        discussion = discussions.discussion_record(
            student=student,
            said=rng.choice(SAID),
            actions=rng.choice(ACTIONS),
            follow_up_on=today + dt.timedelta(days=rng.randint(3, 14)),
            level=Level.STAFF if n % 3 == 0 else Level.PASTORAL,
            groups=groups if (groups != ["senco"] or senco is not None) else [],
            came_from=rng.choice(["", "", "drop_in", "sent_out"]),
            by=conduct if n % 2 else pastoral,
        )
        when = clock.now() - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 5))
        Discussion.objects.filter(pk=discussion.pk).update(recorded_at=when)
        if rng.random() < 0.5:
            DiscussionShare.objects.filter(discussion=discussion).update(read_at=clock.now())
        counts["discussions"] += 1
    # One record at the child-protection level: only the DSL and its author read it.
    if students:
        discussions.discussion_record(
            student=students[0],
            said="Disclosed an argument at home; a bruise on the arm. Passed to the DSL at once.",
            level=Level.CHILD_PROTECTION,
            by=pastoral,
        )
        counts["discussions"] += 1

    # Two safeguarding concerns: one urgent and open, one closed with the DSL's actions.
    dsl = _user("dsl")
    if len(students) > 2:
        concerns.concern_raise(
            student=students[1],
            what="Said she does not want to go home tonight and asked if she could stay late.",
            urgent=True,
            came_from="a lesson",
            by=teacher,
        )
        closed = concerns.concern_raise(
            student=students[2],
            what="Has come to school hungry three days this week; uniform not washed.",
            by=teacher,
        )
        if dsl is not None:
            concerns.concern_action_add(
                concern=closed, text="Spoke with the student; rang mum.", by=dsl
            )
            concerns.concern_action_add(
                concern=closed, text="Breakfast club place from Monday.", by=dsl
            )
            concerns.concern_close(
                concern=closed, outcome="Early help offered and accepted by the family.", by=dsl
            )
        counts["concerns"] = Concern.objects.count()
    return counts
