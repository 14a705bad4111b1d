"""What a reader of the trust's published figures can work out, written independently of
apps/trust/suppression.py: exact rational elimination over the published equations, and bounds
per equation ("fewer than 5" is 1 to 4, "suppressed" any number)."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Mapping
from fractions import Fraction

HIDDEN_PRIMARY = "fewer than 5"
HIDDEN_SECONDARY = "suppressed"

# (total, parts): total = sum(parts). Each entry's published text: a number or a hidden label.
Line = tuple[Hashable, tuple[Hashable, ...]]


def recovered_linearly(shown: Mapping[Hashable, str], lines: Iterable[Line]) -> set[Hashable]:
    """Hidden entries whose value every solution of the published equations agrees on."""
    lines = _real(shown, lines)
    hidden = sorted({k for k, v in shown.items() if not _is_number(v)}, key=repr)
    column = {k: i for i, k in enumerate(hidden)}
    rows: list[list[Fraction]] = []
    for total, parts in lines:
        row = [Fraction(0)] * len(hidden)
        for k, sign in ((total, 1), *((p, -1) for p in parts)):
            if k in column:
                row[column[k]] += sign
        if any(row):
            rows.append(row)
    # Reduced row echelon form over the rationals.
    pivots: list[tuple[int, int]] = []  # (column, row index)
    r = 0
    for c in range(len(hidden)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append((c, r))
        r += 1
    return {hidden[c] for c, i in pivots if sum(1 for x in rows[i] if x != 0) == 1}


def recovered_by_bounds(shown: Mapping[Hashable, str], lines: Iterable[Line]) -> set[Hashable]:
    """Hidden entries pinned to one value by a single equation and the labels' bounds (every
    combination of up to 3 hidden entries is tried; "suppressed" up to the equation's size)."""
    lines = _real(shown, lines)
    out: set[Hashable] = set()
    for total, parts in lines:
        entries = [(total, 1), *((p, -1) for p in parts)]
        hidden = [(k, s) for k, s in entries if not _is_number(shown[k])]
        if not hidden or len(hidden) > 3:
            continue
        known = sum(s * float(shown[k]) for k, s in entries if _is_number(shown[k]))
        cap = int(sum(abs(float(shown[k])) for k, _ in entries if _is_number(shown[k]))) + 8
        domains = [
            range(1, 5) if shown[k] == HIDDEN_PRIMARY else range(0, cap + 1) for k, _ in hidden
        ]
        possible: dict[Hashable, set[int]] = {k: set() for k, _ in hidden}
        last_key, last_sign = hidden[-1]
        for combo in itertools.product(*domains[:-1]):
            # the last hidden entry is whatever balances the equation, if it is in its range
            rest = known + sum(s * v for (_k, s), v in zip(hidden[:-1], combo, strict=True))
            last = -rest / last_sign
            small = shown[last_key] == HIDDEN_PRIMARY
            if last != int(last) or not (1 <= last <= 4 if small else last >= 0):
                continue
            for (k, _s), v in zip(hidden, (*combo, int(last)), strict=True):
                possible[k].add(v)
        out |= {k for k, values in possible.items() if len(values) == 1}
    return out


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _real(shown: Mapping[Hashable, str], lines: Iterable[Line]) -> list[Line]:
    """Equations between figures that exist ("–" is a figure nobody reported)."""
    return [
        (total, parts)
        for total, parts in lines
        if all(k in shown and shown[k] != "–" for k in (total, *parts))
    ]
