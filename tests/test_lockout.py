"""Password guessing is stopped: a username or an address is locked after repeated failures,
the lock-out is in the audit log, and the data manager can see and lift it."""

from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from tests.base import PASSWORD, ConductTestCase, people_by_role

WRONG = "not-the-password"


class LockoutTest(ConductTestCase):
    def sign_in(self, username, password, *, address="203.0.113.9", path="login"):
        return self.client.post(
            reverse(path), {"username": username, "password": password}, REMOTE_ADDR=address
        )

    def test_it_refuses_the_right_password_after_five_wrong_ones(self):
        for _ in range(4):
            self.assertEqual(self.sign_in("bob", WRONG).status_code, 200)
        # The fifth failure pauses signing in, and says so at once.
        self.assertContains(self.sign_in("bob", WRONG), "Signing in is paused", status_code=429)
        response = self.sign_in("bob", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Signing in is paused", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_locks_the_username_whatever_the_address(self):
        for number in range(5):
            self.sign_in("bob", WRONG, address=f"198.51.100.{number}")
        self.assertEqual(self.sign_in("bob", PASSWORD, address="192.0.2.1").status_code, 429)
        # Another account from the same addresses is not locked by Bob's.
        response = self.sign_in("alice", PASSWORD, address="198.51.100.1")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    @override_settings(LOGIN_FAILURES_PER_ADDRESS=8)
    def test_it_locks_an_address_that_tries_many_usernames(self):
        for number in range(8):
            self.sign_in(f"guess{number}", WRONG)
        self.assertEqual(self.sign_in("alice", PASSWORD).status_code, 429)
        response = self.sign_in("alice", PASSWORD, address="192.0.2.1")
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_sends_the_admin_sign_in_to_the_one_protected_sign_in_page(self):
        response = self.client.post(
            reverse("admin:login") + "?next=/admin/",
            {"username": "fay", "password": PASSWORD},
        )
        self.assertRedirects(response, "/login/?next=/admin/", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        for _ in range(5):
            self.sign_in("fay", WRONG)
        self.assertEqual(self.sign_in("fay", PASSWORD).status_code, 429)

    def test_it_lets_a_colleague_who_mistyped_once_carry_on(self):
        for _ in range(4):
            self.sign_in("bob", WRONG)
        response = self.sign_in("bob", PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        self.client.logout()
        # A success clears the count: four more typos don't lock him.
        for _ in range(4):
            self.sign_in("bob", WRONG)
        self.assertEqual(self.sign_in("bob", PASSWORD).status_code, 302)

    def test_it_writes_the_lock_out_once_with_the_username_and_address(self):
        for _ in range(7):
            self.sign_in("bob", WRONG)
        locks = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKED_OUT)
        self.assertEqual(locks.count(), 1)
        self.assertEqual(locks[0].detail["username"], "bob")
        self.assertEqual(locks[0].ip_address, "203.0.113.9")
        self.assertEqual(
            AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED).count(), 7
        )

    def test_it_shows_the_username_tried_in_the_audit_log(self):
        self.sign_in("bbo", WRONG)
        self.login(self.dana)
        response = self.client.get(reverse("audit-log"), {"view": "sign-ins"})
        self.assertContains(response, "Failed sign-in")
        self.assertContains(response, "Username tried: bbo")
        response = self.client.get(reverse("audit-log"), {"view": "sign-ins", "who": "bbo"})
        self.assertContains(response, "Username tried: bbo")

    def test_it_shows_the_data_manager_who_is_locked_and_unlocks_them(self):
        for _ in range(5):
            self.sign_in("bob", WRONG)
        self.login(self.fay)
        response = self.client.get(reverse("locked-accounts"))
        self.assertContains(response, "Username <strong>bob</strong> (Bob Patel)", html=False)
        response = self.client.post(
            reverse("account-unlock"), {"kind": "account", "key": "bob"}, follow=True
        )
        self.assertContains(response, "Unlocked bob")
        self.assertContains(response, "Nothing is locked.")
        unlock = AuditEvent.objects.get(action=AuditEvent.Action.UNLOCKED)
        self.assertEqual((unlock.username, unlock.detail["username"]), ("fay", "bob"))
        self.client.logout()
        response = self.sign_in("bob", PASSWORD)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)

    def test_it_lists_the_locks_in_a_fixed_number_of_queries(self):
        for number in range(5):
            self.sign_in("bob", WRONG)
            self.sign_in("alice", WRONG, address=f"192.0.2.{number}")
        self.login(self.fay)
        # session, user, roles; attempts by username, their accounts, attempts by address; the page
        with self.assertNumQueries(8):
            response = self.client.get(reverse("locked-accounts"))
        self.assertContains(response, "Username <strong>alice</strong> (Alice Teague)")

    def test_it_lets_only_the_data_manager_unlock(self):
        for _ in range(5):
            self.sign_in("bob", WRONG)
        for person in people_by_role(self).values():
            if person in (self.fay, self.bob):
                continue  # the data manager may; Bob signing in would clear his own count
            with self.subTest(person=person.username):
                self.login(person)
                response = self.client.post(
                    reverse("account-unlock"), {"kind": "account", "key": "bob"}
                )
                self.assertEqual(response.status_code, 403)
        self.client.logout()
        self.assertEqual(self.sign_in("bob", PASSWORD).status_code, 429)

    def test_it_keeps_no_password_and_no_second_log_of_sign_ins(self):
        from axes.models import AccessAttempt, AccessLog

        self.sign_in("bob", "my-secret-guess")
        self.sign_in("alice", PASSWORD)
        self.assertNotIn("my-secret-guess", AccessAttempt.objects.get().post_data)
        self.assertEqual(AccessLog.objects.count(), 0)
