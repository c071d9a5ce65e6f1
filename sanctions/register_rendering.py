"""A room's register lines written in Python rather than by a template per line (issue 15): a
line asked some eighty template variables, most of the register's cost. The page, its `?partial`
reload and the line sent back after a mark or a log entry (htmx) are all written here, so they
stay alike."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe

from conduct import submissions
from conduct.lib import clock
from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from notify import policies as notify_policies
from pastoral import policies as pastoral_policies
from sanctions.models import AttendanceMark, Placement, Provision, RoomLogEntry
from sanctions.selectors.register import RegisterLine, SessionMarks
from work import policies as work_policies


def _mark_buttons(pressed: str) -> str:
    return "".join(
        f'\n          <button type="submit" name="kind" value="{escape(kind)}" class="button small'
        f'{" primary" if kind == pressed else ""}" aria-pressed="'
        f'{"true" if kind == pressed else "false"}">{escape(label)}</button>\n          '
        for kind, label in AttendanceMark.Kind.choices
    )


# A session's mark buttons, by the kind shown pressed ("" for none).
MARK_BUTTONS = {pressed: _mark_buttons(pressed) for pressed in ["", *AttendanceMark.Kind.values]}
# The kinds a line's log form offers (failing the room has its own form).
LOG_KIND_OPTIONS = "".join(
    f'<option value="{escape(kind)}">{escape(label)}</option>'
    for kind, label in RoomLogEntry.Kind.choices
    if kind != RoomLogEntry.Kind.FAILED
)


# The links of a register line (each name reversed once a process, `_url_makers`).
LINE_URLS = (
    "student-detail",
    "register-mark",
    "register-log",
    "register-fail",
    "work-pack",
    "work-record",
    "message-detail",
    "family-call-new",
    "good-day-note",
    "interview-detail",
    "exit-interview",
    "room-log-level",
)
# The page's own links, by the number of their arguments.
PAGE_URLS = {
    "register": 2,
    "register-pdf": 2,
    "register-close": 2,
    "marks-export": 0,
    "register-digest": 0,
}


@dataclass
class LineControls:
    """What a page's lines show alike, decided once a page: the viewer's permissions (the
    `may` flags a template would ask), the day's marking, and the links' makers."""

    request: HttpRequest
    can_mark: bool
    now_hm: str  # now as the time fields write it on today's register, else ""
    record_work: bool
    view_messages: bool
    hold_interviews: bool
    contact_families: bool
    csrf_input: str
    url: dict[str, Callable[..., str]]  # by url name

    @classmethod
    def of(cls, request: HttpRequest, day: dt.date, *, can_mark: bool) -> "LineControls":
        """For `request`'s viewer, on the register of `day`."""
        user = request.user
        return cls(
            request=request,
            can_mark=can_mark,
            now_hm=f"{clock.minute_now():%H:%M}" if day == clock.today() else "",
            record_work=work_policies.can_record_work(user),
            view_messages=notify_policies.can_view_messages(user),
            hold_interviews=pastoral_policies.can_hold_interviews(user),
            contact_families=pastoral_policies.can_contact_families(user),
            csrf_input=(
                '<input type="hidden" name="csrfmiddlewaretoken" '
                f'value="{escape(get_token(request))}">'
            ),
            url=_url_makers(),
        )


def _hm(moment: dt.time | None) -> str:
    # As the template filter time:"H:i" writes it ("" for none).
    return "" if moment is None else f"{moment:%H:%M}"


def room_times_html(provisions: list[Provision]) -> SafeString:
    """Each provision's day in the room, under the register's heading: the main school's, or
    its own arrival, break, lunch and leaving times."""
    parts = []
    for p in provisions:
        start = (
            f'<p class="room-times" id="room-times-{escape(p.kind)}"><strong>{escape(p.name)}:'
            "</strong> "
        )
        if not p.arrives_at:
            parts.append(f"\n{start}the main school's times, breaks and lunch</p>\n")
            continue
        times = f"arrive {_hm(p.arrives_at)}"
        if p.break_starts_at:
            times += f" · break {_hm(p.break_starts_at)}–{_hm(p.break_ends_at)}"
        if p.lunch_starts_at:
            times += f" · lunch {_hm(p.lunch_starts_at)}–{_hm(p.lunch_ends_at)}"
        if p.leaves_at:
            times += f" · leave {_hm(p.leaves_at)}"
        parts.append(
            f'\n{start}{times} <span class="muted">(apart from the main school)</span></p>\n'
        )
    return mark_safe("".join(parts))


