"""Raising the level of a room log note, a drop-in and an on-call outcome note from their pages
(issue 10): shown only to those who may raise it, offering only higher levels; and the patrol's
"last drop-in" is the last one the reader may see (a record above their level is nothing at
all)."""

import datetime as dt
from unittest import mock

from django.urls import reverse

from audit.selectors import history_of
from pastoral.models import Level
from patrol.models import OnCallReason
from patrol.services import on_call, watch_list
from sanctions.models import RoomLogEntry
from sanctions.services import placements
from sanctions.services import register as register_services
from tests.base import LONDON, WEDNESDAY, SchoolDayTestCase

SECRET = "Disclosed something at home"


def at(time: str) -> dt.datetime:
    return dt.datetime.combine(WEDNESDAY, dt.time.fromisoformat(time), tzinfo=LONDON)


class PatrolLastDropInTest(SchoolDayTestCase):
    def test_a_child_protection_drop_in_is_not_the_last_drop_in_for_others(self):
        entry = watch_list.watch_list_add(
            by=self.bob,
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        watch_list.drop_in_record(
            entry_id=entry.pk,
            by=self.bob,
            engagement=4,
            note="On task",
            at=at("09:10"),
            now=at("09:10"),
        )
        watch_list.drop_in_record(
            entry_id=entry.pk,
            by=self.dana,
            engagement=1,
            note=SECRET,
            level=Level.CHILD_PROTECTION,
            at=at("10:40"),
            now=at("10:40"),
        )
        url = reverse("patrol-home") + "?tab=watch"
        for person, last in [
            (self.evan, "Last drop-in: Wed 25 Nov 09:10"),
            (self.bob, "Last drop-in: Wed 25 Nov 09:10"),
            (self.dana, "Last drop-in: Wed 25 Nov 10:40"),
        ]:
            with self.subTest(person=person.username):
                self.login(person)
                page = self.client.get(url).content.decode()
                self.assertIn(last, page)
                if person != self.dana:
                    self.assertNotIn("10:40", page)


class RaiseControlsTest(SchoolDayTestCase):
    """The control by each note posts to the existing raise services; it is shown only to those
    who may raise (the author, the pastoral team) and offers only higher levels."""

    def test_a_room_log_note_is_raised_from_the_register(self):
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        day = placement.days.get()
        entry = register_services.room_log_add(
            placement_day=day,
            kind=RoomLogEntry.Kind.NOTE,
            at=dt.time(9, 30),
            note=SECRET,
            level=Level.PASTORAL,
            by=self.bob,
        )
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        url = reverse("room-log-level", args=[entry.pk])
        self.login(self.bob)  # its author
        page = self.client.get(register)
        self.assertContains(page, f'action="{url}"')
        control = page.content.decode().split(f'action="{url}"')[1].split("</form>")[0]
        self.assertIn('value="child_protection"', control)
        self.assertNotIn('value="staff"', control)
        self.assertNotIn('value="pastoral"', control)
        # Lowering is refused whatever is posted.
        self.client.post(url, {"level": "staff"})
        entry.refresh_from_db()
        self.assertEqual(entry.level, Level.PASTORAL)
        response = self.client.post(url, {"level": "child_protection"})
        self.assertRedirects(response, f"{register}#placement-day-{day.pk}")
        entry.refresh_from_db()
        self.assertEqual(entry.level, Level.CHILD_PROTECTION)
        self.assertTrue(history_of(entry).filter(field="level", from_value="pastoral").exists())
        self.assertNotContains(self.client.get(register), f'action="{url}"')  # nothing higher
        # The head of year (pastoral team) may no longer read it: not found.
        self.login(self.charlie)
        self.assertEqual(self.client.post(url, {"level": "child_protection"}).status_code, 404)

    def test_only_those_who_may_raise_see_the_control_on_the_register(self):
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        entry = register_services.room_log_add(
            placement_day=placement.days.get(),
            kind=RoomLogEntry.Kind.NOTE,
            at=dt.time(9, 30),
            note="Good focus",
            level=Level.STAFF,
            by=self.bob,
        )
        url = reverse("room-log-level", args=[entry.pk])
        register = reverse("register", args=["IE1", WEDNESDAY.isoformat()])
        for person, shown in [(self.bob, True), (self.charlie, True), (self.gita, False)]:
            with self.subTest(person=person.username):
                self.login(person)
                page = self.client.get(register)
                self.assertEqual(page.status_code, 200)
                self.assertEqual(f'action="{url}"' in page.content.decode(), shown)
        self.login(self.gita)  # attendance reads the register but may not raise
        self.assertEqual(self.client.post(url, {"level": "pastoral"}).status_code, 403)
        entry.refresh_from_db()
        self.assertEqual(entry.level, Level.STAFF)

    def test_a_drop_in_is_raised_from_the_watch_list(self):
        entry = watch_list.watch_list_add(
            by=self.bob,
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        drop_in = watch_list.drop_in_record(
            entry_id=entry.pk, by=self.evan, engagement=2, note="Head down, quiet"
        )
        url = reverse("drop-in-level", args=[drop_in.pk])
        self.login(self.charlie)  # head of year: the pastoral team
        page = self.client.get(reverse("watch-list"))
        self.assertContains(page, f'action="{url}"')
        control = page.content.decode().split(f'action="{url}"')[1].split("</form>")[0]
        self.assertIn('value="pastoral"', control)
        self.assertNotIn('value="staff"', control)
        response = self.client.post(url, {"level": "pastoral"})
        self.assertRedirects(response, reverse("watch-list"))
        drop_in.refresh_from_db()
        self.assertEqual(drop_in.level, Level.PASTORAL)
        self.client.post(url, {"level": "staff"})
        drop_in.refresh_from_db()
        self.assertEqual(drop_in.level, Level.PASTORAL)
        # Back where it came from, never off the site.
        response = self.client.post(
            url, {"level": "child_protection", "next": "https://evil.example/"}
        )
        self.assertRedirects(response, reverse("watch-list"))
        self.login(self.gita)
        self.assertEqual(self.client.post(url, {"level": "child_protection"}).status_code, 404)

    def test_an_on_call_outcome_note_is_raised_from_its_page(self):
        on_call.on_call_reasons_ensure_defaults()
        request = on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.first(),
            location="M4",
            students=[self.student],
        )
        on_call.on_call_request_resolve(
            request_id=request.pk, by=self.bob, outcome="settled", note="Upset about home"
        )
        detail = reverse("on-call-detail", args=[request.pk])
        url = reverse("on-call-note-level", args=[request.pk])
        self.login(self.alice)  # the teacher who called: reads the page, may not raise
        page = self.client.get(detail)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, f'action="{url}"')
        self.assertEqual(self.client.post(url, {"level": "pastoral"}).status_code, 403)
        self.login(self.bob)  # its author
        page = self.client.get(detail)
        self.assertContains(page, f'action="{url}"')
        response = self.client.post(url, {"level": "pastoral"})
        self.assertRedirects(response, detail)
        request.refresh_from_db()
        self.assertEqual(request.outcome_level, Level.PASTORAL)
        self.client.post(url, {"level": "staff"})
        request.refresh_from_db()
        self.assertEqual(request.outcome_level, Level.PASTORAL)
        self.login(self.alice)
        self.assertNotContains(self.client.get(detail), "Upset about home")

    def test_a_drop_in_is_raised_from_the_student_timeline_and_comes_back_there(self):
        entry = watch_list.watch_list_add(
            by=self.bob,
            student=self.student,
            reason="Struggling after a move",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        drop_in = watch_list.drop_in_record(
            entry_id=entry.pk, by=self.bob, engagement=3, note="Talked about the weekend"
        )
        student_page = reverse("student-detail", args=[self.student.pk])
        url = reverse("drop-in-level", args=[drop_in.pk])
        self.login(self.gita)  # attendance sees the drop-in (staff level), may not raise it
        page = self.client.get(student_page)
        self.assertContains(page, "Talked about the weekend")
        self.assertNotContains(page, f'action="{url}"')
        self.login(self.bob)
        page = self.client.get(student_page)
        self.assertContains(page, f'action="{url}"')
        response = self.client.post(url, {"level": "child_protection", "next": student_page})
        self.assertRedirects(response, student_page)
        drop_in.refresh_from_db()
        self.assertEqual(drop_in.level, Level.CHILD_PROTECTION)
        self.login(self.gita)
        self.assertNotContains(self.client.get(student_page), "Talked about the weekend")

    def test_raising_an_outcome_note_sends_the_card_again_without_it(self):
        on_call.on_call_reasons_ensure_defaults()
        request = on_call.on_call_request_raise(
            by=self.alice,
            reason=OnCallReason.objects.first(),
            location="M4",
            students=[self.student],
        )
        on_call.on_call_request_resolve(
            request_id=request.pk, by=self.bob, outcome="settled", note="Upset about home"
        )
        sent = []
        with (
            mock.patch("patrol.events._send", side_effect=sent.append),
            self.captureOnCommitCallbacks(execute=True),
        ):
            on_call.on_call_note_level_raise(request=request, level="pastoral", by=self.bob)
        [event] = sent
        self.assertEqual(event["kind"], "level")
        self.assertEqual(event["request"]["id"], request.pk)
        self.assertEqual(event["request"]["outcome_note"], "")
        self.assertNotIn("Upset about home", str(event))
