"""The messages list's table rows and its "family not told" lines, written in Python rather than
by template tags per cell: a page holds fifty messages, and the template's per-row logic was most
of the page's own cost (issue 15). The same HTML the template wrote, but for blank lines."""

from django.template.defaultfilters import linebreaksbr
from django.utils import dateformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from conduct.lib.rendering import escape
from conduct.lib.urls import url_maker
from notify.models import Message
from notify.selectors import MessageRow

DRAFT = Message.Status.DRAFT
FAILED = Message.Status.FAILED


def message_rows_html(rows: list[MessageRow], *, can_approve: bool) -> SafeString:
    """The `<tr>` of each row, with a tick box on each draft for those who may approve."""
    lines = []
    for m in rows:
        to = escape(m.to)
        student = escape(m.student_name)
        lines.append("<tr>")
        if can_approve:
            choose = ""
            if m.status == DRAFT:
                about = f" about {student}" if m.student_name else ""
                choose = (
                    f'<input type="checkbox" name="message" value="{m.pk}" id="choose-{m.pk}" '
                    f'aria-label="Choose the draft to {to}{about}">'
                )
            lines.append(f'<td class="choose">{choose}</td>')
        status = escape(m.status_label)
        if m.status == FAILED:
            status = f'<span class="error">{status}</span>'
        preview = ""
        if m.status == DRAFT:
            preview = (
                '<details class="preview"><summary>Read it</summary><div class="preview-body">'
                f"{escape(m.body)}</div></details>"
            )
        by = f' <span class="muted">by {escape(m.by)}</span>' if m.by else ""
        placement_from = escape(m.placement_from or "—")
        lines.append(
            f'<td data-label="Status">{status}</td>\n<td data-label="Student">{student or "—"}'
            f'<br><span class="muted">to {to}</span></td>\n'
            f'<td class="nowrap" data-label="Placement from">{placement_from}</td>\n'
            f'<td data-label="How">{escape(m.channel_label)}</td>\n'
            f'<td data-label="Subject"><a href="{escape(m.url)}">'
            f"{escape(m.subject or '(no subject)')}</a>\n{preview}</td>\n"
            f'<td data-label="Drafted">{escape(m.drafted)}{by}</td>\n</tr>'
        )
    return mark_safe("\n".join(lines))


def not_told_html(items) -> SafeString:
    """A line for each student in a room today whose family was not told (from
    `notify.selectors.families_not_told`): the message waiting, why none could be drafted, or
    that none was."""
    message_url = url_maker("message-detail")
    channels = dict(Message.Channel.choices)
    statuses = dict(Message.Status.choices)
    lines = []
    for item in items:
        today = ", placed today" if item.placed_today else ""
        if item.message is not None:
            m = item.message
            said = f"{channels.get(m.channel, m.channel)}: {statuses.get(m.status, m.status)}"
            what = f'<a href="{message_url(m.pk)}">{escape(said.lower())}</a>'
        elif item.notice_problem:
            what = f"no letter could be drafted: {escape(item.notice_problem)}"
        else:
            what = "no message drafted"
        lines.append(
            f"<li><strong>{escape(item.student_name)}</strong> · "
            f"{escape(item.provision)} in {escape(item.room_code)}{today}\n · {what}</li>"
        )
    return mark_safe("\n".join(lines))


def inbox_html(notices: list, csrf_token: str) -> SafeString:
    """The inbox's `<li>` for each notice (`selectors.InboxRow`), as its template's loop wrote
    them (issue 15): the title a button that opens it, when it came and whether it is read,
    its body with its line breaks."""
    open_url = url_maker("inbox-open")
    token = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    items = []
    for notice in notices:
        unread = notice.read_at is None
        urgent = notice.level == "urgent"
        css = "notice" + (" unread" if unread else "") + (" urgent" if urgent else "")
        state = (
            " · <strong>unread</strong>"
            if unread
            else f" · read {dateformat.format(localtime(notice.read_at), 'j M H:i')}"
        )
        body = (
            f'<p class="muted">{linebreaksbr(notice.body, autoescape=True)}</p>'
            if notice.body
            else ""
        )
        items.append(
            f'\n  <li class="{css}">\n'
            f'    <form method="post" action="{open_url(notice.pk)}" class="inline-form">\n'
            f"      {token}\n"
            f'      <button type="submit" class="link-button">'
            f"{'<strong>Urgent:</strong> ' if urgent else ''}{escape(notice.title)}</button>\n"
            f'      <span class="muted">'
            f"{dateformat.format(localtime(notice.created_at), 'D j M H:i')}{state}</span>\n"
            f"    </form>\n"
            f"    {body}\n"
            f"  </li>\n  "
        )
    return mark_safe("".join(items))
