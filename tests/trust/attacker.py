"""What a reader of the trust's published figures can work out, written independently of
apps/trust/suppression.py: exact rational elimination over the published equations, and bounds
per equation ("fewer than 5" is 1 to 4, "suppressed" any number)."""

from __future__ import annotations

import itertools
import math
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


def published_counts(trust, schools, *, plans_for_every_e: bool = False) -> tuple[dict, list]:
    """Everything the console publishes as counts: every count table on the dashboard with its
    trust totals, the API (which must say the same), each metric's trend page (the school's total
    this term), and what a reader knows of their own accord: each broad area of need is the sum of
    its primary needs, "overdue" is the school's steps plus the local authority's, and the EHC
    plans maintained are the register's provision E. Returned as (entry -> text) and the
    equations a reader knows hold between entries. `plans_for_every_e`: the schools' data make
    that last reading true (each pupil with provision E has an EHC plan record); otherwise the
    reader would "recover" wrong values."""
    from apps.pupils.codes import NEED_TYPES, need_area
    from apps.trust.selectors import dashboard, metrics_for_api, trends

    data = dashboard(trust)
    shown: dict = {}
    lines: list = []
    api = metrics_for_api(trust)
    api_cells = {
        (s["school"]["id"], f["metric"], f["category"]): f
        for s in api["schools"]
        for f in s["figures"]
    }
    api_totals = {(t["metric"], t["category"]): t for t in api["trust_totals"]}
    count_tables = [t for t in data["tables"] if t.spec.kind == "count"]
    for table in count_tables:
        key = table.spec.key
        codes = [c for c, _ in table.categories]
        # The school's total: the register's for its breakdowns, else the metric's own.
        total_name = table.spec.row_total or key
        for row in table.rows:
            sid = row["school"].pk
            for code, cell, plotted in zip(codes, row["cells"], row["chart"], strict=True):
                shown[(sid, key, code)] = cell
                # the API says the same as the page
                if (sid, key, code) in api_cells:
                    assert api_cells[(sid, key, code)]["display"] == cell
                # a hidden figure is not plotted either (a percentage of a published roll is
                # the count)
                if not _is_number(cell):
                    assert plotted is None, (sid, key, code, cell, plotted)
            lines.append(((total_name, sid), tuple((sid, key, c) for c in codes)))
        for code, cell in zip(codes, table.total_cells, strict=True):
            shown[("trust", key, code)] = cell
            if (key, code) in api_totals:  # (the API lists the totals of figures that exist)
                assert api_totals[(key, code)]["display"] == cell
            lines.append(
                (("trust", key, code), tuple((r["school"].pk, key, code) for r in table.rows))
            )
        # The school's total as the metric's trend page shows it (this term).
        for row in trends(trust, key)["rows"]:
            if not row["cells"] or row["cells"][-1] == "–":  # no snapshot of this metric
                continue
            entry = (total_name, row["school"].pk)
            if entry in shown:
                assert shown[entry] == row["cells"][-1], ("two trend pages disagree", entry)
            shown[entry] = row["cells"][-1]
    # A reader takes the EHC plans a school maintains for its register's provision E.
    if plans_for_every_e:
        for sid in {s.pk for s in schools}:
            lines.append(((sid, "ehc_plans", ""), ((sid, "provision", "E"),)))
    for sid in {s.pk for s in schools}:
        # Each broad area of need is the sum of its primary needs.
        areas: dict[str, list] = {}
        for code in [n.code for n in NEED_TYPES] + ["none"]:
            area = (need_area(code) if code != "none" else None) or "other"
            if (sid, "primary_need", code) in shown:
                areas.setdefault(area, []).append((sid, "primary_need", code))
        for area, parts in areas.items():
            if (sid, "area_of_need", area) in shown:
                lines.append(((sid, "area_of_need", area), tuple(parts)))
        # Statutory deadlines overdue: all of them are the school's plus the local authority's.
        lines.append(
            (
                (sid, "ehc_overdue", "all"),
                ((sid, "ehc_overdue", "school"), (sid, "ehc_overdue", "la")),
            )
        )
    return shown, lines


def recovered_by_propagation(shown: Mapping[Hashable, str], lines: Iterable[Line]) -> set[Hashable]:
    """Hidden entries pinned to one value by every equation at once: each hidden entry starts
    from its label's range ("fewer than 5" is 1 to 4, "suppressed" 0 or more) and each equation
    narrows its entries from the others' ranges, round after round, until nothing changes."""
    lines = [(t, tuple(p)) for t, p in _real(shown, lines)]
    low: dict[Hashable, float] = {}
    high: dict[Hashable, float] = {}
    for k, v in shown.items():
        if _is_number(v):
            low[k] = high[k] = float(v)
        elif v == HIDDEN_PRIMARY:
            low[k], high[k] = 1.0, 4.0
        else:
            low[k], high[k] = 0.0, _INFINITY
    changed = True
    while changed:
        changed = False
        for total, parts in lines:
            # total - sum(parts) = 0: each entry lies within what the others leave.
            entries = [(total, 1), *((p, -1) for p in parts)]
            for k, sign in entries:
                others_low = sum((low[o] if s > 0 else -high[o]) for o, s in entries if o is not k)
                others_high = sum((high[o] if s > 0 else -low[o]) for o, s in entries if o is not k)
                # sign * k = -(others): k in [-others_high, -others_low] / sign
                lo, hi = (-others_high, -others_low) if sign > 0 else (others_low, others_high)
                lo = max(low[k], math.ceil(lo - 1e-9)) if lo != -_INFINITY else low[k]
                hi = min(high[k], math.floor(hi + 1e-9)) if hi != _INFINITY else high[k]
                if (lo, hi) != (low[k], high[k]):
                    low[k], high[k] = lo, hi
                    changed = True
    return {k for k, v in shown.items() if not _is_number(v) and low[k] == high[k]}


_INFINITY = float("inf")
