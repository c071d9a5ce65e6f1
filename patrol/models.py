"""Patrol and on-call: the requests teachers raise, the reasons they choose from, the duty rota
that says who answers them, students sent out of lessons, corridor sweeps and what they find, and
the watch list with its drop-ins."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pastoral.models import Level
from sanctions.models import Provision
from school.models import Period, Room, Staff, Student, TeachingClass


class OnCallReason(models.Model):
    """Why a teacher calls for help; a school edits this short list, so it is rows."""

    label = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the raise page")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class OnCallRequest(models.Model):
    """One call for help from a lesson (or anywhere), from raised to resolved."""

    class Urgency(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"
        EMERGENCY = "emergency", "Emergency"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for someone"
        CLAIMED = "claimed", "On the way"
        ARRIVED = "arrived", "Arrived"
        RESOLVED = "resolved", "Resolved"

    # Named rather than "not resolved": a negation cannot use the status index, and the queue
    # would read every call the school has ever made.
    NOT_RESOLVED = (Status.OPEN, Status.CLAIMED, Status.ARRIVED)

    class Tier(models.IntegerChoices):
        PATROL = 1, "Patrol team"
        SLT = 2, "SLT on call"

    class Outcome(models.TextChoices):
        SETTLED = "settled", "Settled in class"
        RETURNED = "returned", "Spoken to outside and returned"
        REMOVED = "removed", "Removed to the reflection room"
        ESCALATED = "escalated", "Escalated to SLT"
        NOT_NEEDED = "not_needed", "No longer needed"

    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="on_call_requests_raised"
    )
    reason = models.ForeignKey(OnCallReason, on_delete=models.PROTECT, related_name="requests")
    urgency = models.CharField(max_length=9, choices=Urgency.choices, default=Urgency.ROUTINE)
    note = models.TextField(blank=True)
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT)
    location = models.CharField(
        max_length=120, blank=True, help_text="Where, when it is not a room (e.g. the field)"
    )
    teaching_class = models.ForeignKey(
        TeachingClass, null=True, blank=True, on_delete=models.PROTECT
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)
    students = models.ManyToManyField(Student, blank=True, related_name="on_call_requests")
    # The reflection room placements a removal started (one per student removed).
    placements = models.ManyToManyField(
        "sanctions.Placement", blank=True, related_name="on_call_requests"
    )

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    tier = models.PositiveSmallIntegerField(choices=Tier.choices, default=Tier.PATROL)
    # Bumped by every change, so a client that receives events out of order keeps the newest.
    version = models.PositiveIntegerField(default=1)

    raised_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="on_call_requests_claimed",
    )
    arrived_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="on_call_requests_resolved",
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    # Who may read the outcome note (docs/safeguarding.md); only ever raised.
    outcome_level = models.CharField(max_length=16, choices=Level.choices, default=Level.STAFF)

    class Meta:
        ordering = ["-raised_at"]
        # The queue reads the requests not resolved and those resolved today: both by index,
        # so neither grows with the years of calls behind them.
        indexes = [
            models.Index(fields=["status", "raised_at"]),
            models.Index(fields=["status", "resolved_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open")
                | Q(claimed_by__isnull=False, claimed_at__isnull=False)
                | Q(status="resolved"),
                name="on_call_claimed_has_claimer",
            ),
            models.CheckConstraint(
                condition=~Q(status="resolved") | (~Q(outcome="") & Q(resolved_at__isnull=False)),
                name="on_call_resolved_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"On-call {self.pk} {self.where} {self.raised_at:%d/%m/%Y %H:%M}"

    def level_subject(self):
        """(student, level, author id) of the outcome note: who may read it
        (pastoral.policies.note_readable)."""
        return self.students.first(), self.outcome_level, self.resolved_by_id

    @property
    def where(self) -> str:
        return self.room.code if self.room else self.location


class Duty(models.Model):
    """One person's duty in one period of one day; the rota is these rows."""

    class Kind(models.TextChoices):
        ON_CALL = "on_call", "Patrol / on-call"
        SLT_ON_CALL = "slt_on_call", "SLT on call"
        # Supervising a provision's room: the provision's own code, so the coverage check
        # matches a duty to a room booked for that provision with nothing between them.
        REFLECTION_ROOM = Provision.Kind.REFLECTION_ROOM.value, "Reflection room supervision"
        INTERNAL_EXCLUSION = (
            Provision.Kind.INTERNAL_EXCLUSION.value,
            "Internal exclusion supervision",
        )
        ALD = Provision.Kind.ALTERNATIVE_LEARNING_DAY.value, "Alternative learning day"

    date = models.DateField()
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="duties")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=11, choices=Kind.choices)
    # Supervision of one room; blank covers every room of the provision (most schools have one).
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For supervision: the room; blank means every room of that provision",
    )
    # Blank on duties put on the rota before who added them was kept.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "period__starts_at", "kind"]
        verbose_name_plural = "duties"
        constraints = [
            models.UniqueConstraint(
                fields=["date", "period", "staff"], name="one_duty_per_person_per_period"
            )
        ]
        indexes = [models.Index(fields=["date", "period", "kind"])]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_kind_display()} {self.date:%d/%m/%Y} {self.period.code}"


# The duties that supervise a provision's room (and may name the room).
SUPERVISION_KINDS = frozenset(
    {Duty.Kind.REFLECTION_ROOM, Duty.Kind.INTERNAL_EXCLUSION, Duty.Kind.ALD}
)


