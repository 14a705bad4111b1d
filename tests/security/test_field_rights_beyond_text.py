"""Finding 6, field by field: per role, every value an API GET returns is on a page that role
can open, for every kind of field (dates, numbers, choices, flags), not only free text.

The free-text sweep (test_field_rights_sweep.py) marks text fields and looks for the markers.
This one covers provision groups and their sessions, the provision map, EHC annual reviews,
statutory deadlines, documents, assessments, support plan reviews, referrals and concerns, and
compares every leaf of the JSON:

- free text gets a unique marker, every date a unique date (so a date found on the page is that
  field's), and the API's value must be on a page the role opened (as the page writes it:
  "4 Feb 2034", a choice's label, a number);
- values no page writes as such (ids, flags) are listed in SHOWN_BY_BOTH, each with a comment
  saying where the page shows it; nothing else may escape the comparison;
- when every page refuses the role, the API must refuse too (403/404) or return no row.

The routes are enumerated from the school host's OpenAPI schema: every GET route is either
compared here, compared by the free-text sweep, or listed in NOT_PUPIL_LEVEL with the reason,
so a new endpoint cannot escape (test_every_get_route_is_swept)."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from html import unescape
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
    "trust_send_lead_a",  # admitted to the school: drill-down, reads as a headteacher
    "trust_viewer_a",  # no drill-down: not admitted to the school at all
    "trust_trust_admin_a",  # no drill-down
]


@dataclass(frozen=True)
class Endpoint:
    route: str  # the schema's GET route
    model: str  # app_label.Model of the row the test marks
    api: str  # {pk} the row, {pupil} its pupil, {parent} the row's parent (parent_path)
    pages: tuple[str, ...]
    pupil_path: str = "pupil"
    parent_path: str = ""
    # Leaves (JSON paths, [] for list items, * for id keys) no page writes as such; each is
    # shown by both on purpose: the comment says where the page has it.
    shown_by_both: frozenset[str] = frozenset()
    make: Callable[[Any], models.Model] | None = None
    binary: bool = False  # a file: only the refusal is compared
    list_endpoint: bool = False
    # A list's rows are compared with these pages too, formatted with each row's fields.
    item_pages: tuple[str, ...] = ()


# Ids: a page links to the row (/ehcp/reviews/12/), its pupil and its parent; the API gives the
# same ids. Flags are shown by the page's wording (see each).
IDS = frozenset({"id", "pupil", "plan", "group", "intervention", "agency", "next_plan", "previous"})


def _items(prefix: str, names: set[str]) -> frozenset[str]:
    return frozenset(f"{prefix}{n}" for n in names)


# The file itself: the page's download link serves it with this content type, and the digest is
# the file's; the Size column writes size_bytes as KB or MB.
FILE_FACTS = frozenset({"content_type", "sha256", "size_bytes"})
# An EHC needs assessment request's steps: the page tags a late step "Late".
LATENESS = frozenset({"decision_late", "refusal_late", "final_plan_late"})
# A recommendation's id and the id of the strategy it became (the tag "Became a strategy that
# works"; the strategy is on the pupil's page); consent is the referral page's consent line.
RECOMMENDATION_IDS = frozenset({"recommendations[].id", "recommendations[].strategy", "consent"})


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "/api/v1/intervention-groups/{id}/",
        "provision.InterventionGroup",
        "/api/v1/intervention-groups/{pk}/",
        ("/provision/groups/{pk}/",),
        pupil_path="places.first.pupil",
        shown_by_both=IDS
        | _items("places[].", {"id", "pupil", "completed"})  # the Status column
        | {"staff_user_ids[]"},  # "Run by" names the staff
    ),
    Endpoint(
        "/api/v1/intervention-groups/",
        "provision.InterventionGroup",
        "/api/v1/intervention-groups/",
        ("/provision/groups/",),
        pupil_path="places.first.pupil",
        list_endpoint=True,
        item_pages=("/provision/groups/{id}/",),
        shown_by_both=_items("results[].", IDS | {"staff_user_ids[]"})
        | _items("results[].places[].", {"id", "pupil", "completed"}),
    ),
    Endpoint(
        "/api/v1/intervention-groups/{id}/sessions/",
        "provision.InterventionSession",
        "/api/v1/intervention-groups/{parent}/sessions/",
        ("/provision/groups/{parent}/",),
        pupil_path="group.places.first.pupil",
        parent_path="group",
        list_endpoint=True,
        # run_by_user_id: "Run by" names them; attendance: the Attended column counts those
        # present and names those absent.
        shown_by_both=_items("results[].", IDS | {"run_by_user_id", "attendance.*"}),
    ),
    Endpoint(
        "/api/v1/provision-map/",
        "provision.GroupPlace",
        "/api/v1/provision-map/?pupil={pupil}",
        ("/provision/", "/support/pupils/{pupil}/"),
        shown_by_both=frozenset(
            {
                "pupils[].pupil",
                "pupils[].over_threshold",  # the map marks pupils over the threshold
                "pupils[].provision[].group",
                "pupils[].provision[].intervention",
            }
        ),
    ),
    Endpoint(
        "/api/v1/ehcp/reviews/{id}/",
        "ehcp.AnnualReview",
        "/api/v1/ehcp/reviews/{pk}/",
        ("/ehcp/reviews/{pk}/", "/ehcp/reviews/{pk}/report/"),
        pupil_path="plan.pupil",
        shown_by_both=IDS
        | {"meeting_held", "invitations[].id", "advice[].id"},  # "Meeting held" step
    ),
    Endpoint(
        "/api/v1/ehcp/plans/{id}/reviews/",
        "ehcp.AnnualReview",
        "/api/v1/ehcp/plans/{parent}/reviews/",
        ("/ehcp/plans/{parent}/",),
        pupil_path="plan.pupil",
        parent_path="plan",
        list_endpoint=True,
        item_pages=("/ehcp/reviews/{id}/", "/ehcp/reviews/{id}/report/"),
        shown_by_both=_items("results[].", IDS | {"meeting_held"})
        | {"results[].invitations[].id", "results[].advice[].id"},
    ),
    Endpoint(
        "/api/v1/deadlines/",
        "ehcp.AnnualReview",
        "/api/v1/deadlines/?from=2000-01-01&to=2100-01-01",
        ("/ehcp/",),
        pupil_path="plan.pupil",
        list_endpoint=True,
        # Open deadlines are on the pupil's EHC page; met ones on the review, plan or request.
        item_pages=(
            "/ehcp/pupils/{pupil}/",
            "/ehcp/reviews/{review}/",
            "/ehcp/plans/{plan}/",
            "/ehcp/requests/{assessment_request}/edit/",
        ),
        shown_by_both=_items(
            "results[].",
            # ids; the reference is the row's id with a prefix (REV-31), on the pupil's EHC page
            # for open deadlines; status and kind are the page's wording ("Overdue", the label).
            {"pupil", "plan", "review", "assessment_request", "reference", "status", "kind"},
        ),
    ),
    Endpoint(
        "/api/v1/ehcp/plans/{id}/",
        "ehcp.EhcPlan",
        "/api/v1/ehcp/plans/{pk}/",
        ("/ehcp/plans/{pk}/",),
        shown_by_both=IDS | {"provision[].intervention"},
    ),
    Endpoint(
        "/api/v1/ehcp/plans/",
        "ehcp.EhcPlan",
        "/api/v1/ehcp/plans/",
        ("/ehcp/plans/",),
        list_endpoint=True,
        item_pages=("/ehcp/plans/{id}/",),
        shown_by_both=_items("results[].", IDS | {"provision[].intervention"}),
    ),
    Endpoint(
        "/api/v1/ehcp/assessment-requests/{id}/",
        "ehcp.AssessmentRequest",
        "/api/v1/ehcp/assessment-requests/{pk}/",
        ("/ehcp/pupils/{pupil}/", "/ehcp/requests/{pk}/edit/"),
        shown_by_both=IDS | LATENESS,
    ),
    Endpoint(
        "/api/v1/ehcp/assessment-requests/",
        "ehcp.AssessmentRequest",
        "/api/v1/ehcp/assessment-requests/",
        ("/ehcp/plans/",),
        list_endpoint=True,
        item_pages=("/ehcp/pupils/{pupil}/", "/ehcp/requests/{id}/edit/"),
        shown_by_both=_items("results[].", IDS | LATENESS),
    ),
    Endpoint(
        "/api/v1/plans/{id}/",
        "support.SupportPlan",
        "/api/v1/plans/{pk}/",
        ("/support/pupils/{pupil}/",),
        shown_by_both=IDS | {"outcomes[].id", "outcomes[].intervention", "provision[]"},
    ),
    Endpoint(
        "/api/v1/plans/",
        "support.SupportPlan",
        "/api/v1/plans/",
        ("/support/",),
        list_endpoint=True,
        item_pages=("/support/pupils/{pupil}/",),
        shown_by_both=_items(
            "results[].", IDS | {"outcomes[].id", "outcomes[].intervention", "provision[]"}
        ),
    ),
    Endpoint(
        "/api/v1/pupils/{pupil_id}/documents/",
        "documents.PupilDocument",
        "/api/v1/pupils/{pupil}/documents/",
        ("/pupils/{pupil}/documents/",),
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS | FILE_FACTS),
    ),
    Endpoint(
        "/api/v1/pupils/{pupil_id}/documents/{document_id}/",
        "documents.PupilDocument",
        "/api/v1/pupils/{pupil}/documents/{pk}/",
        ("/pupils/{pupil}/documents/",),
        shown_by_both=IDS | FILE_FACTS,
    ),
    Endpoint(
        "/api/v1/pupils/{pupil_id}/documents/{document_id}/download/",
        "documents.PupilDocument",
        "/api/v1/pupils/{pupil}/documents/{pk}/download/",
        ("/pupils/{pupil}/documents/{pk}/download/",),
        binary=True,
    ),
    Endpoint(
        "/api/v1/assessments/",
        "support.Assessment",
        "/api/v1/assessments/?pupil={pupil}",
        ("/support/pupils/{pupil}/",),
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS),
    ),
    Endpoint(
        "/api/v1/plans/{id}/reviews/",
        "support.Review",
        "/api/v1/plans/{parent}/reviews/",
        ("/support/pupils/{pupil}/",),
        parent_path="plan",
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS) | {"results[].ratings.*"},
    ),
    Endpoint(
        "/api/v1/referrals/{id}/",
        "agencies.Referral",
        "/api/v1/referrals/{pk}/",
        ("/agencies/referrals/{pk}/",),
        shown_by_both=IDS | RECOMMENDATION_IDS,
    ),
    Endpoint(
        "/api/v1/referrals/",
        "agencies.Referral",
        "/api/v1/referrals/?pupil={pupil}",
        ("/agencies/referrals/",),
        list_endpoint=True,
        item_pages=("/agencies/referrals/{id}/",),
        shown_by_both=_items("results[].", IDS | RECOMMENDATION_IDS),
    ),
    Endpoint(
        "/api/v1/concerns/{id}/",
        "pupils.Concern",
        "/api/v1/concerns/{pk}/",
        ("/concerns/{pk}/",),
        shown_by_both=IDS | {"raised_by_user_id"},
    ),
    Endpoint(
        "/api/v1/concerns/",
        "pupils.Concern",
        "/api/v1/concerns/?pupil={pupil}",
        ("/concerns/",),
        list_endpoint=True,
        item_pages=("/concerns/{id}/",),
        shown_by_both=_items("results[].", IDS | {"raised_by_user_id"}),
    ),
]


# Other domains' pupil-level routes, compared field by field too (their free text is also
# compared by test_field_rights_sweep.py).
# A meeting card tags a planned or cancelled meeting (a held one has no tag); action ids.
MEETING_FACTS = frozenset({"status", "actions[].id"})
PUPIL_FLAGS = frozenset({"eal", "pupil_premium", "free_school_meals", "looked_after"})
ENDPOINTS += [
    Endpoint(
        "/api/v1/pupils/{id}/",
        "pupils.Pupil",
        "/api/v1/pupils/{pupil}/",
        ("/pupils/{pupil}/",),
        pupil_path="self",
        # The pupil page's tags say EAL, PP, FSM, looked after; staff ids name staff.
        shown_by_both=IDS | PUPIL_FLAGS | {"designated_teacher_user_id", "sen_lead_user_id"},
    ),
    Endpoint(
        "/api/v1/pupils/",
        "pupils.Pupil",
        "/api/v1/pupils/",
        ("/pupils/",),
        pupil_path="self",
        list_endpoint=True,
        item_pages=("/pupils/{id}/",),
        shown_by_both=_items(
            "results[].",
            IDS | PUPIL_FLAGS | {"designated_teacher_user_id", "sen_lead_user_id"},
        ),
    ),
    Endpoint(
        "/api/v1/pupils/{id}/sen-history/",
        "pupils.SenHistory",
        "/api/v1/pupils/{pupil}/sen-history/",
        ("/pupils/{pupil}/",),
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS | {"changed_by_user_id"}),
    ),
    Endpoint(
        "/api/v1/pupils/{id}/profile/",
        "pupils.PupilProfile",
        "/api/v1/pupils/{pupil}/profile/",
        ("/pupils/{pupil}/",),
        shown_by_both=IDS,
    ),
    Endpoint(
        "/api/v1/contacts/{id}/",
        "family.Contact",
        "/api/v1/contacts/{pk}/",
        ("/family/pupils/{pupil}/",),
        # "Parental responsibility", "Lives with the pupil", "Needs an interpreter" are the
        # family page's wording of the flags.
        shown_by_both=IDS
        | {"parental_responsibility", "lives_with_pupil", "needs_interpreter", "priority"},
    ),
    Endpoint(
        "/api/v1/contacts/",
        "family.Contact",
        "/api/v1/contacts/?pupil={pupil}",
        ("/family/pupils/{pupil}/",),
        list_endpoint=True,
        shown_by_both=_items(
            "results[].",
            IDS | {"parental_responsibility", "lives_with_pupil", "needs_interpreter", "priority"},
        ),
    ),
    Endpoint(
        "/api/v1/meetings/{id}/",
        "family.Meeting",
        "/api/v1/meetings/{pk}/",
        ("/family/pupils/{pupil}/",),
        shown_by_both=IDS | MEETING_FACTS,
    ),
    Endpoint(
        "/api/v1/meetings/",
        "family.Meeting",
        "/api/v1/meetings/?pupil={pupil}",
        ("/family/pupils/{pupil}/",),
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS | MEETING_FACTS),
    ),
    Endpoint(
        "/api/v1/consents/{id}/",
        "family.Consent",
        "/api/v1/consents/{pk}/",
        ("/family/pupils/{pupil}/",),
        shown_by_both=IDS | {"is_current"},  # the "Current" tag
    ),
    Endpoint(
        "/api/v1/consents/",
        "family.Consent",
        "/api/v1/consents/?pupil={pupil}",
        ("/family/pupils/{pupil}/",),
        list_endpoint=True,
        shown_by_both=_items("results[].", IDS | {"is_current"}),
    ),
]


def _arrangement(pupil: Any) -> models.Model:
    from tests.security.test_field_rights_sweep import _arrangement as make

    return make(pupil)


def _transition(pupil: Any) -> models.Model:
    from tests.security.test_field_rights_sweep import _transition as make

    return make(pupil)


# "Active", "Evidence missing" and the transition's handover line are the pages' wording.
ARRANGEMENT_FLAGS = frozenset({"is_active", "missing_evidence", "extra_time_percent"})
TRANSITION_IDS = frozenset({"destination_school_id", "handover_transfer_id", "steps[].id"})
ENDPOINTS += [
    Endpoint(
        "/api/v1/access-arrangements/{id}/",
        "staff.AccessArrangement",
        "/api/v1/access-arrangements/{pk}/",
        ("/exams/", "/exams/{pk}/edit/"),
        make=_arrangement,
        shown_by_both=IDS | ARRANGEMENT_FLAGS,
    ),
    Endpoint(
        "/api/v1/access-arrangements/",
        "staff.AccessArrangement",
        "/api/v1/access-arrangements/",
        ("/exams/",),
        make=_arrangement,
        list_endpoint=True,
        item_pages=("/exams/{id}/edit/",),
        shown_by_both=_items("results[].", IDS | ARRANGEMENT_FLAGS),
    ),
    Endpoint(
        "/api/v1/transitions/{id}/",
        "staff.Transition",
        "/api/v1/transitions/{pk}/",
        ("/transitions/{pk}/",),
        make=_transition,
        shown_by_both=IDS | TRANSITION_IDS,
    ),
    Endpoint(
        "/api/v1/transitions/",
        "staff.Transition",
        "/api/v1/transitions/",
        ("/transitions/",),
        make=_transition,
        list_endpoint=True,
        item_pages=("/transitions/{id}/",),
        shown_by_both=_items("results[].", IDS | TRANSITION_IDS),
    ),
]

# --- marking -------------------------------------------------------------------------------

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


def _date_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if type(f) is models.DateField and not f.primary_key
    ]


class Marks:
    """Unique markers for text and unique dates, with the field each was given to."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.texts: dict[str, str] = {}
        self.dates: dict[date, str] = {}

    def text(self, where: str) -> str:
        marker = f"Zq{next(self.counter):05d}x"
        self.texts[marker] = where
        return marker

    def date(self, where: str) -> date:
        # Far ahead and 3 days apart: no other date on a page is one of them.
        day = date(2034, 1, 2) + timedelta(days=3 * next(self.counter))
        self.dates[day] = where
        return day

    def row(self, row: models.Model, depth: int = 1) -> None:
        model = type(row)
        values: dict[str, Any] = {}
        for name in _text_fields(model):
            values[name] = self.text(f"{model.__name__}.{name}")
        for name in _date_fields(model):
            if getattr(row, name) is not None:
                values[name] = self.date(f"{model.__name__}.{name}")
        if values:
            model._default_manager.filter(pk=row.pk).update(**values)
        if depth <= 0:
            return
        for rel in model._meta.related_objects:
            if not rel.one_to_many or rel.related_model._meta.app_label in ("audit",):
                continue
            for child in rel.related_model._default_manager.filter(**{rel.field.name: row})[:5]:
                self.row(child, depth - 1)


