"""The retention schedule (issue 13): defaults with their source, a dry run that changes
nothing, a run that anonymises or deletes and is audited, and a student who left long ago
removed with their whole history."""

import datetime as dt
import importlib
import io

from django.apps import apps as django_apps
from django.core.management import call_command

from audit.models import AuditEvent, StateChange
from pastoral.models import Discussion, Level, RestorativeMeeting
from pastoral.services import concerns, discussions, restorative
from patrol.models import OnCallReason, OnCallRequest
from privacy.models import RetentionRule
from privacy.services import retention
from sanctions.models import (
    AttendanceMark,
    Incident,
    IncidentStudent,
    Placement,
    ReasonCategory,
    Referral,
)
from sanctions.services import incidents, placements
from school.models import Student
from tests.base import TEN_FIFTEEN, WEDNESDAY, SchoolDayTestCase, make_student


class RetentionTestCase(SchoolDayTestCase):
    def give_history(self, student, *, with_other=None):
        """An incident (shared with `with_other`), a placement with a register mark, a
        discussion, a concern and an on-call call: the history PROTECT keys used to keep."""
        reason = ReasonCategory.objects.first() or ReasonCategory.objects.create(
            code="DIS", name="Disruption"
        )
        students = [(student, "perpetrator")] + ([(with_other, "victim")] if with_other else [])
        incident = incidents.incident_record(
            occurred_at=TEN_FIFTEEN,
            location="Corridor",
            reason=reason,
            description="Argued.",
            reported_by=self.alice.staff,
            by=self.alice,
            students=students,
        )
        placements.placement_book(
            student=student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        discussions.discussion_record(
            student=student,
            said="Talked.",
            actions="",
            level=Level.PASTORAL,
            groups=(),
            by=self.bob,
        )
        concerns.concern_raise(student=student, what="Seen upset.", by=self.alice)
        call = OnCallRequest.objects.create(
            raised_by=self.alice,
            reason=OnCallReason.objects.first() or OnCallReason.objects.create(label="Help"),
            raised_at=TEN_FIFTEEN,
            location="Room 1",
        )
        call.students.add(student)
        return incident


class RetentionDefaultsTest(RetentionTestCase):
    def test_it_starts_with_the_irms_defaults(self):
        rules = {r.kind: r for r in RetentionRule.objects.all()}
        self.assertEqual(set(rules), set(RetentionRule.Kind.values))
        student = rules[RetentionRule.Kind.STUDENT]
        self.assertEqual(
            (student.keep_years, student.counted_from, student.action),
            (25, "birth", "delete"),
        )
        self.assertIn("IRMS Information Management Toolkit for Schools", student.source)
        register = rules[RetentionRule.Kind.REGISTER]
        self.assertEqual(register.keep_years, 6)
        self.assertIn("Regulations 2024", register.source)
        # No published period was found for these two: the rule says so rather than cite one.
        for kind in (RetentionRule.Kind.PATROL, RetentionRule.Kind.MESSAGES):
            self.assertTrue(rules[kind].source.startswith("No published period found"), kind)

    def test_the_checked_defaults_migration_leaves_a_rule_the_school_changed(self):
        migration = importlib.import_module("privacy.migrations.0003_retention_defaults_checked")
        fields = migration.FIELDS
        for kind, values in migration.FIRST.items():  # as a school still on the first defaults
            RetentionRule.objects.filter(kind=kind).update(**dict(zip(fields, values, strict=True)))
        RetentionRule.objects.filter(kind=RetentionRule.Kind.REGISTER).update(keep_years=4)

        migration.to_checked(django_apps, None)

        rules = {r.kind: r for r in RetentionRule.objects.all()}
        self.assertEqual(rules["register"].keep_years, 4)  # the school's choice stays
        self.assertIn("Regulations 2006", rules["register"].source)
        self.assertIn("Toolkit for Schools", rules["student"].source)
        self.assertTrue(rules["messages"].source.startswith("No published period found"))
        # The service's defaults are the migration's, so a new school starts where others moved.
        for kind, values in retention.DEFAULTS.items():
            self.assertEqual(migration.CHECKED[kind], tuple(values[f] for f in fields), kind)


class StudentRemovalTest(RetentionTestCase):
    def setUp(self):
        super().setUp()
        self.former = make_student(
            upn="F123456789012",
            first="Old",
            last="Leaver",
            date_of_birth=dt.date(1999, 5, 1),
        )
        self.classmate = make_student(upn="C123456789012", first="Cara", last="Stays")
        self.shared = self.give_history(self.former, with_other=self.classmate)
        Student.objects.filter(pk=self.former.pk).update(left_on=dt.date(2016, 7, 20))

    def test_a_dry_run_reports_and_changes_nothing(self):
        out = io.StringIO()
        call_command("apply_retention", stdout=out)
        text = out.getvalue()
        self.assertIn(f"#{self.former.pk} Old Leaver", text)
        self.assertIn("would remove or anonymise: students to remove: 1", text)
        self.assertIn("Nothing was changed", text)
        self.assertTrue(Student.objects.filter(pk=self.former.pk).exists())
        self.assertFalse(AuditEvent.objects.filter(detail__retention="student removed").exists())

    def test_apply_removes_the_student_and_their_history_and_is_audited(self):
        on_roll_history = self.give_history(self.student)
        out = io.StringIO()
        call_command("apply_retention", "--apply", "--by", "fay", stdout=out)
        self.assertFalse(Student.objects.filter(pk=self.former.pk).exists())
        self.assertFalse(Placement.objects.filter(student_id=self.former.pk).exists())
        self.assertFalse(Referral.objects.filter(student_id=self.former.pk).exists())
        self.assertFalse(Discussion.objects.filter(student_id=self.former.pk).exists())
        self.assertFalse(StateChange.objects.filter(student_id=self.former.pk).exists())
        # The incident they shared stays the classmate's, without them.
        self.assertEqual(
            list(
                IncidentStudent.objects.filter(incident=self.shared).values_list(
                    "student", flat=True
                )
            ),
            [self.classmate.pk],
        )
        # The student on roll keeps everything.
        self.assertTrue(Incident.objects.filter(pk=on_roll_history.pk).exists())
        self.assertEqual(Placement.objects.filter(student=self.student).count(), 1)
        event = AuditEvent.objects.get(detail__retention="student removed")
        self.assertEqual((event.user, event.detail["student_id"]), (self.fay, self.former.pk))
        self.assertIn("placements", event.detail["records"])

    def test_a_former_student_with_a_restorative_meeting_is_removed(self):
        restorative.restorative_meeting_plan(
            student=self.former,
            affected_staff=self.alice.staff,
            affected_student=self.classmate,
            starts_at=dt.datetime(2016, 3, 1, 12, 30, tzinfo=dt.UTC),
            place="Year 9 office",
            facilitator=None,
            by=self.bob,
        )
        steps = {s.kind: s for s in retention.retention_apply(apply=True, by=self.fay)}
        self.assertEqual(steps["student"].problems, [])
        self.assertEqual(steps["student"].counts.get("restorative meetings"), 1)
        self.assertFalse(Student.objects.filter(pk=self.former.pk).exists())
        self.assertFalse(RestorativeMeeting.objects.exists())

    def test_a_student_still_on_roll_or_young_is_kept(self):
        recent = make_student(
            upn="R123456789012",
            first="Recent",
            last="Leaver",
            date_of_birth=dt.date(2008, 1, 1),
            left_on=dt.date(2024, 7, 20),
        )
        retention.retention_apply(apply=True)
        self.assertTrue(Student.objects.filter(pk=recent.pk).exists())
        self.assertTrue(Student.objects.filter(pk=self.student.pk).exists())
        self.assertFalse(Student.objects.filter(pk=self.former.pk).exists())


class RecordRetentionTest(RetentionTestCase):
    def steps(self, steps):
        return {s.kind: s for s in steps}

    def test_old_on_call_calls_are_anonymised_and_recent_ones_kept(self):
        self.give_history(self.student)
        old = OnCallRequest.objects.create(
            raised_by=self.alice,
            reason=OnCallReason.objects.first(),
            raised_at=TEN_FIFTEEN - dt.timedelta(days=4 * 365),
            location="Room 2",
            note="Jayden threw a book",
        )
        old.students.add(self.student)
        steps = {s.kind: s for s in retention.retention_apply(apply=False)}
        self.assertEqual(steps["patrol"].counts, {"on-call calls anonymised": 1})
        self.assertEqual(old.students.count(), 1)
        retention.retention_apply(apply=True, by=self.fay)
        old.refresh_from_db()
        self.assertEqual((old.students.count(), old.note), (0, ""))
        self.assertEqual(OnCallRequest.objects.filter(students=self.student).count(), 1)
        event = AuditEvent.objects.get(detail__retention="patrol")
        self.assertEqual(event.detail["counts"], {"on-call calls anonymised": 1})

    def test_old_register_marks_are_deleted(self):
        placement = placements.placement_book(
            student=self.student, provision=self.ie, days=1, by=self.bob, start_on=WEDNESDAY
        )
        day = placement.days.get()
        AttendanceMark.objects.create(
            placement_day=day, session="am", kind="present", recorded_by=self.bob, at=TEN_FIFTEEN
        )
        self.assertEqual(self.steps(retention.retention_apply(apply=True))["register"].counts, {})
        three_years_on = WEDNESDAY + dt.timedelta(days=3 * 366)
        steps = retention.retention_apply(apply=True, today=three_years_on)
        self.assertEqual(self.steps(steps)["register"].counts, {})  # kept 6 years since 2024
        later = WEDNESDAY + dt.timedelta(days=6 * 366)
        steps = retention.retention_apply(apply=True, today=later)
        self.assertEqual(self.steps(steps)["register"].counts, {"register marks": 1})
        self.assertFalse(AttendanceMark.objects.filter(placement_day=day).exists())


class RetentionScheduleAdminTest(RetentionTestCase):
    def test_the_data_manager_changes_a_period_in_school_settings(self):
        from conduct.roles import ensure_role_groups

        ensure_role_groups()
        rule = RetentionRule.objects.get(kind=RetentionRule.Kind.REGISTER)
        self.login(self.fay)
        url = f"/admin/privacy/retentionrule/{rule.pk}/change/"
        self.assertContains(self.client.get("/admin/privacy/retentionrule/"), "Toolkit for Schools")
        response = self.client.post(
            url,
            {
                "kind": rule.kind,
                "keep_years": 6,
                "counted_from": rule.counted_from,
                "action": rule.action,
                "source": "Our records policy: 6 years",
            },
        )
        self.assertEqual(response.status_code, 302)
        rule.refresh_from_db()
        self.assertEqual((rule.keep_years, rule.updated_by), (6, self.fay))
        self.login(self.bob)
        self.assertNotEqual(self.client.get(url).status_code, 200)
