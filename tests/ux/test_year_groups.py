"""Year groups follow the school's phase (issue #15 item 13): pure rules."""

from __future__ import annotations

import pytest

from apps.pupils.codes import YEAR_GROUPS, year_group_choices_for_phase, year_groups_for_phase


@pytest.mark.parametrize(
    ("phase", "first", "last", "count"),
    [
        ("primary", "R", "6", 7),
        ("secondary", "7", "13", 7),
        ("all_through", "N1", "13", len(YEAR_GROUPS)),
        ("special", "N1", "13", len(YEAR_GROUPS)),
    ],
)
def test_each_phase_offers_its_own_year_groups(phase, first, last, count):
    years = year_groups_for_phase(phase)
    assert (years[0], years[-1], len(years)) == (first, last, count)


def test_a_primary_does_not_offer_year_13_or_year_7():
    labels = [label for _, label in year_group_choices_for_phase("primary")]
    assert labels == ["Reception", *[f"Year {y}" for y in range(1, 7)]]


def test_a_pupils_current_year_group_stays_offered_when_editing():
    # A Year 7 pupil imported into a primary keeps their year group when their details are edited.
    codes = [code for code, _ in year_group_choices_for_phase("primary", keep="7")]
    assert codes == ["R", "1", "2", "3", "4", "5", "6", "7"]


def test_a_primary_refuses_a_year_13_pupil_or_class_and_writes_nothing(
    client_for, people, school_a, in_a
):
    from apps.pupils.models import Pupil, TeachingGroup
    from tests.support import in_school

    senco = client_for(people["senco_a"], school_a)
    response = senco.post("/pupils/classes/", {"name": "Sixth form tutor", "year_group": "13"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    response = senco.post("/pupils/new/", {"upn": "A382100125001", "year_group": "13"})
    assert 'id="id_year_group"' in response.content.decode()
    assert '<option value="13"' not in response.content.decode()
    with in_school(school_a):
        assert not TeachingGroup.objects.filter(name="Sixth form tutor").exists()
        assert not Pupil.objects.filter(upn="A382100125001").exists()