# --- comparing -----------------------------------------------------------------------------


def leaves(data: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) for every leaf; list items are "[]", keys that are ids are "*"."""
    if isinstance(data, dict):
        for key, value in data.items():
            name = "*" if str(key).isdigit() else str(key)
            yield from leaves(value, f"{path}.{name}" if path else name)
    elif isinstance(data, list):
        for value in data:
            yield from leaves(value, f"{path}[]")
    else:
        yield path, data


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")
_TIME = re.compile(r"^\d{2}:\d{2}:\d{2}$")


def _date_forms(day: date) -> list[str]:
    return [
        f"{day.day} {day:%b %Y}",
        f"{day.day} {day:%B %Y}",
        f"{day:%a} {day.day} {day:%b}",
        f"{day.day} {day:%b}",
        day.isoformat(),
        f"{day:%d/%m/%Y}",
    ]


def _labels() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for model in django_apps.get_models():
        for f in model._meta.concrete_fields:
            for value, label in f.flatchoices or ():
                out.setdefault(str(value), set()).add(str(label))
    return out


def shown(value: Any, page_raw: str, page_text: str, labels: dict[str, set[str]]) -> bool | None:
    """Whether the page writes this value; None when there is nothing to look for. A flag cannot
    be looked for: it counts as not shown unless SHOWN_BY_BOTH says where the page has it."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return re.search(rf"(?<![\d.]){re.escape(str(value))}(?![\d])", page_text) is not None
    text = str(value)
    if text.startswith("Zq"):
        return text.lower() in page_raw.lower()  # a page may write it in capitals
    if _ISO_DATE.match(text) or _ISO_DATETIME.match(text):
        day = date.fromisoformat(text[:10])
        return any(form in page_text for form in _date_forms(day))
    if _TIME.match(text):
        return text[:5] in page_text
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is not None:
        forms = {text, f"{number:,.2f}", f"{number:,.0f}", f"{number.normalize():f}"}
        return any(re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", page_text) for form in forms)
    lowered = page_text.lower()
    candidates = {text, text.replace("_", " "), *labels.get(text, ())}
    return any(c.lower() in lowered for c in candidates if c)


def _attr(row: Any, path: str) -> Any:
    if path == "self":
        return row
    for part in path.split("."):
        row = getattr(row, part)
        if part == "first":
            row = row()
    return row


# --- the harness ---------------------------------------------------------------------------


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


def _visible_to_staff(people: dict[str, Any], pupil: Any, row: Any) -> None:
    """The pupil is in teacher_a's class and assigned to teaching_assistant_a, and both run the
    row's intervention group, so every role that may see the row does."""
    from apps.provision.models import InterventionGroup
    from apps.pupils import services
    from apps.pupils.models import TAAssignment
    from tests.pupils.factories import make_class

    make_class(f"FB{pupil.pk}", staff=[people["teacher_a"]], pupils=[pupil])
    if not TAAssignment.objects.filter(
        pupil=pupil, user_id=people["teaching_assistant_a"].pk
    ).exists():
        services.ta_assign(acting_user=None, pupil=pupil, user_id=people["teaching_assistant_a"].pk)
    group = None
    if isinstance(row, InterventionGroup):
        group = row
    elif hasattr(row, "group"):
        group = row.group
    if group is not None:
        staff = {*group.staff_user_ids, people["teacher_a"].pk, people["teaching_assistant_a"].pk}
        InterventionGroup.objects.filter(pk=group.pk).update(staff_user_ids=sorted(staff))


def _row_for(endpoint: Endpoint) -> Any:
    model = django_apps.get_model(endpoint.model)
    rows = model._default_manager.order_by("pk")
    if endpoint.model == "provision.InterventionGroup":
        rows = rows.filter(places__isnull=False, sessions__isnull=False).distinct()
    if endpoint.model == "provision.InterventionSession":
        rows = rows.filter(group__places__isnull=False).distinct()
    row = rows.first()
    if row is None and endpoint.make is not None:
        from apps.pupils.models import Pupil

        row = endpoint.make(Pupil.objects.on_roll().order_by("pk").first())
    assert row is not None, f"the demo data has no {endpoint.model}"
    return row


MAX_ITEMS = 12


def _mark_endpoint(endpoint: Endpoint, row: Any, marks: Marks) -> Any:
    """Mark the row (or its parent and the parent's rows) and return the parent, if any."""
    parent = _attr(row, endpoint.parent_path) if endpoint.parent_path else None
    marks.row(parent if parent is not None else row, depth=2 if parent is not None else 1)
    if endpoint.model == "provision.GroupPlace":
        marks.row(row.group, depth=1)  # the map names the group's intervention
    return parent


@dataclass
class Finding:
    role: str
    only_api: list[str] = field(default_factory=list)
    refused_page_not_api: bool = False


def _compare(
    endpoint: Endpoint, seeded: Any, people: dict[str, Any], client_for: Any, api_for: Any
) -> tuple[dict[str, Finding], list[str]]:
    school = seeded
    marks = Marks()
    with in_school(school):
        row = _row_for(endpoint)
        pupil = _attr(row, endpoint.pupil_path)
        _visible_to_staff(people, pupil, row)
        parent = _mark_endpoint(endpoint, row, marks)
    ids = {"pk": row.pk, "pupil": pupil.pk, "parent": parent.pk if parent is not None else ""}
    labels = _labels()
    findings: dict[str, Finding] = {}
    answered: list[str] = []
    for role in ROLES:
        page_client = client_for(people[role], school)
        raw = ""
        for page in endpoint.pages:
            response = page_client.get(page.format(**ids))
            if response.status_code == 200:
                raw += response.content.decode(errors="replace")
        api = api_for(people[role], school).get(endpoint.api.format(**ids))
        finding = Finding(role)
        if api.status_code in (401, 403, 404):
            continue
        assert api.status_code == 200, (role, endpoint.api, api.status_code, api.content[:300])
        answered.append(role)
        if endpoint.binary:
            if not raw:
                finding.refused_page_not_api = True
                findings[role] = finding
            continue
        body = api.json()
        rows = body.get("results", body) if endpoint.list_endpoint else body
        if endpoint.list_endpoint and not rows:
            continue
        for item in rows[:MAX_ITEMS] if endpoint.list_endpoint else ():
            for page in endpoint.item_pages:
                response = page_client.get(page.format(**item))
                if response.status_code == 200:
                    raw += response.content.decode(errors="replace")
        if not raw:
            finding.refused_page_not_api = True
            findings[role] = finding
            continue
        text = unescape(re.sub(r"<[^>]+>", " ", raw))
        text = re.sub(r"\s+", " ", text)
        compared = {"results": rows[:MAX_ITEMS]} if endpoint.list_endpoint else body
        for path, value in leaves(compared):
            if path in endpoint.shown_by_both or path in ("count", "next", "previous"):
                continue
            found = shown(value, raw, text, labels)
            if found is False and path not in finding.only_api:
                finding.only_api.append(path)
        if finding.only_api:
            findings[role] = finding
    return findings, answered


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.api.split("?")[0])
def test_per_role_the_api_returns_no_value_the_pages_hide(
    seeded, people, client_for, api_for, endpoint
):
    findings, answered = _compare(endpoint, seeded, people, client_for, api_for)
    assert "senco_a" in answered, "the SENCo reads every resource through the API"
    report: dict[str, list[str]] = {}
    for role, f in findings.items():
        for what in ["(page refused, API answered)"] if f.refused_page_not_api else f.only_api:
            report.setdefault(what, []).append(role)
    assert not report, f"{endpoint.api}: values the API returns but no page shows: {report}"


