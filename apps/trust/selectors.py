from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from apps.pupils.names import NameMatch, name_matches, roll_names
from tenants.models import Invitation, School, SchoolMembership, Trust, TrustMembership, User
from tenants.roles import SchoolRole
from tenants.schemas import in_school_schema

from . import rules
from .models import (
    LibraryAdoption,
    LibraryItem,
    PupilTransfer,
    RollupFigure,
    RollupRun,
    RollupSnapshot,
    SencoQualification,
    SharedSencoArrangement,
    TrustAuditEvent,
    TrustSettings,
)
from .rollups import (
    MetricSpec,
    display_value,
    format_value,
    metric_specs,
    term_label,
    term_of,
)
from .suppression import (
    PRIMARY,
    PRIMARY_LABEL,
    SECONDARY_LABEL,
    Equation,
    Published,
    cell_key,
    is_small,
    publish_figures,
    school_value,
    suppress,
)


def trusts_for(user: User) -> list[tuple[Trust, str]]:
    return [
        (m.trust, m.role) for m in TrustMembership.objects.filter(user=user).select_related("trust")
    ]


def trust_schools(trust: Trust):
    """The trust's schools with their SENCos and rollup freshness, in two queries whatever the
    number of schools."""
    return (
        School.objects.filter(trust=trust)
        .select_related("rollup_run")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=SchoolMembership.objects.filter(role=SchoolRole.SENCO).select_related(
                    "user"
                ),
                to_attr="senco_memberships",
            )
        )
    )


# A total is hidden when exactly one school's figure in it is suppressed: otherwise the small
# figure could be worked out by subtracting the other schools' figures from the total.
SECONDARY_SUPPRESSED = "suppressed"


def dashboard_schools(trust: Trust) -> list[School]:
    return list(
        School.objects.filter(trust=trust)
        .exclude(status=School.Status.ARCHIVED)
        .select_related("rollup_run")
        .order_by("name")
    )


# --- Dashboard ------------------------------------------------------------------------------


@dataclass
class MetricTable:
    spec: MetricSpec
    categories: list[tuple[str, str]]
    rows: list[dict]  # per school: {"school", "cells": [display], "chart": [values]}
    total_cells: list[str]
    national: list[str]
    chart: dict
    per_roll: bool = False  # the chart plots each school's count as a percentage of its roll
    not_plotted: list[str] = dataclass_field(
        default_factory=list
    )  # schools with a hidden figure, and which


def _figures(schools: list[School]) -> dict[int, dict[tuple[str, str], float]]:
    out: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    for school_id, metric, category, value in RollupFigure.objects.filter(
        school__in=schools
    ).values_list("school_id", "metric", "category", "value"):
        out[school_id][(metric, category)] = value
    return out


def published_figures(schools: list[School]) -> tuple[dict, Published]:
    """The schools' current figures and what may be shown of each: the one suppression every
    published view (dashboard, CSV, API, trends, charts, shared SENCo checks) reads."""
    figures = _figures(schools)
    return figures, publish_figures(figures, metric_specs())


def _roll(school: School, f: dict[tuple[str, str], float], published: Published) -> float | None:
    """The school's number on roll as published (its own figure, else the school record)."""
    key = cell_key(school.pk, "pupils_on_roll", "")
    if key in published.values:
        return None if published.hidden(key) else published.values[key]
    return float(school.number_on_roll) if school.number_on_roll else None


def percent_of_roll(value: float | None, roll: float | None) -> float | None:
    if value is None or not roll:
        return None
    return round(100 * value / roll, 1)


