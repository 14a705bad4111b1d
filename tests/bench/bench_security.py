"""What the lockout's bookkeeping costs a sign-in, in-process through the whole middleware stack
on a school host: a wrong password (counted per account and per address, with the trusts it
concerned), a sign-in refused by an address lock (the trusts it concerned added), the trust
admin's security page with paused addresses listed, and ending every session of a person.
Passwords are hashed with MD5 here (SENCOHUB_TESTING), so the figures are the bookkeeping, not
the password hashing."""

from __future__ import annotations

import statistics
import time

RUNS = 200


def run(report) -> None:
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.security.mfa import mark_passed
    from tenants import lockout
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole, TrustRole
    from tenants.services import school_membership_set, school_provision, trust_membership_set
    from tenants.session_limits import sessions_end_everywhere
    from tests.support import host_for

    connection.set_schema_to_public()
    trust = Trust.objects.create(name="Bench Security Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench Security Primary",
        urn="880101",
        subdomain="bench-security",
        phase="primary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=300,
    )
    teacher = User.objects.create_user(
        email="bench.teacher@example.test", password="bench-security-pass", full_name="Bench T"
    )
    school_membership_set(acting_user=None, user=teacher, school=school, role=SchoolRole.TEACHER)
    admin = User.objects.create_user(
        email="bench.admin@example.test", password="bench-security-pass", full_name="Bench A"
    )
    trust_membership_set(acting_user=None, user=admin, trust=trust, role=TrustRole.TRUST_ADMIN)
    connection.set_schema_to_public()
    host = host_for(school)
    cache = caches["security"]

    def fresh_counters() -> None:
        cache.delete_pattern("lockout:*")

    def median_ms(fn, runs: int = RUNS) -> float:
        times = []
        for n in range(runs):
            started = time.perf_counter()
            fn(n)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    def queries(fn) -> int:
        with CaptureQueriesContext(connection) as captured:
            fn(0)
        return len(captured.captured_queries)

    client = Client(HTTP_HOST=host)
    client.get("/accounts/sign-in/?checked=1")

    # A wrong password for a real account, each from its own address (nothing locks).
    def wrong_password(n: int) -> None:
        response = client.post(
            "/accounts/sign-in/",
            {"username": teacher.email, "password": "wrong"},
            REMOTE_ADDR=f"10.1.{n // 250}.{n % 250}",
        )
        assert response.status_code == 200
        cache.delete(lockout._account_key(teacher.email))

    fresh_counters()
    report("wrong password at sign-in: database queries", queries(wrong_password))
    report(f"wrong password at sign-in (median of {RUNS})", median_ms(wrong_password), "ms")

    # Refused by a locked address (a school behind one NAT address, during the pause).
    fresh_counters()
    for _ in range(20):
        lockout.sign_in_failed(email="", address="203.0.113.200", trust_ids=[trust.pk])

    def refused(n: int) -> None:
        response = client.post(
            "/accounts/sign-in/",
            {"username": teacher.email, "password": "bench-security-pass"},
            REMOTE_ADDR="203.0.113.200",
        )
        assert "from your network" in response.content.decode()

    report("sign-in refused by an address lock: database queries", queries(refused))
    report(f"sign-in refused by an address lock (median of {RUNS})", median_ms(refused), "ms")

    # The trust admin's page with 50 paused addresses concerning the trust.
    fresh_counters()
    for a in range(50):
        for _ in range(20):
            lockout.sign_in_failed(email="", address=f"198.51.100.{a}", trust_ids=[trust.pk])
    console = Client(HTTP_HOST=host_for(None))
    console.force_login(admin, backend="tenants.auth.EmailBackend")
    session = console.session
    session["bound_host"] = host_for(None)
    mark_passed(session)
    session.save()

    def security_page(n: int) -> None:
        response = console.get("/security/trust/")
        assert response.status_code == 200 and "198.51.100.49" in response.content.decode()

    report("trust security page, 50 paused addresses: database queries", queries(security_page))
    report(
        "trust security page, 50 paused addresses (median of 50)",
        median_ms(security_page, runs=50),
        "ms",
    )

    report(
        f"end every session of a person (median of {RUNS})",
        median_ms(lambda n: sessions_end_everywhere(user=teacher)),
        "ms",
    )
    fresh_counters()
