"""`{% choice_boxes form.field %}`: a field of radio buttons or checkboxes, written in Python
(pastoral.rendering.choice_boxes_html) as the include pastoral/_checkboxes.html wrote it."""

from django import template

from pastoral.rendering import choice_boxes_html

register = template.Library()


@register.simple_tag
def choice_boxes(field):
    return choice_boxes_html(field)
