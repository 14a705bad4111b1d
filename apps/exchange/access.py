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

from django.http import Http404

from apps.core.access import HEAD, OFFICE, SENCO, Access, Rights, read, write

from .models import ImportBatch

RIGHTS = Rights(
    "imports and exports",
    {
        "import": write(SENCO, HEAD, OFFICE),
        "export": read(SENCO, HEAD, OFFICE, school_staff_only=True),
        "export_subject_access": read(SENCO, HEAD, school_staff_only=True),
    },
    denied_message="Your role cannot do this.",
    trust_denied_message="Imports and exports are done by the school's own staff, not trust staff.",
)
IMPORT_ROLES = RIGHTS.roles("import")
EXPORT_ROLES = RIGHTS.roles("export")
SUBJECT_ACCESS_ROLES = RIGHTS.roles("export_subject_access")


def can(access: Access | None, capability: str) -> bool:
    return RIGHTS.can(access, capability)


def get_import_for(access: Access | None, import_id: int) -> ImportBatch:
    """One import of this school, for someone who may import (imports are the school's, not one
    person's). Refused roles get PermissionDenied; an unknown id gets 404."""
    RIGHTS.require(access, "import")
    batch = ImportBatch.objects.filter(pk=import_id).first()
    if batch is None:
        raise Http404("No such import.")
    return batch


# Confirming or discarding an import needs the same right as uploading it.
get_import_for_write = get_import_for
