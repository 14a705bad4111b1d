"""The trust API (platform host) over real HTTP with a trust admin's token: every endpoint answers
what its OpenAPI schema documents, checked by schemathesis' own response validation with real rows
in every list (a shared SENCo, a library item, a transfer, computed figures), and another trust's
admin gets none of them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import httpx
import pytest
import schemathesis
from django.utils import timezone

from .contract import SCHEMAS, schema


@pytest.fixture
def trust_rows(http_world):
    from apps.trust.models import (
        ArrangementSchool,
        LibraryItem,
        PupilTransfer,
        SharedSencoArrangement,
    )
    from apps.trust.rollups import refresh_school
    from apps.trust.services import library_publish

    from .helpers import make_pupil

    for _ in range(6):  # enough for a figure that is not suppressed
        make_pupil(http_world, provision="K", primary_need="SPLD")
    http_world.in_school(lambda: refresh_school(http_world.school))

    def make() -> dict:
        arrangement = SharedSencoArrangement.objects.create(
            trust=http_world.trust,
            senco=http_world.people["senco"],
            teaching_hours_per_week=Decimal("0.0"),
            admin_support_hours_per_week=Decimal("2.5"),
            started_on=date(2025, 9, 1),
            next_review_due=date(2030, 1, 1),
        )
        ArrangementSchool.objects.create(
            arrangement=arrangement, school=http_world.school, hours_per_week=Decimal("3.0")
        )
        item = library_publish(
            acting_user=None,
            trust=http_world.trust,
            school=http_world.school,
            item_type_key="guidance",
            title="Contract guidance",
            summary="",
            body="Do this.",
        )
        transfer = PupilTransfer.objects.create(
            trust=http_world.trust,
            from_school=http_world.school,
            to_school=http_world.school,
            source_pupil_id=1,
            status=PupilTransfer.Status.ACCEPTED,
            decided_at=timezone.now(),
            parts_copied={"pupils": 1, "documents": 2},
        )
        return {"arrangement": arrangement, "item": item, "transfer": transfer}

    rows = http_world.db(make)
    yield rows

    def drop() -> None:
        PupilTransfer.objects.filter(pk=rows["transfer"].pk).delete()
        LibraryItem.objects.filter(pk=rows["item"].pk).delete()
        SharedSencoArrangement.objects.filter(pk=rows["arrangement"].pk).delete()

    http_world.db(drop)


def test_every_trust_endpoint_answers_what_its_schema_documents(api, http_world, trust_rows):
    document = json.loads(json.dumps(schema(SCHEMAS["platform host"]), default=str))
    operations = schemathesis.openapi.from_dict(document)
    trust_api = api("trust_trust_admin", school=None)
    paths = {
        "/api/v1/trust/schools/": "/api/v1/trust/schools/",
        "/api/v1/trust/metrics/": "/api/v1/trust/metrics/",
        "/api/v1/trust/shared-sencos/": "/api/v1/trust/shared-sencos/",
        "/api/v1/trust/shared-sencos/{id}/": (
            f"/api/v1/trust/shared-sencos/{trust_rows['arrangement'].pk}/"
        ),
        "/api/v1/trust/library/": "/api/v1/trust/library/",
        "/api/v1/trust/library/{id}/": f"/api/v1/trust/library/{trust_rows['item'].pk}/",
        "/api/v1/trust/transfers/": "/api/v1/trust/transfers/",
    }
    trust_paths = {p for p in document["paths"] if p.startswith("/api/v1/trust/")}
    assert trust_paths - {"/api/v1/trust/billing/", "/api/v1/trust/billing/{school_id}/"} == set(
        paths
    ), "a trust endpoint was added: drive it here too"
    bodies = {}
    for template, path in paths.items():
        response = trust_api.get(path)
        assert response.status_code == 200, (path, response.text)
        operation = document["paths"][template]["get"]
        assert "content" in operation["responses"]["200"], f"{template}: no response schema"
        operations[template]["GET"].validate_response(response)  # raises when it does not conform
        bodies[template] = response.json()

    # Every list really held a row, so the row shapes were checked, not only empty lists.
    for template, body in bodies.items():
        if "results" in body:
            assert body["results"], f"{template} answered an empty list"
    (arrangement,) = bodies["/api/v1/trust/shared-sencos/"]["results"]
    assert arrangement["schools"] == [
        {"id": http_world.school.pk, "name": "Contract Primary", "hours_per_week": 3.0}
    ]
    (transfer,) = bodies["/api/v1/trust/transfers/"]["results"]
    assert transfer["parts_copied"] == {"pupils": 1, "documents": 2}
    (trust,) = bodies["/api/v1/trust/metrics/"]["trusts"]
    figures = {(f["metric"], f["category"]): f for f in trust["schools"][0]["figures"]}
    assert figures[("provision", "K")]["suppressed"] is False
    assert figures[("provision", "K")]["value"] >= 6


def test_another_trusts_admin_reaches_none_of_these_rows(api, http_world, trust_rows):
    from tests.conftest import PASSWORD
    from tests.support import otp_for

    # trust_admin_b of the harness: a trust admin, but of another trust.
    with httpx.Client(**http_world.client_kwargs(None)) as client:
        token = client.post(
            "/api/v1/auth/token/",
            json={
                "email": "trust_admin_b@example.test",
                "password": PASSWORD,
                "otp": otp_for("trust_admin_b@example.test"),
            },
        ).json()["token"]
    other = api(token=token, school=None)
    assert (
        other.get(f"/api/v1/trust/shared-sencos/{trust_rows['arrangement'].pk}/").status_code == 404
    )
    assert other.get(f"/api/v1/trust/library/{trust_rows['item'].pk}/").status_code == 404
    for path in ("/api/v1/trust/schools/", "/api/v1/trust/transfers/", "/api/v1/trust/library/"):
        body = other.get(path).text
        assert "Contract Primary" not in body and "Contract guidance" not in body, path
