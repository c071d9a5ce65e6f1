"""Incidents, referrals and placements in the reflection room, internal exclusion and the
alternative learning day, with each day's register.

Shaped after the Ed-Fi discipline model: an incident, each student's part in it, and the action
taken (here a placement) kept apart, with planned and actual length.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pastoral.models import Level
from school.models import Period, Room, Staff, Student, TeachingClass, TimetableSlot


class ReasonCategory(models.Model):
    """Why: the DfE reason codes plus the school's own categories (rows the school manages)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    is_dfe = models.BooleanField("DfE code", default=False)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "reason categories"

    def __str__(self) -> str:
        return reason_label(self.code, self.name, self.is_dfe)


def reason_label(code: str, name: str, is_dfe: bool) -> str:
    """`str(reason)` from its columns, for pages that read rows with .values()."""
    return f"{code} – {name}" if is_dfe else name


class Incident(models.Model):
    """What happened, when, where and who reported it."""

    occurred_at = models.DateTimeField()
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL)
    location = models.CharField(
        max_length=120, blank=True, help_text="Where, when not a room: e.g. canteen, bus stop"
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL)
    teaching_class = models.ForeignKey(
        TeachingClass, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.ForeignKey(ReasonCategory, on_delete=models.PROTECT, related_name="incidents")
    description = models.TextField()
    reported_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="incidents")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    students = models.ManyToManyField(Student, through="IncidentStudent", related_name="incidents")

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.reason} {self.occurred_at:%d/%m/%Y %H:%M}"

    @property
    def where(self) -> str:
        return str(self.room) if self.room else self.location


class IncidentStudent(models.Model):
    """A student's part in an incident."""

    class Part(models.TextChoices):
        PERPETRATOR = "perpetrator", "Perpetrator"
        VICTIM = "victim", "Victim"
        WITNESS = "witness", "Witness"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="parts")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="incident_parts")
    part = models.CharField(max_length=12, choices=Part.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "student"], name="one_part_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.student.name}: {self.get_part_display()}"


class Provision(models.Model):
    """A place a student can be sent: its rooms, places and its own day."""

    class Kind(models.TextChoices):
        REFLECTION_ROOM = "RR", "Reflection room"
        INTERNAL_EXCLUSION = "IE", "Internal exclusion"
        ALTERNATIVE_LEARNING_DAY = "ALD", "Alternative learning day"
        SUSPENSION_REVIEW = "SUS", "Suspension referral to SLT"

    kind = models.CharField(max_length=3, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=100)
    # Students arrive and leave at times apart from the main school, and break apart.
    arrives_at = models.TimeField(null=True, blank=True)
    leaves_at = models.TimeField(null=True, blank=True)
    break_starts_at = models.TimeField(null=True, blank=True)
    break_ends_at = models.TimeField(null=True, blank=True)
    lunch_starts_at = models.TimeField(null=True, blank=True)
    lunch_ends_at = models.TimeField(null=True, blank=True)
    arrival_instructions = models.TextField(
        blank=True, help_text="Where to come and what to bring; goes into the parent letter"
    )
    approver_roles = models.JSONField(
        default=list, help_text='Roles that may approve a referral, e.g. ["pastoral", "slt"]'
    )
    max_consecutive_days = models.PositiveSmallIntegerField(
        default=3, help_text="Warn before a booking keeps a student out of lessons longer"
    )
    warn_after_per_half_term = models.PositiveSmallIntegerField(
        default=2, help_text="Warn when a student already had this many this half-term"
    )
    is_bookable = models.BooleanField(
        default=True, help_text="Off for a referral that is a decision only (suspension review)"
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.name


class ProvisionRoom(models.Model):
    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="rooms")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="provisions")
    capacity = models.PositiveSmallIntegerField()
    order = models.PositiveSmallIntegerField(default=1, help_text="Filled first when lower")

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["provision", "room"], name="room_once_per_provision")
        ]

    def __str__(self) -> str:
        return f"{self.room} ({self.capacity} places)"


class Referral(models.Model):
    """A request for a provision for a student, waiting for an approver's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="referrals")
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="referrals")
    days = models.PositiveSmallIntegerField(default=1)
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, help_text="Why declined, or what was amended")
    escalated_from = models.ForeignKey(
        "Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
        help_text="The placement whose failure led to this referral",
    )

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "provision"])]

    def __str__(self) -> str:
        return f"{self.provision} for {self.student.name} ({self.get_status_display()})"


class Placement(models.Model):
    """The action taken: a student booked into a provision for one or more days."""

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="placements")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="placements")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    planned_days = models.PositiveSmallIntegerField()
    actual_days = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(default=timezone.now)
    # A removal from a lesson straight into the reflection room records the lesson.
    removed_from = models.ForeignKey(
        TimetableSlot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, help_text="What the person booking wrote, e.g. on removal")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who completed, failed or cancelled it",
    )
    closing_note = models.TextField(blank=True)
    parent_notice_problem = models.CharField(
        max_length=300, blank=True, help_text="Why no parent letter could be drafted at booking"
    )

    class Meta:
        ordering = ["-starts_on"]
        indexes = [
            models.Index(fields=["student", "starts_on"]),
            # The reports count the placements starting in a span, and those ending in one (the
            # re-referrals) (reports/selectors/figures.py).
            models.Index(fields=["starts_on"], name="placement_starts_on"),
            models.Index(fields=["ends_on"], name="placement_ends_on"),
        ]

    def __str__(self) -> str:
        return f"{self.student.name} in {self.provision} from {self.starts_on:%d/%m/%Y}"


class PlacementDay(models.Model):
    """One day of a placement in one room: the line on that day's register."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="days")
    date = models.DateField()
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(default=True, help_text="Off when the day is cancelled")

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "date"], condition=Q(is_active=True), name="one_active_day"
            )
        ]
        indexes = [
            models.Index(fields=["room", "date", "is_active"]),
            # The reports count the days in a room in a span, whatever the room.
            models.Index(fields=["date"], name="placementday_date"),
        ]

    def __str__(self) -> str:
        return f"{self.placement.student.name} {self.date:%d/%m/%Y} {self.room}"


