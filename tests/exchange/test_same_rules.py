"""One set of pupil field rules: the importer and the pupil services (pages and the API) refuse the
same bad detail with the same words (apps.pupils.rules.pupil_detail_errors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.exchange.records import SourceRow
from apps.exchange.validation import validate_rows
from apps.pupils import services
from apps.pupils.models import Pupil

from .samples import make_upn

TODAY = dt.date.today()
GOOD = {
    "upn": "",
    "surname": "Moss",
    "forename": "Ava",
    "date_of_birth": "2015-05-01",
    "sex": "F",
    "year_group": "5",
}
# (file column, raw value in the file, pupil field, value given to the service)
CASES = [
    ("year_group", "14", "year_group", "14"),
    ("sex", "Q", "gender", "Q"),
    ("surname", "x" * 101, "last_name", "x" * 101),
    ("form", "f" * 21, "form", "f" * 21),
    ("date_of_birth", "2099-01-01", "date_of_birth", dt.date(2099, 1, 1)),
    ("surname", "", "last_name", ""),
]


def _import_messages(column: str, raw: str) -> list[str]:
    fields = {**GOOD, "upn": make_upn(7), column: raw}
    row = SourceRow(number=1, label="Row 1", fields=fields, where={k: k for k in fields})
    _, errors = validate_rows([row], today=TODAY)
    return [e.message for e in errors if e.field == column]


def _service_messages(field: str, value: object) -> list[str]:
    details = {
        "upn": make_upn(8),
        "first_name": "Ava",
        "last_name": "Moss",
        "date_of_birth": dt.date(2015, 5, 1),
        "gender": "F",
        "year_group": "5",
        field: value,
    }
    with pytest.raises(ValidationError) as refused:
        services.pupil_create(acting_user=None, **details)
    return refused.value.message_dict[field]


@pytest.mark.parametrize("column, raw, field, value", CASES)
def test_the_importer_and_the_pages_say_the_same_thing(in_a, column, raw, field, value):
    from_the_file = _import_messages(column, raw)
    from_a_page = _service_messages(field, value)
    assert from_the_file and from_the_file == from_a_page
    assert not Pupil.objects.exists()
