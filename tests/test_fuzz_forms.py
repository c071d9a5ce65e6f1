"""Every form, fuzzed (issue 13): each page of the permission matrix is opened by a person allowed
it, and every form on it that posts is sent random and crafted values (hypothesis). No post may
answer a server error, and a refused post must write nothing."""

import html.parser
import urllib.parse

from django.apps import apps
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conduct.roles import roles_of
from tests.base import people_by_role
from tests.test_permissions import MATRIX, OWNERS, PUBLIC, MatrixPeopleAndRecords

# Values that broke or could break a form: not-ASCII digits, ids past any integer column, dates
# at the ends of the calendar, times that aren't, a text past every limit, a NUL.
CRAFTED = [
    "",
    "²",
    "9" * 20,
    "-1",
    "0",
    "1.5",
    "0001-01-01",
    "9999-12-31",
    "01/01/0001 10:00",
    "0001-01-01T00:00",
    "25:99",
    "x" * 20_000,
    "\x00",
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
]
# Pages that are files, not forms; and forms that end the session or the device's use.
SKIP_PAGES = {"marks-export", "register-pdf", "message-letter-pdf", "reports-half-term-export"}
SKIP_PAGES |= {"on-call-queue-json", "work-pack", "admin:index", "student-reads"}
SKIP_ACTIONS = ("/logout/", "/admin/", "/account/", "/login/", "/two-factor", "/password")
SKIP_ACTIONS += ("/reflection/",)
# Rows written by reading, not by the form: who read what, sessions, sign-in records; and the
# record of a roster import, kept even when the import is refused (by design).
NOT_WRITES = {"audit.auditevent", "sessions.session", "school.importrun"}
EXAMPLES = 3


class FormsOnPage(html.parser.HTMLParser):
    """The page's POST forms: action and each field's name with the values the page offers."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = (a.get("action") or "", {})
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form[1]
        name = a.get("name")
        if tag in ("input", "button") and name:
            fields.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            fields.setdefault(name, []).append("Words")
        elif tag == "select" and name:
            self._select = fields.setdefault(name, [])
        elif tag == "option" and self._select is not None:
            self._select.append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def allowed_person(case, name):
    allowed = MATRIX[name]
    for role, person in people_by_role(case).items():
        if (roles_of(person) | {role}) & allowed:
            return person
    owners = OWNERS.get(name)
    if owners:
        return next(p for p in people_by_role(case).values() if p.username in owners)
    return None


def row_counts() -> dict[str, int]:
    return {
        m._meta.label_lower: m.objects.count()
        for m in apps.get_models()
        if m._meta.label_lower not in NOT_WRITES and not m._meta.label_lower.startswith("axes.")
    }


class FuzzFormsTest(MatrixPeopleAndRecords):
    def forms(self):
        """(page, person, action, fields) for every POST form on every page of the matrix."""
        found = []
        for name, allowed in MATRIX.items():
            if allowed == PUBLIC or name in SKIP_PAGES:
                continue
            person = allowed_person(self, name)
            if person is None:
                continue
            self.client.force_login(person)
            url = self.url(name)
            response = self.client.get(url)
            if response.status_code != 200 or "html" not in response["Content-Type"]:
                continue
            parser = FormsOnPage()
            parser.feed(response.content.decode())
            for action, fields in parser.forms:
                action = urllib.parse.urljoin(url, action or url)
                if any(part in action for part in SKIP_ACTIONS):
                    continue
                found.append((name, person, action, fields))
        return found

    def test_no_form_answers_a_server_error_and_a_refused_one_writes_nothing(self):
        self.client.raise_request_exception = False
        forms = self.forms()
        self.assertGreater(len({action for _, _, action, _ in forms}), 20)
        problems = []
        for name, person, action, fields in forms:
            self.client.force_login(person)
            self.fuzz(name, action, fields, problems)
        self.assertEqual(problems, [], "\n".join(problems))

    def fuzz(self, name, action, fields, problems):
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(st.data())
        def post(data):
            values = {}
            for field, offered in fields.items():
                if field == "csrfmiddlewaretoken":
                    continue
                choices = [v for v in offered if v] or [""]
                values[field] = data.draw(
                    st.one_of(
                        st.sampled_from(choices),
                        st.sampled_from(CRAFTED),
                        st.text(max_size=30),
                    ),
                    label=field,
                )
            with transaction.atomic():
                before = row_counts()
                response = self.client.post(action, values)
                after = row_counts()
                transaction.set_rollback(True)
            status = response.status_code
            refused = status >= 400 or b'class="error-summary"' in response.content
            if status >= 500:
                problems.append(f"{action} ({name}) {values!r:.300} → {status}")
            elif refused and status != 413 and before != after:
                changed = {k for k in before if before[k] != after[k]}
                problems.append(f"{action} ({name}) refused ({status}) but wrote {changed}")

        post()
