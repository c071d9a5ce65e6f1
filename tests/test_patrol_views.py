"""On-call pages without JavaScript: the raise page's defaults from the timetable, the queue, the
polling endpoint, and the patrol's actions as plain form posts."""

import datetime as dt
import re

from django.template.loader import render_to_string
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from conduct.roles import Role
from pastoral.rendering import level_raise_html
from patrol import policies
from patrol.models import Duty, OnCallReason, OnCallRequest
from patrol.services import on_call
from sanctions.models import Placement
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    ConductTestCase,
    SchoolDayTestCase,
    freeze_clock,
    frozen_clock,
    make_calendar_and_timetable,
    make_person,
)


class OnCallPagesTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on_call.on_call_reasons_ensure_defaults()
        cls.reason = OnCallReason.objects.get(label="Refusing to follow instructions")

    def raise_one(self, **extra):
        return on_call.on_call_request_raise(
            by=self.alice, reason=self.reason, room=self.room, **extra
        )

    @override_settings(ON_CALL_ESCALATE_AFTER_SECONDS=120)
    def test_its_page_shows_it_escalated_when_opening_the_page_escalated_it(self):
        # The page reads the request before escalating what is due, and again only when that
        # moved this one.
        url = reverse("on-call-detail", args=[self.raise_one().pk])
        self.login(self.evan)
        self.assertNotContains(self.client.get(url), "Escalated to SLT on call")

        with frozen_clock(TEN_FIFTEEN + dt.timedelta(minutes=3)):
            page = self.client.get(url)

        self.assertContains(page, "Escalated to SLT on call at 10:18")

    def test_it_fills_the_raise_page_from_the_lesson_now(self):
        self.login(self.alice)
        response = self.client.get(reverse("on-call-raise"))
        self.assertContains(response, "Now: Period 2 · 9X/Ma1 in M4 Maths 4")
        self.assertContains(response, f'<option value="{self.room.pk}" selected>')
        self.assertContains(response, f'<option value="{self.maths_class.pk}" selected>')
        self.assertContains(response, f'name="students" value="{self.student.pk}"')
        self.assertContains(response, "Refusing to follow instructions")

    def test_it_raises_in_two_taps_with_the_defaults(self):
        self.login(self.alice)
        page = self.client.get(reverse("on-call-raise"))  # tap one: open the page
        self.assertEqual(page.status_code, 200)
        response = self.client.post(  # tap two: the reason button submits the defaults
            reverse("on-call-raise"),
            {
                "room": self.room.pk,
                "teaching_class": self.maths_class.pk,
                "urgency": "routine",
                "reason": self.reason.pk,
            },
        )
        request = OnCallRequest.objects.get()
        self.assertRedirects(response, reverse("on-call-detail", args=[request.pk]))
        self.assertEqual(
            (request.room, request.teaching_class, request.period, request.raised_by),
            (self.room, self.maths_class, self.periods["P2"], self.alice),
        )

    def test_it_records_students_urgency_and_a_note(self):
        self.login(self.alice)
        self.client.post(
            reverse("on-call-raise"),
            {
                "room": self.room.pk,
                "teaching_class": self.maths_class.pk,
                "students": [self.student.pk],
                "urgency": "emergency",
                "note": "Chair thrown",
                "reason": self.reason.pk,
            },
        )
        request = OnCallRequest.objects.get()
        self.assertEqual(list(request.students.all()), [self.student])
        self.assertEqual((request.urgency, request.note), ("emergency", "Chair thrown"))

    def test_it_asks_where_when_there_is_no_room(self):
        self.login(self.bob)  # no lesson now
        response = self.client.post(
            reverse("on-call-raise"), {"urgency": "routine", "reason": self.reason.pk}
        )
        self.assertContains(response, "Say where help is needed", status_code=400)
        self.assertFalse(OnCallRequest.objects.exists())

    def test_it_shows_the_queue_with_the_room_in_large_type(self):
        self.raise_one()
        self.login(self.bob)
        # (one of them writes the audit event of this read; roles come from the reference data
        # cache)
        with self.assertNumQueries(12):
            response = self.client.get(reverse("on-call-queue"))
        self.assertContains(response, 'class="where"')
        self.assertContains(response, "Claim: I'm going to M4")
        self.assertContains(response, "On call now: Mr B Patel")
        self.assertContains(response, "patrol/queue.js")

    def test_it_pins_the_queue_queries_however_long_it_is(self):
        for _ in range(3):
            self.raise_one(students=[self.student])
        self.login(self.bob)
        # (one of them writes the audit event of this read; roles come from the reference data
        # cache)
        with self.assertNumQueries(12):
            self.client.get(reverse("on-call-queue"))
        with self.assertNumQueries(7):
            self.client.get(reverse("on-call-queue-json"))

    def test_it_serves_the_same_snapshot_for_polling(self):
        request = self.raise_one()
        self.login(self.evan)
        data = self.client.get(reverse("on-call-queue-json")).json()
        self.assertEqual(data["type"], "snapshot")
        self.assertEqual([r["id"] for r in data["open"]], [request.pk])
        self.assertIn("Claim", data["open"][0]["html"])

    def test_it_claims_arrives_and_resolves_with_plain_posts(self):
        request = self.raise_one(students=[self.student])
        self.login(self.bob)
        queue = reverse("on-call-queue")
        response = self.client.post(reverse("on-call-claim", args=[request.pk]))
        self.assertRedirects(response, queue, fetch_redirect_response=False)
        self.client.post(reverse("on-call-arrived", args=[request.pk]))
        self.client.post(
            reverse("on-call-resolve", args=[request.pk]),
            {"outcome": "settled", "note": "Fine now", "next": "https://evil.example/"},
        )
        request.refresh_from_db()
        self.assertEqual((request.status, request.outcome), ("resolved", "settled"))
        self.assertIsNotNone(request.arrived_at)
        self.assertContains(self.client.get(queue), "Settled in class")

    def test_it_links_a_removal_to_the_placement_it_started(self):
        request = self.raise_one(students=[self.student])
        self.login(self.bob)
        self.client.post(reverse("on-call-claim", args=[request.pk]))
        self.client.post(
            reverse("on-call-resolve", args=[request.pk]),
            {"outcome": "removed", "choose_removed": "1", "removed": [self.student.pk]},
        )
        placement = Placement.objects.get(student=self.student)
        self.assertEqual(placement.provision, self.rr)
        self.assertEqual(list(request.placements.all()), [placement])
        self.login(self.alice)
        page = self.client.get(reverse("on-call-detail", args=[request.pk]))
        self.assertContains(page, "Reflection room")
        self.assertContains(
            page, f'<a href="{reverse("student-detail", args=[self.student.pk])}">Jayden Walsh</a>'
        )

    def test_it_tells_the_second_claimer_who_got_there_first(self):
        request = self.raise_one()
        on_call.on_call_request_claim(request_id=request.pk, by=self.bob)
        self.login(self.evan)
        response = self.client.post(
            reverse("on-call-claim", args=[request.pk]), headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 409)
        self.assertEqual(response.json()["message"], "Already claimed by Mr B Patel.")
        self.assertIn("Mr B Patel is on the way", response.json()["html"])

    def test_it_walks_the_actions_for_every_role(self):
        """The POST-only actions, outside the GET permission matrix."""
        people = [self.alice, self.bob, self.charlie, self.dana, self.evan, self.fay, self.gita]
        people += [self.hugo, self.olive]
        answering = {"bob", "dana", "evan"}  # conduct and SLT (Dana is also SLT)
        for person in people:
            with self.subTest(person=person.username):
                request = self.raise_one()
                self.login(person)
                response = self.client.post(reverse("on-call-claim", args=[request.pk]))
                self.assertEqual(response.status_code, 302 if person.username in answering else 403)
                arrived = self.client.post(reverse("on-call-arrived", args=[request.pk]))
                self.assertEqual(arrived.status_code, 302 if person.username in answering else 403)
                resolved = self.client.post(
                    reverse("on-call-resolve", args=[request.pk]), {"outcome": "settled"}
                )
                self.assertEqual(resolved.status_code, 302 if person.username in answering else 403)

    def test_it_lets_whoever_the_rota_puts_on_call_answer(self):
        self.login(self.hugo)
        self.assertEqual(self.client.get(reverse("on-call-queue")).status_code, 403)
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        self.assertEqual(self.client.get(reverse("on-call-queue")).status_code, 200)

    def test_it_shows_the_teacher_who_is_on_the_way(self):
        request = self.raise_one()
        self.login(self.alice)
        page = reverse("on-call-detail", args=[request.pk])
        self.assertContains(self.client.get(page), "Waiting for someone to claim it")
        on_call.on_call_request_claim(request_id=request.pk, by=self.bob)
        self.assertContains(self.client.get(page), "Mr B Patel is on the way")
        response = self.client.post(
            reverse("on-call-resolve", args=[request.pk]), {"outcome": "not_needed", "next": page}
        )
        self.assertRedirects(response, page)
        self.assertContains(self.client.get(page), "Resolved: No longer needed")


