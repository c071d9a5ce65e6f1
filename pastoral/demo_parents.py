"""Demo data for telling parents, meetings, interventions and reviews (docs/parents.md,
docs/interventions.md): calls about today's placements (one family reached, one not), a meeting
held last week that agreed two interventions (one reviewed, both due for review this week), a
meeting invited for next week, and the reviews the rules opened while the term's history was
booked (one more opened if none was)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from conduct.lib import clock
from conduct.roles import Role
from pastoral.models import FamilyCall, InterventionType, Meeting, ReviewRule, ReviewTask
from pastoral.services import family_contacts, interventions, meetings, reviews
from sanctions.models import Placement, PlacementDay
from school import policies as school_policies
from school.models import StudentGuardian
from school.selectors.calendar import school_days_from


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def load_parents_demo(*, today: dt.date) -> dict[str, int]:
    pastoral = _user("pastoral") or _user("slt")
    conduct = _user("conduct") or pastoral
    if pastoral is None or FamilyCall.objects.exists():
        return {}
    counts = {"calls": 0, "meetings": 0, "interventions": 0, "reviews": 0}
    # Calls about today's placements: the first family reached, the second not answering.
    days = list(
        PlacementDay.objects.filter(date=today, is_active=True)
        .exclude(placement__status=Placement.Status.CANCELLED)
        .select_related("placement__student")[:2]
    )
    morning = clock.at(today, dt.time(9, 10))
    for day, outcome in zip(days, ("spoke", "no_answer"), strict=False):
        link = (
            StudentGuardian.objects.filter(student=day.placement.student)
            .select_related("guardian")
            .order_by("-parental_responsibility", "priority")
            .first()
        )
        if link is None:
            continue
        family_contacts.family_call_record(
            student=day.placement.student,
            placement=day.placement,
            guardian=link.guardian,
            outcome=outcome,
            note="Mum will talk to him tonight." if outcome == "spoke" else "",
            called_at=min(morning, clock.now()),
            by=conduct,
        )
        counts["calls"] += 1
    # The most often placed student: a meeting last week that agreed two interventions.
    # A student in the head of year's own years: they hold the meeting and own the interventions.
    in_years = school_policies.scope_q(pastoral, (Role.PASTORAL, Role.SLT), "student__")
    placement = (
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .filter(in_years, starts_on__lt=today)
        .order_by("student_id")
        .select_related("student")
        .first()
    )
    if placement is not None:
        student = placement.student
        held_at = clock.at(today - dt.timedelta(days=7), dt.time(15, 45))
        held = Meeting.objects.create(
            student=student,
            placement=placement,
            purpose="to agree how we support them after their time in the room",
            starts_at=held_at,
            place="Student services",
            status=Meeting.Status.HELD,
            discussed="Talked through what happened. Agreed a report card and weekly mentoring.",
            invited_by=pastoral,
            recorded_by=pastoral,
            # Written up after the meeting, not when the demo was loaded.
            recorded_at=held_at + dt.timedelta(minutes=45),
        )
        guardians = [
            link.guardian
            for link in StudentGuardian.objects.filter(
                student=student, parental_responsibility=True
            )
        ]
        held.guardians.set(guardians)
        held.attended_by.set(guardians[:1])
        counts["meetings"] += 1
        # Reviews fall on school days: today, and the third school day from tomorrow (a
        # Wednesday's "in three days" is a Saturday).
        in_three = school_days_from(today + dt.timedelta(days=1), 3)
        in_three_days = in_three[-1] if in_three else today + dt.timedelta(days=3)
        for name, target, review_on in (
            ("Report card", "On time to every lesson with equipment", today),
            (
                "Mentoring",
                "Weekly check-in; uses the time-out card instead of walking out",
                in_three_days,
            ),
        ):
            intervention = interventions.intervention_start(
                student=student,
                kind=InterventionType.objects.get(name=name),
                owner=pastoral,
                starts_on=today - dt.timedelta(days=7),
                review_on=review_on,
                target=target,
                meeting=held,
                by=pastoral,
            )
            counts["interventions"] += 1
        interventions.intervention_review(
            intervention=intervention,
            progress="Two check-ins so far; used the card once.",
            decision="extend",
            next_review_on=in_three_days,
            by=pastoral,
        )
        counts["reviews"] += 1
        # ... and the next meeting invited for a week today.
        try:
            meetings.meeting_invite(
                student=student,
                starts_at=clock.at(today + dt.timedelta(days=7), dt.time(15, 45)),
                place="Student services",
                purpose="to review the report card and mentoring",
                by=pastoral,
            )
            counts["meetings"] += 1
        except Exception:  # a demo family without a usable contact: skip the invitation
            pass
        _not_attended_and_rearranged(
            today=today, besides=student.pk, pastoral=pastoral, conduct=conduct, counts=counts
        )
        if not ReviewTask.objects.exists():
            reviews.review_rules_check(placement=placement, by=pastoral)
        if not ReviewTask.objects.exists():
            removals = Placement.objects.filter(student=student).count()
            ReviewTask.objects.create(
                rule=ReviewRule.objects.filter(kind=ReviewRule.Kind.REMOVALS).first()
                or ReviewRule.objects.create(kind=ReviewRule.Kind.REMOVALS, count=3),
                for_whom=ReviewTask.For.HEAD_OF_YEAR,
                student=student,
                assigned_to=student.year_group.head_of_year if student.year_group else None,
                reason=f"{student.name}: {removals} removals this term.",
                placement=placement,
                opened_at=clock.now(),
            )
    counts["open_reviews"] = ReviewTask.objects.filter(status=ReviewTask.Status.OPEN).count()
    return counts


def _not_attended_and_rearranged(*, today, besides, pastoral, conduct, counts) -> None:
    """Another placed student's family did not come to a meeting last week: it was rearranged
    to next week, and the room's officer owns a report card due for review today."""
    placement = (
        Placement.objects.exclude(status=Placement.Status.CANCELLED)
        .exclude(student_id=besides)
        .filter(school_policies.scope_q(pastoral, (Role.PASTORAL, Role.SLT), "student__"))
        .filter(starts_on__lt=today, student__guardian_links__parental_responsibility=True)
        .order_by("student_id")
        .select_related("student")
        .first()
    )
    if placement is None:
        return
    student = placement.student
    missed = Meeting.objects.create(
        student=student,
        placement=placement,
        purpose="to talk about the day in the room and what happens next",
        starts_at=clock.at(today - dt.timedelta(days=6), dt.time(8, 30)),
        mode=Meeting.Mode.PHONE,
        place="the mobile number on record",
        status=Meeting.Status.NOT_ATTENDED,
        invited_by=pastoral,
        recorded_by=pastoral,
        recorded_at=clock.at(today - dt.timedelta(days=6), dt.time(9, 0)),
    )
    missed.guardians.set(
        [
            link.guardian
            for link in StudentGuardian.objects.filter(
                student=student, parental_responsibility=True
            ).select_related("guardian")
        ]
    )
    counts["meetings"] += 1
    try:
        meetings.meeting_rearrange(
            meeting=missed,
            starts_at=clock.at(today + dt.timedelta(days=5), dt.time(16, 0)),
            by=pastoral,
        )
        counts["meetings"] += 1
    except Exception:  # a demo family without a usable contact: leave it not attended
        pass
    interventions.intervention_start(
        student=student,
        kind=InterventionType.objects.get(name="Report card"),
        owner=conduct,
        starts_on=today - dt.timedelta(days=6),
        review_on=today,
        target="A signed report card every lesson for a week",
        by=pastoral,
    )
    counts["interventions"] += 1
