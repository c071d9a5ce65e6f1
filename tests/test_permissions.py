"""The permission matrix: every page, for every role, allowed or denied as designed.

A new page must be added to MATRIX or `test_it_covers_every_url` fails.
"""

import datetime as dt

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conduct.roles import Role, roles_of
from notify.models import Message
from pastoral.models import (
    Concern,
    Discussion,
    DiscussionShare,
    Intervention,
    InterventionType,
    Interview,
    Level,
    Meeting,
    RestorativeMeeting,
    ReviewRule,
    ReviewTask,
)
from patrol.models import OnCallReason, OnCallRequest, WatchListEntry
from sanctions.models import Placement, PlacementDay, Referral
from school.models import HalfTerm, Period, Subject, TeachingClass, YearGroup
from tests.base import ConductTestCase, make_person, people_by_role
from tests.reports_fixtures import make_half_term
from tests.sanctions_fixtures import make_provision_rooms
from work.models import Programme, ProgrammeTask, WorkRequest

EVERY_ROLE = frozenset(Role.values)
PUBLIC = "public"

# url name -> roles allowed (a person with any one of them may open it); PUBLIC for no login.
MATRIX: dict[str, frozenset[str] | str] = {
    "healthz": PUBLIC,
    "login": PUBLIC,
    "home": EVERY_ROLE | {"outsider"},  # shows an outsider only that they have no role
    "student-list": EVERY_ROLE,
    # The home page's to-do lists in full (the home page shows the first few).
    "to-do-interviews": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT}),
    "to-do-work": frozenset({Role.CONDUCT, Role.SLT}),
    "student-detail": EVERY_ROLE,
    "student-reads": frozenset({Role.DSL, Role.ADMIN}),
    # Subject access requests: the data manager, and the DSL (who alone releases child
    # protection records); corrections: the data manager, senior leaders and the DSL.
    "subject-access": frozenset({Role.DSL, Role.ADMIN}),
    "record-correct": frozenset({Role.DSL, Role.ADMIN, Role.SLT}),
    "roster-import": frozenset({Role.ADMIN}),
    "audit-log": frozenset({Role.ADMIN, Role.SLT, Role.DSL}),
    "account": EVERY_ROLE | {"outsider"},  # your own sign-in: password, two-factor
    "locked-accounts": frozenset({Role.ADMIN}),
    "password-change": EVERY_ROLE | {"outsider"},
    "two-factor": EVERY_ROLE | {"outsider"},
    "two-factor-setup": EVERY_ROLE | {"outsider"},
    # Forgotten passwords: open without signing in (tests/test_passwords.py).
    "password-reset": PUBLIC,
    "password-reset-sent": PUBLIC,
    "password-reset-confirm": PUBLIC,
    "password-reset-complete": PUBLIC,
    "admin:index": frozenset({Role.ADMIN}),
    "referral-new": frozenset(
        {Role.TEACHER, Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.CURRICULUM, Role.DSL}
    ),
    "referral-list": frozenset(
        {Role.TEACHER, Role.PASTORAL, Role.CONDUCT, Role.SLT, Role.CURRICULUM, Role.DSL}
    ),
    # A referral is seen by its approvers, the conduct team and whoever made it (OWNERS).
    "referral-detail": frozenset({Role.PASTORAL, Role.SLT, Role.CONDUCT}),
    "register-today": frozenset(
        {Role.CONDUCT, Role.SLT, Role.PASTORAL, Role.DSL, Role.ADMIN, Role.ATTENDANCE, Role.SENCO}
    ),
    "register": frozenset(
        {Role.CONDUCT, Role.SLT, Role.PASTORAL, Role.DSL, Role.ADMIN, Role.ATTENDANCE, Role.SENCO}
    ),
    "marks-export": frozenset({Role.ATTENDANCE, Role.CONDUCT, Role.SLT}),
    # A teacher's own students out of their lessons today (read only).
    "my-students-out": frozenset({Role.TEACHER}),
    "register-pdf": frozenset(
        {Role.CONDUCT, Role.SLT, Role.PASTORAL, Role.DSL, Role.ADMIN, Role.ATTENDANCE, Role.SENCO}
    ),
    "message-list": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    "message-detail": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    "message-letter-pdf": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    # Anyone on the staff may call for help; the patrol team and SLT answer (so does whoever the
    # rota puts on on-call duty: tests/test_patrol_views.py).
    "on-call-raise": EVERY_ROLE,
    "on-call-queue": frozenset({Role.CONDUCT, Role.SLT}),
    "on-call-queue-json": frozenset({Role.CONDUCT, Role.SLT}),
    "on-call-detail": frozenset({Role.CONDUCT, Role.SLT}),
    # Patrol pages (the POST actions are walked in tests/test_patrol_rounds_views.py).
    "patrol-home": frozenset({Role.CONDUCT, Role.SLT}),
    "sent-out-new": frozenset(
        {Role.TEACHER, Role.CURRICULUM, Role.PASTORAL, Role.CONDUCT, Role.SLT}
    ),
    "found-out-of-lessons": frozenset({Role.ATTENDANCE, Role.SLT, Role.CONDUCT}),
    "watch-list": frozenset({Role.PASTORAL, Role.SLT, Role.DSL, Role.CONDUCT}),
    "drop-in-new": frozenset({Role.CONDUCT, Role.SLT}),
    "rota": EVERY_ROLE,
    "work-to-set": frozenset({Role.TEACHER, Role.CURRICULUM}),
    "work-set": frozenset(),  # the lesson's teacher (or a teacher of the class) only
    "work-record": frozenset({Role.CONDUCT, Role.SLT}),
    "work-pack": frozenset({Role.CONDUCT, Role.SLT}),
    "programme-list": frozenset({Role.CURRICULUM}),
    "work-department": frozenset({Role.CURRICULUM, Role.SLT}),
    "programme-detail": frozenset({Role.CURRICULUM}),  # their own department's
    "programme-task-edit": frozenset({Role.CURRICULUM}),
    # Telling the family (pastoral staff: their years' students).
    "family-call-new": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    # A review for the head of year (Charlie, Year 9): SLT and the DSL see every review.
    "review-task-detail": frozenset({Role.PASTORAL, Role.SLT, Role.DSL}),
    # Reports: the dashboard for the conduct team, SLT and heads of year (their years only).
    "reports-dashboard": frozenset({Role.CONDUCT, Role.SLT, Role.PASTORAL}),
    "reports-records": frozenset({Role.CONDUCT, Role.SLT, Role.PASTORAL}),
    # The half-termly report (the whole school's, for governors) and its exports (the walk asks
    # for the CSV; tests/test_reports_half_term.py makes the PDF and XLSX).
    "reports-half-term-current": frozenset({Role.CONDUCT, Role.SLT}),
    "reports-half-term": frozenset({Role.CONDUCT, Role.SLT}),
    "reports-half-term-export": frozenset({Role.CONDUCT, Role.SLT}),
    # The records behind the on-call, work and review figures: the dashboard's readers.
    "reports-records-calls": frozenset({Role.CONDUCT, Role.SLT, Role.PASTORAL}),
    "reports-records-work": frozenset({Role.CONDUCT, Role.SLT, Role.PASTORAL}),
    "reports-records-reviews": frozenset({Role.CONDUCT, Role.SLT, Role.PASTORAL}),
    # The meeting pack names students: the meeting's people (reports/policies.py PACK_READERS).
    "reports-meeting-pack": frozenset({Role.CONDUCT, Role.SLT, Role.SENCO, Role.DSL}),
    "reports-meeting-pack-pdf": frozenset({Role.CONDUCT, Role.SLT, Role.SENCO, Role.DSL}),
    # Pastoral records (docs/restorative.md, docs/safeguarding.md).
    "interview-detail": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT}),
    "exit-interview": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT}),
    "discussion-new": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    # A discussion at the "staff" level: everyone who sees the student's history, its author and
    # whoever it is shared with (Alice, named).
    "discussion-detail": frozenset(
        {
            Role.CONDUCT,
            Role.PASTORAL,
            Role.SLT,
            Role.DSL,
            Role.ADMIN,
            Role.ATTENDANCE,
            Role.SENCO,
        }
    ),
    # Restorative meetings (docs/restorative.md): planned by those who hold interviews; one at
    # the "staff" level is read by everyone who sees the student's history.
    "restorative-new": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT}),
    "restorative-detail": frozenset(
        {
            Role.CONDUCT,
            Role.PASTORAL,
            Role.SLT,
            Role.DSL,
            Role.ADMIN,
            Role.ATTENDANCE,
            Role.SENCO,
        }
    ),
    "concern-new": EVERY_ROLE,
    "concern-list": frozenset({Role.DSL}),
    "concern-detail": frozenset({Role.DSL}),  # and its author (OWNERS)
    "inbox": EVERY_ROLE | {"outsider"},  # your own notices
    # Meetings with families and interventions (pastoral staff: their years' students).
    "meeting-new": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL}),
    "meeting-detail": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL, Role.SENCO}),
    "intervention-new": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL, Role.SENCO}),
    "intervention-detail": frozenset({Role.CONDUCT, Role.PASTORAL, Role.SLT, Role.DSL, Role.SENCO}),
}
# People allowed a page by what they own rather than by a role: username per url name.
OWNERS = {
    "referral-detail": {"alice"},
    "on-call-detail": {"alice"},
    "discussion-detail": {"alice"},
    "concern-detail": {"alice"},
    "work-set": {"alice"},
}
# Records whose existence is itself confidential answer "not found" to those who may not read
# them, not "forbidden".
DENIED_STATUS = {"discussion-detail": 404, "concern-detail": 404, "restorative-detail": 404}
# Not GET pages: logout takes a POST (tested below); the rest of the admin site is Django's own
# and behind admin:index's permission.
NOT_WALKED = {"logout"}
# Unlocking a paused sign-in takes a POST: tests/test_lockout.py walks it for every role.
NOT_WALKED |= {"account-unlock"}
# Two-factor actions take a POST: tests/test_two_factor.py.
# The code page sends someone without an app to set one up; tests/test_two_factor.py walks it.
NOT_WALKED |= {"recovery-codes-new", "two-factor-off", "two-factor-verify"}
# On-call actions take a POST; tests/test_patrol_views.py walks them for every role.
# The register's actions take a POST: tests/test_room_day.py walks them for every role.
NOT_WALKED |= {"register-mark", "register-log", "register-fail", "register-close"}
# Sending the digest takes a POST: tests/test_register_digest.py walks it for every role.
NOT_WALKED |= {"register-digest"}
NOT_WALKED |= {"placement-cancel", "placement-move"}
# Approving several drafts takes a POST: tests/test_letters_list.py.
NOT_WALKED |= {"message-bulk-approve"}
# A teacher's acknowledgement (POST) and the files of work set and done (tests/test_work_set.py,
# tests/test_work_room.py check who may open them).
NOT_WALKED |= {"work-acknowledge", "work-file", "work-done-file"}
NOT_WALKED |= {"programme-task-move", "programme-task-remove"}
# Drafting a good-day note takes a POST: tests/test_family_contacts.py.
NOT_WALKED |= {"good-day-note"}
# Raising a record's level and opening a notice take a POST: tests/test_records.py.
NOT_WALKED |= {"interview-level", "discussion-level", "inbox-open"}
# Raising the level of a room log note, a drop-in or an on-call outcome note takes a POST:
# tests/test_level_controls.py checks who may (and that no one else sees the control).
NOT_WALKED |= {"room-log-level", "drop-in-level", "on-call-note-level"}
# The photo of a paper reflection sheet (a file, and its upload): tests/test_records.py.
NOT_WALKED |= {"interview-reflection-scan"}
# The student's locked reflection page needs a device locked to it (a POST): walked for every
# role in tests/test_records.py.
NOT_WALKED |= {"reflection-lock", "reflection", "reflection-unlock"}
NOT_WALKED |= {"on-call-claim", "on-call-arrived", "on-call-resolve"}
NOT_WALKED |= {
    "sent-out-visit",
    "sweep-start",
    "sweep-find",
    "sweep-finish",
    "found-out-of-lessons-dealt-with",
    "watch-list-review",
    "watch-list-end",
    "duty-add",
    "duty-remove",
    "absence-add",
    "absence-remove",
}


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


