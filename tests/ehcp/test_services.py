"""Writes through the EHC services: computed dates, precise field-keyed errors, nothing
half-written, the register rule, roles, audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.ehcp import rules, services
from apps.ehcp.models import (
    AnnualReview,
    AssessmentRequest,
    CalendarFeed,
    EhcPlan,
    ReviewInvitation,
)
from apps.pupils.models import Pupil, SenHistory
from tests.ehcp.factories import TODAY, days, make_plan, make_review
from tests.pupils.factories import make_pupil


@pytest.fixture
def in_a(school_a, school_context):
    with school_context(school_a):
        yield school_a


def _request(pupil, **overrides):
    values = dict(
        requested_by="parent",
        requested_on=days(-70),
        local_authority="Kirklees",
        case_officer="P Shah",
    )
    values.update(overrides)
    return services.request_create(acting_user=None, pupil=pupil, **values)


def test_a_request_carries_its_statutory_dates_and_late_steps(in_a, people):
    pupil = make_pupil(provision="K", primary_need="SLCN")
    req = _request(pupil)
    assert req.decision_due == days(-70 + 42)
    assert req.refusal_notice_due == days(-70 + 112)
    assert req.final_plan_due == days(-70 + 140)
    req = services.request_update(
        acting_user=people["senco_a"],
        assessment_request=req,
        decision="assess",
        decision_on=days(-10),
    )
    assert rules.is_late(due=req.decision_due, done_on=req.decision_on, today=TODAY)
    event = AuditEvent.objects.filter(action="ehcp.request.updated").latest("id")
    assert event.extra["late_steps"] == ["decision"]
    assert event.pupil_id == pupil.pk


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"decision": "assess", "decision_on": days(-80)},
            "decision_on",
            "cannot be before the request",
        ),
        (
            {
                "decision": "assess",
                "decision_on": days(-60),
                "draft_plan_on": days(-20),
                "final_plan_on": days(-30),
            },
            "final_plan_on",
            "cannot be before the draft plan",
        ),
        ({"decision": "assess", "decision_on": days(1)}, "decision_on", "cannot be in the future"),
        ({"requested_on": days(3)}, "requested_on", "cannot be in the future"),
        ({"requested_by": "uncle"}, "requested_by", "Use one of"),
        ({"local_authority": "  "}, "local_authority", "Enter the local authority"),
        ({"decision_on": days(-60)}, "decision", "Say what the local authority decided"),
        ({"decision": "assess"}, "decision_on", "Enter the date"),
        ({"draft_plan_on": days(-20)}, "draft_plan_on", "Record the decision to assess first"),
        (
            {"decision": "not_assess", "decision_on": days(-40), "final_plan_on": days(-5)},
            "final_plan_on",
            "refused to assess",
        ),
        ({"requested_on": dt.date(2010, 1, 1)}, "requested_on", "before the pupil was born"),
    ],
)
def test_bad_requests_are_refused_field_by_field_and_nothing_is_written(
    in_a, overrides, field, message
):
    pupil = make_pupil(provision="K", primary_need="SLCN")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _request(pupil, **overrides)
    assert field in exc.value.message_dict
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not AssessmentRequest.objects.filter(pupil=pupil).exists()
    assert AuditEvent.objects.count() == before


def test_a_plan_needs_the_pupil_at_e_and_says_how_to_fix_it(in_a, people):
    pupil = make_pupil(provision="K", primary_need="ASD")
    with pytest.raises(ValidationError) as exc:
        make_plan(pupil)
    errors = exc.value.error_dict["pupil"]
    assert errors[0].code == "not_at_e"
    assert "not E (EHC plan)" in errors[0].message and "update_register" in errors[0].message
    assert not EhcPlan.objects.filter(pupil=pupil).exists()
    pupil.refresh_from_db()
    assert pupil.sen_provision == "K"


def test_a_plan_can_update_the_register_in_the_same_step(in_a, people):
    pupil = make_pupil(provision="K", primary_need="ASD")
    plan = services.plan_create(
        acting_user=people["senco_a"],
        pupil=pupil,
        issued_on=days(-30),
        local_authority="Kirklees",
        update_register=True,
        outcomes=["Joins a group activity"],
    )
    pupil.refresh_from_db()
    assert pupil.sen_provision == "E"
    history = SenHistory.objects.filter(pupil=pupil).first()
    assert (history.provision, history.effective_date, history.reason) == (
        "E",
        TODAY,
        "EHC plan issued",
    )
    assert list(plan.outcomes.values_list("text", flat=True)) == ["Joins a group activity"]
    assert AuditEvent.objects.filter(action="register.changed", pupil_id=pupil.pk).exists()


def test_a_failing_register_update_leaves_nothing(in_a, people):
    pupil = make_pupil(provision="N")  # no primary need: the register refuses E
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            acting_user=people["senco_a"],
            pupil=pupil,
            issued_on=days(-30),
            local_authority="Kirklees",
            update_register=True,
        )
    assert "update_register" in exc.value.message_dict
    pupil.refresh_from_db()
    assert pupil.sen_provision == "N" and not EhcPlan.objects.filter(pupil=pupil).exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"issued_on": days(2)}, "issued_on", "cannot be in the future"),
        ({"local_authority": ""}, "local_authority", "Enter the local authority"),
        ({"outcomes": ["", "ok"]}, "outcomes", "Outcome 1 is empty"),
        ({"personal_budget_amount": "lots"}, "personal_budget_amount", "amount in pounds"),
        ({"status": "ceased"}, "ceased_on", "Enter the date the plan ceased"),
    ],
)
def test_bad_plans_are_refused(in_a, overrides, field, message):
    pupil = make_pupil(provision="E", primary_need="ASD")
    values = dict(acting_user=None, pupil=pupil, issued_on=days(-30), local_authority="Kirklees")
    values.update(overrides)
    with pytest.raises(ValidationError) as exc:
        services.plan_create(**values)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert not EhcPlan.objects.filter(pupil=pupil).exists()


def test_next_review_due_moves_with_the_last_held_review(in_a):
    plan = make_plan(issued_on=days(-400))
    from apps.ehcp.services.reviews import plan_next_review_due

    assert plan_next_review_due(plan) == rules.add_months(days(-400), 12)
    review = make_review(plan, days(-20), held=True)
    assert review.review_due_by == rules.add_months(days(-400), 12)
    assert plan_next_review_due(plan) == rules.add_months(days(-20), 12)


def test_a_review_meeting_before_the_plan_is_refused(in_a):
    plan = make_plan(issued_on=days(-100))
    with pytest.raises(ValidationError) as exc:
        services.review_schedule(acting_user=None, plan=plan, meeting_on=days(-101))
    assert "before the plan was issued" in exc.value.message_dict["meeting_on"][0]
    assert not AnnualReview.objects.filter(plan=plan).exists()


def test_the_review_journey_sets_every_date(in_a, people):
    senco = people["senco_a"]
    plan = make_plan(issued_on=days(-380))
    review = services.review_schedule(acting_user=senco, plan=plan, meeting_on=days(-30))
    assert list(review.invitations.values_list("invitee", flat=True)) == [
        "parent",
        "pupil",
        "local_authority",
    ]
    assert review.invitations_by == days(-44)
    assert "Reads independently" in review.report_progress  # pre-filled from section E
    assert services.invitations_send(acting_user=senco, review=review, sent_on=days(-45)) == 3
    review = services.review_update(
        acting_user=senco, review=review, meeting_held=True, report_sent_on=days(-20)
    )
    assert (review.report_due, review.la_decision_due) == (days(-16), days(-2))
    review = services.review_update(
        acting_user=senco,
        review=review,
        la_decision="amend",
        la_decision_on=days(-5),
        amendment_notice_on=days(-4),
    )
    assert review.amended_plan_due == days(-4 + 56)
    assert (
        AuditEvent.objects.filter(action="ehcp.review.updated", pupil_id=plan.pupil_id).count() == 2
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"meeting_held": True, "meeting_on": days(3)}, "meeting_held", "in the future"),
        ({"report_sent_on": days(-5)}, "report_sent_on", "meeting was held first"),
        (
            {"meeting_held": True, "report_sent_on": days(-15)},
            "report_sent_on",
            "cannot be before the meeting",
        ),
        (
            {"meeting_held": True, "la_decision": "maybe", "la_decision_on": days(-1)},
            "la_decision",
            "Use one of",
        ),
        (
            {"meeting_held": True, "amended_plan_issued_on": days(-1)},
            "amended_plan_issued_on",
            "amendment notice first",
        ),
        (
            {"meeting_held": True, "report_sent_on": days(1)},
            "report_sent_on",
            "cannot be in the future",
        ),
    ],
)
def test_bad_review_steps_are_refused_and_nothing_changes(in_a, changes, field, message):
    plan = make_plan(issued_on=days(-380))
    review = make_review(plan, days(-10))
    with pytest.raises(ValidationError) as exc:
        services.review_update(acting_user=None, review=review, **changes)
    assert any(message in m for m in exc.value.message_dict[field]), exc.value.message_dict
    review.refresh_from_db()
    assert (review.meeting_held, review.report_sent_on, review.meeting_on) == (
        False,
        None,
        days(-10),
    )


def test_invitations_cannot_be_sent_in_the_future(in_a):
    review = make_review(make_plan(), days(20))
    with pytest.raises(ValidationError) as exc:
        services.invitations_send(acting_user=None, review=review, sent_on=days(1))
    assert "sent_on" in exc.value.message_dict
    assert not ReviewInvitation.objects.filter(review=review, sent_on__isnull=False).exists()


@pytest.mark.parametrize(
    "who", ["teacher_a", "headteacher_a", "office_a", "governor_a", "trust_send_lead_a"]
)
def test_only_the_senco_writes(in_a, people, who):
    pupil = make_pupil(provision="E", primary_need="ASD")
    with pytest.raises(PermissionDenied):
        services.plan_create(
            acting_user=people[who], pupil=pupil, issued_on=days(-10), local_authority="K"
        )
    with pytest.raises(PermissionDenied):
        _request_as(people[who], pupil)
    assert not EhcPlan.objects.filter(pupil=pupil).exists()
    assert not AssessmentRequest.objects.filter(pupil=pupil).exists()


def _request_as(user, pupil):
    return services.request_create(
        acting_user=user,
        pupil=pupil,
        requested_by="school",
        requested_on=days(-5),
        local_authority="K",
    )


def test_a_calendar_feed_is_shown_once_and_regenerating_revokes_the_old_one(in_a, people):
    senco = people["senco_a"]
    feed, token = services.calendar_feed_create(acting_user=senco)
    assert services.feed_for_token(token) == feed
    assert token not in feed.token_hash
    _, token2 = services.calendar_feed_create(acting_user=senco)
    assert services.feed_for_token(token) is None
    assert services.feed_for_token(token2) is not None
    assert services.calendar_feed_revoke(acting_user=senco) == 1
    assert services.feed_for_token(token2) is None
    assert CalendarFeed.objects.filter(user_id=senco.pk, revoked_at__isnull=True).count() == 0


@pytest.mark.parametrize("who", ["teacher_a", "office_a", "trust_send_lead_a"])
def test_feeds_are_for_the_schools_own_sencos_and_heads(in_a, people, who):
    with pytest.raises(PermissionDenied):
        services.calendar_feed_create(acting_user=people[who])
    assert not CalendarFeed.objects.exists()


def test_the_sixth_form_setting_changes_phase_transfer_dates(in_a, people):
    from tenants.models import School

    assert services.school_set_sixth_form(acting_user=people["senco_a"], has_sixth_form=True)
    assert School.objects.get(pk=in_a.pk).has_sixth_form is True
    with pytest.raises(PermissionDenied):
        services.school_set_sixth_form(acting_user=people["teacher_a"], has_sixth_form=False)
    assert Pupil.objects.count() >= 0


def test_section_f_links_to_the_provision_map_and_the_report_draws_on_it(in_a):
    from apps.provision.models import GroupPlace, Intervention, InterventionGroup
    from apps.support.models import Review, SupportPlan

    lexia = Intervention.objects.create(name="Lexia", area_of_need="cognition_and_learning")
    pupil = make_pupil(provision="E", primary_need="SPLD")
    GroupPlace.objects.create(
        group=InterventionGroup.objects.create(
            intervention=lexia, name="Lexia Y3", starts_on=days(-60)
        ),
        pupil=pupil,
        joined_on=days(-60),
    )
    support = SupportPlan.objects.create(
        pupil=pupil, status="superseded", review_due=days(-30), starts_on=days(-120)
    )
    following = SupportPlan.objects.create(
        pupil=pupil, version=2, previous=support, review_due=days(60), starts_on=days(-30)
    )
    Review.objects.create(
        plan=support,
        next_plan=following,
        pupil=pupil,
        held_on=days(-30),
        next_steps="Move to Lexia level 3",
    )
    plan = make_plan(
        pupil, provision=[{"description": "Lexia 3 x 20 minutes", "intervention": lexia.pk}]
    )
    assert plan.provision.get().intervention == lexia
    # the HTML form edits wording only: an unchanged line keeps its link
    services.plan_update(
        acting_user=None, plan=plan, provision=["Lexia 3 x 20 minutes", "Reading buddy"]
    )
    assert [p.intervention_id for p in plan.provision.all()] == [lexia.pk, None]
    with pytest.raises(ValidationError) as exc:
        services.plan_update(
            acting_user=None, plan=plan, provision=[{"description": "x", "intervention": 999999}]
        )
    assert "no intervention 999999" in exc.value.message_dict["provision"][0]
    review = make_review(plan, days(-2))
    assert "Move to Lexia level 3" in review.report_support_reviews
    assert "Lexia since" in review.report_attendance
    assert "provision map: Lexia" in review.report_provision
