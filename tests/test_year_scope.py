"""Pastoral staff see and decide for their year groups only (issue 14): pages, lists, decisions,
exports. Charlie leads Year 9 (YearGroup.head_of_year) and teaches; Yusuf is pastoral only and
assigned Year 7 by the data manager (Staff.year_groups). Everyone else reaches every year."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from conduct.lib.compiled import CompiledList
from conduct.lib.errors import ActionRefused
from conduct.roles import Role
from notify.models import Message
from patrol.models import OnCallReason, OnCallRequest, WatchListEntry
from patrol.services import on_call
from sanctions.models import Placement, Referral
from sanctions.services import referrals as referral_services
from school import policies
from school.models import Form, Staff, YearGroup
from school.selectors import people as school_people
from school.selectors import student_list
from tests.base import (
    LONDON,
    SchoolDayTestCase,
    freeze_clock,
    make_guardian,
    make_person,
    make_student,
)
from tests.test_import_oneroster import BundleTestCase


def make_other_years(target) -> None:
    """Year 7 (form 7A) with Yusuf, pastoral for Year 7 only, and Year 11 (form 11C); a student
    in each: Ava (Year 7, SEN support) and Leon (Year 11, EHCP, a mother with a phone)."""
    target.year7 = YearGroup.objects.create(number=7)
    target.year11 = YearGroup.objects.create(number=11)
    form7 = Form.objects.create(code="7A", year_group=target.year7)
    form11 = Form.objects.create(code="11C", year_group=target.year11)
    target.yusuf = make_person("yusuf", "Yusuf", "Ali", Role.PASTORAL, title="Mr")
    target.yusuf.staff.year_groups.add(target.year7)
    target.ava = make_student(
        upn="Y700000000001", first="Ava", last="Brook", form=form7, sen_status="K"
    )
    target.leon = make_student(
        upn="Y110000000001", first="Leon", last="Marsh", form=form11, sen_status="E"
    )
    make_guardian(target.leon, first_name="Rita", last_name="Marsh", mobile="07700900123")


class YearScopeTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_other_years(cls)
        # Alice (a teacher) referred Leon (Year 11) and Jayden (Year 9) for internal exclusion.
        cls.leon_referral = referral_services.referral_create(
            student=cls.leon, provision=cls.ie, days=1, by=cls.alice
        )
        cls.jayden_referral = referral_services.referral_create(
            student=cls.student, provision=cls.ie, days=1, by=cls.alice
        )

    def book(self, student):
        """An approved internal exclusion for `student` from tomorrow, booked by SLT."""
        referral = referral_services.referral_create(
            student=student, provision=self.ie, days=1, by=self.alice
        )
        return referral_services.referral_approve(referral=referral, by=self.evan)

    # ---- the rule ---------------------------------------------------------------------------

    def test_it_reaches_the_years_each_pastoral_person_works_with(self):
        self.assertEqual(policies.pastoral_year_ids(self.charlie), {self.year9.pk})
        self.assertEqual(policies.pastoral_year_ids(self.yusuf), {self.year7.pk})
        self.assertTrue(policies.can_view_student_sensitive(self.charlie, self.student))
        self.assertFalse(policies.can_view_student_sensitive(self.charlie, self.leon))
        self.assertFalse(policies.can_view_student(self.yusuf, self.leon))
        self.assertTrue(policies.can_view_student(self.yusuf, self.ava))
        # Charlie also teaches: as a teacher he reaches every student, but not their needs.
        self.assertTrue(policies.can_view_student(self.charlie, self.leon))
        for person in (self.bob, self.dana, self.evan, self.fay, self.gita):
            with self.subTest(person=person.username):
                self.assertTrue(policies.can_view_student_sensitive(person, self.leon))

    def test_it_widens_a_person_to_the_whole_school(self):
        Staff.objects.filter(user=self.yusuf).update(whole_school=True)
        self.yusuf.refresh_from_db()
        self.assertIsNone(policies.pastoral_year_ids(self.yusuf))
        self.assertTrue(policies.can_view_student_sensitive(self.yusuf, self.leon))
        self.login(self.yusuf)
        self.assertEqual(
            self.client.get(reverse("referral-detail", args=[self.leon_referral.pk])).status_code,
            200,
        )

    # ---- pages and lists --------------------------------------------------------------------

    def test_it_hides_another_years_student_page_from_pastoral_staff(self):
        self.login(self.yusuf)
        self.assertEqual(
            self.client.get(reverse("student-detail", args=[self.leon.pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("referral-new", args=[self.leon.pk])).status_code, 404
        )
        own = self.client.get(reverse("student-detail", args=[self.ava.pk]))
        self.assertContains(own, "SEN support")

    def test_it_shows_a_teaching_head_of_year_no_needs_or_contacts_outside_their_years(self):
        self.login(self.charlie)
        page = self.client.get(reverse("student-detail", args=[self.leon.pk]))
        self.assertContains(page, "Leon")
        self.assertNotContains(page, "education, health and care plan")
        self.assertNotContains(page, "07700900123")
        event = AuditEvent.objects.filter(object_id=str(self.leon.pk)).latest("pk")
        self.assertEqual(event.detail["sensitive"], False)

    def test_it_lists_only_the_students_of_their_years(self):
        self.login(self.yusuf)
        page = self.client.get(reverse("student-list"))
        self.assertContains(page, "Brook, Ava")
        self.assertNotContains(page, "Marsh, Leon")
        self.assertNotContains(page, "Walsh, Jayden")
        # Charlie teaches, so he sees every student, with needs only for his year.
        self.login(self.charlie)
        page = self.client.get(reverse("student-list"))
        self.assertContains(page, "Marsh, Leon")
        self.assertEqual(page.content.decode().count("EHCP"), 0)

    def test_it_refuses_another_years_referral_page_and_lists_only_their_years(self):
        self.login(self.charlie)
        self.assertEqual(
            self.client.get(reverse("referral-detail", args=[self.leon_referral.pk])).status_code,
            403,
        )
        self.assertEqual(
            self.client.get(reverse("referral-detail", args=[self.jayden_referral.pk])).status_code,
            200,
        )
        listing = self.client.get(reverse("referral-list"))
        self.assertContains(listing, "Jayden")
        self.assertNotContains(listing, "Leon")
        home = self.client.get(reverse("home"))
        self.assertNotContains(home, "Leon")

    def test_it_counts_only_their_years_on_the_home_page(self):
        self.login(self.yusuf)
        home = self.client.get(reverse("home"))
        summaries = home.context["my_years"]
        self.assertEqual([s.label for s in summaries], [str(self.year7)])

    # ---- decisions --------------------------------------------------------------------------

    def test_it_refuses_a_decision_on_another_years_referral(self):
        self.login(self.charlie)
        approve = self.client.post(
            reverse("referral-detail", args=[self.leon_referral.pk]),
            {"approve-days": "10", "approve-provision": self.ie.pk},
        )
        decline = self.client.post(
            reverse("referral-detail", args=[self.leon_referral.pk]),
            {"decline": "1", "decline-reason": "No"},
        )
        self.assertEqual((approve.status_code, decline.status_code), (403, 403))
        self.leon_referral.refresh_from_db()
        self.assertEqual(
            (self.leon_referral.status, self.leon_referral.days), (Referral.Status.PENDING, 1)
        )
        with self.assertRaises(ActionRefused):
            referral_services.referral_approve(referral=self.leon_referral, by=self.charlie)
        with self.assertRaises(ActionRefused):
            referral_services.referral_decline(
                referral=self.leon_referral, by=self.charlie, reason="No"
            )
        placement = referral_services.referral_approve(
            referral=self.jayden_referral, by=self.charlie
        )
        self.assertEqual(placement.student, self.student)

    def test_it_leaves_a_head_of_years_referral_outside_their_years_pending(self):
        referral = referral_services.referral_create(
            student=self.leon, provision=self.ie, days=1, by=self.charlie
        )
        self.assertEqual(referral.status, Referral.Status.PENDING)

    def test_it_refuses_to_cancel_or_move_another_years_placement(self):
        placement = self.book(self.leon)
        self.login(self.charlie)
        cancel = self.client.post(
            reverse("placement-cancel", args=[placement.pk]), {"reason": "Changed my mind"}
        )
        move = self.client.post(
            reverse("placement-move", args=[placement.pk]),
            {"start_on": "2026-11-30", "reason": "Trip"},
        )
        self.assertEqual((cancel.status_code, move.status_code), (403, 403))
        placement.refresh_from_db()
        self.assertEqual(placement.status, Placement.Status.BOOKED)

    # ---- messages, registers, the watch list ------------------------------------------------

    def test_it_keeps_another_years_messages_from_pastoral_staff(self):
        theirs = Message.objects.create(
            channel="letter", address="2 Mill Lane", subject="Leon's letter", student=self.leon
        )
        mine = Message.objects.create(
            channel="letter", address="1 Mill Lane", subject="Jayden's letter", student=self.student
        )
        self.login(self.charlie)
        listing = self.client.get(reverse("message-list"), {"status": ""})
        self.assertContains(listing, "Jayden&#x27;s letter")
        self.assertNotContains(listing, "Leon&#x27;s letter")
        for name in ("message-detail", "message-letter-pdf"):
            with self.subTest(page=name):
                self.assertEqual(self.client.get(reverse(name, args=[theirs.pk])).status_code, 404)
        edit = self.client.post(
            reverse("message-detail", args=[theirs.pk]),
            {"action": "save", "subject": "Changed", "body": "Changed"},
        )
        self.assertEqual(edit.status_code, 404)
        theirs.refresh_from_db()
        self.assertEqual(theirs.subject, "Leon's letter")
        self.assertEqual(
            self.client.get(reverse("message-detail", args=[mine.pk])).status_code, 200
        )

    def test_the_families_not_told_on_the_messages_page_are_their_years_only(self):
        # A Year 11 student and one of Charlie's Year 9 in a room, neither family told yet: the
        # panel at the top of the messages page named both to Charlie, and linked to a draft
        # whose page answered 404.
        leon = self.book(self.leon)
        jayden = self.book(self.student)
        freeze_clock(self, dt.datetime.combine(leon.starts_on, dt.time(10, 15), tzinfo=LONDON))
        leons, jaydens = (
            Message.objects.create(
                channel="letter",
                address="1 Mill Lane",
                subject="Time in internal exclusion",
                student=placement.student,
                related=placement,
            )
            for placement in (leon, jayden)
        )
        self.login(self.charlie)
        page = self.client.get(reverse("message-list"))
        self.assertContains(page, "In a room today, family not told")
        self.assertContains(page, f"<strong>{self.student.name}</strong>", html=False)
        self.assertContains(page, reverse("message-detail", args=[jaydens.pk]))
        self.assertNotContains(page, "Marsh")
        self.assertNotContains(page, reverse("message-detail", args=[leons.pk]))
        self.login(self.evan)
        everyone = self.client.get(reverse("message-list"))
        self.assertContains(everyone, "<strong>Leon Marsh</strong>", html=False)

    def test_an_on_call_call_offers_a_discussion_only_with_their_years_students(self):
        # A call Charlie raised about a Year 11 and one of his Year 9, dealt with: its page
        # offered him "Record a discussion" with each, and the Year 11 one answered 404.
        call = on_call.on_call_request_raise(
            by=self.charlie,
            reason=OnCallReason.objects.get_or_create(label="Other")[0],
            room=self.room,
            students=[self.leon, self.student],
        )
        on_call.on_call_request_claim(request_id=call.pk, by=self.bob)
        on_call.on_call_request_resolve(
            request_id=call.pk, by=self.bob, outcome=OnCallRequest.Outcome.SETTLED
        )
        mine, theirs = (
            reverse("discussion-new", args=[student.pk]) + "?from=on_call"
            for student in (self.student, self.leon)
        )
        self.login(self.charlie)
        page = self.client.get(reverse("on-call-detail", args=[call.pk]))
        self.assertContains(page, f'href="{mine}"')
        self.assertNotContains(page, f'href="{theirs}"')
        self.assertContains(page, reverse("concern-new", args=[self.leon.pk]))
        self.assertEqual(self.client.get(mine).status_code, 200)
        self.login(self.evan)
        self.assertContains(
            self.client.get(reverse("on-call-detail", args=[call.pk])), f'href="{theirs}"'
        )

    def test_it_shows_pastoral_staff_only_their_years_lines_on_a_register(self):
        leon = self.book(self.leon)
        self.book(self.student)
        day = leon.starts_on.isoformat()
        self.login(self.charlie)
        page = self.client.get(reverse("register", args=["IE1", day]))
        self.assertContains(page, "Walsh")
        self.assertNotContains(page, "Marsh")
        self.client.get(reverse("register-pdf", args=["IE1", day]))
        export = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("pk")
        self.assertEqual(export.detail["students"], 1)
        self.login(self.evan)
        self.assertContains(self.client.get(reverse("register", args=["IE1", day])), "Marsh")

    def test_it_keeps_the_watch_list_to_their_years(self):
        entry = WatchListEntry.objects.create(
            student=self.leon,
            reason="Low mood",
            review_on=dt.date(2026, 12, 9),
            requested_by=self.evan.staff,
            added_by=self.evan,
            added_at=timezone.now(),
        )
        self.login(self.charlie)
        self.assertNotContains(self.client.get(reverse("watch-list")), "Marsh")
        ended = self.client.post(reverse("watch-list-end", args=[entry.pk]))
        self.assertEqual(ended.status_code, 404)
        entry.refresh_from_db()
        self.assertIsNone(entry.ended_at)
        added = self.client.post(
            reverse("watch-list"),
            {
                "student": self.leon.pk,
                "reason": "Worried",
                "review_on": "2026-12-09",
                "requested_by": self.charlie.staff.pk,
            },
        )
        self.assertEqual(added.status_code, 400)
        self.assertEqual(WatchListEntry.objects.filter(student=self.leon).count(), 1)


class YearScopeSurvivesImportTest(BundleTestCase):
    def test_it_keeps_pastoral_years_through_a_reimport(self):
        folder = self.bundle("csv")
        self.run_import(folder)
        year = YearGroup.objects.order_by("number").first()
        for staff in Staff.objects.all():
            staff.year_groups.add(year)
        Staff.objects.update(whole_school=True)
        self.run_import(self.zipped(folder))
        self.assertTrue(all(s.whole_school for s in Staff.objects.all()))
        self.assertTrue(all(s.year_groups.filter(pk=year.pk).exists() for s in Staff.objects.all()))


class StudentListReadsTest(SchoolDayTestCase):
    """The student list as it opens (no search words) is read through compiled reads for a
    whole-school reader and a head of one year, and through the ORM otherwise: the same rows,
    pages and counts either way."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_other_years(cls)
        form7 = Form.objects.get(code="7A")
        for n in range(7):
            make_student(upn=f"Y70000000010{n}", first=f"Kid{n}", last="Able", form=form7)
        make_student(
            upn="Y700000000200", first="Gone", last="Able", form=form7, left_on=dt.date(2026, 9, 1)
        )
        cls.two_years = make_person("zara", "Zara", "Khan", Role.PASTORAL)
        cls.two_years.staff.year_groups.add(cls.year7, cls.year11)

    def orm(self, reader, year):
        students = school_people.student_search("", year=year)
        return policies.students_in_scope(reader, students).values_list(*student_list._FIELDS)

    def test_it_reads_the_same_students_compiled_as_through_the_orm(self):
        for reader in (self.alice, self.yusuf, self.charlie):
            for year in (None, 7, 9, 11, 12, 0, 40000):
                with self.subTest(reader=reader.username, year=year):
                    found = student_list.student_list_values(reader, query="", year=year)
                    compiled = year in (None, 0, 7, 9, 11, 12)
                    self.assertEqual(isinstance(found, CompiledList), compiled)
                    expected = self.orm(reader, year)
                    self.assertEqual(found.count(), expected.count())
                    for start, stop in ((0, 3), (3, 6), (6, 50), (2, 2)):
                        self.assertEqual(list(found[start:stop]), list(expected[start:stop]))
        # A head of two years, and search words: through the ORM.
        found = student_list.student_list_values(self.two_years, query="", year=None)
        self.assertNotIsInstance(found, CompiledList)
        self.assertEqual(list(found), list(self.orm(self.two_years, None)))
        found = student_list.student_list_values(self.alice, query="able", year=None)
        self.assertNotIsInstance(found, CompiledList)
