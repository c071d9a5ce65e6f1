"""The school as the MIS knows it: calendar, structure, people, classes and the timetable."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q


class School(models.Model):
    """The one school this install serves (its details head letters and reports)."""

    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=6, blank=True, help_text="Unique reference number")
    dfe_number = models.CharField("DfE number", max_length=8, blank=True, help_text="e.g. 123/4567")
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    head_teacher = models.CharField(max_length=120, blank=True)
    timetable_weeks = models.PositiveSmallIntegerField(
        default=2,
        choices=[(1, "One-week timetable"), (2, "Two-week timetable (weeks A and B)")],
    )
    week_a_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="A Monday in week A; the cycle counts on from it (blank: one-week timetable).",
    )

    register_digest_at = models.TimeField(
        default=dt.time(8, 0),
        help_text="When the morning email of who is out of which lessons goes to staff",
    )

    class Meta:
        verbose_name = "school"

    def __str__(self) -> str:
        return self.name


class AcademicYear(models.Model):
    name = models.CharField(max_length=9, unique=True, help_text="e.g. 2026/27")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="academic_year_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    class Kind(models.TextChoices):
        AUTUMN = "autumn", "Autumn"
        SPRING = "spring", "Spring"
        SUMMER = "summer", "Summer"

    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["academic_year", "kind"], name="one_term_of_each_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.academic_year}"


class HalfTerm(models.Model):
    """Reports run per half-term, so its dates are school data (six a year)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="half_terms")
    number = models.PositiveSmallIntegerField(choices=[(1, "1"), (2, "2")])
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="two_halves_per_term"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="half_term_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.term.academic_year}"

    @property
    def name(self) -> str:
        return f"{self.term.get_kind_display()} {self.number}"


class NonSchoolDay(models.Model):
    """A weekday inside a term when students are not in school (INSET, bank holiday, closure)."""

    class Kind(models.TextChoices):
        INSET = "inset", "INSET / training day"
        BANK_HOLIDAY = "bank_holiday", "Bank holiday"
        CLOSURE = "closure", "School closed"

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INSET)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"


class Period(models.Model):
    """One slot of the school day; lessons and the times between them."""

    class Kind(models.TextChoices):
        REGISTRATION = "registration", "Registration"
        LESSON = "lesson", "Lesson"
        BREAK = "break", "Break"
        LUNCH = "lunch", "Lunch"

    code = models.CharField(max_length=10, unique=True, help_text="As the MIS names it, e.g. P1")
    name = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.LESSON)
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="period_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_at:%H:%M}–{self.ends_at:%H:%M})"


