"""Patrol and on-call: the requests teachers raise, the reasons they choose from, and the duty
rota that says who answers them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "raised_at"])]
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

    @property
    def where(self) -> str:
        return self.room.code if self.room else self.location


class Duty(models.Model):
    """One person's duty in one period of one day; the rota is these rows."""

    class Kind(models.TextChoices):
        ON_CALL = "on_call", "Patrol / on-call"
        SLT_ON_CALL = "slt_on_call", "SLT on call"
        REFLECTION_ROOM = "rr", "Reflection room supervision"
        INTERNAL_EXCLUSION = "ie", "Internal exclusion supervision"
        ALD = "ald", "Alternative learning day"

    date = models.DateField()
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="duties")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=11, choices=Kind.choices)

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


class StaffAbsence(models.Model):
    """A member of staff away; their duties in these days need cover."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="absences")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} away {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"
