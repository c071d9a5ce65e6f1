from django import template
from django.utils.html import format_html

from conduct import submissions

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_token(context):
    """The hidden one-time token of a form that creates a record (conduct/submissions.py); a
    form shown again after an error keeps the token it was sent with."""
    request = context.get("request")
    token = (submissions.token_of(request) if request is not None else "") or (
        submissions.new_token()
    )
    return format_html('<input type="hidden" name="{}" value="{}">', submissions.FIELD, token)
