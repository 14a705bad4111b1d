"""The read-only gate and the past-due banner share one billing lookup per request."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_one_billing_lookup_per_school_page(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    client.get("/")  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    lookups = [q["sql"] for q in queries.captured_queries if "billing_billingaccount" in q["sql"]]
    assert len(lookups) == 1, lookups
