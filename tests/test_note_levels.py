"""Confidentiality levels on room log notes, drop-ins and on-call outcome notes (issue 10): each
carries a level (staff by default), only raised; a note above the reader's level is left out of
the register, its PDF, the watch list, the student's timeline, the on-call page and every
socket event."""

import datetime as dt

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import TransactionTestCase
from django.urls import reverse

from conduct.lib.errors import ActionRefused
from pastoral.models import Level
from pastoral.services import concerns
from patrol.consumers import OnCallQueueConsumer
from patrol.models import OnCallReason
from patrol.rendering import event_message
from patrol.selectors import on_call as on_call_selectors
from patrol.services import on_call, watch_list
from sanctions import printing
from sanctions.models import RoomLogEntry
from sanctions.services import placements
from sanctions.services import register as register_services
from tests.base import WEDNESDAY, SchoolDayTestCase, make_people

SECRET = "Disclosed something at home"


class RoomLogNoteLevelTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        placement = placements.placement_book(
            student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=WEDNESDAY
        )
        cls.day = placement.days.get()

    def log(self, level, note=SECRET, kind=RoomLogEntry.Kind.NOTE):
        return register_services.room_log_add(
            placement_day=self.day,
            kind=kind,
            at=dt.time(9, 30),
            note=note,
            level=level,
            by=self.bob,
        )

    def test_the_register_shows_a_note_only_to_those_who_may_read_its_level(self):
        self.log(Level.CHILD_PROTECTION)
        self.log(Level.PASTORAL, note="Upset after break")
        self.log(Level.STAFF, note="Good focus", kind=RoomLogEntry.Kind.PRAISE)
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        for person, sees_secret, sees_pastoral in [
            (self.dana, True, True),  # the DSL
            (self.bob, True, True),  # its author
            (self.charlie, False, True),  # head of year: pastoral
            (self.gita, False, False),  # attendance: staff only
        ]:
            with self.subTest(person=person.username):
                self.login(person)
                page = self.client.get(register).content.decode()
                self.assertIn("Good focus", page)
                self.assertEqual(SECRET in page, sees_secret)
                self.assertEqual("Upset after break" in page, sees_pastoral)

    def test_the_register_pdf_and_the_timeline_leave_it_out(self):
        self.log(Level.CHILD_PROTECTION)
        for person, sees in [(self.charlie, False), (self.dana, True)]:
            with self.subTest(person=person.username):
                html, _ = printing.register_html(room=self.ie_room, date=WEDNESDAY, user=person)
                self.assertEqual(SECRET in html, sees)
                self.login(person)
                page = self.client.get(reverse("student-detail", args=[self.student.pk]))
                self.assertEqual(SECRET in page.content.decode(), sees)

    def test_the_form_sets_it_and_it_is_only_raised(self):
        self.login(self.bob)
        self.client.post(
            reverse("register-log", args=[self.day.pk]),
            {"kind": "note", "note": SECRET, "level": "pastoral"},
        )
        entry = RoomLogEntry.objects.get(note=SECRET)
        self.assertEqual(entry.level, Level.PASTORAL)
        with self.assertRaises(ActionRefused):
            register_services.room_log_level_raise(entry=entry, level=Level.STAFF, by=self.bob)
        register_services.room_log_level_raise(
            entry=entry, level=Level.CHILD_PROTECTION, by=self.bob
        )
        entry.refresh_from_db()
        self.assertEqual(entry.level, Level.CHILD_PROTECTION)
        self.assertEqual(RoomLogEntry._meta.get_field("level").default, Level.STAFF)


class DropInLevelTest(SchoolDayTestCase):
    def test_a_child_protection_drop_in_is_on_no_list_or_timeline_of_others(self):
        entry = watch_list.watch_list_add(
            by=self.bob,
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        watch_list.drop_in_record(
            entry_id=entry.pk, by=self.bob, engagement=2, note=SECRET, level=Level.CHILD_PROTECTION
        )
        watch_list.drop_in_record(entry_id=entry.pk, by=self.bob, engagement=4, note="On task")
        for person, sees in [(self.evan, False), (self.dana, True), (self.bob, True)]:
            with self.subTest(person=person.username):
                self.login(person)
                for url in (
                    reverse("watch-list"),
                    reverse("student-detail", args=[self.student.pk]),
                ):
                    page = self.client.get(url).content.decode()
                    self.assertEqual(SECRET in page, sees, url)
                    if url == reverse("watch-list"):
                        self.assertIn("On task", page)


class OnCallNoteLevelTest(SchoolDayTestCase):
    def test_a_pastoral_outcome_note_is_never_in_the_shared_data_and_only_on_its_page(self):
        on_call.on_call_reasons_ensure_defaults()
        request = on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.first(),
            location="M4",
            students=[self.student],
        )
        on_call.on_call_request_resolve(
            request_id=request.pk,
            by=self.bob,
            outcome="settled",
            note=SECRET,
            level=Level.CHILD_PROTECTION,
        )
        data = on_call_selectors.on_call_request_data(request.pk)
        self.assertEqual(data["outcome_note"], "")
        message = event_message("resolved", data, user=self.evan)
        self.assertNotIn(SECRET, str(message))
        url = reverse("on-call-detail", args=[request.pk])
        self.login(self.evan)
        self.assertNotContains(self.client.get(url), SECRET)
        self.login(self.bob)
        self.assertContains(self.client.get(url), SECRET)


class SocketLevelTest(TransactionTestCase):
    """Over the live queue: a child-protection note, and a safeguarding concern, reach no one's
    socket."""

    serialized_rollback = True

    def setUp(self):
        make_people(self)
        on_call.on_call_reasons_ensure_defaults()
        self.communicators = []

    async def asyncTearDown(self):
        for communicator in self.communicators:
            await communicator.disconnect()

    async def listen(self, user):
        communicator = WebsocketCommunicator(OnCallQueueConsumer.as_asgi(), "/ws/on-call/")
        communicator.scope["user"] = user
        connected, _ = await communicator.connect()
        self.assertTrue(connected)
        self.communicators.append(communicator)
        await communicator.receive_json_from(timeout=5)  # the snapshot
        return communicator

    def resolve_with_a_secret(self):
        request = on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.first(),
            location="M4",
            students=[self.student],
        )
        on_call.on_call_request_resolve(
            request_id=request.pk, by=self.bob, outcome="settled", note=SECRET, level="pastoral"
        )

    async def test_a_levelled_outcome_note_goes_over_no_socket(self):
        evan, dana = await self.listen(self.evan), await self.listen(self.dana)
        await database_sync_to_async(self.resolve_with_a_secret)()
        for communicator in (evan, dana):
            raised = await communicator.receive_json_from(timeout=5)
            resolved = await communicator.receive_json_from(timeout=5)
            self.assertEqual((raised["kind"], resolved["kind"]), ("raised", "resolved"))
            self.assertNotIn(SECRET, str(raised) + str(resolved))

    async def test_a_child_protection_concern_sends_nothing_to_any_socket(self):
        evan, bob = await self.listen(self.evan), await self.listen(self.bob)

        def raise_concern():
            concerns.concern_raise(
                student=self.student, what=SECRET, urgent=True, came_from="on_call", by=self.bob
            )

        await database_sync_to_async(raise_concern)()
        for communicator in (evan, bob):
            self.assertTrue(await communicator.receive_nothing(timeout=0.5))
