"""One number on roll. The school's pupil records decide it (pupils on roll today); the copy on
the school's public row (School.number_on_roll: what the trust console and billing read, entered
by hand at onboarding) follows it every night, once the school has records, so every page and the
Stripe quantity show the same figure."""

from __future__ import annotations

from tenants.models import School
from tenants.typing import tenant_db

from .models import Pupil


def pupils_on_roll() -> int:
    """Pupils on roll today in the current school's schema."""
    return Pupil.objects.on_roll().count()


def number_on_roll(school: School) -> int:
    """The school's number on roll: from its records once it has any, else the onboarding figure."""
    return pupils_on_roll() or school.number_on_roll


def school_roll_sync(*, school: School) -> int:
    """Copy the records' number on roll to the school's public row (no pupil data leaves: one
    count). Run in the school's own schema; a school with no records yet keeps its figure."""
    if tenant_db.schema_name != school.schema_name:
        raise RuntimeError("school_roll_sync must run in the school's own schema")
    count = pupils_on_roll()
    if count and count != school.number_on_roll:
        School.objects.filter(pk=school.pk).update(number_on_roll=count)
        school.number_on_roll = count
    return school.number_on_roll
