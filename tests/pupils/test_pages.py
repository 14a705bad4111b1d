"""The register and pupil pages, role by role, with isolation between schools."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.audit.models import AuditEvent
from apps.pupils.models import Concern, Pupil, PupilProfile, SenHistory
from tests.pupils.conftest import NO_ACCESS
from tests.pupils.factories import make_pupil
from tests.support import in_school

# who -> which of the cast they may open (others: 404); None = no pupil pages at all (403)
SEES = {
    "senco_a": {"taught", "assisted", "other"},
    "headteacher_a": {"taught", "assisted", "other"},
    "office_a": {"taught", "assisted", "other"},
    "trust_send_lead_a": {"taught", "assisted", "other"},
    "teacher_a": {"taught"},
    "teaching_assistant_a": {"assisted"},
    "governor_a": None,
}


@pytest.mark.parametrize("role", list(SEES))
def test_register_lists_what_each_role_may_see(client_for, people, school_a, cast, role):
    response = client_for(people[role], school_a).post("/pupils/", {"provision": "all"})
    if SEES[role] is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.content.decode()
    for key, pupil in cast.items():
        if key == "concern":
            continue
        assert (pupil.last_name in body) == (key in SEES[role]), (role, key)


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("key", ["taught", "assisted", "other"])
def test_pupil_page_per_role(client_for, people, school_a, cast, role, key):
    response = client_for(people[role], school_a).get(f"/pupils/{cast[key].pk}/")
    if SEES[role] is None:
        assert response.status_code == 403
    elif key in SEES[role]:
        assert response.status_code == 200
        assert cast[key].last_name in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("who", NO_ACCESS)
def test_people_without_access_to_school_a_see_no_pupil_pages(
    client_for, people, school_a, cast, who
):
    client = client_for(people[who], school_a)
    for url in (
        "/pupils/",
        f"/pupils/{cast['taught'].pk}/",
        "/concerns/",
        f"/concerns/{cast['concern'].pk}/",
        "/audit/",
    ):
        assert client.get(url).status_code == 403, url


def test_office_sees_details_but_not_send_detail(client_for, people, school_a, cast):
    body = (
        client_for(people["office_a"], school_a)
        .get(f"/pupils/{cast['taught'].pk}/")
        .content.decode()
    )
    assert "Give me time to answer" not in body
    assert "One-page profile" not in body
    assert client_for(people["office_a"], school_a).get("/concerns/").status_code == 403


def test_teacher_sees_profile_and_strategies_of_their_pupil(client_for, people, school_a, cast):
    body = (
        client_for(people["teacher_a"], school_a)
        .get(f"/pupils/{cast['taught'].pk}/")
        .content.decode()
    )
    assert "Give me time to answer" in body
    assert 'data-testid="access-log"' not in body


def test_senco_sees_the_access_log(client_for, people, school_a, cast):
    client_for(people["teacher_a"], school_a).get(f"/pupils/{cast['taught'].pk}/")
    body = (
        client_for(people["senco_a"], school_a)
        .get(f"/pupils/{cast['taught'].pk}/")
        .content.decode()
    )
    assert 'data-testid="access-log"' in body
    assert people["teacher_a"].full_name in body


# -- filters and search ----------------------------------------------------------------------


def test_register_filters(client_for, people, school_a, in_a):
    make_pupil(last_name="Kayone", provision="K", primary_need="SPLD", year_group="4", eal=True)
    make_pupil(last_name="Eeplan", provision="E", primary_need="ASD", year_group="6")
    make_pupil(last_name="Nosen", year_group="4")
    client = client_for(people["senco_a"], school_a)

    def names(data):
        body = client.post("/pupils/", data).content.decode()
        return {n for n in ("Kayone", "Eeplan", "Nosen") if n in body}

    assert names({}) == {"Kayone", "Eeplan"}  # default: the register
    assert names({"provision": "all"}) == {"Kayone", "Eeplan", "Nosen"}
    assert names({"provision": "E"}) == {"Eeplan"}
    assert names({"provision": "N"}) == {"Nosen"}
    assert names({"need": "SPLD"}) == {"Kayone"}
    assert names({"area": "communication_interaction"}) == {"Eeplan"}
    assert names({"provision": "all", "year_group": "4"}) == {"Kayone", "Nosen"}
    assert names({"flags": ["eal"]}) == {"Kayone"}
    assert names({"provision": "all", "search": "eeplan"}) == {"Eeplan"}


def test_search_by_upn_is_exact(client_for, people, school_a, in_a):
    pupil = make_pupil(last_name="Upnfound", provision="K", primary_need="MLD")
    make_pupil(last_name="Notthisone", provision="K", primary_need="MLD")
    body = (
        client_for(people["senco_a"], school_a)
        .post("/pupils/", {"search": pupil.upn.lower()})
        .content.decode()
    )
    assert "Upnfound" in body and "Notthisone" not in body


def test_search_is_never_taken_from_the_query_string(client_for, people, school_a, in_a):
    make_pupil(last_name="Findme", provision="K", primary_need="MLD")
    make_pupil(last_name="Other", provision="K", primary_need="MLD")
    body = client_for(people["senco_a"], school_a).get("/pupils/?search=Findme").content.decode()
    assert "Findme" in body and "Other" in body  # the search was ignored


def test_htmx_post_returns_only_the_results(client_for, people, school_a, in_a):
    make_pupil(last_name="Htmxer", provision="K", primary_need="MLD")
    response = client_for(people["senco_a"], school_a).post(
        "/pupils/", {"search": "Htmxer"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="register-results"')
    assert "Htmxer" in body and "<html" not in body


def test_counts_against_roll_and_national_figures(client_for, people, school_a, in_a):
    for _ in range(8):
        make_pupil()
    make_pupil(provision="K", primary_need="MLD")
    make_pupil(provision="E", primary_need="ASD")
    make_pupil(
        provision="K",
        primary_need="MLD",
        leaving_date=dt.date(2024, 7, 20),
        admission_date=dt.date(2021, 9, 1),
    )
    response = client_for(people["senco_a"], school_a).get("/pupils/")
    counts = response.context["counts"]
    assert (counts["roll"], counts["sen_support"], counts["ehc_plan"]) == (10, 1, 1)
    assert (counts["sen_support_percent"], counts["ehc_plan_percent"]) == (10.0, 10.0)
    assert (counts["national_sen_support_percent"], counts["national_ehc_plan_percent"]) == (
        14.2,
        5.3,
    )
    assert "national 14.2%" in response.content.decode()


# -- forms -------------------------------------------------------------------------------------


def test_senco_adds_a_pupil_and_sees_field_errors_first(client_for, people, school_a, in_a):
    client = client_for(people["senco_a"], school_a)
    bad = {
        "upn": "A801200005001",
        "first_name": "Nia",
        "last_name": "Formby",
        "date_of_birth": "2030-01-01",
        "gender": "F",
        "year_group": "2",
    }
    response = client.post("/pupils/new/", bad)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "The check letter does not match" in body
    assert "The date of birth cannot be in the future." in body
    with in_school(school_a):
        assert not Pupil.objects.filter(last_name="Formby").exists()
    good = {**bad, "upn": "B801200005001", "date_of_birth": "2018-10-02"}
    response = client.post("/pupils/new/", good)
    with in_school(school_a):
        pupil = Pupil.objects.get(last_name="Formby")
    assert response.status_code == 302 and response["Location"] == f"/pupils/{pupil.pk}/"


def test_senco_changes_the_register_entry_with_a_reason(client_for, people, school_a, in_a):
    pupil = make_pupil()
    client = client_for(people["senco_a"], school_a)
    today = dt.date.today().isoformat()
    response = client.post(
        f"/pupils/{pupil.pk}/register/",
        {"provision": "E", "primary_need": "NSA", "effective_date": today, "reason": ""},
    )
    body = response.content.decode()
    assert (
        "valid only with SEN support (K)" in body
        and "Say why the register entry is changing" in body
    )
    with in_school(school_a):
        assert not SenHistory.objects.filter(pupil=pupil).exists()
    response = client.post(
        f"/pupils/{pupil.pk}/register/",
        {
            "provision": "K",
            "primary_need": "SLCN",
            "effective_date": today,
            "reason": "Speech and language screen",
        },
    )
    assert response.status_code == 302
    with in_school(school_a):
        pupil.refresh_from_db()
        assert (pupil.sen_provision, pupil.primary_need) == ("K", "SLCN")
        assert SenHistory.objects.get(pupil=pupil).reason == "Speech and language screen"


@pytest.mark.parametrize(
    "role, status",
    [
        ("senco_a", 302),
        ("teacher_a", 302),
        ("teaching_assistant_a", 403),
        ("headteacher_a", 403),
        ("office_a", 403),
        ("trust_send_lead_a", 403),
    ],
)
def test_profile_edit_per_role(client_for, people, school_a, cast, role, status):
    url = f"/pupils/{cast['taught'].pk}/profile/"
    response = client_for(people[role], school_a).post(url, {"how_to_support": f"Edited by {role}"})
    assert response.status_code == status
    with in_school(school_a):
        saved = PupilProfile.objects.get(pupil=cast["taught"]).how_to_support
    assert (saved == f"Edited by {role}") == (status == 302)


@pytest.mark.parametrize(
    "role, status",
    [
        ("senco_a", 302),
        ("teacher_a", 403),
        ("headteacher_a", 403),
        ("office_a", 403),
        ("trust_send_lead_a", 403),
    ],
)
def test_register_change_per_role(client_for, people, school_a, cast, role, status):
    url = f"/pupils/{cast['other'].pk}/register/"
    with in_school(school_a):
        entries_before = SenHistory.objects.filter(pupil_id=cast["other"].pk).count()
    assert client_for(people[role], school_a).get(url).status_code == (
        200 if status == 302 else status
    )
    response = client_for(people[role], school_a).post(
        url,
        {
            "provision": "K",
            "primary_need": "MLD",
            "effective_date": dt.date.today().isoformat(),
            "reason": "x",
        },
    )
    assert response.status_code == status
    with in_school(school_a):
        pupil = Pupil.objects.get(pk=cast["other"].pk)
        entries = SenHistory.objects.filter(pupil=pupil).count()
    if status == 302:  # on the register with the chosen need, and the change in its history
        assert (pupil.sen_provision, pupil.primary_need) == ("K", "MLD")
        assert entries == entries_before + 1
    else:  # refused: nothing written
        assert (pupil.sen_provision, pupil.primary_need) == ("N", "")
        assert entries == entries_before


@pytest.mark.parametrize(
    "role, status",
    [
        ("senco_a", 302),
        ("office_a", 302),
        ("teacher_a", 403),
        ("headteacher_a", 403),
        ("governor_a", 403),
    ],
)
def test_pupil_edit_per_role(client_for, people, school_a, cast, role, status):
    p = cast["taught"]
    data = {
        "upn": p.upn,
        "first_name": p.first_name,
        "last_name": p.last_name,
        "date_of_birth": p.date_of_birth.isoformat(),
        "gender": p.gender,
        "year_group": "4",
        "form": "4X",
    }
    assert (
        client_for(people[role], school_a).post(f"/pupils/{p.pk}/edit/", data).status_code == status
    )
    with in_school(school_a):
        saved = Pupil.objects.get(pk=p.pk)
    # Allowed: moved to year 4; refused: nothing written.
    assert (saved.year_group, saved.form) == (
        ("4", "4X") if status == 302 else (p.year_group, p.form)
    )


def test_voice_and_strategy_pages(client_for, people, school_a, cast):
    ta = client_for(people["teaching_assistant_a"], school_a)
    assisted = cast["assisted"]
    assert (
        ta.post(
            f"/pupils/{assisted.pk}/voice/",
            {"what_they_said": "I like the quiet room", "recorded_on": dt.date.today().isoformat()},
        ).status_code
        == 302
    )
    assert ta.post(f"/pupils/{assisted.pk}/strategies/", {"text": "x"}).status_code == 403
    teacher = client_for(people["teacher_a"], school_a)
    assert (
        teacher.post(
            f"/pupils/{cast['taught'].pk}/strategies/", {"text": "Now-and-next board"}
        ).status_code
        == 302
    )
    body = teacher.get(f"/pupils/{cast['taught'].pk}/").content.decode()
    assert "Now-and-next board" in body
    assert "I like the quiet room" in ta.get(f"/pupils/{assisted.pk}/").content.decode()


# -- concerns ----------------------------------------------------------------------------------


def test_teacher_raises_a_concern_and_senco_triages_it(client_for, people, school_a, cast):
    teacher = client_for(people["teacher_a"], school_a)
    taught = cast["taught"]
    empty = teacher.post(f"/pupils/{taught.pk}/concerns/new/", {"what_seen": ""})
    assert "There is a problem" in empty.content.decode()
    assert (
        teacher.post(
            f"/pupils/{taught.pk}/concerns/new/",
            {"what_seen": "Cannot copy from the board", "what_tried": "Moved to the front"},
        ).status_code
        == 302
    )
    with in_school(school_a):
        concern = Concern.objects.get(what_seen="Cannot copy from the board")
    senco = client_for(people["senco_a"], school_a)
    home = senco.get("/").content.decode()
    assert 'data-testid="home-concerns"' in home and taught.last_name in home
    missing = senco.post(f"/concerns/{concern.pk}/", {"decision": "assess", "note": ""})
    assert "Add a note" in missing.content.decode()
    assert (
        senco.post(
            f"/concerns/{concern.pk}/", {"decision": "assess", "note": "Eye test requested"}
        ).status_code
        == 302
    )
    with in_school(school_a):
        concern.refresh_from_db()
        assert concern.status == "assess"
        assert concern.notes.get().note == "Eye test requested"
    assert (
        teacher.post(f"/concerns/{concern.pk}/", {"decision": "monitor", "note": "x"}).status_code
        == 403
    )


def test_teacher_raises_a_concern_about_a_pupil_they_do_not_teach(
    client_for, people, school_a, cast
):
    """Any pupil on roll can be chosen; the teacher still cannot open that pupil's record."""
    teacher = client_for(people["teacher_a"], school_a)
    assert (
        teacher.post(f"/pupils/{cast['other'].pk}/concerns/new/", {"what_seen": "x"}).status_code
        == 404
    )
    form = teacher.get("/concerns/new/").content.decode()
    # The roll is not in the page: the picker searches by POST (name, year and form only).
    assert "Otherby" not in form and 'role="combobox"' in form
    found = teacher.post("/pupils/pick/", {"q": "otherby"}).json()["matches"]
    assert [m["id"] for m in found] == [cast["other"].pk]
    raised = teacher.post(
        "/concerns/new/", {"pupil": cast["other"].pk, "what_seen": "Holds books very close"}
    )
    assert raised.status_code == 302 and raised["Location"] == "/concerns/"
    with in_school(school_a):
        concern = Concern.objects.get(what_seen="Holds books very close")
        assert (
            concern.pupil_id == cast["other"].pk
            and concern.raised_by_user_id == people["teacher_a"].pk
        )
    assert teacher.get(f"/pupils/{cast['other'].pk}/").status_code == 404
    assert (
        teacher.post("/concerns/new/", {"pupil": 999_999, "what_seen": "x"}).status_code == 200
    )  # not a choice


