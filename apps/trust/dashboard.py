"""The trust dashboard's rendered body, cached per version of the figures. Shared by the
dashboard page (views.py) and the warm-up task (tasks.py), so that tasks never import views."""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from tenants.models import Trust

from . import selectors
from .rollups import metric_specs
from .suppression import ALGORITHM


def _cells_html(cells: list[str]) -> str:
    # Joined here rather than in a template loop: a dashboard of 100 schools has thousands of
    # cells, and this keeps its rendering cheap.
    return mark_safe(  # noqa: S308 - every cell is escaped
        "".join(
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{escape(c)}</td>'
            for c in cells
        )
    )


def dashboard_body(trust: Trust, version: str) -> str:
    """The rendered tables and charts. The figures change only when a school refreshes (or a
    school is added or archived), so the rendering is kept until then under a key made of that
    version; freshness is worked out on every view. The refresh tasks warm it (tasks.py)."""
    specs = ",".join(metric_specs())
    key = f"trust-dashboard:v2-{ALGORITHM}:{trust.pk}:{version}:{hashlib.sha1(specs.encode(), usedforsecurity=False).hexdigest()[:12]}"
    body = cache.get(key)
    if body is None:
        data = selectors.dashboard(trust)
        for table in data["tables"]:
            for row in table.rows:
                row["cells_html"] = _cells_html(row["cells_shown"])
        charts = {f"chart-{t.spec.key}": t.chart for t in data["tables"] if t.spec.chart}
        present = {t.spec.group for t in data["tables"]}
        missing_groups = [g for g in ("Cost", "Impact") if g not in present]
        body = render_to_string(
            "trust/_dashboard_body.html",
            {"tables": data["tables"], "charts_json": charts, "missing_groups": missing_groups},
        )
        cache.set(key, body, 24 * 60 * 60)
    return body
