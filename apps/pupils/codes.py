"""DfE school census codes for the SEN register (DESIGN.md section 2).

The type-of-need list is data: adding a census code (as Down syndrome was added for January
2025) means adding one row to NEED_TYPES, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


class Provision(models.TextChoices):
    NONE = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "Education, health and care plan"


# Historic census provision codes: accepted on import, never assigned (A, P to 2014/15, S to 2017/18).
HISTORIC_PROVISIONS = {"A": "School Action", "P": "School Action Plus", "S": "Statement"}


class BroadArea(models.TextChoices):
    COMMUNICATION = "communication_interaction", "Communication and interaction"
    COGNITION = "cognition_learning", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical"


@dataclass(frozen=True)
class NeedType:
    code: str
    label: str
    area: str | None  # BroadArea value, or None for OTH, NSA and codes outside the four areas
    support_only: bool = False  # NSA: valid only with SEN support (K)


NEED_TYPES: tuple[NeedType, ...] = (
    NeedType("SPLD", "Specific learning difficulty", BroadArea.COGNITION),
    NeedType("MLD", "Moderate learning difficulty", BroadArea.COGNITION),
    NeedType("SLD", "Severe learning difficulty", BroadArea.COGNITION),
    NeedType("PMLD", "Profound and multiple learning difficulty", BroadArea.COGNITION),
    NeedType("SEMH", "Social, emotional and mental health", BroadArea.SEMH),
    NeedType("SLCN", "Speech, language and communication needs", BroadArea.COMMUNICATION),
    NeedType("HI", "Hearing impairment", BroadArea.SENSORY_PHYSICAL),
    NeedType("VI", "Vision impairment", BroadArea.SENSORY_PHYSICAL),
    NeedType("MSI", "Multi-sensory impairment", BroadArea.SENSORY_PHYSICAL),
    NeedType("PD", "Physical disability", BroadArea.SENSORY_PHYSICAL),
    NeedType("ASD", "Autistic spectrum disorder", BroadArea.COMMUNICATION),
    # Census option from January 2025; DfE does not place it in one of the four areas.
    NeedType("DS", "Down syndrome", None),
    NeedType("OTH", "Other difficulty or disability", None),
    NeedType(
        "NSA", "SEN support but no specialist assessment of type of need", None, support_only=True
    ),
)
NEEDS_BY_CODE: dict[str, NeedType] = {n.code: n for n in NEED_TYPES}
NEED_CHOICES: list[tuple[str, str]] = [(n.code, f"{n.label} ({n.code})") for n in NEED_TYPES]

YEAR_GROUPS: tuple[str, ...] = ("N1", "N2", "R", *[str(y) for y in range(1, 14)])
YEAR_GROUP_CHOICES: list[tuple[str, str]] = [
    (y, {"N1": "Nursery 1", "N2": "Nursery 2", "R": "Reception"}.get(y, f"Year {y}"))
    for y in YEAR_GROUPS
]

# The year groups a school of each phase teaches (tenants.models.School.Phase values). A primary
# offers Reception to Year 6, a secondary 7 to 13; all-through, special and alternative provision
# schools may have any. Unknown phases get every year group rather than none.
_PHASE_YEARS: dict[str, tuple[str, ...]] = {
    "nursery": ("N1", "N2", "R"),
    "primary": ("R", "1", "2", "3", "4", "5", "6"),
    "middle": ("4", "5", "6", "7", "8", "9"),
    "secondary": ("7", "8", "9", "10", "11", "12", "13"),
    "16_plus": ("12", "13"),
}


def year_groups_for_phase(phase: str) -> tuple[str, ...]:
    return _PHASE_YEARS.get(phase, YEAR_GROUPS)


def year_group_choices_for_phase(phase: str, *, keep: str = "") -> list[tuple[str, str]]:
    """The school's year groups as (code, label) choices; `keep` (a pupil's current year group,
    say one imported from another phase) stays offered so editing never silently changes it."""
    years = set(year_groups_for_phase(phase)) | ({keep} if keep else set())
    return [(y, label) for y, label in YEAR_GROUP_CHOICES if y in years]


# National figures, January 2025 (DfE, Special educational needs in England).
NATIONAL_SEN_SUPPORT_PERCENT = 14.2
NATIONAL_EHC_PLAN_PERCENT = 5.3


def need_label(code: str) -> str:
    need = NEEDS_BY_CODE.get(code)
    return need.label if need else code


def need_area(code: str) -> str | None:
    need = NEEDS_BY_CODE.get(code)
    return need.area if need else None


def codes_in_area(area: str) -> list[str]:
    return [n.code for n in NEED_TYPES if n.area == area]


def broad_areas(primary: str, secondary: str = "") -> list[str]:
    """The broad areas of need (labels) covered by a pupil's ranked needs, primary first."""
    out: list[str] = []
    for code in (primary, secondary):
        area = need_area(code) if code else None
        if area and BroadArea(area).label not in out:
            out.append(BroadArea(area).label)
    return out
