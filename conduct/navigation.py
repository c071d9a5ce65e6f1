"""What the signed-in person may open, for templates: the main menu and the `may` flags.

Templates never test roles: they ask `may.<flag>`, each flag one named predicate from an app's
policies, evaluated once per request and only when a template asks for it. Decisions about one
record (this on-call request, this placement) are made in the view and passed as flags.
"""

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

    def __getattr__(self, flag: str) -> bool:
        if flag.startswith("_"):
            raise AttributeError(flag)
        if flag not in self._known:
            predicate = FLAGS.get(flag)
            if predicate is None:
                # A typo in a template must not silently hide or show a control.
                raise AttributeError(f"no permission flag {flag!r} in conduct.navigation.FLAGS")
            self._known[flag] = bool(predicate(self._user))
        return self._known[flag]


# The main menu in order; an item shows when its flag allows and (for Patrol) the first page of
# that part of the app the person may open.
DEPARTMENT_PAGES = ("work-department", "programme-list", "programme-detail", "programme-task-edit")
PATROL_PAGES = ("patrol-home", "watch-list", "found-out-of-lessons", "rota", "sent-out-new")


def menu_items(may: May) -> list[tuple[str, str, frozenset[str]]]:
    """The main menu's items `may` opens, each as (label, url name, the pages it is current on).
    The inbox's label is "Inbox" here: `Menu` adds the unread count."""
    items: list[tuple[str, str, frozenset[str]]] = [("Today", "home", frozenset({"home"}))]
    if may.answer_on_call:
        items.append(("On-call", "on-call-queue", frozenset({"on-call-queue", "on-call-detail"})))
    elif may.raise_on_call:
        items.append(("Call for help", "on-call-raise", frozenset({"on-call-raise"})))
    patrol_first = next(
        (
            name
            for name, allowed in (
                ("patrol-home", may.patrol),
                ("watch-list", may.view_watch_list),
                ("found-out-of-lessons", may.view_found_out_of_lessons),
                ("rota", may.view_rota),
            )
            if allowed
        ),
        None,
    )
    if patrol_first:
        items.append(("Patrol", patrol_first, frozenset(PATROL_PAGES) | {"drop-in-new"}))
    if may.view_own_students_out:
        items.append(("My students out", "my-students-out", frozenset({"my-students-out"})))
    if may.set_work:
        items.append(("Work", "work-to-set", frozenset({"work-to-set", "work-set"})))
    if may.view_department_work:
        items.append(("Department work", "work-department", frozenset(DEPARTMENT_PAGES)))
    if may.view_students:
        items.append(("Students", "student-list", frozenset({"student-list", "student-detail"})))
    if may.refer:
        items.append(
            ("Referrals", "referral-list", frozenset({"referral-list", "referral-detail"}))
        )
    if may.view_messages:
        items.append(("Messages", "message-list", frozenset({"message-list", "message-detail"})))
    if may.view_reports:
        items.append(
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
            )
        )
    if may.act_on_concerns:
        items.append(("Concerns", "concern-list", frozenset({"concern-list", "concern-detail"})))
    if may.view_inbox:
        items.append(("Inbox", "inbox", frozenset({"inbox"})))
    if may.import_roster:
        items.append(("Import", "roster-import", frozenset({"roster-import"})))
    if may.open_school_settings:
        items.append(("School settings", "admin:index", frozenset()))
    if may.view_audit_log:
        items.append(("Audit log", "audit-log", frozenset({"audit-log"})))
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

    @property
    def home_url(self) -> str:
        return _address(_addresses(), "home")

    @property
    def account_url(self) -> str:
        return _address(_addresses(), "account")

    @property
    def sign_out_url(self) -> str:
        return _address(_addresses(), "logout")

    def __str__(self) -> str:
        if self._user is None:
            return ""
        addresses = _addresses()
        html = []
        for label, name, section in menu_items(self._may):
            if name == "inbox":
                unread = notify_selectors.unread_notice_count(self._user)
                if unread:
                    label = f"Inbox ({unread} unread)"
            url = escape(_address(addresses, name))
            current = ' aria-current="page"' if self._current in section else ""
            html.append(f'<li><a href="{url}"{current}>{escape(label)}</a></li>')
        return mark_safe("".join(html))  # the labels and addresses are escaped above


_menu_urls: dict[str, dict[str, str]] = {}


def _addresses() -> dict[str, str]:
    """The menu's and the header's addresses under this request's script prefix, by url name,
    each reversed once per process by `_address` (the menu's pages take no arguments, and every
    page shows the menu)."""
    return _menu_urls.setdefault(get_script_prefix(), {})


def _address(addresses: dict[str, str], name: str) -> str:
    url = addresses.get(name)
    if url is None:
        url = addresses[name] = reverse(name)
    return url


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
