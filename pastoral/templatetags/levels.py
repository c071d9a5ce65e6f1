"""`{% load levels %}`: notes that carry a confidentiality level (room log notes, drop-ins),
cut to those the reader may read. A staff-level note shows to whoever sees the page; above
that, `pastoral.policies.level_allows` decides; the rest are left out entirely."""

from django import template

from pastoral import policies

register = template.Library()


@register.filter
def readable_by(records, user):
    return [record for record in records if policies.note_readable(user, record)]
