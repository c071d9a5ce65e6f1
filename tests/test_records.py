"""Interviews, records of discussions, confidentiality levels, safeguarding concerns and the inbox
(issue 10): the services' rules and the pages' rules."""

import datetime as dt

from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from conduct.lib.errors import ActionRefused
from conduct.roles import Role
from notify.models import Message, Notice
from notify.services import message_send_due, notice_send
from pastoral.models import Concern, Discussion, Interview, Level, RoomStandard
from pastoral.services import concerns, discussions, interviews
from sanctions.services import digest, placements
from tests.base import PASSWORD, WEDNESDAY, SchoolDayTestCase, make_person
from tests.work_fixtures import temporary_media

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class RecordsTestCase(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.tom = make_person("tom", "Tom", "Barker", Role.TEACHER, title="Mr")
        cls.form.tutor = cls.tom.staff
        cls.form.save()

    def book(self):
        return placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )

    def discussion(self, level=Level.PASTORAL, groups=(), **extra):
        return discussions.discussion_record(
            student=self.student,
            said="Jayden says lunchtimes are hard since the move.",
            actions="Lunch club on Tuesdays",
            level=level,
            groups=groups,
            by=extra.pop("by", self.bob),
            **extra,
        )


class EntryInterviewTest(RecordsTestCase):
    def test_it_opens_from_the_register_line_and_records_who_and_when(self):
        placement = self.book()
        interview = placement.interviews.get(kind="entry")
        self.login(self.bob)
        register = self.client.get(reverse("register", args=["IE1", WEDNESDAY.isoformat()]))
        url = reverse("interview-detail", args=[interview.pk])
        self.assertContains(register, f'href="{url}">entry interview to do')
        page = self.client.get(url)
        self.assertContains(page, "The reason, as recorded")
        standard = RoomStandard.objects.first()
        self.assertContains(page, standard.text)
        response = self.client.post(
            url,
            {
                "standards": [standard.pk],
                "student_account": "I threw a chair.",
                "level": "pastoral",
            },
        )
        self.assertRedirects(response, url)
        interview.refresh_from_db()
        self.assertEqual(
            (interview.status, interview.conducted_by, interview.answers["standards"]),
            ("done", self.bob, [standard.text]),
        )
        self.assertIsNotNone(interview.conducted_at)
        register = self.client.get(reverse("register", args=["IE1", WEDNESDAY.isoformat()]))
        self.assertContains(register, "entry interview done")

    def test_it_records_an_interview_once(self):
        interview = self.book().interviews.get(kind="entry")
        interviews.interview_entry_complete(
            interview=interview, standard_ids=[], student_account="x", by=self.bob
        )
        with self.assertRaises(ActionRefused):
            interviews.interview_entry_complete(
                interview=interview, standard_ids=[], student_account="y", by=self.evan
            )

    def test_it_refuses_a_standard_not_offered(self):
        interview = self.book().interviews.get(kind="entry")
        with self.assertRaises(ValidationError):
            interviews.interview_entry_complete(
                interview=interview, standard_ids=[9999], student_account="x", by=self.bob
            )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


