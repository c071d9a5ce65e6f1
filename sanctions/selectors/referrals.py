"""Reads for referrals: what waits for a decision, what a person asked for, and what an
approver must weigh before booking."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from conduct.roles import Role, roles_of
from sanctions.models import Placement, PlacementDay, Provision, Referral
from sanctions.selectors import provisions as provision_selectors
from school import policies as school_policies
from school.models import Student
from school.selectors.calendar import half_term_on, school_days_from

# What a referral's row and page show, in one join: who raised it and, for the escalation
# ladder's referrals, the placement that set the ladder off.
ROW_RELATED = (
    "student__year_group",
    "student__form",
    "provision",
    "requested_by",
    "decided_by",
    "incident__reason",
    "escalated_from__provision",
)


def pending_referrals_for(user) -> QuerySet[Referral]:
    """Referrals waiting for a decision that this user's roles may make, oldest first."""
    roles = roles_of(user)
    decidable = Q(pk__in=[])
    deciding = False
    for provision in provision_selectors.all_provisions():
        if roles & set(provision.approver_roles):
            deciding = True
            # Pastoral staff decide for their years only.
            decidable |= Q(provision=provision) & school_policies.scope_q(
                user, provision.approver_roles, "student__"
            )
    if not deciding:
        # Nothing to decide: an empty queryset costs nothing, where the query with its joins
        # cost ~1.5 ms of Python to build only to find it could match nothing.
        return Referral.objects.none()
    return (
        Referral.objects.filter(decidable, status=Referral.Status.PENDING)
        .select_related(*ROW_RELATED)
        .order_by("requested_at")
    )


def referrals_made_by(user, limit: int = 20) -> QuerySet[Referral]:
    """The latest referrals this user made, newest first, with their decision."""
    return (
        Referral.objects.filter(requested_by=user)
        .select_related(*ROW_RELATED)
        .order_by("-requested_at")[:limit]
    )


@dataclass(frozen=True)
class RaisedBy:
    """Who raised a referral, as its pages say it: a person who asked, or the escalation ladder
    with what set it off."""

    by_ladder: bool
    who: str  # a table's "Raised by" cell
    sentence: str  # "asked by Alice Teague", "raised by the escalation ladder after ..."
    note: str = ""  # what the person who failed the student wrote


def referral_raised_by(referral: Referral) -> RaisedBy:
    """Who raised `referral`, from the relations `ROW_RELATED` loads (no query of its own)."""
    user = referral.requested_by
    person = user.get_full_name() or user.get_username()
    placement = referral.escalated_from
    if placement is None:
        return RaisedBy(False, person, f"asked by {person}")
    # The ladder runs as a placement fails (the same moment) or as a repeat is booked (before
    # it closes); the person recorded as asking is the one who failed or booked it.
    failed = (
        placement.status == Placement.Status.FAILED
        and placement.closed_at is not None
        and referral.requested_at >= placement.closed_at
    )
    if failed:
        what = (
            f"after {person} failed {referral.student.first_name} from "
            f"{placement.provision.name.lower()}"
        )
        return RaisedBy(
            True,
            f"Escalation ladder, {what}",
            f"raised by the escalation ladder {what}",
            placement.closing_note,
        )
    why = referral.note.removeprefix("Escalation ladder:").strip().rstrip(".")
    return RaisedBy(
        True,
        f"Escalation ladder: {why}" if why else "Escalation ladder",
        f"raised by the escalation ladder: {why}" if why else "raised by the escalation ladder",
    )


@dataclass
class BookingWarning:
    """Something the approver should weigh before booking; `kind` lets a page style it."""

    kind: str
    message: str


def booking_warnings(
    student: Student, provision: Provision, days: int, on: dt.date
) -> list[BookingWarning]:
    """What an approver must see before booking: double booking, repeat placements this
    half-term, SEN / EHCP, and too many consecutive days out of lessons."""
    warnings: list[BookingWarning] = []
    upcoming = list(
        PlacementDay.objects.filter(
            placement__student=student,
            is_active=True,
            date__gte=on,
            placement__status=Placement.Status.BOOKED,
        ).select_related("placement__provision")
    )
    if upcoming:
        dates = ", ".join(f"{d.date:%a %d %b} ({d.placement.provision})" for d in upcoming[:5])
        warnings.append(BookingWarning("booked", f"{student.name} is already booked: {dates}."))
    half_term = half_term_on(on)
    if half_term:
        so_far = Placement.objects.filter(
            student=student,
            provision=provision,
            starts_on__gte=half_term.starts_on,
            starts_on__lte=half_term.ends_on,
        ).exclude(status=Placement.Status.CANCELLED)
        count = so_far.count()
        if count >= provision.warn_after_per_half_term:
            warnings.append(
                BookingWarning(
                    "repeat",
                    f"{student.name} has had {count} {provision.name.lower()} placement"
                    f"{'s' if count != 1 else ''} this half-term ({half_term.name}).",
                )
            )
    if student.sen_status in (Student.SenStatus.EHCP, Student.SenStatus.SUPPORT):
        what = "an EHCP" if student.has_ehcp else "SEN support"
        warnings.append(
            BookingWarning(
                "sen",
                f"{student.name} has {what}. Check the reasonable adjustments in their plan "
                "(timings, breaks, a familiar adult, work pitched to need) and talk to the "
                "SENCO before booking.",
            )
        )
    if provision.is_bookable:
        run = _consecutive_days_out(student, on, days)
        if run > provision.max_consecutive_days:
            warnings.append(
                BookingWarning(
                    "consecutive",
                    f"This would keep {student.name} out of lessons for {run} school days in a "
                    f"row (the limit set for {provision.name.lower()} is "
                    f"{provision.max_consecutive_days}).",
                )
            )
    return warnings


def _consecutive_days_out(student: Student, start: dt.date, days: int) -> int:
    """Length of the run of school days out of lessons if `days` more are booked from `start`,
    counting booked days just before and after."""
    booked = set(
        PlacementDay.objects.filter(placement__student=student, is_active=True).values_list(
            "date", flat=True
        )
    )
    window = school_days_from(start - dt.timedelta(days=21), 60)
    planned = set(school_days_from(start, days))
    out = booked | planned
    best = run = 0
    for day in window:
        run = run + 1 if day in out else 0
        best = max(best, run)
    return best


@dataclass(frozen=True)
class WaitingReferral:
    """A referral waiting for someone else's decision, and who may make it."""

    referral: Referral
    waiting_for: str  # e.g. "Pastoral or Senior leadership"


def pending_referrals_for_others(user) -> list[WaitingReferral]:
    """Referrals waiting for a decision this user's roles may not make (an internal exclusion
    waiting for a head of year), oldest first: the room for the coming days is planned from
    them (two queries)."""
    roles = roles_of(user)
    provisions = list(Provision.objects.all())
    theirs = [p.kind for p in provisions if roles & set(p.approver_roles)]
    deciders = {
        p.pk: " or ".join(Role(code).label for code in p.approver_roles if code in Role.values)
        for p in provisions
    }
    referrals = (
        Referral.objects.filter(status=Referral.Status.PENDING)
        .exclude(provision__kind__in=theirs)
        # What the home page's rows show: the student, their form, the provision and who raised
        # it (`referral_raised_by`).
        .select_related("student__form", "provision", "requested_by", "escalated_from__provision")
        .order_by("requested_at")
    )
    return [WaitingReferral(r, deciders.get(r.provision_id) or "nobody yet") for r in referrals]
