"""The acting user's access is worked out once per request: services given the request use the
access the gate put on it, and work it out themselves only without one (tasks, the shell)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from apps.core import access as core_access
from apps.core.acting import authorise
from apps.pupils.access import RIGHTS
from tenants.access import SchoolAccess


def test_the_requests_access_is_used_without_asking_again(in_a, people, monkeypatch):
    gate = SchoolAccess(school_id=in_a.pk, school_role="senco", trust_role=None)
    request = SimpleNamespace(user=people["senco_a"], school=in_a, school_access=gate)

    def asked_again(*args, **kwargs):
        raise AssertionError("worked out again")

    monkeypatch.setattr(core_access, "school_access_for", asked_again)
    assert authorise(RIGHTS, people["senco_a"], "change_register", request=request) is gate


def test_another_users_request_is_not_borrowed(in_a, people):
    # The request is the SENCo's; the acting user is a teacher: the teacher's own access decides.
    gate = SchoolAccess(school_id=in_a.pk, school_role="senco", trust_role=None)
    request = SimpleNamespace(user=people["senco_a"], school=in_a, school_access=gate)
    with pytest.raises(PermissionDenied):
        authorise(RIGHTS, people["teacher_a"], "change_register", request=request)


def test_without_a_request_the_access_is_worked_out(in_a, people):
    access = authorise(RIGHTS, people["office_a"], "create_pupil")
    assert access.school_role == "office"
    with pytest.raises(PermissionDenied):
        authorise(RIGHTS, people["office_a"], "change_register")


def test_outside_a_school_nothing_is_authorised(people, db):
    from django.db import connection

    connection.set_schema_to_public()
    with pytest.raises(PermissionDenied, match="open the school first"):
        authorise(RIGHTS, people["senco_a"], "create_pupil")
