"""Crafted ids and dates in patrol URLs, query strings and forms (`?week=0001-01-01`,
`?date=9999-12-31`, ids too big for the database, digits that are not ASCII) answer 404 or a
clear message, never a 500 — on every patrol page that reads one."""

import datetime as dt

from django.urls import reverse

from patrol.models import OnCallReason
from patrol.services import on_call, sent_out, sweeps, watch_list
from tests.base import WEDNESDAY, SchoolDayTestCase

HUGE = "9" * 30  # past any database's integer
BIGINT = str(2**63)  # one past PostgreSQL's bigint
IDS = (HUGE, BIGINT)
ODD = (HUGE, BIGINT, "²", "-1", "1.5", "abc", "0", "")
DATES = ("0001-01-01", "9999-12-31", "0000-00-00", "2026-02-30", "garbage", "")


class CraftedInputsTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on_call.on_call_reasons_ensure_defaults()

    def setUp(self):
        super().setUp()
        self.client.raise_request_exception = False
        self.login(self.evan)  # SLT: may open every patrol page and take every action

    def check(self, method: str, url: str, data=None, allowed=(200, 302, 400, 404, 409)):
        response = getattr(self.client, method)(url, data or {})
        self.assertIn(
            response.status_code, allowed, f"{method.upper()} {url} {data} → {response.status_code}"
        )
        return response

    def test_ids_in_paths_too_big_for_the_database_are_not_found(self):
        for big in IDS:
            with self.subTest(big=big):
                for path in (
                    f"/on-call/{big}/",
                    f"/patrol/watch-list/{big}/drop-in/",
                ):
                    self.check("get", path, allowed=(404,))
                for path in (
                    f"/on-call/{big}/claim/",
                    f"/on-call/{big}/arrived/",
                    f"/on-call/{big}/resolve/",
                    f"/patrol/sent-out/{big}/visit/",
                    f"/patrol/sweeps/{big}/find/",
                    f"/patrol/sweeps/{big}/finish/",
                    f"/patrol/found-out-of-lessons/{big}/dealt-with/",
                    f"/patrol/watch-list/{big}/drop-in/",
                ):
                    self.check("post", path, {"outcome": "returned"}, allowed=(404,))
                # A watch-list entry nobody may reach is not found (year scope decides first).
                for path in (
                    f"/patrol/watch-list/{big}/review/",
                    f"/patrol/watch-list/{big}/end/",
                ):
                    self.check("post", path, {"review_on": "2026-12-01"}, allowed=(404,))
                # The rota says what is no longer there.
                for path, words in (
                    (f"/patrol/rota/duties/{big}/remove/", "no longer on the rota"),
                    (f"/patrol/rota/absences/{big}/remove/", "no longer recorded"),
                ):
                    response = self.client.post(path, {"review_on": "2026-12-01"}, follow=True)
                    self.assertContains(response, words)

    def test_crafted_weeks_on_the_rota_answer_with_a_clear_message(self):
        for week in DATES:
            with self.subTest(week=week):
                self.check("get", reverse("rota"), {"week": week})
        for week in ("0001-01-01", "9999-12-31"):
            far = self.client.get(reverse("rota"), {"week": week}, follow=True)
            self.assertContains(far, f"No rota for the week of {week}")
            self.assertContains(far, "Here is this week")

    def test_crafted_choices_in_query_strings(self):
        for value in ODD:
            with self.subTest(value=value):
                self.check(
                    "get",
                    reverse("on-call-raise"),
                    {"teaching_class": value, "room": value, "students": value},
                )
                self.check(
                    "get",
                    reverse("sent-out-new"),
                    {"teaching_class": value, "from_room": value, "student": value, "q": value},
                )
                self.check("get", reverse("watch-list"), {"student": value, "mine": value})
                self.check("get", reverse("patrol-home"), {"tab": value, "q": value})
                self.check("get", reverse("patrol-home"), {"tab": "visits", "part": value})
                self.check("get", reverse("on-call-queue"), {"date": value})
                self.check("get", reverse("found-out-of-lessons"), {"date": value})

    def test_crafted_choices_and_dates_in_forms(self):
        reason = OnCallReason.objects.first()
        sweep = sweeps.sweep_start(by=self.evan)
        entry = watch_list.watch_list_add(
            by=self.charlie,
            student=self.student,
            reason="Attendance dipping",
            review_on=WEDNESDAY + dt.timedelta(days=7),
            requested_by=self.charlie.staff,
        )
        sent = sent_out.sent_out_log(
            by=self.alice,
            student=self.student,
            reason="Throwing paper",
            sent_to="corridor",
            from_room=self.room,
        )
        request = on_call.on_call_request_raise(by=self.alice, reason=reason, room=self.room)
        for value in ODD:
            with self.subTest(value=value):
                self.check(
                    "post",
                    reverse("on-call-raise"),
                    {"reason": value, "room": value, "teaching_class": value, "students": value},
                )
                self.check(
                    "post",
                    reverse("on-call-resolve", args=[request.pk]),
                    {"outcome": "removed", "choose_removed": "1", "removed": value},
                )
                self.check(
                    "post",
                    reverse("sent-out-new"),
                    {"student": value, "teaching_class": value, "from_room": value},
                )
                self.check(
                    "post",
                    reverse("sweep-find", args=[sweep.pk]),
                    {"student": value, "found_where": "Hall"},
                )
                self.check("post", reverse("sweep-finish", args=[sweep.pk]), {"rooms": value})
                self.check(
                    "post",
                    reverse("watch-list"),
                    {
                        "student": value,
                        "requested_by": value,
                        "reason": "x",
                        "review_on": "2026-12-01",
                    },
                )
                self.check("post", reverse("duty-add"), {"period": value, "staff": value})
        for day in DATES:
            with self.subTest(day=day):
                self.check(
                    "post",
                    reverse("duty-add"),
                    {
                        "date": day,
                        "period": self.periods["P2"].pk,
                        "staff": self.bob.staff.pk,
                        "kind": "on_call",
                        "week": day,
                    },
                )
                self.check(
                    "post",
                    reverse("absence-add"),
                    {"staff": self.bob.staff.pk, "starts_on": day, "ends_on": day, "week": day},
                )
                self.check(
                    "post", reverse("watch-list-review", args=[entry.pk]), {"review_on": day}
                )
                self.check(
                    "post",
                    reverse("watch-list"),
                    {
                        "student": self.student.pk,
                        "requested_by": self.charlie.staff.pk,
                        "reason": "Low mood",
                        "review_on": day,
                    },
                )
                self.check(
                    "post",
                    reverse("sent-out-visit", args=[sent.pk]),
                    {"outcome": "returned", "visited_time": "25:99"},
                )
