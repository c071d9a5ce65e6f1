"""Server errors from crafted input (issue 13): each listed input answers a clear message or a
404, never a 500, and writes nothing."""

from django.test import override_settings
from django.urls import reverse

from patrol.models import OnCallReason, OnCallRequest, SentOut, StaffAbsence, WatchListEntry
from patrol.services import on_call
from sanctions.models import AttendanceMark, Incident, Referral
from tests.test_room_day import RoomDayBase

TWENTY = "9" * 20  # past PostgreSQL's bigint (19 digits)
NOT_ASCII = "²"  # str.isdigit() says yes, int() says no


class CraftedInputsTest(RoomDayBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        on_call.on_call_reasons_ensure_defaults()

    def setUp(self):
        super().setUp()
        self.client.raise_request_exception = False

    def referral_form(self, **overrides):
        return {
            "occurred_at": "2026-11-25T09:40",
            "room": self.room.pk,
            "location": "",
            "reason": self.refusal.pk,
            "part": "perpetrator",
            "description": "Refused to hand over phone.",
            "provision": self.ie.pk,
            "days": "1",
            "note": "",
            "others": "",
        } | overrides

    def test_crafted_minutes_late_are_refused_by_the_field(self):
        line = self.book_ie(days=1).days.get()
        self.on_the_day(line, 9, 30)
        self.login(self.bob)
        url = reverse("register-mark", args=[line.pk])
        for minutes in (NOT_ASCII, TWENTY, "99999999999999999999", "-5", "1.5", "abc", "1000"):
            with self.subTest(minutes=minutes):
                response = self.client.post(
                    url,
                    {"session": "am", "kind": "late", "at": "09:20", "minutes_late": minutes},
                    follow=True,
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("Give the minutes late as a whole number", response.content.decode())
                self.assertFalse(AttendanceMark.objects.exists())
        response = self.client.post(
            url, {"session": "am", "kind": "late", "at": "09:20", "minutes_late": "12"}
        )
        self.assertEqual(AttendanceMark.objects.get().minutes_late, 12)

    def test_crafted_ids_in_the_watch_list_sent_out_and_on_call_forms(self):
        reason = OnCallReason.objects.first()
        self.login(self.evan)
        for value in (NOT_ASCII, TWENTY):
            with self.subTest(value=value):
                for url, data in (
                    (
                        reverse("watch-list"),
                        {
                            "student": value,
                            "requested_by": value,
                            "reason": "Low mood",
                            "review_on": "2026-12-01",
                        },
                    ),
                    (
                        reverse("sent-out-new"),
                        {
                            "student": value,
                            "teaching_class": value,
                            "from_room": value,
                            "reason": "Paper",
                        },
                    ),
                    (
                        reverse("on-call-raise"),
                        {
                            "reason": reason.pk,
                            "room": value,
                            "teaching_class": value,
                            "students": value,
                        },
                    ),
                    (
                        reverse("on-call-raise"),
                        {"reason": value, "room": self.room.pk},
                    ),
                ):
                    response = self.client.post(url, data)
                    self.assertIn(response.status_code, (200, 400, 404), (url, data))
                    if response.status_code != 404:
                        self.assertIn(b'class="error', response.content, (url, data))
        self.assertFalse(WatchListEntry.objects.exists())
        self.assertFalse(SentOut.objects.exists())
        self.assertFalse(OnCallRequest.objects.exists())

    def test_an_incident_dated_in_year_one_is_refused_by_the_field(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        for when in ("01/01/0001", "01/01/0001 10:00", "0001-01-01T00:00", "31/12/9999 23:59"):
            with self.subTest(when=when):
                response = self.client.post(url, self.referral_form(occurred_at=when))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.context["form"].errors["occurred_at"])
        self.assertFalse(Incident.objects.exists())

    def test_a_staff_absence_from_year_one_to_9999_is_refused_with_a_message(self):
        self.login(self.evan)
        response = self.client.post(
            reverse("absence-add"),
            {"staff": self.bob.staff.pk, "starts_on": "0001-01-01", "ends_on": "9999-12-31"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("The first day must be within a year of today", response.content.decode())
        self.assertFalse(StaffAbsence.objects.exists())

    def test_a_long_referral_description_is_refused_by_the_field(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        response = self.client.post(url, self.referral_form(description="x" * 20_000))
        self.assertEqual(response.status_code, 200)
        self.assertIn("at most", str(response.context["form"].errors["description"]))
        self.assertFalse(Referral.objects.exists())

    def test_a_20_mb_referral_description_answers_a_clear_message(self):
        self.login(self.alice)
        url = reverse("referral-new", args=[self.student.pk])
        response = self.client.post(url, self.referral_form(description="x" * 20_000_000))
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "too large", status_code=413)
        self.assertFalse(Referral.objects.exists())

    def test_the_upload_limit_applies_only_to_uploads(self):
        """A file of a few MB is more than an ordinary form may send, and still passes; a file
        past the upload limit answers the page saying so."""
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.http import HttpResponse
        from django.test import RequestFactory

        from conduct.middleware import RequestSizeLimit

        seen = []

        def view(request):
            seen.append(request.FILES["files"].size)
            return HttpResponse("ok")

        big = SimpleUploadedFile("students.csv", b"UPN\n" + b"A1\n" * 1_000_000, "text/csv")
        request = RequestFactory().post("/import/", {"files": big})
        self.assertEqual(RequestSizeLimit(view)(request).status_code, 200)
        self.assertEqual(seen, [3_000_004])

        self.login(self.fay)
        with override_settings(UPLOAD_MAX_BYTES=1024 * 1024):
            big.seek(0)
            response = self.client.post(reverse("roster-import"), {"files": [big]})
        self.assertEqual(response.status_code, 413)
        self.assertIn("files of up to 1 MB", response.content.decode())
