"""The pages for meetings with families and interventions: invite from the student's page or a
placement, record who came and the interventions agreed, rearrange one nobody came to; set and
review an intervention; reviews due on the owner's home page and in their morning email; the
school's list of interventions and the review rules in School settings."""

import datetime as dt

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from notify.models import Message
from pastoral.models import Intervention, InterventionReview, InterventionType, Meeting, ReviewRule
from pastoral.services import interventions as intervention_services
from pastoral.services import meetings as meeting_services
from sanctions.models import Placement
from sanctions.services.digest import register_digest_send
from school.models import Guardian
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, freeze_clock, make_guardian

MONDAY = dt.date(2026, 11, 30)


@override_settings(NOTIFY_SEND_ON_COMMIT=False)
class MeetingPagesTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mum = make_guardian(cls.student)
        cls.dad = make_guardian(
            cls.student,
            relationship="father",
            priority=2,
            first_name="Dean",
            email="",
            mobile="07700 900456",
            preferred_channel=Guardian.Channel.SMS,
        )
        cls.report_card = InterventionType.objects.get(name="Report card")
        cls.mentoring = InterventionType.objects.get(name="Mentoring")

    def invite_page(self, **extra):
        data = {
            "day": "2026-11-30",
            "time": "16:00",
            "minutes": "30",
            "mode": "in_person",
            "place": "Student services",
            "purpose": "How we support Jayden",
            "staff": [str(self.charlie.staff.pk)],
        }
        data.update(extra)
        return self.client.post(reverse("meeting-new", args=[self.student.pk]), data)

    def test_it_invites_from_the_student_page_by_each_parents_channel(self):
        self.login(self.charlie)
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, reverse("meeting-new", args=[self.student.pk]))
        response = self.invite_page()
        meeting = Meeting.objects.get()
        self.assertRedirects(response, reverse("meeting-detail", args=[meeting.pk]))
        channels = sorted(
            Message.objects.filter(student=self.student).values_list("channel", flat=True)
        )
        self.assertEqual(channels, ["email", "sms"])
        email = Message.objects.get(channel="email")
        self.assertIn("BEGIN:VEVENT", email.calendar)
        detail = self.client.get(reverse("meeting-detail", args=[meeting.pk]))
        self.assertContains(detail, "Email to")
        self.assertContains(detail, "You can record it once it has taken place.")
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, "Mon 30 Nov 2026 16:00")

    def test_it_says_by_the_field_what_is_wrong_and_keeps_nothing(self):
        self.login(self.charlie)
        response = self.invite_page(day="2026-11-20")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Choose a time that has not passed.", status_code=400)
        self.assertFalse(Meeting.objects.exists())
        response = self.invite_page(day="not a day", mode="zeppelin", place="")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Where: This field is required.", status_code=400)
        self.assertFalse(Meeting.objects.exists())

    def test_it_hides_the_pages_from_teachers_and_other_years_staff(self):
        self.login(self.alice)
        self.assertEqual(
            self.client.get(reverse("meeting-new", args=[self.student.pk])).status_code, 403
        )
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertNotContains(page, "Meetings with the family")

    def held_meeting(self):
        invitation = meeting_services.meeting_invite(
            student=self.student,
            starts_at=TEN_FIFTEEN + dt.timedelta(hours=1),
            place="Student services",
            purpose="Support",
            by=self.charlie,
        )
        freeze_clock(self, TEN_FIFTEEN + dt.timedelta(hours=2))
        return invitation.meeting

    def test_it_records_who_came_and_two_interventions_agreed(self):
        meeting = self.held_meeting()
        self.login(self.charlie)
        url = reverse("meeting-detail", args=[meeting.pk])
        response = self.client.post(
            url,
            {"action": "record", "attended_by": [str(self.mum.pk)], "discussed": "A report card"},
        )
        self.assertRedirects(response, url)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.HELD)
        new = reverse("intervention-new", args=[self.student.pk]) + f"?meeting={meeting.pk}"
        self.assertContains(self.client.get(url), new.replace("&", "&amp;"))
        for kind, owner in ((self.report_card, self.charlie), (self.mentoring, self.bob)):
            response = self.client.post(
                new,
                {
                    "kind": kind.pk,
                    "owner": owner.pk,
                    "starts_on": "2026-11-25",
                    "review_on": "2026-12-04",
                    "target": "Lessons without a removal",
                },
            )
            self.assertRedirects(response, url)
        self.assertEqual(Intervention.objects.filter(meeting=meeting).count(), 2)
        page = self.client.get(url)
        self.assertContains(page, "Report card")
        self.assertContains(page, "Mentoring")

    def test_what_was_discussed_shows_on_the_student_page_only_to_the_pastoral_team(self):
        meeting = self.held_meeting()
        self.login(self.charlie)
        url = reverse("meeting-detail", args=[meeting.pk])
        discussed = "Mum worries about the walk home after school"
        self.client.post(
            url, {"action": "record", "attended_by": [str(self.mum.pk)], "discussed": discussed}
        )
        page = reverse("student-detail", args=[self.student.pk])
        for person in (self.charlie, self.bob, self.noor):
            self.login(person)
            response = self.client.get(page)
            self.assertContains(response, discussed)
            self.assertContains(response, url)
        # The data manager and attendance see the student's contact history, not the meeting.
        for person in (self.fay, self.gita):
            self.login(person)
            response = self.client.get(page)
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, discussed)
            self.assertNotContains(response, url)

    def test_it_rearranges_a_meeting_nobody_came_to(self):
        meeting = self.held_meeting()
        self.login(self.charlie)
        url = reverse("meeting-detail", args=[meeting.pk])
        self.client.post(url, {"action": "record", "discussed": ""})
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, Meeting.Status.NOT_ATTENDED)
        response = self.client.post(
            url, {"action": "rearrange", "day": "2026-12-01", "time": "08:30", "place": ""}
        )
        new = Meeting.objects.get(rearranged_from=meeting)
        self.assertRedirects(response, reverse("meeting-detail", args=[new.pk]))
        self.assertEqual(new.place, "Student services")
        self.assertContains(self.client.get(url), "Rearranged to")

    def test_it_links_a_placement_to_its_meeting(self):
        self.login(self.charlie)
        placement = Placement.objects.create(
            student=self.student,
            provision=self.ie,
            planned_days=1,
            starts_on=WEDNESDAY,
            ends_on=WEDNESDAY,
            booked_by=self.bob,
        )
        call_page = self.client.get(reverse("family-call-new", args=[placement.pk]))
        link = reverse("meeting-new", args=[self.student.pk]) + f"?placement={placement.pk}"
        self.assertContains(call_page, link)
        self.client.post(
            link,
            {
                "day": "2026-11-30",
                "time": "16:00",
                "minutes": "30",
                "mode": "phone",
                "place": "07700 900123",
                "purpose": "About the room",
            },
        )
        self.assertEqual(Meeting.objects.get().placement, placement)


