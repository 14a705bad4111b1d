"""Reads for the import and export pages (rights are checked by the caller: access.py)."""

from __future__ import annotations

from django.db.models import QuerySet

from apps.pupils.models import Pupil

from .models import ImportBatch


def recent_imports(limit: int = 10) -> list[ImportBatch]:
    """The school's latest imports, without their (large) previews and reports."""
    return list(ImportBatch.objects.defer("preview", "row_errors")[:limit])


def pupils_for_exports() -> QuerySet[Pupil]:
    """Every pupil, by name, for the leaver's CTF and subject access pickers."""
    return Pupil.objects.order_by("last_name", "first_name", "id")
