"""Making pupils for tests, through the services (so every row is valid and audited)."""

from __future__ import annotations

import datetime as dt
import itertools
import random

from apps.pupils import services
from apps.pupils.models import Pupil, TeachingGroup
from apps.pupils.upn import make_upn

_serial = itertools.count(1)


def new_upn() -> str:
    n = next(_serial)
    return make_upn(
        la=382, establishment=2000 + n // 1000, year=random.randint(10, 25), serial=n % 1000
    )


def make_pupil(
    *, provision: str = "N", primary_need: str = "", secondary_need: str = "", **details
) -> Pupil:
    values = dict(
        upn=new_upn(),
        first_name="Amelia",
        last_name="Barker",
        date_of_birth=dt.date(2017, 3, 14),
        gender="F",
        year_group="3",
        form="3B",
    )
    values.update(details)
    return services.pupil_create(
        acting_user=None,
        sen_provision=provision,
        primary_need=primary_need,
        secondary_need=secondary_need,
        **values,
    )


def make_class(name: str, *, staff=(), pupils=()) -> TeachingGroup:
    return services.teaching_group_create(
        acting_user=None,
        name=name,
        year_group="3",
        staff_user_ids=[u.pk for u in staff],
        pupil_ids=[p.pk for p in pupils],
    )
