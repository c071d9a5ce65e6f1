"""The main menu and the templates' permission flags: templates ask policies, never roles."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from conduct.roles import Role
from tests.base import ConductTestCase

ROLE_CODES = "|".join(Role.values)
# {% if 'teacher' in my_roles %}, {% if "slt" in roles %}, {% if roles.admin %} ...
ROLE_TEST = re.compile(rf"""(['"]({ROLE_CODES})['"]\s+(not\s+)?in\b)|\bmy_roles\b|\broles\.""")


def template_files():
    roots = [Path(settings.BASE_DIR)]
    for root in roots:
        for path in root.glob("*/templates/**/*.html"):
            if ".venv" not in path.parts:
                yield path


class TemplatesAskPoliciesTest(ConductTestCase):
    def test_it_finds_no_role_named_in_any_template(self):
        offenders = []
        for path in template_files():
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if ROLE_TEST.search(line):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
        self.assertEqual(offenders, [], "templates must ask `may.<flag>`, not roles")

    def test_it_marks_only_the_page_you_are_on_in_the_menu(self):
        for person in (self.alice, self.bob, self.charlie, self.evan, self.gita, self.fay):
            with self.subTest(person=person.username):
                self.login(person)
                html = self.client.get(reverse("home")).content.decode()
                menu = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
                current = re.findall(r'aria-current="page">([^<]+)<', menu)
                self.assertEqual(current, ["Today"])

    def test_it_shows_each_person_only_the_menu_items_they_may_open(self):
        expected = {
            self.alice: [
                "Today",
                "Call for help",
                "Patrol",
                "My students out",
                "Work",
                "Students",
                "Referrals",
                "Inbox",
            ],
            self.bob: [
                "Today",
                "On-call",
                "Patrol",
                "Students",
                "Referrals",
                "Messages",
                "Reports",
                "Inbox",
            ],
            self.gita: ["Today", "Call for help", "Patrol", "Students", "Inbox"],
            self.fay: [
                "Today",
                "Call for help",
                "Patrol",
                "Students",
                "Inbox",
                "Import",
                "School settings",
                "Audit log",
            ],
        }
        for person, labels in expected.items():
            with self.subTest(person=person.username):
                self.login(person)
                html = self.client.get(reverse("home")).content.decode()
                menu = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
                self.assertEqual(re.findall(r'<a href="[^"]+"[^>]*>([^<]+)</a>', menu), labels)


class PagesSeeTheUserItselfTest(ConductTestCase):
    """A page asks `request.user` hundreds of times (policies, the menu): it is the user itself,
    not a lazy object around it (conduct/middleware.py LoginRequiredEverywhere), and no
    middleware after it wraps it again."""

    def test_a_page_sees_an_unwrapped_user_with_its_second_factor_fields(self):
        self.login(self.alice)
        response = self.client.get(reverse("home"))
        user = response.wsgi_request.user
        self.assertIs(type(user), type(self.alice))
        self.assertEqual(user.pk, self.alice.pk)
        self.assertFalse(user.is_verified())  # django-otp's fields, set before it was unwrapped
