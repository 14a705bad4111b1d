from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from apps.trust.models import RollupFigure, RollupRun, RollupSnapshot
from apps.trust.rollups import (
    Figure,
    MetricSpec,
    metric_specs,
    providers,
    refresh_school,
    register_metric_provider,
    term_of,
    unregister_metric_provider,
)
from apps.trust.selectors import dashboard, metrics_for_api, trends
from tests.support import in_school

from .attacker import (
    published_counts,
    recovered_by_bounds,
    recovered_by_propagation,
    recovered_linearly,
)
from .conftest import make_pupil


def figures(school) -> dict:
    return {(f.metric, f.category): f.value for f in RollupFigure.objects.filter(school=school)}


def refresh(school, **kw):
    with in_school(school):
        return refresh_school(school, **kw)


def test_register_figures_are_computed_in_the_school_and_written_as_aggregates(school_a, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "3")] * 6 + [("E", "ASD", "5")] * 2 + [("N", "", "4")] * 12)
    refresh(school_a)
    f = figures(school_a)
    assert f[("pupils_on_roll", "")] == 20
    assert f[("provision", "K")] == 6 and f[("provision", "E")] == 2
    assert f[("provision_percent", "K")] == 30.0 and f[("provision_percent", "E")] == 10.0
    assert f[("primary_need", "SPLD")] == 6 and f[("primary_need", "ASD")] == 2
    assert (
        f[("area_of_need", "cognition_learning")] == 6
        and f[("area_of_need", "communication_interaction")] == 2
    )
    assert f[("register_by_year", "3")] == 6
    run = RollupRun.objects.get(school=school_a)
    assert run.status == "ok" and run.computed_at is not None


def test_the_public_rows_hold_no_pupil_data(school_a, pupils_in):
    pupils_in(school_a, [("K", "SEMH", "6")] * 5)
    refresh(school_a)
    for row in RollupFigure.objects.filter(school=school_a).values("metric", "category"):
        assert "Sam" not in row["category"] and not row["category"].startswith("T0")


def test_open_concerns_and_their_waits(school_a):
    from apps.pupils.models import Concern

    with in_school(school_a):
        pupils = [make_pupil() for _ in range(6)]
        now = timezone.now()
        for i, p in enumerate(pupils):
            Concern.objects.create(
                pupil=p, what_seen="x", raised_at=now - timedelta(days=10 * (i + 1))
            )
        Concern.objects.create(
            pupil=pupils[0],
            what_seen="closed",
            status="no_further_action",
            raised_at=now - timedelta(days=400),
        )
    refresh(school_a)
    f = figures(school_a)
    assert f[("open_concerns", "")] == 6
    assert f[("concern_wait_days", "longest")] == 60
    assert f[("concern_wait_days", "median")] == 35


def test_added_and_removed_this_term(school_a):
    from apps.pupils.models import SenHistory

    today = date(2026, 11, 23)
    with in_school(school_a):
        added = make_pupil(provision="K", need="MLD", history_on=date(2026, 10, 1))  # new this term
        removed = make_pupil(provision="N", history_on=date(2025, 1, 10))
        SenHistory.objects.create(pupil=removed, effective_date=date(2025, 1, 10), provision="K")
        SenHistory.objects.create(pupil=removed, effective_date=date(2026, 10, 5), provision="N")
        make_pupil(provision="K", need="MLD", history_on=date(2025, 3, 1))  # unchanged
        assert added.pk
    refresh(school_a, today=today)
    f = figures(school_a)
    assert f[("register_changes", "added")] == 1
    assert f[("register_changes", "removed")] == 1


def test_a_termly_snapshot_is_kept_per_term_and_replaced_within_the_term(school_a, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "3")] * 5)
    refresh(school_a, today=date(2026, 3, 1))
    refresh(school_a, today=date(2026, 10, 1))
    pupils_in(school_a, [("K", "SPLD", "3")] * 2)
    refresh(school_a, today=date(2026, 11, 1))
    snaps = dict(
        RollupSnapshot.objects.filter(
            school=school_a, metric="provision", category="K"
        ).values_list("term", "value")
    )
    assert snaps == {"2025-spring": 5, "2026-autumn": 7}


def test_term_boundaries():
    assert term_of(date(2026, 9, 1))[0] == "2026-autumn"
    assert term_of(date(2027, 1, 5))[0] == "2026-spring"
    assert term_of(date(2027, 4, 20))[0] == "2026-summer"


