"""The demo's data protection: the retention schedule's defaults, a student who left long ago
(so `apply_retention` has someone to remove) and a corrected record."""

import datetime as dt

from django.contrib.auth import get_user_model

from conduct.roles import Role
from pastoral.models import Discussion, Interview, Level
from privacy.services import corrections, retention
from sanctions.models import Incident, IncidentStudent, ReasonCategory
from school.models import Staff, Student, YearGroup

FORMER_UPN = "Z801200000001"


def _years_before(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year - years)


def load_privacy_demo(*, today: dt.date) -> dict[str, int]:
    """Idempotent: the schedule, one former student with history, one correction."""
    rules = retention.retention_schedule_ensure()
    users = get_user_model().objects
    dsl = users.filter(groups__name=Role.DSL).order_by("pk").first()
    reporter = Staff.objects.filter(user__isnull=False).order_by("pk").first()
    reason = ReasonCategory.objects.order_by("pk").first()
    made = 0
    if dsl and reporter and reason and not Student.objects.filter(upn=FORMER_UPN).exists():
        left_on = _years_before(today, 11).replace(month=7, day=20)
        former = Student.objects.create(
            upn=FORMER_UPN,
            legal_first_name="Kieran",
            legal_last_name="Ashworth",
            date_of_birth=_years_before(today, 27).replace(month=2, day=3),
            gender=Student.Gender.MALE,
            year_group=YearGroup.objects.order_by("-number").first(),
            admitted_on=_years_before(today, 16).replace(month=9, day=1),
        )
        occurred = dt.datetime.combine(
            left_on - dt.timedelta(days=200), dt.time(11, 5), tzinfo=dt.UTC
        )
        incident = Incident.objects.create(
            occurred_at=occurred,
            location="Science block",
            reason=reason,
            description="Left the lesson without permission and refused to return.",
            reported_by=reporter,
            recorded_by=reporter.user,
            recorded_at=occurred,
        )
        IncidentStudent.objects.create(incident=incident, student=former, part="perpetrator")
        Discussion.objects.create(
            student=former,
            recorded_by=dsl,
            recorded_at=occurred,
            said="Talked about the move to college and what support he wants.",
            level=Level.PASTORAL,
        )
        Student.objects.filter(pk=former.pk).update(left_on=left_on)
        made = 1
    corrected = 0
    discussion = Discussion.objects.exclude(level=Level.CHILD_PROTECTION).order_by("pk").first()
    better = "Check in with the form tutor every Monday; review at the end of half term."
    if dsl and discussion and discussion.actions != better:
        corrections.record_correct(
            kind="discussion",
            record=discussion,
            field="actions",
            value=better,
            reason="The actions agreed were written down incompletely: the review date was missed",
            by=dsl,
        )
        corrected = 1
    # An exit interview's targets put right: the first one written names the wrong lesson.
    exit_interview = (
        Interview.objects.filter(kind=Interview.Kind.EXIT, status=Interview.Status.DONE)
        .exclude(level=Level.CHILD_PROTECTION)
        .exclude(targets="")
        .order_by("pk")
        .first()
    )
    if dsl and exit_interview and not exit_interview.targets.startswith("In maths and science"):
        corrections.record_correct(
            kind="exit-interview",
            record=exit_interview,
            field="targets",
            value=f"In maths and science: {exit_interview.targets}",
            reason="The targets apply in science too, as agreed at the interview; left out "
            "when typed up",
            by=dsl,
        )
        corrected += 1
    return {"retention_rules": len(rules), "former_students": made, "corrections": corrected}
