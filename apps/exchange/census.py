"""DfE school census codes used by imports and exports (DESIGN.md section 2).

Kept as data so that a new census code (Down syndrome arrived in January 2025) is a one-line
change. The register itself (apps.pupils) is the authority on what it stores; these tables are
what a file may say.
"""

from __future__ import annotations

# Provision codes a file may carry. N/K/E are current; A, P (to 2014/15) and S (statement, to
# 2017/18) are historic: accepted in history on import, never assigned.
CURRENT_PROVISIONS: dict[str, str] = {"N": "No SEN", "K": "SEN support", "E": "EHC plan"}
HISTORIC_PROVISIONS: dict[str, str] = {"A": "School Action", "P": "School Action Plus", "S": "Statement"}
# The statutory transition mapped the historic codes onto today's: A/P became K, S became E.
HISTORIC_TO_CURRENT: dict[str, str] = {"A": "K", "P": "K", "S": "E"}

NEED_TYPES: dict[str, str] = {
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "SLCN": "Speech, language and communication needs",
    "HI": "Hearing impairment",
    "VI": "Vision impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "ASD": "Autistic spectrum disorder",
    "DS": "Down syndrome",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
}
# NSA is valid only with SEN support (K).
NEED_ONLY_WITH_SEN_SUPPORT = frozenset({"NSA"})

# Year groups a file may carry, normalised: nursery 1 and 2, reception, years 1 to 13.
YEAR_GROUPS: tuple[str, ...] = ("N1", "N2", "R", *(str(n) for n in range(1, 14)))

SEXES: dict[str, str] = {"M": "Male", "F": "Female"}
