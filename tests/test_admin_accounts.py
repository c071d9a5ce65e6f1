"""In School settings the data manager gives roles and manages accounts, but reads no parents'
messages, makes nobody a superuser and gives themselves nothing; every change of an account or
its roles is in the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEvent
from conduct.roles import Role, roles_of
from notify.models import Message
from tests.base import ConductTestCase

User = get_user_model()


class AdminAccountsTest(ConductTestCase):
    def setUp(self):
        self.login(self.fay)

    def change(self, user, **fields):
        data = {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": "on",
            "groups": [g.pk for g in user.groups.all()],
        } | fields
        return self.client.post(reverse("admin:auth_user_change", args=[user.pk]), data)

    def group_ids(self, *roles):
        return list(Group.objects.filter(name__in=roles).values_list("pk", flat=True))

    def test_it_keeps_parents_messages_from_the_data_manager(self):
        letter = Message.objects.create(channel="letter", address="1 Mill Lane", subject="Hi")
        for url in (
            reverse("admin:notify_message_changelist"),
            reverse("admin:notify_message_change", args=[letter.pk]),
        ):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 403)
        self.assertNotContains(self.client.get(reverse("admin:index")), "Messages</a>")

    def test_it_makes_nobody_a_superuser(self):
        response = self.change(self.alice, is_superuser="on", is_staff="on")
        self.assertEqual(response.status_code, 302)
        self.alice.refresh_from_db()
        self.assertFalse(self.alice.is_superuser)
        self.assertFalse(self.alice.is_staff)

    def test_it_gives_the_data_manager_nothing_more_for_themselves(self):
        self.change(self.fay, groups=self.group_ids(Role.ADMIN, Role.DSL), is_superuser="on")
        self.fay.refresh_from_db()
        self.assertEqual(roles_of(User.objects.get(pk=self.fay.pk)), {Role.ADMIN})
        self.assertFalse(self.fay.is_superuser)
        # Nor changes what a role may do.
        admin_group = Group.objects.get(name=Role.ADMIN)
        response = self.client.post(
            reverse("admin:auth_group_change", args=[admin_group.pk]),
            {"name": "admin", "permissions": []},
        )
        self.assertEqual(response.status_code, 403)

    def test_it_leaves_a_superusers_account_alone(self):
        root = User.objects.create_superuser("root", "root@school.example", "a-long-passphrase")
        response = self.change(root, is_active="")
        self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("admin:auth_user_password_change", args=[root.pk]),
            {"password1": "taken-over-now", "password2": "taken-over-now"},
        )
        self.assertEqual(response.status_code, 403)
        root.refresh_from_db()
        self.assertTrue(root.is_active)
        self.assertTrue(root.check_password("a-long-passphrase"))

    def test_it_writes_a_change_of_roles_to_the_audit_log(self):
        response = self.change(self.alice, groups=self.group_ids(Role.TEACHER, Role.DSL, Role.SLT))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(roles_of(User.objects.get(pk=self.alice.pk)), {"teacher", "dsl", "slt"})
        event = AuditEvent.objects.get(action=AuditEvent.Action.ROLES_CHANGED)
        self.assertEqual(event.username, "fay")
        self.assertEqual(event.detail["added"], ["dsl", "slt"])
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"), {"view": "sign-ins", "who": "alice"})
        self.assertContains(response, "Changed roles")
        self.assertContains(response, "roles given: dsl, slt")

    def test_it_makes_a_new_data_manager_able_to_open_school_settings(self):
        self.change(self.gita, groups=self.group_ids(Role.ATTENDANCE, Role.ADMIN))
        self.gita.refresh_from_db()
        self.assertTrue(self.gita.is_staff)
        self.change(self.gita, groups=self.group_ids(Role.ATTENDANCE))
        self.gita.refresh_from_db()
        self.assertFalse(self.gita.is_staff)

    def test_it_writes_accounts_made_disabled_and_given_passwords(self):
        self.change(self.alice, is_active="")
        changed = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_CHANGED)
        self.assertEqual(changed.detail["changed"], {"is_active": [True, False]})
        response = self.client.post(
            reverse("admin:auth_user_add"),
            {
                "username": "newbie",
                "usable_password": "true",
                "password1": "a-long-passphrase",
                "password2": "a-long-passphrase",
            },
        )
        self.assertEqual(response.status_code, 302)
        made = AuditEvent.objects.get(action=AuditEvent.Action.ACCOUNT_CREATED)
        self.assertEqual(made.detail["username"], "newbie")
        newbie = User.objects.get(username="newbie")
        response = self.client.post(
            reverse("admin:auth_user_password_change", args=[newbie.pk]),
            {
                "usable_password": "true",
                "password1": "another-passphrase",
                "password2": "another-passphrase",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(AuditEvent.objects.filter(action="password_set", username="fay").exists())
        self.login(self.evan)
        response = self.client.get(reverse("audit-log"), {"view": "sign-ins"})
        for text in ("Made an account", "Changed an account", "Set someone&#x27;s password"):
            self.assertContains(response, text)
