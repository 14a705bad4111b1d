"""Finding 6, everywhere: per role and per resource, the API returns no field the pages hide.

The school is filled by every domain's demo seeder; then, for one row of each resource that
returns pupil-level data, every free-text field (and those of its rows one level down: outcomes,
notes, actions...) gets a unique marker. Each role (with the pupil in a teacher's class and
assigned to the TA, so every role that may see the pupil does) reads the resource's pages and its
API. Every marker the API returns must be on a page that role can open; a marker only the API
shows is a field the domain's FieldRights must drop (apps/core/field_rights.py)."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import models

from tests.support import in_school

ROLES = [
    "senco_a",
    "headteacher_a",
    "teacher_a",
    "teaching_assistant_a",
    "office_a",
    "governor_a",
    "trust_send_lead_a",
]


@dataclass(frozen=True)
class Resource:
    name: str
    model: str  # app_label.Model
    pages: tuple[str, ...]  # {pk} the row, {pupil} its pupil
    api: str
    # Makes a row when the demo data has none (given a pupil in the current school).
    make: Callable[[Any], models.Model] | None = None


def _arrangement(pupil: Any) -> models.Model:
    from apps.staff.models import AccessArrangement

    return AccessArrangement.objects.create(
        pupil=pupil, kind="reader", assessor="x" * 9, history_of_need="x", normal_way_of_working="x"
    )


def _transition(pupil: Any) -> models.Model:
    from apps.staff.models import Transition, TransitionStep

    transition = Transition.objects.create(
        pupil=pupil,
        kind="phase",
        destination="x" * 9,
        moves_on=date(2031, 9, 1),
        responsible_name="x" * 9,
        key_information="x",
    )
    TransitionStep.objects.create(transition=transition, what="x" * 9)
    return transition


RESOURCES = [
    Resource("pupil", "pupils.Pupil", ("/pupils/{pupil}/",), "/api/v1/pupils/{pk}/"),
    Resource(
        "register history",
        "pupils.SenHistory",
        ("/pupils/{pupil}/",),
        "/api/v1/pupils/{pupil}/sen-history/",
    ),
    Resource(
        "one-page profile",
        "pupils.PupilProfile",
        ("/pupils/{pupil}/",),
        "/api/v1/pupils/{pupil}/profile/",
    ),
    Resource(
        "concern",
        "pupils.Concern",
        ("/concerns/{pk}/", "/pupils/{pupil}/"),
        "/api/v1/concerns/{pk}/",
    ),
    Resource("contact", "family.Contact", ("/family/pupils/{pupil}/",), "/api/v1/contacts/{pk}/"),
    Resource("meeting", "family.Meeting", ("/family/pupils/{pupil}/",), "/api/v1/meetings/{pk}/"),
    Resource("consent", "family.Consent", ("/family/pupils/{pupil}/",), "/api/v1/consents/{pk}/"),
    Resource(
        "referral",
        "agencies.Referral",
        ("/agencies/referrals/{pk}/", "/agencies/referrals/"),
        "/api/v1/referrals/{pk}/",
    ),
    Resource(
        "exam access arrangement",
        "staff.AccessArrangement",
        ("/exams/", "/exams/{pk}/edit/"),
        "/api/v1/access-arrangements/{pk}/",
        make=_arrangement,
    ),
    Resource(
        "transition",
        "staff.Transition",
        ("/transitions/{pk}/",),
        "/api/v1/transitions/{pk}/",
        make=_transition,
    ),
    Resource(
        "support plan",
        "support.SupportPlan",
        ("/support/pupils/{pupil}/", "/support/plans/{pk}/edit/"),
        "/api/v1/plans/{pk}/",
    ),
    Resource(
        "assessment",
        "support.Assessment",
        ("/support/pupils/{pupil}/",),
        "/api/v1/assessments/?pupil={pupil}",
    ),
    Resource(
        "EHC plan",
        "ehcp.EhcPlan",
        ("/ehcp/plans/{pk}/", "/ehcp/pupils/{pupil}/"),
        "/api/v1/ehcp/plans/{pk}/",
    ),
    Resource(
        "EHC needs assessment request",
        "ehcp.AssessmentRequest",
        ("/ehcp/pupils/{pupil}/", "/ehcp/requests/{pk}/edit/"),
        "/api/v1/ehcp/assessment-requests/{pk}/",
    ),
]

_SKIP_NAMES = ("token", "secret", "hash", "key", "sha", "schema", "content_type", "file")


def _text_fields(model: type[models.Model]) -> list[str]:
    out = []
    for f in model._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField):
            continue
        if isinstance(f, models.EmailField | models.URLField | models.SlugField):
            continue
        if f.choices or f.unique or f.primary_key or (f.max_length or 99) < 8:
            continue
        if any(part in f.name for part in _SKIP_NAMES):
            continue
        out.append(f.name)
    return out


def _mark(row: models.Model, markers: dict[str, str], counter, depth: int = 1) -> None:
    """Give every free-text field of the row (and of up to 5 rows of each kind pointing at it)
    a unique marker; markers maps marker -> "Model.field"."""
    model = type(row)
    values = {}
    for name in _text_fields(model):
        marker = f"Zq{next(counter):05d}x"
        markers[marker] = f"{model.__name__}.{name}"
        values[name] = marker
    if values:
        model._default_manager.filter(pk=row.pk).update(**values)
    if depth <= 0:
        return
    for rel in model._meta.related_objects:
        if not rel.one_to_many or rel.related_model._meta.app_label in ("audit",):
            continue
        children = rel.related_model._default_manager.filter(**{rel.field.name: row})[:5]
        for child in children:
            _mark(child, markers, counter, depth - 1)


@pytest.fixture
def seeded(people, school_a):
    from apps.core.demo import DemoSchool, school_seeders

    staff = {
        "senco": people["senco_a"],
        "headteacher": people["headteacher_a"],
        "teacher": people["teacher_a"],
        "teaching_assistant": people["teaching_assistant_a"],
        "office": people["office_a"],
    }
    with in_school(school_a):
        demo = DemoSchool(school=school_a, staff=staff)
        rng = random.Random(11)
        for _, _, seeder in school_seeders():
            seeder(demo, rng)
    return school_a


def _visible_to_everyone(people, pupil) -> None:
    from apps.pupils import services
    from apps.pupils.models import TAAssignment
    from tests.pupils.factories import make_class

    make_class(f"FR{pupil.pk}", staff=[people["teacher_a"]], pupils=[pupil])
    if not TAAssignment.objects.filter(
        pupil=pupil, user_id=people["teaching_assistant_a"].pk
    ).exists():
        services.ta_assign(acting_user=None, pupil=pupil, user_id=people["teaching_assistant_a"].pk)


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.name)
def test_per_role_the_api_returns_no_field_the_pages_hide(
    seeded, people, client_for, api_for, resource
):
    school = seeded
    model = django_apps.get_model(resource.model)
    counter = itertools.count(1)
    markers: dict[str, str] = {}
    with in_school(school):
        row = model._default_manager.order_by("pk").first()
        if row is None and resource.make is not None:
            from apps.pupils.models import Pupil

            row = resource.make(Pupil.objects.on_roll().order_by("pk").first())
        assert row is not None, f"the demo data has no {resource.name}"
        pupil = row if resource.model == "pupils.Pupil" else row.pupil  # type: ignore[attr-defined]
        _visible_to_everyone(people, pupil)
        _mark(row, markers, counter)
    assert markers, f"{resource.name} has no free-text field to compare"
    ids = {"pk": row.pk, "pupil": pupil.pk}
    leaks: dict[str, list[str]] = {}
    api_answered = []
    for role in ROLES:
        page_client = client_for(people[role], school)
        shown = ""
        for page in resource.pages:
            response = page_client.get(page.format(**ids))
            if response.status_code == 200:
                shown += response.content.decode()
        api = api_for(people[role], school).get(resource.api.format(**ids))
        if api.status_code != 200:
            continue
        api_answered.append(role)
        returned = api.content.decode()
        only_api = sorted({markers[m] for m in markers if m in returned and m not in shown})
        if only_api:
            leaks[role] = only_api
    assert "senco_a" in api_answered, "the SENCo reads every resource through the API"
    assert not leaks, f"{resource.name}: fields the API returns but the pages hide: {leaks}"
