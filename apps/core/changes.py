"""Applying an update's changes to a row, the one way every ``<noun>_update`` service does it."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from django.db.models import Model


def apply_changes(
    row: Model, changes: Mapping[str, Any], fields: Collection[str], *, strip: bool = False
) -> list[str]:
    """Set on ``row`` each of ``changes`` that names one of ``fields`` and differs from what the
    row holds (text stripped first with ``strip``); anything else is ignored. Returns the names
    of the fields changed, in the order given: empty means nothing to save or record."""
    changed: list[str] = []
    for key, value in changes.items():
        if key not in fields:
            continue
        if strip and isinstance(value, str):
            value = value.strip()
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed.append(key)
    return changed
