"""Pupils for exchange and documents tests, made through the register's own service."""

from __future__ import annotations

import datetime as dt
import itertools

from apps.pupils import services
from apps.pupils.models import Pupil, TeachingGroup

from .samples import make_upn

_serial = itertools.count(500)


def add_pupil(
    *,
    provision: str = "N",
    primary_need: str = "",
    secondary_need: str = "",
    identified: dt.date | None = None,
    **details,
) -> Pupil:
    values = dict(
        upn=make_upn(next(_serial) % 1000, estab="3001"),
        first_name="Amelia",
        last_name="Barker",
        date_of_birth=dt.date(2016, 3, 14),
        gender="F",
        year_group="4",
        form="4B",
    )
    values.update(details)
    return services.pupil_create(
        acting_user=None,
        sen_provision=provision,
        primary_need=primary_need,
        secondary_need=secondary_need,
        sen_identified_on=identified,
        **values,
    )


def add_class(name: str, *, staff=(), pupils=()) -> TeachingGroup:
    return services.teaching_group_create(
        acting_user=None,
        name=name,
        year_group="4",
        staff_user_ids=[u.pk for u in staff],
        pupil_ids=[p.pk for p in pupils],
    )
