"""A page's URL for many rows, reversed once (issue 15: reversing a URL per row of a long list
cost more than drawing the row)."""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import reverse

# Digits match every converter the project's URLs use (int and str).
_MARKERS = ("9176543210001", "9176543210002", "9176543210003")
_SAFE = "!$&'()*+,;=~:@"


def url_maker(name: str, arity: int = 1) -> Callable[..., str]:
    """`make = url_maker("register", 2)`; `make(room_code, day)` gives what
    `reverse("register", args=[room_code, day])` gives, without resolving the pattern each
    time. Make one per request (the script prefix is the request's)."""
    parts = [reverse(name, args=_MARKERS[:arity])]
    for marker in _MARKERS[:arity]:
        head, tail = parts[-1].split(marker)
        parts[-1:] = [head, tail]

    def make(*args) -> str:
        out = [parts[0]]
        for arg, part in zip(args, parts[1:], strict=True):
            # An id is digits, which quote() leaves as they are (most rows' links are by id).
            out.append(str(arg) if type(arg) is int else quote(str(arg), safe=_SAFE))
            out.append(part)
        return "".join(out)

    return make
