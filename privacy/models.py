"""The school's data-protection settings: how long each kind of record is kept
(docs/security.md)."""

from django.conf import settings
from django.db import models


class RetentionRule(models.Model):
    """How long the school keeps one kind of record, and what happens after: the retention
    schedule `manage.py apply_retention` applies."""

    class Kind(models.TextChoices):
        STUDENT = "student", "A student who has left, with their whole history"
        REGISTER = "register", "Room register marks and log"
        PATROL = "patrol", "On-call calls, students sent out and found on sweeps"
        MESSAGES = "messages", "Messages and letters to families, and calls home"

    class Counted(models.TextChoices):
        BIRTH = "birth", "from the student's date of birth"
        RECORD = "record", "from the record's date"

    class Action(models.TextChoices):
        DELETE = "delete", "Delete"
        ANONYMISE = "anonymise", "Anonymise (keep the record without the student)"

    kind = models.CharField(max_length=16, choices=Kind.choices, unique=True)
    keep_years = models.PositiveSmallIntegerField(
        help_text="How many whole years the record is kept"
    )
    counted_from = models.CharField(max_length=8, choices=Counted.choices)
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.DELETE)
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the period comes from, e.g. the IRMS toolkit"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()}: {self.keep_years} years {self.get_counted_from_display()}"
        )
