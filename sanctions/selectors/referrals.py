"""Reads for referrals: what waits for a decision, what a person asked for, and what an
approver must weigh before booking."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Value

from conduct.lib import wording
from conduct.lib.compiled import compiled_query
from conduct.lib.urls import url_maker
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
    placement = referral.escalated_from
    return _raised_by(
        person=user.get_full_name() or user.get_username(),
        first_name=referral.student.first_name,
        note=referral.note,
        requested_at=referral.requested_at,
        ladder=placement is not None,
        ladder_status=placement.status if placement else "",
        ladder_closed_at=placement.closed_at if placement else None,
        ladder_provision=placement.provision.name if placement else "",
        ladder_note=placement.closing_note if placement else "",
    )


def referral_raised_by_values(values: Mapping[str, Any], *, first_name: str) -> RaisedBy:
    """`referral_raised_by` for a referral read as `.values()` with ROW_VALUES' requested_by__
    and escalated_from__ columns (`first_name`: its student's)."""
    person = (
        f"{values['requested_by__first_name']} {values['requested_by__last_name']}".strip()
        or values["requested_by__username"]
    )
    return _raised_by(
        person=person,
        first_name=first_name,
        note=values["note"],
        requested_at=values["requested_at"],
        ladder=values["escalated_from"] is not None,
        ladder_status=values["escalated_from__status"] or "",
        ladder_closed_at=values["escalated_from__closed_at"],
        ladder_provision=values["escalated_from__provision__name"] or "",
        ladder_note=values["escalated_from__closing_note"] or "",
    )


def _raised_by(
    *,
    person: str,
    first_name: str,
    note: str,
    requested_at: dt.datetime,
    ladder: bool,
    ladder_status: str,
    ladder_closed_at: dt.datetime | None,
    ladder_provision: str,
    ladder_note: str,
) -> RaisedBy:
    if not ladder:
        return RaisedBy(False, person, f"asked by {person}")
    # The ladder runs as a placement fails (the same moment) or as a repeat is booked (before
    # it closes); the person recorded as asking is the one who failed or booked it.
    failed = (
        ladder_status == Placement.Status.FAILED
        and ladder_closed_at is not None
        and requested_at >= ladder_closed_at
    )
    if failed:
        what = f"after {person} failed {first_name} from {ladder_provision.lower()}"
        return RaisedBy(
            True,
            f"Escalation ladder, {what}",
            f"raised by the escalation ladder {what}",
            ladder_note,
        )
    why = note.removeprefix("Escalation ladder:").strip().rstrip(".")
    return RaisedBy(
        True,
        f"Escalation ladder: {why}" if why else "Escalation ladder",
        f"raised by the escalation ladder: {why}" if why else "raised by the escalation ladder",
    )


# What a referral's row shows, read as plain values (issue 15: building the models and their
# seven joins cost several times more than the row).
ROW_VALUES = (
    "pk",
    "days",
    "note",
    "status",
    "requested_at",
    "provision__name",
    "provision__approver_roles",
    "student__preferred_first_name",
    "student__legal_first_name",
    "student__preferred_last_name",
    "student__legal_last_name",
    "student__year_group_id",
    "student__form__code",
    "incident__reason__code",
    "incident__reason__name",
    "incident__reason__is_dfe",
    "requested_by__first_name",
    "requested_by__last_name",
    "requested_by__username",
    "escalated_from",
    "escalated_from__status",
    "escalated_from__closed_at",
    "escalated_from__closing_note",
    "escalated_from__provision__name",
)


@dataclass(frozen=True)
class ReferralRow:
    """A referral as a list shows it, every word and link written once."""

    pk: int
    url: str
    student_name: str
    form: str  # "" when the student has no form
    provision: str
    days: int
    reason: str  # "" when the incident has no reason
    raised_by: str  # who raised it (`RaisedBy.who`)
    when: str  # "Tue 3 Nov 10:15"
    status_label: str
    approver_roles: tuple[str, ...]
    year_group_id: int
    waiting_for: str  # who may decide it: "Pastoral or Senior leadership", or "nobody yet"


def referral_rows(values) -> list[ReferralRow]:
    """Rows from a referral queryset's `.values(*ROW_VALUES)` (no query of its own)."""
    url = url_maker("referral-detail")
    status_labels = dict(Referral.Status.choices)
    role_labels = dict(Role.choices)
    rows = []
    for v in values:
        first = v["student__preferred_first_name"] or v["student__legal_first_name"]
        last = v["student__preferred_last_name"] or v["student__legal_last_name"]
        origin = referral_raised_by_values(v, first_name=first)
        reason = v["incident__reason__name"] or ""
        if v["incident__reason__is_dfe"]:
            reason = f"{v['incident__reason__code']} – {reason}"
        roles = tuple(v["provision__approver_roles"] or ())
        rows.append(
            ReferralRow(
                pk=v["pk"],
                url=url(v["pk"]),
                student_name=f"{first} {last}",
                form=v["student__form__code"] or "",
                provision=v["provision__name"],
                days=v["days"],
                reason=reason,
                raised_by=origin.who,
                when=f"{wording.short_day(v['requested_at'])} {wording.hhmm(v['requested_at'])}",
                status_label=status_labels.get(v["status"], v["status"]),
                approver_roles=roles,
                year_group_id=v["student__year_group_id"],
                waiting_for=" or ".join(role_labels[code] for code in roles if code in role_labels)
                or "nobody yet",
            )
        )
    return rows


@dataclass(frozen=True)
class PendingReferrals:
    """The referrals waiting for a decision: those the viewer may decide, and those none of
    their roles may decide (an internal exclusion waiting for a head of year)."""

    yours: list[ReferralRow]
    others: list[ReferralRow]


def _pending():
    return (
        Referral.objects.filter(status=Referral.Status.PENDING)
        .values(*ROW_VALUES)
        .order_by("requested_at")
    )


# Every referral waiting for a decision, compiled; those of the provisions a person decides are
# picked from it in Python (a list of provisions would vary the SQL with its length).
_ALL_PENDING = compiled_query(_pending)


def pending_referrals(user, *, others: bool = False) -> PendingReferrals:
    """Every referral waiting for a decision, oldest first, split into those `user` may decide
    (one of the provision's approver roles reaching the student: `school.policies.reaches`)
    and, with `others`, those no role of theirs may decide for any student. Two queries; one
    when none of their roles decides any provision and `others` is not asked for."""
    roles = roles_of(user)
    theirs = [
        provision.pk
        for provision in provision_selectors.all_provisions()
        if roles & set(provision.approver_roles or ())
    ]
    if not others and not theirs:
        return PendingReferrals([], [])
    pending = _ALL_PENDING()
    if not others:
        # Those of the provisions in `theirs`: each row carries its provision's roles.
        pending = [v for v in pending if roles & set(v["provision__approver_roles"] or ())]
    rows = referral_rows(pending)
    yours = [
        row
        for row in rows
        if school_policies.reaches_year(user, row.year_group_id, row.approver_roles)
    ]
    return PendingReferrals(yours, [row for row in rows if not roles & set(row.approver_roles)])


# The latest twenty referrals a user made, newest first: one shape whoever asks, its SQL built
# once (conduct.lib.compiled).
_MADE_BY = compiled_query(
    lambda user_id: (
        Referral.objects.filter(requested_by_id=user_id)
        .values(*ROW_VALUES)
        .order_by("-requested_at")[:20]
    )
)


def referral_rows_made_by(user) -> list[ReferralRow]:
    """The latest twenty referrals this user made, newest first, with their decision (one
    query)."""
    return referral_rows(_MADE_BY(user.pk))


@dataclass
class BookingWarning:
    """Something the approver should weigh before booking; `kind` lets a page style it."""

    kind: str
    message: str


# The warnings' reads, their SQL built once (issue 15): a student's booked days from a day on,
# with their provisions' names, in date order; how many placements (not cancelled) a student had
# in a provision starting between two days, as rows to add up; every active day a student is
# placed.
_UPCOMING_DAYS = compiled_query(
    lambda student_id, on: PlacementDay.objects.filter(
        placement__student_id=student_id,
        is_active=True,
        date__gte=on,
        placement__status=Placement.Status.BOOKED,
    ).values_list("date", "placement__provision__name")
)
_PLACEMENTS_BETWEEN = compiled_query(
    lambda student_id, provision_id, start, end: (
        Placement.objects.filter(
            student_id=student_id,
            provision_id=provision_id,
            starts_on__gte=start,
            starts_on__lte=end,
        )
        .exclude(status=Placement.Status.CANCELLED)
        .order_by()
        .values(one=Value(1))
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
)
_BOOKED_DATES = compiled_query(
    lambda student_id: PlacementDay.objects.filter(
        placement__student_id=student_id, is_active=True
    ).values_list("date", flat=True)
)


def booking_warnings(
    student: Student, provision: Provision, days: int, on: dt.date
) -> list[BookingWarning]:
    """What an approver must see before booking: double booking, repeat placements this
    half-term, SEN / EHCP, and too many consecutive days out of lessons."""
    warnings: list[BookingWarning] = []
    upcoming = _UPCOMING_DAYS(student.pk, on)
    if upcoming:
        dates = ", ".join(f"{day:%a %d %b} ({name})" for day, name in upcoming[:5])
        warnings.append(BookingWarning("booked", f"{student.name} is already booked: {dates}."))
    half_term = half_term_on(on)
    if half_term:
        count = sum(
            _PLACEMENTS_BETWEEN(student.pk, provision.pk, half_term.starts_on, half_term.ends_on)
        )
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
    booked = set(_BOOKED_DATES(student.pk))
    window = school_days_from(start - dt.timedelta(days=21), 60)
    planned = set(school_days_from(start, days))
    out = booked | planned
    best = run = 0
    for day in window:
        run = run + 1 if day in out else 0
        best = max(best, run)
    return best
