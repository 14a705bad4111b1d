"""The provision map at scale (issue #12): a school with 150 interventions, 400 group places and
a year of logged sessions. Prints the query counts of the provision map page and
/api/v1/provision-map/ at a small and the full size (constant), their median server time
(target < 150 ms), and the time to record a review that rolls a plan with 8 outcomes to its next
version (target < 100 ms)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal
from typing import Any

from tests.bench.bench_pupils import _median_ms, _queries

INTERVENTIONS = 150
PLACES = 400
RUNS = 25


def _catalogue(n: int, rng: random.Random) -> list[Any]:
    from apps.provision.models import Intervention

    areas = ["cognition_learning", "communication_interaction", "semh", "sensory_physical"]
    return Intervention.objects.bulk_create(
        Intervention(
            name=f"Intervention {i:03d}",
            area_of_need=areas[i % 4],
            group_size=4,
            sessions_per_week=3,
            session_minutes=rng.choice((15, 20, 30)),
            hourly_staff_cost=Decimal("14.50"),
            resource_cost=Decimal(rng.randint(0, 40)),
        )
        for i in range(n)
    )


def _groups(
    interventions: list[Any], pupils: list[Any], places: int, staff_id: int, rng: random.Random
) -> None:
    from apps.provision.models import (
        GroupPlace,
        InterventionGroup,
        InterventionSession,
        SessionAttendance,
    )

    today = dt.date.today()
    year_ago = today - dt.timedelta(weeks=38)
    n_groups = -(-places // 4)
    groups = InterventionGroup.objects.bulk_create(
        InterventionGroup(
            intervention=interventions[g % len(interventions)],
            name=f"Group {g}",
            staff_user_ids=[staff_id],
            starts_on=year_ago,
            measure="Score",
        )
        for g in range(n_groups)
    )
    place_rows = []
    for g, group in enumerate(groups):
        for pupil in rng.sample(pupils, 4)[: min(4, places - 4 * g)]:
            place_rows.append(
                GroupPlace(
                    group=group,
                    pupil=pupil,
                    joined_on=year_ago,
                    entry_value=Decimal(rng.randint(60, 100)),
                )
            )
    GroupPlace.objects.bulk_create(place_rows)
    members: dict[int, list[int]] = {}
    for p in place_rows:
        members.setdefault(p.group_id, []).append(p.pupil_id)
    sessions = []
    for g, group in enumerate(groups):
        day = year_ago
        while day < today:
            if day.weekday() in (0, 2, 4):
                sessions.append(
                    InterventionSession(
                        group=group,
                        held_on=day,
                        starts_at=dt.time(9 + g % 6, 0),
                        minutes=20,
                        run_by_user_id=staff_id,
                    )
                )
            day += dt.timedelta(days=1)
    sessions = InterventionSession.objects.bulk_create(sessions, batch_size=5000)
    SessionAttendance.objects.bulk_create(
        (
            SessionAttendance(session=s, pupil_id=pid, present=True)
            for s in sessions
            for pid in members.get(s.group_id, [])
        ),
        batch_size=10000,
    )


def run(report: Any) -> None:
    from django.db import connection
    from django_tenants.utils import tenant_context

    from apps.core.demo import DemoSchool
    from apps.provision.models import GroupPlace, Intervention, InterventionSession
    from apps.pupils.demo import seed_pupils
    from apps.pupils.models import Pupil
    from apps.support import services
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.support import signed_in_client, token_client

    rng = random.Random(12)
    trust = Trust.objects.create(name="Bench Provision Trust")
    schools = {}
    staff: dict[str, Any] = {}
    for key, urn, roll in (("small", "199921", 300), ("full", "199922", 900)):
        school = school_provision(
            acting_user=None,
            trust=trust,
            name=f"Bench Provision {key}",
            urn=urn,
            subdomain=f"benchprovision{key}",
            phase="secondary",
            local_authority_name="Leeds",
            local_authority_code="383",
            number_on_roll=roll,
        )
        schools[key] = school
        for role in (SchoolRole.SENCO, SchoolRole.TEACHING_ASSISTANT):
            user = User.objects.create_user(
                email=f"bench.provision.{key}.{role}@example.test",
                password="bench-password-1",
                full_name=f"Bench {role}",
            )
            school_membership_set(acting_user=None, user=user, school=school, role=role)
            staff[f"{key}.{role}"] = user
    sizes = {"small": (30, 80), "full": (INTERVENTIONS, PLACES)}
    for key, school in schools.items():
        with tenant_context(school):
            seed_pupils(DemoSchool(school=school, staff={}), random.Random(7))
            pupils = list(Pupil.objects.on_roll().on_register())
            started = time.perf_counter()
            interventions = _catalogue(sizes[key][0], rng)
            _groups(
                interventions, pupils, sizes[key][1], staff[f"{key}.teaching_assistant"].pk, rng
            )
            report(
                f"{key}: interventions / places / sessions (built in {time.perf_counter() - started:.1f} s)",
                f"{Intervention.objects.count()}/{GroupPlace.objects.count()}/{InterventionSession.objects.count()}",
            )
        connection.set_schema_to_public()

    for key, school in schools.items():
        senco = signed_in_client(staff[f"{key}.senco"], school)
        api = token_client(staff[f"{key}.senco"], school)
        report(
            f"{key}: provision map page: queries",
            _queries(lambda senco=senco: senco.get("/provision/")),
        )
        connection.set_schema_to_public()
        report(
            f"{key}: GET /api/v1/provision-map/: queries",
            _queries(lambda api=api: api.get("/api/v1/provision-map/")),
        )
        connection.set_schema_to_public()
    school = schools["full"]
    senco = signed_in_client(staff["full.senco"], school)
    api = token_client(staff["full.senco"], school)
    report(
        "provision map page (150 interventions, 400 places)",
        _median_ms(lambda: senco.get("/provision/")),
        "ms",
        "< 150 ms",
    )
    connection.set_schema_to_public()
    report(
        "GET /api/v1/provision-map/",
        _median_ms(lambda: api.get("/api/v1/provision-map/")),
        "ms",
        "< 150 ms",
    )
    connection.set_schema_to_public()
    report(
        "GET /api/v1/provision-map/impact/",
        _median_ms(lambda: api.get("/api/v1/provision-map/impact/")),
        "ms",
    )
    connection.set_schema_to_public()

    # Recording a review that rolls a plan with 8 outcomes to its next version (service call,
    # acting as the SENCo, including the audit row).
    user = staff["full.senco"]
    times = []
    with tenant_context(school):
        pupils = list(Pupil.objects.on_roll().on_register()[: RUNS + 1])
        today = dt.date.today()
        for pupil in pupils:
            plan = services.plan_create(
                acting_user=None,
                pupil_id=pupil.pk,
                outcomes=[
                    {
                        "description": f"Outcome {n}",
                        "measure": "Probe",
                        "target_date": today + dt.timedelta(days=40),
                    }
                    for n in range(8)
                ],
                starts_on=today - dt.timedelta(days=30),
            )
            ratings = {
                o.pk: rng.choice(("not_met", "partly_met", "met")) for o in plan.outcomes.all()
            }
            started = time.perf_counter()
            services.review_record(
                acting_user=user, plan_id=plan.pk, held_on=today, ratings=ratings
            )
            times.append((time.perf_counter() - started) * 1000)
    connection.set_schema_to_public()
    report(
        "record a review rolling a plan with 8 outcomes",
        statistics.median(times[1:]),
        "ms",
        "< 100 ms",
    )