@override_settings(NOTIFY_SEND_ON_COMMIT=False)
class InterventionPagesTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.report_card = InterventionType.objects.get(name="Report card")

    def start(self, review_on=dt.date(2026, 11, 27), owner=None):
        return intervention_services.intervention_start(
            student=self.student,
            kind=self.report_card,
            owner=owner or self.charlie,
            starts_on=dt.date(2026, 11, 16),
            review_on=review_on,
            target="No removals for two weeks",
            by=self.charlie,
        )

    def test_it_reviews_and_ends_with_the_history_on_the_student_page(self):
        intervention = self.start()
        self.login(self.charlie)
        url = reverse("intervention-detail", args=[intervention.pk])
        response = self.client.post(
            url, {"progress": "Better week", "decision": "extend", "next_review_on": "2026-12-09"}
        )
        self.assertRedirects(response, url)
        response = self.client.post(url, {"progress": "Target met", "decision": "end"})
        intervention.refresh_from_db()
        self.assertEqual(intervention.status, Intervention.Status.ENDED)
        self.assertEqual(intervention.outcome, "Target met")
        self.assertEqual(InterventionReview.objects.count(), 2)
        page = self.client.get(reverse("student-detail", args=[self.student.pk]))
        self.assertContains(page, "outcome: Target met")
        self.assertContains(page, "2 reviews")

    def test_it_refuses_a_review_without_a_next_date(self):
        intervention = self.start()
        self.login(self.charlie)
        response = self.client.post(
            reverse("intervention-detail", args=[intervention.pk]),
            {"progress": "Some", "decision": "extend", "next_review_on": ""},
        )
        self.assertContains(response, "Choose the next review date", status_code=400)

    def test_it_caps_the_owners_home_list_with_a_count(self):
        for _ in range(10):
            self.start()
        self.login(self.charlie)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "Intervention reviews due")
        self.assertContains(home, "and 2 more")

    def test_it_emails_only_owners_with_reviews_due(self):
        self.start(review_on=dt.date(2026, 11, 24), owner=self.charlie)  # overdue
        self.start(review_on=dt.date(2026, 12, 10), owner=self.bob)  # not due yet
        mail.outbox.clear()
        run = register_digest_send(day=WEDNESDAY)
        to_charlie = Message.objects.filter(address=self.charlie.staff.email)
        bodies = " ".join(to_charlie.values_list("body", flat=True))
        self.assertIn("Intervention reviews due", bodies)
        self.assertIn("Report card, overdue since Tue 24 Nov", bodies)
        to_bob = " ".join(
            Message.objects.filter(address=self.bob.staff.email).values_list("body", flat=True)
        )
        self.assertNotIn("Intervention reviews due", to_bob)
        self.assertIsNotNone(run)


class SchoolSettingsFamiliesTest(SchoolDayTestCase):
    def test_the_data_manager_edits_types_and_thresholds_validated(self):
        self.login(self.fay)
        response = self.client.post(
            reverse("admin:pastoral_interventiontype_add"),
            {"name": "  Peer   mentoring ", "is_active": "on", "order": "5"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(InterventionType.objects.filter(name="Peer mentoring").exists())
        response = self.client.post(
            reverse("admin:pastoral_interventiontype_add"),
            {"name": "report CARD", "is_active": "on", "order": "5"},
        )
        self.assertContains(response, "already has an intervention with that name")
        rule = ReviewRule.objects.get(subject="student", kind="removals")
        url = reverse("admin:pastoral_reviewrule_change", args=[rule.pk])
        response = self.client.post(
            url,
            {
                "subject": "student",
                "kind": "removals",
                "count": "0",
                "within_school_days": "500",
                "is_active": "on",
            },
        )
        self.assertContains(response, "Choose between 1 and 100 removals.")
        self.assertContains(response, "Choose between 1 and 65 school days.")
        response = self.client.post(
            url,
            {
                "subject": "student",
                "kind": "removals",
                "count": "4",
                "within_school_days": "15",
                "is_active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        rule.refresh_from_db()
        self.assertEqual((rule.count, rule.within_school_days), (4, 15))

    def test_other_roles_cannot_change_the_rules(self):
        self.login(self.charlie)
        response = self.client.get(reverse("admin:pastoral_reviewrule_changelist"))
        self.assertEqual(response.status_code, 302)
