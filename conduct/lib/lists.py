"""The first few items of a long list, with how many there are in all (issue 15: a home page's
to-do list shows the first few and links to the rest instead of drawing every item)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

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
    """The first `count` of `rows` (a queryset or a list) and their total: one query for the
    first `count` + 1 rows, and a count query only when there are more than `count`. `count`
    None takes every row."""
    if count is None:
        items = list(rows)
        return FirstItems(items, len(items))
    head = list(rows[: count + 1])
    if len(head) <= count:
        return FirstItems(head, len(head))
    total = len(rows) if isinstance(rows, Sequence) else rows.count()
    return FirstItems(head[:count], total)
