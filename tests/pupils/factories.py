"""Making pupils for tests, through the services (so every row is valid and audited)."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import factory

from apps.pupils import services
from apps.pupils.models import Pupil, TeachingGroup
from apps.pupils.upn import make_upn

_serial = itertools.count(1)


def new_upn() -> str:
    n = next(_serial)
    return make_upn(
        la=382, establishment=2000 + n // 1000, year=random.randint(10, 25), serial=n % 1000
    )


class PupilFactory(factory.Factory):
    """A valid pupil, made through pupil_create (so it is validated and audited like any other).
    Register codes go in as provision / primary_need / secondary_need."""

    class Meta:
        model = Pupil

    upn = factory.LazyFunction(new_upn)
    first_name = "Amelia"
    last_name = "Barker"
    date_of_birth = dt.date(2017, 3, 14)
    gender = "F"
    year_group = "3"
    form = "3B"
    provision = "N"
    primary_need = ""
    secondary_need = ""

    @classmethod
    def _create(cls, model_class: type[Pupil], *args: Any, **values: Any) -> Pupil:
        return services.pupil_create(
            acting_user=None,
            sen_provision=values.pop("provision"),
            primary_need=values.pop("primary_need"),
            secondary_need=values.pop("secondary_need"),
            **values,
        )


def make_pupil(**values: Any) -> Pupil:
    return PupilFactory(**values)


def make_class(name: str, *, staff=(), pupils=()) -> TeachingGroup:
    return services.teaching_group_create(
        acting_user=None,
        name=name,
        year_group="3",
        staff_user_ids=[u.pk for u in staff],
        pupil_ids=[p.pk for p in pupils],
    )
