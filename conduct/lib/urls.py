"""A page's URL for many rows, reversed once (issue 15: reversing a URL per row of a long list
cost more than drawing the row)."""

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# Digits match every converter the project's URLs use (int and str).
_MARKERS = ("9176543210001", "9176543210002", "9176543210003")
_SAFE = "!$&'()*+,;=~:@"


# Each URL's text around its arguments, by name, arity, script prefix and URLconf (a test may
# change ROOT_URLCONF): found once per process, not once per page (a student's page makes
# twelve, each a `reverse`, ~0.3 ms).
_PARTS: dict[tuple, list[str]] = {}


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """`make = url_maker("register", 2)`; `make(room_code, day)` gives what
    `reverse("register", args=[room_code, day])` gives, without resolving the pattern each
    time."""
    key = (name, arity, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    parts = _PARTS.get(key)
    if parts is None:
        parts = [reverse(name, args=_MARKERS[:arity])]
        for marker in _MARKERS[:arity]:
            head, tail = parts[-1].split(marker)
            parts[-1:] = [head, tail]
        _PARTS[key] = parts

    def make(*args) -> str:
        out = [parts[0]]
        for arg, part in zip(args, parts[1:], strict=True):
            # An id needs no quoting (most links of a long list are by id).
            out.append(str(arg) if type(arg) is int else quote(str(arg), safe=_SAFE))
            out.append(part)
        return "".join(out)

    return make
