"""Suppression cannot be undone by addition or subtraction (#11 item 5).

The attacker (tests/trust/attacker.py) is written independently of apps/trust/suppression.py:
exact rational elimination over every published equation, and bounds per equation."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.pupils.codes import NEED_TYPES
from apps.trust.rollups import refresh_school
from apps.trust.selectors import dashboard
from apps.trust.suppression import PRIMARY, PUBLISHED, SECONDARY, Equation, suppress
from tests.support import in_school

from .attacker import (
    published_counts,
    recovered_by_bounds,
    recovered_by_propagation,
    recovered_linearly,
)

SMALLISH = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 20])


def _label(value: float, state: str) -> str:
    return {PRIMARY: "fewer than 5", SECONDARY: "suppressed"}.get(state, f"{value:.0f}")


def _two_way(cells: list[list[int]]) -> tuple[dict, list[Equation]]:
    """A table with its row totals, column totals and grand total."""
    values: dict = {}
    equations: list[Equation] = []
    for r, row in enumerate(cells):
        for c, v in enumerate(row):
            values[("cell", r, c)] = v
        values[("row", r)] = sum(row)
        equations.append(Equation(("row", r), tuple(("cell", r, c) for c in range(len(row)))))
    for c in range(len(cells[0])):
        values[("col", c)] = sum(row[c] for row in cells)
        equations.append(
            Equation(("col", c), tuple(("cell", r, c) for r in range(len(cells))), total_first=True)
        )
    values[("all",)] = sum(map(sum, cells))
    equations.append(Equation(("all",), tuple(("row", r) for r in range(len(cells)))))
    equations.append(Equation(("all",), tuple(("col", c) for c in range(len(cells[0])))))
    return values, equations


def _assert_safe(values: dict, equations: list[Equation], state: dict) -> None:
    shown = {k: _label(v, state[k]) for k, v in values.items()}
    lines = [(e.total, e.parts) for e in equations]
    # Every count from 1 to 4 is hidden ("fewer than 5", or "suppressed" when that would pin
    # it); nothing else is "fewer than 5"; a zero is never hidden.
    for k, v in values.items():
        assert (state[k] != PUBLISHED) or not (0 < v < 5), (k, v, state[k])
        assert state[k] != PRIMARY or 0 < v < 5, (k, v)
        assert state[k] == PUBLISHED or v != 0, (k, v)
    assert recovered_linearly(shown, lines) == set(), shown
    assert recovered_by_bounds(shown, lines) == set(), shown
    assert recovered_by_propagation(shown, lines) == set(), shown


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(SMALLISH, min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    )
)
def test_no_suppressed_cell_of_a_random_table_can_be_recovered(cells):
    values, equations = _two_way(cells)
    _assert_safe(values, equations, suppress(values, equations))


@pytest.mark.parametrize(
    "cells",
    [
        [[12, 4]],  # the Cedar finding: one school, K and E, its total published
        [[1, 1]],  # two small ones adding to 2 are each 1
        [[4, 4]],  # ... and to 8, each 4
        [[5, 1]],  # 5 beside a "fewer than 5" with its total
        [[1, 1, 1, 1]],  # four "fewer than 5" in a total of "fewer than 5": each is 1
        [[1], [2], [3]],  # single column, all small
        [[2, 3, 1, 4]],  # single row, all small
        [[0, 0], [0, 3]],
        [[0, 0], [0, 0]],
        [[12, 4], [30, 9], [7, 1]],
    ],
)
def test_edge_tables(cells):
    values, equations = _two_way(cells)
    _assert_safe(values, equations, suppress(values, equations))


def test_cedar_shape_hides_a_second_figure_not_everything():
    values, equations = _two_way([[12, 4], [30, 9], [40, 11]])
    state = suppress(values, equations)
    assert state[("cell", 0, 1)] == PRIMARY
    assert state[("cell", 0, 0)] == SECONDARY  # K, so that the school's total 16 says nothing
    assert state[("row", 0)] == PUBLISHED
    # the other schools keep their figures; the trust total of each column goes instead
    assert all(state[("cell", r, c)] == PUBLISHED for r in (1, 2) for c in (0, 1))


def test_a_bridge_between_two_hidden_blocks_is_caught():
    """Every line has two hidden entries, yet one is fixed: the exact check finds it."""
    # Rows 0-1 x cols 0-1 and rows 2-3 x cols 2-3 are hidden blocks; (0, 2) links them.
    state_in = {}
    cells = [[6, 6, 6, 9], [6, 6, 9, 9], [9, 9, 6, 6], [9, 9, 6, 6]]
    values, equations = _two_way(cells)
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    for k in values:
        state_in[k] = SECONDARY if k[0] == "cell" and (k[1], k[2]) in hidden else PUBLISHED
    shown = {k: _label(v, state_in[k]) for k, v in values.items()}
    assert ("cell", 0, 2) in recovered_linearly(shown, [(e.total, e.parts) for e in equations])
    from apps.trust.suppression import exposed_entries

    assert ("cell", 0, 2) in exposed_entries(values, equations, state_in)


# --- Through the real selectors ------------------------------------------------------------------

NEEDS = [n.code for n in NEED_TYPES][:5]
YEARS = ["3", "4", "5"]


def _put_pupils(school, rows: list[tuple[str, str, str]]) -> None:
    from apps.ehcp.models import EhcPlan
    from apps.pupils.models import Pupil

    with in_school(school):
        Pupil.objects.all().delete()
        pupils = Pupil.objects.bulk_create(
            Pupil(
                upn=f"T{school.pk:03d}{i:09d}",
                first_name="Sam",
                last_name=f"Pupil{i}",
                date_of_birth=date(2015, 5, 1),
                gender="F",
                year_group=year,
                sen_provision=provision,
                primary_need=need if provision != "N" else "",
            )
            for i, (provision, need, year) in enumerate(rows)
        )
        # Each pupil with provision E has their EHC plan (the "EHC plans maintained" figure).
        EhcPlan.objects.bulk_create(
            EhcPlan(pupil=p, issued_on=date(2024, 3, 1), local_authority="Kirklees")
            for p in pupils
            if p.sen_provision == "E"
        )
        refresh_school(school)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["N", "K", "K", "E"]), st.sampled_from(NEEDS), st.sampled_from(YEARS)
        ),
        max_size=30,
    ),
    st.lists(
        st.tuples(st.sampled_from(["N", "K", "E"]), st.sampled_from(NEEDS), st.sampled_from(YEARS)),
        max_size=30,
    ),
)
def test_no_published_counts_figure_can_be_recovered(school_a, sister_school, rows_a, rows_b):
    _put_pupils(school_a, rows_a)
    _put_pupils(sister_school, rows_b)
    shown, lines = published_counts(
        school_a.trust, [school_a, sister_school], plans_for_every_e=True
    )
    assert recovered_linearly(shown, lines) == set(), shown
    assert recovered_by_bounds(shown, lines) == set(), shown
    assert recovered_by_propagation(shown, lines) == set(), shown
    # A percentage of roll is the count when the roll is published: hidden with its count.
    percent = next(
        t for t in dashboard(school_a.trust)["tables"] if t.spec.key == "provision_percent"
    )
    provision = next(t for t in dashboard(school_a.trust)["tables"] if t.spec.key == "provision")
    for prow, row in zip(percent.rows, provision.rows, strict=True):
        for pc, c in zip(prow["cells"], row["cells"], strict=True):
            assert (pc == "suppressed") == (c in ("fewer than 5", "suppressed")) or c == "0"


# --- The Cedar finding, through the pages, the export and the API --------------------------------


def _numbers(text: str) -> list[str]:
    return re.findall(r"(?<![\d.])\d+(?![\d.%])", text)


def test_cedar_e_cannot_be_derived_from_anythingpublished_counts(
    people, client_for, api_for, school_a, sister_school, pupils_in
):
    """K = 12 and E = 4 in a school: metrics, trends, CSV and API together must not give E."""
    pupils_in(school_a, [("K", "SPLD", "3")] * 12 + [("E", "ASD", "4")] * 4 + [("N", "", "3")] * 30)
    pupils_in(sister_school, [("K", "MLD", "7")] * 40 + [("E", "ASD", "8")] * 11)
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
    viewer = client_for(people["trust_send_lead_a"])
    page = viewer.get("/dashboard/").content.decode()
    section = page[page.index('data-metric="provision"') :]
    section = section[: section.index("</section>")]
    alpha = section[section.index('<th scope="row" class="govuk-table__header">Alpha Primary') :]
    alpha = alpha[: alpha.index("</tr>")]
    assert "fewer than 5" in alpha
    trend = viewer.get("/dashboard/trends/provision/").content.decode()
    trend_row = trend[trend.index('<th scope="row" class="govuk-table__header">Alpha Primary') :]
    trend_row = trend_row[: trend_row.index("</tr>")]
    # Either K (12) or the trend's total (16) is hidden: never both shown.
    k_shown = "12" in _numbers(alpha)
    total_shown = _numbers(trend_row)[-1:] == ["16"]
    assert not (k_shown and total_shown)
    assert k_shown or "suppressed" in alpha
    assert total_shown or "suppressed" in trend_row
    rows = list(csv.reader(io.StringIO(viewer.get("/dashboard/figures.csv").content.decode())))
    cedar = {
        (r[0], r[1]): r[3]
        for r in rows
        if r[2] == "Alpha Primary" and r[0] == "Pupils on the SEN register by provision"
    }
    assert cedar[("Pupils on the SEN register by provision", "EHC plan")] == "fewer than 5"
    assert cedar[("Pupils on the SEN register by provision", "SEN support")] == (
        "12" if k_shown else "suppressed"
    )
    api = api_for(people["trust_send_lead_a"]).get("/api/v1/trust/metrics/").json()
    (trust,) = api["trusts"]
    mine = next(s for s in trust["schools"] if s["school"]["id"] == school_a.pk)
    figures = {(f["metric"], f["category"]): f for f in mine["figures"]}
    assert figures[("provision", "K")]["value"] == (12 if k_shown else None)
    assert figures[("provision", "E")]["value"] is None
    assert figures[("provision_percent", "E")]["value"] is None  # 4 of 46 would say 4
    # And the whole register table, read as the attacker would, gives nothing away.
    shown, lines = published_counts(school_a.trust, [school_a, sister_school])
    assert shown[(school_a.pk, "provision", "E")] == "fewer than 5"
    assert recovered_linearly(shown, lines) == set()
    assert recovered_by_bounds(shown, lines) == set()
    assert recovered_by_propagation(shown, lines) == set()


# --- The shared SENCo check publishes the register summed over the arrangement's schools -------


def _shared_senco_over(people, trust_a, school_a, sister_school, pupils_in, *, alpha_e: int):
    """Senco A shared by Alpha (K = 12, E = alpha_e) and the sister school (K = 40, E = 11), 110
    hours a week between them; returns the arrangement and this term's provision trend totals."""
    from decimal import Decimal

    from django.utils import timezone

    from apps.trust.selectors import trends
    from apps.trust.services import arrangement_save
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    pupils_in(
        school_a, [("K", "SPLD", "3")] * 12 + [("E", "ASD", "4")] * alpha_e + [("N", "", "3")] * 30
    )
    pupils_in(sister_school, [("K", "MLD", "7")] * 40 + [("E", "ASD", "8")] * 11)
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=sister_school, role=SchoolRole.SENCO
    )
    arrangement = arrangement_save(
        acting_user=people["trust_send_lead_a"],
        trust=trust_a,
        senco=people["senco_a"],
        teaching_hours_per_week=Decimal(0),
        admin_support_hours_per_week=Decimal(3),
        started_on=date(2025, 9, 1),
        next_review_due=timezone.localdate() + timedelta(days=30),
        school_hours={school_a: Decimal(20), sister_school: Decimal(90)},
    )
    rows = {r["school"].pk: r["cells"][-1] for r in trends(trust_a, "provision")["rows"]}
    return arrangement, rows


