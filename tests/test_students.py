"""Student search and profile: what each role sees, the audit trail, and pinned query counts."""

from django.urls import reverse

from audit.models import AuditEvent
from school.models import Guardian, Student
from tests.base import ConductTestCase, make_guardian, make_student


class StudentPagesTest(ConductTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.student.sen_status = Student.SenStatus.EHCP
        cls.student.fsm = True
        cls.student.save()
        make_guardian(cls.student, mobile="07700 900123", preferred_channel=Guardian.Channel.SMS)
        make_student(upn="B123456789012", first="Amelia", last="Kowalska", form=cls.form)
        make_student(
            upn="C123456789012", first="Oliver", last="Left", form=cls.form, left_on="2026-10-01"
        )

    def test_it_finds_students_by_name_upn_or_form_and_hides_leavers(self):
        self.login(self.bob)
        response = self.client.get(reverse("student-list"), {"q": "kowal"})
        self.assertContains(response, "Kowalska, Amelia")
        self.assertNotContains(response, "Walsh, Jayden")
        response = self.client.get(reverse("student-list"), {"q": "9b"})
        self.assertContains(response, "2 students matching")
        self.assertNotContains(response, "Left, Oliver")
        response = self.client.get(reverse("student-list"), {"q": "B123456789012"})
        self.assertContains(response, "Kowalska, Amelia")

    def test_it_writes_each_row_with_needs_for_those_who_may_see_them(self):
        odd = make_student(upn="E123456789012", first="Zoë", last="O'Brien & <Co>")
        Student.objects.filter(pk=odd.pk).update(form=None, looked_after=True, eal=True)
        odd_url = reverse("student-detail", args=[odd.pk])
        me_url = reverse("student-detail", args=[self.student.pk])
        self.login(self.bob)  # the conduct team: the needs column
        response = self.client.get(reverse("student-list"))
        self.assertContains(
            response,
            f'<tr><td><a href="{odd_url}">O&#x27;Brien &amp; &lt;Co&gt;, Zoë</a></td><td>—</td>'
            f'<td>{odd.year_group.number}</td><td><span class="flags"><span class="flag">EAL'
            '</span><span class="flag cla">Looked after</span></span></td></tr>',
            html=True,
        )
        self.assertContains(
            response,
            f'<tr><td><a href="{me_url}">Walsh, Jayden</a></td><td>{self.form.code}</td>'
            f'<td>{self.student.year_group.number}</td><td><span class="flags"><span '
            'class="flag sen">EHCP</span><span class="flag">FSM</span></span></td></tr>',
            html=True,
        )
        self.login(self.alice)  # a teacher: no needs column
        response = self.client.get(reverse("student-list"), HTTP_HX_REQUEST="true")
        self.assertContains(
            response,
            f'<tr><td><a href="{me_url}">Walsh, Jayden</a></td><td>{self.form.code}</td>'
            f"<td>{self.student.year_group.number}</td></tr>",
            html=True,
        )
        self.assertNotContains(response, "flags")

    def test_it_answers_htmx_searches_with_the_results_only(self):
        self.login(self.bob)
        response = self.client.get(reverse("student-list"), {"q": "walsh"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "Walsh, Jayden")
        self.assertNotContains(response, "<html")

    def test_it_shows_needs_and_contacts_to_pastoral_but_not_to_a_teacher(self):
        url = reverse("student-detail", args=[self.student.pk])
        self.login(self.charlie)
        response = self.client.get(url)
        self.assertContains(response, "E – education, health and care plan")
        self.assertContains(response, "07700 900123")
        self.login(self.alice)
        response = self.client.get(url)
        self.assertContains(response, "Jayden Walsh")
        self.assertNotContains(response, "EHCP")
        self.assertNotContains(response, "07700 900123")

    def test_it_writes_every_profile_read_to_the_audit_log(self):
        self.login(self.alice)
        self.client.get(
            reverse("student-detail", args=[self.student.pk]),
            REMOTE_ADDR="10.0.0.7",
            HTTP_USER_AGENT="Chromium",
        )
        event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
        self.assertEqual(event.user, self.alice)
        self.assertEqual(event.object_type, "school.student")
        self.assertEqual(event.object_id, str(self.student.pk))
        self.assertEqual(event.ip_address, "10.0.0.7")
        self.assertEqual(event.detail, {"page": "student profile", "sensitive": False})

    def test_it_writes_a_student_with_no_form_and_their_contacts_escaped(self):
        odd = make_student(upn="F123456789012", first="Zoë", last="O'Brien & <Co>")
        Student.objects.filter(pk=odd.pk).update(form=None)
        make_guardian(
            odd, first_name="Ann & Bo", address="1 High St\r\nSmallville <N>", postcode="B1 1AA"
        )
        self.login(self.bob)
        response = self.client.get(reverse("student-detail", args=[odd.pk]))
        self.assertContains(response, "<h1>Zoë O&#x27;Brien &amp; &lt;Co&gt;</h1>")
        self.assertContains(response, f'<p class="lede">{odd.year_group}\n')
        self.assertContains(
            response,
            "<h3>1. Mrs Ann &amp; Bo Walsh "
            '<span class="muted">(Mother, parental responsibility)</span></h3>',
        )
        self.assertContains(
            response, '<p class="muted">1 High St<br>Smallville &lt;N&gt;, B1 1AA</p>'
        )

    def test_it_says_not_found_for_an_unknown_student(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("student-detail", args=[99999])).status_code, 404)

    def test_it_lists_a_page_of_students_in_constant_queries(self):
        for i in range(60):
            make_student(upn=f"D{i:012d}", first=f"Pupil{i}", last="Many", form=self.form)
        self.login(self.charlie)
        # session, user, groups, count, page of students (with year and form), year list, and
        # for the menu: Charlie's staff record and the day's periods (is he on call now?), and
        # the year groups his pastoral role reaches (he teaches too, so he sees every student,
        # and the needs of his years')
        # (one of them writes the audit event of this read)
        with self.assertNumQueries(10):
            response = self.client.get(reverse("student-list"))
        self.assertContains(response, "Page 1 of 2")

    def test_it_shows_the_audit_log_to_the_dsl(self):
        self.login(self.alice)
        self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"), {"who": "alice"})
        self.assertContains(response, "Jayden Walsh")
        self.assertContains(response, "Viewed")
