"""Census rules for a register entry (DfE school census guide: SEN provision N/K/E; type of need
ranked 1 and 2; NSA only with SEN support) and the date rules, table-driven and by property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.pupils.codes import NEED_TYPES, NEEDS_BY_CODE, broad_areas
from apps.pupils.rules import change_date_errors, pupil_date_errors, register_errors

CODES = [n.code for n in NEED_TYPES]


@pytest.mark.parametrize(
    "provision, primary, secondary, ok",
    [
        ("N", "", "", True),
        ("K", "SLCN", "", True),
        ("K", "SLCN", "SEMH", True),
        ("E", "ASD", "SLCN", True),
        ("K", "NSA", "", True),  # no specialist assessment yet: SEN support only
        ("E", "NSA", "", False),
        ("K", "NSA", "MLD", False),
        ("K", "MLD", "NSA", False),
        ("K", "", "", False),  # rank 1 required on the register
        ("E", "", "ASD", False),
        ("N", "MLD", "", False),
        ("K", "MLD", "MLD", False),
        ("K", "DS", "", True),  # Down syndrome, from January 2025
        ("K", "XYZ", "", False),
        ("S", "MLD", "", False),  # statements are historic: never assigned
        ("", "", "", False),
    ],
)
def test_census_rules(provision, primary, secondary, ok):
    assert (register_errors(provision, primary, secondary) == {}) is ok


def test_historic_codes_are_accepted_from_transfer_files():
    assert register_errors("S", "MLD", "", allow_historic=True) == {}


@given(
    provision=st.sampled_from(["N", "K", "E"]),
    primary=st.sampled_from(["", *CODES]),
    secondary=st.sampled_from(["", *CODES]),
)
def test_rules_match_the_census_specification(provision, primary, secondary):
    nsa = "NSA" in (primary, secondary)
    expected = (provision == "N" and not primary and not secondary) or (
        provision in ("K", "E")
        and bool(primary)
        and secondary != primary
        and not (nsa and provision != "K")
        and not (nsa and secondary)
    )
    assert (register_errors(provision, primary, secondary) == {}) is expected


def test_broad_areas_are_derived_from_the_ranked_needs():
    assert broad_areas("ASD", "SLCN") == ["Communication and interaction"]
    assert broad_areas("SPLD", "HI") == ["Cognition and learning", "Sensory and/or physical"]
    assert broad_areas("NSA") == [] and broad_areas("OTH") == []
    assert all(n.area is None or n.code in NEEDS_BY_CODE for n in NEED_TYPES)


TODAY = dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"date_of_birth": dt.date(2026, 2, 1)}, "date_of_birth"),
        ({"date_of_birth": dt.date(1990, 1, 1)}, "date_of_birth"),
        (
            {"date_of_birth": dt.date(2015, 1, 1), "admission_date": dt.date(2014, 9, 1)},
            "admission_date",
        ),
        (
            {
                "date_of_birth": dt.date(2015, 1, 1),
                "admission_date": dt.date(2020, 9, 1),
                "leaving_date": dt.date(2020, 7, 1),
            },
            "leaving_date",
        ),
        (
            {"date_of_birth": dt.date(2015, 1, 1), "sen_identified_on": dt.date(2026, 3, 1)},
            "sen_identified_on",
        ),
        (
            {"date_of_birth": dt.date(2015, 1, 1), "sen_identified_on": dt.date(2014, 3, 1)},
            "sen_identified_on",
        ),
    ],
)
def test_date_rules(kwargs, field):
    assert field in pupil_date_errors(today=TODAY, **kwargs)


def test_change_dates():
    dob = dt.date(2015, 1, 1)
    assert (
        change_date_errors(effective_date=TODAY, date_of_birth=dob, last_change=None, today=TODAY)
        == {}
    )
    assert "effective_date" in change_date_errors(
        effective_date=dt.date(2026, 1, 16), date_of_birth=dob, last_change=None, today=TODAY
    )
    assert "effective_date" in change_date_errors(
        effective_date=dt.date(2025, 1, 1),
        date_of_birth=dob,
        last_change=dt.date(2025, 6, 1),
        today=TODAY,
    )
