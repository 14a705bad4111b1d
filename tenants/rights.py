"""Who may change the tenancy core of a trust: its schools (provision, suspend, archive,
reactivate) and its people (roles in the trust and its schools, invitations). One table on the
shared base (apps.core.access.TrustRights); the trust console's pages ask the same roles
(apps/trust/access.py takes them from here).

It lives here rather than in tenants/access.py because apps.core.access builds on that module
(the gate's SchoolAccess): declaring the table there would make the two import each other."""

from __future__ import annotations

from apps.core.access import TrustRights

from .roles import TrustRole

TRUST_ADMIN = frozenset({TrustRole.TRUST_ADMIN})

RIGHTS = TrustRights(
    "the trust's schools and people",
    {
        "manage_schools": TRUST_ADMIN,
        "manage_people": TRUST_ADMIN,
    },
    denied_message="Only a trust admin can change the trust's schools and people.",
)
