"""No page shows a control that answers 403: every page of the permission matrix, for every role,
with every link, htmx request and form it shows tried as that person (tests/controls.py). A new
page joins this walk by joining the matrix (tests/test_permissions.py)."""

from django.urls import reverse

from notify.models import Message
from patrol.models import Duty, OnCallReason
from patrol.services import on_call, sent_out
from sanctions.services import placements
from tests.base import (
    TEN_FIFTEEN,
    WEDNESDAY,
    freeze_clock,
    frozen_clock,
    make_calendar_and_timetable,
    make_guardian,
)
from tests.controls import forbidden_controls
from tests.test_permissions import MATRIX, PUBLIC, MatrixPeopleAndRecords, people_by_role


class NoForbiddenControlTest(MatrixPeopleAndRecords):
    """The matrix's people and records, and a morning's worth more on the pages: a student in IE1
    today with a family letter to check, an open on-call call, a student sent out, a duty."""

    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_calendar_and_timetable(cls)
        make_guardian(cls.student)
        with frozen_clock(TEN_FIFTEEN):
            cls.placement = placements.placement_book(
                student=cls.student, provision=cls.ie, days=1, by=cls.bob, start_on=WEDNESDAY
            )
            on_call.on_call_request_raise(
                by=cls.alice,
                reason=OnCallReason.objects.get_or_create(label="Other")[0],
                room=cls.room,
                students=[cls.student],
            )
            sent_out.sent_out_log(
                by=cls.alice,
                student=cls.student,
                reason="Throwing paper",
                sent_to="corridor",
                teaching_class=cls.maths_class,
                from_room=cls.room,
            )
        Duty.objects.create(
            date=WEDNESDAY, period=cls.periods["P2"], staff=cls.bob.staff, kind="on_call"
        )

    def setUp(self):
        freeze_clock(self, TEN_FIFTEEN)

    def url(self, name):
        if name in ("register", "register-pdf"):
            return reverse(name, args=["IE1", WEDNESDAY.isoformat()])
        if name in ("message-detail", "message-letter-pdf"):
            letter = Message.objects.filter(student=self.student).first()
            return reverse(name, args=[letter.pk])
        return super().url(name)

    def test_it_shows_nobody_a_control_that_answers_forbidden(self):
        bad = []
        for role, person in people_by_role(self).items():
            self.client.force_login(person)
            seen: set = set()
            for name, allowed in MATRIX.items():
                if allowed == PUBLIC or name.startswith("admin:"):
                    continue
                url = self.url(name)
                response = self.client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                found = forbidden_controls(self.client, url, response.content.decode(), seen=seen)
                bad += [f"{role} on {url}: {control}" for control in found]
        self.assertEqual(bad, [], "these pages show controls their viewer may not use")
