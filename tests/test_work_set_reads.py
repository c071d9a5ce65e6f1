"""The page setting work reads its lesson's students and the programme's tasks as plain rows,
compiled once, and asks who may answer for them in one query (issue 15): the same requests, in
the same order, and the same answers as a request at a time."""

import datetime as dt

from django.urls import reverse

from sanctions.services import placements
from school.models import ClassTeacher
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, frozen_clock
from tests.work_fixtures import second_student, temporary_media
from work import policies
from work.models import Programme, ProgrammeTask, WorkRequest
from work.selectors import requests as selectors

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class _TwoOfAClassOut(SchoolDayTestCase):
    """Two students of Alice's maths class booked into the room on Thursday."""

    ie_capacity = 4

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        second_student(cls)
        with frozen_clock(TEN_FIFTEEN):
            for student in (cls.student, cls.mia):
                placements.placement_book(
                    student=student, provision=cls.ie, days=1, by=cls.bob, start_on=THURSDAY
                )

    def setUp(self):
        super().setUp()
        temporary_media(self)
        self.requests = list(WorkRequest.objects.order_by("pk"))


class WorkSetReadsTest(_TwoOfAClassOut):
    def test_the_lesson_students_are_same_lessons_requests_in_its_order(self):
        for opened in self.requests:
            expected = selectors.same_lesson(opened)
            found = selectors.lesson_students(opened)
            self.assertEqual([r.pk for r in found], [r.pk for r in expected])
            self.assertEqual(found[0].pk, opened.pk)  # the one opened first
            self.assertEqual(
                [r.label for r in found],
                [f"{r.placement_day.placement.student.name} ({r.period.code})" for r in expected],
            )
            self.assertEqual(
                [(r.status, r.teacher_id, r.teaching_class_id) for r in found],
                [(r.status, r.teacher_id, r.teaching_class_id) for r in expected],
            )

    def test_the_lesson_leaves_out_work_recorded_cancelled_and_other_days_and_classes(self):
        first, second = self.requests
        WorkRequest.objects.filter(pk=second.pk).update(outcome="completed")
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(
            outcome="", status=WorkRequest.Status.CANCELLED
        )
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(
            status=WorkRequest.Status.REQUESTED, date=THURSDAY + dt.timedelta(days=1)
        )
        self.assertEqual([r.pk for r in selectors.lesson_students(first)], [first.pk])
        WorkRequest.objects.filter(pk=second.pk).update(date=THURSDAY)
        self.assertEqual(len(selectors.lesson_students(first)), 2)

    def test_who_may_answer_is_the_same_as_a_request_at_a_time(self):
        rows = selectors.lesson_students(self.requests[0])
        models = selectors.same_lesson(self.requests[0])
        # A request of another class, asked of no one, among them.
        other = WorkRequest.objects.get(pk=self.requests[1].pk)
        other.teaching_class_id = self.maths_class.pk + 1000  # a class no one teaches (not saved)
        other.teacher = None
        mixed = [*models, other]
        for user in (self.alice, self.hugo, self.evan, self.bob, self.charlie):
            with self.subTest(user=user.username):
                self.assertEqual(
                    [r.pk for r in policies.answerable_requests(user, rows)],
                    [r.pk for r in models if policies.can_answer_request(user, r)],
                )
                self.assertEqual(
                    [r.pk for r in policies.answerable_requests(user, mixed)],
                    [r.pk for r in mixed if policies.can_answer_request(user, r)],
                )
        # A teacher of the class who is not the lesson's teacher (a shared class).
        ClassTeacher.objects.create(
            teaching_class=self.maths_class, staff=self.hugo.staff, is_main=False
        )
        self.assertEqual(
            [r.pk for r in policies.answerable_requests(self.hugo, rows)],
            [r.pk for r in models if policies.can_answer_request(self.hugo, r)],
        )
        self.assertEqual(len(policies.answerable_requests(self.hugo, rows)), 2)
        self.assertEqual(len(policies.answerable_requests(self.alice, rows)), 2)
        self.assertEqual(policies.answerable_requests(self.evan, rows), [])

    def test_who_may_answer_takes_one_query_at_most(self):
        rows = selectors.lesson_students(self.requests[0])
        for user in (self.alice, self.hugo):
            policies.can_set_work(user)  # their roles, read once a request
        with self.assertNumQueries(0):
            policies.answerable_requests(self.alice, rows)  # their own lessons
        with self.assertNumQueries(1):
            policies.answerable_requests(self.hugo, rows)

    def test_the_tasks_are_the_programmes_in_order(self):
        self.assertEqual(selectors.programme_tasks_for(self.requests[0]), [])
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.maths_class.year_group
        )
        third = ProgrammeTask.objects.create(programme=programme, position=3, title="C")
        first = ProgrammeTask.objects.create(programme=programme, position=1, title="A", unit="U")
        tasks = selectors.programme_tasks_for(self.requests[0])
        self.assertEqual([t.pk for t in tasks], [first.pk, third.pk])
        self.assertEqual(
            [(t.position, t.unit, t.title) for t in tasks], [(1, "U", "A"), (3, "", "C")]
        )

    def test_the_page_ticks_the_lesson_and_offers_the_tasks(self):
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.maths_class.year_group
        )
        ProgrammeTask.objects.create(programme=programme, position=1, title="Fractions", unit="N")
        self.login(self.alice)
        response = self.client.get(reverse("work-set", args=[self.requests[0].pk]))
        self.assertContains(response, "Jayden Walsh (")
        self.assertContains(response, "Mia Jones (")
        self.assertContains(response, "1. N: Fractions")


