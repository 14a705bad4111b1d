"""The audit log: who, when, what, from which address; every change and every view of a pupil's
SEND record; the headteacher's log page and its isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.pupils import services
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


def test_record_keeps_who_when_what_and_address(in_a, people, rf):
    pupil = make_pupil()
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    event = record(
        user=people["senco_a"],
        action="pupil.viewed",
        pupil=pupil,
        summary="Opened",
        request=request,
        extra={"k": 1},
    )
    event.refresh_from_db()
    assert (
        event.user_id,
        event.actor_name,
        event.action,
        event.pupil_id,
        event.ip_address,
        event.extra,
    ) == (
        people["senco_a"].pk,
        people["senco_a"].full_name,
        "pupil.viewed",
        pupil.pk,
        "203.0.113.9",
        {"k": 1},
    )
    assert event.occurred_at is not None


def test_record_without_a_user_is_the_system(in_a):
    event = record(user=None, action="import.confirmed")
    assert event.user_id is None and event.actor_name == "System" and event.ip_address is None


def test_every_change_writes_an_audit_row_without_the_pupils_name(in_a, people):
    senco, teacher = people["senco_a"], people["teacher_a"]
    pupil = services.pupil_create(
        acting_user=senco,
        upn="B801200005001",
        first_name="Quentin",
        last_name="Zanzibar",
        date_of_birth=dt.date(2016, 1, 2),
        gender="M",
        year_group="4",
    )
    make_class("4Z", staff=[teacher], pupils=[pupil])
    services.pupil_update(acting_user=senco, pupil=pupil, form="4Z")
    services.register_set_status(
        acting_user=senco, pupil=pupil, provision="K", primary_need="SEMH", reason="Concern triaged"
    )
    services.profile_update(acting_user=teacher, pupil=pupil, important_to_me="Football")
    services.voice_add(acting_user=teacher, pupil=pupil, what_they_said="I like maths")
    strategy = services.strategy_add(acting_user=teacher, pupil=pupil, text="Calm corner")
    services.strategy_retire(acting_user=senco, strategy=strategy)  # retiring is the SENCo's
    concern = services.concern_raise(acting_user=teacher, pupil=pupil, what_seen="Upset at lunch")
    services.concern_triage(acting_user=senco, concern=concern, decision="monitor", note="Watch")
    actions = list(
        AuditEvent.objects.filter(pupil=pupil).order_by("id").values_list("action", "user_id")
    )
    assert actions == [
        ("pupil.created", senco.pk),
        ("pupil.updated", senco.pk),
        ("register.changed", senco.pk),
        ("profile.updated", teacher.pk),
        ("voice.added", teacher.pk),
        ("strategy.added", teacher.pk),
        ("strategy.retired", senco.pk),
        ("concern.raised", teacher.pk),
        ("concern.triaged", senco.pk),
    ]
    for summary, extra in AuditEvent.objects.values_list("summary", "extra"):
        for secret in ("Quentin", "Zanzibar", "B801200005001"):
            assert secret not in summary and secret not in str(extra)


def test_a_refused_change_writes_no_audit_row(in_a, people):
    pupil = make_pupil()
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.register_set_status(
            acting_user=people["senco_a"],
            pupil=pupil,
            provision="E",
            primary_need="NSA",
            reason="x",
        )
    assert AuditEvent.objects.count() == before


def test_views_are_audited_with_role_address_and_trust_flag(client_for, people, school_a, in_a):
    pupil = make_pupil(provision="K", primary_need="MLD")
    client_for(people["trust_send_lead_a"], school_a).get(
        f"/pupils/{pupil.pk}/", REMOTE_ADDR="198.51.100.7"
    )
    with in_school(school_a):
        event = AuditEvent.objects.get(action="pupil.viewed", pupil=pupil)
    assert event.user_id == people["trust_send_lead_a"].pk
    assert event.via_trust is True
    assert event.actor_role == "Trust SEND lead (trust)"
    assert event.ip_address == "198.51.100.7"


def test_the_senco_sees_a_pupils_access_log_and_it_is_audited(client_for, people, school_a, in_a):
    pupil = make_pupil()
    client_for(people["headteacher_a"], school_a).get(f"/pupils/{pupil.pk}/")
    body = client_for(people["senco_a"], school_a).get(f"/pupils/{pupil.pk}/").content.decode()
    assert 'data-testid="access-log"' in body and people["headteacher_a"].full_name in body
    with in_school(school_a):
        # One row per view of the page; it says the access log was on it.
        viewed = AuditEvent.objects.filter(pupil=pupil, user_id=people["senco_a"].pk)
        assert list(viewed.values_list("action", "summary")) == [
            ("pupil.viewed", "Opened the pupil's record (with its access log)")
        ]


@pytest.mark.parametrize(
    "who, status",
    [
        ("headteacher_a", 200),
        ("trust_send_lead_a", 200),
        ("senco_a", 200),  # the SENCo reads the log of the records she keeps
        ("teacher_a", 403),
        ("teaching_assistant_a", 403),
        ("office_a", 403),
        ("governor_a", 403),
        ("outsider", 403),
        ("senco_b", 403),
        ("trust_trust_admin_a", 403),
    ],
)
def test_school_audit_log_page_per_role(client_for, people, school_a, who, status):
    assert client_for(people[who], school_a).get("/audit/").status_code == status


def test_school_audit_log_shows_only_this_school(client_for, people, school_a, school_b):
    with in_school(school_a):
        record(user=people["senco_a"], action="register.viewed", summary="Alpha-only entry")
    with in_school(school_b):
        record(user=people["senco_b"], action="register.viewed", summary="Beta-only entry")
    body = client_for(people["headteacher_a"], school_a).get("/audit/").content.decode()
    assert "Alpha-only entry" in body and "Beta-only entry" not in body
    filtered = (
        client_for(people["headteacher_a"], school_a)
        .get("/audit/?action=pupil.viewed")
        .content.decode()
    )
    assert "Alpha-only entry" not in filtered
    with in_school(school_a):
        assert AuditEvent.objects.filter(
            action="audit_log.viewed", user_id=people["headteacher_a"].pk
        ).exists()


def test_register_views_and_searches_are_audited_without_the_search_term(
    client_for, people, school_a, in_a
):
    make_pupil(last_name="Searchedfor", provision="K", primary_need="MLD")
    client = client_for(people["senco_a"], school_a)
    client.get("/pupils/")
    client.post("/pupils/", {"search": "Searchedfor"})
    with in_school(school_a):
        assert AuditEvent.objects.filter(action="register.viewed").exists()
        searched = AuditEvent.objects.get(action="register.searched")
    assert "Searchedfor" not in searched.summary and "Searchedfor" not in str(searched.extra)
