"""What a person sent out today, read as the columns the page to log another lists (issue 15)."""

import datetime as dt

from django.contrib.auth import get_user_model

from patrol.models import SentOut
from patrol.selectors import sent_out as sent_out_selectors
from patrol.services import sent_out as sent_out_services
from tests.base import TEN_FIFTEEN, SchoolDayTestCase, make_student


class LoggedTodayTest(SchoolDayTestCase):
    def log(self, by, minutes_before, student=None):
        return sent_out_services.sent_out_log(
            by=by,
            student=student or self.student,
            reason="Shouting",
            sent_to="corridor",
            from_room=self.room,
            sent_at=TEN_FIFTEEN - dt.timedelta(minutes=minutes_before),
            now=TEN_FIFTEEN,
        )

    def test_it_lists_todays_newest_first_with_who_saw_them(self):
        self.maxDiff = None
        mia = make_student(upn="B123456789012", first="Amelia", last="Cole", form=self.form)
        mia.preferred_first_name = "Mia"
        mia.save()
        yesterday = self.log(self.alice, 60 * 24)
        seen_by_staff = self.log(self.alice, 30)
        account = get_user_model().objects.create_user("helper", first_name="Sam", last_name="Lee")
        seen_by_account = self.log(self.alice, 20, student=mia)
        waiting = self.log(self.alice, 10)
        self.log(self.bob, 5)  # not hers
        for row, by in ((seen_by_staff, self.bob), (seen_by_account, account)):
            SentOut.objects.filter(pk=row.pk).update(
                outcome="returned", visited_at=TEN_FIFTEEN, outcome_at=TEN_FIFTEEN, visited_by=by
            )
        with self.assertNumQueries(1):
            rows = sent_out_selectors.logged_today(self.alice, now=TEN_FIFTEEN)
        self.assertEqual(
            [(r.sent_at, r.student_name, r.outcome_label, r.visited_by) for r in rows],
            [
                (waiting.sent_at, "Jayden Walsh", "", ""),
                (
                    seen_by_account.sent_at,
                    "Mia Cole",
                    "Spoken to and returned to the lesson",
                    "Sam Lee",
                ),
                (
                    seen_by_staff.sent_at,
                    "Jayden Walsh",
                    "Spoken to and returned to the lesson",
                    self.bob.staff.display_name,
                ),
            ],
        )
        self.assertNotIn(yesterday.sent_at, [r.sent_at for r in rows])
        self.assertEqual(
            [r.sent_at for r in rows],
            [s.sent_at for s in sent_out_selectors.sent_out_logged_by(self.alice, now=TEN_FIFTEEN)],
        )
