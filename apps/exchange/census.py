"""Census codes as imports and exports use them. The code lists themselves are the register's
(apps.pupils.codes, data-driven); this module adds what only files need."""

from __future__ import annotations

from apps.pupils.codes import HISTORIC_PROVISIONS, NEEDS_BY_CODE, YEAR_GROUPS, Provision

CURRENT_PROVISIONS: dict[str, str] = {p.value: p.label for p in Provision}
# The statutory transitions mapped the historic codes onto today's: School Action and School
# Action Plus became SEN support, statements became EHC plans. A pupil whose latest entry in a
# file is historic is on the register today with the mapped code; the history keeps the original.
HISTORIC_TO_CURRENT: dict[str, str] = {"A": "K", "P": "K", "S": "E"}
NEED_TYPES: dict[str, str] = {code: need.label for code, need in NEEDS_BY_CODE.items()}
NEED_ONLY_WITH_SEN_SUPPORT = frozenset(
    code for code, need in NEEDS_BY_CODE.items() if need.support_only
)
SEXES: dict[str, str] = {"M": "Male", "F": "Female"}

__all__ = [
    "CURRENT_PROVISIONS",
    "HISTORIC_PROVISIONS",
    "HISTORIC_TO_CURRENT",
    "NEED_ONLY_WITH_SEN_SUPPORT",
    "NEED_TYPES",
    "SEXES",
    "YEAR_GROUPS",
]
