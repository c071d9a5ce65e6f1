# ruff: noqa: E501 (the template's own lines)
"""A programme's page reads its programme and tasks as plain rows, compiled once, and writes
its tasks in Python (issue 15): the same as the model read and the template's loop."""

import re

from django.template import Context, Template
from django.urls import reverse

from school.models import YearGroup
from tests.base import SchoolDayTestCase
from work import policies
from work.models import Programme, ProgrammeTask
from work.rendering import programme_tasks_html
from work.selectors import programmes as selectors

# The loop work/programme_detail.html wrote the tasks with.
OLD_LOOP = Template("""{% for t in programme.tasks.all %}
  <li id="task-{{ t.pk }}" class="panel">
    <h2>{% if t.unit %}<span class="muted">{{ t.unit }} ·</span> {% endif %}{{ t.title }}</h2>
    <p class="note">{{ t.instructions|linebreaksbr }}</p>
    {% if t.link %}<p><a href="{{ t.link }}" rel="noopener noreferrer">{{ t.link|truncatechars:60 }}</a></p>{% endif %}
    {% if t.file %}<p class="muted">File: {{ t.file.name }}</p>{% endif %}
    <div class="actions">
      <a href="{% url 'programme-task-edit' t.pk %}" class="button small">Edit<span class="visually-hidden"> {{ t.title }}</span></a>
      {% if not forloop.first %}<form method="post" action="{% url 'programme-task-move' t.pk %}" class="inline-form">{% csrf_token %}<input type="hidden" name="direction" value="up"><button type="submit" class="button small">Move up<span class="visually-hidden"> {{ t.title }}</span></button></form>{% endif %}
      {% if not forloop.last %}<form method="post" action="{% url 'programme-task-move' t.pk %}" class="inline-form">{% csrf_token %}<input type="hidden" name="direction" value="down"><button type="submit" class="button small">Move down<span class="visually-hidden"> {{ t.title }}</span></button></form>{% endif %}
      <form method="post" action="{% url 'programme-task-remove' t.pk %}" class="inline-form">{% csrf_token %}<button type="submit" class="button small">Remove<span class="visually-hidden"> {{ t.title }}</span></button></form>
    </div>
  </li>
{% empty %}
  <li class="muted">No task yet.</li>
{% endfor %}""")


class ProgrammePageReadTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            subject=cls.maths_class.subject, year_group=cls.year9
        )

    def _same(self):
        model = selectors.programme_with_tasks(self.programme.pk)
        page = selectors.programme_page(self.programme.pk)
        self.assertEqual(page.pk, model.pk)
        self.assertEqual(str(page.subject), str(model.subject))
        self.assertEqual(page.subject.department_id, model.subject.department_id)
        self.assertEqual(page.year_number, model.year_group.number)
        self.assertEqual([t.pk for t in page.tasks], [t.pk for t in model.tasks.all()])
        old = OLD_LOOP.render(Context({"programme": model, "csrf_token": "TOKEN<&>"}))
        self.assertEqual(str(programme_tasks_html(page.tasks, "TOKEN<&>")), old)
        for user in (self.hugo, self.evan, self.alice):
            self.assertEqual(
                policies.can_keep_programme(user, page), policies.can_keep_programme(user, model)
            )
        return page

    def test_the_read_and_the_tasks_are_the_models_and_the_templates(self):
        self.assertIsNone(selectors.programme_page(self.programme.pk + 100))
        self._same()
        other = Programme.objects.create(
            subject=self.maths_class.subject, year_group=YearGroup.objects.create(number=12)
        )
        ProgrammeTask.objects.create(programme=other, position=1, title="Elsewhere")
        ProgrammeTask.objects.create(
            programme=self.programme, position=2, title="B & <b>", instructions="x\ny"
        )
        self._same()
        ProgrammeTask.objects.create(
            programme=self.programme,
            position=1,
            title="A",
            unit="Unit <1>",
            instructions="Do it",
            link="https://example.org/" + "a" * 70 + "?a=1&b=2",
            file="work/programmes/2026/sheet <1>.pdf",
        )
        ProgrammeTask.objects.create(programme=self.programme, position=2, title="C")
        page = self._same()
        self.assertEqual([t.title for t in page.tasks], ["A", "B & <b>", "C"])

    def test_the_page_shows_the_tasks(self):
        ProgrammeTask.objects.create(programme=self.programme, position=1, title="Fractions")
        self.login(self.hugo)
        response = self.client.get(reverse("programme-detail", args=[self.programme.pk]))
        self.assertContains(response, "Fractions")
        # Each form's token the same, as the template's context gave it.
        tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        self.assertGreaterEqual(len(tokens), 3)
        self.assertEqual(len(set(tokens)), 1)


