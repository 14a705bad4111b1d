"""Support and provision through the shared plug-in points: transfers (register_transfer_part),
the subject access export's model-graph walk, rollups for the trust dashboard (aggregates only,
suppressed below five), the practice library (publish with pooled impact, adopt in one step),
the home panel and worklist, and the demo seeders."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import zipfile
from decimal import Decimal

import pytest

from apps.provision.models import GroupPlace, Intervention
from apps.support import services
from apps.support.models import Assessment, Observation, Outcome, Review, SupportPlan
from tenants.models import User
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.support import in_school
from tests.support_plans.factories import TODAY, make_group


@pytest.fixture
def sister_school(trust_a, db):
    from tenants.services import school_provision

    return school_provision(
        acting_user=None,
        trust=trust_a,
        name="Alpha Secondary",
        urn="100011",
        subdomain="alpha-sec",
        phase="secondary",
        local_authority_name="Kirklees",
        local_authority_code="382",
        number_on_roll=900,
    )


@pytest.fixture
def reviewed_pupil(school_a, people, sp):
    """sp's taught pupil with version 1 reviewed into version 2, and an observation."""
    with in_school(school_a):
        plan = sp["plans"]["taught"]
        outcomes = list(plan.outcomes.all())
        services.review_record(
            acting_user=None,
            plan_id=plan.pk,
            held_on=TODAY,
            ratings={outcomes[0].pk: "met", outcomes[1].pk: "not_met"},
            attendees="Mum and the class teacher",
        )
        services.observation_add(
            acting_user=people["teacher_a"], pupil_id=sp["taught"].pk, text="Used the word mat"
        )
    return sp["taught"]


