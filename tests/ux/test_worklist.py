"""A shared SENCo's worklist across schools ("My schools" on the platform host) and the school
home page's worklist: one registry, each school's items computed in its own schema with the
user's rights there, counts only, links that hop into that school."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.core.extensions import WorklistContext
from apps.core.worklist import my_schools_worklists
from apps.pupils import services
from apps.pupils.rules import term_start
from apps.pupils.worklist import added_this_term_item, open_concerns_item, this_term_start
from tenants.hop import read_hop
from tenants.roles import SchoolRole
from tenants.services import school_membership_set
from tests.pupils.factories import make_pupil
from tests.support import host_for, in_school


def _concerns(school, names: list[str]) -> None:
    with in_school(school):
        for name in names:
            pupil = make_pupil(first_name=name, last_name="Worklistson")
            services.concern_raise(acting_user=None, pupil=pupil, what_seen="Finds reading hard")


@pytest.fixture
def shared_senco(people, school_a, school_b):
    """senco_a is also SENCo of school B (another trust's school in the harness: rights come from
    the membership, not the trust)."""
    school_membership_set(
        acting_user=None, user=people["senco_a"], school=school_b, role=SchoolRole.SENCO
    )
    return people["senco_a"]


def _counts(worklist) -> dict[str, int]:
    return {item.label: item.count for item in worklist.items}


def test_each_school_counts_its_own_concerns(shared_senco, school_a, school_b):
    _concerns(school_a, ["Evelyn"])
    _concerns(school_b, ["Bella", "Boris", "Bea"])
    worklists = {w.school.slug: w for w in my_schools_worklists(shared_senco)}
    assert _counts(worklists[school_a.slug])["Open concerns"] == 1
    assert _counts(worklists[school_b.slug])["Open concerns"] == 3
    assert _counts(worklists[school_b.slug])["Concerns awaiting triage"] == 3


def test_a_school_where_the_user_is_not_senco_has_no_worklist(people, school_a, school_b):
    school_membership_set(
        acting_user=None, user=people["teacher_a"], school=school_b, role=SchoolRole.SENCO
    )
    _concerns(school_a, ["Evelyn"])
    slugs = [w.school.slug for w in my_schools_worklists(people["teacher_a"])]
    assert slugs == [school_b.slug]  # a teacher in A: nothing of A's worklist


def test_my_schools_page_shows_counts_and_hop_links_never_names(
    client_for, shared_senco, school_a, school_b
):
    _concerns(school_a, ["Evelyn"])
    _concerns(school_b, ["Bella", "Boris"])
    response = client_for(shared_senco).get("/my-schools/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Evelyn", "Bella", "Boris", "Worklistson"):
        assert name not in html
    assert f'data-testid="worklist-{school_a.slug}"' in html
    assert f'data-testid="worklist-{school_b.slug}"' in html
    assert f"/switch/{school_b.slug}/?to=%2Fconcerns%2F" in html


def test_platform_home_of_school_staff_is_my_schools(client_for, shared_senco, school_b):
    _concerns(school_b, ["Bella"])
    html = client_for(shared_senco).get("/").content.decode()
    assert f'data-testid="worklist-{school_b.slug}"' in html


def test_senco_of_one_school_sees_only_that_school(client_for, people, school_a, school_b):
    _concerns(school_a, ["Evelyn", "Eric"])
    _concerns(school_b, ["Bella"])
    html = client_for(people["senco_b"]).get("/my-schools/").content.decode()
    assert f'data-testid="worklist-{school_b.slug}"' in html
    assert school_a.slug not in html and school_a.name not in html


def test_worklist_link_hops_into_the_school_and_lands_on_the_item(
    client_for, shared_senco, school_b
):
    response = client_for(shared_senco).get(f"/switch/{school_b.slug}/", {"to": "/concerns/"})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert host_for(school_b) in response["Location"]
    assert read_hop(token, host=host_for(school_b)) == (shared_senco, "/concerns/")


def test_worklist_link_to_a_school_that_is_not_yours_is_refused(client_for, people, school_a):
    response = client_for(people["senco_b"]).get(f"/switch/{school_a.slug}/", {"to": "/concerns/"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("landing", "expected"),
    [
        ("/pupils/?added=term", "/pupils/?added=term"),
        ("/support/reviews/?due=overdue", "/support/reviews/?due=overdue"),
        ("/pupils/?name=Evelyn", "/"),
        ("/pupils/?added=Evelyn%20Smith", "/"),
        ("https://evil.example/?due=x", "/"),
    ],
)
def test_hop_landing_keeps_only_a_query_of_filter_codes(
    client_for, shared_senco, school_b, landing, expected
):
    response = client_for(shared_senco).get(f"/switch/{school_b.slug}/", {"to": landing})
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert read_hop(token, host=host_for(school_b)) == (shared_senco, expected)


def test_school_home_page_renders_the_same_worklist(client_for, people, school_a):
    _concerns(school_a, ["Evelyn", "Eric"])
    html = client_for(people["senco_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-worklist"' in html
    assert (
        'href="/concerns/"><span class="hub-worklist__count" data-testid="worklist-count">2<'
        in html
    )


def test_governor_home_has_no_worklist_of_pupil_work(client_for, people, school_a):
    _concerns(school_a, ["Evelyn"])
    html = client_for(people["governor_a"], school_a).get("/").content.decode()
    assert 'data-testid="home-worklist"' not in html


def _context(school, user, access, today=None) -> WorklistContext:
    return WorklistContext(school=school, user=user, access=access, today=today or dt.date.today())


def test_added_this_term_counts_pupils_first_added_since_the_term_began(people, school_a):
    from tenants.access import school_access_for

    today = dt.date.today()
    access = school_access_for(people["senco_a"], school_a)
    with in_school(school_a):
        start = this_term_start(today)
        make_pupil(provision="K", primary_need="SLCN")  # added today
        make_pupil(
            provision="K", primary_need="MLD", sen_identified_on=start - dt.timedelta(days=40)
        )  # on the register since last term
        make_pupil()  # not on the register
        items = added_this_term_item(_context(school_a, people["senco_a"], access, today))
    assert [(i.count, i.path) for i in items] == [(1, "/pupils/?added=term")]


def test_register_filter_added_this_term_lists_the_same_pupils(client_for, people, school_a):
    with in_school(school_a):
        make_pupil(first_name="Newby", provision="K", primary_need="SLCN")
        make_pupil(
            first_name="Oldham",
            provision="K",
            primary_need="MLD",
            sen_identified_on=this_term_start(dt.date.today()) - dt.timedelta(days=40),
        )
    html = client_for(people["senco_a"], school_a).get("/pupils/?added=term").content.decode()
    assert "Newby" in html and "Oldham" not in html


def test_teacher_worklist_counts_only_concerns_about_pupils_they_teach(people, school_a):
    from tenants.access import school_access_for

    _concerns(school_a, ["Evelyn"])  # not taught by teacher_a
    access = school_access_for(people["teacher_a"], school_a)
    with in_school(school_a):
        items = open_concerns_item(_context(school_a, people["teacher_a"], access))
    assert [(i.label, i.count) for i in items] == [("Open concerns", 0)]


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 11, 27), dt.date(2026, 9, 1)),
        (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
        (dt.date(2027, 2, 10), dt.date(2027, 1, 1)),
        (dt.date(2027, 6, 30), dt.date(2027, 4, 1)),
        (dt.date(2027, 8, 31), dt.date(2027, 4, 1)),
    ],
)
def test_term_start(today, start):
    assert term_start(today) == start
