"""The "returning today" note (in the app and in the morning email) carries the exit interview's
targets only to those who may read its level (issue 10, docs/restorative.md): above the staff
level the others get "returning today" alone, in words that say nothing of the level."""

from django.core import mail
from django.test import override_settings

from notify.models import Notice
from notify.services import message_send_due
from pastoral.models import Level
from pastoral.services import interviews
from pastoral.services.interviews import RETURNING_WITHOUT_TARGETS
from sanctions.services import digest
from tests.test_records import THURSDAY, RecordsTestCase

TARGETS = "Stay in lessons; use the time-out card"


class ReturningTodayLevelTest(RecordsTestCase):
    def record(self, level):
        interviews.exit_interview_record(
            placement=self.book(),
            harm_answers={},
            affected_answers={},
            targets=TARGETS,
            check_in_by=self.charlie.staff,
            check_in_when="Period 1 Thursday",
            check_in_how="In the year office",
            level=level,
            by=self.bob,
        )

    def test_the_inbox_note_carries_the_targets_only_to_those_who_may_read_the_level(self):
        for level, with_targets in [
            (Level.STAFF, {"alice", "tom", "charlie"}),
            (Level.PASTORAL, {"charlie"}),  # the head of year: the pastoral team
            (Level.CHILD_PROTECTION, set()),
        ]:
            with self.subTest(level=level):
                Notice.objects.all().delete()
                self.student.placements.all().delete()
                self.record(level)
                notices = Notice.objects.filter(kind="returning_today")
                self.assertEqual(
                    {n.recipient.username for n in notices}, {"alice", "tom", "charlie"}
                )
                self.assertTrue(all("returns to lessons on Thursday" in n.title for n in notices))
                self.assertEqual(
                    {n.recipient.username for n in notices if TARGETS in n.body}, with_targets
                )
                for notice in notices.exclude(recipient__username__in=with_targets):
                    self.assertEqual(notice.body, RETURNING_WITHOUT_TARGETS)
                    self.assertNotIn("protection", notice.title + notice.body)
                    self.assertNotIn("pastoral", notice.title + notice.body)

    @override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    def test_the_morning_email_leaves_the_targets_out_for_those_who_may_not_read_them(self):
        self.record(Level.PASTORAL)
        with self.captureOnCommitCallbacks(execute=True):
            digest.register_digest_send(day=THURSDAY)
        message_send_due()
        returning = {
            m.to[0]: m.body
            for m in mail.outbox
            if len(m.to) == 1 and "Returning to lessons today" in m.body
        }
        self.assertEqual(
            set(returning),
            {"alice@school.example", "tom@school.example", "charlie@school.example"},
        )
        self.assertIn(f"Targets: {TARGETS}", returning["charlie@school.example"])
        for teacher in ("alice@school.example", "tom@school.example"):
            self.assertNotIn("time-out card", returning[teacher])
            self.assertIn(f"Jayden Walsh (9B). {RETURNING_WITHOUT_TARGETS}", returning[teacher])
