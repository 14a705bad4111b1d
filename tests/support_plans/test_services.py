"""Support plans through the services: versions, reviews rolling a plan, assessments,
observations; bad input answered field by field with nothing written; roles refused."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.support import services
from apps.support.models import Assessment, Observation, Outcome, Review, SupportPlan
from tests.pupils.factories import make_class, make_pupil
from tests.support_plans.factories import TODAY, make_intervention, make_plan, outcome


@pytest.fixture
def in_a(school_a, school_context):
    with school_context(school_a):
        yield school_a


@pytest.fixture
def pupil(in_a):
    return make_pupil(provision="K", primary_need="SPLD")


def _counts():
    return (
        SupportPlan.objects.count(),
        Outcome.objects.count(),
        Review.objects.count(),
        AuditEvent.objects.filter(action__startswith="support.").count(),
    )


def test_senco_writes_a_plan_with_outcomes_and_a_termly_review_date(people, pupil):
    plan = services.plan_create(
        acting_user=people["senco_a"],
        pupil_id=pupil.pk,
        outcomes=[outcome(1), outcome(2)],
        strategies="Chunk instructions",
        lead_user_id=people["teacher_a"].pk,
    )
    assert plan.version == 1 and plan.status == "current"
    assert [o.position for o in plan.outcomes.all()] == [0, 1]
    assert plan.lead_name == people["teacher_a"].full_name
    assert plan.review_due > TODAY
    event = AuditEvent.objects.get(action="support.plan_written")
    assert event.pupil_id == pupil.pk and event.user_id == people["senco_a"].pk


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"outcomes": [outcome(1, measure="")]}, "outcomes.0.measure", "how it will be measured"),
        ({"outcomes": [outcome(1, target_date=None)]}, "outcomes.0.target_date", "give the date"),
        (
            {"outcomes": [outcome(1), outcome(2, target_date=TODAY - dt.timedelta(days=400))]},
            "outcomes.1.target_date",
            "before the plan starts",
        ),
        ({"outcomes": []}, "outcomes", "at least one outcome"),
        ({"lead_user_id": 999999}, "lead_user_id", "member of staff"),
        ({"provision_group_ids": [999999]}, "provision", "No such intervention group"),
    ],
)
def test_bad_plans_are_refused_field_by_field_and_nothing_is_written(
    people, pupil, change, field, message
):
    before = _counts()
    values = dict(pupil_id=pupil.pk, outcomes=[outcome(1)]) | change
    with pytest.raises(ValidationError) as exc:
        services.plan_create(acting_user=people["senco_a"], **values)
    assert message in exc.value.message_dict[field][0]
    assert _counts() == before


def test_a_plan_for_a_pupil_not_on_the_register_is_refused(people, in_a):
    pupil = make_pupil(provision="N")
    with pytest.raises(ValidationError) as exc:
        services.plan_create(acting_user=people["senco_a"], pupil_id=pupil.pk, outcomes=[outcome()])
    assert "not on the SEN register" in exc.value.message_dict["pupil"][0]
    assert not SupportPlan.objects.exists()


def test_a_second_current_plan_is_refused(people, pupil):
    make_plan(pupil)
    with pytest.raises(ValidationError) as exc:
        make_plan(pupil)
    assert "already has a current plan" in exc.value.message_dict["pupil"][0]
    assert SupportPlan.objects.count() == 1


@pytest.mark.parametrize("role", ["headteacher_a", "teacher_a", "teaching_assistant_a", "office_a"])
def test_only_the_senco_writes_plans(people, pupil, role):
    with pytest.raises(PermissionDenied):
        services.plan_create(acting_user=people[role], pupil_id=pupil.pk, outcomes=[outcome()])
    assert not SupportPlan.objects.exists()


def test_trust_send_lead_reads_but_cannot_write(people, pupil):
    with pytest.raises(PermissionDenied, match="Trust staff"):
        services.plan_create(
            acting_user=people["trust_send_lead_a"], pupil_id=pupil.pk, outcomes=[outcome()]
        )


def test_a_review_rates_outcomes_and_rolls_the_plan_to_its_next_version(people, pupil):
    intervention = make_intervention()
    plan = make_plan(pupil, outcomes=3)
    first, second, third = plan.outcomes.all()
    Outcome.objects.filter(pk=first.pk).update(intervention=intervention)
    review = services.review_record(
        acting_user=people["senco_a"],
        plan_id=plan.pk,
        held_on=TODAY,
        ratings={first.pk: "met", second.pk: "partly_met", third.pk: "not_met"},
        attendees="SENCo, class teacher, mum",
        pupil_contribution="I can read my reading book now.",
        parent_contribution="Much happier about school.",
        next_steps="Carry on with phonics; add spelling.",
    )
    plan.refresh_from_db()
    assert plan.status == "superseded"
    new = review.next_plan
    assert (new.version, new.status, new.previous_id) == (2, "current", plan.pk)
    # Outcomes not met carry on; the met one does not.
    carried = list(new.outcomes.all())
    assert [o.carried_from_id for o in carried] == [second.pk, third.pk]
    assert all(o.target_date >= new.review_due for o in carried)
    assert dict(plan.outcomes.values_list("pk", "rating")) == {
        first.pk: "met",
        second.pk: "partly_met",
        third.pk: "not_met",
    }
    assert new.pupil_views == "I can read my reading book now."
    assert new.strategies == plan.strategies
    # The earlier version stays readable as it was.
    assert plan.outcomes.count() == 3


def test_a_review_can_set_new_outcomes(people, pupil):
    plan = make_plan(pupil, outcomes=1)
    (only,) = plan.outcomes.all()
    review = services.review_record(
        acting_user=people["senco_a"],
        plan_id=plan.pk,
        held_on=TODAY,
        ratings={only.pk: "exceeded"},
        next_outcomes=[outcome(5), outcome(6)],
    )
    assert review.next_plan.outcomes.count() == 2


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"ratings": {}}, "ratings.{0}", "Rate this outcome"),
        ({"ratings": {"{0}": "brilliant"}}, "ratings.{0}", "is not a rating"),
        ({"held_on": TODAY + dt.timedelta(days=1)}, "held_on", "cannot be in the future"),
        ({"next_outcomes": [outcome(1, measure="")]}, "next_outcomes.0.measure", "measured"),
    ],
)
def test_bad_reviews_write_nothing(people, pupil, kwargs, field, message):
    plan = make_plan(pupil, outcomes=1)
    (only,) = plan.outcomes.all()
    values = dict(held_on=TODAY, ratings={only.pk: "met"})
    for key, value in kwargs.items():
        if key == "ratings":
            value = {
                int(k.format(only.pk)) if isinstance(k, str) else k: v for k, v in value.items()
            }
        values[key] = value
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.review_record(acting_user=people["senco_a"], plan_id=plan.pk, **values)
    assert message in exc.value.message_dict[field.format(only.pk)][0]
    assert _counts() == before
    plan.refresh_from_db()
    assert plan.status == "current" and not plan.outcomes.exclude(rating="").exists()


def test_a_superseded_plan_cannot_be_reviewed_or_changed(people, pupil):
    plan = make_plan(pupil, outcomes=1)
    (only,) = plan.outcomes.all()
    services.review_record(
        acting_user=people["senco_a"], plan_id=plan.pk, held_on=TODAY, ratings={only.pk: "met"}
    )
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            acting_user=people["senco_a"], plan_id=plan.pk, held_on=TODAY, ratings={only.pk: "met"}
        )
    assert "already been reviewed" in exc.value.message_dict["plan"][0]
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            acting_user=people["senco_a"], plan_id=plan.pk, changes={"strategies": "x"}
        )
    assert "superseded" in exc.value.message_dict["plan"][0]
    assert _counts() == before


def test_a_review_for_a_pupil_no_longer_on_the_register_is_refused(people, pupil):
    from apps.pupils.models import Pupil

    plan = make_plan(pupil, outcomes=1)
    Pupil.objects.filter(pk=pupil.pk).update(sen_provision="N")
    (only,) = plan.outcomes.all()
    with pytest.raises(ValidationError) as exc:
        services.review_record(
            acting_user=people["senco_a"], plan_id=plan.pk, held_on=TODAY, ratings={only.pk: "met"}
        )
    assert "no longer on the SEN register" in exc.value.message_dict["pupil"][0]
    assert not Review.objects.exists()


def test_plan_update_replaces_outcomes_while_current(people, pupil):
    plan = make_plan(pupil, outcomes=2)
    services.plan_update(
        acting_user=people["senco_a"],
        plan_id=plan.pk,
        changes={"outcomes": [outcome(9)], "parent_views": "Pleased"},
    )
    plan.refresh_from_db()
    assert plan.outcomes.count() == 1 and plan.parent_views == "Pleased"


def test_assessments_are_recorded_and_checked(people, pupil):
    a = services.assessment_record(
        acting_user=people["senco_a"],
        pupil_id=pupil.pk,
        kind="reading_age",
        measure="Reading age (Salford)",
        value="7y 6m",
        numeric_value="90",
        assessed_on=TODAY,
    )
    assert a.numeric_value == 90 and a.assessed_by_name == people["senco_a"].full_name
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            acting_user=people["senco_a"],
            pupil_id=pupil.pk,
            kind="horoscope",
            measure="",
            value="",
            assessed_on=TODAY + dt.timedelta(days=3),
        )
    assert set(exc.value.message_dict) == {"kind", "measure", "value", "assessed_on"}
    assert Assessment.objects.count() == 1


def test_teachers_add_observations_only_for_pupils_they_teach(people, pupil):
    plan = make_plan(pupil)
    make_class("3B", staff=[people["teacher_a"]], pupils=[pupil])
    obs = services.observation_add(
        acting_user=people["teacher_a"], pupil_id=pupil.pk, text="Used the word mat unprompted."
    )
    assert obs.plan_id == plan.pk
    other = make_pupil(provision="K", primary_need="ASD")
    with pytest.raises(PermissionDenied):
        services.observation_add(acting_user=people["teacher_a"], pupil_id=other.pk, text="x")
    with pytest.raises(PermissionDenied):
        services.observation_add(acting_user=people["governor_a"], pupil_id=pupil.pk, text="x")
    assert Observation.objects.count() == 1


def test_recommendations_become_plan_actions_in_one_step(people, pupil):
    plan = make_plan(pupil, outcomes=1)
    services.plan_actions_add(
        acting_user=people["senco_a"],
        pupil_id=pupil.pk,
        strategies=["Use a visual timer", "  "],
        outcomes=[outcome(7)],
        source="Educational psychology report",
    )
    plan.refresh_from_db()
    assert plan.strategies.endswith("Use a visual timer")
    assert plan.outcomes.count() == 2 and plan.outcomes.last().position == 1
    event = AuditEvent.objects.filter(action="support.plan_changed").get()
    assert "Educational psychology report" in event.summary


def test_plan_actions_need_a_current_plan_and_something_to_add(people, pupil):
    with pytest.raises(ValidationError) as exc:
        services.plan_actions_add(
            acting_user=people["senco_a"], pupil_id=pupil.pk, strategies=["x"]
        )
    assert "no current support plan" in exc.value.message_dict["pupil"][0]
    make_plan(pupil)
    with pytest.raises(ValidationError) as exc:
        services.plan_actions_add(
            acting_user=people["senco_a"], pupil_id=pupil.pk, outcomes=[outcome(1, measure="")]
        )
    assert "outcomes.0.measure" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.plan_actions_add(
            acting_user=people["teacher_a"], pupil_id=pupil.pk, strategies=["x"]
        )
