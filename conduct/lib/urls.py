"""URLs for many rows of one page, reversed once (issue 15: a reverse() per row was a good part
of a long page's time)."""

from collections.abc import Callable

from django.urls import reverse

# An id no row has, to find where the id goes in the reversed URL.
_MARK = 987654321987


def row_url(name: str, *args) -> Callable[[int], str]:
    """`reverse(name, args=[*args, pk])` as a function of `pk`, reversed once: the URL named
    `name` must take the row's id as its last argument."""
    head, tail = reverse(name, args=[*args, _MARK]).split(str(_MARK))
    return lambda pk: f"{head}{pk}{tail}"
