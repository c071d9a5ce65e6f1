"""A patrol form sent twice (a double tap, a retry on a slow phone) makes one record: the raise
on-call form, the sent-out form, the sweep's start and finding forms, the visit and the drop-in
(conduct/submissions.py). The second send goes where the first one went."""

import datetime as dt
import re

from django.urls import reverse

from patrol.models import DropIn, OnCallReason, OnCallRequest, SentOut, Sweep, SweepFinding
from patrol.services import on_call, sent_out, sweeps, watch_list
from tests.base import WEDNESDAY, SchoolDayTestCase

TOKEN = re.compile(r'name="submission" value="([0-9a-f]{32})"')


class DoubleSubmitTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on_call.on_call_reasons_ensure_defaults()
        cls.reason = OnCallReason.objects.get(label="Refusing to follow instructions")

    def token(self, url: str, params: dict | None = None, count: int = 1) -> str:
        """The one-time token of the form on the page (and check the page's forms carry one)."""
        page = self.client.get(url, params or {})
        tokens = TOKEN.findall(page.content.decode())
        self.assertGreaterEqual(len(tokens), count, f"no submission token on {url}")
        return tokens[0]

    def twice(self, url: str, data: dict):
        first = self.client.post(url, data)
        second = self.client.post(url, data)
        self.assertEqual(first.status_code, 302, first.content.decode()[:2000])
        self.assertEqual(second.status_code, 302)
        self.assertEqual(second["Location"], first["Location"])
        return first

    def test_a_double_tap_on_a_reason_raises_one_call(self):
        self.login(self.alice)
        token = self.token(reverse("on-call-raise"))
        data = {
            "submission": token,
            "room": self.room.pk,
            "teaching_class": self.maths_class.pk,
            "urgency": "routine",
            "reason": self.reason.pk,
        }
        first = self.twice(reverse("on-call-raise"), data)
        request = OnCallRequest.objects.get()
        self.assertEqual(first["Location"], reverse("on-call-detail", args=[request.pk]))

    def test_a_student_sent_out_twice_by_a_double_click_is_logged_once(self):
        self.login(self.alice)
        token = self.token(reverse("sent-out-new"))
        data = {
            "submission": token,
            "student": self.student.pk,
            "teaching_class": self.maths_class.pk,
            "from_room": self.room.pk,
            "sent_to": "corridor",
            "reason": "Swearing at a classmate",
            "sent_time": "10:12",
        }
        self.twice(reverse("sent-out-new"), data)
        self.assertEqual(SentOut.objects.count(), 1)

    def test_a_form_sent_back_with_errors_keeps_its_token_and_then_records_once(self):
        self.login(self.alice)
        token = self.token(reverse("sent-out-new"))
        data = {"submission": token, "student": self.student.pk, "sent_to": "corridor"}
        wrong = self.client.post(reverse("sent-out-new"), data)
        self.assertEqual(wrong.status_code, 400)
        self.assertContains(wrong, token, status_code=400)
        data |= {"teaching_class": self.maths_class.pk, "reason": "Refused to work"}
        self.twice(reverse("sent-out-new"), data)
        self.assertEqual(SentOut.objects.count(), 1)

    def test_a_sweep_started_and_a_finding_recorded_twice_make_one_each(self):
        self.login(self.bob)
        token = self.token(reverse("patrol-home"), {"tab": "sweep"})
        self.twice(reverse("sweep-start"), {"submission": token})
        sweep = Sweep.objects.get()
        token = self.token(reverse("patrol-home"), {"tab": "sweep", "q": "walsh"})
        data = {"submission": token, "student": self.student.pk, "found_where": "Toilets"}
        self.twice(reverse("sweep-find", args=[sweep.pk]), data)
        self.assertEqual(SweepFinding.objects.count(), 1)
        # A second sweep the same day, with a fresh token, is a new sweep.
        sweeps.sweep_finish(sweep_id=sweep.pk, by=self.bob, areas="Hall")
        token = self.token(reverse("patrol-home"), {"tab": "sweep"})
        self.client.post(reverse("sweep-start"), {"submission": token})
        self.assertEqual(Sweep.objects.count(), 2)

    def test_a_visit_sent_twice_is_recorded_once_without_an_error(self):
        sent = sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Throwing paper",
            sent_to="corridor",
            teaching_class=self.maths_class,
            from_room=self.room,
        )
        self.login(self.bob)
        token = self.token(reverse("patrol-home"), {"tab": "visits"})
        self.twice(
            reverse("sent-out-visit", args=[sent.pk]), {"submission": token, "outcome": "returned"}
        )
        page = self.client.get(reverse("patrol-home"), {"tab": "visits"})
        self.assertNotContains(page, "already recorded this visit")

    def test_a_drop_in_sent_twice_is_recorded_once(self):
        entry = watch_list.watch_list_add(
            by=self.charlie,
            student=self.student,
            reason="Attendance dipping",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        self.login(self.bob)
        url = reverse("drop-in-new", args=[entry.pk])
        token = self.token(url)
        self.twice(url, {"submission": token, "engagement": "2", "note": "Head on desk"})
        self.assertEqual(DropIn.objects.count(), 1)
