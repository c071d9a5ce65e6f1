"""The home page's to-do panels and lists (and the to-do pages' full lists) written in Python
rather than by template loops: an officer's home page drew some 420 variables in ten loops, most
of what the page cost (issue 15). Each writes what its template wrote, to the whitespace, and
the policies decide its links as the template's `may` flags did."""

import datetime as dt
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from conduct.lib import clock
from conduct.lib.lists import FirstItems
from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from conduct.lib.wording import day_and_time, day_month, short_day
from notify import policies as notify_policies
from pastoral.selectors.interventions import ReviewDue
from pastoral.selectors.interviews import InterviewToDo
from pastoral.selectors.reviews import ReviewToDo
from patrol.selectors.sent_out import VisitToMake
from sanctions import policies as sanctions_policies
from sanctions.selectors.coming_days import Arrival, LetterToCheck, NotTold
from sanctions.selectors.referrals import ReferralRow
from sanctions.selectors.register import RoomToday
from school import policies as school_policies
from school.selectors.people import YearSummary
from school.selectors.timetable import LessonToday
from work.selectors.figures import WorkFigures
from work.selectors.requests import LessonWithoutWork

# Who to ask when the timetable names no teacher (not escaped: the template's own words).
NO_TEACHER = "the class's teacher (none on the timetable)"


def _url(name: str) -> str:
    """`reverse(name)` for a page that takes no arguments, reversed once per process."""
    return url_maker(name, 0)()


def _s(count: int) -> str:
    """`|pluralize`"""
    return "" if count == 1 else "s"


def _list(
    items: list[str], *, empty: str = "", css: str = "plain todo", after: str | None = None
) -> str:
    """A `<ul>` of `items` (each an `<li>`), or of `empty` when there are none; `after`: what
    the template wrote after its loop (an `<li>` or nothing) on a line of its own."""
    lines = items or ([empty] if empty else [])
    body = "".join(f"\n    {line}\n  " for line in lines)
    tail = "" if after is None else f"\n  {after}"
    return f'<ul class="{css}">\n  {body}{tail}\n  </ul>'


def _section(name: str, lines: list[str], *, wide: bool = False) -> SafeString:
    """A panel of the home page, `lines` one under the other (an empty one left blank, as the
    template left a line whose condition was false)."""
    body = "\n  ".join(lines)
    css = "panel wide" if wide else "panel"
    return mark_safe(
        f'<section class="{css}" aria-labelledby="{name}-heading">\n  {body}\n</section>'
    )


def _heading(name: str, title: str, count: int) -> str:
    return f'<h2 id="{name}-heading">{title} <span class="count">{count}</span></h2>'


def _muted(text: str) -> str:
    return f'<li class="muted">{text}</li>'


def _link(url: str, text: str, linked: bool = True) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>' if linked else escape(text)


def waiting_on_others_html(rows: Iterable[ReferralRow]) -> SafeString:
    """Referrals waiting for someone else's decision."""
    items = [
        f'<li>{_link(r.url, r.student_name)} <span class="muted">{escape(r.form)}</span>: '
        f"{escape(r.provision)}, {r.days} day{_s(r.days)}\n"
        f'      <br><span class="muted">{escape(r.raised_by)} · {escape(r.when)} · '
        f"waiting for {escape(r.waiting_for)}</span></li>"
        for r in rows
    ]
    return mark_safe(_list(items, empty=_muted("No referral is waiting for anyone.")))


def arriving_today_html(rows: Iterable[Arrival], *, user) -> SafeString:
    """Students arriving in a room today."""
    students = school_policies.can_view_students(user)
    rooms = sanctions_policies.can_view_rooms(user)
    items = [
        f"<li>{_link(a.student_url, a.row.student_name, students)} "
        f'<span class="muted">{escape(a.row.form)}</span>\n'
        f'      <br><span class="muted">{escape(a.row.provision)} in '
        f"{_link(a.register_url, a.row.room_code, rooms)} · "
        f"{a.lessons_missed} lesson{_s(a.lessons_missed)} missed</span></li>"
        for a in rows
    ]
    return mark_safe(_list(items, empty=_muted("Nobody is booked into a room today.")))


