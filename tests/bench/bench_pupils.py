"""The SEN register at scale: a school of 1,500 pupils with 320 on the register. Prints the
query counts of the register page and /api/v1/pupils/ (constant whatever the roll) and their
median server time (target < 100 ms), measured in-process through the whole middleware stack."""

from __future__ import annotations

import random
import statistics
import time

PUPILS = 1500
ON_REGISTER = 320
RUNS = 25


def _median_ms(fn, runs: int = RUNS) -> float:
    fn()  # warm caches and connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = fn()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def _queries(fn) -> str:
    """Total statements, and how many of them are django-tenants' `SET search_path` round trips
    (settings.TENANT_LIMIT_SET_CALLS would remove most of those)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    sets = sum(1 for q in ctx.captured_queries if q["sql"].startswith("SET search_path"))
    return f"{len(ctx.captured_queries)} ({sets} SET)"


def run(report) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.core.demo import DemoSchool
    from apps.pupils.demo import seed_pupils
    from apps.pupils.models import Pupil
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.support import signed_in_client, token_client

    trust = Trust.objects.create(name="Bench Register Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench Register Academy",
        urn="199902",
        subdomain="benchregister",
        phase="secondary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=PUPILS,
    )
    staff = {}
    for role in (
        SchoolRole.SENCO,
        SchoolRole.TEACHER,
        SchoolRole.TEACHING_ASSISTANT,
        SchoolRole.HEADTEACHER,
    ):
        user = User.objects.create_user(
            email=f"bench.{role}@example.test",
            password="bench-password-1",
            full_name=f"Bench {role}",
        )
        school_membership_set(acting_user=None, user=user, school=school, role=role)
        staff[str(role)] = user
    with tenant_context(school):
        started = time.perf_counter()
        seed_pupils(DemoSchool(school=school, staff=staff), random.Random(1500))
        report(f"demo seeding of {PUPILS} pupils (bulk)", time.perf_counter() - started, "s")
        extra = ON_REGISTER - Pupil.objects.exclude(sen_provision="N").count()
        if extra > 0:
            ids = list(Pupil.objects.filter(sen_provision="N").values_list("pk", flat=True)[:extra])
            Pupil.objects.filter(pk__in=ids).update(sen_provision="K", primary_need="SLCN")
        report(
            "pupils / on the register",
            f"{Pupil.objects.count()}/{Pupil.objects.exclude(sen_provision='N').count()}",
        )
    connection.set_schema_to_public()

    senco = signed_in_client(staff["senco"], school)
    teacher = signed_in_client(staff["teacher"], school)
    api = token_client(staff["senco"], school)
    cases = [
        ("register page, SENCo (320 rows)", lambda: senco.get("/pupils/")),
        (
            "register page, SENCo, search by name (POST)",
            lambda: senco.post("/pupils/", {"provision": "all", "search": "Smith"}),
        ),
        ("register page, teacher (own classes)", lambda: teacher.get("/pupils/")),
        ("GET /api/v1/pupils/ (page of 50)", lambda: api.get("/api/v1/pupils/")),
        (
            "GET /api/v1/pupils/?provision=register (page of 50)",
            lambda: api.get("/api/v1/pupils/?provision=register"),
        ),
    ]
    for label, fn in cases:
        report(f"{label}: queries", _queries(fn))
        connection.set_schema_to_public()
    for label, fn in cases:
        report(f"{label}: median server time", _median_ms(fn), "ms", "< 100 ms")
        connection.set_schema_to_public()
