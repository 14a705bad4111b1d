"""Small-number suppression for every figure the trust console publishes.

ONE function decides what may be shown: `suppress(values, equations)` takes a whole table — every
cell and every total that is published with it, as equations "total = sum of parts" — and
returns each entry's state:

- primary: a count from 1 to 4 ("fewer than 5"), it could identify a child;
- secondary: a figure hidden ("suppressed") because, with what else is published, it would let
  someone work out a primary one by addition or subtraction. "suppressed" promises nothing about
  the number (usually 5 or more; a small count whose "fewer than 5" would pin it is shown so too);
- published.

Secondary suppression is iterated until no hidden figure is determined by the published ones:
exactly (linear algebra over the equations: a hidden figure is recoverable when it is fixed by
every solution of them) and by bounds (a reader knows a "fewer than 5" is 1 to 4, so two of them
adding up to 2 or 8 give themselves away). When a hidden
figure is exposed, the smallest non-zero published entry of its shortest equation is hidden too,
a school's cell before its school total, a trust total before another school's cell.

`publish_figures(figures, specs)` builds that table for the trust's rollup figures. What a
school's total is "published with":

- each count metric's cells per school and category;
- per school, the total of a metric over its categories (the trend page shows it for every
  term); metrics that count the same pupils share ONE total (`MetricSpec.row_total`): the SEN
  register total is published with provision (K + E), primary need, broad area of need and year
  group — so Cedar's K = 12 with E = "fewer than 5" cannot be undone by a trend total of 16;
- per metric and category, the trust total ("All schools" on the dashboard, CSV and API);
- a category that is the sum of other figures (`MetricSpec.parts`: each broad area of need is
  the sum of its primary needs);
- percentages, days and money are not counts: they are hidden whenever the count that guards
  them (`MetricSpec.suppress_with`) is hidden, primary or secondary (with the roll published, a
  percentage of roll is the count).

The dashboard, its CSV, the trust API, the trend pages and the charts all read the result, so a
figure is hidden everywhere or nowhere.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class MetricSpec(Protocol):
    """What suppression reads of a metric (apps.trust.rollups.MetricSpec)."""

    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def categories(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def suppress_with(self) -> tuple[str, str | None] | None: ...
    @property
    def on_dashboard(self) -> bool: ...
    @property
    def row_total(self) -> str: ...
    @property
    def parts(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]: ...


def format_value(value: float, spec: MetricSpec) -> str:
    """A published figure as text."""
    if spec.kind == "percent":
        return f"{value:.1f}%"
    if spec.kind == "days":
        return f"{value:.0f} days"
    if spec.kind == "money":
        return f"£{value:,.0f}"
    return f"{value:.0f}"


SUPPRESSION_LIMIT = 5
PRIMARY_LABEL = "fewer than 5"
SECONDARY_LABEL = "suppressed"

PUBLISHED = "published"
PRIMARY = "primary"
SECONDARY = "secondary"

_PRIME = (1 << 61) - 1
ALGORITHM = "v10"  # part of the cache key: change it whenever suppress() decides differently
BATCH = 8  # exposed entries mended per group and round when no single equation explains them  # exact elimination over a large prime field
_INFINITY = float("inf")


def is_small(value: float | None) -> bool:
    """A count from 1 to 4: never shown outside the school."""
    return value is not None and 0 < value < SUPPRESSION_LIMIT


@dataclass(frozen=True)
class Equation:
    """A published relationship: `total` is the sum of `parts`. When a second entry must be
    hidden, a part goes before the total, unless `total_first` (a trust total: hiding it costs
    one figure, where hiding another school's figure costs that school's row)."""

    total: Hashable
    parts: tuple[Hashable, ...]
    total_first: bool = False

    def keys(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)


def suppress(
    values: Mapping[Hashable, float], equations: Iterable[Equation]
) -> dict[Hashable, str]:
    """The state of every entry of `values` (PUBLISHED, PRIMARY or SECONDARY) such that no hidden
    entry can be worked out from the published entries and equations."""
    eqs = [e for e in equations if all(k in values for k in e.keys())]
    state = {k: PRIMARY if is_small(v) else PUBLISHED for k, v in values.items()}
    order = {k: i for i, k in enumerate(values)}
    by_key: dict[Hashable, list[Equation]] = defaultdict(list)
    for e in eqs:
        for k in e.keys():
            by_key[k].append(e)
    cache: dict[frozenset, tuple] = {}
    spent: frozenset = frozenset()

    def protected(k: Hashable) -> bool:
        """A small count, however it is labelled: it must never be worked out."""
        return state[k] != PUBLISHED and is_small(values[k])

    def hidden_in(e: Equation) -> int:
        return sum(state[k] != PUBLISHED for k in e.keys())

    for _ in range(len(values) + 1):
        found_parts = _exposed_by_component(values, eqs, state, cache)
        found_parts = [frozenset(k for k in found if protected(k)) for found in found_parts]
        by_bounds_now = found_parts[-1]
        exposed_parts = [sorted(found, key=lambda k: order[k]) for found in found_parts if found]
        if not exposed_parts:
            break
        changed = False
        # First the classic case: an equation whose only hidden entry is exposed gets a second.
        mended: set[int] = set()
        for key in sorted((k for part in exposed_parts for k in part), key=lambda k: order[k]):
            for e in by_key[key]:
                if id(e) in mended or hidden_in(e) != 1:
                    continue
                choice = _next_to_hide(e, values, state, order, spent)
                if choice is not None:
                    state[choice] = SECONDARY
                    mended.add(id(e))
                    changed = True
        if changed:
            continue
        # Exposed by bounds: the fix is in that one equation, each can be mended at once.
        for e in eqs:
            if id(e) in mended or not any(k in by_bounds_now for k in e.keys()):
                continue
            if not _pinned_in(e, values, state):
                continue
            choice = _next_to_hide(e, values, state, order, spent)
            if choice is not None:
                state[choice] = SECONDARY
                mended.add(id(e))
                changed = True
        if changed:
            continue
        # Otherwise (exposed through several equations): in each independent group, one more
        # entry in the nearest equation (from the first exposed entry, through hidden entries)
        # that still has one to give; then look again.
        for part in exposed_parts:
            # Several at once keeps a large trust to a few rounds; an entry already mended this
            # round (its nearest equation gained a hidden entry) waits for the next look.
            for key in part[:BATCH]:
                choice = _nearest_to_hide(key, by_key, values, state, order, spent)
                if choice is not None:
                    state[choice] = SECONDARY
                    changed = True
        if not changed:
            # Nothing left to hide, yet a small count is pinned by what the labels say (four
            # "fewer than 5" needs in an area of "fewer than 5": each is 1). Say less: the
            # equation's hidden total (else one of its small counts) becomes "suppressed".
            # The nearest equation that still has one; else any around the pinned figure (the
            # pinning may run through several equations: 2 + 2 in two tiny schools' years).
            for part in exposed_parts:
                pinned = [k for k in part if k in by_bounds_now]
                if not pinned:
                    continue  # worked out exactly, and every figure around it is hidden
                candidates = [
                    *sorted((e for k in pinned for e in by_key[k]), key=hidden_in),
                    *_equations_around(pinned[0], by_key, state),
                ]
                relabel = next(
                    (c for c in candidates if any(state[k] == PRIMARY for k in c.keys())), None
                )
                if relabel is None:
                    continue
                small = [k for k in relabel.keys() if state[k] == PRIMARY]
                choice = min(small, key=lambda k: (k != relabel.total, order[k]))
                state[choice] = SECONDARY
                changed = True
        if not changed:
            # Every figure around is hidden already and a small count can still be pinned (a
            # tiny school whose figures are all "fewer than 5"): showing anything back could
            # only make it worse.
            return state
    # A hidden figure of 5 or more that a reader can work out anyway protects nothing: show it.
    for found in _exposed_by_component(values, eqs, state, cache):
        for k in found:
            if state[k] == SECONDARY and not is_small(values[k]):
                state[k] = PUBLISHED
    # Then give back what the search hid on the way but is not needed: each figure in turn (a
    # school's before a total) is shown again if no small count can then be worked out.
    for k in sorted(
        (k for k in state if state[k] == SECONDARY and not is_small(values[k])),
        key=lambda k: (k[0] != "cell" if isinstance(k, tuple) else False, order[k]),
    ):
        around = _equations_around(k, by_key, state)
        state[k] = PUBLISHED
        if any(protected(x) for f in _exposed_by_component(values, around, state) for x in f):
            state[k] = SECONDARY
    return state


def _equations_around(
    start: Hashable, by_key: Mapping[Hashable, list[Equation]], state: Mapping[Hashable, str]
) -> list[Equation]:
    """Every equation reachable from an entry through hidden entries."""
    seen_keys = {start}
    seen: dict[int, Equation] = {}
    frontier = [start]
    while frontier:
        following = []
        for key in frontier:
            for e in by_key.get(key, []):
                if id(e) in seen:
                    continue
                seen[id(e)] = e
                for k in e.keys():
                    if state[k] != PUBLISHED and k not in seen_keys:
                        seen_keys.add(k)
                        following.append(k)
        frontier = following
    return list(seen.values())


def _exposed_by_component(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    state: Mapping[Hashable, str],
    cache: dict[frozenset, tuple] | None = None,
) -> list[frozenset]:
    """Exposed entries, per group of hidden entries linked by equations.

    An equation with a hidden entry that appears in no other equation says nothing about the
    rest (that entry absorbs it): it is set aside, and the entry is exposed only when every other
    hidden entry of its equation is. The remaining groups are independent, each worked out once
    and remembered while it does not change."""
    involved = [(e, [k for k in e.keys() if state[k] != PUBLISHED]) for e in equations]
    involved = [(e, hidden) for e, hidden in involved if hidden]
    # Peel equations that own a hidden entry of their own.
    uses: dict[Hashable, int] = defaultdict(int)
    for _e, hidden in involved:
        for k in set(hidden):
            uses[k] += 1
    alive = [True] * len(involved)
    peeled: list[tuple[Hashable, Equation]] = []
    by_entry: dict[Hashable, list[int]] = defaultdict(list)
    for i, (_e, hidden) in enumerate(involved):
        for k in set(hidden):
            by_entry[k].append(i)
    queue = [k for k, n in uses.items() if n == 1]
    while queue:
        k = queue.pop()
        if uses[k] != 1:
            continue
        living = next((i for i in by_entry[k] if alive[i]), None)
        if living is None:
            continue
        i = living
        alive[i] = False
        hidden = involved[i][1]
        peeled.append((k, involved[i][0]))
        for o in set(hidden):
            uses[o] -= 1
            if uses[o] == 1:
                queue.append(o)
    parent: dict[Hashable, Hashable] = {}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    kept = [(e, hidden) for (e, hidden), a in zip(involved, alive, strict=True) if a]
    for _e, hidden in kept:
        for k in hidden:
            parent.setdefault(k, k)
        root = find(hidden[0])
        for k in hidden[1:]:
            other = find(k)
            if other != root:
                parent[other] = root
    groups: dict[Hashable, list[Equation]] = defaultdict(list)
    members: dict[Hashable, set[Hashable]] = defaultdict(set)
    for e, hidden in kept:
        root = find(hidden[0])
        groups[root].append(e)
        members[root].update(hidden)
    out: list[frozenset] = []
    pivots: dict[Hashable, dict[Hashable, int]] = {}
    for root, group in groups.items():
        name = frozenset(members[root])
        cached = cache.get(name) if cache is not None else None
        if cached is None:
            cached = _determined_linearly(group, state)
            if cache is not None:
                cache[name] = cached
        found, group_pivots = cached
        pivots.update(group_pivots)
        out.append(frozenset(found))
    # A set-aside entry is a combination of the others in its equation: exposed when that
    # combination is fixed by the rest (it reduces to nothing against the pivot rows).
    expressions: dict[Hashable, dict[Hashable, int]] = {}
    extra: set[Hashable] = set()
    for k, equation in reversed(peeled):
        row = _hidden_row(equation, state)
        own = row.pop(k)
        scale = (-pow(own, _PRIME - 2, _PRIME)) % _PRIME
        combination: dict[Hashable, int] = {}
        for o, c in row.items():
            if o in expressions:
                _add_multiple(combination, expressions[o], c * scale)
            else:
                _add_multiple(combination, {o: 1}, c * scale)
        expressions[k] = combination
        reduced = dict(combination)
        for var in [v for v in reduced if v in pivots]:
            factor = reduced.get(var)
            if factor:
                _add_multiple(reduced, pivots[var], -factor)
        if not reduced:
            extra.add(k)
    # Bounds, with what is worked out exactly counted as known (a reader substitutes it).
    known = set(extra).union(*out)
    seen = {k: (PUBLISHED if k in known else v) for k, v in state.items()} if known else state
    by_bounds = _bounded_by_component(values, [e for e, _ in involved], seen, cache)
    return [*out, frozenset(extra), frozenset(by_bounds)]


def _bounded_by_component(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    state: Mapping[Hashable, str],
    cache: dict[frozenset, tuple] | None,
) -> set:
    """`_determined_by_bounds` per group of hidden entries linked by equations (ranges narrow
    only through hidden entries), each group remembered while its entries and labels stay."""
    parent: dict[Hashable, Hashable] = {}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    with_hidden = [(e, [k for k in e.keys() if state[k] != PUBLISHED]) for e in equations]
    with_hidden = [(e, hidden) for e, hidden in with_hidden if hidden]
    hidden_of = [hidden for _e, hidden in with_hidden]
    for hidden in hidden_of:
        for k in hidden:
            parent.setdefault(k, k)
        root = find(hidden[0])
        for k in hidden[1:]:
            other = find(k)
            if other != root:
                parent[other] = root
    groups: dict[Hashable, list[Equation]] = defaultdict(list)
    for e, hidden in with_hidden:
        groups[find(hidden[0])].append(e)
    members: dict[Hashable, list[Hashable]] = defaultdict(list)
    for k in parent:
        members[find(k)].append(k)
    out: set = set()
    for root, group in groups.items():
        name = frozenset(("bounds", k, state[k]) for k in members[root])
        found = cache.get(name) if cache is not None else None
        if found is None:
            found = (frozenset(_determined_by_bounds(values, group, state)),)
            if cache is not None:
                cache[name] = found
        out |= found[0]
    return out


def _nearest_to_hide(
    start: Hashable,
    by_key: Mapping[Hashable, list[Equation]],
    values: Mapping[Hashable, float],
    state: dict[Hashable, str],
    order: dict,
    spent: set[Hashable] | frozenset,
) -> Hashable | None:
    """The figure to hide next for an entry worked out through several equations: among every
    equation reachable from it through hidden entries, the cheapest figure to lose — a trust
    total before a school's figure, a school's figure before a school total — nearest first."""
    seen_keys = {start}
    seen_equations: set[int] = set()
    frontier = [start]
    found: list[tuple[int, int, float, int, Hashable]] = []
    distance = 0
    while frontier:
        following: list[Hashable] = []
        for key in frontier:
            for e in by_key.get(key, []):
                if id(e) in seen_equations:
                    continue
                seen_equations.add(id(e))
                choice = _next_to_hide(e, values, state, order, spent)
                if choice is not None:
                    cost = (
                        0 if e.total_first and choice == e.total else 2 if choice == e.total else 1
                    )
                    found.append((cost, distance, values[choice], order[choice], choice))
                for k in e.keys():
                    if state[k] != PUBLISHED and k not in seen_keys:
                        seen_keys.add(k)
                        following.append(k)
        frontier = following
        distance += 1
    return min(found, key=lambda f: f[:4])[4] if found else None


def _pinned_in(
    e: Equation, values: Mapping[Hashable, float], state: Mapping[Hashable, str]
) -> bool:
    return bool(_determined_by_bounds(values, [e], state))


def _next_to_hide(
    e: Equation,
    values: Mapping[Hashable, float],
    state: dict[Hashable, str],
    order: dict,
    spent: set[Hashable] | frozenset = frozenset(),
) -> Hashable | None:
    published = [k for k in e.keys() if state[k] == PUBLISHED and values[k] != 0 and k not in spent]
    if not published:
        return None
    return min(published, key=lambda k: ((k == e.total) != e.total_first, values[k], order[k]))


def exposed_entries(
    values: Mapping[Hashable, float], equations: Sequence[Equation], state: Mapping[Hashable, str]
) -> set[Hashable]:
    """Hidden entries that the published ones determine (exactly, or by the bounds a reader knows
    from the labels)."""
    return set().union(*_exposed_by_component(values, equations, state))


def _determined_linearly(
    equations: Sequence[Equation], state: Mapping[Hashable, str]
) -> tuple[set, dict[Hashable, dict[Hashable, int]]]:
    """Hidden entries fixed by every solution of the equations (published entries known): the
    pivot rows of the reduced row echelon form that have no free variable left. Also returns the
    pivot rows (pivot coefficient 1), to test other combinations against."""
    pivots: dict[Hashable, dict[Hashable, int]] = {}
    for e in equations:
        row = _hidden_row(e, state)
        for var in [v for v in row if v in pivots]:
            c = row.get(var)
            if c:
                _add_multiple(row, pivots[var], -c)
        if not row:
            continue
        var = next(iter(row))
        inverse = pow(row[var], _PRIME - 2, _PRIME)
        row = {v: (c * inverse) % _PRIME for v, c in row.items()}
        for other in pivots.values():
            c = other.get(var)
            if c:
                _add_multiple(other, row, -c)
        pivots[var] = row
    return {var for var, row in pivots.items() if len(row) == 1}, pivots


def _hidden_row(e: Equation, state: Mapping[Hashable, str]) -> dict[Hashable, int]:
    """total - sum(parts), over the hidden entries only (the published ones are constants)."""
    row: dict[Hashable, int] = {}
    for k, coefficient in ((e.total, 1), *((p, -1) for p in e.parts)):
        if state[k] != PUBLISHED:
            row[k] = (row.get(k, 0) + coefficient) % _PRIME
            if row[k] == 0:
                del row[k]
    return row


def _add_multiple(row: dict[Hashable, int], other: dict[Hashable, int], factor: int) -> None:
    for v, c in other.items():
        n = (row.get(v, 0) + factor * c) % _PRIME
        if n:
            row[v] = n
        else:
            row.pop(v, None)


def _determined_by_bounds(
    values: Mapping[Hashable, float],
    equations: Sequence[Equation],
    state: Mapping[Hashable, str],
) -> set:
    """Bounds, over every equation at once: a reader knows "fewer than 5" is 1 to 4;
    "suppressed" may be any number (it is usually 5 or more, but a small count is shown as
    "suppressed" when "fewer than 5" would pin it). Each equation narrows each of its hidden
    entries to what the others' ranges leave (whole numbers), round after round until nothing
    narrows; a hidden entry left one value is exposed. (5 = x + y with x "fewer than 5" leaves y
    1 to 4; 8 = y + z with z "fewer than 5" then leaves y = 4.)"""
    low: dict[Hashable, float] = {}
    high: dict[Hashable, float] = {}
    signed_equations = []
    for e in equations:
        signed = [(e.total, 1), *((p, -1) for p in e.parts)]
        signed_equations.append(signed)
        for k, _sign in signed:
            if k in low:
                continue
            s = state[k]
            if s == PUBLISHED:
                low[k] = high[k] = values[k]
            elif s == PRIMARY:
                low[k], high[k] = 1, SUPPRESSION_LIMIT - 1
            else:
                low[k], high[k] = 0, _INFINITY
    # Every range holds the true value, so each narrowing is by a whole number towards it: this
    # ends (the cap on steps is only a guard). An equation is looked at again only when one of
    # its entries has narrowed.
    using: dict[Hashable, list[int]] = defaultdict(list)
    for i, signed in enumerate(signed_equations):
        for k, _sign in signed:
            if state[k] != PUBLISHED:
                using[k].append(i)
    waiting = deque(range(len(signed_equations)))
    queued = set(waiting)
    steps = 0
    while waiting and steps < 100 * len(signed_equations) + 100:
        steps += 1
        i = waiting.popleft()
        queued.discard(i)
        signed = signed_equations[i]
        # total - sum(parts) = 0, as sum(sign * x) = 0.
        lows = [low[k] if sign > 0 else -high[k] for k, sign in signed]
        highs = [high[k] if sign > 0 else -low[k] for k, sign in signed]
        finite_low = sum(x for x in lows if x != -_INFINITY)
        finite_high = sum(x for x in highs if x != _INFINITY)
        infinite_low = sum(1 for x in lows if x == -_INFINITY)
        infinite_high = sum(1 for x in highs if x == _INFINITY)
        if infinite_low > 1 and infinite_high > 1:
            continue  # two unbounded entries each way: nothing narrows here
        for j, (k, sign) in enumerate(signed):
            if state[k] == PUBLISHED:
                continue
            # the others' signed sum lies in [rest_low, rest_high]; sign * x = -(that)
            rest_low = (
                -_INFINITY
                if infinite_low - (lows[j] == -_INFINITY) > 0
                else finite_low - (lows[j] if lows[j] != -_INFINITY else 0)
            )
            rest_high = (
                _INFINITY
                if infinite_high - (highs[j] == _INFINITY) > 0
                else finite_high - (highs[j] if highs[j] != _INFINITY else 0)
            )
            lo, hi = (-rest_high, -rest_low) if sign > 0 else (rest_low, rest_high)
            lo = max(low[k], math.ceil(lo - 1e-9)) if lo != -_INFINITY else low[k]
            hi = min(high[k], math.floor(hi + 1e-9)) if hi != _INFINITY else high[k]
            if lo > low[k] or hi < high[k]:
                low[k], high[k] = lo, hi
                for other in using[k]:
                    if other not in queued:
                        queued.add(other)
                        waiting.append(other)
    return {k for k in low if state[k] != PUBLISHED and high[k] != _INFINITY and high[k] == low[k]}


# --- The trust's figures ----------------------------------------------------------------------

SchoolFigures = Mapping[int, Mapping[tuple[str, str], float]]


def cell_key(school_id: int, metric: str, category: str) -> tuple:
    return ("cell", school_id, metric, category)


def row_key(school_id: int, total: str) -> tuple:
    return ("row", school_id, total)


def column_key(metric: str, category: str) -> tuple:
    return ("column", metric, category)


@dataclass
class Published:
    """The trust's figures with what may be shown of each."""

    values: dict[Hashable, float] = field(default_factory=dict)
    state: dict[Hashable, str] = field(default_factory=dict)
    specs: Mapping[str, MetricSpec] = field(default_factory=dict)

    def hidden(self, key: Hashable) -> bool:
        return self.state.get(key, PUBLISHED) != PUBLISHED

    def label_of(self, key: Hashable) -> str:
        """ "fewer than 5", "suppressed" or "" (published)."""
        s = self.state.get(key, PUBLISHED)
        return PRIMARY_LABEL if s == PRIMARY else SECONDARY_LABEL if s == SECONDARY else ""

    def row_total_key(self, school_id: int, spec: MetricSpec) -> tuple:
        return row_key(school_id, spec.row_total or spec.key)

    def guard_key(self, school_id: int, spec: MetricSpec, category: str) -> tuple | None:
        if spec.suppress_with is None:
            return None
        metric, guard_category = spec.suppress_with
        return cell_key(school_id, metric, category if guard_category is None else guard_category)

    def cell(
        self, school_id: int, spec: MetricSpec, category: str, value: float | None
    ) -> tuple[str, float | None]:
        """(display, value for charts and the API: None when hidden) of one school's figure."""
        if value is None:
            return "–", None
        if spec.kind == "count":
            key: Hashable | None = cell_key(school_id, spec.key, category)
        else:
            key = self.guard_key(school_id, spec, category)
        if key is not None and self.hidden(key):
            label = self.label_of(key)
            if spec.kind != "count":
                label = SECONDARY_LABEL
            return label, None
        return format_value(value, spec), round(value, 1)

    def total(self, spec: MetricSpec, category: str) -> tuple[str, float | None]:
        """The trust total of a count metric in one category."""
        key = column_key(spec.key, category)
        if key not in self.values:
            return "–", None
        if self.hidden(key):
            return self.label_of(key), None
        return format_value(self.values[key], spec), self.values[key]

    def school_total(self, school_id: int, spec: MetricSpec) -> tuple[str, float | None]:
        """A school's total over the metric's categories (as the trend page shows it)."""
        key = self.row_total_key(school_id, spec)
        if key not in self.values:
            return "–", None
        if self.hidden(key):
            return self.label_of(key), None
        return format_value(self.values[key], spec), self.values[key]


