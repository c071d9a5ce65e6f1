"""The meeting page's reads (issue 15): the meeting as the columns its page shows, compiled;
each list includes this meeting's people, invitations and interventions, leaves out another
meeting's, in the page's order."""

import datetime as dt

from django.test import override_settings

from notify.models import Message
from pastoral.models import Intervention, InterventionType, Meeting
from pastoral.selectors import meetings as selectors
from pastoral.services import meetings as services
from school.models import Guardian
from tests.base import TEN_FIFTEEN, SchoolDayTestCase, make_guardian

MONDAY_4PM = dt.datetime(2026, 11, 30, 16, 0, tzinfo=TEN_FIFTEEN.tzinfo)


@override_settings(NOTIFY_SEND_ON_COMMIT=False)
class MeetingPageReadsTest(SchoolDayTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mum = make_guardian(cls.student, first_name="Zoe")
        cls.dad = make_guardian(
            cls.student,
            relationship="father",
            priority=2,
            title="Mr",
            first_name="Dean",
            last_name="Adams",
            email="",
            mobile="07700 900456",
            preferred_channel=Guardian.Channel.SMS,
        )

    def invite(self, **kwargs):
        return services.meeting_invite(
            student=self.student,
            starts_at=kwargs.pop("starts_at", MONDAY_4PM),
            place="Student services",
            purpose="How we support Jayden",
            staff=kwargs.pop("staff", [self.charlie.staff, self.bob.staff]),
            by=self.charlie,
            **kwargs,
        ).meeting

    def agree(self, meeting, kind, target):
        return Intervention.objects.create(
            student=self.student,
            kind=kind,
            owner=self.charlie,
            meeting=meeting,
            starts_on=TEN_FIFTEEN.date(),
            review_on=dt.date(2026, 12, 14),
            target=target,
            set_by=self.charlie,
        )

    def test_it_reads_the_meeting_its_people_and_interventions_and_no_other_meetings(self):
        meeting = self.invite()
        other = self.invite(starts_at=MONDAY_4PM + dt.timedelta(days=1), staff=[self.dana.staff])
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
        meeting.attended_by.set([self.mum])
        report_card = InterventionType.objects.get(name="Report card")
        mentoring = InterventionType.objects.get(name="Mentoring")
        first = self.agree(meeting, report_card, "On time to lessons")
        second = self.agree(meeting, mentoring, "Weekly check-in")
        self.agree(other, mentoring, "Not this meeting's")

        page = selectors.meeting_page(meeting.pk)

        self.assertEqual(page.pk, meeting.pk)
        self.assertEqual(page.starts_at, MONDAY_4PM)
        self.assertEqual(
            (page.mode_label, page.status, page.status_label), ("In person", "held", "Held")
        )
        self.assertIsNone(page.placement)
        self.assertIsNone(page.rearranged_from)
        self.assertEqual(page.student.pk, self.student.pk)
        self.assertEqual(page.student.year_group_id, self.student.year_group_id)
        self.assertEqual(str(page.student), str(self.student))
        self.assertTrue(page.student.on_roll)
        # By surname, as the records' own order: Mr Adams before Mrs Walsh.
        self.assertEqual(
            [(p.pk, str(p)) for p in page.invited],
            [(self.dad.pk, str(self.dad)), (self.mum.pk, str(self.mum))],
        )
        self.assertEqual([str(p) for p in page.came], [str(self.mum)])
        # Hughes before Patel; Dana Okafor is at the other meeting only.
        self.assertEqual(
            [str(p) for p in page.staff],
            [self.charlie.staff.display_name, self.bob.staff.display_name],
        )
        self.assertEqual(
            [(row.pk, row.kind, row.target) for row in page.interventions],
            [
                (first.pk, "Report card", "On time to lessons"),
                (second.pk, "Mentoring", "Weekly check-in"),
            ],
        )
        self.assertEqual(page.interventions[0].owner_name, self.charlie.get_full_name())

        invitations = selectors.meeting_page_invitations(meeting.pk)
        expected = Message.objects.filter(
            related_id=meeting.pk, related_type__model="meeting"
        ).order_by("pk")
        self.assertEqual(len(invitations), 2)
        self.assertEqual(
            [(row.pk, row.channel_label, row.to, row.status_label) for row in invitations],
            [
                (
                    m.pk,
                    m.get_channel_display(),
                    str(m.guardian or m.address),
                    m.get_status_display(),
                )
                for m in expected
            ],
        )
        self.assertIsNone(selectors.meeting_page(other.pk + 1000))

    def test_it_reads_where_a_rearranged_meeting_went(self):
        meeting = self.invite()
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NOT_ATTENDED)
        meeting.refresh_from_db()
        new = services.meeting_rearrange(
            meeting=meeting, starts_at=MONDAY_4PM + dt.timedelta(days=2), by=self.charlie
        ).meeting
        self.assertEqual(selectors.meeting_page_next(meeting.pk).pk, new.pk)
        self.assertIsNone(selectors.meeting_page_next(new.pk))
        page = selectors.meeting_page(new.pk)
        self.assertEqual(
            (page.rearranged_from.pk, page.rearranged_from.starts_at), (meeting.pk, MONDAY_4PM)
        )


class InviteesReadTest(SchoolDayTestCase):
    def test_it_lists_those_with_responsibility_by_priority_with_their_channel(self):
        from tests.base import make_student_of_year_10

        second = make_guardian(
            self.student, relationship="father", priority=2, title="Mr", first_name="Dean"
        )
        first = make_guardian(self.student, priority=1, first_name="Zoe")
        make_guardian(
            self.student, relationship="grandparent", priority=3, parental_responsibility=False
        )
        make_guardian(make_student_of_year_10(), priority=1, first_name="Other")
        second.preferred_channel = Guardian.Channel.SMS
        second.save()

        invitees = selectors.guardians_to_invite(self.student)

        self.assertEqual(
            [(str(g), g.channel_label) for g in invitees],
            [(str(first), "Email"), (str(second), second.get_preferred_channel_display())],
        )
