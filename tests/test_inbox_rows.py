"""The inbox read as the columns it shows and written in Python (issue 15)."""

import datetime as dt

from django.urls import reverse

from notify import selectors
from notify.models import Notice
from tests.base import LONDON, ConductTestCase


class InboxRowsTest(ConductTestCase):
    def notice(self, to, title, at, **fields):
        return Notice.objects.create(
            recipient=to, kind="test", title=title, created_at=at, **fields
        )

    def test_it_reads_a_persons_notices_newest_first(self):
        noon = dt.datetime(2026, 11, 25, 12, 0, tzinfo=LONDON)
        first = self.notice(self.alice, "First", noon)
        same = self.notice(self.alice, "Same moment", noon)
        older = self.notice(self.alice, "Older", noon - dt.timedelta(days=1), read_at=noon)
        self.notice(self.bob, "Not hers", noon + dt.timedelta(hours=1))
        with self.assertNumQueries(1):
            rows = selectors.inbox_rows(self.alice)
        self.assertEqual([r.pk for r in rows], [same.pk, first.pk, older.pk])
        self.assertEqual([n.pk for n in selectors.notices_for(self.alice)], [r.pk for r in rows])
        self.assertEqual((rows[2].title, rows[2].read_at, rows[0].read_at), ("Older", noon, None))

    def test_the_page_shows_each_notice(self):
        at = dt.datetime(2026, 7, 1, 8, 5, tzinfo=LONDON)  # summer time: shown as in London
        self.notice(
            self.alice,
            'Tom & <Jerry> "it\'s"',
            at,
            body="One\r\nTwo <b>",
            level="urgent",
            read_at=at + dt.timedelta(hours=1),
        )
        self.notice(self.alice, "Plain", at - dt.timedelta(days=1))
        self.login(self.alice)
        page = self.client.get(reverse("inbox")).content.decode()
        self.assertIn('<span class="count">1 unread</span>', page)
        self.assertIn('<li class="notice urgent">\n    <form method="post" action="/inbox/', page)
        self.assertIn(
            "<strong>Urgent:</strong> Tom &amp; &lt;Jerry&gt; &quot;it&#x27;s&quot;</button>\n"
            '      <span class="muted">Wed 1 Jul 08:05 · read 1 Jul 09:05</span>',
            page,
        )
        self.assertIn('<p class="muted">One<br>Two &lt;b&gt;</p>', page)
        self.assertIn(
            '<span class="muted">Tue 30 Jun 08:05 · <strong>unread</strong></span>\n'
            "    </form>\n    \n  </li>",
            page,
        )
        self.assertIn('<li class="notice unread">', page)
