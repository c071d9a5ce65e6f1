"""Placing lessons into a two-week timetable without clashes.

A *unit* is a set of parallel classes that meet at the same time (a year band's maths sets, an
option block, or one form's geography). Placing a band's units is a bipartite assignment of
lessons to the band's free slots, solved as a maximum flow so a feasible placement is always
found when one exists; each department's teachers bound how many of its classes can meet in one
slot, across the whole school.
"""

import math
import random
from collections import Counter
from dataclasses import dataclass

from school.demo.curriculum import LESSON_PERIODS, dept_demand

Slot = tuple[int, str]  # (cycle day 1–10, period code)


@dataclass(slots=True)
class Unit:
    lessons: int
    demand: dict[str, int]  # department code -> classes meeting at once
    per_day: int | None = None  # most lessons in one day; None: spread evenly


class _Flow:
    """A tiny max-flow (augmenting paths by DFS); the graphs here have a few hundred nodes."""

    def __init__(self) -> None:
        self.graph: dict[int, dict[int, int]] = {}

    def add(self, a: int, b: int, cap: int) -> None:
        self.graph.setdefault(a, {})[b] = self.graph.get(a, {}).get(b, 0) + cap
        self.graph.setdefault(b, {}).setdefault(a, 0)

    def _augment(self, node: int, sink: int, seen: set[int]) -> bool:
        if node == sink:
            return True
        seen.add(node)
        for nxt, cap in self.graph[node].items():
            if cap > 0 and nxt not in seen and self._augment(nxt, sink, seen):
                self.graph[node][nxt] -= 1
                self.graph[nxt][node] += 1
                return True
        return False

    def run(self, source: int, sink: int) -> int:
        flow = 0
        while self._augment(source, sink, set()):
            flow += 1
        return flow


def place_units(
    units: list[Unit],
    slots: list[Slot],
    usage: dict[Slot, Counter],
    capacity: dict[str, int],
    rng: random.Random,
    per_day: int | None = None,
) -> list[list[Slot]] | None:
    """Slots for each unit's lessons, one unit per slot, within department capacity; None if
    no placement exists. `usage` is updated with what was placed."""
    need = sum(unit.lessons for unit in units)
    if need > len(slots):
        return None
    days = sorted({day for day, _ in slots})
    flow = _Flow()
    source, sink = 0, 1
    unit_node = {i: 2 + i for i in range(len(units))}
    next_id = 2 + len(units)
    unit_day_node: dict[tuple[int, int], int] = {}
    slot_node: dict[Slot, int] = {}
    for slot in slots:
        slot_node[slot] = next_id
        flow.add(next_id, sink, 1)
        next_id += 1
    order = list(range(len(units)))
    rng.shuffle(order)
    for i in order:
        unit = units[i]
        flow.add(source, unit_node[i], unit.lessons)
        cap = unit.per_day or per_day or max(1, math.ceil(unit.lessons / len(days)))
        fitting = [
            slot
            for slot in slots
            if all(
                usage[slot][dept] + n <= capacity.get(dept, 0) for dept, n in unit.demand.items()
            )
        ]
        # Prefer the slots where these departments are least busy, so later bands still fit.
        rng.shuffle(fitting)
        fitting.sort(key=lambda s: sum(usage[s][dept] for dept in unit.demand))
        for day in days:
            node = next_id
            next_id += 1
            unit_day_node[(i, day)] = node
            flow.add(unit_node[i], node, cap)
        for slot in fitting:
            flow.add(unit_day_node[(i, slot[0])], slot_node[slot], 1)
    if flow.run(source, sink) < need:
        return None
    placed: list[list[Slot]] = [[] for _ in units]
    by_node = {node: slot for slot, node in slot_node.items()}
    for (i, _day), node in unit_day_node.items():
        for nxt, cap in flow.graph[node].items():
            # A used unit-day -> slot edge has its capacity moved to the reverse edge.
            if nxt in by_node and cap == 0 and flow.graph[nxt][node] == 1:
                placed[i].append(by_node[nxt])
    for unit, unit_slots in zip(units, placed, strict=True):
        for slot in unit_slots:
            usage[slot].update(unit.demand)
    return placed


def timetable_bands(plan: dict, capacity: dict[str, int], rng: random.Random) -> dict:
    """For each band, the slots of its band-wide units, then of each form's own units in the
    slots left; bands are tried in a shuffled order until every band fits."""
    all_slots: list[Slot] = [(day, code) for day in range(1, 11) for code in LESSON_PERIODS]
    for _attempt in range(30):
        usage: dict[Slot, Counter] = {slot: Counter() for slot in all_slots}
        placed = {}
        bands = list(plan)
        rng.shuffle(bands)
        ok = True
        for key in bands:
            band_units, form_units, band_forms = plan[key]
            result = _place_band(
                band_units, form_units, band_forms, all_slots, usage, capacity, rng
            )
            if result is None:
                ok = False
                break
            placed[key] = result
        if ok:
            return placed
    raise RuntimeError("could not timetable this school: add teachers or shrink classes")


def _place_band(band_units, form_units, band_forms, all_slots, usage, capacity, rng):
    """Slots for a band's units and each of its forms' units, or None (usage left unchanged)."""
    saved = {slot: Counter(c) for slot, c in usage.items()}
    for per_day in (None, None, None, None, 2, 2):
        units = [Unit(lessons, dept_demand(subjects)) for _, subjects, lessons, _ in band_units]
        # Form time is a unit too, spread over the fortnight, so no day is all form lessons.
        form_time = len(all_slots) - sum(u.lessons for u in units)
        days = len({day for day, _ in all_slots})
        units.append(Unit(form_time, {}, per_day=math.ceil(form_time / days)))
        placed = place_units(units, all_slots, usage, capacity, rng, per_day)
        if placed is None:
            continue
        band_slots, free = placed[:-1], placed[-1]
        after_band = {slot: Counter(c) for slot, c in usage.items()}
        for _form_try in range(4):
            per_form = {}
            for form in band_forms:
                units = [
                    Unit(lessons, dept_demand(subjects)) for _, subjects, lessons, _ in form_units
                ]
                # A day with more free slots than subjects needs a double lesson.
                for cap in (per_day, 2, 3):
                    form_slots = place_units(units, free, usage, capacity, rng, cap)
                    if form_slots is not None:
                        break
                if form_slots is None:
                    break
                per_form[form] = form_slots
            else:
                return band_slots, per_form
            for slot, counter in after_band.items():
                usage[slot] = Counter(counter)
        for slot, counter in saved.items():
            usage[slot] = Counter(counter)
    return None
