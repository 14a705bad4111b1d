"""The demo: the trust admin sees billing for all four Northbrook schools, without Stripe keys."""

import pytest
from django.core.management import call_command

from apps.core import demo as demo_registry
from tenants.models import User

pytestmark = pytest.mark.django_db


def test_demo_trust_admin_sees_billing_for_all_four_schools(client_for, settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PRICE_ID = ""
    # Only the billing seeder: other packages' demo data is theirs to test.
    monkeypatch.setattr(demo_registry, "_school_seeders", [])
    monkeypatch.setattr(
        demo_registry,
        "_trust_seeders",
        [s for s in demo_registry.trust_seeders() if s[1] == "billing"],
    )
    call_command("seed_demo", stdout=open("/dev/null", "w"))

    admin = User.objects.get(email="trust.admin@northbrook.example")
    page = client_for(admin).get("/billing/").content.decode()
    for slug, name in [
        ("oakfield", "Oakfield Primary School"),
        ("birchwood", "Birchwood Primary School"),
        ("cedar", "Cedar Church of England Primary School"),
        ("riverside", "Riverside Academy"),
    ]:
        assert f'data-testid="billing-row-{slug}"' in page, slug
        assert name in page
    assert page.count(">Free trial<") == 4
    assert "Billing is not configured" in page
    assert "Northbrook central finance" in page and "office@riverside.northbrook.example" in page
