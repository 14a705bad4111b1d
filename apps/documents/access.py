"""Who may do what with pupil documents (documented in README "Pupil documents").

- See and download: SENCo and headteacher (every pupil), teachers (pupils in their classes),
  teaching assistants (pupils assigned to them), and a trust SEND lead admitted to the school
  (as a headteacher, read only). Every download is audited.
- Upload: SENCo, headteacher, teachers and teaching assistants, for pupils they can see: the
  people who receive reports and gather evidence. Never trust staff (read only).
- Remove: SENCo only.
- Office staff and governors: no documents (office staff see pupils' details, not SEND detail;
  governors see no pupil-level data).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.pupils import access as pupil_access
from tenants.roles import SchoolRole

SEE_ROLES = frozenset(
    {SchoolRole.SENCO, SchoolRole.HEADTEACHER, SchoolRole.TEACHER, SchoolRole.TEACHING_ASSISTANT}
)
UPLOAD_ROLES = SEE_ROLES
REMOVE_ROLES = frozenset({SchoolRole.SENCO})


def can_see(access) -> bool:
    return pupil_access.effective_role(access) in SEE_ROLES


def can_upload(access) -> bool:
    return (
        access is not None
        and not access.via_trust
        and pupil_access.effective_role(access) in UPLOAD_ROLES
    )


def can_remove(access) -> bool:
    return (
        access is not None
        and not access.via_trust
        and pupil_access.effective_role(access) in REMOVE_ROLES
    )


def visible_pupils(access, user):
    """Pupils whose documents this person may see (none for office staff and governors)."""
    from apps.pupils.models import Pupil

    if not can_see(access):
        return Pupil.objects.none()
    return pupil_access.visible_pupils(access, user)


def require(allowed: bool, access) -> None:
    if not allowed:
        if access is not None and access.via_trust:
            raise PermissionDenied("Trust staff can read a school's records but not change them.")
        raise PermissionDenied("Your role cannot do this with pupil documents.")
