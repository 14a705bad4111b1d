"""The demo trust: four schools, a shared SENCo, staff in every school, idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from apps.core.demo import DEMO_PASSWORD
from tenants.models import School, SchoolMembership, Trust, TrustMembership
from tests.support import host_for, sign_in_two_steps


def test_seed_demo_builds_northbrook_once(harness, db):
    call_command("seed_demo", "--if-empty")  # the harness schools exist: --if-empty does nothing
    assert not Trust.objects.filter(name="Northbrook Learning Trust").exists()

    call_command("seed_demo")
    trust = Trust.objects.get(name="Northbrook Learning Trust")
    schools = {s.slug: s for s in School.objects.filter(trust=trust)}
    assert set(schools) == {"oakfield", "birchwood", "cedar", "riverside"}
    assert schools["riverside"].phase == "secondary" and schools["oakfield"].phase == "primary"

    shared = SchoolMembership.objects.filter(user__email="senco@northbrook.example", role="senco")
    assert {m.school.slug for m in shared} == {"oakfield", "birchwood", "cedar"}
    assert (
        SchoolMembership.objects.get(user__email="senco.riverside@northbrook.example").school.slug
        == "riverside"
    )
    for slug in schools:
        roles = set(
            SchoolMembership.objects.filter(school=schools[slug]).values_list("role", flat=True)
        )
        assert {"senco", "headteacher", "teacher", "teaching_assistant"} <= roles
    trust_roles = dict(
        TrustMembership.objects.filter(trust=trust).values_list("user__email", "role")
    )
    assert trust_roles["trust.admin@northbrook.example"] == "trust_admin"
    assert trust_roles["send.lead@northbrook.example"] == "send_lead"

    # Demo users sign in with the documented password on their school's host.
    client = Client(HTTP_HOST=host_for(schools["oakfield"]))
    # The SENCo's demo authenticator has the documented demo key (README "The demo").
    sign_in_two_steps(client, "senco@northbrook.example", DEMO_PASSWORD)
    home = client.get("/")
    assert home.status_code == 200 and b"Oakfield Primary School" in home.content

    call_command("seed_demo")  # a second run changes nothing
    assert School.objects.filter(trust=trust).count() == 4
