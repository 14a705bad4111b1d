"""The register page and the API list use a constant number of queries whatever the roll."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.pupils import services
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


def _add(school, n: int, teacher=None) -> None:
    with in_school(school):
        pupils = [
            make_pupil(
                provision="K" if i % 2 else "E",
                primary_need="SLCN" if i % 2 else "ASD",
                secondary_need="SEMH",
            )
            for i in range(n)
        ]
        for p in pupils[:3]:
            services.concern_raise(acting_user=None, pupil=p, what_seen="x")
        if teacher is not None:
            make_class(f"Q{n}", staff=[teacher], pupils=pupils)


def _count(client, method: str, url: str, **kw) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, **kw)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_register_page_queries_do_not_grow_with_pupils(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    _add(school_a, 10)
    small = _count(client, "post", "/pupils/", data={"provision": "all"})
    _add(school_a, 40)
    large = _count(client, "post", "/pupils/", data={"provision": "all"})
    assert small == large, (small, large)


def test_register_page_queries_for_a_teacher(client_for, people, school_a):
    client = client_for(people["teacher_a"], school_a)
    _add(school_a, 10, people["teacher_a"])
    small = _count(client, "get", "/pupils/")
    _add(school_a, 40, people["teacher_a"])
    assert _count(client, "get", "/pupils/") == small


def test_api_list_queries_do_not_grow_with_pupils(api_for, people, school_a):
    client = api_for(people["senco_a"], school_a)
    _add(school_a, 10)
    small = _count(client, "get", "/api/v1/pupils/?page_size=100")
    _add(school_a, 40)
    large = _count(client, "get", "/api/v1/pupils/?page_size=100")
    assert small == large, (small, large)


def test_home_page_and_concern_list_queries_are_constant(client_for, people, school_a):
    client = client_for(people["senco_a"], school_a)
    _add(school_a, 10)
    home, concerns = _count(client, "get", "/"), _count(client, "get", "/concerns/")
    _add(school_a, 40)
    assert (_count(client, "get", "/"), _count(client, "get", "/concerns/")) == (home, concerns)


def test_pupil_page_queries_do_not_grow_with_the_record(client_for, people, school_a):
    import datetime as dt

    with in_school(school_a):
        pupil = make_pupil(provision="K", primary_need="MLD")

    def grow(n: int) -> None:
        with in_school(school_a):
            for i in range(n):
                services.strategy_add(acting_user=None, pupil=pupil, text=f"Strategy {i}")
                services.voice_add(
                    acting_user=None,
                    pupil=pupil,
                    what_they_said=f"Said {i}",
                    recorded_on=dt.date(2024, 1, 1),
                )
                concern = services.concern_raise(
                    acting_user=None, pupil=pupil, what_seen=f"Seen {i}"
                )
                services.concern_triage(
                    acting_user=None, concern=concern, decision="monitor", note=f"Note {i}"
                )

    client = client_for(people["senco_a"], school_a)
    grow(2)
    small = _count(client, "get", f"/pupils/{pupil.pk}/")
    grow(8)
    assert _count(client, "get", f"/pupils/{pupil.pk}/") == small
