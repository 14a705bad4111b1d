"""/api/v1/trust/billing/: per-school status, plan and period end for the trust's billing staff."""

import pytest

from apps.billing.services import billing_account_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accounts(school_a, school_b):
    return billing_account_for(school_a), billing_account_for(school_b)


def test_trust_finance_lists_their_schools_billing(people, api_for, school_a):
    response = api_for(people["trust_finance_a"]).get("/api/v1/trust/billing/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["school_id"] == school_a.pk and row["urn"] == "100001"
    assert row["status"] == "trial" and row["access"] == "full" and row["read_only"] is False
    assert row["plan"].startswith("SENCo Hub annual")
    assert row["trial_ends_at"] and row["current_period_end"] is None


def test_another_trust_sees_only_its_own_schools(people, api_for, school_a, school_b):
    rows = api_for(people["trust_admin_b"]).get("/api/v1/trust/billing/").json()["results"]
    assert [r["school_id"] for r in rows] == [school_b.pk]


def test_another_trust_cannot_fetch_a_school_by_id(people, api_for, school_a):
    response = api_for(people["trust_admin_b"]).get(f"/api/v1/trust/billing/{school_a.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_own_school_by_id(people, api_for, school_a):
    response = api_for(people["trust_trust_admin_a"]).get(f"/api/v1/trust/billing/{school_a.pk}/")
    assert response.status_code == 200 and response.json()["school"] == "Alpha Primary"


@pytest.mark.parametrize("who", ["trust_send_lead_a", "trust_viewer_a", "senco_a", "outsider"])
def test_roles_without_billing_rights_are_refused(people, api_for, who):
    response = api_for(people[who]).get("/api/v1/trust/billing/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only trust staff can use this."


def test_not_on_a_school_host(people, api_for, school_a):
    response = api_for(people["trust_finance_a"], school_a).get("/api/v1/trust/billing/")
    assert response.status_code in (403, 404)


def test_signed_out_gets_401(client):
    from tests.support import host_for

    response = client.get("/api/v1/trust/billing/", HTTP_HOST=host_for(None))
    assert response.status_code == 401
