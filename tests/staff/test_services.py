"""Staff, deployment against contract, training and skills, exam access arrangements and
transitions through the services; the pure rules, table-tested."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.staff import rules, selectors, services
from apps.staff.models import AccessArrangement, Deployment, StaffMember, Transition

TODAY = dt.date.today()


@pytest.fixture
def ta(cast, in_a):
    return services.staff_add(
        acting_user=None, name="Karen Walsh", role="teaching_assistant", contracted_hours="20"
    )


@pytest.mark.parametrize(
    "hours, level",
    [("20", "ok"), ("21", "warn"), ("22", "warn"), ("22.5", "refuse"), ("30", "refuse")],
)
def test_deployment_level_warns_over_100_and_refuses_over_110(hours, level):
    assert rules.deployment_level(Decimal(hours), Decimal("20")) == level


def test_deploying_over_contract_warns_and_over_110_percent_is_refused(ta, cast):
    _, warning = services.deployment_add(
        acting_user=None, member=ta, pupil=cast["taught"], hours_a_week="18"
    )
    assert warning == ""
    _, warning = services.deployment_add(
        acting_user=None, member=ta, group_name="Check-in", hours_a_week="3"
    )
    assert "21.0 hours a week, 105%" in warning
    with pytest.raises(ValidationError) as exc:
        services.deployment_add(acting_user=None, member=ta, group_name="More", hours_a_week="2")
    assert "more than 110% is refused" in exc.value.message_dict["hours_a_week"][0]
    assert Deployment.objects.count() == 2


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"hours_a_week": "0", "group_name": "X"}, "hours_a_week"),
        ({"hours_a_week": "2"}, "pupil"),
        ({"hours_a_week": "2", "group_name": "X", "needs_skill": "juggling"}, "needs_skill"),
    ],
)
def test_bad_deployment_is_refused(ta, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.deployment_add(acting_user=None, member=ta, **fields)
    assert field in exc.value.message_dict
    assert not Deployment.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"name": "", "role": "teacher", "contracted_hours": "10"}, "name"),
        ({"name": "A", "role": "wizard", "contracted_hours": "10"}, "role"),
        ({"name": "A", "role": "teacher", "contracted_hours": "0"}, "contracted_hours"),
        ({"name": "A", "role": "teacher", "contracted_hours": "61"}, "contracted_hours"),
        ({"name": "A", "role": "teacher", "contracted_hours": "10", "user_id": 999999}, "user_id"),
    ],
)
def test_bad_staff_record_is_refused(in_a, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.staff_add(acting_user=None, **fields)
    assert field in exc.value.message_dict
    assert not StaffMember.objects.exists()


def test_staff_record_links_to_a_login_of_this_school(in_a, people):
    member = services.staff_add(
        acting_user=None,
        name="TA A",
        role="teaching_assistant",
        contracted_hours="25",
        user_id=people["teaching_assistant_a"].pk,
    )
    assert member.user_id == people["teaching_assistant_a"].pk
    with pytest.raises(ValidationError) as exc:
        services.staff_add(
            acting_user=None,
            name="B",
            role="teacher",
            contracted_hours="25",
            user_id=people["senco_b"].pk,
        )
    assert "not a member of staff at this school" in exc.value.message_dict["user_id"][0]


def test_skills_warning_when_work_needs_training_the_person_lacks(ta):
    services.deployment_add(
        acting_user=None, member=ta, group_name="Talk Boost", hours_a_week="2", needs_skill="elklan"
    )
    assert [w.work for w in selectors.skills_warnings()] == ["Talk Boost"]
    services.training_record(
        acting_user=None,
        topic="ELKLAN level 3",
        skill="elklan",
        delivered_on=TODAY,
        provider="NHS SALT",
        attendee_ids=[ta.pk],
    )
    assert selectors.skills_warnings() == []
    skills, matrix = selectors.skills_matrix()
    column = [code for code, _ in skills].index("elklan")
    assert matrix[0][1][column] is True


def test_training_needs_attendees_and_a_past_date(ta):
    with pytest.raises(ValidationError) as exc:
        services.training_record(
            acting_user=None,
            topic="X",
            delivered_on=TODAY + dt.timedelta(days=1),
            provider="Y",
            attendee_ids=[],
        )
    assert {"delivered_on", "attendees"} <= set(exc.value.message_dict)


@pytest.mark.parametrize("percent", [0, -5, 101, 150])
def test_extra_time_outside_0_to_100_is_refused(candidates, in_a, percent):
    with pytest.raises(ValidationError) as exc:
        services.arrangement_add(
            acting_user=None,
            pupil=candidates["taught"],
            kind="extra_time",
            extra_time_percent=percent,
        )
    assert "extra_time_percent" in exc.value.message_dict
    assert not AccessArrangement.objects.exists()


def test_access_arrangements_are_for_secondary_pupils(candidates, in_a):
    with pytest.raises(ValidationError) as exc:
        services.arrangement_add(acting_user=None, pupil=candidates["young"], kind="reader")
    assert "secondary pupils" in exc.value.message_dict["pupil"][0]


def test_exams_list_flags_missing_evidence_and_expiry_before_the_series(
    candidates, in_a, people, school_a
):
    from tenants.access import school_access_for

    series = rules.next_exam_series(TODAY)
    full = dict(
        assessor="J Fisher",
        assessed_on=TODAY - dt.timedelta(days=30),
        history_of_need="Slow processing",
        normal_way_of_working="Uses it in class",
    )
    ok = services.arrangement_add(
        acting_user=None,
        pupil=candidates["taught"],
        kind="extra_time",
        extra_time_percent=25,
        **full,
    )
    lacking = services.arrangement_add(acting_user=None, pupil=candidates["other"], kind="reader")
    expiring = services.arrangement_add(
        acting_user=None,
        pupil=candidates["other"],
        kind="word_processor",
        normal_way_of_working="Types in lessons",
        expires_on=series[2] - dt.timedelta(days=1),
    )
    access = school_access_for(people["office_a"], school_a)
    _, rows = selectors.exams_list(access, people["office_a"], TODAY)
    flags = {r.arrangement.pk: (r.missing, r.expires_before_series) for r in rows}
    assert flags[ok.pk] == ([], False)
    assert flags[lacking.pk][0] == [
        "assessor",
        "assessment date",
        "history of need",
        "normal way of working",
    ]
    assert flags[expiring.pk] == ([], True)


@pytest.mark.parametrize(
    "today, name",
    [
        (dt.date(2026, 3, 1), "Summer 2026"),
        (dt.date(2026, 6, 30), "Summer 2026"),
        (dt.date(2026, 7, 1), "November 2026"),
        (dt.date(2026, 12, 1), "Summer 2027"),
    ],
)
def test_next_exam_series(today, name):
    assert rules.next_exam_series(today)[0] == name


def test_a_transition_starts_with_the_checklist_and_hands_over_by_ctf_outside_the_trust(
    cast, people, in_a
):
    transition = services.transition_plan(
        acting_user=people["senco_a"],
        pupil=cast["taught"],
        kind="phase",
        destination="St Anne's High School",
        destination_urn="123456",
        moves_on=TODAY + dt.timedelta(days=100),
        responsible_name="SENCo",
    )
    assert transition.steps.count() == len(rules.TRANSITION_CHECKLIST)
    step = transition.steps.first()
    services.transition_step_done(acting_user=people["senco_a"], step=step)
    services.transition_hand_over(acting_user=people["senco_a"], transition=transition)
    transition.refresh_from_db()
    assert transition.status == "handed_over" and transition.handover_transfer_id is None


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"destination": ""}, "destination"),
        ({"destination_urn": "12"}, "destination_urn"),
        ({"responsible_name": ""}, "responsible_name"),
        ({"destination_school_id": 999999}, "destination_school_id"),
    ],
)
def test_bad_transition_is_refused(cast, in_a, fields, field):
    values = dict(kind="phase", destination="High School", moves_on=TODAY, responsible_name="SENCo")
    values.update(fields)
    with pytest.raises(ValidationError) as exc:
        services.transition_plan(acting_user=None, pupil=cast["taught"], **values)
    assert field in exc.value.message_dict
    assert not Transition.objects.exists()


@pytest.mark.parametrize("who", ["teacher_a", "headteacher_a", "office_a", "trust_send_lead_a"])
def test_only_the_senco_writes_staff_records_arrangements_and_transitions(
    cast, candidates, people, who, in_a
):
    with pytest.raises(PermissionDenied):
        services.staff_add(acting_user=people[who], name="X", role="teacher", contracted_hours=1)
    with pytest.raises(PermissionDenied):
        services.arrangement_add(acting_user=people[who], pupil=candidates["taught"], kind="reader")
    with pytest.raises(PermissionDenied):
        services.transition_plan(
            acting_user=people[who],
            pupil=cast["taught"],
            kind="phase",
            destination="X",
            moves_on=TODAY,
            responsible_name="X",
        )
    assert not StaffMember.objects.exists()
    assert not AccessArrangement.objects.exists()
    assert not Transition.objects.exists()


def test_skills_warning_for_a_provision_map_group_run_without_its_training(cast, people, in_a):
    from apps.provision.models import Intervention, InterventionGroup

    talk = Intervention.objects.create(
        name="Talk Boost",
        area_of_need="communication_interaction",
        required_training="ELKLAN",
    )
    InterventionGroup.objects.create(
        intervention=talk,
        name="Year 3 Talk Boost",
        staff_user_ids=[people["teaching_assistant_a"].pk, people["teacher_a"].pk],
        starts_on=TODAY - dt.timedelta(days=10),
    )
    ta = services.staff_add(
        acting_user=None,
        name="TA A",
        role="teaching_assistant",
        contracted_hours=25,
        user_id=people["teaching_assistant_a"].pk,
    )
    warnings = {(w.staff_name, w.work) for w in selectors.skills_warnings()}
    assert warnings == {
        ("TA A", "Year 3 Talk Boost (Talk Boost)"),
        (people["teacher_a"].full_name, "Year 3 Talk Boost (Talk Boost)"),  # no staff record
    }
    services.training_record(
        acting_user=None,
        topic="ELKLAN level 3 for TAs",
        delivered_on=TODAY,
        provider="NHS SALT",
        attendee_ids=[ta.pk],
    )
    assert {w.staff_name for w in selectors.skills_warnings()} == {people["teacher_a"].full_name}


def test_in_trust_hand_over_starts_the_transfer(cast, people, in_a, trust_a):
    from django.db import connection

    from apps.trust.models import PupilTransfer
    from tenants.services import school_provision

    here = connection.tenant
    riverside = school_provision(
        acting_user=None,
        trust=trust_a,
        name="Riverside Test Academy",
        urn="100099",
        subdomain="riverside-test",
        phase="secondary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=900,
    )
    connection.set_tenant(here)
    transition = services.transition_plan(
        acting_user=people["senco_a"],
        pupil=cast["taught"],
        kind="phase",
        destination_school_id=riverside.pk,
        moves_on=TODAY + dt.timedelta(days=90),
        responsible_name="SENCo",
    )
    assert transition.destination == "Riverside Test Academy"
    services.transition_hand_over(acting_user=people["senco_a"], transition=transition)
    transition.refresh_from_db()
    transfer = PupilTransfer.objects.get(pk=transition.handover_transfer_id)
    assert transfer.to_school_id == riverside.pk
    assert transfer.source_pupil_id == cast["taught"].pk
    assert connection.schema_name == here.schema_name


def test_worklists_count_without_names(cast, people, in_a, school_a):
    from apps.agencies.worklist import agencies_worklist
    from apps.core.extensions import WorklistContext
    from apps.family.worklist import family_worklist
    from apps.staff.worklist import staff_worklist
    from tenants.access import school_access_for

    member = services.staff_add(
        acting_user=None, name="Grace", role="teaching_assistant", contracted_hours=20
    )
    services.deployment_add(
        acting_user=None, member=member, group_name="Talk", hours_a_week=2, needs_skill="elklan"
    )

    def ctx(who):
        user = people[who]
        return WorklistContext(school_a, user, school_access_for(user, school_a), TODAY)

    items = {i.label: i.count for i in staff_worklist(ctx("senco_a"))}
    assert items == {"Work run without the training it needs": 1}
    family_items = {i.label: i.count for i in family_worklist(ctx("senco_a"))}
    assert family_items["Pupils whose parents were met fewer than 3 times"] == 3
    assert agencies_worklist(ctx("senco_a")) == []
    assert staff_worklist(ctx("teacher_a")) == [] and family_worklist(ctx("teacher_a")) == []
    for provider in (staff_worklist, family_worklist):
        for item in provider(ctx("senco_a")):
            assert "Tilly" not in item.label and "Taughtson" not in item.label
