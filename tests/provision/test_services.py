"""The provision map through its services: catalogue, groups, sessions, cost settings; bad input
answered field by field with nothing written."""

import datetime as dt
from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.provision import selectors, services
from apps.provision.models import (
    GroupPlace,
    Intervention,
    InterventionGroup,
    InterventionSession,
    SessionAttendance,
)
from tests.pupils.factories import make_pupil
from tests.support_plans.factories import TODAY, make_group, make_intervention

YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def in_a(school_a, school_context):
    with school_context(school_a):
        yield school_a


@pytest.fixture
def pupils(in_a):
    return [make_pupil(provision="K", primary_need="SPLD", year_group="4") for _ in range(3)]


def test_negative_costs_are_refused_and_nothing_is_written(people, in_a):
    with pytest.raises(ValidationError) as exc:
        make_intervention(hourly_staff_cost=Decimal("-3"), resource_cost=Decimal("-1"))
    assert "cannot be negative" in exc.value.message_dict["hourly_staff_cost"][0]
    assert "cannot be negative" in exc.value.message_dict["resource_cost"][0]
    assert not Intervention.objects.exists()


def test_only_the_senco_keeps_the_catalogue(people, in_a):
    for role in ("headteacher_a", "teaching_assistant_a", "trust_send_lead_a"):
        with pytest.raises(PermissionDenied):
            services.intervention_save(
                acting_user=people[role], fields={"name": "ELSA", "area_of_need": "semh"}
            )
    assert not Intervention.objects.exists()


def test_a_group_larger_than_the_intervention_allows_is_refused(people, pupils):
    intervention = make_intervention(group_size=2)
    with pytest.raises(ValidationError) as exc:
        make_group(intervention, staff=[people["teaching_assistant_a"]], pupils=pupils)
    assert "groups of at most 2: 3 pupils chosen" in exc.value.message_dict["pupil_ids"][0]
    assert not InterventionGroup.objects.exists() and not GroupPlace.objects.exists()


def test_group_staff_must_be_staff_of_the_school(people, pupils):
    intervention = make_intervention()
    with pytest.raises(ValidationError) as exc:
        make_group(intervention, staff=[people["senco_b"]], pupils=pupils[:1])
    assert "staff at this school" in exc.value.message_dict["staff_user_ids"][0]


@pytest.fixture
def group(people, pupils):
    return make_group(make_intervention(), staff=[people["teaching_assistant_a"]], pupils=pupils)


def _log(user, group, pupils, **kw):
    values = (
        dict(
            group_id=group.pk,
            held_on=YESTERDAY,
            starts_at=time(9, 0),
            attendance={p.pk: True for p in pupils},
        )
        | kw
    )
    return services.session_log(acting_user=user, **values)


def test_the_ta_who_runs_the_group_logs_a_session_with_attendance(people, group, pupils):
    session = _log(
        people["teaching_assistant_a"],
        group,
        pupils,
        attendance={pupils[0].pk: True, pupils[1].pk: False},
    )
    assert session.run_by_user_id == people["teaching_assistant_a"].pk
    assert session.minutes == 20  # the intervention's session length
    assert dict(SessionAttendance.objects.values_list("pupil_id", "present")) == {
        pupils[0].pk: True,
        pupils[1].pk: False,
    }


def test_a_session_logged_twice_is_refused(people, group, pupils):
    _log(people["teaching_assistant_a"], group, pupils)
    with pytest.raises(ValidationError) as exc:
        _log(people["teaching_assistant_a"], group, pupils)
    assert "already been logged" in exc.value.message_dict["starts_at"][0]
    assert InterventionSession.objects.count() == 1


def test_overlapping_sessions_for_one_member_of_staff_are_refused(people, group, pupils):
    other = make_group(
        make_intervention(name="Numicon", area_of_need="cognition_learning"),
        staff=[people["teaching_assistant_a"]],
        pupils=pupils[:1],
    )
    _log(people["teaching_assistant_a"], group, pupils)
    with pytest.raises(ValidationError) as exc:
        _log(people["teaching_assistant_a"], other, pupils[:1], starts_at=time(9, 10))
    assert "overlaps another session" in exc.value.message_dict["starts_at"][0]
    assert InterventionSession.objects.count() == 1
    _log(people["teaching_assistant_a"], other, pupils[:1], starts_at=time(9, 20))
    assert InterventionSession.objects.count() == 2


def test_someone_who_does_not_run_the_group_cannot_log_it(people, group, pupils):
    with pytest.raises(PermissionDenied, match="groups you run"):
        _log(people["teacher_a"], group, pupils)
    with pytest.raises(ValidationError) as exc:
        _log(people["senco_a"], group, pupils, run_by_user_id=people["teacher_a"].pk)
    assert "someone who runs this group" in exc.value.message_dict["run_by_user_id"][0]
    assert not InterventionSession.objects.exists()


def test_attendance_only_for_pupils_in_the_group(people, group, pupils, in_a):
    stranger = make_pupil(provision="K", primary_need="ASD")
    with pytest.raises(ValidationError) as exc:
        _log(people["teaching_assistant_a"], group, [stranger])
    assert "pupils in the group" in exc.value.message_dict["attendance"][0]
    assert not InterventionSession.objects.exists()


def test_provision_map_costs_each_pupil_and_flags_the_threshold(people, group, pupils, in_a):
    from apps.pupils.models import Pupil

    one_to_one = make_intervention(
        name="Speech therapy",
        area_of_need="communication_interaction",
        group_size=1,
        sessions_per_week=5,
        session_minutes=60,
        hourly_staff_cost=Decimal("35"),
    )
    make_group(one_to_one, staff=[people["teaching_assistant_a"]], pupils=pupils[:1])
    result = selectors.provision_map(Pupil.objects.all())
    costs = {r.pupil.pk: r.annual_cost for r in result.rows}
    lexia = Decimal("38") * Decimal("15") / 4 + Decimal("30")  # 172.50
    assert costs[pupils[1].pk] == lexia.quantize(Decimal("0.01"))
    assert costs[pupils[0].pk] == lexia + Decimal("6680.00")  # 190 h x £35 + £30
    assert [r.pupil.pk for r in result.flagged] == [pupils[0].pk]
    services.provision_settings_set(
        acting_user=people["senco_a"], threshold="10000", notional_sen_budget="50000"
    )
    result = selectors.provision_map(Pupil.objects.all())
    assert result.flagged == []
    assert result.budget_left == Decimal("50000") - result.total_cost
    with pytest.raises(ValidationError) as exc:
        services.provision_settings_set(
            acting_user=people["senco_a"], threshold="-1", notional_sen_budget="x"
        )
    assert set(exc.value.message_dict) == {"threshold", "notional_sen_budget"}


def test_provision_for_pupil_lists_current_places_with_cost(people, group, pupils):
    places = selectors.provision_for_pupil(pupils[0].pk)
    assert [p.group_id for p in places] == [group.pk]
    assert places[0].annual_cost == Decimal("172.50")
    assert places[0].group.intervention.required_training == "Lexia training"
