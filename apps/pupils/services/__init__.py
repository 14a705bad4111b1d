"""Every write to pupil records, split by noun (one module each). Each function is atomic, checks
that the acting user may do it (acting_user=None means the system itself: demo seeding, a
confirmed import run by a task), and writes the audit row. Bad input raises
django.core.exceptions.ValidationError with a message per field, and nothing is written.

Callers (HTML views, the API, imports) pass plain values and import this package
(``from apps.pupils import services; services.pupil_create(...)``); these functions own the rules.
"""

from __future__ import annotations

from ._common import DETAIL_FIELDS, PROFILE_FIELDS, REGISTER_FIELDS, authorise
from .classes import ta_assign, ta_unassign, teaching_group_create, teaching_group_set_staff
from .concerns import concern_raise, concern_triage
from .profiles import profile_update, voice_add
from .pupils import pupil_change, pupil_create, pupil_update, pupil_validate
from .register import register_set_status
from .strategies import strategy_add, strategy_retire

__all__ = [
    "DETAIL_FIELDS",
    "PROFILE_FIELDS",
    "REGISTER_FIELDS",
    "authorise",
    "concern_raise",
    "concern_triage",
    "profile_update",
    "pupil_change",
    "pupil_create",
    "pupil_update",
    "pupil_validate",
    "register_set_status",
    "strategy_add",
    "strategy_retire",
    "ta_assign",
    "ta_unassign",
    "teaching_group_create",
    "teaching_group_set_staff",
    "voice_add",
]
