"""What the reports keep of their own: the officer's written analysis for a half-term. Every
figure is computed from the other apps' records when a report is asked for, never stored."""

from django.conf import settings
from django.db import models

from school.models import HalfTerm


class Commentary(models.Model):
    """The written analysis that goes with one half-term's statistical report."""

    half_term = models.OneToOneField(HalfTerm, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "commentaries"

    def __str__(self) -> str:
        return f"Commentary on {self.half_term}"