class StaffAbsence(models.Model):
    """A member of staff away; their duties in these days need cover."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    # Blank on absences recorded before who recorded them was kept.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} away {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class SentOut(models.Model):
    """A student sent out of a lesson (to the corridor or a buddy room): a visit for the patrol
    to make, and what came of it."""

    class Destination(models.TextChoices):
        CORRIDOR = "corridor", "Corridor outside the room"
        BUDDY_ROOM = "buddy_room", "Buddy room"
        ELSEWHERE = "elsewhere", "Somewhere else"

    class Outcome(models.TextChoices):
        RETURNED = "returned", "Spoken to and returned to the lesson"
        REMOVED = "removed", "Removed to the reflection room"
        ELSEWHERE = "elsewhere", "Taken elsewhere"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="sent_out")
    teaching_class = models.ForeignKey(
        TeachingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)
    from_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_to = models.CharField(max_length=10, choices=Destination.choices)
    sent_to_room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The buddy room",
    )
    sent_to_place = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=300)
    sent_at = models.DateTimeField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sent_out_logged"
    )
    logged_at = models.DateTimeField()

    visited_at = models.DateTimeField(null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sent_out_visited",
    )
    outcome = models.CharField(max_length=9, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    taken_to = models.CharField(max_length=120, blank=True, help_text="Where, if taken elsewhere")
    outcome_note = models.TextField(blank=True)
    placement = models.ForeignKey(
        "sanctions.Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reflection room placement a removal started",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "student sent out"
        verbose_name_plural = "students sent out"
        indexes = [models.Index(fields=["outcome", "sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="")
                | Q(visited_by__isnull=False, visited_at__isnull=False, outcome_at__isnull=False),
                name="sent_out_outcome_has_visit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student.name} sent out {self.sent_at:%d/%m/%Y %H:%M}"

    @property
    def sent_out_of(self) -> str:
        """ "Sent out of 9X/Ma1 in M4", "... of 9X/Ma1", "... of a lesson in M4", "... of a
        lesson": whatever the teacher gave."""
        lesson = self.teaching_class.code if self.teaching_class_id else "a lesson"
        room = f" in {self.from_room.code}" if self.from_room_id else ""
        return f"Sent out of {lesson}{room}"

    @property
    def is_open(self) -> bool:
        return not self.outcome


class Sweep(models.Model):
    """One walk of the corridors by a member of the patrol: where, and from when to when."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sweeps"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    rooms = models.ManyToManyField(Room, blank=True, related_name="+")
    areas = models.CharField(
        max_length=300, blank=True, help_text="Places that are not rooms, e.g. toilets by the hall"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="sweep_ends_after_start",
            ),
            # One sweep at a time per person: starting again while one is open is a mistake.
            models.UniqueConstraint(
                fields=["staff"], condition=Q(ended_at__isnull=True), name="one_open_sweep"
            ),
        ]

    def __str__(self) -> str:
        return f"Sweep by {self.staff} {self.started_at:%d/%m/%Y %H:%M}"


class SweepFinding(models.Model):
    """A student found out of lessons on a sweep, with the lesson the timetable says they should
    be in (copied when found, so later timetable changes do not rewrite it). Attendance staff
    follow it up and mark it dealt with."""

    sweep = models.ForeignKey(Sweep, on_delete=models.PROTECT, related_name="findings")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="sweep_findings")
    found_at = models.DateTimeField()
    found_where = models.CharField(max_length=120)
    note = models.CharField(max_length=300, blank=True)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)
    should_be_class = models.ForeignKey(
        TeachingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    should_be_room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    should_be_teacher = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    should_be_text = models.CharField(
        max_length=120, blank=True, help_text="What the timetable said, e.g. Break"
    )
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dealt_with_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-found_at"]
        verbose_name = "student found out of lessons"
        verbose_name_plural = "students found out of lessons"
        indexes = [models.Index(fields=["dealt_with_at", "found_at"])]

    def __str__(self) -> str:
        return f"{self.student.name} found out of lessons {self.found_at:%d/%m/%Y %H:%M}"


class WatchListEntry(models.Model):
    """A student pastoral staff want the patrol to drop in on, until the review date or until
    taken off."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="watch_entries")
    reason = models.CharField(max_length=300)
    review_on = models.DateField()
    requested_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="watch_requests", help_text="Who asked"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["student__legal_last_name", "student__legal_first_name"]
        verbose_name = "watch list entry"
        verbose_name_plural = "watch list"
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(ended_at__isnull=True), name="watched_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student.name} on the watch list"


class DropIn(models.Model):
    """A patrol officer's look into a watched student's lesson."""

    class Engagement(models.IntegerChoices):
        REFUSING = 1, "1 – Refusing to work"
        POOR = 2, "2 – Mostly off task"
        MIXED = 3, "3 – On and off task"
        GOOD = 4, "4 – Working well"
        EXCELLENT = 5, "5 – Fully engaged"

    entry = models.ForeignKey(WatchListEntry, on_delete=models.PROTECT, related_name="drop_ins")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    engagement = models.PositiveSmallIntegerField(choices=Engagement.choices)
    note = models.TextField(blank=True)
    # Who may read the drop-in (docs/safeguarding.md); only ever raised.
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.STAFF)
    teaching_class = models.ForeignKey(
        TeachingClass, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(engagement__gte=1, engagement__lte=5), name="engagement_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Drop-in on {self.entry.student.name} {self.at:%d/%m/%Y %H:%M}"

    def level_subject(self):
        """(student, level, author id): who may read it (pastoral.policies.note_readable)."""
        return self.entry.student, self.level, self.by_id
