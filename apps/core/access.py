"""The one base for rights in every domain package (DESIGN.md "Layers inside a domain package").

Each domain's ``access.py`` declares its rights as one table of capabilities built with
:func:`read` and :func:`write`, wrapped in :class:`Rights`; pages, the API and services ask that
table and nothing else decides rights. The rules every domain shares are written here once:

- the role whose rights apply (:func:`effective_role`): a trust SEND lead admitted to a school
  reads as a headteacher;
- trust staff read only: a write capability is never granted through a trust role;
- some reads are the school's own staff's to do (exports: a file of pupil data leaving the school
  is an explicit act by the school), marked ``school_staff_only``.

Rights in the trust console (public schema) are held through a trust role, not a school role:
:class:`TrustRights` is the same idea keyed by trust roles (``apps/trust/access.py``,
``apps/billing/access.py``).

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
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import Http404

from tenants.access import school_access_for
from tenants.models import TrustMembership
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


def access_for(user: Any, request: Any = None, *, domain: str = "School records") -> Any:
    """The acting user's standing in the school whose schema is current (a SchoolAccess, or None
    when they have none). Computed once per request: the access gate's ``request.school_access``
    is used when the request is the acting user's; otherwise (tasks, the shell) it is worked out.
    Raises PermissionDenied outside a school."""
    school = getattr(connection, "tenant", None)
    if school is None or getattr(school, "schema_name", "public") == "public":
        raise PermissionDenied(f"{domain} live in a school: open the school first.")
    if (
        request is not None
        and hasattr(request, "school_access")
        and getattr(request, "user", None) == user
        and getattr(request, "school", None) is not None
        and request.school.pk == school.pk
    ):
        return request.school_access
    return school_access_for(user, school)


_Row = TypeVar("_Row", bound=Model)


def one_or_404(rows: QuerySet[_Row], pk: int, what: str) -> _Row:
    """The row with this id among ``rows`` (what the user may see, already scoped), or a 404 that
    says the same for "not yours" as for "not there". ``what`` names it: "No {what} with that id
    that you can see." The load half of every ``get_<thing>_for``."""
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404(f"No {what} with that id that you can see.")
    return row


class Rights:
    """One domain's rights: capability name -> Capability."""

    def __init__(
        self,
        domain: str,
        table: Mapping[str, Capability],
        *,
        denied_message: str | None = None,
        trust_denied_message: str = TRUST_READ_ONLY_MESSAGE,
    ) -> None:
        self.domain = domain
        self.table = dict(table)
        self.denied_message = denied_message or f"Your role cannot do this with {domain}."
        self.trust_denied_message = trust_denied_message

    def access_for(self, user: Any, request: Any = None) -> Any:
        """See :func:`access_for`; the message outside a school names this domain."""
        return access_for(user, request, domain=self.domain[:1].upper() + self.domain[1:])

    def __getitem__(self, capability: str) -> Capability:
        return self.table[capability]

    def can(self, access: Access | None, capability: str) -> bool:
        return allows(access, self.table[capability])

    def require(self, access: Access | None, capability: str) -> None:
        """Raise PermissionDenied, with a message the user can act on, unless allowed."""
        if self.can(access, capability):
            return
        if access is not None and access.via_trust and self.table[capability].school_staff_only:
            raise PermissionDenied(self.trust_denied_message)
        raise PermissionDenied(self.denied_message)

    def roles(self, capability: str) -> frozenset[str]:
        """Roles for API base classes' ``allowed_roles`` / ``write_roles``."""
        return self.table[capability].roles


class TrustRights:
    """One console domain's rights: capability name -> the trust roles that have it. A trust role
    never writes a school's records (see Rights); these are the console's own things: schools,
    users, settings, shared SENCos, the library, billing."""

    def __init__(
        self,
        domain: str,
        table: Mapping[str, frozenset[str]],
        *,
        denied_message: str | None = None,
    ) -> None:
        self.domain = domain
        self.table = {name: frozenset(roles) for name, roles in table.items()}
        self.denied_message = denied_message or f"Your trust role cannot do this in {domain}."

    def roles(self, capability: str) -> frozenset[str]:
        return self.table[capability]

    def role_in(self, user: Any, trust_id: int) -> str | None:
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        return (
            TrustMembership.objects.filter(user=user, trust_id=trust_id)
            .values_list("role", flat=True)
            .first()
        )

    def can(self, user: Any, trust_id: int, capability: str) -> bool:
        return self.role_in(user, trust_id) in self.table[capability]

    def require(self, user: Any, trust_id: int, capability: str) -> None:
        """Refuse unless ``user`` holds a role with ``capability`` in the trust. ``user`` None is
        the system itself (demo seeding, tasks): allowed."""
        if user is None:
            return
        if not self.can(user, trust_id, capability):
            raise PermissionDenied(self.denied_message)
