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


def published_register(trust, schools, *, plans_for_every_e: bool = False) -> tuple[dict, list]:
    """Everything the console publishes about the register (dashboard tables, trust totals, the
    API, each trend page's school totals, and the EHC plans maintained, which a reader takes for
    provision E), as (entry -> text) and the equations a reader knows hold between entries.
    `plans_for_every_e`: the schools' data make that reading true (each pupil with provision E
    has an EHC plan record); otherwise the reader would "recover" wrong values."""
    from apps.pupils.codes import NEED_TYPES, need_area
    from apps.trust.rollups import metric_specs
    from apps.trust.selectors import dashboard, metrics_for_api, trends

    data = dashboard(trust)
    specs = metric_specs()
    register_metrics = [k for k, s in specs.items() if s.row_total == "register"]
    shown: dict = {}
    lines: list = []
    api = metrics_for_api(trust)
    api_cells = {
        (s["school"]["id"], f["metric"], f["category"]): f
        for s in api["schools"]
        for f in s["figures"]
    }
    api_totals = {(t["metric"], t["category"]): t for t in api["trust_totals"]}
    for table in data["tables"]:
        key = table.spec.key
        if table.spec.kind != "count" or key not in register_metrics:
            continue
        codes = [c for c, _ in table.categories]
        for row in table.rows:
            sid = row["school"].pk
            for code, cell in zip(codes, row["cells"], strict=True):
                shown[(sid, key, code)] = cell
                # the API says the same as the page
                if (sid, key, code) in api_cells:
                    assert api_cells[(sid, key, code)]["display"] == cell
            lines.append((("register", sid), tuple((sid, key, c) for c in codes)))
        for code, cell in zip(codes, table.total_cells, strict=True):
            shown[("trust", key, code)] = cell
            assert api_totals[(key, code)]["display"] == cell
            lines.append(
                (("trust", key, code), tuple((r["school"].pk, key, code) for r in table.rows))
            )
    # A reader takes the EHC plans a school maintains for its register's provision E.
    for table in data["tables"]:
        if table.spec.key != "ehc_plans" or not plans_for_every_e:
            continue
        for row in table.rows:
            sid = row["school"].pk
            (cell,) = row["cells"]
            shown[(sid, "ehc_plans", "")] = cell
            lines.append(((sid, "ehc_plans", ""), ((sid, "provision", "E"),)))
        (total,) = table.total_cells
        shown[("trust", "ehc_plans", "")] = total
        lines.append(
            (
                ("trust", "ehc_plans", ""),
                tuple((r["school"].pk, "ehc_plans", "") for r in table.rows),
            )
        )
    # The school's register total as each metric's trend page shows it (this term).
    for metric in register_metrics:
        t = trends(trust, metric)
        for row in t["rows"]:
            if not row["cells"]:
                continue
            total = row["cells"][-1]
            sid = row["school"].pk
            if total == "–":  # no snapshot of this metric (nobody on the register)
                continue
            if ("register", sid) in shown:
                assert shown[("register", sid)] == total, "two trend pages disagree"
            shown[("register", sid)] = total
    # Each broad area of need is the sum of its primary needs.
    for sid in {s.pk for s in schools}:
        areas: dict[str, list] = {}
        for code in [n.code for n in NEED_TYPES] + ["none"]:
            area = (need_area(code) if code != "none" else None) or "other"
            if (sid, "primary_need", code) in shown:
                areas.setdefault(area, []).append((sid, "primary_need", code))
        for area, parts in areas.items():
            if (sid, "area_of_need", area) in shown:
                lines.append(((sid, "area_of_need", area), tuple(parts)))
    return shown, lines
