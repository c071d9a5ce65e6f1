from django import template

register = template.Library()


@register.filter
def session_mark(placement_day, session: str):
    """The placement_day's mark for a session, from the prefetched marks (no query)."""
    return next((mark for mark in placement_day.marks.all() if mark.session == session), None)
