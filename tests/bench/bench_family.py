"""The people around the pupil at scale: a 1,500-pupil school with 3,000 parent contacts, 2,000
meetings and 600 referrals. Prints the query counts of the SENCo's home page (with the
"parents met fewer than three times" panel) and /api/v1/referrals/, before and after 50% more
rows (constant), and their median server time (target < 100 ms)."""

from __future__ import annotations

import datetime as dt
import random

from tests.bench.bench_pupils import _median_ms, _queries

PUPILS = 1500
CONTACTS = 3000
MEETINGS = 2000
REFERRALS = 600


def _fill(pupils: list, agencies: list, rng: random.Random, scale: float, today: dt.date) -> None:
    from apps.agencies.models import Referral
    from apps.family.models import AgreedAction, Contact, Meeting

    Contact.objects.bulk_create(
        Contact(
            pupil=pupils[i % len(pupils)],
            name=f"Parent {i}",
            relationship="mother" if i % 2 else "father",
            parental_responsibility=True,
            phone="07700 900000",
            priority=1 + i % 2,
        )
        for i in range(int(CONTACTS * scale))
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            pupil=rng.choice(pupils),
            kind="sen_support_review",
            held_on=today - dt.timedelta(days=rng.randrange(1, 300)),
            attendees="Parent; SENCo",
            parents_views="Pleased",
        )
        for _ in range(int(MEETINGS * scale))
    )
    AgreedAction.objects.bulk_create(
        AgreedAction(meeting=m, what="Follow up", owner_name="SENCo", due_on=m.held_on)
        for m in meetings[::3]
    )
    Referral.objects.bulk_create(
        Referral(
            pupil=rng.choice(pupils),
            agency=rng.choice(agencies),
            reason="Advice needed",
            status=rng.choice(["draft", "sent", "accepted", "appointment", "report_received"]),
            drafted_on=today - dt.timedelta(days=200),
            sent_on=today - dt.timedelta(days=rng.randrange(10, 190)),
        )
        for _ in range(int(REFERRALS * scale))
    )


def run(report) -> None:
    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from apps.agencies import services as agencies
    from apps.agencies.models import AgencyKind
    from apps.core.demo import DemoSchool
    from apps.pupils.demo import seed_pupils
    from apps.pupils.models import Pupil
    from tenants.models import Trust, User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set, school_provision
    from tests.support import signed_in_client, token_client

    trust = Trust.objects.create(name="Bench Family Trust")
    school = school_provision(
        acting_user=None,
        trust=trust,
        name="Bench Family Academy",
        urn="199914",
        subdomain="benchfamily",
        phase="secondary",
        local_authority_name="Leeds",
        local_authority_code="383",
        number_on_roll=PUPILS,
    )
    senco = User.objects.create_user(
        email="bench.family.senco@example.test", password="bench-password-1", full_name="Bench"
    )
    school_membership_set(acting_user=None, user=senco, school=school, role=SchoolRole.SENCO)
    rng = random.Random(14)
    today = timezone.localdate()
    with tenant_context(school):
        seed_pupils(DemoSchool(school=school, staff={"senco": senco}), random.Random(1500))
        pupils = list(Pupil.objects.all())
        kinds = list(AgencyKind.values)
        agency_rows = [
            agencies.agency_add(acting_user=None, kind=kinds[i % len(kinds)], name=f"Agency {i}")
            for i in range(24)
        ]
        _fill(pupils, agency_rows, rng, 1.0, today)
        report(
            "pupils / contacts / meetings / referrals",
            f"{len(pupils)}/{CONTACTS}/{MEETINGS}/{REFERRALS}",
        )
    connection.set_schema_to_public()

    home = signed_in_client(senco, school)
    api = token_client(senco, school)
    cases = [
        ("SENCo home page", lambda: home.get("/")),
        ("GET /api/v1/referrals/ (page of 50)", lambda: api.get("/api/v1/referrals/")),
        ("parents page (met fewer than 3 times)", lambda: home.get("/family/")),
    ]
    before = {}
    for label, fn in cases:
        fn()  # warm the routing cache, so both counts are of a warm request
        connection.set_schema_to_public()
        before[label] = _queries(fn)
        connection.set_schema_to_public()
    with tenant_context(school):
        _fill(pupils, agency_rows, rng, 0.5, today)
    connection.set_schema_to_public()
    for label, fn in cases:
        after = _queries(fn)
        connection.set_schema_to_public()
        report(
            f"{label}: queries (then with 50% more rows)",
            f"{before[label]} -> {after}",
            target="constant",
        )
    for label, fn in cases:
        report(f"{label}: median server time", _median_ms(fn), "ms", "< 100 ms")
        connection.set_schema_to_public()