# --- no GET route escapes ------------------------------------------------------------------

# GET routes that return no pupil-level record: nothing to compare.
NOT_PUPIL_LEVEL = {
    "/api/v1/me/": "the caller's own account and role",
    "/api/v1/agencies/": "the directory of agencies: professionals' work contacts",
    "/api/v1/agencies/{id}/": "the directory of agencies: professionals' work contacts",
    "/api/v1/interventions/": "the school's catalogue of interventions",
    "/api/v1/interventions/{id}/": "the school's catalogue of interventions",
    "/api/v1/provision-map/impact/": "figures per intervention, no pupil",
    "/api/v1/staff/": "staff records (SENCo and headteacher), no pupil",
    "/api/v1/staff/{id}/": "staff records (SENCo and headteacher), no pupil",
    "/api/v1/training/": "staff training records, no pupil",
    "/api/v1/training/{id}/": "staff training records, no pupil",
}

# Pupil-level GET routes of domains outside this sweep's list (issue #11 item 6 names provision,
# EHC annual reviews, documents, support, referrals and concerns). Each is named here so that it
# is a decision, not an oversight; see the report of issue #11 for what remains.
OUTSIDE_THIS_SWEEP = {
    "/api/v1/imports/": "import batches (the office's MIS imports), not yet compared",
    "/api/v1/imports/{import_id}/": "an import batch and its preview, not yet compared",
    # Files that leave the school by an explicit, audited act of the school's own staff
    # (school_staff_only capabilities); the exports page offers the same files to the same roles.
    "/api/v1/exports/census/": "census file (exchange), not compared field by field",
    "/api/v1/exports/register/": "register file (exchange), not compared field by field",
    "/api/v1/exports/pupils/{pupil_id}/ctf/": "a leaver's CTF (exchange)",
    "/api/v1/exports/pupils/{pupil_id}/subject-access/": "a subject access export (exchange)",
}