def dashboard(trust: Trust) -> dict:
    schools = dashboard_schools(trust)
    figures, published = published_figures(schools)
    tables: list[MetricTable] = []
    for spec in metric_specs().values():
        if not spec.on_dashboard:
            continue
        categories = list(spec.categories)
        if not categories:
            found = sorted({c for f in figures.values() for (m, c) in f if m == spec.key})
            categories = [(c, c or spec.label) for c in found] or [("", spec.label)]
        present = {c for f in figures.values() for (m, c) in f if m == spec.key}
        if spec.categories:
            categories = [(c, label) for c, label in categories if c in present] or categories[:2]
        per_roll = spec.kind == "count" and spec.per_roll
        rows = []
        not_plotted: list[str] = []
        for school in schools:
            f = figures.get(school.pk, {})
            roll = _roll(school, f, published) if per_roll else None
            cells, chart, counts, percents = [], [], [], []
            hidden: list[str] = []
            for code, label in categories:
                value = school_value(spec, f, code)
                display, shown = published.cell(school.pk, spec, code, value)
                percent = percent_of_roll(shown, roll) if per_roll else None
                cells.append(display)
                counts.append(display)
                percents.append(percent)
                chart.append(percent if per_roll else shown)
                if value is not None and shown is None:
                    hidden.append(f"{label}: {display}")
            if hidden:
                not_plotted.append(f"{school.name} ({'; '.join(hidden)})")
            rows.append(
                {
                    "school": school,
                    "cells": cells,
                    "chart": chart,
                    "percents": percents,
                    "hidden": hidden,
                    "cells_shown": [
                        f"{c} ({p:.1f}%)" if p is not None else c
                        for c, p in zip(cells, percents, strict=True)
                    ],
                }
            )
        if spec.kind == "count":
            total_cells = [
                published.total(spec, c)[0]
                if any(school_value(spec, figures.get(s.pk, {}), c) is not None for s in schools)
                else "–"
                for c, _ in categories
            ]
        else:
            total_cells = []
        national = (
            [
                display_value(spec.national[c], spec) if c in spec.national else ""
                for c, _ in categories
            ]
            if spec.national
            else []
        )
        chart = {
            "type": "bar",
            "stacked": spec.chart == "stacked",
            # A school with a hidden figure keeps its place, labelled with what is hidden.
            "labels": [
                [r["school"].name, *r["hidden"]] if r["hidden"] else r["school"].name for r in rows
            ],
            "datasets": [
                {
                    "label": label,
                    "data": [r["chart"][i] for r in rows],
                    "counts": [r["cells"][i] for r in rows],
                }
                for i, (_c, label) in enumerate(categories)
            ],
            "national": [
                {"label": f"National: {label}", "value": spec.national[c]}
                for c, label in categories
                if c in spec.national
            ],
            "unit": "percent_of_roll" if per_roll else spec.kind,
        }
        tables.append(
            MetricTable(
                spec=spec,
                categories=categories,
                rows=rows,
                total_cells=total_cells,
                national=national,
                chart=chart,
                per_roll=per_roll,
                not_plotted=not_plotted,
            )
        )
    runs = [s.rollup_run for s in schools if hasattr(s, "rollup_run")]
    oldest = min((r.computed_at for r in runs), default=None)
    return {
        "schools": schools,
        "tables": tables,
        "oldest": oldest,
        "missing": [s for s in schools if not hasattr(s, "rollup_run")],
    }


def dashboard_freshness(trust: Trust) -> dict:
    """How fresh the figures are, and a version that changes whenever any figure could have."""
    from django.db.models import Count, Max, Min

    schools = School.objects.filter(trust=trust).exclude(status=School.Status.ARCHIVED)
    agg = schools.aggregate(
        n=Count("id"),
        changed=Max("status_changed_at"),
        created=Max("created_at"),
        runs=Count("rollup_run"),
        newest=Max("rollup_run__computed_at"),
        oldest=Min("rollup_run__computed_at"),
    )
    missing = (
        list(schools.filter(rollup_run__isnull=True).order_by("name"))
        if agg["runs"] < agg["n"]
        else []
    )
    version = "-".join(
        str(v.timestamp() if hasattr(v, "timestamp") else v)
        for v in (agg["n"], agg["runs"], agg["newest"], agg["changed"], agg["created"])
    )
    return {"oldest": agg["oldest"], "missing": missing, "version": version}


