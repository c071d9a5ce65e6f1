"""The student page's pastoral panels written in Python (conduct.student_rendering) write what
its template did: records of discussions, meetings with the family and interventions, for rows
the demo's snapshots lack (several reviews, an outcome, long text cut, characters escaped)."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from conduct import student_rendering
from pastoral.selectors.discussions import DiscussionRow
from pastoral.selectors.interventions import InterventionRow
from pastoral.selectors.meetings import MeetingRow
from school.models import Student

# The panels as the page's template wrote them.
TEMPLATE = """{% if discussions %}
<section class="panel" aria-labelledby="discussions-heading">
  <h2 id="discussions-heading">Records of discussions</h2>
  <ul class="plain">
    {% for d in discussions %}<li><a href="{% url 'discussion-detail' d.pk %}">{{ d.recorded_at|date:"D j M Y" }}: {{ d.by }}</a> <span class="muted">{{ d.level_label }}{% if d.follow_up_on %} · follow up {{ d.follow_up_on|date:"j M" }}{% endif %}</span></li>{% endfor %}
  </ul>
</section>
{% endif %}

{% if meetings is not None %}
<section class="panel" aria-labelledby="meetings-heading">
  <h2 id="meetings-heading">Meetings with the family</h2>
  <ul class="plain">
    {% for m in meetings %}<li><a href="{% url 'meeting-detail' m.pk %}">{{ m.starts_at|date:"D j M Y H:i" }}</a> <span class="muted">· {{ m.mode_label|lower }} · {{ m.status_label|lower }}</span></li>
    {% empty %}<li class="muted">No meetings.</li>{% endfor %}
  </ul>
  {% if may_arrange_meeting %}<p><a class="button" href="{% url 'meeting-new' student.pk %}">Invite the family to a meeting</a></p>{% endif %}
</section>
<section class="panel" aria-labelledby="interventions-heading">
  <h2 id="interventions-heading">Interventions</h2>
  <ul class="plain">
    {% for i in interventions %}<li><a href="{% url 'intervention-detail' i.pk %}">{{ i.kind }}</a> <span class="muted">· from {{ i.starts_on|date:"j M Y" }} · {{ i.status_label|lower }}{% if i.status == "active" %}, review by {{ i.review_on|date:"j M" }}{% endif %}{% with n=i.reviews|length %}{% if n %} · {{ n }} review{{ n|pluralize }}{% endif %}{% endwith %}</span>
      <br><span class="muted">{{ i.target|truncatechars:90 }}{% if i.outcome %} — outcome: {{ i.outcome|truncatechars:90 }}{% endif %}</span></li>
    {% empty %}<li class="muted">No interventions.</li>{% endfor %}
  </ul>
  {% if may_set_intervention %}<p><a class="button" href="{% url 'intervention-new' student.pk %}">Set an intervention</a></p>{% endif %}
</section>
{% endif %}"""  # noqa: E501

LATE = timezone.make_aware(dt.datetime(2026, 11, 23, 23, 30), dt.UTC)
DISCUSSIONS = [
    DiscussionRow(7, LATE, "Ann <O'Neil>", "Ann O'Neil", "Pastoral & DSL", dt.date(2026, 12, 1)),
    DiscussionRow(8, LATE - dt.timedelta(days=40), "ann", "", "Staff", None),
]
MEETINGS = [
    MeetingRow(3, LATE, "Phone call", "Rearranged", ""),
    MeetingRow(4, LATE + dt.timedelta(days=200), "In person", "Held", "x"),
]
LONG = "A target <with> “quotes” & more, " * 5
INTERVENTIONS = [
    InterventionRow(
        5,
        "Mentoring & <co>",
        dt.date(2026, 9, 1),
        "active",
        "Active",
        dt.date(2026, 12, 3),
        LONG,
        "",
        ((LATE, "Continue"), (LATE, "Continue")),
    ),
    InterventionRow(
        6,
        "Report card",
        dt.date(2025, 9, 1),
        "ended",
        "Ended",
        dt.date(2025, 10, 3),
        "Short",
        LONG,
        ((LATE, "End"),),
    ),
    InterventionRow(
        9, "Other", dt.date(2025, 9, 1), "stopped", "Stopped", dt.date(2025, 10, 3), "", "Done", ()
    ),
]


def test_the_pastoral_panels_are_written_as_the_page_s_template_wrote_them():
    student = Student(pk=12)
    template = Template(TEMPLATE)
    for discussions, meetings, interventions, may in [
        ([], None, None, False),
        (DISCUSSIONS, [], [], False),
        (DISCUSSIONS[1:], MEETINGS, INTERVENTIONS, True),
        ([], MEETINGS[:1], INTERVENTIONS[2:], False),
    ]:
        expected = template.render(
            Context(
                {
                    "student": student,
                    "discussions": discussions,
                    "meetings": meetings,
                    "interventions": interventions,
                    "may_arrange_meeting": may,
                    "may_set_intervention": not may,
                }
            )
        )
        written = (
            student_rendering.discussions_html(discussions)
            + "\n\n"
            + student_rendering.meetings_html(
                student,
                meetings,
                interventions,
                may_arrange_meeting=may,
                may_set_intervention=not may,
            )
        )
        assert written == expected
