"""The referral pages: refer from a student's page, decide, and see the register."""

import datetime as dt

from django.urls import reverse

from sanctions.models import Incident, Placement, Referral
from tests.base import (
    WEDNESDAY,
    SchoolDayTestCase,
    make_student,
)

THURSDAY = WEDNESDAY + dt.timedelta(days=1)


class ReferralPagesTest(SchoolDayTestCase):
    def referral_form(self, **overrides):
        data = {
            "occurred_at": "2026-11-25T09:40",
            "room": self.room.pk,
            "location": "",
            "reason": self.refusal.pk,
            "part": "perpetrator",
            "description": "Refused to hand over phone, walked out of the lesson.",
            "provision": self.ie.pk,
            "days": "1",
            "note": "",
            "others": "",
        }
        data.update(overrides)
        return data

    def test_it_sends_a_teachers_referral_for_a_decision(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        response = self.client.post(url, self.referral_form(), follow=True)
        self.assertContains(response, "waiting for a decision")
        referral = Referral.objects.get()
        self.assertEqual(referral.status, Referral.Status.PENDING)
        self.assertEqual(referral.incident.parts.get().student, self.student)

    def test_it_says_by_the_field_when_the_incident_date_is_out_of_bounds(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        for when in ("0001-01-01T10:00", "1999-09-09T10:00", "9999-12-31T23:59"):
            with self.subTest(when=when):
                response = self.client.post(url, self.referral_form(occurred_at=when))
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors["occurred_at"]
                self.assertTrue(
                    any("Choose a date between" in e or "future" in e for e in errors), errors
                )
        self.assertFalse(Incident.objects.exists())

    def test_it_records_the_other_students_involved_with_their_parts(self):
        make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        make_student(upn="C123456789012", first="Leo", last="Khan", form=self.form)
        self.login(self.alice)
        self.client.post(
            reverse("referral-new", args=[self.student.pk]),
            self.referral_form(others="Mia Jones, victim\nc123456789012, Witness\n"),
        )
        parts = Incident.objects.get().parts.values_list("student__legal_first_name", "part")
        self.assertEqual(
            sorted(parts), [("Jayden", "perpetrator"), ("Leo", "witness"), ("Mia", "victim")]
        )

    def test_it_says_which_line_names_nobody_or_somebody_twice(self):
        make_student(upn="B123456789012", first="Mia", last="Jones", form=self.form)
        make_student(upn="C123456789012", first="Mia", last="Jones", form=self.form)
        self.login(self.alice)
        response = self.client.post(
            reverse("referral-new", args=[self.student.pk]),
            self.referral_form(others="Mia Jones, victim\nMia Jonas, witness\nLeo Khan"),
        )
        self.assertContains(response, "line 1: 2 students called “Mia Jones” (9B, 9B): use the UPN")
        self.assertContains(response, "line 2: no student on roll called “Mia Jonas”")
        self.assertContains(response, "line 3 (“Leo Khan”): write the name or UPN, a comma")
        self.assertFalse(Incident.objects.exists())

    def test_it_shows_every_problem_and_saves_nothing(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        response = self.client.post(
            url, self.referral_form(room="", description="", days="12", occurred_at="yesterday")
        )
        self.assertContains(response, "There are problems", status_code=200)
        self.assertContains(response, "Say where it happened: choose a room or name a place.")
        self.assertContains(response, "What happened: This field is required.")
        self.assertContains(response, "Days: Ensure this value is less than or equal to 10.")
        self.assertContains(response, "When it happened: Enter a valid date/time.")
        self.assertFalse(Incident.objects.exists())
        self.assertFalse(Referral.objects.exists())

    def test_it_shows_pending_referrals_on_the_head_of_years_home_page(self):
        self.login(self.alice)
        self.client.post(reverse("referral-new", args=[self.student.pk]), self.referral_form())
        self.login(self.charlie)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "Waiting for your decision")
        self.assertContains(response, "Jayden Walsh")

    def test_it_warns_the_approver_about_sen_and_books_on_approval(self):
        self.student.sen_status = "E"
        self.student.save()
        self.login(self.alice)
        self.client.post(reverse("referral-new", args=[self.student.pk]), self.referral_form())
        referral = Referral.objects.get()
        self.login(self.charlie)
        page = self.client.get(reverse("referral-detail", args=[referral.pk]))
        self.assertContains(page, "Jayden Walsh has an EHCP. Check the reasonable adjustments")
        response = self.client.post(
            reverse("referral-detail", args=[referral.pk]),
            {
                "approve-days": "1",
                "approve-provision": self.ie.pk,
                "approve-note": "",
                "approve": "",
            },
            follow=True,
        )
        self.assertContains(response, "is booked into Internal exclusion from Thursday 26 November")
        placement = Placement.objects.get()
        self.assertEqual(placement.starts_on, THURSDAY)
        register = self.client.get(reverse("register", args=["IE1", "2026-11-26"]))
        self.assertContains(register, "Walsh, Jayden")
        self.assertContains(register, "08:45")

    def test_it_needs_a_reason_to_decline_and_shows_it_to_the_referrer(self):
        referral = Referral.objects.create(
            student=self.student, provision=self.ie, days=1, requested_by=self.alice
        )
        self.login(self.charlie)
        url = reverse("referral-detail", args=[referral.pk])
        response = self.client.post(url, {"decline-reason": "", "decline": ""})
        self.assertContains(response, "Why it is declined: This field is required.")
        self.client.post(url, {"decline-reason": "Restorative meeting instead", "decline": ""})
        self.login(self.alice)
        response = self.client.get(url)
        self.assertContains(response, "Declined")
        self.assertContains(response, "Restorative meeting instead")

    def test_it_refuses_a_decision_from_someone_who_may_only_look(self):
        referral = Referral.objects.create(
            student=self.student, provision=self.ald, days=1, requested_by=self.alice
        )
        self.login(self.alice)
        response = self.client.post(
            reverse("referral-detail", args=[referral.pk]),
            {"decline-reason": "no", "decline": ""},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Referral.objects.get().status, Referral.Status.PENDING)

    def test_it_renders_a_register_of_thirty_in_constant_queries(self):
        from sanctions.models import ProvisionRoom
        from sanctions.services import placements

        ProvisionRoom.objects.filter(provision=self.rr).update(capacity=30)
        for i in range(30):
            student = make_student(upn=f"F{i:012d}", first=f"Pupil{i}", last="Many", form=self.form)
            placements.placement_book(
                student=student, provision=self.rr, days=1, by=self.bob, start_on=THURSDAY
            )
        self.login(self.bob)
        # session, user, room, the day's lines (read once for the page and its fingerprint),
        # the day's marks and log, whether the day is closed, lessons missed, parent messages,
        # interviews, the term and each student's days in a room, the room's provisions, audit
        # insert, when the school day ends (the reflection room keeps it), and the inbox's
        # unread count; the groups (roles) come from the reference data cache
        with self.assertNumQueries(16):
            response = self.client.get(reverse("register", args=["RR1", "2026-11-26"]))
        self.assertContains(response, "30 students booked.")

    def test_it_shows_each_control_of_a_referral_only_to_who_may_use_it(self):
        from sanctions.services import referrals

        referral = referrals.referral_create(
            student=self.student, provision=self.ie, days=1, by=self.alice
        )
        url = reverse("referral-detail", args=[referral.pk])
        decide = ("Approve and book", "Decline referral")
        change = ("Move the placement", "Cancel the placement")
        self.login(self.charlie)  # head of year: decides internal exclusion
        page = self.client.get(url)
        for control in decide:
            self.assertContains(page, control)
        self.login(self.bob)  # conduct: runs the rooms, may not decide internal exclusion
        page = self.client.get(url)
        for control in decide:
            self.assertNotContains(page, control)
        placement = referrals.referral_approve(referral=referral, by=self.charlie)
        register = reverse("register", args=["IE1", placement.starts_on.isoformat()])
        # The referrer (a teacher) may not open the room's register: the day names the room
        # without a link (it linked to a register that answered 403).
        for person, may_change in [(self.alice, False), (self.bob, True), (self.charlie, True)]:
            self.login(person)
            page = self.client.get(url)
            with self.subTest(person=person.username):
                self.assertContains(page, "Placement booked")
                self.assertContains(page, "Thursday 26 November in ")
                if may_change:
                    self.assertContains(page, f'href="{register}"')
                    self.assertEqual(self.client.get(register).status_code, 200)
                else:
                    self.assertNotContains(page, f'href="{register}"')
                    self.assertEqual(self.client.get(register).status_code, 403)
                for control in decide:
                    self.assertNotContains(page, control)
                for control in change:
                    if may_change:
                        self.assertContains(page, control)
                    else:
                        self.assertNotContains(page, control)
                self.assertEqual(
                    self.client.post(
                        reverse("placement-cancel", args=[placement.pk]), {"reason": ""}
                    ).status_code,
                    302 if may_change else 403,
                )
