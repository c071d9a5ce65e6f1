"""`{% load levels %}`: notes that carry a confidentiality level (room log notes, drop-ins),
cut to those the reader may read. A staff-level note shows to whoever sees the page; above
that, `pastoral.policies.level_allows` decides; the rest are left out entirely."""

from django import template

from pastoral import policies

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
