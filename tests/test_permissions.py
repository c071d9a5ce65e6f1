"""The permission matrix: every page, for every role, allowed or denied as designed.

A new page must be added to MATRIX or `test_it_covers_every_url` fails.
"""

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conduct.roles import Role
from tests.base import ConductTestCase

EVERY_ROLE = frozenset(Role.values)
PUBLIC = "public"

# url name -> roles allowed (a person with any one of them may open it); PUBLIC for no login.
MATRIX: dict[str, frozenset[str] | str] = {
    "healthz": PUBLIC,
    "login": PUBLIC,
    "home": EVERY_ROLE | {"outsider"},  # shows an outsider only that they have no role
    "student-list": EVERY_ROLE,
    "student-detail": EVERY_ROLE,
    "roster-import": frozenset({Role.ADMIN}),
    "audit-log": frozenset({Role.ADMIN, Role.SLT, Role.DSL}),
    "admin:index": frozenset({Role.ADMIN}),
}
# Not GET pages: logout takes a POST (tested below); the rest of the admin site is Django's own
# and behind admin:index's permission.
NOT_WALKED = {"logout"}


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


class PermissionMatrixTest(ConductTestCase):
    def people(self):
        return {
            Role.TEACHER: self.alice,
            Role.CONDUCT: self.bob,
            Role.PASTORAL: self.charlie,
            Role.DSL: self.dana,
            Role.SLT: self.evan,
            Role.ADMIN: self.fay,
            Role.ATTENDANCE: self.gita,
            Role.CURRICULUM: self.hugo,
            "outsider": self.olive,
        }

    def url(self, name):
        args = {"student-detail": [self.student.pk]}.get(name, [])
        return reverse(name, args=args)

    def test_it_covers_every_url(self):
        names = {n for n in _url_names() if not n.startswith("admin:")} | {"admin:index"}
        unlisted = names - set(MATRIX) - NOT_WALKED
        self.assertEqual(unlisted, set(), "add these pages to the permission matrix")

    def test_it_sends_anonymous_visitors_to_login(self):
        for name, allowed in MATRIX.items():
            with self.subTest(name=name):
                response = self.client.get(self.url(name))
                if allowed == PUBLIC:
                    self.assertEqual(response.status_code, 200)
                else:
                    self.assertEqual(response.status_code, 302)
                    self.assertIn("login", response["Location"])

    def test_it_allows_and_denies_each_role(self):
        for name, allowed in MATRIX.items():
            if allowed == PUBLIC:
                continue
            for role, person in self.people().items():
                with self.subTest(page=name, role=role):
                    self.client.force_login(person)
                    response = self.client.get(self.url(name))
                    if role in allowed:
                        self.assertEqual(response.status_code, 200)
                    elif name.startswith("admin:"):
                        # The admin site shows its own login page to non-staff accounts.
                        self.assertEqual(response.status_code, 302)
                    else:
                        self.assertEqual(response.status_code, 403)

    def test_it_signs_out_with_a_post(self):
        self.client.force_login(self.alice)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("home")).status_code, 302)
