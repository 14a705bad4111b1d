"""Who may import and export (documented in README "Imports and exports").

- Import (MIS CSV, CTF): SENCo, headteacher, office / data manager. An import writes pupils and
  their register history, so trust staff (read only) never import.
- Census, register and leaver's CTF exports: the same three roles, school staff only: a file
  of pupil data leaving the school is an explicit act by the school.
- Subject access export (everything held about one pupil, SEND detail included): SENCo and
  headteacher only.
- Teachers, teaching assistants and governors: none of these (governors see no pupil-level data).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from tenants.roles import SchoolRole

IMPORT_ROLES = frozenset({SchoolRole.SENCO, SchoolRole.HEADTEACHER, SchoolRole.OFFICE})
EXPORT_ROLES = IMPORT_ROLES
SUBJECT_ACCESS_ROLES = frozenset({SchoolRole.SENCO, SchoolRole.HEADTEACHER})


def _school_role(access) -> str | None:
    if access is None or access.via_trust:
        return None
    return access.school_role


def can_import(access) -> bool:
    return _school_role(access) in IMPORT_ROLES


def can_export(access) -> bool:
    return _school_role(access) in EXPORT_ROLES


def can_export_subject_access(access) -> bool:
    return _school_role(access) in SUBJECT_ACCESS_ROLES


def require(allowed: bool, access) -> None:
    if not allowed:
        if access is not None and access.via_trust:
            raise PermissionDenied(
                "Imports and exports are done by the school's own staff, not trust staff."
            )
        raise PermissionDenied("Your role cannot do this.")
