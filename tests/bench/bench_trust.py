"""A trust of 100 schools of 300 pupils (30,000 pupils; schools provisioned by cloning the
template schema, pupils written with bulk_create). Measures the trust dashboard's median server
time at 10 and at 100 schools (target < 100 ms, independent of school count) and the time to
refresh every school's rollups, in total and per school."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

SCHOOLS = 100
PUPILS_PER_SCHOOL = 300
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "VI", "PD", "OTH"]
YEARS = ["R", "1", "2", "3", "4", "5", "6"]


def _fill_school(rng: random.Random) -> None:
    from django.utils import timezone

    from apps.pupils.models import Concern, Pupil, SenHistory

    pupils = []
    for n in range(PUPILS_PER_SCHOOL):
        roll = rng.random()
        provision = "E" if roll < 0.05 else "K" if roll < 0.19 else "N"
        pupils.append(
            Pupil(
                upn=f"B{n:012d}",
                first_name="Bench",
                last_name=f"Pupil{n}",
                date_of_birth=date(2015, 1, 1) + timedelta(days=n),
                gender="F" if n % 2 else "M",
                year_group=rng.choice(YEARS),
                sen_provision=provision,
                primary_need=rng.choice(NEEDS) if provision != "N" else "",
            )
        )
    Pupil.objects.bulk_create(pupils, batch_size=1000)
    on_register = [p for p in pupils if p.sen_provision != "N"]
    SenHistory.objects.bulk_create(
        [
            SenHistory(
                pupil=p,
                effective_date=date(2025, 9, 1) + timedelta(days=rng.randrange(400)),
                provision=p.sen_provision,
                primary_need=p.primary_need,
            )
            for p in on_register
        ]
    )
    now = timezone.now()
    Concern.objects.bulk_create(
        [
            Concern(pupil=p, what_seen="bench", raised_at=now - timedelta(days=rng.randrange(90)))
            for p in rng.sample(pupils, 8)
        ]
    )


def _dashboard_median(client, runs: int = 25) -> float:
    client.get("/dashboard/")  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/dashboard/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return statistics.median(times)


def _dashboard_uncached_median(client, trust, runs: int = 10) -> float:
    from django.core.cache import cache

    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        client.get("/dashboard/")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _suppression(trust) -> tuple[float, int, int, int]:
    """Working out the whole table's suppression afresh (not remembered): ms, and how many
    figures are published, hidden as "fewer than 5" and hidden to protect them."""
    from django.core.cache import cache

    from apps.trust.selectors import dashboard_schools, published_figures

    schools = dashboard_schools(trust)
    cache.clear()
    started = time.perf_counter()
    _figures, published = published_figures(schools)
    elapsed = (time.perf_counter() - started) * 1000
    states = list(published.state.values())
    return (
        elapsed,
        states.count("published"),
        states.count("primary"),
        states.count("secondary"),
    )


def _median_ms(client, path: str, runs: int = 15) -> float:
    client.get(path)  # warm (the suppression is remembered per set of figures)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


def run(report) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.trust.rollups import refresh_school
    from tenants.models import Trust, User
    from tenants.roles import TrustRole
    from tenants.services import school_provision, trust_membership_set
    from tests.support import signed_in_client

    rng = random.Random(5)
    trust = Trust.objects.create(name="Bench Learning Trust")
    admin = User.objects.create_user(
        email="bench.trust@example.test", password="bench-password-1", full_name="Bench Admin"
    )
    trust_membership_set(acting_user=None, user=admin, trust=trust, role=TrustRole.TRUST_ADMIN)
    client = signed_in_client(admin)

    provision_times, fill_times, refresh_times = [], [], []
    schools = []
    measured: dict[int, tuple[float, float]] = {}
    suppression: dict[int, tuple[tuple[float, int, int, int], float, float]] = {}
    for i in range(SCHOOLS):
        started = time.perf_counter()
        school = school_provision(
            acting_user=None,
            trust=trust,
            name=f"Bench School {i:03d}",
            urn=f"{300000 + i}",
            subdomain=f"bench{i:03d}",
            phase="primary",
            local_authority_name="Kirklees",
            local_authority_code="382",
            number_on_roll=PUPILS_PER_SCHOOL,
        )
        provision_times.append(time.perf_counter() - started)
        schools.append(school)
        with tenant_context(school):
            started = time.perf_counter()
            _fill_school(rng)
            fill_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            refresh_school(school)
            refresh_times.append(time.perf_counter() - started)
        connection.set_schema_to_public()
        if i + 1 in (10, SCHOOLS):
            measured[i + 1] = (_dashboard_median(client), _dashboard_uncached_median(client, trust))
            suppression[i + 1] = (
                _suppression(trust),
                _median_ms(client, "/dashboard/trends/provision/"),
                _median_ms(client, "/dashboard/figures.csv"),
            )

    report(
        "schools provisioned by cloning, median each",
        statistics.median(provision_times) * 1000,
        "ms",
    )
    report(
        f"{PUPILS_PER_SCHOOL} pupils written per school (bulk_create), median",
        statistics.median(fill_times) * 1000,
        "ms",
    )
    for count, (median, uncached) in measured.items():
        report(f"trust dashboard median server time, {count} schools", median, "ms", "< 100 ms")
        report(f"  same, first view after a refresh (not cached), {count} schools", uncached, "ms")

    for count, ((ms, shown, small, protecting), trend, csv) in suppression.items():
        report(f"suppression worked out afresh, whole table, {count} schools", ms, "ms")
        report(
            f"  figures published / fewer than 5 / suppressed to protect them, {count}",
            f"{shown}/{small}/{protecting}",
        )
        report(f"  trend page (provision) median, {count} schools", trend, "ms")
        report(f"  CSV download median, {count} schools", csv, "ms")

    # Refresh every rollup again, as the nightly fan-out does (one school after another here;
    # the worker pool runs them side by side).
    started = time.perf_counter()
    per_school = []
    for school in schools:
        with tenant_context(school):
            t0 = time.perf_counter()
            refresh_school(school)
            per_school.append((time.perf_counter() - t0) * 1000)
    connection.set_schema_to_public()
    total = time.perf_counter() - started
    report(f"refresh every rollup, {SCHOOLS} schools, total (one worker)", total, "s")
    report("refresh one school's rollups, median", statistics.median(per_school), "ms")
    report("refresh one school's rollups, slowest", max(per_school), "ms")
