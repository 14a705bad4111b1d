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