def metrics_for_api(trust: Trust) -> dict:
    """Per school and trust totals, suppressed as on the dashboard, with freshness."""
    schools = dashboard_schools(trust)
    figures, published = published_figures(schools)
    specs = metric_specs()
    out_schools = []
    for school in schools:
        f = figures.get(school.pk, {})
        run = getattr(school, "rollup_run", None) if hasattr(school, "rollup_run") else None
        values = []
        for (metric, category), value in sorted(f.items()):
            spec = specs.get(metric)
            if spec is None or not spec.on_dashboard:
                continue
            display, shown = published.cell(school.pk, spec, category, value)
            values.append(
                {
                    "metric": metric,
                    "category": category,
                    "value": shown,
                    "display": display,
                    "suppressed": shown is None,
                }
            )
        out_schools.append(
            {
                "school": {"id": school.pk, "name": school.name, "slug": school.slug},
                "computed_at": run.computed_at.isoformat() if run else None,
                "refresh_status": run.status if run else "never",
                "figures": values,
            }
        )
    trust_totals = []
    for key in sorted(k for k in published.values if k[0] == "column"):
        _kind, metric, category = key
        display, shown = published.total(specs[metric], category)
        trust_totals.append(
            {
                "metric": metric,
                "category": category,
                "value": shown,
                "display": display,
                "suppressed": shown is None,
            }
        )
    return {
        "schools": out_schools,
        "trust_totals": trust_totals,
        "metrics": [
            {"key": s.key, "label": s.label, "kind": s.kind, "group": s.group}
            for s in specs.values()
            if s.on_dashboard
        ],
    }


def _current_term(school: School) -> str | None:
    """The term of the snapshot that holds the school's current figures (its last refresh)."""
    run = getattr(school, "rollup_run", None) if hasattr(school, "rollup_run") else None
    return term_of(timezone.localdate(run.computed_at))[0] if run else None


def trends(trust: Trust, metric: str) -> dict:
    """Each school's total of the metric per term. A term's total is published on its own (past
    terms' breakdowns are not shown anywhere): primary suppression. The term that holds a school's
    current figures shows the total exactly as the dashboard's suppression decided it (it is
    that table's school total), so the two pages never contradict each other."""
    specs = metric_specs()
    spec = specs.get(metric)
    if spec is None:
        return {"spec": None}
    schools = dashboard_schools(trust)
    figures, published = published_figures(schools)
    rows = RollupSnapshot.objects.filter(school__in=schools, metric=metric)
    if spec.kind == "days":
        rows = rows.filter(category="median")
    terms: dict[str, int] = {}
    data: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for school_id, term, order, value in rows.values_list(
        "school_id", "term", "term_order", "value"
    ):
        terms[term] = order
        # Trends show the metric's total over its categories, per school and term.
        data[school_id][term] += value
    guard_spec = specs.get(spec.suppress_with[0]) if spec.suppress_with else None
    guards: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    if spec.suppress_with:
        guard_metric, guard_category = spec.suppress_with
        guard_rows = RollupSnapshot.objects.filter(school__in=schools, metric=guard_metric)
        if guard_category:
            guard_rows = guard_rows.filter(category=guard_category)
        for school_id, term, value in guard_rows.values_list("school_id", "term", "value"):
            guards[school_id][term] += value
    ordered = sorted(terms, key=lambda t: terms[t])
    # Schools are compared as on the dashboard: each term's count as a percentage of that term's
    # roll, when the roll itself is published (5 or more; this term, as the dashboard shows it).
    per_roll = spec.kind == "count" and spec.per_roll
    rolls: dict[int, dict[str, float]] = defaultdict(dict)
    if per_roll:
        for school_id, term, value in RollupSnapshot.objects.filter(
            school__in=schools, metric="pupils_on_roll"
        ).values_list("school_id", "term", "value"):
            rolls[school_id][term] = value
    table = []
    for school in schools:
        current = _current_term(school) if figures.get(school.pk) else None
        cells: list[str] = []
        chart: list[float | None] = []
        for term in ordered:
            value = data[school.pk].get(term)
            if value is None:
                cells.append("–")
                chart.append(None)
                continue
            if spec.kind == "count":
                guard_value: float | None = value
                hidden_now = current == term and published.hidden(
                    published.row_total_key(school.pk, spec)
                )
            else:
                guard_value = guards[school.pk].get(term) if spec.suppress_with else None
                hidden_now = (
                    current == term
                    and guard_spec is not None
                    and published.hidden(published.row_total_key(school.pk, guard_spec))
                )
            if spec.kind == "count" and (hidden_now or is_small(value)):
                # This term's total is labelled as the dashboard's suppression labelled it (a
                # small total it had to call "suppressed" must not say "fewer than 5" here).
                label = (
                    published.label_of(published.row_total_key(school.pk, spec))
                    if hidden_now
                    else PRIMARY_LABEL
                )
                cells.append(label)
                chart.append(None)
            elif spec.kind != "count" and (hidden_now or is_small(guard_value)):
                cells.append(SECONDARY_LABEL)
                chart.append(None)
            else:
                cells.append(format_value(value, spec))
                if per_roll:
                    roll = rolls[school.pk].get(term)
                    roll_hidden = roll is None or is_small(roll)
                    if current == term:
                        roll_hidden = roll_hidden or published.hidden(
                            cell_key(school.pk, "pupils_on_roll", "")
                        )
                    chart.append(None if roll_hidden else percent_of_roll(value, roll))
                else:
                    chart.append(round(value, 1))
        table.append({"school": school, "cells": cells, "chart": chart})
    return {
        "spec": spec,
        "per_roll": per_roll,
        "terms": [term_label(t) for t in ordered],
        "rows": table,
        "chart": {
            "labels": [term_label(t) for t in ordered],
            "datasets": [
                {"label": r["school"].name, "data": r["chart"], "counts": r["cells"]} for r in table
            ],
        },
    }


