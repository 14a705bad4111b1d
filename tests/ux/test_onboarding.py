"""Issue #15 item 16: onboarding reports every problem at once, in the form and in the tenancy
service behind it, and a refusal writes nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.trust.forms import OnboardSchoolForm
from tenants.models import School
from tenants.services import school_provision

BAD = {
    "name": "Ash Grove Primary",
    "urn": "100001",  # Alpha Primary's
    "subdomain": "Ash Grove!",
    "phase": "primary",
    "local_authority_name": "Kirklees",
    "local_authority_code": "38",
}


def test_the_form_reports_the_web_address_la_code_and_used_urn_together(school_a):
    form = OnboardSchoolForm(
        {
            **BAD,
            "number_on_roll": "180",
            "senco_name": "Nadia Ash",
            "senco_email": "same@example.test",
            "headteacher_name": "Tom Grove",
            "headteacher_email": "SAME@example.test",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"urn", "subdomain", "local_authority_code", "headteacher_email"}
    assert "already in SENCo Hub" in form.errors["urn"][0]


def test_the_form_says_a_web_address_is_taken(school_a):
    form = OnboardSchoolForm({**BAD, "subdomain": "alpha"})
    form.is_valid()
    assert form.errors["subdomain"] == ["The web address “alpha” is already taken."]


def test_the_tenancy_service_reports_every_problem_at_once_and_writes_nothing(trust_a, school_a):
    before = School.objects.count()
    with pytest.raises(ValidationError) as refused:
        school_provision(acting_user=None, trust=trust_a, **BAD)
    assert set(refused.value.message_dict) == {"urn", "subdomain", "local_authority_code"}
    assert School.objects.count() == before


def test_another_trusts_invitation_cannot_be_resent_or_withdrawn(
    client_for, people, school_a, trust_a
):
    from apps.trust.models import TrustAuditEvent
    from tenants.models import Invitation
    from tenants.services import invitation_create

    invitation = invitation_create(
        acting_user=None,
        email="new.senco@example.test",
        full_name="New Senco",
        school=school_a,
        school_role="senco",
    )
    before = TrustAuditEvent.objects.count()
    other_admin = client_for(people["trust_admin_b"])
    resend = other_admin.post(f"/schools/invitations/{invitation.pk}/resend/")
    withdraw = other_admin.post(f"/schools/invitations/{invitation.pk}/withdraw/")
    assert (resend.status_code, withdraw.status_code) == (404, 404)
    # A SEND lead of the right trust may see the schools but not manage people.
    lead = client_for(people["trust_send_lead_a"])
    assert lead.post(f"/schools/invitations/{invitation.pk}/withdraw/").status_code == 403
    invitation.refresh_from_db()
    assert invitation.expires_at > invitation.created_at and invitation.accepted_at is None
    assert TrustAuditEvent.objects.count() == before
    mine = client_for(people["trust_trust_admin_a"])
    assert mine.get(f"/schools/invitations/{invitation.pk}/withdraw/").status_code == 200
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash
