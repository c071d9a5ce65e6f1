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
    # A photo or scan of the student's paper reflection sheet (entry interview), served only to
    # those who may read the interview, every read audited.
    reflection_scan = models.FileField(
        upload_to="pastoral/reflections/%Y/%m/", blank=True, max_length=255
    )

    class Meta:
        ordering = ["due_on"]
        # The interviews to do (home pages, the to-do list) and a week's interviews (the
        # dashboard) found by index, not by reading every interview of every year (issue 15).
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["due_on"], name="interview_due_on"),
        ]
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


class Meeting(models.Model):
    """A meeting with a student's parents or carers: invited by their preferred channel, then
    held (who came, what was discussed) or not attended and rearranged."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        HELD = "held", "Held"
        NOT_ATTENDED = "not_attended", "Not attended"
        REARRANGED = "rearranged", "Rearranged"
        CANCELLED = "cancelled", "Cancelled"

    student = models.ForeignKey("school.Student", on_delete=models.PROTECT, related_name="meetings")
    placement = models.ForeignKey(
        "sanctions.Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    purpose = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    mode = models.CharField(max_length=9, choices=Mode.choices, default=Mode.IN_PERSON)
    place = models.CharField(
        max_length=200, help_text="A room, or the number or link for a phone or video call"
    )
    staff = models.ManyToManyField("school.Staff", related_name="meetings", blank=True)
    guardians = models.ManyToManyField("school.Guardian", related_name="meetings", blank=True)
    attended_by = models.ManyToManyField("school.Guardian", related_name="+", blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.INVITED)
    discussed = models.TextField(blank=True)
    rearranged_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rearranged_to"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"Meeting about {self.student} ({self.starts_at:%d/%m/%Y %H:%M})"


class InterventionType(models.Model):
    """The school's own list of interventions (School settings), e.g. report card, mentoring."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Intervention(models.Model):
    """Support agreed for a student (at a meeting, or set by pastoral staff), with an owner and a
    date to review it by."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    student = models.ForeignKey(
        "school.Student", on_delete=models.PROTECT, related_name="interventions"
    )
    kind = models.ForeignKey(InterventionType, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions"
    )
    starts_on = models.DateField()
    review_on = models.DateField()
    target = models.TextField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.ACTIVE)
    outcome = models.TextField(blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.student}"


class InterventionReview(models.Model):
    """A review of an intervention: the progress seen and what happens next."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Carry on to the next review"
        EXTEND = "extend", "Extend"
        CHANGE = "change", "Change it"
        END = "end", "End it"

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="reviews")
    progress = models.TextField()
    decision = models.CharField(max_length=8, choices=Decision.choices)
    next_review_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "pk"]

    def __str__(self) -> str:
        return f"Review of {self.intervention}: {self.get_decision_display().lower()}"


class ReviewRule(models.Model):
    """When a student (or a teacher's or department's removals) needs a second look, as the
    guidance asks: e.g. 3 removals in 10 school days. The school sets them in School settings."""

    class Kind(models.TextChoices):
        REMOVALS = "removals", "Removals in a number of school days"
        ROOM_DAYS = "room_days", "Days in a room in a half-term"
        EHCP_OR_LOOKED_AFTER = "ehcp_lac", "Any removal of a student with an EHCP or looked after"

    class Subject(models.TextChoices):
        STUDENT = "student", "A student"
        TEACHER = "teacher", "A teacher's removals"
        DEPARTMENT = "department", "A department's removals"

    kind = models.CharField(max_length=9, choices=Kind.choices)
    subject = models.CharField(max_length=10, choices=Subject.choices, default=Subject.STUDENT)
    count = models.PositiveSmallIntegerField(default=1)
    within_school_days = models.PositiveSmallIntegerField(
        default=10, help_text="Removals rules: the window, in school days"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["subject", "kind", "pk"]

    def __str__(self) -> str:
        if self.kind == self.Kind.REMOVALS:
            return f"{self.count} removals in {self.within_school_days} school days"
        if self.kind == self.Kind.ROOM_DAYS:
            return f"{self.count} days in a room in a half-term"
        return self.get_kind_display()


class ReviewTask(models.Model):
    """A review opened by a rule: for the head of year (and the SENCO where the student has SEN)
    about a student, or an offer of support to the head of department and SLT about a teacher
    or department. Closed with a decision."""

    class For(models.TextChoices):
        HEAD_OF_YEAR = "head_of_year", "Head of year"
        SENCO = "senco", "SENCO"
        HEAD_OF_DEPARTMENT = "head_of_department", "Head of department"
        SLT = "slt", "Senior leadership"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Decision(models.TextChoices):
        NO_ACTION = "no_action", "No action needed"
        INTERVENTION = "intervention", "Intervention started"
        SEN_ASSESSMENT = "sen_assessment", "SEN assessment requested"
        ADJUSTMENTS = "adjustments", "Reasonable adjustments made"
        SUPPORT = "support", "Support offered and arranged"
        OTHER = "other", "Other (see the note)"

    rule = models.ForeignKey(ReviewRule, on_delete=models.PROTECT, related_name="tasks")
    for_whom = models.CharField(max_length=18, choices=For.choices)
    student = models.ForeignKey(
        "school.Student", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    teacher = models.ForeignKey(
        "school.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "school.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        "school.Staff",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The head of year or of department; empty: everyone in the role",
    )
    reason = models.CharField(max_length=300)
    placement = models.ForeignKey(
        "sanctions.Placement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField()
    decision = models.CharField(max_length=14, choices=Decision.choices, blank=True)
    decision_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        # The open reviews (the home page's, every request) found by status, oldest first, not
        # by reading every review the rules have ever opened.
        indexes = [models.Index(fields=["status", "opened_at"], name="reviewtask_status_opened")]

    def __str__(self) -> str:
        about = self.student or self.teacher or self.department
        return f"Review for {self.get_for_whom_display().lower()} about {about}"


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


class RestorativeMeeting(models.Model):
    """A restorative meeting between a student who caused harm and those affected (a member of
    staff or another student): planned (when, where, who facilitates), then recorded (who came,
    what was said and agreed, the outcome). It carries a confidentiality level like every
    pastoral record."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    class Outcome(models.TextChoices):
        REPAIRED = "repaired", "Harm repaired: agreement reached"
        PARTLY = "partly", "Partly: some agreement, follow-up needed"
        NOT_REPAIRED = "not_repaired", "Not repaired: no agreement"

    student = models.ForeignKey(
        "school.Student", on_delete=models.PROTECT, related_name="restorative_meetings"
    )
    placement = models.ForeignKey(
        "sanctions.Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="restorative_meetings",
    )
    affected_staff = models.ForeignKey(
        "school.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affected_student = models.ForeignKey(
        "school.Student", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=120)
    facilitator = models.ForeignKey(
        "school.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.PASTORAL)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.PLANNED)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    planned_at = models.DateTimeField()
    attended = models.TextField(blank=True)
    said = models.TextField(blank=True)
    agreed = models.TextField(blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    # A planned meeting can be cancelled, with the reason; moving one keeps the old time and place
    # in its history (audit.StateChange).
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["student", "starts_at"])]

    def __str__(self) -> str:
        return f"Restorative meeting for {self.student} on {self.starts_at:%d %b %Y}"

    @property
    def with_whom(self) -> str:
        names = [
            person.display_name if hasattr(person, "display_name") else person.name
            for person in (self.affected_staff, self.affected_student)
            if person is not None
        ]
        return " and ".join(names) or "those affected"
