"""What every page's layout draws, made cheaper for issue 15: the menu's items and flags
(conduct/navigation.py) and the asset tag; and the CSRF token every page carries. Each must give
what Django and the policies gave before."""

import re

from django.middleware.csrf import _unmask_cipher_token
from django.template import Context, Template
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conduct.navigation import May, menu_items
from notify.models import Notice
from tests.base import ConductTestCase

HEADER_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]+)"')
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


class CsrfTokenTest(ConductTestCase):
    def test_a_page_carries_a_fresh_token_for_its_secret_that_a_post_passes_with(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        pages = [client.get(reverse("home")).content.decode() for _ in range(2)]
        secret = client.cookies["csrftoken"].value
        tokens = [HEADER_TOKEN.search(page).group(1) for page in pages]
        self.assertNotEqual(tokens[0], tokens[1])
        for page, token in zip(pages, tokens, strict=True):
            self.assertEqual(FORM_TOKEN.search(page).group(1), token)  # the sign-out form's
            self.assertEqual(_unmask_cipher_token(token), secret)
        self.assertEqual(client.post(reverse("logout")).status_code, 403)
        response = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
        self.assertEqual(response.status_code, 302)

    def test_a_visitor_without_a_secret_gets_one_and_its_cookie_from_django(self):
        client = Client(enforce_csrf_checks=True)
        page = client.get(reverse("login"))
        token = FORM_TOKEN.search(page.content.decode()).group(1)
        self.assertEqual(_unmask_cipher_token(token), page.cookies["csrftoken"].value)


class MenuTest(ConductTestCase):
    def test_a_flag_is_asked_as_a_key_or_an_attribute_and_a_typo_is_an_error(self):
        may = May(self.alice)
        self.assertTrue(may["refer"])
        self.assertTrue(may.refer)
        self.assertFalse(may["view_audit_log"])
        with self.assertRaises(KeyError):
            may["refre"]
        with self.assertRaises(AttributeError):
            may.refre  # noqa: B018

    def test_it_lists_what_the_flags_allow_in_order(self):
        labels = [label for label, _, _ in menu_items(May(self.fay))]
        self.assertEqual(
            labels,
            ["Today", "Call for help", "Patrol", "Students", "Inbox", "Import", "School settings"]
            + ["Audit log"],
        )

    def test_the_inbox_item_follows_the_unread_count(self):
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("home")), "unread)")
        for title in ("One", "Two"):
            Notice.objects.create(
                recipient=self.alice, kind="test", title=title, created_at=timezone.now()
            )
        self.assertContains(self.client.get(reverse("home")), "Inbox (2 unread)")
        Notice.objects.update(read_at=timezone.now())
        home = self.client.get(reverse("home"))
        self.assertNotContains(home, "unread)")
        self.assertContains(home, ">Inbox</a>")


class AssetTagTest(ConductTestCase):
    def test_it_gives_the_static_address_escaped(self):
        html = Template("{% load assets %}{% asset 'conduct/conduct.css' %}").render(Context())
        self.assertEqual(html, static("conduct/conduct.css"))