def test_the_shared_senco_check_does_not_give_a_hidden_register_total_back(
    people, trust_a, school_a, sister_school, pupils_in
):
    """Alpha's register total is hidden (it would give its E = 4 away beside K = 12); the check
    "time per pupil on the register" names the total over both schools and the minutes per pupil:
    with the sister school's total published, that would give Alpha's back. It does not."""
    from apps.trust.selectors import arrangement_checks

    arrangement, rows = _shared_senco_over(
        people, trust_a, school_a, sister_school, pupils_in, alpha_e=4
    )
    check = next(c for c in arrangement_checks(arrangement) if c.key == "time_register")
    assert rows[sister_school.pk] == "51"  # published
    assert rows[school_a.pk] == "suppressed"  # K = 12 is shown: 16 would give E = 4 away
    # 67 in all, or minutes per pupil, with the sister school's 51 would say 16.
    assert "67" not in check.reason and "minutes a week per pupil" not in check.reason
    assert "not shown" in check.reason
    # The check still decides: 110 hours for 67 pupils is plenty.
    assert check.status == "pass"
    # And the attacker, given the check's total as another published equation, learns nothing.
    shown, lines = published_counts(trust_a, [school_a, sister_school])
    numbers = re.findall(r"for (\d+) pupils on the SEN register", check.reason)
    shown[("group",)] = numbers[0] if numbers else "suppressed"
    lines.append((("group",), (("register", school_a.pk), ("register", sister_school.pk))))
    assert recovered_linearly(shown, lines) == set()
    assert recovered_by_bounds(shown, lines) == set()
    assert recovered_by_propagation(shown, lines) == set()


