"""Referrals through the services: consent gates sending, withdrawal stops them, a report's
recommendations become strategies in one step; bought time; the directory; pure rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.agencies import rules, services
from apps.agencies.models import Agency, BoughtTime, Recommendation, Referral, TimeUse
from apps.audit.models import AuditEvent
from apps.family import services as family
from apps.pupils.models import Strategy

TODAY = dt.date.today()
AGO = TODAY - dt.timedelta(days=30)


@pytest.fixture
def salt(in_a):
    return services.agency_add(
        acting_user=None,
        kind="speech_and_language",
        name="Children's SALT",
        contacts=[{"name": "Rachel Green", "job_title": "SLT"}],
    )


def _consent(pupil, agency, **over):
    values = dict(
        purpose="referral",
        agency=agency,
        decision="given",
        given_by_name="Sarah",
        decided_on=AGO,
        evidence="Signed form",
    )
    values.update(over)
    return family.consent_record(acting_user=None, pupil=pupil, **values)


def _draft(pupil, agency):
    return services.referral_draft(
        acting_user=None, pupil=pupil, agency=agency, reason="Unclear speech", drafted_on=AGO
    )


def test_a_referral_cannot_be_sent_without_current_consent(cast, salt):
    referral = _draft(cast["taught"], salt)
    with pytest.raises(ValidationError) as exc:
        services.referral_send(acting_user=None, referral=referral)
    assert "no current consent to refer this pupil to Children's SALT" in " ".join(
        exc.value.message_dict["consent"]
    )
    referral.refresh_from_db()
    assert referral.status == "draft" and referral.sent_on is None
    assert not AuditEvent.objects.filter(action="referral.sent").exists()


@pytest.mark.parametrize(
    "over",
    [
        {"decision": "refused"},
        {"expires_on": AGO + dt.timedelta(days=1)},
    ],
)
def test_refused_or_expired_consent_does_not_count(cast, salt, over):
    _consent(cast["taught"], salt, **over)
    referral = _draft(cast["taught"], salt)
    with pytest.raises(ValidationError) as exc:
        services.referral_send(acting_user=None, referral=referral)
    assert "consent" in exc.value.message_dict


def test_consent_for_another_agency_does_not_count(cast, salt):
    other = services.agency_add(acting_user=None, kind="camhs", name="CAMHS")
    _consent(cast["taught"], other)
    with pytest.raises(ValidationError):
        services.referral_send(acting_user=None, referral=_draft(cast["taught"], salt))


def test_withdrawing_consent_stops_the_referral_and_it_cannot_go_on(cast, salt):
    consent = _consent(cast["taught"], salt)
    referral = services.referral_send(acting_user=None, referral=_draft(cast["taught"], salt))
    assert referral.consent_id == consent.pk and referral.status == "sent"
    stopped = family.consent_withdraw(acting_user=None, consent=consent, reason="Dad phoned")
    assert stopped == 1
    referral.refresh_from_db()
    assert referral.status == "stopped" and "Consent withdrawn" in referral.stopped_reason
    with pytest.raises(ValidationError) as exc:
        services.referral_update(
            acting_user=None, referral=referral, status="accepted", accepted_on=TODAY
        )
    assert "stopped because consent was withdrawn" in " ".join(exc.value.message_dict["status"])
    referral.refresh_from_db()
    assert referral.accepted_on is None


def test_report_recommendations_become_strategies_in_one_step(cast, salt, people):
    _consent(cast["taught"], salt)
    referral = services.referral_send(
        acting_user=None, referral=_draft(cast["taught"], salt), sent_on=AGO
    )
    services.referral_update(
        acting_user=people["senco_a"], referral=referral, status="accepted", accepted_on=AGO
    )
    services.referral_update(
        acting_user=people["senco_a"],
        referral=referral,
        status="report_received",
        report_received_on=TODAY,
        report_summary="Expressive language delay",
        recommendations=["Use visual prompts", "Pre-teach vocabulary", "Model sentences"],
    )
    recs = list(referral.recommendations.all())
    assert len(recs) == 3
    done = services.recommendations_adopt(
        acting_user=people["senco_a"],
        referral=referral,
        recommendation_ids=[recs[0].pk, recs[1].pk],
        outcome="strategy",
        review_on=TODAY + dt.timedelta(days=42),
    )
    assert [r.outcome for r in done] == ["strategy", "strategy"]
    texts = set(Strategy.objects.filter(pupil=cast["taught"]).values_list("text", flat=True))
    assert texts == {"Use visual prompts", "Pre-teach vocabulary"}
    assert Recommendation.objects.get(pk=recs[2].pk).outcome == "pending"
    referral.refresh_from_db()
    assert referral.waiting_days() == 30  # sent to report, no appointment date recorded


def test_plan_actions_go_to_the_current_support_plan_and_need_one(cast, salt, people):
    _consent(cast["taught"], salt)
    referral = services.referral_send(
        acting_user=None, referral=_draft(cast["taught"], salt), sent_on=AGO
    )
    services.referral_update(
        acting_user=None, referral=referral, status="accepted", accepted_on=AGO
    )
    services.referral_update(
        acting_user=None,
        referral=referral,
        status="report_received",
        report_received_on=TODAY,
        recommendations=["Weekly social skills group"],
    )
    rec = referral.recommendations.get()
    with pytest.raises(ValidationError) as exc:
        services.recommendations_adopt(
            acting_user=None, referral=referral, recommendation_ids=[rec.pk], outcome="plan_action"
        )
    assert "no current support plan" in exc.value.message_dict["outcome"][0]
    assert not Strategy.objects.exists()
    rec.refresh_from_db()
    assert rec.outcome == "pending"

    from apps.support.selectors import current_plan_for_pupil
    from apps.support.services import plan_create

    plan_create(
        acting_user=people["senco_a"],
        pupil_id=cast["taught"].pk,
        strategies="Visual timetable",
        outcomes=[
            {
                "description": "Joins a group game at lunchtime",
                "measure": "3 times a week",
                "target_date": TODAY + dt.timedelta(days=90),
            }
        ],
    )
    services.recommendations_adopt(
        acting_user=people["senco_a"],
        referral=referral,
        recommendation_ids=[rec.pk],
        outcome="plan_action",
    )
    plan = current_plan_for_pupil(cast["taught"].pk)
    assert plan.strategies == "Visual timetable\n- Weekly social skills group (Children's SALT)"
    rec.refresh_from_db()
    assert rec.outcome == "plan_action" and rec.strategy_id is None


@pytest.mark.parametrize(
    "status, changes, field",
    [
        ("appointment", {"appointment_on": TODAY}, "status"),  # sent -> appointment skips accept
        ("accepted", {}, "accepted_on"),
        ("accepted", {"accepted_on": AGO - dt.timedelta(days=10)}, "accepted_on"),  # before sent
        ("accepted", {"accepted_on": TODAY + dt.timedelta(days=2)}, "accepted_on"),
    ],
)
def test_bad_progress_is_refused_and_nothing_changes(cast, salt, status, changes, field):
    _consent(cast["taught"], salt)
    referral = services.referral_send(
        acting_user=None, referral=_draft(cast["taught"], salt), sent_on=AGO
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_update(acting_user=None, referral=referral, status=status, **changes)
    assert field in exc.value.message_dict
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == "sent" and referral.accepted_on is None


def test_a_referral_needs_an_agency_and_a_reason(cast, in_a):
    with pytest.raises(ValidationError) as exc:
        services.referral_draft(acting_user=None, pupil=cast["taught"], agency=None, reason=" ")
    assert set(exc.value.message_dict) == {"agency", "reason"}
    assert not Referral.objects.exists()


def test_only_the_senco_refers(cast, salt, people):
    for who in ("teacher_a", "headteacher_a", "office_a", "trust_send_lead_a"):
        with pytest.raises(PermissionDenied):
            services.referral_draft(
                acting_user=people[who], pupil=cast["taught"], agency=salt, reason="x"
            )
    assert not Referral.objects.exists()


def test_evidence_must_be_the_pupils_own_documents(cast, salt):
    with pytest.raises(ValidationError) as exc:
        services.referral_draft(
            acting_user=None, pupil=cast["taught"], agency=salt, reason="x", evidence_ids=[999]
        )
    assert "evidence" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_bought_time_hours_remaining_and_overuse_refused(cast, in_a):
    ep = services.agency_add(acting_user=None, kind="educational_psychology", name="EPS")
    bought = services.time_buy(
        acting_user=None,
        agency=ep,
        hours_bought=Decimal("10"),
        starts_on=AGO,
        ends_on=TODAY + dt.timedelta(days=200),
    )
    services.time_use(
        acting_user=None, bought=bought, used_on=TODAY, hours=Decimal("6"), what="Assessment"
    )
    with pytest.raises(ValidationError) as exc:
        services.time_use(
            acting_user=None, bought=bought, used_on=TODAY, hours=Decimal("5"), what="More"
        )
    assert "Only 4.00 of the 10.00 hours bought remain" in exc.value.message_dict["hours"][0]
    assert TimeUse.objects.count() == 1
    assert BoughtTime.objects.get().hours_used() == Decimal("6")


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "astrology", "name": "X"}, "kind"),
        ({"kind": "camhs", "name": ""}, "name"),
        ({"kind": "camhs", "name": "X", "email": "nope"}, "email"),
        ({"kind": "camhs", "name": "X", "website": "javascript:alert(1)"}, "website"),
    ],
)
def test_bad_directory_entries_are_refused(in_a, fields, field):
    with pytest.raises(ValidationError) as exc:
        services.agency_add(acting_user=None, **fields)
    assert field in exc.value.message_dict
    assert not Agency.objects.exists()


@pytest.mark.parametrize(
    "sent, seen, today, days",
    [
        (None, None, TODAY, None),
        (dt.date(2026, 1, 1), None, dt.date(2026, 1, 31), 30),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 11), dt.date(2026, 3, 1), 10),
    ],
)
def test_waiting_days(sent, seen, today, days):
    assert rules.waiting_days(sent_on=sent, seen_on=seen, today=today) == days


def test_waiting_times_rollup_gives_aggregates_by_kind(cast, salt):
    from apps.agencies.rollups import referral_figures

    _consent(cast["taught"], salt)
    services.referral_send(acting_user=None, referral=_draft(cast["taught"], salt), sent_on=AGO)
    figures = {(f.metric, f.category): f.value for f in referral_figures(None, TODAY)}
    assert figures[("referrals_waiting", "speech_and_language")] == 1
    assert figures[("referral_wait_days", "speech_and_language")] == 30
