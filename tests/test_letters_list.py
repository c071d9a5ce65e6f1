"""The family letters list: drafts to check by default, each with its placement's first day and
channel; several drafts approved and sent at once with a summary of what went and what was
refused and why; a student in a room today whose family was never told stands out."""

import datetime as dt

from django.contrib.messages import get_messages
from django.urls import reverse

from conduct import submissions
from notify import services as notify_services
from notify.models import Message
from sanctions.models import Placement
from sanctions.services import placements
from school.models import Guardian
from tests.base import WEDNESDAY, SchoolDayTestCase, make_guardian, make_student

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class LettersListTest(SchoolDayTestCase):
    def setUp(self):
        super().setUp()
        make_guardian(self.student)
        self.mia = make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        make_guardian(
            self.mia,
            first_name="Sam",
            last_name="Jones",
            title="Mr",
            preferred_channel=Guardian.Channel.LETTER,
            address="4 Mill Lane\nNorthfield",
            postcode="NF1 2AB",
        )

    def book(self, student, start_on):
        placement = placements.placement_book(
            student=student, provision=self.ie, days=1, by=self.evan, start_on=start_on
        )
        message = Message.objects.get(student=student, status=Message.Status.DRAFT)
        # Booked without a referral, the draft asks for the reason; the officer words it.
        message = notify_services.message_update(
            message=message,
            subject=message.subject,
            body=message.body.replace("[missing: reason]", "of persistent disruption"),
            by=self.bob,
        )
        return placement, message

    def names(self, response):
        return [str(m) for m in get_messages(response.wsgi_request)]

    def test_it_shows_the_drafts_to_check_by_default_with_placement_day_and_channel(self):
        _, email = self.book(self.student, THURSDAY)
        _, letter = self.book(self.mia, THURSDAY)
        notify_services.message_approve(message=letter, by=self.bob)  # now "to post"
        self.login(self.bob)
        response = self.client.get(reverse("message-list"))
        self.assertContains(response, reverse("message-detail", args=[email.pk]))
        self.assertNotContains(response, reverse("message-detail", args=[letter.pk]))
        self.assertContains(response, "Thu 26 Nov")
        self.assertContains(response, '<td data-label="How">Email</td>', html=False)
        # "All" is still one choice away.
        everything = self.client.get(reverse("message-list"), {"status": ""})
        self.assertContains(everything, reverse("message-detail", args=[letter.pk]))

    def test_it_approves_and_sends_the_ticked_drafts_and_says_what_was_refused(self):
        _, email = self.book(self.student, THURSDAY)
        _, letter = self.book(self.mia, THURSDAY)
        third = make_student(upn="C123456789012", first="Leo", last="Khan", form=self.form)
        make_guardian(third, first_name="Ann", last_name="Khan")
        _, broken = self.book(third, THURSDAY)
        notify_services.message_update(
            message=broken, subject=broken.subject, body="Dear [missing: guardian_name]", by=None
        )
        self.login(self.bob)
        response = self.client.post(
            reverse("message-bulk-approve"),
            {"message": [email.pk, letter.pk, broken.pk], submissions.FIELD: "a" * 32},
        )
        self.assertRedirects(response, reverse("message-list"), fetch_redirect_response=False)
        said = self.names(response)
        self.assertIn("Queued to send 1 email or text: Jayden Walsh.", said)
        self.assertIn(
            "Approved 1 letter for posting: Mia Jones. Print and post them, then mark each posted.",
            said,
        )
        self.assertIn(
            f"Not approved, left as it was: Leo Khan ({broken.subject}). Fill in what is "
            "missing before approving: guardian_name.",
            said,
        )
        statuses = {m.pk: m.status for m in Message.objects.all()}
        self.assertIn(statuses[email.pk], (Message.Status.QUEUED, Message.Status.SENT))
        self.assertEqual(statuses[letter.pk], Message.Status.APPROVED)
        self.assertEqual(statuses[broken.pk], Message.Status.DRAFT)

    def test_it_approves_once_when_the_button_is_pressed_twice(self):
        _, email = self.book(self.student, THURSDAY)
        self.login(self.bob)
        data = {"message": [email.pk], submissions.FIELD: submissions.new_token()}
        self.client.post(reverse("message-bulk-approve"), data)
        second = self.client.post(reverse("message-bulk-approve"), data)
        self.assertFalse([m for m in self.names(second) if m.startswith("Not approved")])

    def test_it_refuses_those_who_may_not_approve(self):
        _, email = self.book(self.student, THURSDAY)
        self.login(self.alice)
        response = self.client.post(reverse("message-bulk-approve"), {"message": [email.pk]})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Message.objects.get(pk=email.pk).status, Message.Status.DRAFT)

    def test_a_student_in_the_room_today_whose_family_was_never_told_stands_out(self):
        today, draft = self.book(self.student, WEDNESDAY)
        self.book(self.mia, THURSDAY)  # tomorrow: not yet urgent
        self.login(self.bob)
        response = self.client.get(reverse("message-list"))
        self.assertContains(response, "In a room today, family not told")
        urgent = response.content.decode().split("not-told-heading", 1)[1].split("</section>")[0]
        self.assertIn("Jayden Walsh", urgent)
        self.assertIn("placed today", urgent)
        self.assertIn(reverse("message-detail", args=[draft.pk]), urgent)
        self.assertNotIn("Mia Jones", urgent)
        Message.objects.filter(pk=draft.pk).update(status=Message.Status.SENT)
        response = self.client.get(reverse("message-list"))
        self.assertNotContains(response, "In a room today, family not told")

    def test_it_says_for_each_family_not_told_what_waits_or_why_nothing_does(self):
        _, draft = self.book(self.student, WEDNESDAY)
        placement, letter = self.book(self.mia, WEDNESDAY)
        Message.objects.filter(pk=letter.pk).delete()
        self.login(self.bob)
        response = self.client.get(reverse("message-list"))
        url = reverse("message-detail", args=[draft.pk])
        self.assertContains(
            response,
            "<li><strong>Jayden Walsh</strong> · Internal exclusion in IE1, placed today · "
            f'<a href="{url}">email: draft – to check</a></li>',
            html=True,
        )
        mia = "<li><strong>Mia Jones</strong> · Internal exclusion in IE1, placed today · "
        self.assertContains(response, f"{mia}no message drafted</li>", html=True)
        Placement.objects.filter(pk=placement.pk).update(parent_notice_problem="No <address>")
        response = self.client.get(reverse("message-list"))
        self.assertContains(
            response, f"{mia}no letter could be drafted: No &lt;address&gt;</li>", html=True
        )

    def test_its_queries_do_not_grow_with_the_list(self):
        self.book(self.student, WEDNESDAY)
        self.book(self.mia, THURSDAY)
        self.login(self.bob)
        self.client.get(reverse("message-list"))
        with self.assertNumQueries(9):  # with the audit event of the list's read
            self.client.get(reverse("message-list"))
        for n in range(3):
            extra = make_student(
                upn=f"D12345678901{n}", first="Kit", last=f"Lee{n}", form=self.form
            )
            make_guardian(extra, first_name="Jo", last_name=f"Lee{n}")
            self.book(extra, WEDNESDAY)
        with self.assertNumQueries(9):
            self.client.get(reverse("message-list"))
