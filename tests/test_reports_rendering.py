"""The report tables written in Python (reports/rendering.py) escape what they print as the
templates they replaced did."""

import datetime as dt
from urllib.parse import urlencode

from django.test import SimpleTestCase

from reports import rendering
from reports.selectors import pages
from reports.selectors.figures import Span
from reports.selectors.pages import Compared


class ReportRenderingTest(SimpleTestCase):
    def test_it_escapes_captions_labels_and_headings(self):
        spans = [Span("<This> week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))]
        row = Compared("D&T <b>", [{"value": "1 & 2", "url": "/r/?a=1&b=2"}])
        html = rendering.compare_table_html('Calls "&"', rendering.span_heads_html(spans), [row])
        self.assertIn('aria-label="Calls &quot;&amp;&quot;"', html)
        self.assertIn('<th scope="col">&lt;This&gt; week<br><small>23 Nov–27 Nov 2026', html)
        self.assertIn('<th scope="row">D&amp;T &lt;b&gt;</th>', html)
        self.assertIn('<td><a href="/r/?a=1&amp;b=2">1 &amp; 2</a></td>', html)

    def test_it_draws_charts_and_an_empty_chart(self):
        charts = [
            {
                "key": "reason",
                "title": "By reason",
                "rows": [{"label": "Rude & <loud>", "figure": "3", "bar": 100}],
            },
            {"key": "form", "title": "By form", "rows": []},
        ]
        heatmap = [{"period": "P<1>", "shown": "<td>1</td>"}]
        html = rendering.charts_html(charts, heatmap, ("Mon",))
        self.assertIn('<th scope="col">Reason</th>', html)
        self.assertIn("<td>Rude &amp; &lt;loud&gt;</td>", html)
        self.assertIn('width="100"', html)
        self.assertIn("<p>None in this span.</p>", html)
        self.assertIn('<th scope="row">P&lt;1&gt;</th><td>1</td>', html)

    def test_record_links_quote_their_cut_as_urlencode_does(self):
        link = pages._records_links()
        span = Span("Week", dt.date(2026, 11, 23), dt.date(2026, 11, 27))
        for cut in (
            {"by": "reason", "key": ""},
            {"by": "slot", "key": "12-3"},
            {"by": "year", "key": 9},
            {"by": "department", "key": "é x&y+z"},
            {"key": "on_time"},
        ):
            with self.subTest(cut=cut):
                self.assertTrue(link(span, **cut).endswith("&" + urlencode(cut)))
