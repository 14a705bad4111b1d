"""The tenancy core's services check the acting user's trust role themselves (tenants/rights.py)
and write a typed audit row (tenants/actions.py) to the trust's audit log: a wrong role is
refused and nothing is written (no row changed, no audit event, no email queued); an allowed role
leaves exactly the row the trust admin will read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_exists

from apps.trust.models import TrustAuditEvent
from tenants import services
from tenants.actions import TenancyAction
from tenants.models import Invitation, School, SchoolMembership, TrustMembership, User

WRONG_ROLES = [
    "senco_a",  # a school role is not a trust role
    "headteacher_a",
    "trust_send_lead_a",
    "trust_finance_a",
    "trust_viewer_a",
    "trust_admin_b",  # another trust's admin
    "outsider",
]

FIELDS = dict(
    phase="primary", local_authority_name="Kirklees", local_authority_code="382", number_on_roll=90
)


def _invitation(school: School) -> Invitation:
    return services.invitation_create(
        acting_user=None,
        email="new.teacher@example.test",
        full_name="New Teacher",
        school=school,
        school_role="teacher",
    )


def _newcomer() -> User:
    return User.objects.create_user(
        email="newcomer@example.test", password="a long pass phrase", full_name="Nia Newcomer"
    )


def _snapshot() -> tuple[Any, ...]:
    """Everything a tenancy service could write."""
    return (
        TrustAuditEvent.objects.count(),
        list(School.objects.order_by("pk").values_list("pk", "status")),
        list(SchoolMembership.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(TrustMembership.objects.order_by("pk").values_list("pk", "user_id", "role")),
        list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "token_hash", "expires_at", "sent_at"
            )
        ),
    )


def _calls(school_a: School, trust_a: Any, people: dict[str, User]) -> dict[str, Callable]:
    """Every tenancy write, for one acting user, on trust A and its school."""
    newcomer = _newcomer()
    invitation = _invitation(school_a)
    return {
        "provision": lambda user: services.school_provision(
            acting_user=user,
            trust=trust_a,
            name="Gamma Primary",
            urn="100077",
            subdomain="gammarights",
            **FIELDS,
        ),
        "suspend": lambda user: services.school_suspend(acting_user=user, school=school_a),
        "archive": lambda user: services.school_archive(acting_user=user, school=school_a),
        "reactivate": lambda user: services.school_reactivate(acting_user=user, school=school_a),
        "school role": lambda user: services.school_membership_set(
            acting_user=user, user=newcomer, school=school_a, role="teacher"
        ),
        "change school role": lambda user: services.school_membership_set(
            acting_user=user, user=people["teacher_a"], school=school_a, role="senco"
        ),
        "remove school role": lambda user: services.school_membership_remove(
            acting_user=user, user=people["teacher_a"], school=school_a
        ),
        "trust role": lambda user: services.trust_membership_set(
            acting_user=user, user=newcomer, trust=trust_a, role="viewer"
        ),
        "remove trust role": lambda user: services.trust_membership_remove(
            acting_user=user, user=people["trust_viewer_a"], trust=trust_a
        ),
        "invite to school": lambda user: services.invitation_create(
            acting_user=user,
            email="someone@example.test",
            full_name="Some One",
            school=school_a,
            school_role="teacher",
        ),
        "invite to trust": lambda user: services.invitation_create(
            acting_user=user,
            email="someone@example.test",
            full_name="Some One",
            trust=trust_a,
            trust_role="viewer",
        ),
        "resend": lambda user: services.invitation_resend(acting_user=user, invitation=invitation),
        "revoke": lambda user: services.invitation_revoke(acting_user=user, invitation=invitation),
    }


EXPECTED = {
    "provision": TenancyAction.SCHOOL_PROVISIONED,
    "suspend": TenancyAction.SCHOOL_SUSPENDED,
    "archive": TenancyAction.SCHOOL_ARCHIVED,
    "reactivate": TenancyAction.SCHOOL_REACTIVATED,
    "school role": TenancyAction.SCHOOL_ROLE_SET,
    "change school role": TenancyAction.SCHOOL_ROLE_SET,
    "remove school role": TenancyAction.SCHOOL_ROLE_REMOVED,
    "trust role": TenancyAction.TRUST_ROLE_SET,
    "remove trust role": TenancyAction.TRUST_ROLE_REMOVED,
    "invite to school": TenancyAction.SCHOOL_USER_INVITED,
    "invite to trust": TenancyAction.TRUST_USER_INVITED,
    "resend": TenancyAction.INVITATION_RESENT,
    "revoke": TenancyAction.INVITATION_REVOKED,
}


@pytest.mark.parametrize("what", list(EXPECTED))
@pytest.mark.parametrize("role", WRONG_ROLES)
def test_a_wrong_role_is_refused_and_nothing_is_written(
    people, school_a, trust_a, role, what, django_capture_on_commit_callbacks
):
    call = _calls(school_a, trust_a, people)[what]
    before = _snapshot()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        with pytest.raises(PermissionDenied):
            call(people[role])
    assert _snapshot() == before
    assert not queued  # no email, no signal
    assert not schema_exists("gammarights")


@pytest.mark.parametrize("what", list(EXPECTED))
def test_the_trust_admin_may_and_it_is_audited_with_the_typed_action(
    people, school_a, trust_a, what
):
    call = _calls(school_a, trust_a, people)[what]
    admin = people["trust_trust_admin_a"]
    before = TrustAuditEvent.objects.count()
    call(admin)
    assert TrustAuditEvent.objects.count() == before + 1
    event = TrustAuditEvent.objects.latest("id")
    assert event.action == EXPECTED[what]
    assert event.trust == trust_a
    assert event.actor == admin
    assert event.summary


def test_the_changes_the_audit_rows_describe_really_happened(people, school_a, trust_a):
    admin = people["trust_trust_admin_a"]
    calls = _calls(school_a, trust_a, people)
    school = calls["provision"](admin)
    assert schema_exists("gammarights") and school.trust == trust_a
    calls["change school role"](admin)
    assert SchoolMembership.objects.get(user=people["teacher_a"], school=school_a).role == "senco"
    assert calls["remove school role"](admin) is True
    assert not SchoolMembership.objects.filter(user=people["teacher_a"], school=school_a).exists()
    assert calls["remove school role"](admin) is False  # nothing to remove: nothing recorded
    assert calls["remove trust role"](admin) is True
    assert not TrustMembership.objects.filter(user=people["trust_viewer_a"]).exists()
    revoked = calls["revoke"](admin)
    assert services.invitation_for_token("anything") is None
    assert revoked.token_hash is None and revoked.expires_at <= timezone.now()


def test_the_system_itself_needs_no_role_and_is_recorded_as_nobody(school_a):
    services.school_suspend(acting_user=None, school=school_a)
    event = TrustAuditEvent.objects.latest("id")
    assert event.action == TenancyAction.SCHOOL_SUSPENDED and event.actor is None


def test_the_last_trust_admin_cannot_be_removed(people, trust_a):
    admin = people["trust_trust_admin_a"]
    before = TrustAuditEvent.objects.count()
    with pytest.raises(ValidationError, match="at least one trust admin"):
        services.trust_membership_remove(acting_user=admin, user=admin, trust=trust_a)
    assert TrustMembership.objects.filter(user=admin, trust=trust_a).exists()
    assert TrustAuditEvent.objects.count() == before


def test_accepting_an_invitation_is_recorded_with_the_new_member_as_actor(school_a, trust_a):
    invitation = _invitation(school_a)
    token = services.invitation_issue_token(invitation)
    found = services.invitation_for_token(token)
    assert found is not None
    user = services.invitation_accept(invitation=found, password="a long pass phrase")
    assert SchoolMembership.objects.get(user=user, school=school_a).role == "teacher"
    events = list(TrustAuditEvent.objects.filter(trust=trust_a).order_by("-id")[:2])
    assert [e.action for e in events] == [
        TenancyAction.INVITATION_ACCEPTED,
        TenancyAction.SCHOOL_ROLE_SET,
    ]
    assert all(e.actor == user for e in events)


def test_a_resent_invitation_makes_the_old_link_stop_working(
    people, school_a, django_capture_on_commit_callbacks
):
    invitation = _invitation(school_a)
    old_token = services.invitation_issue_token(invitation)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.invitation_resend(acting_user=people["trust_trust_admin_a"], invitation=invitation)
    assert services.invitation_for_token(old_token) is None
    assert len(queued) == 1  # the email task, with the invitation's id only


def test_an_accepted_invitation_cannot_be_revoked_or_resent(people, school_a):
    invitation = _invitation(school_a)
    token = services.invitation_issue_token(invitation)
    found = services.invitation_for_token(token)
    assert found is not None
    services.invitation_accept(invitation=found, password="a long pass phrase")
    before = TrustAuditEvent.objects.count()
    for change in (services.invitation_revoke, services.invitation_resend):
        with pytest.raises(ValidationError, match="already been accepted"):
            change(acting_user=people["trust_trust_admin_a"], invitation=invitation)
    assert TrustAuditEvent.objects.count() == before
