"""The register as the SENCo meets it: figures honest for each role, filters in the address,
search across everyone on roll, paging beyond the first page."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from apps.audit.models import AuditEvent
from apps.pupils import services
from apps.pupils.views import REGISTER_PAGE_SIZE
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


def test_teacher_register_cards_show_counts_without_national_rates(client_for, people, school_a):
    with in_school(school_a):
        tilly = make_pupil(first_name="Tilly", provision="K", primary_need="SLCN")
        make_class("3T", staff=[people["teacher_a"]], pupils=[tilly])
    html = client_for(people["teacher_a"], school_a).get("/pupils/").content.decode()
    assert "national" not in html and "% of roll" not in html
    assert "pupils you teach or support" in html


@pytest.mark.parametrize("who", ["senco_a", "headteacher_a", "trust_send_lead_a"])
def test_whole_school_views_compare_with_national_rates(client_for, people, school_a, who):
    html = client_for(people[who], school_a).get("/pupils/").content.decode()
    assert "national 14.2%" in html


def test_search_finds_a_pupil_on_roll_who_is_not_on_the_register(client_for, people, school_a):
    with in_school(school_a):
        evelyn = make_pupil(first_name="Evelyn", last_name="Concerned")
        services.concern_raise(acting_user=None, pupil=evelyn, what_seen="Quiet in class")
        make_pupil(first_name="Evelyn", last_name="Leftschool", leaving_date=dt.date(2020, 7, 20))
    response = client_for(people["senco_a"], school_a).post(
        "/pupils/", {"search": "Evelyn"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-testid="result-count">1<' in html
    assert "Evelyn Concerned" in html and "Leftschool" not in html


def test_search_with_a_provision_chosen_keeps_it(client_for, people, school_a):
    with in_school(school_a):
        make_pupil(first_name="Evelyn", last_name="Nosen")
        make_pupil(first_name="Evelyn", last_name="Support", provision="K", primary_need="MLD")
    html = (
        client_for(people["senco_a"], school_a)
        .post("/pupils/", {"search": "Evelyn", "provision": "K"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "Evelyn Support" in html and "Evelyn Nosen" not in html


def test_search_term_never_reaches_the_address(client_for, people, school_a):
    """A GET with ?search= (a bookmarked or shared link) is ignored: names never travel in URLs."""
    with in_school(school_a):
        make_pupil(first_name="Evelyn", last_name="Support", provision="K", primary_need="MLD")
        make_pupil(first_name="Zed", last_name="Other", provision="K", primary_need="MLD")
    html = client_for(people["senco_a"], school_a).get("/pupils/?search=Evelyn").content.decode()
    assert "Zed Other" in html


def test_register_pages_beyond_the_first(client_for, people, school_a):
    count = REGISTER_PAGE_SIZE + 5
    with in_school(school_a):
        for n in range(count):
            make_pupil(
                first_name="Paged", last_name=f"Pupil{n:04d}", provision="K", primary_need="MLD"
            )
    client = client_for(people["senco_a"], school_a)
    first = client.get("/pupils/?need=MLD").content.decode()
    assert f'data-testid="result-count">{count}<' in first
    assert "showing 1 to 200" in first
    assert 'href="?need=MLD&amp;page=2"' in first
    second = client.get("/pupils/?need=MLD&page=2").content.decode()
    names = re.findall(r"Paged Pupil\d{4}", second)
    assert names == [f"Paged Pupil{n:04d}" for n in range(REGISTER_PAGE_SIZE, count)]
    with in_school(school_a):
        latest = AuditEvent.objects.filter(action="register.viewed").order_by("-id").first()
    assert latest.summary == "5 pupils listed (page 2)"


def test_filters_render_from_the_address(client_for, people, school_a):
    """A bookmarked or restored (Back) address shows the filtered list and the filter chosen."""
    with in_school(school_a):
        make_pupil(first_name="Sam", last_name="Semh", provision="K", primary_need="SEMH")
        make_pupil(first_name="Lee", last_name="Slcn", provision="K", primary_need="SLCN")
    html = client_for(people["senco_a"], school_a).get("/pupils/?need=SEMH").content.decode()
    assert '<option value="SEMH" selected>' in html
    assert "Sam Semh" in html and "Lee Slcn" not in html


def test_htmx_filter_pushes_the_short_address(client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).get(
        "/pupils/?provision=register&need=SEMH&area=&year_group=&group=", HTTP_HX_REQUEST="true"
    )
    assert response["HX-Push-Url"] == "/pupils/?need=SEMH"
    search = client_for(people["senco_a"], school_a).post(
        "/pupils/", {"search": "Evelyn"}, HTTP_HX_REQUEST="true"
    )
    assert "HX-Push-Url" not in search


def test_htmx_history_restore_gets_the_whole_page(client_for, people, school_a):
    response = client_for(people["senco_a"], school_a).get(
        "/pupils/?need=SEMH", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert b"<html" in response.content and b'id="register-filters"' in response.content


def test_filter_form_pushes_the_address_and_htmx_keeps_no_page_copies(client_for, people, school_a):
    html = client_for(people["senco_a"], school_a).get("/pupils/").content.decode()
    assert re.search(r'id="register-filters"[^>]*hx-push-url="true"', html)
    assert '"historyCacheSize": 0' in html
    search_form = re.search(r'<form method="post"[^>]*data-testid="register-search"[^>]*>', html)
    assert search_form and "hx-push-url" not in search_form.group(0)
