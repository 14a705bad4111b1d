"""Who may change the school's calendar and settings: the SENCo and the headteacher."""

from __future__ import annotations

from apps.core.access import HEAD, PUPIL_ROLES, SENCO, Rights, read, write

RIGHTS = Rights(
    "school settings",
    {
        "see_terms": read(PUPIL_ROLES),
        "set_terms": write(SENCO, HEAD),
    },
)
