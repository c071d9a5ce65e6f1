"""Teachers see the requests for their own lessons and set work from a phone in a few clicks:
instructions, a link, files, a task of the programme or "follow the programme", one answer for
every student of the class that day."""

import datetime as dt

from django.urls import reverse

from audit.models import StateChange
from conduct import submissions
from sanctions.services import placements
from school.models import ClassTeacher
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, freeze_clock
from tests.work_fixtures import a_file, second_student, temporary_media
from work.models import Programme, ProgrammeTask, WorkAttachment, WorkRequest, WorkSet, WorkSettings
from work.services import requests as services

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class WorkToSetTest(SchoolDayTestCase):
    ie_capacity = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        with_clock = __import__("tests.base", fromlist=["frozen_clock"]).frozen_clock
        with with_clock(TEN_FIFTEEN):
            for student in (cls.student, cls.mia):
                placements.placement_book(
                    student=student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY
                )

    def setUp(self):
        super().setUp()
        temporary_media(self)
        self.requests = list(WorkRequest.objects.order_by("pk"))

    def test_booking_asks_for_work_by_four_the_school_day_before(self):
        self.assertEqual(len(self.requests), 2)
        for request in self.requests:
            self.assertEqual(request.teacher, self.alice.staff)
            self.assertFalse(request.asap)
            self.assertEqual(
                request.deadline.astimezone(TEN_FIFTEEN.tzinfo).replace(tzinfo=None),
                dt.datetime(2026, 11, 25, 16, 0),
            )

    def test_the_school_sets_its_own_deadline(self):
        WorkSettings.objects.create(deadline_time=dt.time(8, 0), deadline_school_days_before=2)
        deadline = services.deadline_for(dt.date(2026, 11, 30))  # a Monday
        self.assertEqual(deadline.date(), dt.date(2026, 11, 26))  # Thursday, two school days before
        self.assertEqual(deadline.time(), dt.time(8, 0))

    def test_a_removal_today_asks_for_work_as_soon_as_you_can(self):
        freeze_clock(self, TEN_FIFTEEN.replace(hour=9, minute=30))
        kid = second_student.__globals__["make_student"](
            upn="C123456789012", first="Leo", last="Hart", form=self.form
        )
        ClassTeacher.objects.get(teaching_class=self.maths_class)
        self.maths_class.students.add(kid)
        placements.reflection_room_removal(student=kid, by=self.alice)
        request = WorkRequest.objects.get(placement_day__placement__student=kid)
        self.assertTrue(request.asap)
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("work-to-set")), "as soon as you can")

    def test_the_teacher_sees_their_lessons_grouped_by_class_and_day(self):
        self.login(self.alice)
        with self.assertNumQueries(7):
            response = self.client.get(reverse("work-to-set"))
        self.assertContains(response, "9X/Ma1")
        self.assertContains(response, "Jayden Walsh")
        self.assertContains(response, "Mia Jones")
        self.assertContains(response, "Wed 25 Nov 16:00")
        self.assertContains(response, "IE1")
        self.assertEqual(len(response.context["work"].to_set), 1)

    def test_a_teacher_sees_only_their_own_and_their_shared_classes(self):
        self.login(self.hugo)
        response = self.client.get(reverse("work-to-set"))
        self.assertEqual(response.context["work"].to_set, [])
        self.assertEqual(
            self.client.get(reverse("work-set", args=[self.requests[0].pk])).status_code, 403
        )
        ClassTeacher.objects.create(
            teaching_class=self.maths_class, staff=self.hugo.staff, is_main=False
        )
        response = self.client.get(reverse("work-to-set"))
        self.assertEqual(len(response.context["work"].to_set), 1)
        self.assertEqual(
            self.client.get(reverse("work-set", args=[self.requests[0].pk])).status_code, 200
        )

    def _post(self, data, files=None, **extra):
        payload = {
            "kind": "lesson",
            "covers": [r.pk for r in self.requests],
            "submission": submissions.new_token(),
        } | data
        if files:
            payload["files"] = files
        return self.client.post(reverse("work-set", args=[self.requests[0].pk]), payload, **extra)

    def test_one_answer_with_a_file_covers_every_student_of_the_class(self):
        self.login(self.alice)
        response = self._post(
            {
                "instructions": "Textbook p.42, questions 1-10",
                "link": "https://example.org/fractions",
            },
            files=[a_file()],
        )
        self.assertRedirects(response, reverse("work-to-set"))
        work = WorkSet.objects.get()
        self.assertEqual(work.kind, WorkSet.Kind.LESSON)
        self.assertEqual(work.set_by, self.alice)
        self.assertEqual(
            sorted(WorkRequest.objects.values_list("status", "work_set", "answered_late")),
            [("set", work.pk, False)] * 2,
        )
        attachment = WorkAttachment.objects.get()
        self.assertEqual(attachment.name, "sheet.pdf")
        self.assertEqual(
            StateChange.objects.filter(object_type="work.workrequest", to_value="set").count(), 2
        )
        # The file reaches the room, and nobody else.
        self.client.logout()
        self.login(self.bob)
        self.assertEqual(
            self.client.get(reverse("work-file", args=[attachment.pk])).status_code, 200
        )
        self.login(self.hugo)  # head of maths
        self.assertEqual(
            self.client.get(reverse("work-file", args=[attachment.pk])).status_code, 200
        )
        self.login(self.olive)
        self.assertEqual(
            self.client.get(reverse("work-file", args=[attachment.pk])).status_code, 403
        )

    def test_the_page_shows_the_work_given_and_reads_its_files_once(self):
        self.login(self.alice)
        self._post({"instructions": "Textbook p.42"}, files=[a_file()])
        attachment = WorkAttachment.objects.get()
        url = reverse("work-set", args=[self.requests[0].pk])
        self.client.get(url)
        # The files of the work given read once (the lesson's other requests' never were shown).
        with self.assertNumQueries(9):
            page = self.client.get(url)
        self.assertContains(page, "Already given")
        self.assertContains(page, "Set by the teacher · Alice Teague")
        self.assertContains(page, reverse("work-file", args=[attachment.pk]))
        self.assertContains(page, "Textbook p.42")
        # Both students of the lesson may be covered again, named with their period.
        self.assertContains(page, "Jayden Walsh (P2)")
        self.assertContains(page, "Mia Jones (P2)")

    def test_a_file_too_big_or_of_the_wrong_kind_is_refused_clearly(self):
        WorkSettings.objects.create(max_upload_mb=1)
        self.login(self.alice)
        response = self._post({"instructions": "See sheet"}, files=[a_file(size=2 * 1024 * 1024)])
        self.assertContains(response, "the largest file allowed is 1 MB")
        response = self._post({"instructions": "See sheet"}, files=[a_file(name="run.exe")])
        self.assertContains(response, "run.exe can&#x27;t be attached")
        self.assertFalse(WorkSet.objects.exists())
        self.assertEqual(set(WorkRequest.objects.values_list("status", flat=True)), {"requested"})

    def test_an_empty_answer_or_a_bad_link_says_what_to_give(self):
        self.login(self.alice)
        self.assertContains(self._post({}), "Write what to do, give a link")
        self.assertContains(self._post({"link": "javascript:alert(1)"}), "Give a web address")
        self.assertContains(self._post({"covers": []}), "This field is required")
        self.assertContains(self._post({"covers": [99999]}), "not one of the available choices")

    def test_following_the_programme_gives_each_student_their_next_task(self):
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.year9
        )
        first, second = (
            ProgrammeTask.objects.create(
                programme=programme, position=n, title=f"Task {n}", instructions="Do it"
            )
            for n in (1, 2)
        )
        # Jayden had task 1 in an earlier placement's lesson.
        earlier = self.requests[0]
        WorkRequest.objects.create(
            placement_day=earlier.placement_day,
            date=WEDNESDAY,
            period=earlier.period,
            teaching_class=self.maths_class,
            task=first,
            status="returned",
        )
        self.login(self.alice)
        self._post({"kind": "programme"})
        tasks = dict(
            WorkRequest.objects.filter(pk__in=[r.pk for r in self.requests]).values_list(
                "placement_day__placement__student__legal_first_name", "task__title"
            )
        )
        self.assertEqual(tasks, {"Jayden": "Task 2", "Mia": "Task 1"})

    def test_with_no_programme_follow_the_programme_is_not_offered(self):
        self.login(self.alice)
        response = self.client.get(reverse("work-set", args=[self.requests[0].pk]))
        self.assertNotContains(response, "Follow the department")
        self.assertContains(self._post({"kind": "programme"}), "not one of the available choices")

    def test_work_set_after_the_deadline_counts_as_late(self):
        freeze_clock(self, TEN_FIFTEEN.replace(hour=17))
        self.login(self.alice)
        self._post({"instructions": "Read chapter 3"})
        self.assertEqual(set(WorkRequest.objects.values_list("answered_late", flat=True)), {True})

    def test_the_same_form_sent_twice_sets_the_work_once(self):
        self.login(self.alice)
        token = submissions.new_token()
        for _ in range(2):
            response = self._post({"instructions": "Read chapter 3", "submission": token})
            self.assertRedirects(response, reverse("work-to-set"))
        self.assertEqual(WorkSet.objects.count(), 1)

    def test_work_recorded_by_the_room_can_no_longer_be_changed(self):
        WorkRequest.objects.filter(pk=self.requests[0].pk).update(
            status="returned", outcome="completed"
        )
        self.login(self.alice)
        response = self.client.get(reverse("work-set", args=[self.requests[0].pk]))
        self.assertContains(response, "can no longer be changed")

    def test_changing_set_work_ticks_the_lesson_opened_and_those_still_waiting(self):
        WorkRequest.objects.filter(pk=self.requests[0].pk).update(status="set")
        self.login(self.alice)
        response = self.client.get(reverse("work-set", args=[self.requests[0].pk]))
        self.assertEqual(
            sorted(response.context["form"].initial["covers"]), [r.pk for r in self.requests]
        )

    def test_the_register_says_who_set_the_work_and_when(self):
        self.login(self.alice)
        self._post({"instructions": "Read chapter 3"})
        self.login(self.bob)
        response = self.client.get(reverse("register", args=["IE1", THURSDAY.isoformat()]))
        self.assertContains(response, "set by Alice Teague Wed 10:15", count=2)