def test_the_shared_senco_check_names_the_register_total_when_every_school_publishes_its_own(
    people, trust_a, school_a, sister_school, pupils_in
):
    from apps.trust.selectors import arrangement_checks

    arrangement, rows = _shared_senco_over(
        people, trust_a, school_a, sister_school, pupils_in, alpha_e=6
    )
    assert (rows[school_a.pk], rows[sister_school.pk]) == ("18", "51")
    check = next(c for c in arrangement_checks(arrangement) if c.key == "time_register")
    # 110 hours for 69 pupils: 95.7 minutes a week per pupil.
    assert "for 69 pupils on the SEN register" in check.reason
    assert "minutes a week per pupil" in check.reason and check.status == "pass"


def test_ehc_plans_maintained_do_not_give_a_hidden_provision_e_back(
    school_a, sister_school, pupils_in
):
    """Alpha: K = 3 and E = 8, all in year 4. The year-4 figure (11) is the register total, so E
    was hidden beside K; "EHC plans maintained" said 8, which a reader takes for E: K = 3."""
    from tests.ehcp.factories import make_plan

    made = {
        school_a: pupils_in(
            school_a, [("K", "SPLD", "4")] * 3 + [("E", "ASD", "4")] * 8 + [("N", "", "3")] * 30
        ),
        sister_school: pupils_in(sister_school, [("K", "MLD", "7")] * 20 + [("E", "ASD", "8")] * 9),
    }
    for school, pupils in made.items():
        with in_school(school):
            for pupil in pupils:
                if pupil.sen_provision == "E":
                    make_plan(pupil)
            refresh_school(school)
    shown, lines = published_counts(
        school_a.trust, [school_a, sister_school], plans_for_every_e=True
    )
    assert shown[(school_a.pk, "provision", "K")] == "fewer than 5"
    assert shown[(sister_school.pk, "ehc_plans", "")] == "9"  # nothing to hide there
    assert recovered_linearly(shown, lines) == set(), shown
    assert recovered_by_bounds(shown, lines) == set(), shown
    assert recovered_by_propagation(shown, lines) == set(), shown


def test_the_attacker_narrows_ranges_across_equations():
    """No single equation pins anything here, nor does elimination (3 unknowns, 2 equations):
    5 = x + y gives y 1 to 4, 8 = y + z gives y 4 to 7, so y = 4, x = 1 and z = 4."""
    shown = {
        "T1": "5",
        "T2": "8",
        "x": "fewer than 5",
        "y": "suppressed",
        "z": "fewer than 5",
    }
    lines = [("T1", ("x", "y")), ("T2", ("y", "z"))]
    assert recovered_linearly(shown, lines) == set()
    assert recovered_by_bounds(shown, lines) == set()
    assert recovered_by_propagation(shown, lines) == {"x", "y", "z"}