class Room(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return room_label(self.code, self.name)


def room_label(code: str, name: str) -> str:
    """`str(room)` from its two columns, for pages that read rows with .values()."""
    return code if not name or name == code else f"{code} {name}"


class Department(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    head = models.ForeignKey(
        "Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="departments_led"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="subjects"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class YearGroup(models.Model):
    number = models.PositiveSmallIntegerField(unique=True, help_text="7–13")
    name = models.CharField(max_length=40, blank=True)
    head_of_year = models.ForeignKey(
        "Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="years_led"
    )

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return year_group_label(self.name, self.number)


def year_group_label(name: str, number: int) -> str:
    """`str(year_group)` from its columns, for pages that read rows with .values()."""
    return name or f"Year {number}"


class Form(models.Model):
    """A tutor (registration) group."""

    code = models.CharField(max_length=20, unique=True, help_text="e.g. 9B")
    year_group = models.ForeignKey(YearGroup, on_delete=models.PROTECT, related_name="forms")
    tutor = models.ForeignKey(
        "Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="forms_tutored"
    )
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["year_group__number", "code"]

    def __str__(self) -> str:
        return self.code


class Staff(models.Model):
    source_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, help_text="OneRoster sourcedId"
    )
    staff_code = models.CharField(max_length=20, unique=True, help_text="MIS staff code, e.g. JSM")
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    is_active = models.BooleanField(default=True)
    # Pastoral staff act for the year groups they are assigned to (school data, kept by the data
    # manager, never touched by the roster import): the year they lead, these years, or the whole
    # school.
    year_groups = models.ManyToManyField(
        "YearGroup",
        blank=True,
        related_name="pastoral_staff",
        verbose_name="pastoral year groups",
        help_text="The years a head of year or pastoral manager works with, besides the year "
        "they lead. Their pastoral role reaches only these students.",
    )
    whole_school = models.BooleanField(
        "pastoral for the whole school",
        default=False,
        help_text="Widen this person's pastoral role to every year group.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """How students and colleagues name them on a register: "Mr J Smith"."""
        return staff_display_name(self.title, self.first_name, self.last_name)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def staff_display_name(title: str, first_name: str, last_name: str) -> str:
    """`Staff.display_name` from the three columns, for pages that read rows with .values()."""
    if title:
        return f"{title} {first_name[:1]} {last_name}".replace("  ", " ")
    return f"{first_name} {last_name}"


class Student(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "F", "Female"
        MALE = "M", "Male"
        OTHER = "X", "Other / not recorded"

    class SenStatus(models.TextChoices):
        NONE = "N", "N – no special educational need"
        SUPPORT = "K", "K – SEN support"
        EHCP = "E", "E – education, health and care plan"

    class Ethnicity(models.TextChoices):
        WBRI = "WBRI", "White – British"
        WIRI = "WIRI", "White – Irish"
        WIRT = "WIRT", "Traveller of Irish heritage"
        WROM = "WROM", "Gypsy / Roma"
        WOTH = "WOTH", "Any other White background"
        MWBC = "MWBC", "White and Black Caribbean"
        MWBA = "MWBA", "White and Black African"
        MWAS = "MWAS", "White and Asian"
        MOTH = "MOTH", "Any other mixed background"
        AIND = "AIND", "Indian"
        APKN = "APKN", "Pakistani"
        ABAN = "ABAN", "Bangladeshi"
        AOTH = "AOTH", "Any other Asian background"
        BCRB = "BCRB", "Black Caribbean"
        BAFR = "BAFR", "Black – African"
        BOTH = "BOTH", "Any other Black background"
        CHNE = "CHNE", "Chinese"
        OOTH = "OOTH", "Any other ethnic group"
        REFU = "REFU", "Refused"
        NOBT = "NOBT", "Information not yet obtained"

    source_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, help_text="OneRoster sourcedId"
    )
    upn = models.CharField("UPN", max_length=13, unique=True)
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_first_name = models.CharField(max_length=100, blank=True)
    preferred_last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=1, choices=Gender.choices)
    year_group = models.ForeignKey(YearGroup, on_delete=models.PROTECT, related_name="students")
    form = models.ForeignKey(
        Form, null=True, blank=True, on_delete=models.SET_NULL, related_name="students"
    )
    sen_status = models.CharField(
        "SEN status", max_length=1, choices=SenStatus.choices, default=SenStatus.NONE
    )
    fsm = models.BooleanField("FSM", default=False, help_text="Eligible for free school meals")
    pupil_premium = models.BooleanField(default=False)
    eal = models.BooleanField("EAL", default=False, help_text="English as an additional language")
    ethnicity = models.CharField(
        max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT, blank=True
    )
    looked_after = models.BooleanField(default=False, help_text="In local authority care (CLA)")
    photo = models.ImageField(upload_to="students/", blank=True)
    admitted_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(
        null=True, blank=True, help_text="Set when the student leaves; students are never deleted"
    )

    class Meta:
        ordering = ["legal_last_name", "legal_first_name"]
        indexes = [
            models.Index(fields=["legal_last_name", "legal_first_name"]),
            # Every column the counts per year group read (`school.selectors.people.year_summaries`,
            # on the senior team's and the officer's home page): read from the index alone, not
            # the wide rows (issue 15: 0.41 -> 0.25 ms on SQLite for 1,200 students).
            models.Index(
                fields=[
                    "year_group",
                    "left_on",
                    "sen_status",
                    "fsm",
                    "pupil_premium",
                    "eal",
                    "looked_after",
                ],
                name="student_year_counts",
            ),
            # The students on roll in a span, counted by the days they were admitted and left
            # (`reports.selectors.figures`, on the weekly dashboard and every report): read from
            # the index in its order, not the wide rows sorted (issue 15: ~0.5 -> 0.2 ms on SQLite
            # for 1,200 students).
            models.Index(fields=["admitted_on", "left_on"], name="student_admissions"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.form or self.year_group})"

    @property
    def first_name(self) -> str:
        return self.preferred_first_name or self.legal_first_name

    @property
    def last_name(self) -> str:
        return self.preferred_last_name or self.legal_last_name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def has_ehcp(self) -> bool:
        return self.sen_status == self.SenStatus.EHCP

    @property
    def flags(self) -> list[tuple[str, str]]:
        """The needs and context shown by the student's name, as (CSS class, label)."""
        return student_flags(
            sen_status=self.sen_status,
            fsm=self.fsm,
            pupil_premium=self.pupil_premium,
            eal=self.eal,
            looked_after=self.looked_after,
        )

    @property
    def on_roll(self) -> bool:
        return self.left_on is None


def student_name(
    legal_first: str, legal_last: str, preferred_first: str, preferred_last: str
) -> str:
    """`Student.name` from its four name columns (a row read with .values_list()): the preferred
    names where there are some."""
    return f"{preferred_first or legal_first} {preferred_last or legal_last}"


def student_name_from(row, prefix: str = "") -> str:
    """`Student.name` from a row of values holding the four name columns under `prefix` (e.g.
    "student__")."""
    return student_name(
        row[f"{prefix}legal_first_name"],
        row[f"{prefix}legal_last_name"],
        row[f"{prefix}preferred_first_name"],
        row[f"{prefix}preferred_last_name"],
    )


def student_flags(
    *, sen_status: str, fsm: bool, pupil_premium: bool, eal: bool, looked_after: bool
) -> list[tuple[str, str]]:
    """`Student.flags` from the columns, for pages that read rows with .values()."""
    flags = []
    if sen_status == Student.SenStatus.EHCP:
        flags.append(("flag sen", "EHCP"))
    elif sen_status == Student.SenStatus.SUPPORT:
        flags.append(("flag sen", "SEN K"))
    for shown, css, label in (
        (fsm, "flag", "FSM"),
        (pupil_premium, "flag", "PP"),
        (eal, "flag", "EAL"),
        (looked_after, "flag cla", "Looked after"),
    ):
        if shown:
            flags.append((css, label))
    return flags


class Guardian(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone call"

    source_id = models.CharField(
        max_length=255, unique=True, help_text="OneRoster sourcedId or the MIS contact ID"
    )
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    home_phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    preferred_channel = models.CharField(
        max_length=6, choices=Channel.choices, default=Channel.EMAIL
    )
    students = models.ManyToManyField(Student, through="StudentGuardian", related_name="guardians")

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.title} {self.first_name} {self.last_name}".strip()


class StudentGuardian(models.Model):
    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        STEP_PARENT = "step_parent", "Step-parent"
        GRANDPARENT = "grandparent", "Grandparent"
        CARER = "carer", "Carer"
        FOSTER_CARER = "foster_carer", "Foster carer"
        SOCIAL_WORKER = "social_worker", "Social worker"
        AUNT_UNCLE = "aunt_uncle", "Aunt / uncle"
        SIBLING = "sibling", "Sibling"
        OTHER = "other", "Other"

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardian_links")
    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="student_links")
    relationship = models.CharField(max_length=14, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(default=1, help_text="1 is contacted first")

    class Meta:
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["student", "guardian"], name="one_link_per_guardian")
        ]

    def __str__(self) -> str:
        return f"{self.guardian} ({self.get_relationship_display()}) of {self.student.name}"


class TeachingClass(models.Model):
    """A class (teaching group) as the MIS names it, e.g. 9X/Ma1."""

    source_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True, help_text="OneRoster sourcedId"
    )
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200, blank=True)
    subject = models.ForeignKey(
        Subject, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    year_group = models.ForeignKey(
        YearGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="classes"
    )
    teachers = models.ManyToManyField(Staff, through="ClassTeacher", related_name="classes")
    students = models.ManyToManyField(Student, through="Enrolment", related_name="classes")

    class Meta:
        ordering = ["code"]
        verbose_name = "class"
        verbose_name_plural = "classes"

    def __str__(self) -> str:
        return self.code


class ClassTeacher(models.Model):
    teaching_class = models.ForeignKey(
        TeachingClass, on_delete=models.CASCADE, related_name="teacher_links"
    )
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="class_links")
    is_main = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["teaching_class", "staff"], name="one_link_per_teacher")
        ]

    def __str__(self) -> str:
        return f"{self.staff} teaches {self.teaching_class}"


