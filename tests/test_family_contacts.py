"""Telling the family: a logged phone call per placement counts as "told" when it reached
someone; the homes of those who phone list today's families not told; the student's page shows
the calls; pastoral staff phone only their years' families; a good-day note home in one click."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.selectors import history_of
from conduct import submissions
from notify import selectors as notify_selectors
from notify.models import Message
from pastoral.models import FamilyCall
from pastoral.services import family_contacts
from sanctions.services import placements
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, make_guardian
from tests.test_year_scope import make_other_years


class FamilyCallTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mum = make_guardian(cls.student, mobile="07700 900123")
        make_other_years(cls)

    def setUp(self):
        super().setUp()
        self.placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )

    def post_call(self, user, placement, **data):
        self.login(user)
        return self.client.post(
            reverse("family-call-new", args=[placement.pk]),
            {
                "guardian": self.mum.pk,
                "outcome": "spoke",
                "called_at": "10:05",
                "note": "Mum will talk to him tonight",
                submissions.FIELD: submissions.new_token(),
                **data,
            },
        )

    def test_a_call_that_reached_someone_tells_the_family(self):
        self.assertEqual(
            [t.placement_id for t in notify_selectors.families_not_told(WEDNESDAY)],
            [self.placement.pk],
        )
        response = self.post_call(self.bob, self.placement)
        self.assertRedirects(
            response,
            reverse("student-detail", args=[self.student.pk]),
            fetch_redirect_response=False,
        )
        call = FamilyCall.objects.get()
        self.assertEqual(
            (call.called_name, call.number, call.outcome, call.called_by, call.placement),
            ("Mrs Kerry Walsh", "07700 900123", "spoke", self.bob, self.placement),
        )
        self.assertEqual(call.called_at, TEN_FIFTEEN.replace(minute=5))
        self.assertEqual(notify_selectors.families_not_told(WEDNESDAY), [])
        self.assertEqual([c.to_value for c in history_of(call)], ["spoke"])
        # The student's page shows the call on the timeline.
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, "Phoned Mrs Kerry Walsh: spoke to them")

    def test_a_call_that_reached_nobody_leaves_the_family_not_told(self):
        for outcome in ("no_answer", "message"):
            self.post_call(self.bob, self.placement, outcome=outcome)
        self.assertEqual(FamilyCall.objects.count(), 2)
        self.assertEqual(len(notify_selectors.families_not_told(WEDNESDAY)), 1)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Families not told yet today")
        self.assertContains(home, reverse("family-call-new", args=[self.placement.pk]))

    def test_a_wrong_number_must_say_which_and_bad_input_is_refused_by_the_field(self):
        response = self.post_call(self.bob, self.placement, outcome="wrong_number", note="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Say which number was wrong", status_code=400)
        for bad in ({"outcome": "shouted"}, {"called_at": "25:99"}, {"guardian": "999999"}):
            response = self.post_call(self.bob, self.placement, **bad)
            self.assertEqual(response.status_code, 400, bad)
        self.assertFalse(FamilyCall.objects.exists())
        with self.assertRaises(ValidationError):
            family_contacts.family_call_record(
                student=self.student,
                guardian=self.mum,
                outcome="spoke",
                called_at=TEN_FIFTEEN + dt.timedelta(hours=2),
                by=self.bob,
            )

    def test_pastoral_staff_phone_only_their_years_families(self):
        make_guardian(self.leon, first_name="Lee", email="lee@example.com")
        leon_placement = placements.placement_book(
            student=self.leon, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        self.login(self.charlie)  # Year 9
        self.assertEqual(
            self.client.get(reverse("family-call-new", args=[self.placement.pk])).status_code, 200
        )
        self.assertEqual(
            self.client.get(reverse("family-call-new", args=[leon_placement.pk])).status_code, 404
        )
        home = self.client.get(reverse("home"))
        self.assertContains(home, reverse("family-call-new", args=[self.placement.pk]))
        self.assertNotContains(home, reverse("family-call-new", args=[leon_placement.pk]))
        self.login(self.alice)  # a teacher does not phone families from Conduct
        self.assertEqual(
            self.client.get(reverse("family-call-new", args=[self.placement.pk])).status_code, 403
        )

    def test_the_call_page_runs_a_fixed_number_of_queries(self):
        self.login(self.bob)
        url = reverse("family-call-new", args=[self.placement.pk])
        self.client.get(url)
        # session, user, roles, placement, contacts, calls
        with self.assertNumQueries(6):
            self.client.get(url)

    def test_a_good_day_note_is_one_click_from_the_room(self):
        self.login(self.bob)
        response = self.client.post(
            reverse("good-day-note", args=[self.placement.pk]),
            {"note": "he finished all his maths", submissions.FIELD: submissions.new_token()},
        )
        message = Message.objects.get(template__key="good-day")
        self.assertRedirects(
            response, reverse("message-detail", args=[message.pk]), fetch_redirect_response=False
        )
        self.assertEqual(message.status, Message.Status.DRAFT)
        self.assertEqual(message.subject, "Jayden had a good day")
        self.assertIn("he finished all his maths", message.body)
        self.assertNotIn("[missing", message.body)
        self.login(self.alice)
        response = self.client.post(
            reverse("good-day-note", args=[self.placement.pk]),
            {submissions.FIELD: submissions.new_token()},
        )
        self.assertEqual(response.status_code, 403)
