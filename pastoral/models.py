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


class FamilyCall(models.Model):
    """A phone call to a student's family, usually about a placement or a removal: who rang whom,
    when, and what came of it. A call that reached someone counts as the family being told."""

    class Outcome(models.TextChoices):
        SPOKE = "spoke", "Spoke to them"
        MESSAGE = "message", "Left a message"
        NO_ANSWER = "no_answer", "No answer"
        WRONG_NUMBER = "wrong_number", "Wrong number"

    student = models.ForeignKey(
        "school.Student", on_delete=models.PROTECT, related_name="family_calls"
    )
    placement = models.ForeignKey(
        "sanctions.Placement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_calls",
        help_text="The placement or removal the call was about, if any",
    )
    guardian = models.ForeignKey(
        "school.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A copy taken when the call is logged: the record says whom and which number even after the
    # MIS changes the contact.
    called_name = models.CharField(max_length=200)
    number = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    note = models.TextField(blank=True)
    called_at = models.DateTimeField()
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-called_at", "-pk"]

    def __str__(self) -> str:
        return f"Call to {self.called_name}: {self.get_outcome_display().lower()}"

    @property
    def reached(self) -> bool:
        return self.outcome == self.Outcome.SPOKE