def test_a_new_provider_plugs_in_without_touching_the_console(school_a):
    register_metric_provider(
        "test_plans",
        lambda school, today: [Figure("plans_overdue", 7)],
        metrics=[
            MetricSpec("plans_overdue", "Support plans overdue for review", group="Compliance")
        ],
    )
    try:
        refresh(school_a)
        assert figures(school_a)[("plans_overdue", "")] == 7
        assert any(t.spec.key == "plans_overdue" for t in dashboard(school_a.trust)["tables"])
    finally:
        unregister_metric_provider("test_plans")
    assert "plans_overdue" not in metric_specs()


def test_a_failing_provider_leaves_the_previous_figures(school_a, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "3")] * 5)
    refresh(school_a)
    before = figures(school_a)

    def broken(school, today):
        raise ZeroDivisionError

    register_metric_provider("broken", broken, metrics=[])
    try:
        try:
            refresh(school_a)
        except ZeroDivisionError:
            pass
    finally:
        unregister_metric_provider("broken")
    assert figures(school_a) == before


def test_counts_from_1_to_4_are_shown_as_fewer_than_5(school_a, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "3")] * 7 + [("E", "ASD", "5")] * 3 + [("N", "", "1")] * 20)
    refresh(school_a)
    data = dashboard(school_a.trust)
    provision = next(t for t in data["tables"] if t.spec.key == "provision")
    row = next(r for r in provision.rows if r["school"].pk == school_a.pk)
    cells = dict(zip([c for c, _ in provision.categories], row["cells"], strict=True))
    # K = 7 beside the school's register total (10, published on the trend page) would give
    # E = 3 away: that total is hidden (secondary suppression) on the trend page.
    assert cells == {"K": "7", "E": "fewer than 5"}
    chart = dict(zip([c for c, _ in provision.categories], row["chart"], strict=True))
    assert chart == {"K": round(100 * 7 / 30, 1), "E": None}  # % of roll; E never plotted
    assert row["hidden"] == ["EHC plan: fewer than 5"]
    trend = trends(school_a.trust, "provision")
    assert next(r for r in trend["rows"] if r["school"].pk == school_a.pk)["cells"][-1] == (
        "suppressed"
    )
    # The percentage of roll (30, published) would give the count away: suppressed too.
    percent = next(t for t in data["tables"] if t.spec.key == "provision_percent")
    prow = dict(
        zip(
            [c for c, _ in percent.categories],
            next(r for r in percent.rows if r["school"].pk == school_a.pk)["cells"],
            strict=True,
        )
    )
    assert prow == {"K": "23.3%", "E": "suppressed"}
    api = metrics_for_api(school_a.trust)
    school = next(s for s in api["schools"] if s["school"]["id"] == school_a.pk)
    ehc = next(v for v in school["figures"] if v["metric"] == "provision" and v["category"] == "E")
    assert ehc == {
        "metric": "provision",
        "category": "E",
        "value": None,
        "display": "fewer than 5",
        "suppressed": True,
    }
    assert all(
        t["suppressed"]
        for t in api["trust_totals"]
        if t["metric"] == "provision" and t["category"] == "E"
    )


def test_zero_is_not_suppressed(school_a, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "3")] * 5)
    refresh(school_a)
    provision = next(t for t in dashboard(school_a.trust)["tables"] if t.spec.key == "provision")
    assert dict(
        zip([c for c, _ in provision.categories], provision.rows[0]["cells"], strict=True)
    ) == {"K": "5", "E": "0"}


def test_providers_are_autodiscovered():
    assert {"register", "library"} <= {p.key for p in providers()}


@pytest.mark.celery
def test_nightly_fan_out_runs_one_task_per_school_in_the_real_worker(
    committed, celery_worker, harness
):
    school_a = harness["school_a"]
    from apps.pupils.models import Pupil
    from apps.trust.tasks import refresh_all_rollups

    with in_school(school_a):
        made = [make_pupil(provision="K", need="SLCN", year="2") for _ in range(5)]
    ids = [p.pk for p in made]
    # The refresh brings every school's number on roll into line with its records: the committed
    # schools get theirs back afterwards (browser tests rely on the harness's rolls).
    from tenants.models import School

    rolls = dict(School.objects.values_list("pk", "number_on_roll"))

    def cleanup():
        for school_id, roll in rolls.items():
            School.objects.filter(pk=school_id).update(number_on_roll=roll)
        with in_school(school_a):
            Pupil.objects.filter(pk__in=ids).delete()
        RollupFigure.objects.filter(school=school_a).delete()
        RollupSnapshot.objects.filter(school=school_a).delete()
        RollupRun.objects.filter(school=school_a).delete()

    committed.cleanup(cleanup)
    started = timezone.now()
    refresh_all_rollups.delay()
    deadline = time.time() + 60
    while time.time() < deadline:
        run = RollupRun.objects.filter(school=school_a, computed_at__gte=started).first()
        if run:
            break
        time.sleep(0.3)
    else:
        raise AssertionError(
            "the worker never refreshed school A:\n" + celery_worker["log"].read_text()[-3000:]
        )
    assert run.status == "ok"
    assert figures(school_a)[("provision", "K")] >= 5
    # Each school got its own task, run in its own schema; the log names only ids.
    log = celery_worker["log"].read_text()
    assert "refresh_school_rollups" in log
    assert "Sam" not in log