class WorkGivenTest(_TwoOfAClassOut):
    """The page's request read as the columns shown, and the work given written in Python:
    the same as the model read and `work/_work_given.html`."""

    def _given(self, request):
        from django.template.loader import render_to_string

        from work.rendering import work_given_html

        model = selectors.request_for_page(request.pk)
        found = selectors.request_to_set(request.pk)
        self.assertEqual(
            str(work_given_html(found)), render_to_string("work/_work_given.html", {"w": model})
        )
        return model, found

    def test_the_request_read_is_the_models(self):
        self.assertIsNone(selectors.request_to_set(max(r.pk for r in self.requests) + 100))
        for request in self.requests:
            model, found = self._given(request)
            self.assertEqual(
                (found.pk, found.date, found.status, found.outcome, found.teacher_id),
                (model.pk, model.date, model.status, model.outcome, model.teacher_id),
            )
            self.assertEqual(found.teaching_class_id, model.teaching_class_id)
            self.assertEqual(
                (
                    found.teaching_class.code,
                    found.teaching_class.subject_id,
                    found.teaching_class.year_group_id,
                ),
                (
                    model.teaching_class.code,
                    model.teaching_class.subject_id,
                    model.teaching_class.year_group_id,
                ),
            )
            self.assertEqual(found.period_name, model.period.name)
            self.assertEqual(found.provision, str(model.placement_day.placement.provision))
            self.assertEqual(found.room_code, model.placement_day.room.code)
            self.assertEqual(
                (found.asap, found.deadline, found.answered_late),
                (model.asap, model.deadline, model.answered_late),
            )
            self.assertIsNone(found.work_set)
            self.assertIsNone(found.task)

    def test_the_work_given_is_written_as_the_template_wrote_it(self):
        from work.models import WorkAttachment, WorkSet

        request = self.requests[0]
        work_set = WorkSet.objects.create(
            kind=WorkSet.Kind.LESSON,
            instructions="Page 4 <b>&</b>\r\nthen page 5\nand 6",
            link="https://example.org/" + "a" * 80 + "?x=<1>&y=2",
            set_by=self.alice,
        )
        WorkRequest.objects.filter(pk=request.pk).update(work_set=work_set, answered_late=True)
        self._given(request)
        second = WorkAttachment.objects.create(
            work_set=work_set, file="work/set/b.pdf", name="B <sheet>.pdf", size=2_500_000
        )
        WorkAttachment.objects.create(
            work_set=work_set, file="work/set/a.pdf", name="A & sheet.pdf", size=900
        )
        model, found = self._given(request)
        self.assertEqual(found.work_set.attachments[0][0], second.pk)  # in order
        self.assertEqual(len(found.work_set.attachments), 2)
        # No one named, a username only, no link or instructions; and a task.
        self.alice.first_name = self.alice.last_name = ""
        self.alice.save()
        WorkSet.objects.filter(pk=work_set.pk).update(
            instructions="", link="", kind=WorkSet.Kind.FALLBACK
        )
        WorkRequest.objects.filter(pk=request.pk).update(answered_late=False)
        self._given(request)
        WorkSet.objects.filter(pk=work_set.pk).update(set_by=None)
        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.maths_class.year_group
        )
        for unit, link in (("", ""), ("Unit <2>", "https://example.org/t?a=1&b=2")):
            task = ProgrammeTask.objects.create(
                programme=programme,
                position=1,
                title="Fractions & <more>",
                unit=unit,
                instructions="Do\nthis",
                link=link,
            )
            WorkRequest.objects.filter(pk=request.pk).update(task=task)
            self._given(request)
            WorkRequest.objects.filter(pk=request.pk).update(work_set=None)
            self._given(request)
            WorkRequest.objects.filter(pk=request.pk).update(work_set=work_set)


