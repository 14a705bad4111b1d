"""Every aria-describedby / aria-labelledby on the product's form pages points at an element that
exists (so hints and errors are read out), on school and trust pages alike."""

from __future__ import annotations

import re

import pytest

from tests.pupils.factories import make_pupil
from tests.support import in_school

IDREF = re.compile(r'aria-(?:describedby|labelledby)="([^"]+)"')
ID = re.compile(r'\sid="([^"]+)"')


def _missing_ids(html: str) -> set[str]:
    ids = set(ID.findall(html))
    return {ref for refs in IDREF.findall(html) for ref in refs.split() if ref not in ids}


SCHOOL_PAGES = [
    "/",
    "/pupils/",
    "/pupils/new/",
    "/pupils/{pupil}/",
    "/pupils/{pupil}/edit/",
    "/pupils/{pupil}/register/",
    "/pupils/{pupil}/profile/",
    "/pupils/{pupil}/voice/",
    "/pupils/{pupil}/strategies/",
    "/pupils/{pupil}/concerns/new/",
    "/pupils/classes/",
    "/concerns/",
    "/concerns/new/",
    "/imports/",
    "/exports/",
    "/audit/",
    "/trust-transfers/",
]
TRUST_PAGES = [
    "/",
    "/schools/",
    "/schools/new/",
    "/people/",
    "/settings/",
    "/dashboard/",
    "/shared-sencos/",
    "/shared-sencos/new/",
    "/qualifications/",
    "/library/",
    "/library/publish/",
    "/transfers/",
    "/billing/",
]


def test_school_form_pages_describe_fields_with_ids_that_exist(client_for, people, school_a):
    with in_school(school_a):
        pupil = make_pupil(provision="K", primary_need="SLCN")
    client = client_for(people["senco_a"], school_a)
    broken = {}
    for path in SCHOOL_PAGES:
        response = client.get(path.format(pupil=pupil.pk))
        if response.status_code != 200:
            continue
        missing = _missing_ids(response.content.decode())
        if missing:
            broken[path] = missing
    assert not broken


@pytest.mark.parametrize("who", ["trust_trust_admin_a", "trust_send_lead_a"])
def test_trust_form_pages_describe_fields_with_ids_that_exist(client_for, people, who):
    client = client_for(people[who])
    broken = {}
    for path in TRUST_PAGES:
        response = client.get(path)
        if response.status_code != 200:
            continue
        missing = _missing_ids(response.content.decode())
        if missing:
            broken[path] = missing
    assert not broken


def test_forms_with_errors_keep_their_references(client_for, people, school_a):
    html = client_for(people["senco_a"], school_a).post("/pupils/new/", {"upn": "bad"}).content
    assert not _missing_ids(html.decode())