def _free_text_swept_routes() -> set[str]:
    """Detail routes the free-text sweep (test_field_rights_sweep.RESOURCES) compares."""
    from tests.http.contract import route_of
    from tests.security.test_field_rights_sweep import RESOURCES

    out = set()
    for resource in RESOURCES:
        path = resource.api.format(pk=1, pupil=1).split("?")[0]
        route = route_of("GET", path)
        assert route is not None, resource.api
        out.add(route.removeprefix("GET "))
    return out


def test_every_get_route_is_swept():
    """Every GET route of the school host's OpenAPI schema is compared here or by the free-text
    sweep, or is named above with the reason it is not: a new endpoint fails this test until
    someone decides."""
    from tests.http.contract import schema

    routes = {
        path
        for path, operations in schema("sencohub.urls_school")["paths"].items()
        if "get" in operations
    }
    compared = {e.route for e in ENDPOINTS}
    decided = compared | _free_text_swept_routes() | set(NOT_PUPIL_LEVEL) | set(OUTSIDE_THIS_SWEEP)
    assert routes - decided == set(), "GET routes no field-rights sweep compares"
    assert decided - routes == set(), "routes named here that the schema no longer has"


# --- attacks: staff without the pupil, another school's ids ---------------------------------


@pytest.fixture
def outsiders(people, school_a):
    """A teacher who does not teach the pupil and a TA not assigned to them, in school A."""
    from tenants.models import User
    from tenants.roles import SchoolRole
    from tenants.services import school_membership_set

    out = {}
    for key, role in (
        ("teacher_elsewhere", SchoolRole.TEACHER),
        ("ta_unassigned", SchoolRole.TEACHING_ASSISTANT),
    ):
        user = User.objects.create_user(
            email=f"{key}@example.test", password="x" * 16, full_name=key.title()
        )
        school_membership_set(acting_user=None, user=user, school=school_a, role=role)
        out[key] = user
    return out


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if not e.binary], ids=lambda e: e.api.split("?")[0]
)
def test_no_marked_value_reaches_staff_without_the_pupil_or_another_school(
    seeded, people, outsiders, school_b, client_for, api_for, endpoint
):
    school = seeded
    marks = Marks()
    with in_school(school):
        row = _row_for(endpoint)
        pupil = _attr(row, endpoint.pupil_path)
        parent = _mark_endpoint(endpoint, row, marks)
    ids = {"pk": row.pk, "pupil": pupil.pk, "parent": parent.pk if parent is not None else ""}
    url = endpoint.api.format(**ids)
    readers = [
        (api_for(outsiders["teacher_elsewhere"], school), "a teacher who does not teach them"),
        (api_for(outsiders["ta_unassigned"], school), "a TA not assigned to them"),
        # The same ids on another school's host: that school's rows or nothing, never these.
        (api_for(people["senco_b"], school_b), "another school's SENCo, on their host"),
        (api_for(people["senco_a"], school_b), "this school's SENCo on another school's host"),
        (api_for(people["trust_send_lead_a"], school_b), "a SEND lead of another trust"),
        (api_for(people["trust_viewer_a"], school), "a trust viewer (no drill-down)"),
    ]
    assert marks.texts, f"{endpoint.model} has nothing to mark"
    for client, who in readers:
        response = client.get(url)
        assert response.status_code in (200, 401, 403, 404), (who, response.status_code)
        body = response.content.decode(errors="replace")
        leaked = sorted(where for marker, where in marks.texts.items() if marker in body)
        assert not leaked, f"{who} read {leaked} through {url}"
    # ...and the pupil's pages refuse the same people.
    for key in ("teacher_elsewhere", "ta_unassigned"):
        page_client = client_for(outsiders[key], school)
        for page in endpoint.pages:
            body = page_client.get(page.format(**ids)).content.decode(errors="replace")
            assert not [m for m in marks.texts if m in body], (key, page)
