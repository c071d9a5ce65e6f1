"""One admin template mistake must not stop every booking (issue 13): a message template is
rendered against a sample before it is saved, and a broken one already in the database is the
letter's problem on the placement, not a failed booking."""

from django.urls import reverse

from notify.models import Message, MessageTemplate
from sanctions.services import referrals
from tests.base import SchoolDayTestCase, make_guardian
from work.models import WorkRequest

BROKEN = [
    ("{% include 'nothing.html' %}", "does not exist"),
    ('{{ day_count|divisibleby:"0" }}', "modulo by zero"),
    ("{% if %}", "Unexpected end of expression"),
]


class TemplateMistakeTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_guardian(cls.student)

    def book(self, days=2):
        incident = self.walked_out()
        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=days, by=self.alice, incident=incident
        )
        return referrals.referral_approve(referral=referral, by=self.charlie)

    def post(self, template, **fields):
        data = {
            "key": template.key,
            "name": template.name,
            "is_active": "on",
            "subject": template.subject,
            "body": template.body,
            "sms_body": template.sms_body,
        } | fields
        return self.client.post(
            reverse("admin:notify_messagetemplate_change", args=[template.pk]), data
        )

    def test_it_shows_a_template_mistake_by_the_field_and_saves_nothing(self):
        template = MessageTemplate.objects.get(key="placement-booked")
        self.login(self.fay)
        for text, words in BROKEN:
            with self.subTest(text=text):
                response = self.post(template, body=template.body + text)
                self.assertContains(response, "Template mistake:")
                self.assertContains(response, words)
                # Shown by the body field (Django's admin puts the list in the field's row).
                self.assertContains(response, "errors field-body")
                self.assertEqual(
                    MessageTemplate.objects.get(pk=template.pk).body,
                    template.body,
                )

    def test_it_saves_a_template_that_renders(self):
        template = MessageTemplate.objects.get(key="placement-booked")
        self.login(self.fay)
        body = "Dear {{ guardian_name }}, {% if day_count > 1 %}days{% endif %} {{ lesson }}"
        response = self.post(template, body=body)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(MessageTemplate.objects.get(pk=template.pk).body, body)

    def test_a_broken_template_in_the_database_is_the_letters_problem_not_a_failed_booking(self):
        MessageTemplate.objects.filter(key="placement-booked").update(
            body="Dear {{ guardian_name }} {% include 'nothing.html' %}"
        )
        placement = self.book(days=2)
        self.assertEqual(placement.status, "booked")
        self.assertEqual(placement.days.count(), 2)
        self.assertTrue(WorkRequest.objects.filter(placement_day__placement=placement).exists())
        self.assertFalse(Message.objects.exists())
        placement.refresh_from_db()
        self.assertIn("placement-booked", placement.parent_notice_problem)
        self.assertIn("has a mistake in it", placement.parent_notice_problem)
        self.assertIn("does not exist", placement.parent_notice_problem)

    def test_a_template_failing_as_it_renders_is_the_letters_problem_too(self):
        MessageTemplate.objects.filter(key="placement-booked").update(
            body='{{ day_count|divisibleby:"0" }}'
        )
        placement = self.book(days=1)
        self.assertEqual(placement.days.count(), 1)
        placement.refresh_from_db()
        self.assertIn("modulo by zero", placement.parent_notice_problem)
