"""Who may see and do what with pastoral records: interviews, records of discussions and
safeguarding concerns, each at its confidentiality level (docs/safeguarding.md)."""

from conduct.roles import Role, has_role
from pastoral.models import LEVEL_RANK, Concern, Discussion, Interview, Level
from school import policies as school_policies

# Those who hold interviews in the rooms.
INTERVIEWERS = (Role.CONDUCT, Role.PASTORAL, Role.SLT)
# The pastoral team: who records discussions and reads records at the "pastoral" level.
PASTORAL_TEAM = (Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL)


def can_view_interviews(user, student) -> bool:
    """A student's interviews show on their behaviour timeline, which only those who may see the
    student's sensitive details see (pastoral staff: their years')."""
    return school_policies.can_view_student_sensitive(user, student)


def can_hold_interviews(user) -> bool:
    """The entry and exit interviews to do (home page): those who run the rooms and pastoral
    staff, who hold them."""
    return has_role(user, *INTERVIEWERS)


def can_hold_interview_with(user, student) -> bool:
    """Hold (and open) an interview with `student`: pastoral staff for their years."""
    return school_policies.reaches(user, student, INTERVIEWERS)


# ---- confidentiality levels ---------------------------------------------------------------


def level_allows(user, student, level: str, *, author_id: int | None = None) -> bool:
    """Whether `user` may read a record about `student` at `level`: its author always; a
    child-protection record only the DSL; a pastoral one the pastoral team (pastoral staff:
    their years); a staff one everyone who sees the student's history."""
    if author_id is not None and user.pk == author_id:
        return True
    if level == Level.CHILD_PROTECTION:
        return has_role(user, Role.DSL)
    if level == Level.PASTORAL:
        return school_policies.reaches(user, student, PASTORAL_TEAM)
    return school_policies.can_view_student_sensitive(user, student)


def can_read_interview(user, interview: Interview) -> bool:
    student = interview.placement.student
    if interview.status != Interview.Status.DONE:
        return can_hold_interview_with(user, student)
    return level_allows(user, student, interview.level, author_id=interview.conducted_by_id)


def can_read_targets(user, interview: Interview) -> bool:
    """Whether the "returning today" note to `user` carries the exit interview's targets: at the
    staff level, to every recipient; above it, only to those who may read that level (the others
    get "returning today" alone, which says nothing of the level)."""
    if interview.level == Level.STAFF:
        return True
    return level_allows(
        user, interview.placement.student, interview.level, author_id=interview.conducted_by_id
    )


def higher_levels(level: str) -> list[tuple[str, str]]:
    """The levels above `level` (value, label), the only ones a record can be raised to."""
    return [
        (value, label)
        for value, label in Level.choices
        if LEVEL_RANK[Level(value)] > LEVEL_RANK[Level(level)]
    ]


def can_raise_level(user, *, student, level: str, author_id: int | None) -> bool:
    """Raise a record's level: its author or the pastoral team, while they may read it."""
    if not level_allows(user, student, level, author_id=author_id):
        return False
    return user.pk == author_id or school_policies.reaches(user, student, PASTORAL_TEAM)


# ---- records of discussions ---------------------------------------------------------------


def can_record_discussions(user) -> bool:
    return has_role(user, *PASTORAL_TEAM)


def can_record_discussion_with(user, student) -> bool:
    """Record a discussion with `student`: the conduct and pastoral team (pastoral staff: their
    years)."""
    return school_policies.reaches(user, student, PASTORAL_TEAM)


def can_read_discussion(user, discussion: Discussion, *, shared_with_user: bool) -> bool:
    """The author, whoever it is shared with (below child protection), and the readers of its
    level."""
    if shared_with_user and discussion.level != Level.CHILD_PROTECTION:
        return True
    return level_allows(
        user, discussion.student, discussion.level, author_id=discussion.recorded_by_id
    )


def can_see_readers(user, discussion: Discussion) -> bool:
    """Who has read a shared discussion: its author (and the DSL)."""
    return user.pk == discussion.recorded_by_id or has_role(user, Role.DSL)


# ---- safeguarding concerns ----------------------------------------------------------------


def can_raise_concern(user, student) -> bool:
    """Every member of staff who may open the student's page may raise a concern."""
    return school_policies.can_view_student(user, student)


def can_raise_concerns(user) -> bool:
    return school_policies.can_view_students(user)


def can_read_concern(user, concern: Concern) -> bool:
    """Only the DSL and the concern's author."""
    return has_role(user, Role.DSL) or concern.raised_by_id == user.pk


def can_act_on_concerns(user) -> bool:
    """Record actions and the outcome of a concern; the list of concerns."""
    return has_role(user, Role.DSL)


