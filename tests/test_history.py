"""The history of state changes, and the audit view that reads it."""

from django.urls import reverse

from audit.selectors import history_for_student, history_of
from audit.services import history_record
from sanctions.models import Referral
from tests.base import ConductTestCase, freeze_clock
from tests.sanctions_fixtures import make_provision_rooms


class HistoryTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_provision_rooms(cls)
        cls.referral = Referral.objects.create(
            student=cls.student, provision=cls.ie, days=1, requested_by=cls.alice
        )

    def setUp(self):
        freeze_clock(self)

    def test_it_keeps_who_moved_a_record_from_what_to_what(self):
        history_record(target=self.referral, by=self.alice, to="pending", student=self.student)
        history_record(
            target=self.referral,
            by=self.charlie,
            from_="pending",
            to="approved",
            note="Amended: days 1 → 2",
            student=self.student,
        )
        changes = list(history_of(self.referral))
        self.assertEqual(
            [(c.username, c.from_value, c.to_value) for c in changes],
            [("alice", "", "pending"), ("charlie", "pending", "approved")],
        )
        self.assertEqual(history_for_student(self.student.pk).count(), 2)

    def test_it_shows_changes_in_the_audit_view_to_those_who_may_read_it(self):
        history_record(target=self.referral, by=self.charlie, from_="pending", to="declined")
        self.login(self.fay)
        html = self.client.get(reverse("audit-log") + "?view=changes").content.decode()
        self.assertIn("pending → declined", html)
        self.assertIn("charlie", html)
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("audit-log") + "?view=changes").status_code, 403)
