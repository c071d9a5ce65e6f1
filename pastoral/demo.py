"""Demo pastoral records (loaded by `manage.py load_demo` after the behaviour history): entry
interviews done for most placements, restorative exit interviews with their "returning today"
notes, records of discussions shared with heads of year, tutors and the SENCO (some read), records
at each confidentiality level, and two safeguarding concerns for the DSL."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction

from conduct.lib import clock
from conduct.roles import Role, grant_roles
from notify.models import Notice
from pastoral.models import Concern, Discussion, DiscussionShare, Interview, Level, RoomStandard
from pastoral.services import concerns, discussions, interviews
from sanctions.models import Placement
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
        counts["entry_interviews"] += 1

    # Restorative exit interviews for the placements that ended in the last fortnight.
    recent = Placement.objects.filter(
        status__in=[Placement.Status.COMPLETED],
        ends_on__lt=today,
        ends_on__gte=today - dt.timedelta(days=14),
    ).select_related("student__form__tutor", "student__year_group__head_of_year")[:25]
    for placement in recent:
        interviews.exit_interview_record(
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
        counts["exit_interviews"] += 1
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
