"""Reads of pupil documents, always through what the person may see (one document or one pupil:
``access.get_document_for`` / ``access.get_pupil_for``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.core.access import Access

from . import access as rights
from .models import PupilDocument


def documents_for_pupil(
    *, access: Access | None, user: Any, pupil_id: int
) -> QuerySet[PupilDocument]:
    return PupilDocument.objects.filter(
        pupil_id=pupil_id, pupil__in=rights.visible_pupils(access, user)
    ).select_related("pupil")
