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
from school.models import Form, Staff, Student, YearGroup

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


# The page's head and its Details panel as its template wrote them.
HEAD = """<div class="profile-head">
  {% if student.photo %}<img class="photo" src="{{ student.photo.url }}" alt="Photo of {{ student.name }}" width="96" height="96">{% endif %}
  <div>
    <h1>{{ student.name }}</h1>
    <p class="lede">{{ student.year_group }}{% if student.form %} · form {{ student.form }}{% if student.form.tutor %} (tutor {{ student.form.tutor.display_name }}){% endif %}{% endif %}
      {% if not student.on_roll %} · <strong>left {{ student.left_on|date:"j M Y" }}</strong>{% endif %}</p>
    {% if show_sensitive %}{% include "school/_flags.html" %}{% endif %}
  </div>
</div>"""  # noqa: E501
DETAILS = """<section class="panel" aria-labelledby="details-heading">
  <h2 id="details-heading">Details</h2>
  <dl class="details">
    <div><dt>UPN</dt><dd>{{ student.upn }}</dd></div>
    {% if student.preferred_first_name or student.preferred_last_name %}<div><dt>Legal name</dt><dd>{{ student.legal_first_name }} {{ student.legal_last_name }}</dd></div>{% endif %}
    <div><dt>Date of birth</dt><dd>{{ student.date_of_birth|date:"j F Y" }}</dd></div>
    <div><dt>Gender</dt><dd>{{ student.get_gender_display }}</dd></div>
    {% if student.year_group.head_of_year %}<div><dt>Head of year</dt><dd>{{ student.year_group.head_of_year.display_name }}</dd></div>{% endif %}
    {% if show_sensitive %}
    <div><dt>SEN status</dt><dd>{{ student.get_sen_status_display }}</dd></div>
    <div><dt>Free school meals</dt><dd>{{ student.fsm|yesno:"Yes,No" }}</dd></div>
    <div><dt>Pupil premium</dt><dd>{{ student.pupil_premium|yesno:"Yes,No" }}</dd></div>
    <div><dt>EAL</dt><dd>{{ student.eal|yesno:"Yes,No" }}</dd></div>
    <div><dt>Ethnicity</dt><dd>{{ student.get_ethnicity_display|default:"Not recorded" }}</dd></div>
    <div><dt>Looked after</dt><dd>{{ student.looked_after|yesno:"Yes,No" }}</dd></div>
    {% endif %}
  </dl>
</section>"""  # noqa: E501


def test_the_head_and_details_are_written_as_the_page_s_template_wrote_them():
    year = YearGroup(number=9, head_of_year=None)
    led = YearGroup(
        number=10,
        name="Year <10>",
        head_of_year=Staff(title="Mr", first_name="Tom", last_name="O'Brien"),
    )
    tutor = Staff(title="", first_name="Ann", last_name="Lee & Co")
    for student in [
        Student(
            pk=1,
            legal_first_name="Jo",
            legal_last_name="Bell",
            upn="A1",
            date_of_birth=dt.date(2012, 5, 1),
            gender="F",
            year_group=year,
            form=None,
            photo="students/jo.jpg",
            sen_status="N",
            ethnicity="",
            fsm=True,
        ),
        Student(
            pk=2,
            legal_first_name="Sam",
            legal_last_name="<Smith>",
            preferred_first_name="Sammy",
            upn="A2",
            date_of_birth=dt.date(2011, 12, 31),
            gender="M",
            year_group=led,
            form=Form(code="10&A", tutor=tutor),
            left_on=dt.date(2026, 10, 2),
            sen_status="E",
            ethnicity="WBRI",
            eal=True,
            looked_after=True,
            pupil_premium=True,
        ),
        Student(
            pk=3,
            legal_first_name="Al",
            legal_last_name="Ng",
            preferred_last_name="Ngo",
            upn="A3",
            date_of_birth=dt.date(2012, 1, 9),
            gender="X",
            year_group=year,
            form=Form(code="9B", tutor=None),
            sen_status="K",
        ),
    ]:
        for show_sensitive in (True, False):
            context = Context({"student": student, "show_sensitive": show_sensitive})
            assert student_rendering.head_html(student, show_sensitive=show_sensitive) == Template(
                HEAD
            ).render(context)
            assert student_rendering.details_html(
                student, show_sensitive=show_sensitive
            ) == Template(DETAILS).render(context)
