from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import escape

register = template.Library()


@register.tag
def asset(parser, token):
    """`{% asset 'conduct/conduct.css' %}`: `{% static %}` for the files every page loads (the
    layout's script and style). The storage builds an address afresh each time (some ninety
    Python calls), and a file's address does not change while the process runs: it is made
    once, escaped once, and the tag takes only a quoted path (nothing to look up per page)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][:1] not in "'\"" or bits[1][-1:] != bits[1][:1]:
        raise template.TemplateSyntaxError("{% asset %} takes one quoted path")
    return AssetNode(bits[1][1:-1])


class AssetNode(template.Node):
    def __init__(self, path: str):
        self.path = path

    def render(self, context) -> str:
        return _address(self.path)


@cache
def _address(path: str) -> str:
    return escape(static(path))
