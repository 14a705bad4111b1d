"""Token authentication against a browser session, in-process through the whole middleware stack
(gate, DRF, JSON): the median time of GET /api/v1/me/ on a school host both ways, and the
difference (target: under 1 ms, hashing included). Also the cost of an ETag match (304)."""

from __future__ import annotations

import os
import statistics
import time

RUNS = 400


def _median_ms(fn, runs: int = RUNS) -> float:
    for _ in range(20):
        fn()  # warm caches and connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = fn()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304), response.status_code
    return statistics.median(times)


def run(report) -> None:
    from django.test import override_settings

    # Thousands of requests a minute from one token: the rate limit would answer 429.
    with override_settings(API_RATE_LIMIT="1000000/min"):
        _run(report)


def _run(report) -> None:
    from django.db import connection
    from django.test import Client

    from apps.api_access.services import api_token_issue
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.support import host_for

    connection.set_schema_to_public()
    trust = Trust.objects.create(name="Bench API Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench API Primary",
        urn="880001",
        subdomain="bench-api",
        phase="primary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=300,
    )
    user = User.objects.create_user(
        email="bench.api@example.test", password="bench-api-pass", full_name="Bench"
    )
    school_membership_set(acting_user=None, user=user, school=school, role=SchoolRole.SENCO)
    connection.set_schema_to_public()
    _, token = api_token_issue(user=user, name="bench")
    host = host_for(school)

    by_token = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Token {token}")
    by_session = Client(HTTP_HOST=host)
    by_session.force_login(user, backend="tenants.auth.EmailBackend")
    session = by_session.session
    session["bound_host"] = host
    # A SENCo signs in in two steps: this session has passed the second (as a browser's would).
    from apps.security.mfa import mark_passed
    from tests.support import give_mfa_device

    give_mfa_device(user)
    mark_passed(session)
    session.save()

    # Exact query counts of one request each way (after warm-up, so caches are as in use).
    from django.test.utils import CaptureQueriesContext

    def queries(fn) -> list[str]:
        for _ in range(3):
            fn()
        with CaptureQueriesContext(connection) as captured:
            response = fn()
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return [q["sql"] for q in captured.captured_queries]

    session_queries = queries(lambda: by_session.get("/api/v1/me/"))
    token_queries = queries(lambda: by_token.get("/api/v1/me/"))
    report("GET /api/v1/me/ with a browser session: database queries", len(session_queries))
    report("GET /api/v1/me/ with an API token: database queries", len(token_queries))
    if os.environ.get("BENCH_VERBOSE"):
        for label, sqls in (("session", session_queries), ("token", token_queries)):
            for sql in sqls:
                print(f"    {label}: {sql[:160]}")

    # Paired and interleaved: each round times one request each way, alternating which goes
    # first, so load on a shared machine falls on both alike; the overhead is the median of the
    # per-round differences.
    def once(client: Client) -> float:
        started = time.perf_counter()
        response = client.get("/api/v1/me/")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    for _ in range(20):
        once(by_session), once(by_token)  # warm caches and connections
    session_times, token_times = [], []
    for round_ in range(RUNS):
        if round_ % 2:
            token_times.append(once(by_token))
            session_times.append(once(by_session))
        else:
            session_times.append(once(by_session))
            token_times.append(once(by_token))
    session_ms = statistics.median(session_times)
    token_ms = statistics.median(token_times)
    overhead = statistics.median(t - s for s, t in zip(session_times, token_times, strict=True))
    report(f"GET /api/v1/me/ with a browser session (median of {RUNS})", session_ms, "ms")
    report(f"GET /api/v1/me/ with an API token (median of {RUNS})", token_ms, "ms")
    report(
        "  token authentication overhead (median of paired differences)", overhead, "ms", "< 1 ms"
    )

    # The token check alone (SHA-512 of the token, one indexed lookup joined to the user) against
    # what a session costs the same request (the session row, then the user row).
    from django.contrib.auth import get_user
    from django.contrib.sessions.backends.db import SessionStore
    from django.http import HttpRequest

    from apps.api_access.authentication import token_decision

    def timed(fn, runs: int = RUNS) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    def load_session_user():
        request = HttpRequest()
        request.session = SessionStore(session.session_key)
        return get_user(request)

    assert load_session_user().pk == user.pk
    assert token_decision(f"Token {token}").token is not None
    report(
        "  token check alone: hash + lookup + user",
        timed(lambda: token_decision(f"Token {token}")),
        "ms",
    )
    report("  session check alone: session row + user", timed(load_session_user), "ms")

    full_ms = _median_ms(lambda: by_token.get("/api/v1/pupils/"), runs=100)
    etag = by_token.get("/api/v1/pupils/")["ETag"]
    not_modified_ms = _median_ms(
        lambda: by_token.get("/api/v1/pupils/", HTTP_IF_NONE_MATCH=etag), runs=100
    )
    report("GET /api/v1/pupils/ (empty school), 200 with body", full_ms, "ms")
    report("GET /api/v1/pupils/ answered 304 by ETag", not_modified_ms, "ms")
