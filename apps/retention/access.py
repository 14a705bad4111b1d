"""Who reviews records past retention: the SENCo only (trust staff never; read only)."""

from __future__ import annotations

from apps.core.access import SENCO, Rights, write

RIGHTS = Rights(
    "retention review",
    {"review_retention": write(SENCO)},
    denied_message="Only the SENCo reviews and deletes records past their retention date.",
)
