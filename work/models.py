"""Work set for a student who misses lessons while in a provision, and its return to the
teacher: the requests to teachers, their answers with files, the departments' programmes of
work, and the school's deadline."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from school.models import Period, Staff, Subject, TeachingClass, TimetableSlot, YearGroup


class WorkSettings(models.Model):
    """The school's rules for work requests (one row): when teachers must answer by, when
    they are reminded, and how big an attachment may be."""

    deadline_time = models.TimeField(
        default=dt.time(16, 0), help_text="Work is due by this time on the day before"
    )
    deadline_school_days_before = models.PositiveSmallIntegerField(
        default=1, help_text="How many school days before the lesson the work is due"
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        default=3, help_text="Remind a teacher who has not answered this long before the deadline"
    )
    max_upload_mb = models.PositiveSmallIntegerField(
        default=10, help_text="The largest file a teacher or officer may attach, in MB"
    )

    class Meta:
        verbose_name = "work settings"
        verbose_name_plural = "work settings"

    def __str__(self) -> str:
        return "Work settings"

    @classmethod
    def current(cls) -> "WorkSettings":
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls()


class Programme(models.Model):
    """A department's programme of work for one subject and year group: ordered tasks, so a
    student out of lessons gets the next task, not the same sheet again."""

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="programmes")
    year_group = models.ForeignKey(YearGroup, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["subject__name", "year_group__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "year_group"], name="one_programme_per_subject_year"
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.subject} Year {self.year_group.number}"


class ProgrammeTask(models.Model):
    """One task of a programme of work, in its unit, in order."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField(default=1)
    unit = models.CharField(max_length=120, blank=True, help_text="e.g. Unit 3: Fractions")
    title = models.CharField(max_length=200)
    instructions = models.TextField()
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to="work/programmes/%Y/", blank=True, max_length=255)

    class Meta:
        ordering = ["programme", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class WorkSet(models.Model):
    """One answer to one or more work requests (every student from the same class on the same
    day): what the teacher wrote, linked and attached, or "follow the programme", or the
    programme's task given at the deadline when no one answered."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Set by the teacher"
        PROGRAMME = "programme", "Follow the programme (teacher's choice)"
        FALLBACK = "fallback", "From the programme at the deadline"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    instructions = models.TextField(blank=True)
    link = models.URLField(blank=True, max_length=500)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.set_at:%d/%m %H:%M}"


class WorkAttachment(models.Model):
    """A file a teacher attached to their answer."""

    work_set = models.ForeignKey(WorkSet, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="work/set/%Y/%m/", max_length=255)
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class WorkRequest(models.Model):
    """One lesson a placed student misses: the teacher is asked to set work for it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SET = "set", "Work set"
        COMPLETED = "completed", "Completed in the room"
        RETURNED = "returned", "Returned to the teacher"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Completed"
        PARTLY = "partly", "Partly done"
        NOT_DONE = "not_done", "Not done"

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
    # When the teacher must answer by; `asap` for a same-day removal ("as soon as you can").
    deadline = models.DateTimeField(null=True, blank=True)
    asap = models.BooleanField(default=False)
    work_set = models.ForeignKey(
        WorkSet, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests"
    )
    task = models.ForeignKey(
        ProgrammeTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_late = models.BooleanField(default=False)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The deadline passed unanswered: the programme's task was given, or (none) it is a gap.
    fell_back_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_file = models.FileField(upload_to="work/done/%Y/%m/", blank=True, max_length=255)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "period__starts_at"]
        indexes = [
            models.Index(fields=["teacher", "status"]),
            models.Index(fields=["status", "deadline"]),
            # The reports' work shares read the lessons missed in a span of dates.
            models.Index(fields=["date"], name="workrequest_date"),
        ]

    def __str__(self) -> str:
        return f"{self.teaching_class} {self.date:%d/%m} {self.period.code}"

    @property
    def is_gap(self) -> bool:
        """The deadline passed with no answer and no programme to fall back to."""
        return self.status == self.Status.REQUESTED and self.fell_back_at is not None

    @property
    def state_label(self) -> str:
        """What the register says of the work: set (by whom), from the programme, missing."""
        # Read the work set, and who set it, only for a label that names them (no query else).
        work_set = None if self.status == self.Status.CANCELLED or self.outcome else self.work_set
        own = work_set is not None and work_set.kind not in (
            WorkSet.Kind.FALLBACK,
            WorkSet.Kind.PROGRAMME,
        )
        set_by = work_set.set_by if work_set is not None and own else None
        return work_state_label(
            status=self.status,
            outcome_label=self.get_outcome_display(),
            set_kind=work_set.kind if work_set is not None else None,
            set_at=work_set.set_at if work_set is not None else None,
            set_by_name=set_by.get_full_name() if set_by else "",
            answered_late=self.answered_late,
            fell_back=self.fell_back_at is not None,
        )


def work_state_label(
    *,
    status: str,
    outcome_label: str,
    set_kind: str | None,
    set_at: dt.datetime | None,
    set_by_name: str,
    answered_late: bool,
    fell_back: bool,
) -> str:
    """`WorkRequest.state_label` from the columns, for pages that read rows with .values():
    the outcome once recorded, else how the work was set (by whom, when), else requested or
    missing (the deadline passed with nothing to fall back to)."""
    if status == WorkRequest.Status.CANCELLED:
        return "cancelled"
    if outcome_label:
        return f"{outcome_label.lower()}, returned"
    if set_kind is None or set_at is None:
        return "missing" if status == WorkRequest.Status.REQUESTED and fell_back else "requested"
    if set_kind == WorkSet.Kind.FALLBACK:
        return "from the programme"
    if set_kind == WorkSet.Kind.PROGRAMME:
        return "programme, chosen by the teacher"
    when = timezone.localtime(set_at).strftime("%a %H:%M")
    return " ".join(
        filter(
            None,
            ["set late" if answered_late else "set", set_by_name and f"by {set_by_name}", when],
        )
    )


class DayActivity(models.Model):
    """One activity of a provision's own programme for the day (an alternative learning day's
    timetable), printed in each student's work pack."""

    provision = models.ForeignKey(
        "sanctions.Provision", on_delete=models.CASCADE, related_name="day_activities"
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    activity = models.CharField(max_length=200)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["provision", "starts_at"]
        verbose_name_plural = "day activities"

    def __str__(self) -> str:
        return f"{self.starts_at:%H:%M} {self.activity}"
