from django import template

register = template.Library()


@register.filter
def session_mark(placement_day, session: str):
    """The placement_day's mark for a session, from the prefetched marks (no query)."""
    return next((mark for mark in placement_day.marks.all() if mark.session == session), None)


@register.filter
def placement_letters(placement_day):
    """Parent messages caused by this placement_day's placement, from the prefetched messages."""
    return [
        message
        for message in getattr(placement_day.placement.student, "placement_messages", [])
        if message.related_id == placement_day.placement_id
    ]
