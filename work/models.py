"""Work set for a student who misses lessons while in a provision, and its return to the
teacher."""

from django.db import models
from django.utils import timezone

from school.models import Period, Staff, TeachingClass, TimetableSlot


class WorkRequest(models.Model):
    """One lesson a placed student misses: the teacher is asked to set work for it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SET = "set", "Work set"
        COMPLETED = "completed", "Completed in the room"
        RETURNED = "returned", "Returned to the teacher"
        CANCELLED = "cancelled", "Cancelled"

    placement_day = models.ForeignKey(
        "sanctions.PlacementDay", on_delete=models.CASCADE, related_name="work_requests"
    )
    date = models.DateField()
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    teaching_class = models.ForeignKey(TeachingClass, on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(TimetableSlot, null=True, on_delete=models.SET_NULL, related_name="+")
    teacher = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    instructions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "period__starts_at"]
        indexes = [models.Index(fields=["teacher", "status"])]

    def __str__(self) -> str:
        return f"{self.teaching_class} {self.date:%d/%m} {self.period.code}"
