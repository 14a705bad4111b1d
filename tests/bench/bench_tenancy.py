"""Foundation figures.

1. Provisioning one school by cloning the template vs by running every migration into a fresh
   schema, with 1, 50 and 200 schools already present (target: clone >= 5x faster, < 2 s, flat).
2. Tenant routing overhead: median server time of a minimal page on a school host vs the
   platform host (target: < 2 ms added).
"""

from __future__ import annotations

import statistics
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client

from tenants.hosts import school_host
from tenants.models import School, Trust
from tenants.services import school_provision

FIELDS = dict(
    phase="primary", local_authority_name="Bench", local_authority_code="999", number_on_roll=200
)
LEVELS = (1, 50, 200)
SAMPLES = 5


def _clone(trust: Trust, n: int) -> School:
    return school_provision(
        acting_user=None,
        trust=trust,
        name=f"Bench {n}",
        urn=f"{900000 + n}",
        subdomain=f"bench-{n}",
        **FIELDS,
    )


def _migrate(trust: Trust, n: int) -> School:
    """The way django-tenants provisions by default: create the schema, replay every migration."""
    slug = f"bench-m-{n}"
    school = School(
        schema_name=slug.replace("-", "_"),
        name=f"Bench M {n}",
        urn=f"{800000 + n}",
        trust=trust,
        **FIELDS,
    )
    school.save()
    with connection.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{school.schema_name}"')
    call_command("migrate_schemas", schema_name=school.schema_name, interactive=False, verbosity=0)
    school.domains.create(domain=school_host(slug), is_primary=True)
    connection.set_schema_to_public()
    return school


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def provisioning(report) -> None:
    trust = Trust.objects.create(name="Bench Trust")
    made = 0
    serial = 0
    for level in LEVELS:
        while made < level:
            made += 1
            _clone(trust, made)
        clone_times, migrate_times = [], []
        for _ in range(SAMPLES):
            serial += 1
            n = 10_000 + serial
            clone_times.append(_timed(lambda n=n: _clone(trust, n)))
            School.objects.get(urn=f"{900000 + n}").delete(force_drop=True)
            migrate_times.append(_timed(lambda n=n: _migrate(trust, n)))
            School.objects.get(urn=f"{800000 + n}").delete(force_drop=True)
        clone, migrate = statistics.median(clone_times), statistics.median(migrate_times)
        report(
            f"provision by clone, {level} schools present (median of {SAMPLES})",
            clone,
            "s",
            "< 2 s, flat",
        )
        report(f"provision by migrations, {level} schools present", migrate, "s")
        report(f"  ratio migrations / clone at {level} schools", migrate / clone, "x", ">= 5x")


def _queries(client, path: str) -> int:
    from django.test.utils import CaptureQueriesContext

    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    connection.set_schema_to_public()
    return len(ctx.captured_queries)


def routing(report, n: int = 400) -> None:
    """Routing cost with the cache of tenants.routing warm (as in production: every web process
    shares it), and the statements each request runs."""
    from tenants.models import User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    school = School.objects.exclude(schema_name__startswith="bench_m").first()
    school_client = Client(HTTP_HOST=school_host(school.slug))
    platform_client = Client(HTTP_HOST="localhost")

    def sample(client, path: str = "/ping") -> list[float]:
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        return times

    sample(school_client), sample(platform_client)  # warm up
    school_ms = statistics.median(sample(school_client)) * 1000
    platform_ms = statistics.median(sample(platform_client)) * 1000
    report(f"minimal page on the platform host (median of {n})", platform_ms, "ms")
    report(f"minimal page on a school host (median of {n})", school_ms, "ms")
    report("  routing overhead (school - platform)", school_ms - platform_ms, "ms", "< 2 ms")
    report("  statements: platform host / school host (warm)", "", "")
    report(
        "    minimal page, platform host",
        _queries(platform_client, "/ping"),
        "queries",
    )
    report("    minimal page, school host", _queries(school_client, "/ping"), "queries", "0")

    # A signed-in member behind the access gate: host lookup and access decision both cached.
    user = User.objects.create_user(email="bench.member@example.test", full_name="Bench Member")
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.SENCO)
    from tests.support import signed_in_client

    member = signed_in_client(user, school)  # two-step sign-in passed, bound to the host
    path = "/api/v1/pupils/?page_size=1"
    sample(member, path)
    cold_key = f"{school_host(school.slug)}"
    from django.core.cache import caches

    caches["routing"].delete(f"host:{cold_key}")
    cold = _queries(member, path)
    warm = _queries(member, path)
    member_ms = statistics.median(sample(member, path)) * 1000
    report(f"signed-in API page on a school host (median of {n})", member_ms, "ms")
    report("  statements, routing cache cold / warm", f"{cold} / {warm}", "queries")
    report("  routing statements saved per request", cold - warm, "queries", ">= 2")


def run(report) -> None:
    provisioning(report)
    routing(report)
