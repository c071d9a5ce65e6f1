"""Records the conduct layer keeps for every app."""

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """A form that creates a record was sent with this one-time token: sent again (a double
    click, a retry on a slow phone), it leads to the record the first one made instead of
    making another."""

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField()
    result_url = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.token} → {self.result_url}"
