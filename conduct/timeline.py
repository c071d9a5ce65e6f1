"""A student's whole history on one timeline, from every app, as the reader may see it, and its
entries written as the page's HTML."""

from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from conduct.lib.rendering import escape
from conduct.lib.timeline import TimelineEntry, shape
from notify import selectors as notify_selectors
from pastoral.selectors import timeline as pastoral_timeline
from patrol.selectors import timeline as patrol_timeline
from sanctions.selectors import timeline as sanctions_timeline
from school.models import Student

# Each app gives its own entries, already cut to what the viewer may see and open.
SOURCES = (
    sanctions_timeline.timeline_entries,
    pastoral_timeline.timeline_entries,
    notify_selectors.timeline_entries,
    patrol_timeline.timeline_entries,
)


def student_timeline(student: Student, *, viewer, pastoral_read=None) -> list[TimelineEntry]:
    """Everything Conduct holds about `student` that `viewer` may see, newest first.
    `pastoral_read`: the pastoral records the page has already read (`discussions`,
    `meetings`, `interventions`, as `pastoral.selectors.timeline.timeline_entries` takes them),
    so the timeline does not read them again."""
    entries: list[TimelineEntry] = []
    for source in SOURCES:
        if source is pastoral_timeline.timeline_entries and pastoral_read:
            entries += source(student, viewer=viewer, **pastoral_read)
        else:
            entries += source(student, viewer=viewer)
    return shape(sorted(entries, key=lambda entry: entry.at, reverse=True))


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