@pytest.mark.parametrize(
    "role, sees",
    [
        ("senco_a", True),
        ("headteacher_a", True),
        ("teacher_a", False),
        ("teaching_assistant_a", False),
    ],
)
def test_concern_list_per_role(client_for, people, school_a, cast, role, sees):
    body = client_for(people[role], school_a).get("/concerns/").content.decode()
    assert ("Otherby" in body) == sees


def test_concern_pages_404_for_someone_elses_pupil(client_for, people, school_a, cast):
    assert (
        client_for(people["teacher_a"], school_a)
        .get(f"/concerns/{cast['concern'].pk}/")
        .status_code
        == 404
    )


# -- isolation --------------------------------------------------------------------------------


def test_pupil_ids_from_another_school_are_not_found(
    client_for, people, school_a, school_b, twin_rows
):
    a, b = twin_rows(
        lambda school: make_pupil(
            last_name=f"Twin{school.slug.title()}", provision="K", primary_need="MLD"
        )
    )
    body = client_for(people["senco_a"], school_a).get(f"/pupils/{a.pk}/").content.decode()
    assert "TwinAlpha" in body and "TwinBeta" not in body
    assert client_for(people["senco_b"], school_a).get(f"/pupils/{a.pk}/").status_code == 403
    register = client_for(people["senco_a"], school_a).post("/pupils/", {"search": "TwinBeta"})
    assert register.context["rows"] == []
    listing = (
        client_for(people["senco_b"], school_b)
        .post("/pupils/", {"provision": "all"})
        .content.decode()
    )
    assert "TwinBeta" in listing and "TwinAlpha" not in listing


