"""The first few items of a long list, with how many there are in all (issue 15: a home page's
to-do list shows the first few and links to the rest instead of drawing every item)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Window

T = TypeVar("T")

# How many items a to-do list on the home page shows before "and N more".
FIRST = 8


@dataclass(frozen=True)
class FirstItems(Generic[T]):
    """`items`: the first few, in order; `total`: how many there are in all. Iterating and
    `len` give the items shown; `more` is how many are left out."""

    items: list[T]
    total: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def first_of(rows, count: int | None = FIRST) -> FirstItems:
    """The first `count` of `rows` (a list, or a `.values()` queryset, not `.distinct()`: the
    window counts rows before that) and their total. A queryset is read in one query, each row
    carrying the count of them all (a window over every row: issue 15, cheaper to build than a
    count query more). `count` None takes every row."""
    if count is None:
        items = list(rows)
        return FirstItems(items, len(items))
    if isinstance(rows, Sequence):
        return FirstItems(list(rows[:count]), len(rows))
    return first_items(list(first_query(rows, count)))


def first_query(rows, count: int = FIRST):
    """The query `first_of` reads for a `.values()` queryset: its first `count` rows, each
    carrying the count of them all (for a compiled read: `conduct.lib.compiled`)."""
    return rows.annotate(first_of_total=Window(Count("*")))[:count]


def first_items(head: list[dict]) -> FirstItems:
    """`FirstItems` of the rows `first_query` read."""
    total = head[0]["first_of_total"] if head else 0
    for row in head:
        del row["first_of_total"]
    return FirstItems(head, total)
