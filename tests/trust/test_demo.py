"""The demo trust's console: Helen Carter's shared arrangement fails one check, and says why."""

from __future__ import annotations

from django.core.management import call_command

from apps.trust.models import (
    LibraryItem,
    RollupRun,
    RollupSnapshot,
    SencoQualification,
    SharedSencoArrangement,
)
from apps.trust.selectors import arrangement_checks
from tenants.models import Trust


def test_the_demo_shared_senco_fails_the_time_check_and_the_console_has_figures(
    harness, db, client_for
):
    call_command("seed_demo")
    trust = Trust.objects.get(name="Northbrook Learning Trust")
    arrangement = SharedSencoArrangement.objects.get(trust=trust)
    assert arrangement.senco.full_name == "Helen Carter"
    assert {t.school.slug for t in arrangement.school_times.select_related("school")} == {
        "oakfield",
        "birchwood",
        "cedar",
    }
    checks = arrangement_checks(arrangement)
    failed = [c for c in checks if c.failed]
    assert [c.key for c in failed] == ["time_roll"]
    assert failed[0].reason.startswith(
        "Helen Carter has 13 hours a week across 382 pupils on roll in 3 schools"
    )
    assert SencoQualification.objects.filter(trust=trust).count() == 2
    assert LibraryItem.objects.filter(trust=trust).exists()
    assert RollupRun.objects.filter(school__trust=trust, status="ok").count() == 4
    assert RollupSnapshot.objects.filter(school__trust=trust).values("term").distinct().count() == 4
    admin = trust.memberships.get(role="trust_admin").user
    page = client_for(admin).get("/").content.decode()
    assert "Helen Carter's shared arrangement" in page and "2.0 minutes a week per pupil" in page
