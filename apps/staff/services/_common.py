from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def raise_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def text(value: Any) -> str:
    return str(value or "").strip()