class WorkRecordReadTest(_TwoOfAClassOut):
    """The room's page recording work done reads the request as the columns it shows: the same
    words, links and audit record as the model gave."""

    def _same(self, request):
        from django.template.loader import render_to_string

        from work.rendering import work_given_html

        model = selectors.request_for_page(request.pk)
        found = selectors.request_to_record(request.pk)
        day = model.placement_day
        self.assertEqual(found.student_name, day.placement.student.name)
        self.assertEqual(
            (found.class_code, found.period_name, found.date),
            (model.teaching_class.code, model.period.name, model.date),
        )
        self.assertEqual(found.teacher_name, model.teacher.display_name if model.teacher else None)
        self.assertEqual(found.state_label, model.state_label)
        self.assertEqual(
            (found.outcome, found.outcome_note, found.has_outcome_file),
            (model.outcome, model.outcome_note, bool(model.outcome_file)),
        )
        self.assertEqual(
            found.register_url,
            reverse("register", args=[day.room.code, day.date.isoformat()])
            + f"#placement-day-{day.pk}",
        )
        self.assertEqual(found.audit_repr, str(model))
        self.assertEqual(
            str(work_given_html(found)), render_to_string("work/_work_given.html", {"w": model})
        )

    def test_the_read_gives_what_the_model_gave_in_each_state(self):
        from work.models import WorkSet

        self.assertIsNone(selectors.request_to_record(max(r.pk for r in self.requests) + 100))
        request = self.requests[0]
        self._same(request)
        for kind in WorkSet.Kind.values:
            work_set = WorkSet.objects.create(kind=kind, instructions="Page 4", set_by=self.alice)
            WorkRequest.objects.filter(pk=request.pk).update(
                work_set=work_set, status=WorkRequest.Status.SET
            )
            self._same(request)
            WorkRequest.objects.filter(pk=request.pk).update(answered_late=True)
            self._same(request)
        WorkSet.objects.filter(pk=work_set.pk).update(kind=WorkSet.Kind.LESSON, set_by=None)
        self._same(request)
        WorkRequest.objects.filter(pk=request.pk).update(
            outcome=WorkRequest.Outcome.PARTLY,
            outcome_note="Half",
            outcome_file="work/done/x.jpg",
            status=WorkRequest.Status.RETURNED,
        )
        self._same(request)
        WorkRequest.objects.filter(pk=request.pk).update(
            status=WorkRequest.Status.CANCELLED, outcome="", work_set=None, teacher=None
        )
        self._same(request)
        WorkRequest.objects.filter(pk=request.pk).update(
            status=WorkRequest.Status.REQUESTED, fell_back_at=TEN_FIFTEEN
        )
        self._same(request)

    def test_the_page_is_audited_as_before(self):
        from audit.models import AuditEvent

        request = self.requests[0]
        self.login(self.bob)
        response = self.client.get(reverse("work-record", args=[request.pk]))
        self.assertEqual(response.status_code, 200)
        event = AuditEvent.objects.latest("pk")
        self.assertEqual(
            (event.action, event.object_type, event.object_id, event.object_repr, event.detail),
            (
                AuditEvent.Action.VIEW,
                "work.workrequest",
                str(request.pk),
                str(request),
                {"page": "work record"},
            ),
        )
        self.assertEqual(self.client.get(reverse("work-record", args=[10**6])).status_code, 404)
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("work-record", args=[request.pk])).status_code, 403
        )


class MaxUploadTest(SchoolDayTestCase):
    def test_the_largest_file_is_the_settings(self):
        from work.models import WorkSettings

        self.assertEqual(selectors.max_upload_mb(), WorkSettings.current().max_upload_mb)
        first = WorkSettings.objects.create(max_upload_mb=3)
        WorkSettings.objects.create(max_upload_mb=40)
        self.assertEqual(selectors.max_upload_mb(), 3)
        WorkSettings.objects.filter(pk=first.pk).update(max_upload_mb=7)
        self.assertEqual(selectors.max_upload_mb(), WorkSettings.current().max_upload_mb)
        self.assertEqual(selectors.max_upload_mb(), 7)