class MatrixPeopleAndRecords(ConductTestCase):
    """The named people and one record of each kind the matrix's pages need."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_provision_rooms(cls)
        # Alice (a teacher) asked for internal exclusion; pastoral and SLT may decide it.
        cls.referral = Referral.objects.create(
            student=cls.student, provision=cls.ie, days=1, requested_by=cls.alice
        )
        cls.placement = Placement.objects.create(
            student=cls.student,
            provision=cls.ie,
            planned_days=1,
            starts_on=dt.date(2026, 11, 26),
            ends_on=dt.date(2026, 11, 26),
            booked_by=cls.bob,
        )
        cls.review_task = ReviewTask.objects.create(
            rule=ReviewRule.objects.filter(subject="student").first(),
            for_whom=ReviewTask.For.HEAD_OF_YEAR,
            student=cls.student,
            assigned_to=cls.charlie.staff,
            reason="Jayden Walsh: 3 removals in 10 school days.",
            opened_at=timezone.now(),
        )
        cls.on_call = OnCallRequest.objects.create(
            raised_by=cls.alice,
            reason=OnCallReason.objects.get_or_create(label="Other")[0],
            location="Library",
            raised_at=timezone.now(),
        )
        cls.placement_row = Placement.objects.create(
            student=cls.student,
            provision=cls.ie,
            planned_days=1,
            starts_on=dt.date(2026, 11, 26),
            ends_on=dt.date(2026, 11, 26),
            booked_by=cls.bob,
        )
        cls.interview = Interview.objects.create(
            placement=cls.placement_row, kind=Interview.Kind.ENTRY, due_on=dt.date(2026, 11, 26)
        )
        cls.discussion = Discussion.objects.create(
            student=cls.student,
            recorded_by=cls.charlie,
            recorded_at=timezone.now(),
            said="Talked about the move to a new house",
            level=Level.STAFF,
        )
        DiscussionShare.objects.create(discussion=cls.discussion, user=cls.alice)
        cls.restorative = RestorativeMeeting.objects.create(
            student=cls.student,
            affected_staff=cls.alice.staff,
            starts_at=timezone.now(),
            place="Year 9 office",
            level=Level.STAFF,
            planned_by=cls.charlie,
            planned_at=timezone.now(),
        )
        cls.concern = Concern.objects.create(
            student=cls.student, raised_by=cls.alice, raised_at=timezone.now(), what="Bruise"
        )
        cls.watch = WatchListEntry.objects.create(
            student=cls.student,
            reason="Struggling after a move",
            review_on=timezone.now().date(),
            requested_by=cls.charlie.staff,
            added_by=cls.charlie,
            added_at=timezone.now(),
        )

        day = PlacementDay.objects.create(
            placement=Placement.objects.create(
                student=cls.student,
                provision=cls.ie,
                planned_days=1,
                starts_on=dt.date(2026, 11, 26),
                ends_on=dt.date(2026, 11, 26),
                booked_by=cls.bob,
            ),
            date=dt.date(2026, 11, 26),
            room=cls.ie_room,
        )
        cls.work_request = WorkRequest.objects.create(
            placement_day=day,
            date=day.date,
            period=Period.objects.create(
                code="MX", name="Matrix lesson", starts_at=dt.time(9), ends_at=dt.time(10)
            ),
            teaching_class=TeachingClass.objects.create(code="9Z/Mx1", year_group=cls.year9),
            teacher=cls.alice.staff,
        )

        cls.meeting = Meeting.objects.create(
            student=cls.student,
            purpose="How Jayden is getting on",
            starts_at=timezone.now() + dt.timedelta(days=2),
            place="Student services",
            invited_by=cls.charlie,
        )
        cls.intervention = Intervention.objects.create(
            student=cls.student,
            kind=InterventionType.objects.get(name="Report card"),
            owner=cls.charlie,
            meeting=cls.meeting,
            starts_on=timezone.now().date(),
            review_on=timezone.now().date() + dt.timedelta(days=14),
            target="No removals for a fortnight",
            set_by=cls.charlie,
        )

        cls.programme = Programme.objects.create(
            subject=Subject.objects.create(code="MX", name="Matrix maths", department=cls.maths),
            year_group=cls.year9,
        )
        cls.task = ProgrammeTask.objects.create(
            programme=cls.programme, title="Fractions", instructions="Exercise 3A"
        )

    def url(self, name):
        args = {
            "programme-detail": [self.programme.pk],
            "programme-task-edit": [self.task.pk],
            "work-set": [self.work_request.pk],
            "work-record": [self.work_request.pk],
            "work-pack": [self.work_request.placement_day_id],
            "student-detail": [self.student.pk],
            "student-reads": [self.student.pk],
            "subject-access": [self.student.pk],
            "record-correct": ["student", self.student.pk],
            "referral-new": [self.student.pk],
            "referral-detail": [self.referral.pk],
            "register-today": ["IE1"],
            "register": ["IE1", "2026-11-26"],
            "register-pdf": ["IE1", "2026-11-26"],
            "on-call-detail": [self.on_call.pk],
            "drop-in-new": [self.watch.pk],
            "interview-detail": [self.interview.pk],
            "exit-interview": [self.placement_row.pk],
            "discussion-new": [self.student.pk],
            "discussion-detail": [self.discussion.pk],
            "restorative-new": [self.student.pk],
            "restorative-detail": [self.restorative.pk],
            "concern-new": [self.student.pk],
            "concern-detail": [self.concern.pk],
            "password-reset-confirm": ["MQ", "not-a-token"],
            "family-call-new": [self.placement.pk],
            "review-task-detail": [self.review_task.pk],
            "meeting-new": [self.student.pk],
            "meeting-detail": [self.meeting.pk],
            "intervention-new": [self.student.pk],
            "intervention-detail": [self.intervention.pk],
        }.get(name, [])
        if name in (
            "reports-half-term",
            "reports-half-term-export",
            "reports-meeting-pack",
            "reports-meeting-pack-pdf",
        ):
            half_term = HalfTerm.objects.first() or make_half_term()
            args = [half_term.pk] + (["csv"] if name == "reports-half-term-export" else [])
        if name in ("message-detail", "message-letter-pdf"):
            letter = Message.objects.create(
                channel="letter", address="1 Mill Lane", subject="Hi", student=self.student
            )
            args = [letter.pk]
        return reverse(name, args=args)


class PermissionMatrixTest(MatrixPeopleAndRecords):
    def test_it_covers_every_url(self):
        names = {n for n in _url_names() if not n.startswith("admin:")} | {"admin:index"}
        unlisted = names - set(MATRIX) - NOT_WALKED
        self.assertEqual(unlisted, set(), "add these pages to the permission matrix")

    def test_it_sends_anonymous_visitors_to_login(self):
        for name, allowed in MATRIX.items():
            with self.subTest(name=name):
                response = self.client.get(self.url(name))
                if allowed == PUBLIC:
                    self.assertEqual(response.status_code, 200)
                else:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("login", response["Location"])

    def test_it_allows_and_denies_each_role(self):
        for name, allowed in MATRIX.items():
            if allowed == PUBLIC:
                continue
            for role, person in people_by_role(self).items():
                with self.subTest(page=name, role=role):
                    self.client.force_login(person)
                    response = self.client.get(self.url(name))
                    # A person may hold several roles (Dana is DSL and SLT): any one allows.
                    if (roles_of(person) | {role}) & allowed or person.username in OWNERS.get(
                        name, ()
                    ):
                        self.assertEqual(response.status_code, 200)
                    elif name.startswith("admin:"):
                        # The admin site shows its own login page to non-staff accounts.
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertEqual(response.status_code, DENIED_STATUS.get(name, 403))

    def test_it_signs_out_with_a_post(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)


# Pages about one student (or a record about one) that pastoral staff open for their own years
# only: a head of year 7 gets 404 (the student or message does not exist for them) or 403 (a
# referral they may not decide) on these Year 9 records.
YEAR_SCOPED_PAGES = {
    "student-detail": 404,
    "interview-detail": 404,
    "exit-interview": 404,
    "discussion-new": 404,
    "discussion-detail": 404,
    "restorative-new": 404,
    "restorative-detail": 404,
    "referral-new": 404,
    "referral-detail": 403,
    "message-detail": 404,
    "message-letter-pdf": 404,
    "meeting-new": 404,
    "meeting-detail": 404,
    "intervention-new": 404,
    "intervention-detail": 404,
}
# Lists that pastoral staff see cut to their own years.
# (The register's lines: tests/test_year_scope.py, which has a school calendar to book on.)
YEAR_SCOPED_LISTS = ("student-list", "referral-list", "message-list", "watch-list")


class YearScopeMatrixTest(MatrixPeopleAndRecords):
    """The matrix's records are about Jayden, in Year 9: Charlie leads Year 9; Yusuf is pastoral
    staff for Year 7 only."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.yusuf = make_person("yusuf", "Yusuf", "Ali", Role.PASTORAL, title="Mr")
        cls.yusuf.staff.year_groups.add(YearGroup.objects.create(number=7))

    def test_it_refuses_pastoral_staff_another_years_records(self):
        for name, status in YEAR_SCOPED_PAGES.items():
            with self.subTest(page=name):
                self.client.force_login(self.charlie)
                self.assertEqual(self.client.get(self.url(name)).status_code, 200)
                self.client.force_login(self.yusuf)
                self.assertEqual(self.client.get(self.url(name)).status_code, status)

    def test_it_lists_only_their_years_for_pastoral_staff(self):
        self.url("message-detail")  # a letter about Jayden
        for name in YEAR_SCOPED_LISTS:
            with self.subTest(page=name):
                url = self.url(name)
                self.client.force_login(self.charlie)
                self.assertContains(self.client.get(url, {"status": ""}), "Walsh")
                self.client.force_login(self.yusuf)
                response = self.client.get(url, {"status": ""})
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "Walsh")