# --- Shared SENCos --------------------------------------------------------------------------


def _register_counts(school_ids: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for school_id, value in RollupFigure.objects.filter(
        school_id__in=school_ids, metric="provision", category__in=["K", "E"]
    ).values_list("school_id", "value"):
        counts[school_id] = counts.get(school_id, 0) + int(value)
    return counts


def _settings_of(trust_id: int) -> TrustSettings:
    """The trust's thresholds, or the defaults when it has not set any (read only: the row is
    made when the trust saves its settings)."""
    return TrustSettings.objects.filter(trust_id=trust_id).first() or TrustSettings(
        trust_id=trust_id
    )


def arrangement_checks(
    arrangement: SharedSencoArrangement,
    *,
    today: date | None = None,
    settings_row: TrustSettings | None = None,
    published: Published | None = None,
) -> list[rules.CheckResult]:
    today = today or timezone.localdate()
    settings_row = settings_row or _settings_of(arrangement.trust_id)
    times = list(arrangement.school_times.select_related("school"))
    school_ids = [t.school_id for t in times]
    register = _register_counts(school_ids)
    with_runs = set(
        RollupRun.objects.filter(school_id__in=school_ids, status=RollupRun.Status.OK).values_list(
            "school_id", flat=True
        )
    )
    heads = list(
        SchoolMembership.objects.filter(
            user_id=arrangement.senco_id, school_id__in=school_ids, role=SchoolRole.HEADTEACHER
        ).values_list("school__name", flat=True)
    )
    q = SencoQualification.objects.filter(
        trust_id=arrangement.trust_id, senco_id=arrangement.senco_id
    ).first()
    if published is None:
        published = published_figures(dashboard_schools(arrangement.trust))[1]
    facts = rules.ArrangementFacts(
        senco_name=arrangement.senco.full_name,
        teaching_hours_per_week=arrangement.teaching_hours_per_week,
        schools=[
            rules.SchoolTime(
                t.school.name,
                t.hours_per_week,
                t.school.number_on_roll,
                register.get(t.school_id, 0) if t.school_id in with_runs else None,
            )
            for t in times
        ],
        headteacher_at=heads,
        qualification=qualification_facts(q) if q else None,
        next_review_due=arrangement.next_review_due,
        thresholds=rules.Thresholds(
            settings_row.significant_teaching_hours,
            settings_row.min_minutes_per_pupil_on_roll,
            settings_row.min_minutes_per_pupil_on_register,
        ),
        today=today,
        # The check names the register total over the schools: only when each school's total is
        # published itself (a sum of published figures says nothing new; with one hidden, the sum
        # and the others' totals would give it back).
        extra={
            "register_total_suppressed": any(
                published.hidden(published.row_total_key(sid, metric_specs()["provision"]))
                for sid in school_ids
            )
        },
    )
    return rules.run_checks(facts)


def qualification_facts(q: SencoQualification) -> rules.Qualification:
    return rules.Qualification(
        appointed_on=q.appointed_on,
        has_qts=q.has_qts,
        holds_award=q.holds_award,
        award_label=q.get_award_display(),
    )


def arrangements_with_checks(
    trust: Trust,
) -> list[tuple[SharedSencoArrangement, list[rules.CheckResult]]]:
    settings_row = _settings_of(trust.pk)
    today = timezone.localdate()
    arrangements = (
        SharedSencoArrangement.objects.filter(trust=trust)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("senco")
        .prefetch_related("school_times__school")
    )
    published = published_figures(dashboard_schools(trust))[1]
    return [
        (a, arrangement_checks(a, today=today, settings_row=settings_row, published=published))
        for a in arrangements
    ]


def trust_sencos(trust: Trust) -> list[dict]:
    """Every SENCo in the trust with their schools and qualification status."""
    today = timezone.localdate()
    memberships = (
        SchoolMembership.objects.filter(school__trust=trust, role=SchoolRole.SENCO)
        .select_related("user", "school")
        .order_by("user__full_name", "school__name")
    )
    by_user: dict[int, dict] = {}
    for m in memberships:
        entry = by_user.setdefault(
            m.user_id, {"user": m.user, "schools": [], "qualification": None, "status": None}
        )
        entry["schools"].append(m.school)
    for q in SencoQualification.objects.filter(trust=trust, senco_id__in=list(by_user)):
        entry = by_user[q.senco_id]
        entry["qualification"] = q
        entry["deadline"] = rules.qualification_deadline(q.appointed_on)
        entry["status"] = rules.qualification_status(
            qualification_facts(q), today=today, name=q.senco.full_name
        )
    return list(by_user.values())


# --- People ---------------------------------------------------------------------------------


def trust_people(trust: Trust) -> dict:
    """Everyone with a role in the trust or one of its schools, with their role in each school
    (a list per person, so the page stays readable for a trust of 90 schools)."""
    people: dict[int, dict] = {}
    for m in TrustMembership.objects.filter(trust=trust).select_related("user"):
        people.setdefault(
            m.user_id, {"user": m.user, "trust_role": m.get_role_display(), "school_roles": []}
        )
    for m in (
        SchoolMembership.objects.filter(school__trust=trust)
        .select_related("user", "school")
        .order_by("school__name")
    ):
        entry = people.setdefault(m.user_id, {"user": m.user, "trust_role": "", "school_roles": []})
        entry["school_roles"].append((m.get_role_display(), m.school))
    return {"rows": sorted(people.values(), key=lambda p: p["user"].full_name.lower())}


# --- Library --------------------------------------------------------------------------------


def library_items(trust: Trust):
    return (
        LibraryItem.objects.filter(trust=trust, withdrawn_at__isnull=True)
        .select_related("source_school", "published_by")
        .prefetch_related(
            Prefetch("adoptions", queryset=LibraryAdoption.objects.select_related("school"))
        )
    )


def library_items_used_by(school: School):
    """The items of the school's own trust it adopted or shared itself, still in the library."""
    return (
        LibraryItem.objects.filter(
            Q(adoptions__school=school) | Q(source_school=school),
            trust_id=school.trust_id,
            withdrawn_at__isnull=True,
        )
        .distinct()
        .select_related("source_school", "published_by")
    )


def publisher_of(item: LibraryItem) -> str:
    """Who published an item, as the library shows it: their name and their school."""
    name = item.published_by.full_name if item.published_by else "a former member of staff"
    return f"{name}, {item.source_school.name}"


def library_usage(item: LibraryItem) -> dict:
    """Which schools use the item and for how many pupils (suppressed below 5)."""
    from .library import item_type

    schools = [item.source_school] + [a.school for a in item.adoptions.all()]
    kind = item_type(item.item_type)
    if kind is None or kind.usage is None:
        return {
            "schools": [
                {
                    "school": s,
                    "adopted": s.pk != item.source_school_id,
                    "pupils": "not recorded for pupils",
                }
                for s in schools
            ],
            "pupils_total": "not recorded for pupils",
            "school_count": len(schools),
        }
    counts = dict(
        RollupFigure.objects.filter(
            metric="library_item_pupils", category=str(item.pk)
        ).values_list("school_id", "value")
    )
    # One small table: each school's pupils and the total, suppressed together.
    values: dict = {("school", s.pk): counts[s.pk] for s in schools if s.pk in counts}
    known = bool(values)
    if known:
        values[("total",)] = sum(values.values())
    state = suppress(
        values,
        [Equation(("total",), tuple(k for k in values if k != ("total",)), total_first=True)],
    )

    def shown(key: tuple) -> str:
        if key not in values:
            return "not counted yet"
        if state[key] != "published":
            return PRIMARY_LABEL if state[key] == PRIMARY else SECONDARY_LABEL
        return f"{values[key]:.0f}"

    rows = [
        {
            "school": school,
            "adopted": school.pk != item.source_school_id,
            "pupils": shown(("school", school.pk)),
        }
        for school in schools
    ]
    shown_total = shown(("total",)) if known else "not counted yet"
    return {"schools": rows, "pupils_total": shown_total, "school_count": len(schools)}


# --- Console pages ------------------------------------------------------------------------------


def pending_invitations(trust: Trust) -> list[Invitation]:
    """Invitations to the trust or its schools not yet accepted and still valid (latest 100)."""
    return list(
        Invitation.objects.filter(
            Q(trust=trust) | Q(school__trust=trust),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("school")
        .order_by("-created_at")[:100]
    )


def trust_audit_events(trust: Trust) -> list[TrustAuditEvent]:
    return list(TrustAuditEvent.objects.filter(trust=trust).select_related("actor", "school")[:200])


def senco_users(trust: Trust) -> list[User]:
    """Everyone who is the SENCo of one of the trust's schools."""
    ids = SchoolMembership.objects.filter(school__trust=trust, role=SchoolRole.SENCO).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids).order_by("full_name"))