class FastSelectsTest(SchoolDayTestCase):
    """The programme list's and the work page's selects are written straight from their
    choices: the same HTML as Django's select, chosen or not, with an error or not."""

    def test_the_selects_are_djangos(self):
        from django import forms

        from school.models import Subject
        from work.forms import ProgrammeNewForm, SetWorkForm
        from work.selectors.requests import TaskChoice

        programme = Programme.objects.create(
            subject=self.maths_class.subject, year_group=self.year9
        )
        task = ProgrammeTask.objects.create(programme=programme, position=1, title="T & <u>")
        for data in (None, {"subject": str(self.maths_class.subject.pk)}, {"year_group": "x"}):
            form = ProgrammeNewForm(
                data, subjects=Subject.objects.order_by("name"), years=YearGroup.objects.all()
            )
            if data:
                form.is_valid()
            for name in ("subject", "year_group"):
                fast = str(form[name])
                form.fields[name].widget = forms.Select(choices=form.fields[name].choices)
                self.assertEqual(fast, str(form[name]))
        for data in (None, {"task": str(task.pk)}, {"task": "nope"}):
            form = SetWorkForm(data, tasks=[TaskChoice(task.pk, 1, "U", task.title)], lesson=[])
            if data:
                form.is_valid()
            fast = str(form["task"])
            form.fields["task"].widget = forms.Select(choices=form.fields["task"].choices)
            self.assertEqual(fast, str(form["task"]))
            self.assertIn("T &amp; &lt;u&gt;", fast)


class ProgrammesListedTest(SchoolDayTestCase):
    """The list of programmes read as plain rows: the same programmes, order and words as
    `programmes_of`, one department's compiled."""

    def _same(self, departments):
        expected = list(selectors.programmes_of(departments))
        found = selectors.programmes_listed(departments)
        self.assertEqual([p.pk for p in found], [p.pk for p in expected])
        for p, e in zip(found, expected, strict=True):
            self.assertEqual(
                (p.subject, p.year_number, p.n_tasks, p.updated_at),
                (str(e.subject), e.year_group.number, e.n_tasks, e.updated_at),
            )
            self.assertEqual(
                p.updated_by,
                (e.updated_by.get_full_name() or e.updated_by.username) if e.updated_by else None,
            )
        return found

    def test_the_list_is_programmes_ofs(self):
        from school.models import Department, Subject

        maths = self.maths_class.subject
        other_department = Department.objects.create(name="Zeta")
        other_subject = Subject.objects.create(code="ZZ", name="Art", department=other_department)
        year12 = YearGroup.objects.create(number=12)
        later = Programme.objects.create(subject=maths, year_group=year12, updated_by=self.hugo)
        first = Programme.objects.create(subject=maths, year_group=self.year9)
        elsewhere = Programme.objects.create(subject=other_subject, year_group=self.year9)
        ProgrammeTask.objects.create(programme=first, position=1, title="A")
        ProgrammeTask.objects.create(programme=first, position=2, title="B")
        self.hugo.first_name = self.hugo.last_name = ""
        self.hugo.save()
        found = self._same(frozenset([maths.department_id]))
        self.assertEqual([p.pk for p in found], [first.pk, later.pk])
        self.assertEqual([p.n_tasks for p in found], [2, 0])
        self.assertEqual(found[1].updated_by, "hugo")
        both = self._same(frozenset([maths.department_id, other_department.pk]))
        self.assertEqual([p.pk for p in both], [elsewhere.pk, first.pk, later.pk])
        self.assertEqual(self._same(frozenset()), [])