def test_concern_ids_from_another_school_are_not_found(
    client_for, people, school_a, school_b, twin_rows
):
    from apps.pupils import services

    def make(school):
        pupil = make_pupil(last_name=f"Conc{school.slug.title()}")
        return services.concern_raise(
            acting_user=None, pupil=pupil, what_seen=f"Seen in {school.slug}"
        )

    a, b = twin_rows(make)
    body = client_for(people["senco_a"], school_a).get(f"/concerns/{a.pk}/").content.decode()
    assert "Seen in alpha" in body and "Seen in beta" not in body
    listing = client_for(people["senco_a"], school_a).get("/concerns/").content.decode()
    assert "ConcAlpha" in listing and "ConcBeta" not in listing


def test_a_pupil_view_is_audited_in_its_own_school(
    client_for, people, school_a, school_b, twin_rows
):
    a, b = twin_rows(lambda school: make_pupil())
    client_for(people["senco_a"], school_a).get(f"/pupils/{a.pk}/")
    with in_school(school_a):
        assert AuditEvent.objects.filter(action="pupil.viewed", pupil_id=a.pk).count() == 1
    with in_school(school_b):
        assert AuditEvent.objects.filter(action="pupil.viewed").count() == 0


def test_register_rows_escape_what_staff_typed(client_for, people, school_a, in_a):
    make_pupil(
        first_name="<script>alert(1)</script>",
        last_name="O'Brien & Sons",
        provision="K",
        primary_need="MLD",
        form='<b>"x"</b>',
    )
    body = client_for(people["senco_a"], school_a).get("/pupils/").content.decode()
    assert (
        "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    )
    assert "O&#x27;Brien &amp; Sons" in body and "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in body


def test_add_pupil_form_shows_every_problem_at_once(client_for, people, school_a, in_a):
    body = (
        client_for(people["senco_a"], school_a)
        .post("/pupils/new/", {"upn": "A801200005001"})
        .content.decode()
    )
    assert "The check letter does not match: for these digits it should be B." in body
    assert (
        "Enter the legal first name." in body
        and "Choose the year group." in body
        and "Choose the gender." in body
        and "Enter the date of birth." in body
    )


def test_concerns_have_their_own_nav_item(client_for, people, school_a, in_a):
    body = client_for(people["senco_a"], school_a).get("/concerns/").content.decode()
    assert body.count('aria-current="page"') == 1
    assert '<a href="/concerns/" aria-current="page">Concerns</a>' in body


def test_governor_home_shows_aggregates_without_names(client_for, people, school_a, cast):
    body = client_for(people["governor_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-figures"' in body
    assert 'data-testid="home-concerns"' not in body
    for pupil in ("taught", "assisted", "other"):
        assert cast[pupil].last_name not in body
    assert 'SEN support (K)</th><td class="govuk-table__cell govuk-table__cell--numeric">1<' in body


def test_senco_assigns_and_removes_a_teaching_assistant(client_for, people, school_a, cast):
    other, ta = cast["other"], people["teaching_assistant_a"]
    ta_client = client_for(ta, school_a)
    assert ta_client.get(f"/pupils/{other.pk}/").status_code == 404
    senco = client_for(people["senco_a"], school_a)
    assert (
        senco.post(f"/pupils/{other.pk}/teaching-assistants/", {"user_id": ta.pk}).status_code
        == 302
    )
    assert ta_client.get(f"/pupils/{other.pk}/").status_code == 200
    refused = senco.post(
        f"/pupils/{other.pk}/teaching-assistants/", {"user_id": people["teacher_a"].pk}, follow=True
    )
    assert "Choose a teaching assistant at this school." in refused.content.decode()
    assert (
        client_for(people["teacher_a"], school_a)
        .post(f"/pupils/{cast['taught'].pk}/teaching-assistants/", {"user_id": ta.pk})
        .status_code
        == 403
    )
    assert senco.post(f"/pupils/{other.pk}/teaching-assistants/{ta.pk}/remove/").status_code == 302
    assert ta_client.get(f"/pupils/{other.pk}/").status_code == 404
    with in_school(school_a):
        actions = list(
            AuditEvent.objects.filter(pupil=other, action__startswith="ta.").values_list(
                "action", flat=True
            )
        )
    assert sorted(actions) == ["ta.assigned", "ta.unassigned"]


def test_filters_work_by_get_even_when_the_school_is_read_only(client_for, people, school_a, in_a):
    from tenants.models import School

    make_pupil(last_name="Readonlyk", provision="K", primary_need="SPLD")
    make_pupil(last_name="Readonlye", provision="E", primary_need="ASD")
    School.objects.filter(pk=school_a.pk).update(status=School.Status.SUSPENDED)
    response = client_for(people["senco_a"], school_a).get("/pupils/?provision=E")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Readonlye" in body and "Readonlyk" not in body
