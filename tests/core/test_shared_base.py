"""The shared base every domain package builds on: rights, registries, form errors, audit
actions, the on-roll filter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from apps.audit.actions import AuditAction, known_action_labels
from apps.audit.services import action_label
from apps.core.access import HEAD, SENCO, TEACHER, TRUST_READ_ONLY_MESSAGE, Rights, read, write
from apps.core.forms import add_service_errors
from apps.core.registry import Registry
from tenants.roles import TrustRole


@dataclass(frozen=True)
class FakeAccess:
    school_role: str | None
    trust_role: str | None = None

    @property
    def via_trust(self) -> bool:
        return self.school_role is None and self.trust_role is not None


RIGHTS = Rights(
    "widgets",
    {
        "see": read(SENCO, HEAD, TEACHER),
        "export": read(SENCO, HEAD, school_staff_only=True),
        "change": write(SENCO, HEAD),
    },
)


def test_roles_in_the_table_are_granted_and_others_refused():
    assert RIGHTS.can(FakeAccess(SENCO), "change")
    assert RIGHTS.can(FakeAccess(TEACHER), "see")
    assert not RIGHTS.can(FakeAccess(TEACHER), "change")
    assert not RIGHTS.can(None, "see")
    with pytest.raises(PermissionDenied, match="Your role cannot do this with widgets"):
        RIGHTS.require(FakeAccess(TEACHER), "change")


def test_a_send_lead_reads_as_a_headteacher_but_never_writes():
    lead = FakeAccess(None, TrustRole.SEND_LEAD)
    assert RIGHTS.can(lead, "see")
    assert not RIGHTS.can(lead, "change")
    assert not RIGHTS.can(lead, "export")
    with pytest.raises(PermissionDenied) as refused:
        RIGHTS.require(lead, "change")
    assert str(refused.value) == TRUST_READ_ONLY_MESSAGE


def test_other_trust_roles_have_no_school_rights():
    assert not RIGHTS.can(FakeAccess(None, TrustRole.TRUST_ADMIN), "see")


def test_a_registry_discovers_keeps_the_first_and_orders():
    registry: Registry[tuple[str, int]] = Registry(
        "things", key=lambda t: t[0], order=lambda t: t[1]
    )
    registry.register(("b", 2))
    registry.register(("a", 1))
    registry.register(("a", 9))  # same key: the first stays
    assert registry.all() == [("a", 1), ("b", 2)]
    assert registry.get("b") == ("b", 2)
    assert len(registry) == 2


class _Form(forms.Form):
    name = forms.CharField()


def test_service_errors_land_on_their_fields_and_the_rest_on_the_form():
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    add_service_errors(
        form,
        ValidationError({"name": "Too short.", "other_thing": "Elsewhere.", "__all__": "Whole."}),
    )
    assert form.errors["name"] == ["Too short."]
    # A field the form lacks is named, so the person knows what to change.
    assert form.non_field_errors() == ["Other thing: Elsewhere.", "Whole."]


class _WidgetAction(AuditAction):
    MADE = "widget.made", "Made a widget"


def test_audit_actions_carry_their_labels_to_the_log():
    assert known_action_labels()["widget.made"] == "Made a widget"
    assert action_label("widget.made") == "Made a widget"
    assert str(_WidgetAction.MADE) == "widget.made"


def test_on_roll_leaves_out_pupils_who_have_left(school_a, school_context):
    from apps.pupils.models import Pupil
    from tests.pupils.factories import make_pupil

    today = date(2026, 11, 27)
    with school_context(school_a):
        _check_on_roll(Pupil, make_pupil, today)


def _check_on_roll(Pupil, make_pupil, today):
    stays = make_pupil(leaving_date=None)
    leaving = make_pupil(leaving_date=today + timedelta(days=3))
    left = make_pupil(leaving_date=today)
    on_roll = set(Pupil.objects.on_roll(today).values_list("pk", flat=True))
    assert {stays.pk, leaving.pk} <= on_roll
    assert left.pk not in on_roll
