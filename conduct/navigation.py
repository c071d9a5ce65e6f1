"""What the signed-in person may open, for templates: the main menu and the `may` flags.

Templates never test roles: they ask `may.<flag>`, each flag one named predicate from an app's
policies, evaluated once per request and only when a template asks for it. Decisions about one
record (this on-call request, this placement) are made in the view and passed as flags.
"""

from functools import cached_property, lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts import policies as accounts_policies
from audit import policies as audit_policies
from notify import policies as notify_policies
from notify import selectors as notify_selectors
from pastoral import policies as pastoral_policies
from patrol import policies as patrol_policies
from privacy import policies as privacy_policies
from reports import policies as reports_policies
from sanctions import policies as sanctions_policies
from school import policies as school_policies
from work import policies as work_policies

# flag -> predicate(user). A template asks e.g. {% if may.refer %}.
FLAGS = {
    "view_students": school_policies.can_view_students,
    "view_student_sensitive": school_policies.can_view_student_sensitive,
    "import_roster": school_policies.can_import_roster,
    "open_school_settings": school_policies.can_open_school_settings,
    "view_audit_log": audit_policies.can_view_audit_log,
    "manage_accounts": accounts_policies.can_manage_accounts,
    "view_student_reads": audit_policies.can_view_student_reads,
    "request_subject_access": privacy_policies.can_request_subject_access,
    "correct_records": privacy_policies.can_correct_records,
    "refer": sanctions_policies.can_refer,
    "run_rooms": sanctions_policies.can_run_rooms,
    "view_rooms": sanctions_policies.can_view_rooms,
    "export_marks": sanctions_policies.can_export_marks,
    "send_digest": sanctions_policies.can_send_digest,
    "view_own_students_out": sanctions_policies.can_view_own_students_out,
    "view_messages": notify_policies.can_view_messages,
    "contact_families": pastoral_policies.can_contact_families,
    "raise_on_call": patrol_policies.can_raise_on_call,
    "answer_on_call": patrol_policies.can_answer_on_call,
    "patrol": patrol_policies.can_patrol,
    "log_sent_out": patrol_policies.can_log_sent_out,
    "view_watch_list": patrol_policies.can_view_watch_list,
    "view_found_out_of_lessons": patrol_policies.can_view_found_out_of_lessons,
    "view_rota": patrol_policies.can_view_rota,
    "set_work": work_policies.can_set_work,
    "record_work": work_policies.can_record_work,
    "view_department_work": work_policies.can_view_department_work,
    "keep_programmes": work_policies.can_keep_programmes,
    "view_reports": reports_policies.can_view_dashboard,
    "view_half_term_report": reports_policies.can_view_half_term_report,
    "view_inbox": notify_policies.can_view_inbox,
    "hold_interviews": pastoral_policies.can_hold_interviews,
    "record_discussions": pastoral_policies.can_record_discussions,
    "raise_concerns": pastoral_policies.can_raise_concerns,
    "act_on_concerns": pastoral_policies.can_act_on_concerns,
}


class May:
    """`may.refer` in a template: the flag's predicate for this user, asked once."""

    def __init__(self, user):
        self._user = user
        self._known: dict[str, bool] = {}

    def __getitem__(self, flag: str) -> bool:
        # A template looks `may.refer` up as `may["refer"]` first: answered here, without the
        # failed lookups before `__getattr__` (every page asks a dozen flags for its menu).
        known = self._known.get(flag)
        if known is None:
            predicate = FLAGS.get(flag)
            if predicate is None:
                raise KeyError(flag)
            known = self._known[flag] = bool(predicate(self._user))
        return known

    def __getattr__(self, flag: str) -> bool:
        if flag.startswith("_"):
            raise AttributeError(flag)
        try:
            return self[flag]
        except KeyError:
            # A typo in a template must not silently hide or show a control.
            raise AttributeError(
                f"no permission flag {flag!r} in conduct.navigation.FLAGS"
            ) from None


