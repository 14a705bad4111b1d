"""Rollups: each domain package contributes figures through one small interface.

A package adds a `rollups.py` module that calls `register_metric_provider(...)`; every installed
app's `rollups` module is imported when the console starts (autodiscovery), so a new feature's
figures appear on the trust dashboard without touching the console.

A provider's `compute(school, today)` runs INSIDE that school's schema (a SchoolTask) and returns
aggregate `Figure`s only: counts, percentages, days. They are written to the public schema with
the time they were computed; a snapshot per term is kept for trends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from apps.core.registry import Registry
from tenants.typing import tenant_db

# Shown instead of a count from 1 to 4 wherever it could identify a child outside the school
# (the rules, and the secondary suppression that goes with them, live in suppression.py).
from .suppression import PRIMARY_LABEL as SUPPRESSED_LABEL  # noqa: F401 - re-exported
from .suppression import SUPPRESSION_LIMIT as SUPPRESSION_LIMIT
from .suppression import format_value as format_value
from .suppression import is_small

# National figures (DfE "Special educational needs in England", January 2025).
NATIONAL_SEN_SUPPORT_PERCENT = 14.2
NATIONAL_EHC_PLAN_PERCENT = 5.3


@dataclass(frozen=True)
class Figure:
    metric: str
    value: float
    category: str = ""


@dataclass(frozen=True)
class MetricSpec:
    """How the console shows one metric.

    kind: "count" (pupils; suppressed from 1 to 4), "percent", "days" or "money".
    suppress_with: for a figure derived from pupils (a percentage, a wait), the count metric
    (metric, category) whose smallness makes it identifying; category None means the same one.
    """

    key: str
    label: str
    kind: str = "count"
    group: str = "Need mix"
    categories: tuple[tuple[str, str], ...] = ()  # (code, label) in display order; empty: as found
    chart: str = "bar"  # "bar", "stacked" or "" (table only)
    suppress_with: tuple[str, str | None] | None = None
    national: dict[str, float] = field(default_factory=dict)  # category -> national figure
    order: int = 100
    on_dashboard: bool = True
    # The school total this metric's categories add up to. Metrics counting the same pupils share
    # one (the SEN register: provision, primary need, area of need, year group), so that total is
    # published with all of them (suppression.py). Empty: the metric's own total.
    row_total: str = ""
    # Categories that are sums of other figures: (category, metric, its categories).
    parts: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # Charts comparing schools plot a count as a percentage of the school's roll.
    per_roll: bool = True


@dataclass(frozen=True)
class MetricProvider:
    key: str
    compute: Callable[[object, date], Iterable[Figure]]
    metrics: tuple[MetricSpec, ...]
    order: int = 100


METRIC_PROVIDERS: Registry[MetricProvider] = Registry(
    "metric providers",
    key=lambda p: p.key,
    order=lambda p: (p.order, p.key),
    autodiscover="rollups",
)


def register_metric_provider(
    key: str,
    compute: Callable[[object, date], Iterable[Figure]],
    *,
    metrics: Iterable[MetricSpec],
    order: int = 100,
) -> MetricProvider:
    provider = MetricProvider(key=key, compute=compute, metrics=tuple(metrics), order=order)
    return METRIC_PROVIDERS.register(provider)


def unregister_metric_provider(key: str) -> None:
    METRIC_PROVIDERS.unregister_key(key)


def providers() -> list[MetricProvider]:
    return METRIC_PROVIDERS.all()


# Dashboard sections in this order; a group no provider uses yet is simply absent, and a new
# group a later feature names goes after these.
GROUP_ORDER = ("Register", "Need mix", "Compliance", "Cost", "Impact")


def metric_specs() -> dict[str, MetricSpec]:
    specs = {m.key: m for p in providers() for m in p.metrics}

    def key(kv):
        spec = kv[1]
        group = GROUP_ORDER.index(spec.group) if spec.group in GROUP_ORDER else len(GROUP_ORDER)
        return (group, spec.group, spec.order, kv[0])

    return dict(sorted(specs.items(), key=key))


# --- Terms ------------------------------------------------------------------------------------

TERMS = ("autumn", "spring", "summer")


def term_of(day: date) -> tuple[str, int, date]:
    """(label, order, first day) of the school term a date falls in. Autumn runs from September,
    spring from January, summer from Easter (April); precise term dates per school can refine
    this later without changing stored snapshots."""
    if day.month >= 9:
        return f"{day.year}-autumn", day.year * 10 + 1, date(day.year, 9, 1)
    if day.month <= 3:
        return f"{day.year - 1}-spring", (day.year - 1) * 10 + 2, date(day.year, 1, 1)
    return f"{day.year - 1}-summer", (day.year - 1) * 10 + 3, date(day.year, 4, 1)


def term_label(term: str) -> str:
    year, name = term.split("-")
    y = int(year)
    return f"{name.title()} {y}" if name == "autumn" else f"{name.title()} {y + 1}"


# --- Suppression ------------------------------------------------------------------------------


def is_suppressed(count: float | None) -> bool:
    return is_small(count)


def display_value(value: float | None, spec: MetricSpec, guard: float | None = None) -> str:
    """The value as the console may show it outside the school."""
    if value is None:
        return "–"
    if spec.kind == "count" and is_suppressed(value):
        return SUPPRESSED_LABEL
    if spec.kind != "count" and is_suppressed(guard):
        return "suppressed"
    return format_value(value, spec)


# --- Refresh (runs in the school's schema) ----------------------------------------------------


def refresh_school(school, *, today: date | None = None, now: datetime | None = None) -> int:
    """Compute every provider's figures in the school's schema and replace the school's rows in
    public, all in one transaction. Returns the number of figures written."""
    from .models import RollupFigure, RollupRun, RollupSnapshot

    if tenant_db.schema_name != school.schema_name:
        raise RuntimeError("refresh_school must run in the school's own schema")
    started = time.perf_counter()
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    term, term_order, _ = term_of(today)
    rows: list[RollupFigure] = []
    seen: set[tuple[str, str]] = set()
    for provider in providers():
        for fig in provider.compute(school, today):
            key = (fig.metric, fig.category)
            if key in seen:
                raise ValueError(f"Provider {provider.key} returned {key} twice")
            seen.add(key)
            rows.append(
                RollupFigure(
                    school_id=school.pk,
                    provider=provider.key,
                    metric=fig.metric,
                    category=fig.category,
                    value=float(fig.value),
                    computed_at=now,
                )
            )
    with transaction.atomic():
        RollupFigure.objects.filter(school_id=school.pk).delete()
        RollupFigure.objects.bulk_create(rows)
        RollupSnapshot.objects.filter(school_id=school.pk, term=term).delete()
        RollupSnapshot.objects.bulk_create(
            RollupSnapshot(
                school_id=school.pk,
                term=term,
                term_order=term_order,
                metric=r.metric,
                category=r.category,
                value=r.value,
                taken_at=now,
            )
            for r in rows
        )
        RollupRun.objects.update_or_create(
            school_id=school.pk,
            defaults={
                "status": RollupRun.Status.OK,
                "computed_at": now,
                "error": "",
                "duration_ms": int((time.perf_counter() - started) * 1000),
            },
        )
    return len(rows)


# --- Built-in: how widely library items are used (counted in each school) ----------------------


def _library_usage(school, today: date) -> list[Figure]:
    from django.db.models import Q

    from .library import item_types
    from .models import LibraryItem

    items = LibraryItem.objects.filter(
        Q(source_school_id=school.pk) | Q(adoptions__school_id=school.pk), withdrawn_at__isnull=True
    ).distinct()
    by_type: dict[str, list] = {}
    for item in items:
        by_type.setdefault(item.item_type, []).append(item)
    figures = []
    types = item_types()
    for type_key, type_items in by_type.items():
        kind = types.get(type_key)
        if kind is None or kind.usage is None:
            continue
        for item_id, pupils in kind.usage(type_items).items():
            figures.append(Figure("library_item_pupils", pupils, category=str(item_id)))
    return figures


register_metric_provider(
    "library",
    _library_usage,
    metrics=[
        MetricSpec(
            "library_item_pupils",
            "Pupils a library item is recorded for",
            on_dashboard=False,
            order=900,
        )
    ],
    order=900,
)
