"""Pastoral records about a student: interviews in a provision (entry and restorative exit
interviews), records of discussions, and safeguarding concerns for the DSL; and the school's own
wording of the room's standards and the restorative questions."""

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    """Who may read a pastoral record (docs/safeguarding.md). A level is only ever raised."""

    STAFF = "staff", "Staff"
    PASTORAL = "pastoral", "Pastoral"
    CHILD_PROTECTION = "child_protection", "Child protection"


# Higher is more confidential: a record's level may move up this ladder, never down.
LEVEL_RANK = {Level.STAFF: 0, Level.PASTORAL: 1, Level.CHILD_PROTECTION: 2}


class RoomStandard(models.Model):
    """One of the room's procedures and standards the student is taken through at the entry
    interview (school-editable)."""

    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class RestorativeQuestion(models.Model):
    """A restorative question asked at the exit interview (school-editable): of the student who
    caused harm, or of those affected."""

    class Audience(models.TextChoices):
        CAUSED_HARM = "caused_harm", "The student who caused harm"
        AFFECTED = "affected", "Those affected"

    audience = models.CharField(max_length=11, choices=Audience.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["audience", "position", "pk"]

    def __str__(self) -> str:
        return self.text


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
    # Entry: {"standards": [texts gone through]}; exit: {"restorative": [{"question", "answer"}],
    # "affected": [{"question", "answer"}]}. The wording is copied so a later edit of the
    # school's questions does not change what was asked.
    answers = models.JSONField(default=dict, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.PASTORAL)
    student_account = models.TextField(blank=True)
    reflection = models.TextField(blank=True, help_text="Typed by the student on a room device")
    targets = models.TextField(blank=True)
    check_in_by = models.ForeignKey(
        "school.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    check_in_when = models.CharField(max_length=200, blank=True)
    check_in_how = models.CharField(max_length=200, blank=True)
    returns_on = models.DateField(null=True, blank=True)

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


class Discussion(models.Model):
    """A record of a discussion with a student: what was said, what was agreed, when to follow
    up; shared with named staff."""

    class CameFrom(models.TextChoices):
        NONE = "", "—"
        DROP_IN = "drop_in", "A drop-in"
        SENT_OUT = "sent_out", "A sent-out visit"
        ON_CALL = "on_call", "An on-call call"

    class Group(models.TextChoices):
        FORM_TUTOR = "form_tutor", "Form tutor"
        HEAD_OF_YEAR = "head_of_year", "Head of year"
        SENCO = "senco", "SENCO"

    student = models.ForeignKey(
        "school.Student", on_delete=models.PROTECT, related_name="discussions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    said = models.TextField()
    actions = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.PASTORAL)
    came_from = models.CharField(max_length=8, choices=CameFrom.choices, blank=True, default="")
    shared_groups = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["student", "recorded_at"])]

    def __str__(self) -> str:
        return f"Discussion with {self.student} on {self.recorded_at:%d %b %Y}"


class DiscussionShare(models.Model):
    """One member of staff a discussion is shared with, and when they first read it."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "user"], name="one_share_per_person")
        ]

    def __str__(self) -> str:
        return f"Shared with {self.user_id}"


class Concern(models.Model):
    """A safeguarding concern about a student, for the DSL: only the DSL and its author read it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    student = models.ForeignKey("school.Student", on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField()
    what = models.TextField()
    urgent = models.BooleanField(default=False)
    came_from = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        # Never the content: this goes to the audit log and the history.
        return f"Safeguarding concern #{self.pk}"


class ConcernAction(models.Model):
    """An action the DSL took on a concern."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        # Never the content.
        return f"Action on concern #{self.concern_id}"
