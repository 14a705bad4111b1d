from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.support import in_school

_serial = itertools.count(1)


def make_pupil(
    *,
    provision: str = "N",
    need: str = "",
    year: str = "6",
    first: str = "Sam",
    last: str = "Pupil",
    history_on: date | None = None,
    **extra,
):
    """A pupil in the current school schema, with a register history row when on the register."""
    from apps.pupils.models import Pupil, SenHistory

    n = next(_serial)
    pupil = Pupil.objects.create(
        upn=f"T{n:012d}",
        first_name=first,
        last_name=f"{last}{n}" if last == "Pupil" else last,
        date_of_birth=date(2014, 5, 1),
        gender="F",
        year_group=year,
        sen_provision=provision,
        primary_need=need,
        **extra,
    )
    if provision != "N" or history_on:
        SenHistory.objects.create(
            pupil=pupil,
            effective_date=history_on or date(2024, 9, 10),
            provision=provision,
            primary_need=need,
        )
    return pupil


@pytest.fixture
def pupils_in():
    """pupils_in(school, [(provision, need, year), ...]) -> list of pupils."""

    def run(school, specs):
        with in_school(school):
            return [make_pupil(provision=p, need=n, year=y) for p, n, y in specs]

    return run


@pytest.fixture
def sister_school(trust_a, db):
    """A second school in trust A (rolled back with the test)."""
    from tenants.services import school_provision

    return school_provision(
        acting_user=None,
        trust=trust_a,
        name="Alpha Secondary",
        urn="100011",
        subdomain="alpha-sec",
        phase="secondary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=900,
    )