# The main menu in order; an item shows when its flag allows and (for Patrol) the first page of
# that part of the app the person may open. Each item is (label, url name, the pages it is
# current on), made once.
DEPARTMENT_PAGES = ("work-department", "programme-list", "programme-detail", "programme-task-edit")
PATROL_PAGES = ("patrol-home", "watch-list", "found-out-of-lessons", "rota", "sent-out-new")
Item = tuple[str, str, frozenset[str]]
TODAY: Item = ("Today", "home", frozenset({"home"}))
ON_CALL: Item = ("On-call", "on-call-queue", frozenset({"on-call-queue", "on-call-detail"}))
CALL_FOR_HELP: Item = ("Call for help", "on-call-raise", frozenset({"on-call-raise"}))
PATROL_SECTION = frozenset(PATROL_PAGES) | {"drop-in-new"}
PATROL_FIRST: tuple[tuple[str, Item], ...] = tuple(
    (flag, ("Patrol", name, PATROL_SECTION))
    for flag, name in (
        ("patrol", "patrol-home"),
        ("view_watch_list", "watch-list"),
        ("view_found_out_of_lessons", "found-out-of-lessons"),
        ("view_rota", "rota"),
    )
)
ITEMS: tuple[tuple[str, Item], ...] = (
    (
        "view_own_students_out",
        ("My students out", "my-students-out", frozenset({"my-students-out"})),
    ),
    ("set_work", ("Work", "work-to-set", frozenset({"work-to-set", "work-set"}))),
    ("view_department_work", ("Department work", "work-department", frozenset(DEPARTMENT_PAGES))),
    ("view_students", ("Students", "student-list", frozenset({"student-list", "student-detail"}))),
    ("refer", ("Referrals", "referral-list", frozenset({"referral-list", "referral-detail"}))),
    ("view_messages", ("Messages", "message-list", frozenset({"message-list", "message-detail"}))),
    (
        "view_reports",
        (
            "Reports",
            "reports-dashboard",
            frozenset(
                {
                    "reports-dashboard",
                    "reports-records",
                    "reports-half-term",
                    "reports-half-term-current",
                }
            ),
        ),
    ),
    (
        "act_on_concerns",
        ("Concerns", "concern-list", frozenset({"concern-list", "concern-detail"})),
    ),
    ("view_inbox", ("Inbox", "inbox", frozenset({"inbox"}))),
    ("import_roster", ("Import", "roster-import", frozenset({"roster-import"}))),
    ("open_school_settings", ("School settings", "admin:index", frozenset())),
    ("view_audit_log", ("Audit log", "audit-log", frozenset({"audit-log"}))),
)


def menu_items(may: May) -> list[Item]:
    """The main menu's items `may` opens, each as (label, url name, the pages it is current on).
    The inbox's label is "Inbox" here: `Menu` adds the unread count."""
    items = [TODAY]
    if may["answer_on_call"]:
        items.append(ON_CALL)
    elif may["raise_on_call"]:
        items.append(CALL_FOR_HELP)
    patrol = next((item for flag, item in PATROL_FIRST if may[flag]), None)
    if patrol:
        items.append(patrol)
    items.extend(item for flag, item in ITEMS if may[flag])
    return items


class Menu:
    """`{{ menu }}` in the layout: the main menu's items as HTML (`<li>` each, the page you are
    on marked), and the header's own addresses (`menu.home_url`...). The items are chosen, and
    the inbox's unread notices counted (one query), only when a page draws the menu: a partial
    page (htmx) does not pay for it. Written here rather than looped over in the template, which
    cost more than choosing them."""

    def __init__(self, user, may: May, current: str | None):
        self._user = user
        self._may = may
        self._current = current

    @cached_property
    def _prefix(self) -> str:
        return get_script_prefix()

    @property
    def home_url(self) -> str:
        return _address(self._prefix, "home")

    @property
    def account_url(self) -> str:
        return _address(self._prefix, "account")

    @property
    def sign_out_url(self) -> str:
        return _address(self._prefix, "logout")

    def __str__(self) -> str:
        if self._user is None:
            return ""
        html = []
        for label, name, section in menu_items(self._may):
            if name == "inbox":
                unread = notify_selectors.unread_notice_count(self._user)
                if unread:
                    label = f"Inbox ({unread} unread)"
            html.append(_item_html(self._prefix, label, name, self._current in section))
        return mark_safe("".join(html))  # each item is escaped by `_item_html`


@lru_cache(maxsize=1024)
def _item_html(prefix: str, label: str, name: str, current: bool) -> str:
    """One item's `<li>`, written once per process (escaping each label and address anew cost
    more than choosing the items)."""
    marked = ' aria-current="page"' if current else ""
    return f'<li><a href="{_address(prefix, name)}"{marked}>{escape(label)}</a></li>'


@lru_cache(maxsize=256)
def _address(prefix: str, name: str) -> str:
    """A page of the menu or the header, escaped, under the script prefix `prefix` (reversed
    once per process: the menu's pages take no arguments, and every page shows the menu)."""
    return escape(reverse(name))


def navigation(request):
    """Context processor: `may` and `menu` for every page."""
    user = getattr(request, "user", None)
    nobody = May(None)
    if user is None or not user.is_authenticated:
        return {"may": nobody, "menu": Menu(None, nobody, None)}
    if request.session.get("two_factor_due") and not user.is_verified():
        # Half-way through signing in: nothing to open until the code is given.
        return {"may": nobody, "menu": Menu(None, nobody, None)}
    match = getattr(request, "resolver_match", None)
    may = May(user)
    return {"may": may, "menu": Menu(user, may, match.view_name if match else None)}
