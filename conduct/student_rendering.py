"""A student's page's lists written in Python rather than by template tags per row (issue 15):
their history, their lessons today and their parents' and carers' contacts. The same HTML the
template wrote."""

from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

from conduct.lib.rendering import escape
from conduct.lib.timeline import TimelineEntry
from conduct.lib.urls import url_maker
from school.selectors.people import GuardianContact
from school.selectors.timetable import DayLesson


def timeline_html(entries: list[TimelineEntry], *, csrf_token: str, back_to: str) -> SafeString:
    """Each entry's `<li>` on the student's page, written here rather than by template tags: a
    busy student's forty entries were most of the page's cost (issue 15). A drop-in the reader
    may raise has pastoral/_level_raise.html's control (`back_to`: the page to come back to)."""
    raise_control = get_template("pastoral/_level_raise.html").template
    parts = []
    for entry in entries:
        title = escape(entry.title)
        if entry.url:
            title = f'<a href="{escape(entry.url)}">{title}</a>'
        detail = f'<p class="muted">{escape(entry.detail)}</p>' if entry.detail else ""
        control = ""
        if entry.raise_url and entry.raise_levels:
            # Seldom there (a drop-in, to its author and the pastoral team): the partial the
            # other levelled notes' pages include, drawn by itself.
            control = raise_control.render(
                Context(
                    {
                        "csrf_token": csrf_token,
                        "url": entry.raise_url,
                        "levels": entry.raise_levels,
                        "level_label": entry.level_label,
                        "what": "this drop-in",
                        "next": back_to,
                    }
                )
            )
        parts.append(
            f'\n    <li class="tl-{escape(entry.kind)}">\n'
            f'      <time datetime="{escape(entry.iso)}">{escape(entry.when)}</time>\n'
            f"      <div><strong>{title}</strong>\n      {detail}\n      {control}</div>\n"
            "    </li>\n    "
        )
    return mark_safe("".join(parts))


def lessons_html(lessons: list[DayLesson]) -> SafeString:
    """The `<tr>` of each lesson today, the one on now marked."""
    parts = []
    for lesson in lessons:
        current = ' class="current"' if lesson.now else ""
        room = escape(lesson.room) if lesson.room else "—"
        parts.append(
            f"\n      <tr{current}>\n"
            f"        <td>{escape(lesson.period)} "
            f'<span class="muted">{escape(lesson.starts_at)}</span></td>\n'
            f"        <td>{escape(lesson.class_code)}</td>\n"
            f"        <td>{room}</td>\n"
            f"        <td>{escape(lesson.teachers)}</td>\n      </tr>\n    "
        )
    return mark_safe("".join(parts))


def guardians_html(guardians: list[GuardianContact], *, may_correct: bool) -> SafeString:
    """Each parent's or carer's contact details, with a link to correct them for those who may
    correct the student's records."""
    if not guardians:
        return mark_safe("\n  <p>No parents or carers recorded.</p>\n  ")
    correct_url = url_maker("record-correct", 2)
    parts = []
    for g in guardians:
        name = escape(g.name)
        responsibility = ", parental responsibility" if g.parental_responsibility else ""
        mobile = f" · Mobile {escape(g.mobile)}" if g.mobile else ""
        email = f' · <a href="mailto:{escape(g.email)}">{escape(g.email)}</a>' if g.email else ""
        address = ""
        if g.address:
            # As the linebreaksbr filter writes it.
            lines = escape(normalize_newlines(g.address)).replace("\n", "<br>")
            postcode = f", {escape(g.postcode)}" if g.postcode else ""
            address = f'<p class="muted">{lines}{postcode}</p>'
        correct = ""
        if may_correct:
            url = escape(correct_url("guardian", g.pk))
            correct = f'<p><a href="{url}">Correct {name}’s contact details</a></p>'
        parts.append(
            '\n  <div class="contact">\n'
            f'    <h3>{g.priority}. {name} <span class="muted">'
            f"({escape(g.relationship_label)}{responsibility})</span></h3>\n"
            f"    <p>Prefers: {escape(g.preferred_channel_label)}{mobile}{email}</p>\n"
            f"    {address}\n    {correct}\n  </div>\n  "
        )
    return mark_safe("".join(parts))