def interviews_to_do_html(rows: Iterable[InterviewToDo], *, user) -> SafeString:
    """Interviews to do (the home page's first few, or all of them), between the blank lines
    the pages had around it when it was a partial template."""
    rooms = sanctions_policies.can_view_rooms(user)
    items = []
    for item in rows:
        register = (
            f" · {_link(item.register_url, f'{item.room_code} register')}"
            if item.room_code and rooms
            else ""
        )
        due = (
            f'<strong class="error">overdue</strong> since {escape(item.due_day)}'
            if item.overdue
            else "today"
        )
        where = f" · in {escape(item.room_code)}" if item.room_code else ""
        items.append(
            f"<li>{escape(item.kind_label)}: {_link(item.url, item.student_name)}{register}\n"
            f'      <br><span class="muted">{due}{where}</span></li>'
        )
    return mark_safe(f"\n  {_list(items, empty=_muted('No interview is due.'))}\n")


def families_not_told_html(rows: Iterable[NotTold]) -> SafeString:
    """Families of students in a room today not told yet."""
    items = []
    for item in rows:
        placed = " · placed today" if item.placed_today else ""
        message = (
            f"{escape(item.message.channel_label.lower())} "
            f"{escape(item.message.status_label.lower())}"
            if item.message
            else "no message"
        )
        items.append(
            f'<li><a href="{escape(item.call_url)}">Phone {escape(item.row.student_name)}\'s '
            "family</a>\n"
            f'      <br><span class="muted">{escape(item.row.provision)} · '
            f"{escape(item.row.room_code)}{placed} · {message}</span></li>"
        )
    empty = _muted("Every family with a student in a room today has been told.")
    return mark_safe(_list(items, empty=empty))


def review_tasks_html(rows: Iterable[ReviewToDo]) -> SafeString:
    """Reviews the school's rules opened."""
    items = [
        f"<li>{_link(task.url, task.title)}\n"
        f'      <br><span class="muted">{escape(task.reason)} · opened '
        f"{escape(task.opened_day)}</span></li>"
        for task in rows
    ]
    return mark_safe(_list(items))


def reviews_due_html(rows: FirstItems[ReviewDue], *, today: dt.date) -> SafeString:
    """Intervention reviews due: the first few, and how many more."""
    items = []
    for item in rows:
        due = (
            f'<strong class="error">overdue</strong> since {escape(item.review_day)}'
            if item.review_on < today
            else f"review by {escape(item.review_day)}"
        )
        items.append(
            f"<li>{_link(item.url, f'{item.student_name}: {item.kind}')}\n"
            f'      <br><span class="muted">{due} · '
            f"{escape(Truncator(item.target).chars(80))}</span></li>"
        )
    more = rows.more
    after = _muted(f"and {more} more: the oldest are shown first.") if more > 0 else ""
    return mark_safe(_list(items, after=after))


def letters_to_check_html(rows: Iterable[LetterToCheck], *, user, today: dt.date) -> SafeString:
    """Family letters to check for today's and the next school day's placements."""
    messages = notify_policies.can_view_messages(user)
    items = []
    for item in rows:
        row = item.row
        if item.message and messages:
            name = _link(item.message_url, row.student_name)
        else:
            name = _link(item.referral_url, row.student_name, bool(item.referral_url))
        day = "<strong>today</strong>" if row.date == today else escape(short_day(row.date))
        letter = (
            f"{escape(item.message.channel_label.lower())} draft to check"
            if item.message
            else '<span class="error">no letter could be drafted</span>: '
            f"{escape(row.parent_notice_problem)}"
        )
        items.append(
            f"<li>{name}\n"
            f'      <br><span class="muted">{escape(row.provision)} from {day} · '
            f"{letter}</span></li>"
        )
    return mark_safe(_list(items, empty=_muted("Every family has been written to.")))