def test_a_total_that_would_reveal_one_suppressed_school_is_hidden(
    school_a, sister_school, pupils_in
):
    pupils_in(school_a, [("K", "SPLD", "3")] * 6 + [("E", "ASD", "5")] * 3)
    pupils_in(sister_school, [("K", "SPLD", "8")] * 7 + [("E", "ASD", "9")] * 9)
    for school in (school_a, sister_school):
        refresh(school)
    provision = next(t for t in dashboard(school_a.trust)["tables"] if t.spec.key == "provision")
    totals = dict(zip([c for c, _ in provision.categories], provision.total_cells, strict=True))
    # 3 + 9 = 12 in all would give Alpha's 3 away beside the sister school's 9: hidden.
    assert totals["E"] == "suppressed"
    alpha = next(r for r in provision.rows if r["school"].pk == school_a.pk)
    assert alpha["cells"][1] == "fewer than 5"
    api_totals = {
        (t["metric"], t["category"]): t for t in metrics_for_api(school_a.trust)["trust_totals"]
    }
    assert api_totals[("provision", "E")]["value"] is None
    # Nothing published about the register gives Alpha's 3 back (tests/trust/attacker.py).
    shown, lines = published_counts(school_a.trust, [school_a, sister_school])
    assert shown[(school_a.pk, "provision", "E")] == "fewer than 5"
    assert recovered_linearly(shown, lines) == set()
    assert recovered_by_bounds(shown, lines) == set()
    assert recovered_by_propagation(shown, lines) == set()


def test_trend_charts_compare_schools_as_a_percentage_of_each_terms_roll(
    school_a, sister_school, pupils_in, client_for, people
):
    """The table keeps the counts; the chart plots each term's total over that term's roll (a
    roll of fewer than 5, or none recorded that term, is not plotted)."""
    import json

    pupils_in(school_a, [("K", "SPLD", "3")] * 10 + [("N", "", "3")] * 30)
    pupils_in(
        sister_school, [("K", "MLD", "7")] * 15 + [("E", "ASD", "8")] * 5 + [("N", "", "7")] * 80
    )
    for school in (school_a, sister_school):
        refresh(school)
    taken = timezone.now()
    past = [
        ("2024-autumn", 20241, "provision", "K", 8.0),
        ("2024-autumn", 20241, "pupils_on_roll", "", 32.0),
        ("2025-spring", 20252, "provision", "K", 9.0),  # no roll recorded that term
    ]
    RollupSnapshot.objects.bulk_create(
        RollupSnapshot(
            school=school_a, term=t, term_order=o, metric=m, category=c, value=v, taken_at=taken
        )
        for t, o, m, c, v in past
    )
    data = trends(school_a.trust, "provision")
    assert data["per_roll"] is True
    rows = {r["school"].pk: r for r in data["rows"]}
    alpha, sister = rows[school_a.pk], rows[sister_school.pk]
    assert alpha["cells"][0] == "8" and alpha["chart"][0] == 25.0  # 8 of 32
    assert alpha["cells"][1] == "9" and alpha["chart"][1] is None  # no roll that term
    assert alpha["cells"][-1] == "10" and alpha["chart"][-1] == 25.0  # 10 of 40
    assert sister["cells"][-1] == "20" and sister["chart"][-1] == 20.0  # 20 of 100
    # The roll's own trend is a count, not a percentage of itself.
    assert trends(school_a.trust, "pupils_on_roll")["per_roll"] is False
    # The page says so and hands the chart the unit.
    page = client_for(people["trust_send_lead_a"]).get("/dashboard/trends/provision/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "percentage of that term&#x27;s roll" in html or "percentage of that term's roll" in html
    charts = json.loads(
        html.split('id="trust-charts" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["trend-chart"]["unit"] == "percent_of_roll"
    # the tooltip names the count beside the percentage
    alpha_set = next(d for d in charts["trend-chart"]["datasets"] if d["label"] == "Alpha Primary")
    assert alpha_set["counts"][-1] == "10" and alpha_set["data"][-1] == 25.0