def categories_of(spec: MetricSpec, figures: SchoolFigures) -> list[str]:
    """Every category of a metric that any school has, declared ones first."""
    found = {c for f in figures.values() for (m, c) in f if m == spec.key}
    declared = [c for c, _ in spec.categories]
    return declared + sorted(found - set(declared))


def school_value(
    spec: MetricSpec, f: Mapping[tuple[str, str], float], category: str
) -> float | None:
    """A school's figure as published: a count in a declared category the school did not report
    is 0 when the school reported any figures (it counted and found none)."""
    value = f.get((spec.key, category))
    if value is None and f and spec.kind == "count" and spec.categories:
        declared = {c for c, _ in spec.categories}
        if category in declared:
            return 0.0
    return value


def publish_figures(figures: SchoolFigures, specs: Mapping[str, MetricSpec]) -> Published:
    """Suppress the trust's count figures as one table (cells, school totals, trust totals and the
    sums between metrics), returning what may be shown of each."""
    values: dict[Hashable, float] = {}
    equations: list[Equation] = []
    count_specs = [s for s in specs.values() if s.kind == "count" and s.on_dashboard]
    columns: dict[tuple, list[tuple]] = defaultdict(list)
    totals_seen: set[tuple] = set()
    sums: list[Equation] = []  # between metrics: kept below only where the figures bear them out
    for school_id, f in figures.items():
        if not f:
            continue
        for spec in count_specs:
            parts: list[tuple] = []
            for category in categories_of(spec, figures):
                value = school_value(spec, f, category)
                if value is None:
                    continue
                key = cell_key(school_id, spec.key, category)
                values[key] = float(value)
                parts.append(key)
                columns[column_key(spec.key, category)].append(key)
            if not parts:
                continue
            total = row_key(school_id, spec.row_total or spec.key)
            if total not in totals_seen:
                totals_seen.add(total)
                values[total] = float(sum(values[p] for p in parts))
            equations.append(Equation(total, tuple(parts)))
            for category, other_metric, other_categories in spec.parts:
                key = cell_key(school_id, spec.key, category)
                if key not in values:
                    continue
                members = tuple(
                    cell_key(school_id, other_metric, c)
                    for c in other_categories
                    if cell_key(school_id, other_metric, c) in values or (other_metric, c) in f
                )
                sums.append(Equation(key, members))
                equations.append(sums[-1])
    # A sum between metrics is one a reader would use where the figures bear it out (an area of
    # need always is the sum of its needs; EHC plans maintained are provision E unless the
    # school's records differ, when reading one as the other gives a wrong number anyway).
    unborne = {
        id(e)
        for e in sums
        if all(k in values for k in e.keys()) and values[e.total] != sum(values[k] for k in e.parts)
    }
    equations = [e for e in equations if id(e) not in unborne]
    for column, in_column in columns.items():
        values[column] = float(sum(values[m] for m in in_column))
        equations.append(Equation(column, tuple(in_column), total_first=True))
    # A part may name a figure only another metric's loop adds: keep equations whose keys exist.
    # The same figures and equations always give the same answer: remembered (a trust of 100 schools takes
    # seconds to work out; the dashboard, CSV, API and trend pages then share one answer).
    from django.core.cache import cache

    digest = hashlib.sha256(
        repr((sorted(specs), sorted(values.items(), key=repr), equations)).encode()
    ).hexdigest()
    cache_key = f"trust-suppression:{ALGORITHM}:{digest}"
    state = cache.get(cache_key)
    if state is None:
        state = suppress(values, equations)
        cache.set(cache_key, state, 7 * 24 * 60 * 60)
    return Published(values=values, state=state, specs=specs)
