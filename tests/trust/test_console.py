"""Trust console pages: who may open what, onboarding, status changes, drill-down audit, and
isolation between trusts."""

from __future__ import annotations

import pytest
from django.core import mail

from apps.trust.models import TrustAuditEvent
from tests.support import in_school

PAGES = [
    ("/dashboard/", {"trust_admin", "send_lead", "viewer"}),
    ("/dashboard/figures.csv", {"trust_admin", "send_lead", "viewer"}),
    ("/dashboard/trends/provision/", {"trust_admin", "send_lead", "viewer"}),
    ("/schools/", {"trust_admin", "send_lead", "viewer"}),
    ("/schools/new/", {"trust_admin"}),
    ("/people/", {"trust_admin"}),
    ("/audit/", {"trust_admin"}),
    ("/settings/", {"trust_admin"}),
    ("/shared-sencos/", {"trust_admin", "send_lead"}),
    ("/shared-sencos/new/", {"trust_admin", "send_lead"}),
    ("/qualifications/", {"trust_admin", "send_lead"}),
    ("/library/", {"trust_admin", "send_lead", "viewer"}),
    ("/library/publish/", {"trust_admin", "send_lead"}),
    ("/transfers/", {"trust_admin", "send_lead"}),
]


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_each_page_admits_only_its_trust_roles(people, client_for, path, allowed):
    for role in ("trust_admin", "send_lead", "finance", "viewer"):
        response = client_for(people[f"trust_{role}_a"]).get(path)
        assert response.status_code == (200 if role in allowed else 403), (path, role)
    for outsider in ("senco_a", "outsider"):
        assert client_for(people[outsider]).get(path).status_code == 403
    assert client_for(None).get(path).status_code == 302  # signed out: sign-in page


def test_another_trusts_admin_sees_none_of_trust_a(people, client_for, school_a):
    body = client_for(people["trust_admin_b"]).get("/schools/").content.decode()
    assert "Beta Primary" in body and school_a.name not in body
    dashboard = client_for(people["trust_admin_b"]).get("/dashboard/").content.decode()
    assert school_a.name not in dashboard
    people_page = client_for(people["trust_admin_b"]).get("/people/").content.decode()
    assert "senco_a@example.test" not in people_page


def test_status_changes_refuse_another_trusts_school(people, client_for, school_b):
    response = client_for(people["trust_trust_admin_a"]).post(
        f"/schools/{school_b.pk}/status/", {"action": "suspend"}
    )
    assert response.status_code == 404
    school_b.refresh_from_db()
    assert school_b.status == "active"


def test_suspend_archive_and_reactivate_are_audited(people, client_for, school_a, trust_a):
    client = client_for(people["trust_trust_admin_a"])
    for action, status in (
        ("suspend", "suspended"),
        ("reactivate", "active"),
        ("archive", "archived"),
        ("reactivate", "active"),
    ):
        assert client.post(f"/schools/{school_a.pk}/status/", {"action": action}).status_code == 302
        school_a.refresh_from_db()
        assert school_a.status == status
    actions = list(TrustAuditEvent.objects.filter(trust=trust_a).values_list("action", flat=True))
    assert actions[:4] == [
        "school_reactivate",
        "school_archive",
        "school_reactivate",
        "school_suspend",
    ]
    assert (
        client_for(people["trust_viewer_a"])
        .post(f"/schools/{school_a.pk}/status/", {"action": "suspend"})
        .status_code
        == 403
    )