# The URL makers by script prefix: each name reversed once a process, not once a page.
_makers_by_prefix: dict[str, dict[str, Callable[..., str]]] = {}


def _url_makers() -> dict[str, Callable[..., str]]:
    prefix = get_script_prefix()
    makers = _makers_by_prefix.get(prefix)
    if makers is None:
        makers = {name: url_maker(name) for name in LINE_URLS}
        for name, arity in PAGE_URLS.items():
            makers[name] = url_maker(name, arity)
        _makers_by_prefix[prefix] = makers
    return makers


def page_links(room_code: str, day: dt.date) -> dict[str, str]:
    """The register page's own links: the days either side, the printed register, the day's
    marks for the MIS, closing the day and sending the digest."""
    url = _url_makers()
    on = day.isoformat()
    return {
        "previous": url["register"](room_code, (day - dt.timedelta(days=1)).isoformat()),
        "next": url["register"](room_code, (day + dt.timedelta(days=1)).isoformat()),
        "pdf": url["register-pdf"](room_code, on),
        "marks": f"{url['marks-export']()}?from={on}&to={on}",
        "close": url["register-close"](room_code, on),
        "digest": url["register-digest"](),
    }


def register_lines_html(lines: list[RegisterLine], controls: LineControls, room) -> SafeString:
    """The register's list: how many are booked and a line each (or that nobody is)."""
    n = len(lines)
    body = "".join(f"\n  {line_html(line, controls)}\n" for line in lines) or (
        f"\n  <p>Nobody is booked into {escape(room)} on this day.</p>\n"
    )
    return mark_safe(
        f'<p class="lede">{n} student{"" if n == 1 else "s"} booked.</p>\n'
        f'<div class="register">\n{body}\n</div>\n'
    )