def lessons_without_work_html(
    rows: Iterable[LessonWithoutWork], *, user, today: dt.date
) -> SafeString:
    """Lessons missed with no work yet (the home page's first few, or all of them), between
    the blank lines the pages had around it when it was a partial template."""
    rooms = sanctions_policies.can_view_rooms(user)
    items = []
    for w in rows:
        gap = (
            ' · <strong class="error">deadline passed, no programme to give</strong>'
            if w.is_gap
            else ""
        )
        teacher = escape(w.teacher_name) if w.teacher_name else NO_TEACHER
        items.append(
            f"<li>{_link(w.register_url, w.student_name, rooms)}: {escape(w.class_code)}\n"
            f'      <br><span class="muted">{"today" if w.date == today else escape(w.day)} '
            f"{escape(w.period_code)} · ask {teacher}{gap}</span></li>"
        )
    empty = _muted("Every lesson missed has its work.")
    return mark_safe(f"\n  {_list(items, empty=empty)}\n")


def visits_to_make_html(rows: Iterable[VisitToMake]) -> SafeString:
    """Students sent out today whom nobody has visited yet."""
    items = []
    for s in rows:
        where = (f" from {escape(s.class_code)}" if s.class_code else "") + (
            f" in {escape(s.room_code)}" if s.room_code else ""
        )
        items.append(
            f'<li>{escape(s.student_name)} <span class="muted">{escape(s.form)}</span>\n'
            f'      <br><span class="muted">sent out at {escape(s.sent_at)}{where}</span></li>'
        )
    return mark_safe(_list(items, empty=_muted("Nobody is waiting for a visit.")))


def rooms_today_html(rows: Iterable[RoomToday]) -> SafeString:
    """Each provision room and its places booked today, linked to its register."""
    items = [
        f'<li><a href="{escape(room.url)}">{escape(room.provision)} — {escape(room.room)}</a>: '
        f"{room.booked} of {room.capacity} place{_s(room.capacity)} booked</li>"
        for room in rows
    ]
    empty = "<li>No provision has a room yet: add rooms to each provision in School settings.</li>"
    return mark_safe(_list(items, empty=empty, css="plain"))


def my_lessons_html(rows: Iterable[LessonToday], *, period_id: int | None) -> SafeString:
    """The body of a teacher's lessons today, the lesson on now marked."""
    current = ' class="current"'
    body = "".join(
        f"\n      <tr{current if period_id and slot.period_id == period_id else ''}>\n"
        f'        <td class="nowrap">{escape(slot.period_code)} '
        f'<span class="muted">{escape(slot.starts_at)}</span></td>\n'
        f"        <td>{escape(slot.class_code)} "
        f'<span class="muted">{escape(slot.subject)}</span></td>\n'
        f"        <td>{escape(slot.room_code) if slot.room_code else '—'}</td>\n"
        f'        <td class="num">{slot.students}</td>\n'
        "      </tr>\n    "
        for slot in rows
    )
    return mark_safe(f"<tbody>\n    {body}\n    </tbody>")


YEAR_HEAD = (
    '<thead><tr><th scope="col">Year</th><th scope="col" class="num">On roll</th>'
    '<th scope="col" class="num">SEN support</th><th scope="col" class="num">EHCP</th>'
    '<th scope="col" class="num">FSM</th><th scope="col" class="num">Pupil premium</th>'
    '<th scope="col" class="num">EAL</th><th scope="col" class="num">Looked after</th></tr>'
    "</thead>"
)


