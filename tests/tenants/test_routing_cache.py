"""Routing without the database (tenants.routing): a warm school page spends no query on finding
the school or deciding the member's access, and every change to a school, a domain, a trust or a
membership is seen on the very next request.

These tests commit (`committed`): inside a test transaction the cache is deliberately bypassed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import Domain, SchoolMembership, TrustMembership, User
from tenants.roles import SchoolRole, TrustRole
from tenants.services import (
    school_membership_set,
    school_reactivate,
    school_suspend,
    trust_membership_set,
)
from tests.conftest import PASSWORD
from tests.support import signed_in_client

FIELDS = dict(
    phase="primary", local_authority_name="Kirklees", local_authority_code="382", number_on_roll=90
)


def is_routing(sql: str) -> bool:
    """The school-by-host lookup and the two halves of the access decision (tenants.access)."""
    return (
        ('FROM "tenants_domain"' in sql and '"tenants_domain"."domain" =' in sql)
        or sql.startswith(
            'SELECT "tenants_schoolmembership"."id", "tenants_schoolmembership"."role" FROM'
        )
        or sql.startswith('SELECT "tenants_trustmembership"."role" FROM')
    )


def routing_queries(client, path: str = "/ping") -> tuple[int, list[str]]:
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    connection.set_schema_to_public()
    sqls = [q["sql"] for q in ctx.captured_queries]
    return response.status_code, [s for s in sqls if is_routing(s)]


@pytest.fixture
def setting(committed, harness):
    school = committed.school(
        trust=harness["trust_a"],
        name="Routing Primary",
        urn="700201",
        subdomain="routing",
        **FIELDS,
    )
    senco = User.objects.create_user(
        email="routing.senco@example.test", password=PASSWORD, full_name="Routing Senco"
    )
    committed.cleanup(senco.delete)
    school_membership_set(acting_user=None, user=senco, school=school, role=SchoolRole.SENCO)
    return school, senco


def test_a_warm_school_page_spends_no_query_on_routing(setting):
    school, senco = setting
    client = signed_in_client(senco, school)
    status, first = routing_queries(client, "/")
    assert status == 200 and len(first) >= 2  # cold: the host, the access decision
    status, warm = routing_queries(client, "/")
    assert status == 200
    assert warm == [], "\n".join(w[:300] for w in warm)


def test_a_membership_change_is_seen_on_the_next_request(setting):
    school, senco = setting
    client = signed_in_client(senco, school)
    assert client.get("/").status_code == 200
    routing_queries(client, "/")  # warm
    SchoolMembership.objects.filter(user=senco, school=school).get().delete()
    assert client.get("/").status_code == 403
    school_membership_set(acting_user=None, user=senco, school=school, role=SchoolRole.GOVERNOR)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.school_access.school_role == SchoolRole.GOVERNOR


def test_a_trust_membership_change_is_seen_on_the_next_request(setting, committed):
    school, _ = setting
    lead = User.objects.create_user(
        email="routing.lead@example.test", password=PASSWORD, full_name="Routing Lead"
    )
    committed.cleanup(lead.delete)
    trust_membership_set(acting_user=None, user=lead, trust=school.trust, role=TrustRole.SEND_LEAD)
    client = signed_in_client(lead, school)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # warm
    TrustMembership.objects.filter(user=lead, trust=school.trust).get().delete()
    assert client.get("/").status_code == 403


def test_a_school_status_change_is_seen_on_the_next_request(setting):
    school, senco = setting
    client = signed_in_client(senco, school)
    assert client.get("/").status_code == 200
    school_suspend(acting_user=None, school=school)
    response = client.get("/")
    assert response.wsgi_request.school.status == "suspended"
    school_reactivate(acting_user=None, school=school)
    assert client.get("/").wsgi_request.school.status == "active"


def test_a_domain_change_is_seen_on_the_next_request(setting):
    school, senco = setting
    client = signed_in_client(senco, school)
    assert client.get("/ping").status_code == 200
    domain = Domain.objects.get(tenant=school)
    old_host = domain.domain
    domain.domain = "routing-renamed.localhost"
    domain.save()
    try:
        assert client.get("/ping", HTTP_HOST=old_host).status_code == 404
        assert client.get("/ping", HTTP_HOST="routing-renamed.localhost").status_code == 200
    finally:
        domain.domain = old_host
        domain.save()
    assert client.get("/ping").status_code == 200


def test_inside_a_transaction_the_cache_is_bypassed(school_a, people, client_for):
    """Uncommitted changes are seen, and never cached for anyone else."""
    from tenants.models import School

    client = client_for(people["senco_a"], school_a)
    School.objects.filter(pk=school_a.pk).update(status=School.Status.ARCHIVED)  # no signal
    assert client.get("/").status_code == 403
