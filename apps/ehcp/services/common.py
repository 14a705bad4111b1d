from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from apps.pupils.models import Pupil

from .. import access as rights

Errors = dict[str, list[str]]


def today() -> dt.date:
    return timezone.localdate()


def school_access(user: Any) -> Any:
    from tenants.access import school_access_for

    school = getattr(connection, "tenant", None)
    if school is None or getattr(school, "schema_name", "public") == "public":
        raise PermissionDenied("EHC records live in a school: open the school first.")
    return school_access_for(user, school)


def authorise(acting_user: Any, capability: str, pupil: Pupil | None = None) -> Any:
    """Refuse unless acting_user may use `capability` (on `pupil`, if given). None = system."""
    if acting_user is None:
        return None
    access = school_access(acting_user)
    rights.RIGHTS.require(access, capability)
    if pupil is not None:
        from apps.pupils.access import can_see_pupil

        if not can_see_pupil(access, acting_user, pupil.pk):
            raise PermissionDenied("You can only work with pupils you teach or support.")
    return access


def raise_if(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def merge(errors: Errors, more: Errors) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)


def clean_text(value: Any) -> str:
    return str(value or "").strip()


def check_choice(
    errors: Errors, field: str, value: str, choices: Any, *, allow_blank: bool = False
) -> None:
    if allow_blank and value == "":
        return
    if value not in choices.values:
        add(errors, field, f"Use one of: {', '.join(v for v in choices.values if v)}.")


def check_not_before_birth(errors: Errors, field: str, value: dt.date | None, pupil: Pupil) -> None:
    if value is not None and value < pupil.date_of_birth:
        add(errors, field, "This date is before the pupil was born.")


def uid(user: Any) -> int | None:
    return getattr(user, "pk", None) if user is not None else None