def year_table_html(rows: Iterable[YearSummary], *, caption: str) -> SafeString:
    """Students on roll in each year group and how many in each group of need."""
    body = "".join(
        "\n    <tr>\n"
        f'      <th scope="row"><a href="{escape(row.url)}">{escape(row.label)}</a></th>\n'
        f'      <td class="num">{row.on_roll}</td><td class="num">{row.sen_support}</td>'
        f'<td class="num">{row.ehcp}</td>\n'
        f'      <td class="num">{row.fsm}</td><td class="num">{row.pupil_premium}</td>'
        f'<td class="num">{row.eal}</td><td class="num">{row.looked_after}</td>\n'
        "    </tr>\n  "
        for row in rows
    )
    caption = escape(caption)
    return mark_safe(
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="{caption}">\n'
        '<table class="keep-words">\n'
        f'  <caption class="visually-hidden">{caption}</caption>\n'
        f"  {YEAR_HEAD}\n"
        f"  <tbody>\n  {body}\n  </tbody>\n</table>\n</div>\n"
    )


# The home page's to-do panels, in the page's order: each for those whose work it is (the view
# asks the policies), a list's first few (`FirstItems`) with a link to the rest.


def waiting_on_others_panel(rows: FirstItems[ReferralRow]) -> SafeString:
    """Referrals waiting for someone else's decision."""
    more = (
        f'<p><a href="{_url("referral-list")}">and {rows.more} more referral{_s(rows.more)} '
        "waiting</a></p>"
        if rows.more
        else ""
    )
    lines = [
        _heading("others", "Referrals waiting for someone else", rows.total),
        '<p class="hint">Not yours to decide, but they may fill the rooms in the coming days.</p>',
        waiting_on_others_html(rows),
        more,
    ]
    return _section("others", lines, wide=True)


def arriving_today_panel(rows: list[Arrival], *, user) -> SafeString:
    """Students arriving in a room today."""
    lines = [
        _heading("arriving", "Arriving today", len(rows)),
        arriving_today_html(rows, user=user),
    ]
    return _section("arriving", lines)


def interviews_to_do_panel(rows: FirstItems[InterviewToDo], *, user) -> SafeString:
    """The first interviews to do."""
    more = (
        f'<p><a href="{_url("to-do-interviews")}">and {rows.more} more '
        f"interview{_s(rows.more)} to do</a></p>"
        if rows.more
        else ""
    )
    lines = [
        _heading("interviews", "Interviews to do", rows.total),
        interviews_to_do_html(rows, user=user),
        more,
    ]
    return _section("interviews", lines)


def families_not_told_panel(rows: FirstItems[NotTold], *, user) -> SafeString:
    """The first families of students in a room today not told yet."""
    more = ""
    if rows.more:
        words = f"and {rows.more} more famil{'y' if rows.more == 1 else 'ies'} not told"
        if notify_policies.can_view_messages(user):
            words = f'<a href="{_url("message-list")}">{words}</a>'
        more = f"<p>{words}</p>"
    lines = [
        _heading("not-told", "Families not told yet today", rows.total),
        '<p class="hint">Students in a room today whose family has had no message and no call '
        "that reached them. Tell them before the end of the school day.</p>",
        families_not_told_html(rows),
        more,
    ]
    return _section("not-told", lines)


def review_tasks_panel(rows: list[ReviewToDo]) -> SafeString:
    """Reviews the school's rules opened (none: no panel)."""
    if not rows:
        return mark_safe("")
    lines = [
        _heading("review-tasks", "Reviews to do", len(rows)),
        '<p class="hint">Opened by the school\'s rules when removals mount: look at the history, '
        "consider reasonable adjustments, and decide.</p>",
        review_tasks_html(rows),
    ]
    return _section("review-tasks", lines)


def reviews_due_panel(rows: FirstItems[ReviewDue], *, today: dt.date) -> SafeString:
    """The first intervention reviews due (none: no panel)."""
    if not rows.total:
        return mark_safe("")
    lines = [
        _heading("reviews", "Intervention reviews due", rows.total),
        '<p class="hint">Interventions you own, due for review this week or overdue.</p>',
        reviews_due_html(rows, today=today),
    ]
    return _section("reviews", lines)


