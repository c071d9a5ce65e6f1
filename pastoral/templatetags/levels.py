"""`{% load levels %}`: notes that carry a confidentiality level (room log notes, drop-ins),
cut to those the reader may read. A staff-level note shows to whoever sees the page; above
that, `pastoral.policies.level_allows` decides; the rest are left out entirely."""

from django import template
from django.template.base import render_value_in_context

from pastoral import policies
from pastoral.rendering import level_raise_html

register = template.Library()


@register.filter
def readable_by(records, user):
    return [record for record in records if policies.note_readable(user, record)]


@register.filter
def raise_levels(record, user):
    """The higher levels `user` may raise `record`'s note to (never a lower one), or none when
    they may not raise it (pastoral.policies.can_raise_level): for the "Raise the level" control
    shown by each note."""
    student, level, author_id = record.level_subject()
    if not policies.can_raise_level(user, student=student, level=level, author_id=author_id):
        return []
    return policies.higher_levels(level)


@register.simple_tag(takes_context=True)
def level_raise(context, *, url, levels, level_label, what, next_url=""):
    """The "raise the level" control (pastoral.rendering.level_raise_html) with the page's
    CSRF token: `levels` the higher ones only, `what` the note for screen readers, `next_url`
    where to go back to."""
    return level_raise_html(
        url=url,
        levels=levels,
        level_label=level_label,
        what=what,
        csrf_token=context.get("csrf_token"),
        # Written as {{ next }} wrote it: a page's own `next` (the register's next day) reaches
        # pastoral/_level_raise.html through the include's context.
        next_url=render_value_in_context(next_url, context) if next_url else "",
    )