class ReflectionSheetPhotoTest(RecordsTestCase):
    def setUp(self):
        temporary_media(self)
        self.interview = self.book().interviews.get(kind="entry")
        self.url = reverse("interview-reflection-scan", args=[self.interview.pk])
        self.page = reverse("interview-detail", args=[self.interview.pk])

    def attach(self, name, content, by=None):
        self.login(by or self.bob)
        return self.client.post(self.url, {"scan": SimpleUploadedFile(name, content)}, follow=True)

    def test_a_photo_is_attached_and_opened_only_by_those_who_may_see_the_interview(self):
        page = self.attach("sheet.png", PNG)
        self.assertContains(page, "Photo of the reflection sheet attached.")
        self.assertContains(page, f'href="{self.url}"')
        self.interview.refresh_from_db()
        self.assertTrue(self.interview.reflection_scan.name.startswith("pastoral/reflections/"))
        opened = self.client.get(self.url)
        self.assertEqual(b"".join(opened.streaming_content), PNG)
        self.assertTrue(
            AuditEvent.objects.filter(
                user=self.bob, detail__page="reflection photo", object_id=str(self.interview.pk)
            ).exists()
        )
        self.login(self.alice)  # a teacher: no interviews
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.attach("sheet.png", PNG, by=self.alice).status_code, 403)
        self.login(self.charlie)  # the head of year: may
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_a_child_protection_interviews_photo_is_not_found_by_others(self):
        self.attach("sheet.pdf", b"%PDF-1.4 sheet")
        Interview.objects.filter(pk=self.interview.pk).update(
            status="done", level=Level.CHILD_PROTECTION, conducted_by=self.bob
        )
        self.login(self.charlie)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.login(self.bob)  # the author
        self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_a_bad_file_is_refused_with_the_reason(self):
        for name, content, says in [
            ("sheet.exe", b"MZ\x90\x00", "sheet.exe can&#x27;t be attached: send a photo"),
            ("sheet.png", b"MZ\x90\x00 a program", "sheet.png is not the photo or PDF"),
            ("sheet.pdf", b"%PDF" + b"x" * (11 * 1024 * 1024), "the largest file allowed is 10 MB"),
        ]:
            with self.subTest(name=name):
                page = self.attach(name, content)
                self.assertRedirects(page, self.page)
                self.assertContains(page, says)
                self.interview.refresh_from_db()
                self.assertFalse(self.interview.reflection_scan)
        self.assertEqual(self.client.get(self.url).status_code, 404)


class ExitInterviewTest(RecordsTestCase):
    def test_it_sends_returning_today_to_the_return_days_teachers_tutor_and_head_of_year(self):
        placement = self.book()
        interviews.exit_interview_record(
            placement=placement,
            harm_answers={},
            affected_answers={},
            targets="Stay in lessons; use the time-out card",
            check_in_by=self.charlie.staff,
            check_in_when="Period 1 Thursday",
            check_in_how="In the year office",
            by=self.bob,
        )
        notices = Notice.objects.filter(kind="returning_today")
        self.assertEqual({n.recipient.username for n in notices}, {"alice", "tom", "charlie"})
        self.assertIn("Thursday 26 November", notices[0].title)
        self.assertIn("time-out card", notices[0].body)
        exit_interview = placement.interviews.get(kind="exit")
        self.assertEqual(exit_interview.returns_on, THURSDAY)

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_the_morning_email_on_the_return_day_carries_the_note_to_those_staff_only(self):
        placement = self.book()
        interviews.exit_interview_record(
            placement=placement,
            harm_answers={},
            affected_answers={},
            targets="Stay in lessons; use the time-out card",
            check_in_by=self.charlie.staff,
            check_in_when="Period 1 Thursday",
            check_in_how="In the year office",
            by=self.bob,
        )
        with self.captureOnCommitCallbacks(execute=True):
            digest.register_digest_send(day=THURSDAY)
        message_send_due()
        mine = [m for m in mail.outbox if len(m.to) == 1]
        told = {
            m.to[0]
            for m in mine
            if "Returning to lessons today" in m.body
            and "- Jayden Walsh (9B). Targets: Stay in lessons; use the time-out card" in m.body
        }
        self.assertEqual(
            told, {"alice@school.example", "tom@school.example", "charlie@school.example"}
        )
        others = [m for m in mail.outbox if not set(m.to) & told or len(m.to) > 1]
        self.assertTrue(all("time-out card" not in m.body for m in others))
        [tom] = [m for m in mine if m.to == ["tom@school.example"]]
        self.assertIn("Returning to lessons today", tom.subject)
        # The day before and the day after, nobody hears of it.
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            digest.register_digest_send(day=WEDNESDAY)
            digest.register_digest_send(day=THURSDAY + dt.timedelta(days=1))
        message_send_due()
        self.assertTrue(all("time-out card" not in m.body for m in mail.outbox))

    def test_its_page_records_the_restorative_answers(self):
        placement = self.book()
        self.login(self.bob)
        url = reverse("exit-interview", args=[placement.pk])
        page = self.client.get(url)
        self.assertContains(page, "What happened?")
        self.assertContains(page, "What has been the hardest thing?")
        question = page.context["form"].harm_fields[0]
        response = self.client.post(
            url, {question[1]: "I lost my temper", "targets": "Be on time", "level": "staff"}
        )
        self.assertRedirects(response, url)
        done = Interview.objects.get(placement=placement, kind="exit")
        self.assertEqual(done.answers["restorative"][0]["answer"], "I lost my temper")
        self.assertContains(self.client.get(url), "Be on time")


