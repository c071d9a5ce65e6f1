"""The audit log's lines say who did what to which record, as text shaped in the selector
(issue 15: the page no longer works each line out in its template)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent, StateChange
from tests.base import SchoolDayTestCase


class AuditLogPageTest(SchoolDayTestCase):
    def event(self, **fields) -> None:
        event = AuditEvent.objects.create(**fields)
        # `at` is set on creation: move it to a summer morning.
        at = dt.datetime(2026, 7, 1, 9, 5, 7, tzinfo=dt.UTC)
        AuditEvent.objects.filter(pk=event.pk).update(at=at)

    def test_it_says_what_an_account_change_did(self):
        self.event(
            username="admin",
            action=AuditEvent.Action.CHANGE,
            object_type="auth.user",
            detail={
                "username": "bea",
                "added": ["dsl", "slt"],
                "removed": ["teacher"],
                "changed": {"email": ["a@x.org", "b@x.org"]},
            },
            ip_address="10.0.0.9",
        )
        self.event(username="", action=AuditEvent.Action.EXPORT, detail={"address": "1 <Mill>"})
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"))
        # British summer time: 09:05 UTC is 10:05 at school.
        self.assertContains(
            response,
            "<tr><td>1 Jul 2026 10:05:07</td><td>admin</td><td>Changed</td><td>Username: bea · "
            "roles given: dsl, slt · roles taken away: teacher · email: a@x.org → b@x.org</td>"
            "<td>10.0.0.9</td></tr>",
            html=True,
        )
        self.assertContains(response, "<td>Address: 1 &lt;Mill&gt;</td>", html=True)
        self.assertContains(response, "<td>—</td>", html=True)

    def test_it_shows_a_change_from_and_to_with_its_note_cut_short(self):
        StateChange.objects.create(
            at=timezone.now(),
            username="carl",
            object_type="sanctions.referral",
            object_id="9",
            object_repr="Referral 9",
            from_value="pending",
            to_value="approved",
            note="x" * 200,
        )
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"), {"view": "changes"})
        # The record before what changed, as the table's head says.
        self.assertContains(
            response,
            "<td>carl</td><td>Referral 9</td><td>pending → approved</td>"
            f"<td>{'x' * 119}…</td></tr>",
        )
        self.assertContains(response, f"<td>{'x' * 119}…</td>", html=True)