def test_plans_reviews_assessments_and_provision_travel_on_a_transfer(
    people, school_a, sister_school, reviewed_pupil, sp
):
    from apps.trust.services import transfer_accept, transfer_start

    receiving = User.objects.create_user(
        email="rx@example.test", password="x" * 12, full_name="Rx Senco"
    )
    school_membership_set(
        acting_user=None, user=receiving, school=sister_school, role=SchoolRole.SENCO
    )
    transfer = transfer_start(
        acting_user=people["senco_a"],
        from_school=school_a,
        to_school=sister_school,
        source_pupil_id=reviewed_pupil.pk,
    )
    transfer_accept(acting_user=receiving, transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.parts_copied["support_plans"] >= 3
    with in_school(sister_school):
        plans = list(SupportPlan.objects.order_by("version"))
        assert [(p.version, p.status) for p in plans] == [(1, "superseded"), (2, "current")]
        assert plans[1].previous_id == plans[0].pk
        assert sorted(plans[0].outcomes.values_list("rating", flat=True)) == ["met", "not_met"]
        carried = plans[1].outcomes.get()
        assert carried.carried_from.plan_id == plans[0].pk
        review = Review.objects.get()
        assert (review.plan_id, review.next_plan_id, review.attendees) == (
            plans[0].pk,
            plans[1].pk,
            "Mum and the class teacher",
        )
        assert "Provision at the previous school: Lexia Core5" in plans[1].strategies
        assert Assessment.objects.get().measure == "Salford reading age"
        assert Observation.objects.get().plan_id == plans[1].pk


def test_the_subject_access_export_finds_support_and_provision_records(
    people, school_a, reviewed_pupil, sp
):
    from apps.exchange import exports
    from apps.provision import services as provision_services

    with in_school(school_a):
        provision_services.session_log(
            acting_user=None,
            group_id=sp["group"].pk,
            held_on=TODAY - dt.timedelta(days=1),
            starts_at=dt.time(9, 0),
            attendance={reviewed_pupil.pk: True},
            run_by_user_id=people["teaching_assistant_a"].pk,
        )
        file = exports.subject_access_export(acting_user=people["senco_a"], pupil=reviewed_pupil)
    record = json.loads(zipfile.ZipFile(io.BytesIO(file.data)).read("record.json"))
    sections = record["records"]
    for key in (
        "support.supportplan",
        "support.review",
        "support.assessment",
        "support.observation",
        "provision.groupplace",
        "provision.sessionattendance",
    ):
        assert key in sections, key
    plan_rows = sections["support.supportplan"]["rows"]
    assert {r["version"] for r in plan_rows} == {1, 2}
    assert any("support.outcome" in r.get("linked_records", {}) for r in plan_rows)
    assert "Otherby" not in json.dumps(record)  # another pupil's record is not in it


def test_rollups_give_the_trust_cost_and_impact_figures_only(people, school_a, sp):
    from apps.provision.rollups import provision_figures

    with in_school(school_a):
        # Five pupils finish Lexia with exit measures: the impact figures can then be shown.
        from tests.pupils.factories import make_pupil

        finishers = [make_pupil(provision="K", primary_need="SPLD") for _ in range(5)]
        group = make_group(
            sp["lexia"], staff=[people["teaching_assistant_a"]], pupils=finishers[:4]
        )
        group2 = make_group(
            sp["lexia"], staff=[people["teaching_assistant_a"]], pupils=finishers[4:], name="second"
        )
        for place in GroupPlace.objects.filter(group__in=[group, group2]):
            place.entry_value, place.exit_value, place.completed = Decimal(80), Decimal(86), True
            place.left_on = TODAY - dt.timedelta(days=1)
            place.save()
        figures = {(f.metric, f.category): f.value for f in provision_figures(school_a, TODAY)}
    assert figures[("provision_pupils", "")] == 2  # taught and other are in the running group
    assert figures[("provision_cost_total", "")] == pytest.approx(345.0)
    assert figures[("intervention_finished", "Lexia Core5")] == 5
    assert figures[("intervention_average_change", "Lexia Core5")] == pytest.approx(6.0)
    assert figures[("intervention_cost_per_progress", "Lexia Core5")] == pytest.approx(28.75)
    assert all(isinstance(v, float | int) for v in figures.values())

    from apps.trust.rollups import display_value, metric_specs

    specs = metric_specs()
    assert (
        specs["intervention_finished"].group == "Impact"
        and specs["provision_cost_total"].group == "Cost"
    )
    assert display_value(3, specs["intervention_finished"]) == "fewer than 5"
    assert display_value(6.0, specs["intervention_average_change"], guard=3) == "suppressed"


def test_the_dashboard_no_longer_promises_cost_and_impact_figures(client_for, people, school_a, sp):
    from apps.trust.rollups import refresh_school

    with in_school(school_a):
        refresh_school(school_a)
    body = client_for(people["trust_send_lead_a"]).get("/dashboard/").content.decode()
    assert 'data-testid="coming-groups"' not in body
    assert "Allocated provision cost a year" in body
    assert "Taughtson" not in body


def test_an_intervention_is_published_with_pooled_impact_and_adopted_in_one_step(
    people, trust_a, school_a, sister_school, sp
):
    from apps.trust.services import library_adopt, library_publish

    item = library_publish(
        acting_user=people["senco_a"],  # the school's SENCo shares it (the school's host)
        trust=trust_a,
        school=school_a,
        item_type_key="intervention",
        source_ref=str(sp["lexia"].pk),
    )
    assert item.title == "Lexia Core5" and "Fewer than 5 pupils" in item.summary
    assert "Group size: 4" in item.body and "Training needed: Lexia training" in item.body
    adoption = library_adopt(
        acting_user=people["trust_send_lead_a"], item=item, school=sister_school
    )
    with in_school(sister_school):
        copy = Intervention.objects.get(pk=int(adoption.local_ref))
        assert (copy.name, copy.group_size, copy.sessions_per_week, copy.session_minutes) == (
            "Lexia Core5",
            4,
            3,
            20,
        )
        assert (copy.hourly_staff_cost, copy.resource_cost, copy.required_training) == (
            Decimal("15.00"),
            Decimal("30.00"),
            "Lexia training",
        )
        assert copy.library_item_id == item.pk
    from apps.provision.library import usage

    with in_school(school_a):
        assert usage([item]) == {item.pk: 2}  # the original's groups count in the source school


def test_home_panel_and_worklist_show_reviews_due(client_for, people, school_a, sp):
    with in_school(school_a):
        SupportPlan.objects.filter(pk=sp["plans"]["taught"].pk).update(
            review_due=TODAY - dt.timedelta(days=2)
        )
        SupportPlan.objects.filter(pk=sp["plans"]["other"].pk).update(
            review_due=TODAY + dt.timedelta(days=5)
        )
    body = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert (
        'data-testid="home-reviews"' in body and "1 overdue · 1 due in the next two weeks" in body
    )
    assert "Taughtson" in body
    governor = client_for(people["governor_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-review-figures"' in governor and "Taughtson" not in governor
    from apps.core.extensions import WORKLIST, WorklistContext

    with in_school(school_a):
        from tenants.access import school_access_for

        ctx = WorklistContext(
            school=school_a,
            user=people["senco_a"],
            access=school_access_for(people["senco_a"], school_a),
            today=TODAY,
        )
        items = [item for provider in WORKLIST for item in provider(ctx)]
    assert {(i.label, i.count) for i in items} >= {
        ("Support plan reviews overdue", 1),
        ("Support plan reviews due in two weeks", 1),
    }


def test_pupil_page_links_to_the_support_plan(client_for, people, school_a, sp):
    body = (
        client_for(people["teacher_a"], school_a)
        .get(f"/pupils/{sp['taught'].pk}/")
        .content.decode()
    )
    assert f"/support/pupils/{sp['taught'].pk}/" in body


def test_demo_seeders_make_plans_with_versions_and_a_term_of_sessions(people, school_a):
    from apps.core.demo import DemoSchool
    from apps.provision.demo import seed_provision
    from apps.provision.models import InterventionSession
    from apps.pupils.demo import seed_pupils
    from apps.support.demo import seed_support

    staff = {
        "senco": people["senco_a"],
        "teacher": people["teacher_a"],
        "teaching_assistant": people["teaching_assistant_a"],
    }
    with in_school(school_a):
        demo = DemoSchool(school=school_a, staff=staff)
        seed_pupils(demo, random.Random(3))
        seed_provision(demo, random.Random(3))
        seed_support(demo, random.Random(3))
        assert Intervention.objects.count() == 15
        assert InterventionSession.objects.count() > 100
        versions = set(
            SupportPlan.objects.filter(status="current").values_list("version", flat=True)
        )
        assert versions <= {2, 3} and 3 in versions
        assert Review.objects.count() == SupportPlan.objects.filter(status="superseded").count()
        assert Outcome.objects.exclude(rating="").exists()
        from apps.provision.selectors import impact

        assert any(row.impact.finished >= 5 for row in impact())
