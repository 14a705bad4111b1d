"""Trust API: trust roles only, platform host only, and trust B sees nothing of trust A."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from apps.trust.models import LibraryItem, PupilTransfer
from apps.trust.rollups import refresh_school
from apps.trust.services import arrangement_save, library_publish
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.support import in_school

ENDPOINTS = [
    ("/api/v1/trust/schools/", {"trust_admin", "send_lead", "viewer"}),
    ("/api/v1/trust/metrics/", {"trust_admin", "send_lead", "viewer"}),
    ("/api/v1/trust/shared-sencos/", {"trust_admin", "send_lead"}),
    ("/api/v1/trust/library/", {"trust_admin", "send_lead", "viewer"}),
    ("/api/v1/trust/transfers/", {"trust_admin", "send_lead"}),
]


@pytest.fixture
def trust_a_data(people, trust_a, school_a, sister_school, pupils_in):
    pupils_in(school_a, [("K", "SPLD", "6")] * 6 + [("E", "ASD", "6")] * 2)
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=sister_school, role=SchoolRole.SENCO
    )
    arrangement = arrangement_save(
        acting_user=None,
        trust=trust_a,
        senco=people["senco_a"],
        teaching_hours_per_week=Decimal(0),
        admin_support_hours_per_week=Decimal(2),
        started_on=date(2025, 9, 1),
        next_review_due=date(2030, 1, 1),
        school_hours={school_a: Decimal(3), sister_school: Decimal(3)},
    )
    item = library_publish(
        acting_user=None,
        trust=trust_a,
        school=school_a,
        item_type_key="guidance",
        title="Alpha guidance",
        body="Do this.",
    )
    transfer = PupilTransfer.objects.create(
        trust=trust_a, from_school=school_a, to_school=sister_school, source_pupil_id=1
    )
    return {"arrangement": arrangement, "item": item, "transfer": transfer}


@pytest.mark.parametrize(("path", "allowed"), ENDPOINTS)
def test_each_endpoint_admits_only_its_trust_roles(people, api_for, path, allowed):
    for role in ("trust_admin", "send_lead", "finance", "viewer"):
        response = api_for(people[f"trust_{role}_a"]).get(path)
        assert response.status_code == (200 if role in allowed else 403), (
            path,
            role,
            response.content,
        )
        if role not in allowed:
            assert response.json() == {"detail": "Only trust staff can use this."}
    for outsider in ("senco_a", "headteacher_a", "outsider"):
        assert api_for(people[outsider]).get(path).status_code == 403


@pytest.mark.parametrize(("path", "_allowed"), ENDPOINTS)
def test_endpoints_need_credentials_and_the_platform_host(
    people, api_for, school_a, path, _allowed
):
    from rest_framework.test import APIClient

    assert APIClient(HTTP_HOST="localhost").get(path).status_code == 401
    # On a school host the trust API does not exist.
    assert api_for(people["trust_send_lead_a"], school_a).get(path).status_code == 404


@pytest.mark.parametrize(("path", "_allowed"), ENDPOINTS)
def test_trust_b_sees_nothing_of_trust_a(people, api_for, trust_a_data, school_a, path, _allowed):
    body = api_for(people["trust_admin_b"]).get(path).content.decode()
    for secret in (
        school_a.name,
        "Alpha Secondary",
        "Alpha guidance",
        "Senco A",
        "Alpha Learning Trust",
    ):
        assert secret not in body, (path, secret)
    a_body = api_for(people["trust_trust_admin_a"]).get(path).content.decode()
    assert "Beta Primary" not in a_body and "Beta Schools Trust" not in a_body


def test_details_by_id_of_another_trust_are_not_found(people, api_for, trust_a_data):
    a = trust_a_data["arrangement"].pk
    item = trust_a_data["item"].pk
    assert (
        api_for(people["trust_admin_b"]).get(f"/api/v1/trust/shared-sencos/{a}/").status_code == 404
    )
    assert api_for(people["trust_admin_b"]).get(f"/api/v1/trust/library/{item}/").status_code == 404
    assert (
        api_for(people["trust_trust_admin_a"]).get(f"/api/v1/trust/shared-sencos/{a}/").status_code
        == 200
    )
    assert (
        api_for(people["trust_viewer_a"]).get(f"/api/v1/trust/library/{item}/").status_code == 200
    )


def test_schools_endpoint(people, api_for, trust_a_data, school_a):
    data = api_for(people["trust_viewer_a"]).get("/api/v1/trust/schools/").json()
    names = {s["name"] for s in data["results"]}
    assert names == {"Alpha Primary", "Alpha Secondary"}
    alpha = next(s for s in data["results"] if s["name"] == "Alpha Primary")
    assert (
        alpha["sencos"] == ["Senco A"]
        and alpha["figures_computed_at"]
        and alpha["status"] == "active"
    )


def test_metrics_endpoint_gives_school_figures_trust_totals_and_freshness_with_suppression(
    people, api_for, trust_a_data, school_a
):
    data = api_for(people["trust_send_lead_a"]).get("/api/v1/trust/metrics/").json()
    (trust,) = data["trusts"]
    alpha = next(s for s in trust["schools"] if s["school"]["id"] == school_a.pk)
    assert alpha["computed_at"] and alpha["refresh_status"] == "ok"
    values = {(f["metric"], f["category"]): f for f in alpha["figures"]}
    # K = 6 beside E = 2 and the school's register total (8, on the trend page) would give E
    # away: the total is hidden (a school's figure is kept before a total).
    assert values[("provision", "K")]["value"] == 6
    from apps.trust.selectors import trends

    trend = trends(school_a.trust, "provision")
    row = next(r for r in trend["rows"] if r["school"].pk == school_a.pk)
    assert row["cells"][-1] == "suppressed"
    assert values[("provision", "E")] == {
        "metric": "provision",
        "category": "E",
        "value": None,
        "display": "fewer than 5",
        "suppressed": True,
    }
    totals = {(t["metric"], t["category"]): t for t in trust["trust_totals"]}
    assert totals[("provision", "E")]["suppressed"] is True
    assert "fewer than 5" in str(data) and "Sam" not in str(data)


def test_shared_sencos_endpoint_carries_checks_and_reasons(people, api_for, trust_a_data):
    data = api_for(people["trust_send_lead_a"]).get("/api/v1/trust/shared-sencos/").json()
    (a,) = data["results"]
    checks = {c["key"]: c for c in a["checks"]}
    assert set(checks) == {
        "headteacher",
        "teaching",
        "time_roll",
        "time_register",
        "qts",
        "award",
        "review",
    }
    # 6 hours for 1,100 pupils on roll.
    assert (
        checks["time_roll"]["status"] == "fail"
        and "below the trust's minimum" in checks["time_roll"]["reason"]
    )
    assert checks["qts"]["status"] == "unknown"
    assert a["compliant"] is False


def test_library_and_transfers_endpoints(people, api_for, trust_a_data):
    lib = api_for(people["trust_viewer_a"]).get("/api/v1/trust/library/").json()
    assert [i["title"] for i in lib["results"]] == ["Alpha guidance"]
    transfers = api_for(people["trust_send_lead_a"]).get("/api/v1/trust/transfers/").json()
    (t,) = transfers["results"]
    assert t["from_school"] == "Alpha Primary" and t["status"] == "pending"
    assert set(t) == {
        "id",
        "from_school",
        "to_school",
        "status",
        "started_at",
        "decided_at",
        "parts_copied",
    }


def test_the_api_is_read_only(people, api_for):
    assert (
        api_for(people["trust_trust_admin_a"]).post("/api/v1/trust/schools/", {}).status_code == 405
    )
    assert LibraryItem.objects.count() == 0


def test_the_trust_api_is_in_the_platform_hosts_openapi_schema(people, api_for):
    response = api_for(people["trust_trust_admin_a"]).get(
        "/api/v1/schema/", HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/v1/trust/schools/",
        "/api/v1/trust/metrics/",
        "/api/v1/trust/shared-sencos/",
        "/api/v1/trust/library/",
        "/api/v1/trust/transfers/",
    ):
        assert path in body
