"""Family writes through the services: precise field-keyed errors with nothing written, the
withdrawal of consent stopping what depended on it, and the audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.models import AuditEvent
from apps.family import rules, services
from apps.family.models import AgreedAction, Consent, Contact, Meeting
from apps.family.selectors import overdue_actions, pupils_met_too_rarely

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def _meeting(pupil, **over):
    values = dict(
        kind="sen_support_review",
        held_on=YESTERDAY,
        attendees="Mum; SENCo",
        parents_views="Happy with progress",
        actions=[{"what": "Share timetable", "owner_name": "SENCo", "due_on": TODAY}],
    )
    values.update(over)
    return services.meeting_record(acting_user=None, pupil=pupil, **values)


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"held_on": TODAY + dt.timedelta(days=3)}, "held_on", "cannot be in the future"),
        ({"held_on": dt.date(2022, 8, 1)}, "held_on", "joined the school on 1 September 2022"),
        ({"kind": "tea_party"}, "kind", "Choose the kind of meeting"),
        ({"attendees": " "}, "attendees", "Say who was at the meeting"),
        (
            {"actions": [{"what": "Call OT", "owner_name": "", "due_on": TODAY}]},
            "actions.0.owner_name",
            "needs an owner",
        ),
        (
            {"actions": [{"what": "Call OT", "owner_name": "SENCo", "due_on": None}]},
            "actions.0.due_on",
            "needs a due date",
        ),
    ],
)
def test_a_bad_meeting_is_refused_field_by_field_and_nothing_is_written(
    cast, in_a, over, field, message
):
    with pytest.raises(ValidationError) as exc:
        _meeting(cast["taught"], **over)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Meeting.objects.exists()
    assert not AgreedAction.objects.exists()
    assert not AuditEvent.objects.filter(action="family.meeting_recorded").exists()


def test_a_planned_meeting_may_be_in_the_future(cast, in_a):
    meeting = _meeting(cast["taught"], held_on=TODAY + dt.timedelta(days=10), status="planned")
    assert meeting.status == "planned"


def test_a_meeting_with_actions_is_recorded_and_audited(cast, in_a):
    meeting = _meeting(cast["taught"])
    assert [a.owner_name for a in meeting.actions.all()] == ["SENCo"]
    event = AuditEvent.objects.get(action="family.meeting_recorded")
    assert event.pupil_id == cast["taught"].pk


def test_an_action_is_tracked_to_done(cast, in_a):
    action = _meeting(cast["taught"]).actions.get()
    with pytest.raises(ValidationError) as exc:
        services.action_complete(acting_user=None, action=action, done_on=TODAY + dt.timedelta(1))
    assert "done_on" in exc.value.message_dict
    services.action_complete(acting_user=None, action=action)
    action.refresh_from_db()
    assert action.done_on == TODAY


def test_pupils_met_fewer_than_three_times_this_year(cast, in_a, people, school_a):
    start = rules.school_year_start(TODAY)
    for _ in range(3):
        _meeting(cast["taught"], held_on=max(start, YESTERDAY), actions=[])
    _meeting(cast["other"], held_on=max(start, YESTERDAY), actions=[])
    _meeting(cast["other"], held_on=start - dt.timedelta(days=1), actions=[])  # last year
    from tenants.access import school_access_for

    access = school_access_for(people["senco_a"], school_a)
    below = {p.pk: p.meetings_held for p in pupils_met_too_rarely(access, people["senco_a"], TODAY)}
    assert cast["taught"].pk not in below
    assert below[cast["other"].pk] == 1
    assert below[cast["assisted"].pk] == 0


def test_overdue_actions_are_listed(cast, in_a, people, school_a):
    from tenants.access import school_access_for

    meeting = _meeting(
        cast["taught"],
        held_on=TODAY - dt.timedelta(days=20),
        actions=[{"what": "Book OT", "owner_name": "SENCo", "due_on": YESTERDAY}],
    )
    access = school_access_for(people["senco_a"], school_a)
    assert [a.meeting_id for a in overdue_actions(access, people["senco_a"], TODAY)] == [meeting.pk]


@pytest.mark.parametrize(
    "over, field",
    [
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"preferred_contact": "email", "email": ""}, "email"),
        ({"preferred_contact": "phone", "phone": ""}, "phone"),
        ({"needs_interpreter": True, "language": "English"}, "language"),
        ({"relationship": "neighbour"}, "relationship"),
    ],
)
def test_a_bad_contact_is_refused_and_nothing_is_written(cast, in_a, over, field):
    values = dict(name="Sarah Taughtson", relationship="mother", phone="07700 900123")
    values.update(over)
    with pytest.raises(ValidationError) as exc:
        services.contact_add(acting_user=None, pupil=cast["taught"], **values)
    assert field in exc.value.message_dict
    assert not Contact.objects.exists()


def test_contacts_are_written_by_senco_and_office_only(cast, in_a, people):
    for who in ("senco_a", "office_a"):
        services.contact_add(
            acting_user=people[who],
            pupil=cast["taught"],
            name="Sam Taughtson",
            relationship="father",
            phone="07700 900123",
        )
    for who in ("teacher_a", "headteacher_a", "trust_send_lead_a", "governor_a"):
        with pytest.raises(PermissionDenied):
            services.contact_add(
                acting_user=people[who],
                pupil=cast["taught"],
                name="X",
                relationship="father",
                phone="1",
            )
    assert Contact.objects.count() == 2


def _consent(pupil, agency=None, **over):
    values = dict(
        purpose="referral" if agency else "photographs",
        agency=agency,
        decision="given",
        given_by_name="Sarah Taughtson",
        decided_on=YESTERDAY,
        evidence="Signed form",
    )
    values.update(over)
    return services.consent_record(acting_user=None, pupil=pupil, **values)


@pytest.mark.parametrize(
    "over, field",
    [
        ({"purpose": "referral"}, "agency"),
        ({"purpose": "sharing"}, "named_body"),
        ({"decision": "maybe"}, "decision"),
        ({"given_by_name": ""}, "given_by_name"),
        ({"decided_on": TODAY + dt.timedelta(days=1)}, "decided_on"),
        ({"evidence": ""}, "evidence"),
        ({"expires_on": YESTERDAY - dt.timedelta(days=5)}, "expires_on"),
    ],
)
def test_bad_consent_is_refused_and_nothing_is_written(cast, in_a, over, field):
    with pytest.raises(ValidationError) as exc:
        _consent(cast["taught"], **over)
    assert field in exc.value.message_dict
    assert not Consent.objects.exists()


def test_withdrawing_consent_needs_a_reason_and_is_once_only(cast, in_a):
    consent = _consent(cast["taught"])
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(acting_user=None, consent=consent, reason="")
    assert "withdrawn_reason" in exc.value.message_dict
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    services.consent_withdraw(acting_user=None, consent=consent, reason="Mum phoned the office")
    assert not consent.is_current()
    with pytest.raises(ValidationError) as exc:
        services.consent_withdraw(acting_user=None, consent=consent, reason="again")
    assert "withdrawn_on" in exc.value.message_dict


def test_only_the_senco_records_meetings_and_consent(cast, in_a, people):
    for who in ("teacher_a", "headteacher_a", "office_a", "trust_send_lead_a"):
        with pytest.raises(PermissionDenied):
            services.meeting_record(
                acting_user=people[who],
                pupil=cast["taught"],
                kind="informal",
                held_on=YESTERDAY,
                attendees="Mum",
            )
    assert Meeting.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.consent_record(
            acting_user=people["teacher_a"],
            pupil=cast["taught"],
            purpose="photographs",
            decision="given",
            given_by_name="Mum",
            decided_on=YESTERDAY,
            evidence="form",
        )
    assert Consent.objects.count() == 0


@pytest.mark.parametrize(
    "decision, withdrawn, expires, current",
    [
        ("given", None, None, True),
        ("refused", None, None, False),
        ("given", TODAY, None, False),
        ("given", TODAY + dt.timedelta(days=2), None, True),
        ("given", None, YESTERDAY, False),
        ("given", None, TODAY, True),
    ],
)
def test_consent_is_current_rule(decision, withdrawn, expires, current):
    assert (
        rules.consent_is_current(
            decision=decision, withdrawn_on=withdrawn, expires_on=expires, on=TODAY
        )
        is current
    )


@pytest.mark.parametrize(
    "today, start",
    [
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
        (dt.date(2026, 8, 31), dt.date(2025, 9, 1)),
        (dt.date(2027, 1, 15), dt.date(2026, 9, 1)),
    ],
)
def test_school_year_starts_on_1_september(today, start):
    assert rules.school_year_start(today) == start