class DiscussionTest(RecordsTestCase):
    def test_a_shared_discussion_reaches_the_head_of_year_whose_read_the_author_sees(self):
        discussion = self.discussion(groups=["head_of_year"])
        notice = Notice.objects.get(recipient=self.charlie)
        self.assertNotIn("lunchtimes", notice.title + notice.body)  # never the content
        self.login(self.charlie)
        self.assertContains(
            self.client.get(reverse("student-detail", args=[self.student.pk])),
            reverse("discussion-detail", args=[discussion.pk]),
        )
        self.assertContains(
            self.client.get(reverse("discussion-detail", args=[discussion.pk])), "lunchtimes"
        )
        notice.refresh_from_db()
        self.assertIsNotNone(notice.read_at)
        self.login(self.bob)
        page = self.client.get(reverse("discussion-detail", args=[discussion.pk]))
        self.assertContains(page, "<strong>read</strong>", html=False)

    def test_a_named_teacher_reads_it_and_other_teachers_cannot(self):
        discussion = self.discussion(named=self.alice.staff)
        url = reverse("discussion-detail", args=[discussion.pk])
        self.login(self.alice)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.login(self.tom)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_level_is_raised_never_lowered(self):
        discussion = self.discussion(level=Level.PASTORAL)
        discussions.discussion_level_raise(
            discussion=discussion, level=Level.CHILD_PROTECTION, by=self.bob
        )
        with self.assertRaises(ActionRefused):
            discussions.discussion_level_raise(
                discussion=discussion, level=Level.STAFF, by=self.bob
            )
        discussion.refresh_from_db()
        self.assertEqual(discussion.level, Level.CHILD_PROTECTION)

    def test_a_child_protection_record_is_nothing_at_all_to_others(self):
        discussion = self.discussion(level=Level.CHILD_PROTECTION)
        url = reverse("discussion-detail", args=[discussion.pk])
        for person in (self.charlie, self.evan, self.gita, self.alice, self.noor):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            page = self.client.get(reverse("student-detail", args=[self.student.pk]))
            self.assertNotContains(page, url)
            self.assertNotContains(page, "Discussion recorded")
        for person in (self.dana, self.bob):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_a_child_protection_record_is_not_shared(self):
        with self.assertRaises(ValidationError):
            self.discussion(level=Level.CHILD_PROTECTION, groups=["head_of_year"])

    def test_the_senco_gets_what_is_shared_with_the_senco(self):
        self.discussion(groups=["senco"])
        self.assertTrue(Notice.objects.filter(recipient=self.noor).exists())

    def test_it_is_recorded_from_a_drop_in_with_the_student_chosen(self):
        self.login(self.bob)
        url = reverse("discussion-new", args=[self.student.pk]) + "?from=drop_in"
        page = self.client.get(url)
        self.assertContains(page, 'value="drop_in"')
        self.client.post(url, {"said": "Fine today", "level": "staff", "came_from": "drop_in"})
        self.assertEqual(Discussion.objects.get().came_from, "drop_in")

    def test_a_crafted_follow_up_date_is_refused_by_the_field(self):
        self.login(self.bob)
        response = self.client.post(
            reverse("discussion-new", args=[self.student.pk]),
            {"said": "x", "level": "staff", "follow_up_on": "1990-01-01"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Choose a date between")
        self.assertFalse(Discussion.objects.exists())


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class ConcernTest(RecordsTestCase):
    def raise_concern(self, urgent=True):
        return concerns.concern_raise(
            student=self.student,
            what="Jayden said he is scared to go home tonight.",
            urgent=urgent,
            by=self.alice,
        )

    def test_the_dsl_is_told_at_once_without_the_content(self):
        with self.captureOnCommitCallbacks(execute=True):
            concern = self.raise_concern()
        notice = Notice.objects.get(recipient=self.dana)
        self.assertEqual(notice.level, "urgent")
        self.assertEqual(notice.link, reverse("concern-detail", args=[concern.pk]))
        emails = Message.objects.filter(audience="staff")
        self.assertEqual([m.address for m in emails], [self.dana.email])
        for text in (
            [notice.title, notice.body]
            + [m.subject + m.body for m in emails]
            + [m.subject + m.body for m in mail.outbox]
        ):
            self.assertNotIn("scared", text)
            self.assertNotIn("Jayden", text)
        self.assertIn("URGENT", emails[0].subject)

    def test_only_the_dsl_and_the_author_read_it_and_each_read_is_audited(self):
        concern = self.raise_concern()
        url = reverse("concern-detail", args=[concern.pk])
        for person in (self.charlie, self.bob, self.evan, self.tom, self.noor, self.fay):
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 404, person)
            page = self.client.get(reverse("student-detail", args=[self.student.pk]))
            self.assertNotContains(page, url)
            self.assertNotContains(page, "Safeguarding concern")
        for person in (self.dana, self.alice):
            self.login(person)
            self.assertContains(self.client.get(url), "scared to go home")
        reads = AuditEvent.objects.filter(object_type="pastoral.concern", object_id=str(concern.pk))
        self.assertEqual(sorted(reads.values_list("username", flat=True)), ["alice", "dana"])

    def test_the_dsl_records_actions_and_the_outcome(self):
        concern = self.raise_concern(urgent=False)
        self.login(self.dana)
        url = reverse("concern-detail", args=[concern.pk])
        self.client.post(url, {"do": "action", "text": "Rang children's services"})
        self.client.post(url, {"do": "close", "outcome": "Referred to MASH"})
        concern.refresh_from_db()
        self.assertEqual((concern.status, concern.actions.count()), ("closed", 1))
        self.login(self.alice)
        self.assertEqual(self.client.post(url, {"do": "action", "text": "x"}).status_code, 403)
        self.assertEqual(Concern.objects.get().outcome, "Referred to MASH")

    def test_every_student_page_offers_it(self):
        for person in (self.alice, self.gita, self.hugo, self.noor):
            self.login(person)
            self.assertContains(
                self.client.get(reverse("student-detail", args=[self.student.pk])),
                reverse("concern-new", args=[self.student.pk]),
            )


class InboxTest(RecordsTestCase):
    def test_it_lists_notices_with_the_unread_count_in_the_menu_and_marks_read_when_opened(self):
        notice_send(recipients=[self.alice], kind="x", title="Hello", link="/")
        notice_send(recipients=[self.alice], kind="x", title="Again", link="//evil.example")
        self.login(self.alice)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Inbox (2 unread)")
        with self.assertNumQueries(4):  # session, user, notices, unread (roles, duty: cached)
            page = self.client.get(reverse("inbox"))
        self.assertContains(page, "2 unread")
        first, second = Notice.objects.order_by("pk")
        response = self.client.post(reverse("inbox-open", args=[first.pk]))
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        response = self.client.post(reverse("inbox-open", args=[second.pk]))
        self.assertRedirects(response, reverse("inbox"), fetch_redirect_response=False)
        self.assertContains(self.client.get(reverse("home")), ">Inbox<")

    def test_nobody_opens_another_persons_notice(self):
        (notice,) = notice_send(recipients=[self.alice], kind="x", title="Hello")
        self.login(self.bob)
        self.assertEqual(self.client.post(reverse("inbox-open", args=[notice.pk])).status_code, 404)
        notice.refresh_from_db()
        self.assertIsNone(notice.read_at)


class RecordLinksTest(RecordsTestCase):
    def test_the_drop_in_page_links_a_discussion_and_a_concern_with_the_student_chosen(self):
        from patrol.models import WatchListEntry

        watch = WatchListEntry.objects.create(
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY,
            requested_by=self.charlie.staff,
            added_by=self.charlie,
            added_at=self.now,
        )
        self.login(self.bob)
        page = self.client.get(reverse("drop-in-new", args=[watch.pk]))
        self.assertContains(
            page, reverse("discussion-new", args=[self.student.pk]) + "?from=drop_in"
        )
        self.assertContains(page, reverse("concern-new", args=[self.student.pk]) + "?from=drop_in")


class LockedReflectionTest(RecordsTestCase):
    def lock(self):
        interview = self.book().interviews.get(kind="entry")
        self.login(self.bob)
        response = self.client.post(reverse("reflection-lock", args=[interview.pk]))
        self.assertRedirects(response, reverse("reflection"))
        return interview

    def test_the_locked_device_reaches_nothing_but_the_students_questions(self):
        interview = self.lock()
        page = self.client.get(reverse("reflection"))
        self.assertContains(page, "Your reflection, Jayden")
        self.assertContains(page, "What happened?")
        self.assertNotContains(page, 'aria-label="Main"')
        for path in (
            reverse("home"),
            reverse("student-detail", args=[self.student.pk]),
            reverse("interview-detail", args=[interview.pk]),
            reverse("inbox"),
            reverse("student-list") + "?q=a",
        ):
            self.assertRedirects(
                self.client.get(path), reverse("reflection"), fetch_redirect_response=False
            )
        self.assertRedirects(
            self.client.post(reverse("logout")),
            reverse("reflection"),
            fetch_redirect_response=False,
        )

    def test_it_keeps_the_answers_and_unlocks_only_with_the_staff_password(self):
        interview = self.lock()
        question = page_question = self.client.get(reverse("reflection")).context["questions"][0]
        self.client.post(
            reverse("reflection"), {"do": "save", f"q{question.pk}": "I was angry about my phone"}
        )
        interview.refresh_from_db()
        self.assertIn("I was angry about my phone", interview.reflection)
        self.assertIn(page_question.text, interview.reflection)
        response = self.client.post(reverse("reflection-unlock"), {"password": "guess"})
        self.assertRedirects(response, reverse("reflection"), fetch_redirect_response=False)
        self.assertRedirects(
            self.client.get(reverse("home")), reverse("reflection"), fetch_redirect_response=False
        )
        response = self.client.post(reverse("reflection-unlock"), {"password": PASSWORD})
        self.assertRedirects(
            response,
            reverse("interview-detail", args=[interview.pk]),
            fetch_redirect_response=False,
        )
        self.assertEqual(self.client.get(reverse("home")).status_code, 200)

    def test_only_interviewers_lock_a_device_for_an_interview_and_nobody_opens_it_unlocked(self):
        interview = self.book().interviews.get(kind="entry")
        url = reverse("reflection-lock", args=[interview.pk])
        for person in (self.alice, self.gita, self.fay, self.noor, self.olive):
            self.login(person)
            self.assertEqual(self.client.post(url).status_code, 403, person)
            self.assertEqual(self.client.get(reverse("reflection")).status_code, 404, person)
        self.login(self.evan)
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_it_signs_the_device_out_after_five_wrong_passwords(self):
        self.lock()
        for _ in range(4):
            self.client.post(reverse("reflection-unlock"), {"password": "guess"})
        response = self.client.post(reverse("reflection-unlock"), {"password": "guess"})
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)
        self.assertIn("login", self.client.get(reverse("home"))["Location"])


class InterviewsToDoScopeTest(RecordsTestCase):
    def test_pastoral_staff_see_only_their_years_interviews_to_do_at_home(self):
        from school.models import YearGroup

        interview = self.book().interviews.get(kind="entry")
        yusuf = make_person("yusuf", "Yusuf", "Ali", Role.PASTORAL, title="Mr")
        yusuf.staff.year_groups.add(YearGroup.objects.create(number=7))
        url = reverse("interview-detail", args=[interview.pk])
        self.login(self.charlie)
        self.assertContains(self.client.get(reverse("home")), url)
        self.login(yusuf)
        self.assertNotContains(self.client.get(reverse("home")), url)
        self.assertEqual(self.client.get(url).status_code, 404)
