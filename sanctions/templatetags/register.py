from django import template

register = template.Library()


@register.filter
def session_mark(line, session: str):
    """The line's mark for a session, from the prefetched marks (no query)."""
    return next((mark for mark in line.marks.all() if mark.session == session), None)


@register.filter
def placement_letters(line):
    """Parent messages caused by this line's placement, from the prefetched messages."""
    return [
        message
        for message in getattr(line.placement.student, "placement_messages", [])
        if message.related_id == line.placement_id
    ]
