"""Every support and provision page, opened by every role (200 allowed, 403 role refused, 404 a
pupil or group the person may not see); twin-row isolation; forms answer bad input on the field
and write nothing; what each role SEES."""

from __future__ import annotations

import pytest

from apps.audit.models import AuditEvent
from tests.support import in_school
from tests.support_plans.conftest import NO_ACCESS, SCHOOL_ROLES

READERS = {"senco_a": 200, "headteacher_a": 200, "trust_send_lead_a": 200}
FIGURES = {**READERS, "office_a": 200, "governor_a": 200}
PAGES = {
    "/support/": {**READERS, "teacher_a": 200, "teaching_assistant_a": 200},
    "/support/class/": {**READERS, "teacher_a": 200, "teaching_assistant_a": 200},
    "/support/pupils/{taught}/": {**READERS, "teacher_a": 200, "teaching_assistant_a": 404},
    "/support/pupils/{assisted}/": {**READERS, "teacher_a": 404, "teaching_assistant_a": 200},
    "/support/pupils/{taught}/plan/new/": {"senco_a": 200},
    "/support/pupils/{taught}/assessments/new/": {"senco_a": 200},
    "/support/pupils/{taught}/observations/new/": {
        "senco_a": 200,
        "teacher_a": 200,
        "teaching_assistant_a": 404,
    },
    "/support/plans/{plan}/edit/": {"senco_a": 200},
    "/support/plans/{plan}/review/": {"senco_a": 200},
    "/support/plans/{plan}/plan.pdf": {"senco_a": 200, "headteacher_a": 200},
    "/provision/": FIGURES,
    "/provision/provision-map.xlsx": {"senco_a": 200, "headteacher_a": 200},
    "/provision/impact/": FIGURES,
    "/provision/settings/": {"senco_a": 200, "headteacher_a": 200},
    "/provision/interventions/": {**FIGURES, "teacher_a": 200, "teaching_assistant_a": 200},
    "/provision/interventions/new/": {"senco_a": 200},
    "/provision/interventions/{lexia}/edit/": {"senco_a": 200},
    "/provision/groups/": {**READERS, "teacher_a": 200, "teaching_assistant_a": 200},
    "/provision/groups/new/": {"senco_a": 200},
    "/provision/groups/{group}/": {**READERS, "teacher_a": 404, "teaching_assistant_a": 200},
    "/provision/groups/{group}/edit/": {"senco_a": 200},
    "/school/terms/": {**READERS, "office_a": 200, "teacher_a": 200, "teaching_assistant_a": 200},
}


def _url(page: str, sp) -> str:
    return page.format(
        taught=sp["taught"].pk,
        assisted=sp["assisted"].pk,
        plan=sp["plans"]["taught"].pk,
        lexia=sp["lexia"].pk,
        group=sp["group"].pk,
    )


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("role", SCHOOL_ROLES + NO_ACCESS)
def test_every_page_for_every_role(client_for, people, school_a, sp, page, role):
    expected = PAGES[page].get(role, 403)
    response = client_for(people[role], school_a).get(_url(page, sp))
    assert response.status_code == expected, (role, page, response.status_code)


def test_what_each_role_sees_on_the_plan_list(client_for, people, school_a, sp):
    names = {"Taughtson", "Assistwell", "Otherby"}

    def seen(role: str) -> set[str]:
        body = client_for(people[role], school_a).get("/support/").content.decode()
        return {n for n in names if n in body}

    assert seen("senco_a") == names
    assert seen("headteacher_a") == names
    assert seen("trust_send_lead_a") == names
    assert seen("teacher_a") == {"Taughtson"}
    assert seen("teaching_assistant_a") == {"Assistwell"}


def test_office_and_governors_see_figures_but_no_pupils_on_the_map(
    client_for, people, school_a, sp
):
    senco = client_for(people["senco_a"], school_a).get("/provision/").content.decode()
    assert "Taughtson" in senco and "Otherby" in senco
    for role in ("office_a", "governor_a"):
        body = client_for(people[role], school_a).get("/provision/").content.decode()
        assert "Allocated this year" in body
        assert "Taughtson" not in body and "Otherby" not in body


def test_the_teachers_class_page_lists_strategies_and_outcomes_of_their_pupils(
    client_for, people, school_a, sp
):
    body = client_for(people["teacher_a"], school_a).get("/support/class/").content.decode()
    assert "Taughtson" in body and "Otherby" not in body and "Assistwell" not in body
    assert "Pre-teach key vocabulary" in body  # the plan's strategies
    assert "Reads 10 high-frequency words fluently" in body  # a current outcome


def test_the_ta_sees_and_logs_only_groups_they_run(client_for, people, school_a, sp):
    ta = client_for(people["teaching_assistant_a"], school_a)
    assert "Lexia Core5 group" in ta.get("/provision/groups/").content.decode()
    teacher = client_for(people["teacher_a"], school_a)
    assert "Lexia Core5 group" not in teacher.get("/provision/groups/").content.decode()


def test_reading_a_pupils_support_page_is_audited(client_for, people, school_a, sp):
    client_for(people["headteacher_a"], school_a).get(f"/support/pupils/{sp['taught'].pk}/")
    with in_school(school_a):
        event = AuditEvent.objects.filter(action="support.plan_viewed").get()
        assert event.pupil_id == sp["taught"].pk and event.user_id == people["headteacher_a"].pk


