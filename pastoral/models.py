"""Interviews with students in a provision (entry and restorative exit interviews)."""

from django.conf import settings
from django.db import models


class Interview(models.Model):
    class Kind(models.TextChoices):
        ENTRY = "entry", "Entry interview"
        EXIT = "exit", "Exit interview"

    class Status(models.TextChoices):
        TO_DO = "to_do", "To do"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    placement = models.ForeignKey(
        "sanctions.Placement", on_delete=models.CASCADE, related_name="interviews"
    )
    kind = models.CharField(max_length=5, choices=Kind.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.TO_DO)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    conducted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "kind"],
                condition=models.Q(status__in=["to_do", "done"]),
                name="one_live_interview_of_each_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.placement}"