def letters_to_check_panel(
    rows: FirstItems[LetterToCheck], *, user, today: dt.date, next_day: dt.date | None
) -> SafeString:
    """The first family letters to check for today's and the next school day's placements."""
    messages = notify_policies.can_view_messages(user)
    also = f" and {next_day:%A}" if next_day else ""
    lines = [
        _heading("letters", "Family letters to check", rows.total),
        f'<p class="hint">For placements today{also}.</p>',
        letters_to_check_html(rows, user=user, today=today),
        f"<p>and {rows.more} more letter{_s(rows.more)} to check</p>" if rows.more else "",
        f'<p><a href="{_url("message-list")}">Check and send the drafts</a></p>'
        if rows and messages
        else "",
    ]
    return _section("letters", lines)


def lessons_without_work_panel(
    rows: FirstItems[LessonWithoutWork], *, user, today: dt.date
) -> SafeString:
    """The first lessons missed with no work yet."""
    more = (
        f'<p><a href="{_url("to-do-work")}">and {rows.more} more lesson{_s(rows.more)} with '
        "no work</a></p>"
        if rows.more
        else ""
    )
    lines = [
        _heading("work", "Lessons with no work yet", rows.total),
        lessons_without_work_html(rows, user=user, today=today),
        more,
    ]
    return _section("work", lines)


# The home page's body, written here rather than by its template (issue 15: the template's forty
# tags, five date filters, an include and five `{% url %}` cost ~0.4 ms of every home page). Each
# part writes what the template wrote, to the whitespace: a block the template wrapped in
# `{% if %}` on lines of their own is "\n<block>\n" when shown and nothing when not, and the line
# break after its `{% endif %}` stays.

NO_ROLE = (
    '<section class="panel">\n'
    "  <h2>Your account has no role yet</h2>\n"
    "  <p>Ask your school's data manager to give your account a role (for example teacher or "
    "pastoral). Until then Conduct shows you nothing about students.</p>\n"
    "</section>"
)
LESSONS_HEAD = (
    '<div class="table-scroll" tabindex="0" role="region" aria-label="Your lessons today">\n'
    '<table class="keep-words">\n'
    '    <caption class="visually-hidden">Your lessons today</caption>\n'
    '    <thead><tr><th scope="col">Period</th><th scope="col">Class</th>'
    '<th scope="col">Room</th><th scope="col" class="num">Students</th></tr></thead>\n'
)
FIND_A_STUDENT = (
    '<section class="panel" aria-labelledby="find-heading">\n'
    '  <h2 id="find-heading">Find a student</h2>\n'
    '  <form action="{url}" method="get" class="inline-form" role="search">\n'
    '    <label for="home-q">Name, UPN or form</label>\n'
    '    <input id="home-q" name="q" type="search" placeholder="e.g. Walsh or 9B">\n'
    '    <button type="submit" class="button">Search</button>\n'
    "  </form>\n"
    '  <p class="muted">A student\'s page shows where they should be right now and their lessons '
    "today.</p>\n"
    "</section>"
)
MARKS = (
    '<section class="panel" aria-labelledby="marks-heading">\n'
    '  <h2 id="marks-heading">Marks for the MIS</h2>\n'
    "  <p>The attendance marks in the rooms, as a CSV file the MIS imports.</p>\n"
    '  <form action="{url}" method="get" class="inline-form">\n'
    '    <div class="field"><label for="marks-from">From</label><input id="marks-from" '
    'type="date" name="from" value="{day}"></div>\n'
    '    <div class="field"><label for="marks-to">To</label><input id="marks-to" type="date" '
    'name="to" value="{day}"></div>\n'
    '    <button type="submit" class="button">Download the marks</button>\n'
    "  </form>\n"
    "</section>"
)


def _shown(block: str | None) -> str:
    """A block the template wrapped in `{% if %}` lines: "\n<block>\n", or nothing."""
    return f"\n{block}\n" if block else ""


def _share_html(share: int | None) -> str:
    return "–" if share is None else f"{share}%"