class OnCallControlsTest(ConductTestCase):
    """Every control on a card or the request's page is one the policies give the person looking:
    on the page, in the polling snapshot and (tests/test_patrol_live.py) on the socket."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)
        on_call.on_call_reasons_ensure_defaults()
        cls.reason = OnCallReason.objects.get(label="Refusing to follow instructions")
        cls.priya = make_person("priya", "Priya", "Kaur", Role.CONDUCT)

    def setUp(self):
        freeze_clock(self, TEN_FIFTEEN)
        self.request = on_call.on_call_request_raise(
            by=self.alice, reason=self.reason, room=self.room, students=[self.student]
        )

    def card(self, person) -> str:
        self.login(person)
        [card] = self.client.get(reverse("on-call-queue-json")).json()["open"]
        return card["html"]

    def outcome_buttons(self, html: str) -> list[str]:
        return re.findall(r'name="outcome" value="(\w+)"', html)

    def test_it_gives_the_outcomes_to_the_claimer_and_slt_only(self):
        on_call.on_call_request_claim(request_id=self.request.pk, by=self.bob)
        every = list(OnCallRequest.Outcome.values)
        self.assertEqual(self.outcome_buttons(self.card(self.bob)), every)
        self.assertIn('name="removed"', self.card(self.bob))
        self.assertEqual(self.outcome_buttons(self.card(self.evan)), every)
        priya = self.card(self.priya)  # on the team, but she did not claim it
        self.assertNotIn(reverse("on-call-resolve", args=[self.request.pk]), priya)
        self.assertNotIn("I've arrived", priya)
        self.assertIn("Mr B Patel is on the way", priya)

    def test_it_shows_the_same_controls_on_the_page_as_in_the_snapshot(self):
        on_call.on_call_request_claim(request_id=self.request.pk, by=self.bob)
        self.login(self.priya)
        page = self.client.get(reverse("on-call-queue")).content.decode()
        self.assertNotIn(reverse("on-call-resolve", args=[self.request.pk]), page)
        self.login(self.bob)
        page = self.client.get(reverse("on-call-queue")).content.decode()
        self.assertIn(reverse("on-call-resolve", args=[self.request.pk]), page)
        self.assertIn("I've arrived", page)

    def test_it_lets_a_raiser_who_answers_on_call_only_say_it_is_not_needed(self):
        Duty.objects.create(
            date=WEDNESDAY, period=self.periods["P2"], staff=self.hugo.staff, kind="on_call"
        )
        mine = on_call.on_call_request_raise(by=self.hugo, reason=self.reason, location="Library")
        self.login(self.hugo)
        cards = self.client.get(reverse("on-call-queue-json")).json()["open"]
        html = next(c["html"] for c in cards if c["id"] == mine.pk)
        self.assertIn("Claim: I'm going to Library", html)
        self.assertEqual(self.outcome_buttons(html), ["not_needed"])
        self.assertNotIn('name="removed"', html)

    def test_it_offers_the_teacher_only_no_longer_needed_on_the_request_page(self):
        self.login(self.alice)
        page = self.client.get(reverse("on-call-detail", args=[self.request.pk]))
        self.assertEqual(self.outcome_buttons(page.content.decode()), ["not_needed"])
        refused = self.client.post(
            reverse("on-call-resolve", args=[self.request.pk]), {"outcome": "settled"}
        )
        self.assertEqual(refused.status_code, 403)

    def test_it_offers_no_outcome_to_someone_who_neither_claimed_it_nor_is_slt(self):
        on_call.on_call_request_claim(request_id=self.request.pk, by=self.bob)
        self.login(self.priya)
        page = self.client.get(reverse("on-call-detail", args=[self.request.pk]))
        self.assertEqual(self.outcome_buttons(page.content.decode()), [])
        self.login(self.evan)
        page = self.client.get(reverse("on-call-detail", args=[self.request.pk]))
        self.assertEqual(self.outcome_buttons(page.content.decode()), ["not_needed"])

    def test_it_names_each_decision_in_the_policies(self):
        request = self.request
        self.assertEqual(policies.resolvable_outcomes(self.alice, request), ["not_needed"])
        self.assertEqual(policies.resolvable_outcomes(self.priya, request), [])
        self.assertTrue(policies.can_resolve_any_on_call(self.evan))
        self.assertFalse(policies.can_resolve_any_on_call(self.bob))
        on_call.on_call_request_claim(request_id=request.pk, by=self.bob)
        request.refresh_from_db()
        self.assertTrue(policies.can_mark_arrived(self.bob, request))
        self.assertFalse(policies.can_mark_arrived(self.evan, request))
        self.assertEqual(
            policies.resolvable_outcomes(self.bob, request), list(OnCallRequest.Outcome.values)
        )


class LevelRaiseControlTest(SimpleTestCase):
    """One function writes the "raise the level" control: pastoral/_level_raise.html (the room
    log, a student's drop-ins, an on-call outcome note) and the watch list's drop-ins."""

    LEVELS = [("pastoral", "Pastoral"), ("child_protection", "Child protection")]

    def test_the_include_writes_what_the_function_writes(self):
        context = {
            "url": "/patrol/drop-ins/7/level/",
            "levels": self.LEVELS,
            "level_label": "Staff <all>",
            "what": "this drop-in",
            "next": "/students/3/?tab=notes&x=1",
            "csrf_token": "token",
        }
        html = render_to_string("pastoral/_level_raise.html", context)
        written = level_raise_html(
            url=context["url"],
            levels=self.LEVELS,
            level_label="Staff <all>",
            what="this drop-in",
            csrf_token="token",
            next_url=context["next"],
        )
        self.assertEqual(html, f"\n{written}\n")
        self.assertIn('<label for="raise-patroldrop-ins7level">', html)
        self.assertIn('value="/students/3/?tab=notes&amp;x=1"', html)
        self.assertIn("Level: Staff &lt;all&gt;<span", html)
        # Without a `next` the form goes back where the view says; without a token, none.
        html = render_to_string(
            "pastoral/_level_raise.html", context | {"next": "", "csrf_token": ""}
        )
        self.assertNotIn('name="next"', html)
        self.assertNotIn("csrfmiddlewaretoken", html)
