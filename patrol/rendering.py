"""One way to draw a request, used by the page, the polling endpoint and the socket, so every
client shows the same card whichever way it heard the news; the controls on it are the ones the
policies give the person looking."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from conduct.lib.rendering import escape
from pastoral.rendering import level_raise_html
from patrol import policies
from patrol.models import OnCallRequest
from patrol.selectors.rota import RotaWeek
from patrol.selectors.watch_list import DropInLine, WatchRow
from school.models import Period

OUTCOMES = OnCallRequest.Outcome.choices


@dataclass(frozen=True)
class _Card:
    """The facts about a request the policies read, from a card's data: drawn for every socket
    on every change, so no model instance is built for it."""

    raised_by_id: int
    claimed_by_id: int | None
    status: str


def card_flags(data: dict[str, Any], *, user) -> dict[str, Any]:
    """What `user` may do on this card, from the policies: claim it, say they have arrived, and
    which outcomes they may choose."""
    request = _Card(data["raised_by_id"], data["claimed_by_id"], data["status"])
    allowed = set(policies.resolvable_outcomes(user, request)) if data["is_open"] else set()
    return {
        "mine": data["claimed_by_id"] == user.pk,
        "may_claim": data["status"] == OnCallRequest.Status.OPEN
        and policies.can_claim_on_call(user, request),
        "may_arrive": data["status"] == OnCallRequest.Status.CLAIMED
        and policies.can_mark_arrived(user, request),
        "outcomes": [(v, label) for v, label in OUTCOMES if v in allowed],
        "may_remove": OnCallRequest.Outcome.REMOVED in allowed,
    }


def render_request(data: dict[str, Any], *, user, request=None) -> str:
    """A card while the request is open; a line in "resolved today" once it is resolved."""
    template = "patrol/_card.html" if data["is_open"] else "patrol/_resolved_item.html"
    context = {"r": data, **card_flags(data, user=user)}
    return render_to_string(template, context, request=request)


def event_message(kind: str, data: dict[str, Any], *, user, request=None) -> dict[str, Any]:
    return {
        "type": "event",
        "kind": kind,
        "request": _slim(data),
        "html": render_request(data, user=user, request=request),
    }


def snapshot_message(snapshot: dict[str, list], *, user, request=None) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "open": [
            {**_slim(r), "html": render_request(r, user=user, request=request)}
            for r in snapshot["open"]
        ],
        "resolved": [
            {**_slim(r), "html": render_request(r, user=user, request=request)}
            for r in snapshot["resolved"]
        ],
    }


def _slim(data: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "version", "status", "is_open", "urgency", "tier", "where", "reason", "order")
    return {key: data[key] for key in keys} | {"escalate_at": data["escalate_at"]}


# ---- the duty rota's table ---------------------------------------------------------------------


def rota_rows(week: RotaWeek, *, remove_url: Callable[[int], str] | None) -> str:
    """The rota table's rows (periods down, days across), written here rather than by template
    tags per duty: a week holds 150 duties, and the template's per-cell logic was most of the
    page's cost (issue 15). The same HTML the template wrote, but for blank lines. Each duty has
    a Remove button when `remove_url` (a duty's id -> where to post) is given."""
    # The same few names and kinds recur through the week: each is escaped once.
    escaped: dict[str, str] = {}

    def once(text: str) -> str:
        found = escaped.get(text)
        if found is None:
            found = escaped[text] = escape(text)
        return found

    lines = []
    for period, cells in week.rows:
        lines.append(
            f'<tr>\n<th scope="row">{escape(period.name)}<br><span class="muted">'
            f"{period.starts_at:%H:%M}–{period.ends_at:%H:%M}</span></th>"
        )
        for cell in cells:
            lines.append(
                f'<td class="{"has-gap" if cell.gaps else ""}{" today" if cell.today else ""}">'
                '\n<ul class="duties">'
            )
            label = escape(cell.label)
            for d in cell.duties:
                name, kind_label = once(d.name), once(d.kind_label)
                room = f" ({once(d.room_code)})" if d.room_code else ""
                away = " <strong>away: needs cover</strong>" if d.away else ""
                button = (
                    '<button type="submit" form="remove-duty"'
                    f' formaction="{escape(remove_url(d.pk))}" class="link-button remove">'
                    'Remove<span class="visually-hidden">'
                    f" {name}, {kind_label}, {label}</span></button>"
                    if remove_url is not None
                    else ""
                )
                lines.append(
                    f'<li class="duty duty-{once(d.kind)}{" away" if d.away else ""}'
                    f'{" mine" if d.mine else ""}">\n<span>{name}</span> <span class="muted">'
                    f"{kind_label}{room}</span>{away}\n{button}\n</li>"
                )
            lines.append("</ul>")
            gaps = "".join(
                f'<p class="gap"><strong>Gap:</strong> {escape(g)}</p>' for g in cell.gaps
            )
            lines.append(f"{gaps}\n</td>" if gaps else "</td>")
        lines.append("</tr>")
    return mark_safe("\n".join(lines))


def day_label(day: dt.date) -> str:
    """A day as the rota writes it ("Wed 25 Nov"), what the template filter date:"D j M" writes
    without its formatter per date."""
    return f"{day:%a} {day.day} {day:%b}"


def rota_head(week: RotaWeek, *, today: dt.date) -> str:
    """The rota table's day headings (after "Period")."""
    cells = []
    for day in week.days:
        today_class = ' class="today"' if day == today else ""
        no_school = "" if day in week.school_days else ' <span class="muted">(no school)</span>'
        cells.append(f'<th scope="col"{today_class}>{day_label(day)}{no_school}</th>')
    return mark_safe("".join(cells))


def gap_items(gaps: list[tuple[dt.date, Period, str]]) -> str:
    """The coverage check's list items: "Wed 25 Nov, Period 2: Nobody on patrol"."""
    return mark_safe(
        "".join(
            f"<li>{day_label(day)}, {escape(period.name)}: {escape(gap)}</li>"
            for day, period, gap in gaps
        )
    )


def absence_items(
    week: RotaWeek, *, remove_url: Callable[[int], str] | None, csrf_token: str
) -> str:
    """The week's staff away, each with a Remove form when `remove_url` (an absence's id ->
    where to post) is given, and its note then (the managers' own)."""
    week_input = f'<input type="hidden" name="week" value="{week.monday.isoformat()}">'
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    items = []
    for a in week.absences:
        name = escape(a.staff_name)
        to = f" to {day_label(a.ends_on)}" if a.ends_on != a.starts_on else ""
        note = f" · {escape(a.note)}" if remove_url is not None and a.note else ""
        remove = (
            f'<form method="post" action="{escape(remove_url(a.pk))}" class="remove">{csrf}'
            f'{week_input}<button type="submit" class="link-button">Remove<span'
            f' class="visually-hidden"> absence of {name}</span></button></form>'
            if remove_url is not None
            else ""
        )
        items.append(f"<li>{name}: {day_label(a.starts_on)}{to}{note}\n        {remove}</li>")
    return mark_safe("".join(items))


# ---- the watch list's entries ------------------------------------------------------------------


def watch_rows_html(rows: list[WatchRow], *, can_keep: bool, today, csrf_token: str) -> str:
    """Each watched student's panel on the watch list page, written here rather than by template
    tags: the drop-ins' "raise the level" controls were an include each, and with the keeper's
    two forms per student they were most of the page's cost (issue 15). The same HTML the
    template wrote; each drop-in's control is pastoral.rendering's, as on every page."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    min_day = today.isoformat()
    parts = []
    for w in rows:
        pk, name = w.pk, escape(w.student_name)
        due = (" due-entry", ' <strong class="badge due">Due for review</strong>')
        due_class, due_badge = due if w.due_for_review else ("", "")
        parts.append(
            f'\n  <article class="panel watch-entry{due_class}" aria-labelledby="entry-{pk}">\n'
            f'    <h3 id="entry-{pk}"><a href="{escape(w.student_url)}">{name}</a> '
            f'<span class="muted">{escape(w.group)}</span></h3>\n'
            f"    <p>{escape(w.reason)}</p>\n"
            f'    <p class="muted">Asked by {escape(w.requested_by)} · added {escape(w.added)}'
            f" · review {escape(w.review)}{due_badge}</p>\n    <h4>Drop-ins</h4>\n    "
        )
        if w.has_drop_ins:
            items = "".join(_drop_in_html(d, csrf_token) for d in w.drop_ins)
            parts.append(f'\n    <ul class="drop-ins">\n      {items}\n    </ul>\n    ')
        else:
            parts.append('<p class="muted">None yet.</p>')
        parts.append("\n    ")
        if can_keep:
            parts.append(
                '\n    <div class="actions">\n'
                f'      <form method="post" action="{escape(w.review_url)}" class="inline-form">\n'
                f"        {csrf}\n"
                f'        <div class="field"><label for="review-{pk}">Keep watching until</label>\n'
                f'          <input type="date" id="review-{pk}" name="review_on" min="{min_day}">'
                "</div>\n"
                '        <button type="submit" class="button">Set review date</button>\n'
                "      </form>\n"
                f'      <form method="post" action="{escape(w.end_url)}">\n'
                f"        {csrf}\n"
                '        <button type="submit" class="button">Take off the watch list'
                f'<span class="visually-hidden">: {name}</span></button>\n'
                "      </form>\n    </div>\n    "
            )
        parts.append("\n  </article>\n  ")
    return mark_safe("".join(parts))


def _drop_in_html(d: DropInLine, csrf_token: str) -> str:
    lesson = f" · {escape(d.lesson)}" if d.lesson else ""
    note = f"<br>“{escape(d.note)}”" if d.note else ""
    control = ""
    if d.raise_levels:
        # With no `next`: back to the watch list.
        raise_html = level_raise_html(
            url=d.raise_url,
            levels=d.raise_levels,
            level_label=d.level_label,
            what="this drop-in",
            csrf_token=csrf_token,
        )
        control = f"\n{raise_html}\n"
    return (
        f'<li><span class="rating rating-{d.engagement}">{escape(d.engagement_label)}</span>'
        f" · {escape(d.at)}{lesson} · {escape(d.by)}{note}{control}</li>"
    )