def test_onboarding_provisions_the_school_and_invites_its_senco_and_headteacher(
    people, client_for, trust_a, django_capture_on_commit_callbacks
):
    from tenants.models import Invitation, School

    data = {
        "name": "Elm Primary",
        "urn": "148299",
        "subdomain": "elm",
        "phase": "primary",
        "local_authority_name": "Kirklees",
        "local_authority_code": "382",
        "number_on_roll": "150",
        "senco_name": "Ruth Bell",
        "senco_email": "ruth@elm.example",
        "headteacher_name": "Omar Hale",
        "headteacher_email": "omar@elm.example",
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_for(people["trust_trust_admin_a"]).post("/schools/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    school = School.objects.get(urn="148299")
    assert school.trust == trust_a and school.schema_name == "elm"
    invites = {i.email: i.school_role for i in Invitation.objects.filter(school=school)}
    assert invites == {"ruth@elm.example": "senco", "omar@elm.example": "headteacher"}
    assert callbacks  # the emails are queued after commit (one-time links made by the task)
    assert TrustAuditEvent.objects.filter(
        trust=trust_a, action="school_onboarded", school=school
    ).exists()


def test_onboarding_with_bad_input_shows_errors_and_creates_nothing(people, client_for):
    from tenants.models import Invitation, School

    data = {
        "name": "Elm Primary",
        "urn": "12",
        "subdomain": "alpha",
        "phase": "primary",
        "local_authority_name": "Kirklees",
        "local_authority_code": "382",
        "number_on_roll": "150",
        "senco_name": "Ruth Bell",
        "senco_email": "ruth@elm.example",
        "headteacher_name": "Omar Hale",
        "headteacher_email": "ruth@elm.example",
    }
    response = client_for(people["trust_trust_admin_a"]).post("/schools/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "must not be the headteacher" in body
    data["headteacher_email"] = "omar@elm.example"
    body = client_for(people["trust_trust_admin_a"]).post("/schools/new/", data).content.decode()
    assert "A DfE URN is exactly 6 digits." in body and "already taken" in body
    assert not School.objects.filter(name="Elm Primary").exists()
    assert not Invitation.objects.filter(email="ruth@elm.example").exists()
    assert not mail.outbox


def test_send_lead_drill_down_is_recorded_in_the_schools_audit_log(
    people, client_for, school_a, trust_a
):
    from apps.audit.models import AuditEvent

    response = client_for(people["trust_send_lead_a"]).post(f"/schools/{school_a.pk}/open/")
    assert response.status_code == 302
    assert f"://{school_a.slug}." in response["Location"] and "/auth/hop/" in response["Location"]
    hop_path = "/auth/hop/" + response["Location"].split("/auth/hop/", 1)[1]
    landed = client_for(None, school_a).get(hop_path)
    assert landed.status_code == 302 and landed["Location"] == "/pupils/"
    with in_school(school_a):
        event = AuditEvent.objects.filter(action="trust_drill_down").get()
    assert event.user_id == people["trust_send_lead_a"].pk
    assert TrustAuditEvent.objects.filter(
        trust=trust_a, action="drill_down", school=school_a
    ).exists()


def test_only_the_send_lead_drills_down_and_only_into_their_trust(
    people, client_for, school_a, school_b
):
    assert (
        client_for(people["trust_trust_admin_a"]).post(f"/schools/{school_a.pk}/open/").status_code
        == 403
    )
    assert (
        client_for(people["trust_viewer_a"]).post(f"/schools/{school_a.pk}/open/").status_code
        == 403
    )
    assert (
        client_for(people["trust_send_lead_a"]).post(f"/schools/{school_b.pk}/open/").status_code
        == 404
    )


def test_people_page_lists_roles_in_every_school(people, client_for):
    body = client_for(people["trust_trust_admin_a"]).get("/people/").content.decode()
    assert "Senco A" in body and "SENCo at Alpha Primary" in body and "Trust SEND lead" in body


def test_settings_validate_and_save(people, client_for, trust_a):
    client = client_for(people["trust_trust_admin_a"])
    bad = client.post(
        "/settings/",
        {
            "significant_teaching_hours": "x",
            "min_minutes_per_pupil_on_roll": "5",
            "min_minutes_per_pupil_on_register": "30",
            "review_interval_months": "12",
        },
    )
    assert bad.status_code == 200 and "govuk-error-message" in bad.content.decode()
    ok = client.post(
        "/settings/",
        {
            "significant_teaching_hours": "7",
            "min_minutes_per_pupil_on_roll": "4",
            "min_minutes_per_pupil_on_register": "20",
            "review_interval_months": "12",
        },
    )
    assert ok.status_code == 302
    assert float(trust_a.console_settings.significant_teaching_hours) == 7


def test_the_dashboard_shows_new_figures_as_soon_as_a_school_refreshes(
    people, client_for, school_a, pupils_in
):
    from apps.trust.rollups import refresh_school

    client = client_for(people["trust_viewer_a"])
    assert "No school has calculated its figures yet." in client.get("/dashboard/").content.decode()
    pupils_in(school_a, [("K", "SPLD", "3")] * 6)
    with in_school(school_a):
        refresh_school(school_a)
    first = client.get("/dashboard/").content.decode()
    assert "SEN support" in first and ">6<" in first and "the oldest were calculated" in first
    pupils_in(school_a, [("K", "SPLD", "3")] * 5)
    with in_school(school_a):
        refresh_school(school_a)
    assert ">11<" in client.get("/dashboard/").content.decode()


def test_dashboard_csv_has_suppressed_figures_and_is_audited(
    people, client_for, school_a, trust_a, pupils_in
):
    from apps.trust.rollups import refresh_school

    pupils_in(school_a, [("K", "SPLD", "3")] * 6 + [("E", "ASD", "3")] * 2)
    with in_school(school_a):
        refresh_school(school_a)
    response = client_for(people["trust_viewer_a"]).get("/dashboard/figures.csv")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Pupils on the SEN register by provision,EHC plan,Alpha Primary,fewer than 5" in text
    # 6 is shown: the register total of 8, which would give the 2 away, is hidden on the trend
    # page instead.
    assert "Pupils on the SEN register by provision,SEN support,Alpha Primary,6" in text
    trend = client_for(people["trust_viewer_a"]).get("/dashboard/trends/provision/")
    row = trend.content.decode().split("Alpha Primary</th>")[1].split("</tr>")[0]
    assert "suppressed" in row and ">8<" not in row
    assert TrustAuditEvent.objects.filter(trust=trust_a, action="dashboard_exported").exists()


def test_on_demand_refresh_queues_the_trusts_fan_out(
    people, client_for, trust_a, school_a, django_capture_on_commit_callbacks, monkeypatch
):
    from apps.trust import tasks

    sent = []
    monkeypatch.setattr(
        tasks.refresh_trust_rollups,
        "apply_async",
        lambda args, headers: sent.append((args, headers)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people["trust_send_lead_a"]).post("/dashboard/refresh/")
    assert response.status_code == 302
    assert sent == [([trust_a.pk], {"_schema_name": "public"})]
    assert client_for(people["trust_viewer_a"]).post("/dashboard/refresh/").status_code == 403


def test_the_refresh_warms_the_dashboard_once_for_all_schools(
    people, client_for, trust_a, school_a, sister_school, pupils_in, monkeypatch
):
    from django.core.cache import cache

    from apps.trust import selectors, tasks
    from apps.trust.rollups import refresh_school

    cache.delete(f"trust-dashboard-warm:{trust_a.pk}")
    booked = []
    monkeypatch.setattr(
        tasks.warm_trust_dashboard,
        "apply_async",
        lambda args, countdown, headers: booked.append(args),
    )
    pupils_in(school_a, [("K", "SPLD", "3")] * 6)
    for school in (school_a, sister_school):
        with in_school(school):
            refresh_school(school)
            tasks._schedule_warm(trust_a.pk)
    assert booked == [[trust_a.pk]]  # one warm-up for the whole fan-out
    assert tasks.warm_trust_dashboard(trust_a.pk) is True

    def not_again(trust):
        raise AssertionError("the dashboard was rendered again")

    monkeypatch.setattr(selectors, "dashboard", not_again)
    page = client_for(people["trust_viewer_a"]).get("/dashboard/").content.decode()
    assert "Alpha Secondary" in page and ">6<" in page and "/dashboard/trends/provision/" in page


def test_trust_admin_invites_a_trust_user(
    people, client_for, trust_a, django_capture_on_commit_callbacks
):
    from tenants.models import Invitation

    client = client_for(people["trust_trust_admin_a"])
    bad = client.post(
        "/people/",
        {"full_name": "Dana", "email": "trust_viewer_a@example.test", "trust_role": "viewer"},
    )
    assert bad.status_code == 200 and "already has a role in the trust" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ok = client.post(
            "/people/",
            {"full_name": "Dana Hart", "email": "dana@example.test", "trust_role": "send_lead"},
        )
    assert ok.status_code == 302 and callbacks
    invitation = Invitation.objects.get(email="dana@example.test")
    assert invitation.trust == trust_a and invitation.trust_role == "send_lead"
    assert "Dana Hart" in client.get("/people/").content.decode()
    assert TrustAuditEvent.objects.filter(trust=trust_a, action="trust_user_invited").exists()
    assert "Dana Hart" not in client_for(people["trust_admin_b"]).get("/people/").content.decode()
