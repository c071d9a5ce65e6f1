from django import template

from conduct.lib.rendering import field_html

register = template.Library()


@register.simple_tag
def field(bound_field, one_of=False):
    """`{% field form.name %}`: the field with its label, hint and errors
    (conduct.lib.rendering.field_html); `one_of=True` for a field of several of which one is
    needed (no "(optional)")."""
    return field_html(bound_field, one_of=bool(one_of))