def line_html(line: RegisterLine, c: LineControls) -> SafeString:
    """One student's line: who, why, their lessons and family, the two sessions' marks (with
    the mark buttons when `c.can_mark`), the room log and its forms."""
    pk = str(line.pk)
    url = c.url
    booked = line.status == Placement.Status.BOOKED
    out = [
        f'\n\n<article class="placement-day{"" if booked else " closed"}" id="placement-day-{pk}"'
        f' aria-labelledby="placement-day-{pk}-name">\n  <header class="placement-day-head">\n'
        f'    <h2 id="placement-day-{pk}-name"><a href="{url["student-detail"](line.student_id)}">'
        f"{escape(line.last_name)}, {escape(line.first_name)}</a> "
        f'<span class="muted">{escape(line.group)}</span></h2>\n    <span class="flags">',
        *(f'<span class="{escape(css)}">{escape(label)}</span>' for css, label in line.flags),
        f'</span>\n\n    <p class="muted">{escape(line.provision)}\n      ',
    ]
    if line.why:
        out.append(f" · {escape(line.why)}")
    if not booked:
        out.append(f" · <strong>{escape(line.status_label)}</strong>")
    out.append("</p>\n    ")
    if line.removed_from:
        out.append(
            f'<p class="removed-from"><strong>Removed from</strong> {escape(line.removed_from)} '
            f"at {escape(line.removed_when)}</p>"
        )
    out.append(
        f'\n    <p class="days-in-rooms"><strong>Days in a room:</strong> {line.days_this_term}'
        f" this term, {line.days_this_year} this year</p>\n"
        f'    <div class="missed"><strong id="missed-{pk}">Lessons missed:</strong>\n      '
    )
    if line.work:
        out.append(f'<ul class="missed-list" aria-labelledby="missed-{pk}">\n      ')
        for w in line.work:
            out.append(
                f'<li>{escape(w.label)} – <span class="work-state work-{escape(w.status)}">'
                f"{escape(w.state)}</span>"
            )
            if c.record_work:
                out.append(
                    f' <a href="{url["work-record"](w.pk)}">'
                    f"{'change' if w.recorded else 'record work'}"
                    f'<span class="visually-hidden"> for {escape(w.period)}</span></a>'
                )
            out.append("</li>")
        out.append("\n      </ul>")
        if c.record_work:
            out.append(f'<a href="{url["work-pack"](line.pk)}">Work pack (PDF)</a>')
    else:
        out.append("none on the timetable")
    out.append('</div>\n    <p class="letter"><strong>Family:</strong>\n      ')
    if line.letters:
        out.append(
            "; ".join(
                f'<a href="{url["message-detail"](m.pk)}">{escape(m.text)}</a>'
                if c.view_messages
                else escape(m.text)
                for m in line.letters
            )
        )
    elif line.parent_notice_problem:
        out.append(f'<span class="error">no letter: {escape(line.parent_notice_problem)}</span>')
    else:
        out.append("no message")
    out.append("</p>\n    \n")
    if c.hold_interviews:
        out.append('\n<p class="interviews"><strong>Interviews:</strong>\n  ')
        for i in line.entry_interviews:
            out.append(
                f'<a href="{url["interview-detail"](i.pk)}">entry interview '
                f"{'done' if i.done else 'to do'}</a> · "
            )
        out.append(
            f'\n  <a href="{url["exit-interview"](line.placement_id)}">'
            f"exit interview{line.exit_done}</a>\n</p>\n"
        )
    out.append("\n\n    ")
    if c.contact_families:
        token = submissions.token_of(c.request) or submissions.new_token()
        out.append(
            f'<div class="actions-inline"><a href="{url["family-call-new"](line.placement_id)}">'
            "Phone the family</a>\n"
            f'      <form method="post" action="{url["good-day-note"](line.placement_id)}"'
            f' class="inline-form">{c.csrf_input}'
            f'<input type="hidden" name="{submissions.FIELD}" value="{escape(token)}">'
            '<button type="submit" class="button small">A good day: draft a note home</button>'
            "</form></div>"
        )
    out.append('\n  </header>\n  <div class="sessions">\n  ')
    mark_url = url["register-mark"](line.pk)
    for session in line.sessions:
        out.append("\n    \n    ")
        out.append(
            _session_form(session, line, pk, mark_url, c) if c.can_mark else _session(session)
        )
        out.append("\n    \n  ")
    out.append(
        '\n  </div>\n  <div class="log">\n    <h3>Room log</h3>\n    <ul class="plain">\n      '
    )
    out.append(_log(line, c) or '<li class="muted">Nothing logged.</li>')
    out.append("\n    </ul>\n    ")
    if booked and c.can_mark:
        out.append(_log_forms(line, pk, c))
    out.append("\n  </div>\n</article>\n\n")
    return mark_safe("".join(out))


def _mark_said(session: SessionMarks) -> str:
    """Morning: <strong>Late (20 min)</strong>", or that the session is not marked."""
    mark = session.mark
    if mark is None:
        return f'{escape(session.label)}: <span class="muted">not marked</span>'
    late = f" ({mark.minutes_late} min)" if mark.minutes_late else ""
    return f"{escape(session.label)}: <strong>{escape(mark.kind_label)}{late}</strong>"


def _mark_detail(session: SessionMarks) -> str:
    mark = session.mark
    assert mark is not None
    return (
        f'<span class="mark-detail">{escape(session.verb)} at {escape(mark.at)} · '
        f'<span class="mis" title="Mark sent to the MIS">{escape(mark.mis_code)}</span> '
        f'<span class="mis-meaning">{escape(mark.mis_meaning)}</span></span>\n'
    )


def _session(session: SessionMarks) -> str:
    """A session as read by someone who may not mark it."""
    detail = f" {_mark_detail(session)}" if session.mark else ""
    return f'\n    <p class="marks">{_mark_said(session)}\n{detail}</p>\n    '