def senco_qualification(trust: Trust, senco: User) -> SencoQualification | None:
    return SencoQualification.objects.filter(trust=trust, senco=senco).first()


def open_schools(trust: Trust) -> list[School]:
    """The trust's schools that are not archived, by name."""
    return list(
        School.objects.filter(trust=trust).exclude(status=School.Status.ARCHIVED).order_by("name")
    )


def active_schools(trust: Trust) -> list[School]:
    return list(School.objects.filter(trust=trust, status=School.Status.ACTIVE).order_by("name"))


def trust_transfers(trust: Trust) -> list[PupilTransfer]:
    """The trust's transfers (schools, dates, counts: no pupil details), latest 200."""
    return list(
        PupilTransfer.objects.filter(trust=trust).select_related(
            "from_school", "to_school", "started_by", "decided_by"
        )[:200]
    )


def names_in_library_text(school: School, fields: Mapping[str, str]) -> dict[str, list[NameMatch]]:
    """Per field of a text about to leave the school for the trust library, the words that name a
    pupil on the school's roll (legal or preferred, past or present; apps.pupils.names). Read in
    the school's schema; only the school's SENCo is ever shown the result."""
    with in_school_schema(school):
        names = roll_names()
    found: dict[str, list[NameMatch]] = {}
    for field, text in fields.items():
        matches = name_matches(text or "", names)
        if matches:
            found[field] = matches
    return found
