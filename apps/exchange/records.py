"""The shapes every import passes through, whatever the file format.

A parser (ctf.py, mis_csv.py) turns a file into `SourceRow`s: raw text, plus how the file names
each field so that the error report speaks the file's language ("column 'Date of birth'",
"SENhistory/SEN[2]/StartDate"). `validation.validate_rows` turns them into `PupilRecord`s or
`RowError`s. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Scalar pupil fields a file may carry, in the order the report lists them.
PUPIL_FIELDS: tuple[str, ...] = (
    "upn",
    "surname",
    "forename",
    "preferred_surname",
    "preferred_forename",
    "date_of_birth",
    "sex",
    "year_group",
    "form",
    "admission_date",
    "leaving_date",
    "eal",
    "pupil_premium",
    "free_school_meals",
    "looked_after",
    "medical_needs",
)
FLAG_FIELDS: tuple[str, ...] = ("eal", "pupil_premium", "free_school_meals", "looked_after")


@dataclass
class SourceRow:
    number: int  # 1-based: the CSV line number, or the pupil's position in a CTF
    label: str  # how the report names the row: "Row 4", "Pupil 3"
    fields: dict[str, str] = field(
        default_factory=dict
    )  # field key -> raw text (only fields present)
    where: dict[str, str] = field(default_factory=dict)  # field key -> the file's name for it
    provisions: list[dict[str, str]] = field(default_factory=list)  # start_date, provision, where
    needs: list[dict[str, str]] = field(
        default_factory=list
    )  # start_date, end_date, rank, code, where


@dataclass(frozen=True)
class ProvisionEntry:
    start_date: date | None  # None: "from the day of import" (a CSV that states N with no date)
    provision: str


@dataclass(frozen=True)
class NeedEntry:
    start_date: date | None
    end_date: date | None
    rank: int
    code: str


@dataclass
class PupilRecord:
    row: int
    label: str
    upn: str
    values: dict[
        str, object
    ]  # validated scalar fields that the file carried (absent fields untouched)
    provisions: list[ProvisionEntry] = field(default_factory=list)
    needs: list[NeedEntry] = field(default_factory=list)

    @property
    def current_provision(self) -> str | None:
        dated = [p for p in self.provisions if p.start_date is not None]
        undated = [p for p in self.provisions if p.start_date is None]
        if undated:
            return undated[-1].provision
        return max(dated, key=lambda p: p.start_date or date.min).provision if dated else None

    def current_needs(self, today: date) -> dict[int, str]:
        """Rank -> need code for needs not yet ended."""
        out: dict[int, tuple[date, str]] = {}
        for n in self.needs:
            if n.end_date is not None and n.end_date <= today:
                continue
            started = n.start_date or date.min
            if n.rank not in out or started >= out[n.rank][0]:
                out[n.rank] = (started, n.code)
        return {rank: code for rank, (_, code) in sorted(out.items())}


@dataclass(frozen=True)
class RowError:
    row: int
    label: str
    field: str  # the file's own name for the field ("DOB", "column 'UPN'")
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "label": self.label, "field": self.field, "message": self.message}


class FileRejected(ValueError):
    """The file as a whole cannot be read (not XML, wrong root, not CSV, missing columns)."""
