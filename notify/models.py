"""Messages to parents and staff: the templates a school edits and every message drafted or sent.

A message is stored, with its status, before anything leaves the building; sending only updates
the stored row (docs/notify.md).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

# Every variable a template may use, with what it holds. Shown to the school in the admin (as the
# template fields' help text) and in docs/notify.md.
TEMPLATE_VARIABLES: dict[str, str] = {
    "student_first_name": "the student's first name as the family uses it, e.g. Jayden",
    "student_name": "first and last name, e.g. Jayden Walsh",
    "guardian_name": "how to greet the parent or carer, e.g. Mrs Walsh",
    "school_name": "the school's name",
    "school_phone": "the school's phone number",
    "school_email": "the school's email address",
    "contact_name": "who the parent should contact, and who signs the message",
    "provision": "where the student will be, as parents know it, e.g. the Internal Exclusion room",
    "reason": "why, in words for a parent, e.g. he refused to follow staff instructions",
    "dates": "the day or days, e.g. Thursday 26 November",
    "day_count": "how many days (a number)",
    "start_time": "when to arrive, e.g. 08:30",
    "end_time": "when the day finishes, e.g. 15:30",
    "entrance": "where to come in, e.g. the student services entrance on Mill Lane",
    "previous_dates": "placement-changed: the day or days first arranged",
    "lesson": "removal: the lesson the student was removed from, e.g. Maths",
    "removal_time": "removal: when it happened, e.g. 10:20",
    "meeting_date": "meeting: the day, e.g. Monday 30 November",
    "meeting_time": "meeting: the time, e.g. 15:45",
    "meeting_place": "meeting: where, e.g. main reception",
    "meeting_purpose": "meeting: what it is for, e.g. to talk about how Jayden is getting on",
}

VARIABLES_HELP = (
    "Django template syntax, e.g. {{ student_first_name }}. Variables: "
    + "; ".join(f"{name} – {meaning}" for name, meaning in TEMPLATE_VARIABLES.items())
    + ". Not every message fills every variable: a missing one shows as [missing: name] in the "
    "draft, and the draft cannot be approved until someone fills it in."
)


class MessageTemplate(models.Model):
    """Wording the school owns: one row per kind of message (placement booked, meeting ...)."""

    key = models.SlugField(
        max_length=60, unique=True, help_text="How features find it, e.g. placement-booked"
    )
    name = models.CharField(max_length=120)
    subject = models.CharField(
        max_length=200, help_text="Django template syntax, with the same variables as the body"
    )
    body = models.TextField(help_text="Email and letter wording. " + VARIABLES_HELP)
    sms_body = models.TextField(
        "text message wording",
        blank=True,
        help_text="A short version for text messages (160 characters is one text). Blank sends "
        "the full body.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive templates cannot be used for new messages"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """One message to one recipient, kept whatever happens to it."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        LETTER = "letter", "Letter"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft – to check"
        # Approved is where a letter waits to be printed and posted; emails and texts pass
        # straight through it to queued.
        APPROVED = "approved", "Approved – to post"
        QUEUED = "queued", "Queued to send"
        # Claimed by one sender, which is talking to the mail server or SMS provider now. Only
        # the claim moves a message here, so no second sender can take it (never sent twice).
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        # The SMS provider only wrote the text to the log (SMS_PROVIDER=log): nothing reached
        # the family, so it is not "sent" and does not count as telling them.
        LOGGED = "logged", "Logged only – not sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Audience(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        STAFF = "staff", "Staff"

    channel = models.CharField(max_length=6, choices=Channel.choices)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.DRAFT)
    audience = models.CharField(max_length=6, choices=Audience.choices, default=Audience.PARENT)
    recipient_name = models.CharField(max_length=200, blank=True)
    address = models.TextField(help_text="Email address, mobile number or postal address")
    # Names and addresses above are a copy taken when drafted, so the record says who it went to
    # even after the MIS changes or removes the contact.
    guardian = models.ForeignKey(
        "school.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    student = models.ForeignKey(
        "school.Student", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    subject = models.CharField(max_length=255)
    body = models.TextField()
    body_html = models.TextField(blank=True, help_text="Optional HTML version (staff emails)")
    calendar = models.TextField(
        blank=True, help_text="An iCalendar event (.ics) sent with an email, e.g. a meeting"
    )

    related_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Letters: who marked it posted",
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When a queued message is next due to be tried"
    )
    last_error = models.TextField(blank=True)
    provider_ref = models.CharField(max_length=200, blank=True, help_text="The provider's id")
    delivery_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["related_type", "related_id"]),
            models.Index(fields=["audience", "status"]),
        ]

    def __str__(self) -> str:
        to = self.recipient_name or (self.address.splitlines()[0] if self.address else "?")
        return f"{self.get_channel_display()} to {to}: {self.subject}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_letter(self) -> bool:
        return self.channel == self.Channel.LETTER


class Notice(models.Model):
    """An item in one member of staff's in-app inbox: something to read or act on in Conduct.
    The title says what it is; the content stays on the record the link opens, which applies
    its own rule."""

    class Level(models.TextChoices):
        NORMAL = "normal", "Normal"
        URGENT = "urgent", "Urgent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=6, choices=Level.choices, default=Level.NORMAL)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient_id})"