# Those who phone families and log it: the officer who runs the rooms, pastoral staff (their
# years' students), SLT and the DSL.
FAMILY_CONTACT_ROLES = (Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL)


def can_contact_families(user) -> bool:
    """Whether `user` phones families at all (the "not told today" list on the home page)."""
    return has_role(user, *FAMILY_CONTACT_ROLES)


def can_log_family_call(user, student) -> bool:
    """Log a phone call to `student`'s family, or draft them a note home: pastoral staff for
    their years' students only."""
    return can_log_family_call_in_year(user, student.year_group_id)


def can_log_family_call_in_year(user, year_group_id: int) -> bool:
    """`can_log_family_call` for a student known only by their year group (a row read as
    values)."""
    return school_policies.reaches_year(user, year_group_id, FAMILY_CONTACT_ROLES)


def families_in_scope(user, queryset, path: str = ""):
    """Rows (at `path` the student) whose family `user` may contact."""
    return school_policies.scope_students(user, queryset, FAMILY_CONTACT_ROLES, path)


def can_own_interventions(user) -> bool:
    """Whether `user` may own interventions and sees the reviews due on their home page."""
    return has_role(user, *OWNER_ROLES)


# ---- reviews (pastoral/services/reviews.py) -------------------------------------------------


def can_see_review_tasks(user) -> bool:
    """Whether a home page may carry reviews to do: those a review can be for."""
    return has_role(user, Role.PASTORAL, Role.SENCO, Role.SLT, Role.CURRICULUM, Role.DSL)


def can_act_on_review_task(user, task) -> bool:
    """A review is for the person it names (a head of year, of department), for everyone in its
    role (SENCO, SLT), and SLT and the DSL may see them all; pastoral staff only for their years'
    students."""
    if not can_see_review_tasks(user):
        return False
    if task.student is not None and not school_policies.reaches(
        user, task.student, (Role.PASTORAL, Role.SENCO, Role.SLT, Role.DSL)
    ):
        return False
    if has_role(user, Role.SLT, Role.DSL):
        return True
    if task.assigned_to is not None and task.assigned_to.user_id == user.pk:
        return True
    if task.for_whom == "senco":
        return has_role(user, Role.SENCO)
    if task.for_whom == "head_of_year" and task.assigned_to_id is None:
        return has_role(user, Role.PASTORAL)
    return False


# ---- restorative meetings -----------------------------------------------------------------


def can_plan_restorative(user, student) -> bool:
    """Plan and record a restorative meeting with `student`: those who hold interviews (pastoral
    staff for their years)."""
    return can_hold_interview_with(user, student)


def can_read_restorative(user, meeting) -> bool:
    """Read a restorative meeting at its level (its planner always)."""
    return level_allows(user, meeting.student, meeting.level, author_id=meeting.planned_by_id)


def note_readable(user, record) -> bool:
    """Whether `user` may read a levelled note on a page they already see (a room log entry, a
    drop-in, an on-call outcome): the record says whose student it is and who wrote it
    (`level_subject()` → (student, level, author id)). Staff level: everyone on the page."""
    student, level, author_id = record.level_subject()
    if level == Level.STAFF:
        return True
    return level_allows(user, student, level, author_id=author_id)


# ---- meetings with families and interventions (docs/parents.md, docs/interventions.md) --------

# Who invites a family to a meeting, records it and sets interventions: the pastoral team (their
# years' students for pastoral staff) and the SENCO.
MEETING_ROLES = (Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL, Role.SENCO)
# Who owns an intervention and so may be chosen as its owner.
OWNER_ROLES = (Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.DSL, Role.SENCO)


def can_arrange_meetings(user) -> bool:
    """The meeting and intervention pages at all (the SENCO reads meetings, sets interventions)."""
    return has_role(user, *MEETING_ROLES)


def can_arrange_meeting_for(user, student) -> bool:
    """Invite `student`'s family to a meeting, record it, rearrange it: those who write to and
    phone families (their invitations are messages to check and send)."""
    return school_policies.reaches(user, student, FAMILY_CONTACT_ROLES)


def can_see_meetings_of(user, student) -> bool:
    """A student's meetings and interventions (pastoral-level records) on their page."""
    return school_policies.reaches(user, student, MEETING_ROLES)


def can_set_intervention_for(user, student) -> bool:
    return school_policies.reaches(user, student, MEETING_ROLES)


def can_review_intervention(user, intervention) -> bool:
    """Its owner, and whoever may set interventions for the student."""
    if intervention.owner_id == user.pk and has_role(user, *OWNER_ROLES):
        return True
    return school_policies.reaches(user, intervention.student, MEETING_ROLES)