class Enrolment(models.Model):
    teaching_class = models.ForeignKey(
        TeachingClass, on_delete=models.CASCADE, related_name="enrolments"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrolments")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["teaching_class", "student"], name="enrolled_once")
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.teaching_class}"


class TimetableSlot(models.Model):
    """When and where a class meets: day of the timetable cycle (1–5 week A, 6–10 week B)."""

    teaching_class = models.ForeignKey(
        TeachingClass, on_delete=models.CASCADE, related_name="slots"
    )
    cycle_day = models.PositiveSmallIntegerField(help_text="1 = Monday week A … 10 = Friday week B")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="slots")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.SET_NULL)
    staff = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slots",
        help_text="Who teaches this lesson; blank means the class's main teacher(s)",
    )

    class Meta:
        ordering = ["cycle_day", "period__starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["teaching_class", "cycle_day", "period"], name="class_meets_once_a_slot"
            ),
            models.CheckConstraint(
                condition=Q(cycle_day__gte=1, cycle_day__lte=10), name="cycle_day_1_to_10"
            ),
        ]
        indexes = [models.Index(fields=["cycle_day", "period"])]

    def __str__(self) -> str:
        return f"{self.teaching_class} day {self.cycle_day} {self.period.code}"


class ImportRun(models.Model):
    """One attempt to import a roster, kept with its report so the data manager can look back."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        REJECTED = "rejected", "Rejected – nothing changed"
        CHECKED = "checked", "Checked only (dry run)"

    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(max_length=255, help_text="File or folder imported")
    format = models.CharField(max_length=40, help_text="e.g. OneRoster 1.1, CSV exports")
    status = models.CharField(max_length=8, choices=Status.choices)
    counts = models.JSONField(
        default=dict, help_text="{entity: {created, updated, unchanged, left}}"
    )
    problems = models.JSONField(default=list, help_text="Every problem as file:row:column: message")
    notices = models.JSONField(
        default=list, help_text="What the import could not use but did not refuse, as file: message"
    )
    leavers_confirmed = models.JSONField(
        default=list,
        blank=True,
        help_text="Leavers over the share allowed that the data manager confirmed, e.g. "
        "'1,200 of the 1,200 students on roll (100%)'",
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source_name} {self.get_status_display()} {self.started_at:%d/%m/%Y %H:%M}"