def work_figures_html(f: WorkFigures) -> str:
    """`work/_figures.html` for one WorkFigures."""
    waiting = (
        f'<p class="muted">{f.waiting} lesson{_s(f.waiting)} still before the deadline, in no '
        "share.</p>"
        if f.waiting
        else ""
    )
    return (
        '\n<dl class="figures">\n'
        f"  <div><dt>Set by the deadline</dt><dd>{_share_html(f.on_time_share)} "
        f'<span class="muted">({f.on_time})</span></dd></div>\n'
        f"  <div><dt>Set late</dt><dd>{_share_html(f.late_share)} "
        f'<span class="muted">({f.late})</span></dd></div>\n'
        f"  <div><dt>From the programme</dt><dd>{_share_html(f.programme_share)} "
        f'<span class="muted">({f.programme})</span></dd></div>\n'
        f"  <div><dt>Nothing</dt><dd>{_share_html(f.nothing_share)} "
        f'<span class="muted">({f.nothing})</span></dd></div>\n'
        f"  <div><dt>Completed in the room</dt><dd>{_share_html(f.completion_rate)} "
        f'<span class="muted">(of {f.recorded} recorded)</span></dd></div>\n'
        f"</dl>\n{waiting}\n"
    )


def _today_html(c: dict) -> str:
    """The greeting and what today is."""
    now, staff, school_day, period = c["now"], c["staff"], c["school_day"], c["period"]
    if staff:
        part = "morning" if now.hour < 12 else "afternoon" if now.hour < 17 else "evening"
        greeting = f"Good {part}, {escape(staff.display_name)}"
    else:
        greeting = "Today"
    day = clock.local(now)
    school, half_term, week = c["school"], c["half_term"], c["week"]
    if not school_day:
        at = " · <strong>not a school day</strong>"
    elif period:
        at = f" · now: {escape(period.name)} until {period.ends_at:%H:%M}"
    else:
        at = ""
    return (
        '\n<section class="today" aria-labelledby="today-heading">\n'
        f'  <h1 id="today-heading">{greeting}</h1>\n'
        '  <p class="lede">\n'
        f"    {day:%A} {day.day} {day:%B} {day.year:04d}"
        f"{f' · {escape(school.name)}' if school else ''}\n"
        f"    {f' · {escape(half_term.name)}' if half_term else ''}"
        f"{f' · {escape(week)}' if week and school_day else ''}\n"
        f"    {at}\n"
        "  </p>\n</section>\n\n"
    )


def _box(name: str, title: str, body: str, *, css: str = "panel", hint: str = "") -> str:
    hint = f'\n  <p class="hint">{hint}</p>' if hint else ""
    return (
        f'<section class="{css}" aria-labelledby="{name}-heading">\n'
        f'  <h2 id="{name}-heading">{title}</h2>{hint}\n'
        f"  {body}\n</section>"
    )


def _work_to_set_html(count: int) -> str:
    url = _url("work-to-set")
    if count:
        words = (
            f'<a href="{url}">{count} lesson{_s(count)} of yours need{"s" if count == 1 else ""} '
            "work for a student out of it</a>"
        )
    else:
        words = f'No student out of your lessons needs work. <a href="{url}">Your work page</a>'
    return _box("work-to-set", f'Work to set <span class="count">{count}</span>', f"<p>{words}</p>")


def _my_lessons_html(c: dict) -> str:
    if c["my_lessons"]:
        body = f"\n  {LESSONS_HEAD}    {c['my_lessons_html']}\n  </table>\n  </div>\n  "
    elif c["school_day"]:
        body = "\n  <p>You have no lessons on the timetable today.</p>\n  "
    else:
        body = "\n  <p>No lessons today: it is not a school day.</p>\n  "
    return _box("lessons", "My lessons today", body)


