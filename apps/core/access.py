"""The one base for rights in every domain package (DESIGN.md "Layers inside a domain package").

Each domain's ``access.py`` declares its rights as one table of capabilities built with
:func:`read` and :func:`write`, wrapped in :class:`Rights`; pages, the API and services ask that
table and nothing else decides rights. The rules every domain shares are written here once:

- the role whose rights apply (:func:`effective_role`): a trust SEND lead admitted to a school
  reads as a headteacher;
- trust staff read only: a write capability is never granted through a trust role;
- some reads are the school's own staff's to do (exports: a file of pupil data leaving the school
  is an explicit act by the school), marked ``school_staff_only``.

Example (``apps/<domain>/access.py``)::

    RIGHTS = Rights(
        "support plans",
        {
            "see_plans": read(SENCO, HEAD, TEACHER, TA),
            "write_plan": write(SENCO),
        },
    )
    RIGHTS.can(request.school_access, "write_plan")       # -> bool
    RIGHTS.require(request.school_access, "write_plan")   # raises PermissionDenied with a message
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import PermissionDenied

from tenants.roles import SchoolRole, TrustRole

SENCO = SchoolRole.SENCO
HEAD = SchoolRole.HEADTEACHER
TEACHER = SchoolRole.TEACHER
TA = SchoolRole.TEACHING_ASSISTANT
OFFICE = SchoolRole.OFFICE
GOVERNOR = SchoolRole.GOVERNOR

# Role sets most domains use.
WHOLE_SCHOOL_ROLES = frozenset({SENCO, HEAD, OFFICE})
PUPIL_ROLES = frozenset({SENCO, HEAD, TEACHER, TA, OFFICE})
SEND_DETAIL_ROLES = frozenset({SENCO, HEAD, TEACHER, TA})

TRUST_READ_ONLY_MESSAGE = "Trust staff can read a school's records but not change them."


class Access(Protocol):
    """What the access gate puts on ``request.school_access`` (tenants.access.SchoolAccess)."""

    @property
    def school_role(self) -> str | None: ...

    @property
    def trust_role(self) -> str | None: ...

    @property
    def via_trust(self) -> bool: ...


@dataclass(frozen=True)
class Capability:
    roles: frozenset[str]
    is_write: bool
    school_staff_only: bool = False


def read(*roles: str | frozenset[str], school_staff_only: bool = False) -> Capability:
    return Capability(_roles(roles), is_write=False, school_staff_only=school_staff_only)


def write(*roles: str | frozenset[str]) -> Capability:
    return Capability(_roles(roles), is_write=True, school_staff_only=True)


def _roles(items: tuple[str | frozenset[str], ...]) -> frozenset[str]:
    out: set[str] = set()
    for item in items:
        if isinstance(item, frozenset):
            out |= item
        else:
            out.add(item)
    return frozenset(out)


def effective_role(access: Access | None) -> str | None:
    """The school role whose rights apply: trust SEND leads read as a headteacher."""
    if access is None:
        return None
    if access.school_role:
        return access.school_role
    if access.trust_role == TrustRole.SEND_LEAD:
        return HEAD
    return None


def allows(access: Access | None, capability: Capability) -> bool:
    role = effective_role(access)
    if role is None or access is None:
        return False
    if capability.school_staff_only and access.via_trust:
        return False  # trust staff read only, written once
    return role in capability.roles


class Rights:
    """One domain's rights: capability name -> Capability."""

    def __init__(
        self,
        domain: str,
        table: Mapping[str, Capability],
        *,
        denied_message: str | None = None,
    ) -> None:
        self.domain = domain
        self.table = dict(table)
        self.denied_message = denied_message or f"Your role cannot do this with {domain}."

    def __getitem__(self, capability: str) -> Capability:
        return self.table[capability]

    def can(self, access: Access | None, capability: str) -> bool:
        return allows(access, self.table[capability])

    def require(self, access: Access | None, capability: str) -> None:
        """Raise PermissionDenied, with a message the user can act on, unless allowed."""
        if self.can(access, capability):
            return
        if access is not None and access.via_trust and self.table[capability].school_staff_only:
            raise PermissionDenied(TRUST_READ_ONLY_MESSAGE)
        raise PermissionDenied(self.denied_message)

    def roles(self, capability: str) -> frozenset[str]:
        """Roles for API base classes' ``allowed_roles`` / ``write_roles``."""
        return self.table[capability].roles
