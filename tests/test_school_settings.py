"""School settings (the Django admin) for the data manager, and the role groups behind it."""

from django.contrib.auth.models import Group
from django.urls import reverse

from conduct.roles import Role, has_role, roles_of
from tests.base import ConductTestCase


class SchoolSettingsTest(ConductTestCase):
    def test_it_lets_the_data_manager_configure_the_school(self):
        self.login(self.fay)
        index = self.client.get(reverse("admin:index"))
        for model in ["Students", "Staff", "Periods", "Terms", "Academic years", "Classes"]:
            self.assertContains(index, model)
        response = self.client.get(reverse("admin:school_student_changelist"))
        self.assertContains(response, "A123456789012")
        response = self.client.get(reverse("admin:school_school_change", args=[self.school.pk]))
        self.assertContains(response, "Northfield Academy")

    def test_it_keeps_the_audit_log_read_only_even_for_the_data_manager(self):
        self.login(self.fay)
        self.assertEqual(
            self.client.get(reverse("admin:audit_auditevent_changelist")).status_code, 200
        )
        self.assertEqual(self.client.get(reverse("admin:audit_auditevent_add")).status_code, 403)

    def test_it_keeps_other_roles_out_of_school_settings(self):
        self.login(self.evan)
        response = self.client.get(reverse("admin:school_student_changelist"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_it_has_a_group_for_every_role_and_reads_roles_from_them(self):
        self.assertEqual(set(Group.objects.values_list("name", flat=True)), set(Role.values))
        self.assertEqual(roles_of(self.charlie), {Role.PASTORAL, Role.TEACHER})
        self.assertTrue(has_role(self.dana, Role.DSL))
        self.assertFalse(has_role(self.olive, *Role.values))