def _session_form(
    session: SessionMarks, line: RegisterLine, pk: str, mark_url: str, c: LineControls
) -> str:
    """A session with its mark buttons and the time and minutes late fields."""
    booked = line.status == Placement.Status.BOOKED
    detail = f'<p class="mark-line">{_mark_detail(session)}</p>' if session.mark else ""
    at_value = session.own_time or c.now_hm
    latest = f' max="{c.now_hm}"' if c.now_hm else ""
    return (
        f'\n    <form method="post" action="{mark_url}" class="marks" hx-post="{mark_url}"'
        f' hx-target="#placement-day-{pk}" hx-swap="outerHTML">\n'
        f"      {c.csrf_input}\n"
        f'      <input type="hidden" name="session" value="{escape(session.session)}">\n'
        f"      <fieldset{'' if booked else ' disabled'}>\n"
        f"        <legend>{_mark_said(session)}\n</legend>\n"
        f"        {detail}\n"
        '        <div class="mark-buttons">\n'
        f"          {MARK_BUTTONS[session.kind]}\n"
        '          <label class="minutes">Arrived / left at <input type="time" name="at"'
        f' value="{escape(at_value)}"{latest}></label>\n'
        '          <label class="minutes">Minutes late <input type="number" name="minutes_late"'
        ' min="1" max="300" inputmode="numeric"'
        f' value="{escape(session.minutes_late)}"></label>\n'
        "        </div>\n      </fieldset>\n    </form>\n    "
    )


def _log(line: RegisterLine, c: LineControls) -> str:
    """The line's room log notes the viewer may read, each with the control to raise its level
    where they may."""
    user = c.request.user
    out = []
    for entry in line.log:
        if not pastoral_policies.note_readable(user, entry):
            continue
        out.append(f'<li><span class="muted">{entry.at:%H:%M}</span> {escape(entry.kind_label)}')
        if entry.note:
            out.append(f": {escape(entry.note)}")
            student, level, author_id = entry.level_subject()
            may_raise = pastoral_policies.can_raise_level(
                user, student=student, level=level, author_id=author_id
            )
            levels = pastoral_policies.higher_levels(level) if may_raise else []
            if levels:
                out.append(
                    render_to_string(
                        "pastoral/_level_raise.html",
                        {
                            "url": c.url["room-log-level"](entry.pk),
                            "levels": levels,
                            "level_label": entry.level_label,
                            "what": "this note",
                        },
                        request=c.request,
                    )
                )
        out.append("</li>")
    return "".join(out)


def _log_forms(line: RegisterLine, pk: str, c: LineControls) -> str:
    """The forms to add to the room log and to record that the student failed the room."""
    log_url = c.url["register-log"](line.pk)
    return (
        f'\n    <form method="post" action="{log_url}" class="inline-form" hx-post="{log_url}"'
        f' hx-target="#placement-day-{pk}" hx-swap="outerHTML">\n'
        f"      {c.csrf_input}\n"
        f'      <div class="field"><label for="log-kind-{pk}">Log</label>\n'
        f'        <select id="log-kind-{pk}" name="kind">{LOG_KIND_OPTIONS}</select></div>\n'
        f'      <div class="field"><label for="log-note-{pk}">Note</label><input'
        f' id="log-note-{pk}" type="text" name="note" maxlength="300"></div>\n'
        f'      <div class="field"><label for="log-level-{pk}">Who may read it</label><select'
        f' id="log-level-{pk}" name="level"><option value="staff">Staff</option><option'
        ' value="pastoral">Pastoral</option><option value="child_protection">Child'
        " protection</option></select></div>\n"
        '      <button type="submit" class="button">Add</button>\n'
        "    </form>\n"
        '    <details class="decline">\n'
        "      <summary>Failed the room</summary>\n"
        f'      <form method="post" action="{c.url["register-fail"](line.pk)}" class="stack">\n'
        f"        {c.csrf_input}\n"
        f'        <div class="field"><label for="fail-note-{pk}">What happened</label><textarea'
        f' id="fail-note-{pk}" name="note" rows="2" required></textarea></div>\n'
        '        <p class="muted">This closes the placement as failed and refers the next step on'
        " the school's ladder for a decision.</p>\n"
        '        <button type="submit" class="button">Record the failure</button>\n'
        "      </form>\n"
        "    </details>\n    "
    )
