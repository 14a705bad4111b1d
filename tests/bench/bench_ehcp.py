"""EHC plans and the statutory clock at scale: a 1,500-pupil secondary with 80 EHC plans and
three years of history (annual reviews with invitations and advice, assessment requests). Prints
the query counts of the statutory calendar page, /api/v1/deadlines/ and the iCalendar feed
(constant: the same with half the plans) and their median server times (target < 100 ms),
measured in-process through the whole middleware stack."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

PUPILS = 1500
PLANS = 80
RUNS = 25


def _median_ms(fn, runs: int = RUNS) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = fn()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def _count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    connection.set_schema_to_public()
    return len(ctx.captured_queries)


def run(report) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from apps.core.demo import DemoSchool
    from apps.ehcp import services
    from apps.ehcp.demo import seed_ehcp
    from apps.ehcp.models import AnnualReview, AssessmentRequest, EhcPlan, ReviewInvitation
    from apps.pupils.demo import seed_pupils
    from apps.pupils.models import Pupil, SenHistory
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.support import host_for, signed_in_client, token_client

    rng = random.Random(80)
    today = timezone.localdate()
    trust = Trust.objects.create(name="Bench EHC Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench EHC Academy",
        urn="199903",
        subdomain="benchehcp",
        phase="secondary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=PUPILS,
    )
    staff = {}
    for role in (SchoolRole.SENCO, SchoolRole.HEADTEACHER):
        user = User.objects.create_user(
            email=f"bench.ehcp.{role}@example.test",
            password="bench-password-1",
            full_name=f"Bench {role}",
        )
        school_membership_set(acting_user=None, user=user, school=school, role=role)
        staff[str(role)] = user
    with tenant_context(school):
        seed_pupils(DemoSchool(school=school, staff=staff), rng)
        at_e = Pupil.objects.filter(sen_provision="E").count()
        if at_e < PLANS:
            ids = list(
                Pupil.objects.filter(sen_provision="K")
                .exclude(primary_need="NSA")
                .values_list("pk", flat=True)[: PLANS - at_e]
            )
            Pupil.objects.filter(pk__in=ids).update(sen_provision="E")
        keep = list(
            Pupil.objects.filter(sen_provision="E").order_by("id").values_list("pk", flat=True)
        )
        Pupil.objects.filter(pk__in=keep[PLANS:]).update(sen_provision="K")
        # Three years of history: every plan issued three to four years ago.
        SenHistory.objects.filter(provision="E").delete()
        SenHistory.objects.bulk_create(
            SenHistory(
                pupil_id=pid,
                effective_date=today - dt.timedelta(days=3 * 365 + rng.randrange(300)),
                provision="E",
                primary_need="ASD",
                reason="Final EHC plan issued by the local authority.",
            )
            for pid in keep[:PLANS]
        )
        started = time.perf_counter()
        seed_ehcp(DemoSchool(school=school, staff=staff), rng)
        for pid in rng.sample(keep[PLANS:] or keep, 20):
            AssessmentRequest.objects.create(
                pupil_id=pid,
                requested_by="parent",
                requested_on=today - dt.timedelta(days=rng.randrange(30, 1000)),
                local_authority="Leeds",
            )
        report("EHC demo history seeded", time.perf_counter() - started, "s")
        report(
            "plans / reviews / invitations / requests",
            f"{EhcPlan.objects.count()}/{AnnualReview.objects.count()}/"
            f"{ReviewInvitation.objects.count()}/{AssessmentRequest.objects.count()}",
        )
        _, token = services.calendar_feed_create(acting_user=staff["senco"])
    connection.set_schema_to_public()

    senco = signed_in_client(staff["senco"], school)
    api = token_client(staff["senco"], school)
    calendar_client = Client(HTTP_HOST=host_for(school))
    cases = [
        ("statutory calendar page (/ehcp/)", lambda: senco.get("/ehcp/")),
        (
            "GET /api/v1/deadlines/ (three years)",
            lambda: api.get(
                f"/api/v1/deadlines/?from={today - dt.timedelta(days=3 * 365)}&to={today + dt.timedelta(days=365)}"
            ),
        ),
        (
            "iCalendar feed (/calendar-feeds/<token>.ics)",
            lambda: calendar_client.get(f"/calendar-feeds/{token}.ics"),
        ),
        ("school home page (panel + worklist)", lambda: senco.get("/")),
    ]
    for _, fn in cases:
        fn()  # warm the routing cache and connections: counts are of a steady request
    connection.set_schema_to_public()
    full = {label: _count(fn) for label, fn in cases}
    times = {}
    for label, fn in cases:
        times[label] = _median_ms(fn)
        connection.set_schema_to_public()
    # The same pages with half the plans (and their history): the counts must not move.
    with tenant_context(school):
        half = list(EhcPlan.objects.order_by("id").values_list("pk", flat=True)[: PLANS // 2])
        EhcPlan.objects.filter(pk__in=half).delete()
    connection.set_schema_to_public()
    for _, fn in cases:
        fn()
    connection.set_schema_to_public()
    halved = {label: _count(fn) for label, fn in cases}
    for label, _ in cases:
        report(
            f"{label}: queries, 80 / 40 plans", f"{full[label]} / {halved[label]}", "", "constant"
        )
    for label, _ in cases:
        report(f"{label}: median server time", times[label], "ms", "< 100 ms")