def _data_status_html(data: dict) -> str:
    figures = "".join(
        f"\n    <div><dt>{label}</dt><dd>{data[key]}</dd></div>"
        for label, key in (
            ("Students on roll", "students"),
            ("Left", "left"),
            ("Staff", "staff"),
            ("Guardians", "guardians"),
            ("Classes", "classes"),
            ("Timetabled lessons", "slots"),
        )
    )
    calendar = (
        ""
        if data["has_calendar"]
        else '<p class="warning">No term dates yet: add the academic year, terms and half-terms '
        "in School settings.</p>"
    )
    periods = (
        ""
        if data["periods"]
        else '<p class="warning">No periods yet: add the school day\'s periods in School settings '
        "or import a periods file.</p>"
    )
    run = data["last_import"]
    if run:
        by = f" by {escape(run.by)}" if run.by else ""
        last = (
            f"Last import: <strong>{escape(run.status_label)}</strong> — "
            f"{escape(run.source_name)}, {day_and_time(run.started_at)}{by}."
        )
    else:
        last = "No roster has been imported yet."
    body = (
        f'<dl class="figures">{figures}\n  </dl>\n  {calendar}\n  {periods}\n  \n'
        f'  <p>{last}\n  <a href="{_url("roster-import")}">Import a roster</a></p>\n  '
    )
    return _box("data", "School data", body, css="panel wide")


def home_html(c: dict, *, may) -> SafeString:
    """The home page's body from the view's context `c` (the panels shown are those whose keys
    it holds) and the `may` flags the template asked."""
    out = [_today_html(c), _shown(None if c["has_role"] else NO_ROLE), '\n\n<div class="panels">\n']
    if c.get("pending_referrals"):
        out.append(
            _shown(
                _box(
                    "pending",
                    "Waiting for your decision",
                    c["pending_referrals_html"],
                    css="panel wide",
                )
            )
        )
    out.append("\n")
    for panel in (
        "waiting_on_others",
        "arriving_today",
        "interviews_to_do",
        "families_not_told",
        "review_tasks",
        "reviews_due",
        "letters_to_check",
        "lessons_without_work",
    ):
        out += [_shown(c.get(panel)), "\n"]
    if "work_figures" in c:
        title = f"Work for lessons missed since {day_month(c['work_figures_from'])}"
        out.append(_shown(_box("work-figures", title, work_figures_html(c["work_figures"]))))
    out.append("\n")
    if c.get("work_to_set") is not None:
        out.append(_shown(_work_to_set_html(c["work_to_set"])))
    out.append("\n")
    visits = c.get("visits_to_make")
    if visits is not None:
        link = (
            f'<p><a href="{_url("patrol-home")}">Make the visits</a></p>'
            if visits and may.patrol
            else ""
        )
        title = f'Visits to make <span class="count">{len(visits)}</span>'
        out.append(_shown(_box("visits", title, f"{c['visits_to_make_html']}\n  {link}")))
    out.append("\n")
    if may.export_marks:
        day = f"{clock.local(c['now']):%Y-%m-%d}"
        out.append(_shown(MARKS.format(url=_url("marks-export"), day=day)))
    out.append("\n")
    if c.get("rooms_today_html"):
        body = c["rooms_today_html"]
        hint = "Each room's register for today."
        out.append(_shown(_box("rooms", "Rooms today", body, hint=hint)))
    out.append("\n")
    if c.get("my_lessons") is not None:
        out.append(_shown(_my_lessons_html(c)))
    out.append("\n\n")
    if may.view_students:
        out.append(_shown(FIND_A_STUDENT.format(url=_url("student-list"))))
    out.append("\n\n")
    if c.get("my_years"):
        title = f"My year group{_s(len(c['my_years']))}"
        out.append(_shown(_box("years", title, c["my_years_html"], css="panel wide")))
    out.append("\n\n")
    if c.get("school_summary"):
        body = c["school_summary_html"]
        out.append(_shown(_box("summary", "Students on roll", body, css="panel wide")))
    out.append("\n\n")
    if c.get("data_status"):
        out.append(_shown(_data_status_html(c["data_status"])))
    out.append("\n</div>\n")
    return mark_safe("".join(out))
