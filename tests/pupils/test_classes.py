"""Classes: who manages them, and that they decide what teachers see."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.audit.models import AuditEvent
from apps.pupils.models import TeachingGroup
from tests.pupils.conftest import NO_ACCESS
from tests.pupils.factories import make_pupil
from tests.support import in_school


@pytest.mark.parametrize(
    "role, status",
    [
        ("senco_a", 200),
        ("office_a", 200),
        ("headteacher_a", 200),
        ("trust_send_lead_a", 200),
        ("teacher_a", 403),
        ("teaching_assistant_a", 403),
        ("governor_a", 403),
        *[(w, 403) for w in NO_ACCESS],
    ],
)
def test_classes_page_per_role(client_for, people, school_a, cast, role, status):
    response = client_for(people[role], school_a).get("/pupils/classes/")
    assert response.status_code == status
    if status == 200:
        assert "3T" in response.content.decode()


def test_office_adds_a_class_from_a_registration_form_and_the_teacher_then_sees_its_pupils(
    client_for, people, school_a, in_a
):
    pupils = [
        make_pupil(
            last_name=f"Formmate{i}", form="7R", year_group="7", date_of_birth=dt.date(2014, 1, 5)
        )
        for i in range(3)
    ]
    make_pupil(last_name="Elsewhere", form="7S", year_group="7", date_of_birth=dt.date(2014, 1, 5))
    teacher = client_for(people["teacher_a"], school_a)
    assert teacher.get(f"/pupils/{pupils[0].pk}/").status_code == 404
    office = client_for(people["office_a"], school_a)
    response = office.post(
        "/pupils/classes/",
        {
            "name": "7R English",
            # Alpha Primary is a primary: its classes are Reception to Year 6.
            "year_group": "6",
            "registration_form": "7R",
            "staff_user_ids": [people["teacher_a"].pk],
        },
    )
    assert response.status_code == 302
    assert teacher.get(f"/pupils/{pupils[0].pk}/").status_code == 200
    with in_school(school_a):
        group = TeachingGroup.objects.get(name="7R English")
        assert {p.last_name for p in group.pupils.all()} == {"Formmate0", "Formmate1", "Formmate2"}
        assert AuditEvent.objects.filter(
            action="class.changed", user_id=people["office_a"].pk
        ).exists()
    again = office.post("/pupils/classes/", {"name": "7R English"})
    assert "There is already a class called 7R English." in again.content.decode()
    # change who teaches it: the teacher loses sight of the pupils
    assert (
        office.post(f"/pupils/classes/{group.pk}/staff/", {"staff_user_ids": []}).status_code == 302
    )
    assert teacher.get(f"/pupils/{pupils[0].pk}/").status_code == 404


def test_only_staff_of_this_school_can_teach_a_class(client_for, people, school_a, cast):
    senco = client_for(people["senco_a"], school_a)
    response = senco.post(
        "/pupils/classes/", {"name": "Intruders", "staff_user_ids": [people["senco_b"].pk]}
    )
    assert response.status_code == 200  # not a choice on the form
    with in_school(school_a):
        group = TeachingGroup.objects.get(name="3T")
    response = senco.post(
        f"/pupils/classes/{group.pk}/staff/",
        {"staff_user_ids": [people["senco_b"].pk]},
        follow=True,
    )
    assert "Choose members of staff at this school." in response.content.decode()


def test_headteacher_sees_classes_but_cannot_change_them(client_for, people, school_a, cast):
    head = client_for(people["headteacher_a"], school_a)
    assert "Add a class" not in head.get("/pupils/classes/").content.decode()
    assert head.post("/pupils/classes/", {"name": "X"}).status_code == 403


def test_class_ids_from_another_school_are_not_found(
    client_for, people, school_a, school_b, twin_rows
):
    import itertools

    from apps.pupils import services

    n = itertools.count()
    a, b = twin_rows(
        lambda school: services.teaching_group_create(
            acting_user=None, name=f"Twin class {school.slug} {next(n)}"
        )
    )
    senco = client_for(people["senco_a"], school_a)
    senco.post(f"/pupils/classes/{a.pk}/staff/", {"staff_user_ids": [people["teacher_a"].pk]})
    with in_school(school_b):
        assert not TeachingGroup.objects.get(pk=b.pk).staff.exists()
    assert "Twin class beta" not in senco.get("/pupils/classes/").content.decode()