def test_plan_form_shows_a_missing_measure_on_its_field_and_writes_nothing(
    client_for, people, school_a, sp
):
    from apps.support.models import SupportPlan

    client = client_for(people["senco_a"], school_a)
    with in_school(school_a):
        before = SupportPlan.objects.count()
    # A pupil on the register without a plan: write one with a bad outcome.
    with in_school(school_a):
        from tests.pupils.factories import make_pupil

        pupil = make_pupil(provision="K", primary_need="MLD")
    response = client.post(
        f"/support/pupils/{pupil.pk}/plan/new/",
        {"outcome_0_description": "Count to 20", "outcome_0_target_date": "2030-01-01"},
    )
    assert response.status_code == 200
    assert "Outcome 1: say how it will be measured." in response.content.decode()
    with in_school(school_a):
        assert SupportPlan.objects.count() == before


def test_the_review_page_rolls_the_plan_to_its_next_version(client_for, people, school_a, sp):
    from apps.support.models import SupportPlan

    plan = sp["plans"]["taught"]
    with in_school(school_a):
        outcome_ids = list(plan.outcomes.values_list("pk", flat=True))
    client = client_for(people["senco_a"], school_a)
    incomplete = client.post(
        f"/support/plans/{plan.pk}/review/",
        {"held_on": "2020-01-01", f"rating_{outcome_ids[0]}": "met"},
    )
    assert incomplete.status_code == 200
    assert "Rate this outcome" in incomplete.content.decode()
    from django.utils import timezone

    response = client.post(
        f"/support/plans/{plan.pk}/review/",
        {
            "held_on": timezone.localdate().isoformat(),
            f"rating_{outcome_ids[0]}": "met",
            f"rating_{outcome_ids[1]}": "not_met",
            "attendees": "Mum, class teacher",
        },
    )
    assert response.status_code == 302
    with in_school(school_a):
        versions = list(
            SupportPlan.objects.filter(pupil=sp["taught"])
            .order_by("version")
            .values_list("version", "status")
        )
    assert versions == [(1, "superseded"), (2, "current")]
    page = client.get(f"/support/pupils/{sp['taught'].pk}/").content.decode()
    assert 'data-testid="plan-version-1"' in page and 'data-testid="plan-version-2"' in page


def test_the_parent_pdf_is_a_pdf_and_audited(client_for, people, school_a, sp):
    response = client_for(people["senco_a"], school_a).get(
        f"/support/plans/{sp['plans']['taught'].pk}/plan.pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    with in_school(school_a):
        assert AuditEvent.objects.filter(
            action="support.plan_downloaded", pupil=sp["taught"]
        ).exists()


def test_the_excel_map_holds_every_pupils_provision(client_for, people, school_a, sp):
    import io

    from openpyxl import load_workbook

    response = client_for(people["senco_a"], school_a).get("/provision/provision-map.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Provision map"].iter_rows(values_only=True))
    assert rows[0][0] == "Pupil"
    assert {"Tilly Taughtson", "Otto Otherby"} <= {r[0] for r in rows[1:]}
    assert {"Impact", "Totals"} <= set(book.sheetnames)


@pytest.mark.parametrize(
    "path",
    [
        "/support/pupils/{pupil}/",
        "/support/pupils/{pupil}/plan/new/",
        "/support/pupils/{pupil}/assessments/new/",
        "/support/plans/{plan}/edit/",
        "/support/plans/{plan}/review/",
        "/support/plans/{plan}/plan.pdf",
        "/provision/groups/{group}/",
        "/provision/groups/{group}/edit/",
        "/provision/interventions/{intervention}/edit/",
    ],
)
def test_pages_never_reach_another_schools_rows(
    client_for, people, school_a, school_b, twin_rows, path
):
    """School B's pupil, plan, group and intervention share ids with school A's; each school's
    SENCo sees only their own, by id."""
    from tests.pupils.factories import make_pupil
    from tests.support_plans.factories import make_group, make_intervention, make_plan

    pupils = twin_rows(
        lambda s: make_pupil(last_name=f"Twin{s.slug.title()}", provision="K", primary_need="MLD")
    )
    plans = twin_rows(
        lambda s: make_plan(
            make_pupil(provision="K", primary_need="MLD"), strategies=f"Strategy{s.slug.title()}"
        )
    )
    interventions = twin_rows(lambda s: make_intervention(name=f"Catalogue{s.slug.title()}"))
    groups = twin_rows(
        lambda s: make_group(
            interventions[0] if s == school_a else interventions[1],
            staff=[people["senco_a"] if s == school_a else people["senco_b"]],
            name=f"Group{s.slug.title()}",
        )
    )
    assert (
        pupils[0].pk == pupils[1].pk and plans[0].pk == plans[1].pk and groups[0].pk == groups[1].pk
    )
    url = path.format(
        pupil=pupils[0].pk, plan=plans[0].pk, group=groups[0].pk, intervention=interventions[0].pk
    )
    body_a = client_for(people["senco_a"], school_a).get(url).content
    body_b = client_for(people["senco_b"], school_b).get(url).content
    for marker in (b"TwinBeta", b"StrategyBeta", b"CatalogueBeta", b"GroupBeta"):
        assert marker not in body_a
    for marker in (b"TwinAlpha", b"StrategyAlpha", b"CatalogueAlpha", b"GroupAlpha"):
        assert marker not in body_b
    assert client_for(people["senco_b"], school_a).get(url).status_code == 403
