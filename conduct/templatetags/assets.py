from functools import cache

from django import template
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """`{% static path %}` for the files every page loads (the layout's script and style): the
    storage builds an address afresh each time (some ninety Python calls), and a file's address
    does not change while the process runs."""
    return _address(path)


@cache
def _address(path: str) -> str:
    return static(path)