class AttendanceMark(models.Model):
    """A student's attendance in the room for one session (morning or afternoon)."""

    class Session(models.TextChoices):
        AM = "am", "Morning"
        PM = "pm", "Afternoon"

    class Kind(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT = "absent", "Absent"
        LEFT_EARLY = "left_early", "Left early"
        REMOVED = "removed", "Removed"

    placement_day = models.ForeignKey(PlacementDay, on_delete=models.CASCADE, related_name="marks")
    session = models.CharField(max_length=2, choices=Session.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    minutes_late = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.TimeField(help_text="Arrived, left or was removed at")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session"]
        constraints = [
            models.UniqueConstraint(fields=["placement_day", "session"], name="one_mark_a_session")
        ]

    def __str__(self) -> str:
        return f"{self.placement_day} {self.session} {self.kind}"

    @property
    def mis_code(self) -> str:
        return mis_code_of(self.kind, self.session)

    @property
    def mis_meaning(self) -> str:
        """The statutory code in words, as the attendance office reads it."""
        return MIS_CODE_MEANINGS[self.mis_code]


def mis_code_of(kind: str, session: str) -> str:
    """The statutory register code of a mark (`AttendanceMark.mis_code`, from its columns): a
    student in the room is in school, so present (/ in the morning, \\ in the afternoon) or L
    for late — never E. Absent is N (no reason yet) for the attendance office to resolve."""
    if kind == AttendanceMark.Kind.ABSENT:
        return "N"
    if kind == AttendanceMark.Kind.LATE:
        return "L"
    return "/" if session == AttendanceMark.Session.AM else "\\"


# The register codes Conduct sends (DfE school attendance codes).
MIS_CODE_MEANINGS = {
    "/": "present in the morning",
    "\\": "present in the afternoon",
    "L": "late before registers closed",
    "N": "absent, reason not yet provided",
}


class RoomLogEntry(models.Model):
    """What happened in the room: warnings, breaks, time out and back."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        BREAK_OUT = "break_out", "Out for a break"
        BREAK_IN = "break_in", "Back from a break"
        TIME_OUT = "time_out", "Time out of the room"
        TIME_IN = "time_in", "Back in the room"
        PRAISE = "praise", "Praise"
        NOTE = "note", "Note"
        FAILED = "failed", "Failed the room"

    placement_day = models.ForeignKey(
        PlacementDay, on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(max_length=9, choices=Kind.choices)
    at = models.TimeField()
    note = models.CharField(max_length=300, blank=True)
    # Who may read the note (docs/safeguarding.md); only ever raised.
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.STAFF)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "recorded_at"]
        verbose_name_plural = "room log entries"

    def __str__(self) -> str:
        return f"{self.at:%H:%M} {self.get_kind_display()}"

    def level_subject(self):
        """(student, level, author id): who may read the note (pastoral.policies.note_readable)."""
        return self.placement_day.placement.student, self.level, self.recorded_by_id


class EscalationRule(models.Model):
    """One step of the school's escalation ladder; the next step is always a pending referral
    for a person to decide, never a booking made silently."""

    class Trigger(models.TextChoices):
        FAILED = "failed", "Fails the placement"
        REPEATED = "repeated", "Has this many placements within the window"

    from_provision = models.ForeignKey(
        Provision, on_delete=models.CASCADE, related_name="escalation_rules"
    )
    trigger = models.CharField(max_length=8, choices=Trigger.choices)
    count = models.PositiveSmallIntegerField(
        default=2, help_text="For 'repeated': how many placements, counting the new one"
    )
    within_days = models.PositiveSmallIntegerField(
        default=7, help_text="For 'repeated': the window in calendar days"
    )
    to_provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["from_provision__kind", "trigger"]

    def __str__(self) -> str:
        when = (
            "fails"
            if self.trigger == self.Trigger.FAILED
            else f"has {self.count} in {self.within_days} days"
        )
        return f"{self.from_provision}: {when} → {self.to_provision} ({self.days} day(s))"


class DigestRun(models.Model):
    """The morning digest was sent for this day (so it goes once, whichever worker sends it)."""

    date = models.DateField(unique=True)
    sent_at = models.DateTimeField(default=timezone.now, help_text="When it last went")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who sent it last from the register; blank for the worker",
    )
    times_sent = models.PositiveSmallIntegerField(default=1)
    students = models.PositiveSmallIntegerField(default=0)
    staff_emails = models.PositiveSmallIntegerField(default=0)
    teacher_emails = models.PositiveSmallIntegerField(default=0)
    teachers = models.TextField(blank=True, help_text="The teachers sent their own list, by name")

    def __str__(self) -> str:
        return f"Digest for {self.date:%d/%m/%Y}"


class ClosedDay(models.Model):
    """A room's register for one day, closed: its marks are final and no longer change."""

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["room", "date"], name="close_a_room_day_once")
        ]

    def __str__(self) -> str:
        return f"{self.room} register {self.date:%d/%m/%Y}, closed"
