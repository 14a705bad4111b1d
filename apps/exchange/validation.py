"""Row validation shared by every import format: raw text in, typed records or precise errors out.

All or nothing starts here: the caller writes nothing unless the error list is empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from apps.pupils.rules import pupil_detail_errors, register_errors
from apps.pupils.upn import upn_error

from .census import (
    CURRENT_PROVISIONS,
    HISTORIC_PROVISIONS,
    HISTORIC_TO_CURRENT,
    NEED_TYPES,
    SEXES,
    YEAR_GROUPS,
)
from .records import FLAG_FIELDS, NeedEntry, ProvisionEntry, PupilRecord, RowError, SourceRow

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
TRUE_WORDS = frozenset({"y", "yes", "true", "1", "t"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", "f", ""})
REQUIRED = ("upn", "surname", "forename", "date_of_birth")
# File columns (MIS CSV and CTF, after reading) -> the pupil's own field names.
FILE_TO_PUPIL = {
    "surname": "last_name",
    "forename": "first_name",
    "preferred_surname": "preferred_last_name",
    "preferred_forename": "preferred_first_name",
    "form": "form",
    "medical_needs": "medical_needs",
    "date_of_birth": "date_of_birth",
    "admission_date": "admission_date",
    "leaving_date": "leaving_date",
    "sex": "gender",
    "year_group": "year_group",
}
PUPIL_TO_FILE = {field: key for key, field in FILE_TO_PUPIL.items()}
TEXT_FIELDS = (
    "surname",
    "forename",
    "preferred_surname",
    "preferred_forename",
    "form",
    "medical_needs",
)
DATE_COLUMNS = ("date_of_birth", "admission_date", "leaving_date")


def upn_problem(value: str) -> str | None:
    """Why a UPN is not valid (the register's own rules and wording); None when it is valid."""
    return upn_error(value)


def parse_date(raw: str) -> date:
    text = raw.strip()
    # CTF dates may carry a time ("2015-03-01T00:00:00").
    if "T" in text and re.match(r"^\d{4}-\d{2}-\d{2}T", text):
        text = text.split("T", 1)[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{raw}' is not a date; use YYYY-MM-DD (or DD/MM/YYYY).")


def normalise_year_group(raw: str) -> str | None:
    text = raw.strip().upper().replace("YEAR", "").replace(" ", "")
    if text.startswith("Y") and text[1:].isdigit():
        text = text[1:]
    if text in ("RECEPTION", "REC"):
        text = "R"
    if text.isdigit():
        text = str(int(text))
    return text if text in YEAR_GROUPS else None


def normalise_sex(raw: str) -> str | None:
    text = raw.strip().upper()
    text = {"MALE": "M", "FEMALE": "F", "BOY": "M", "GIRL": "F"}.get(text, text)
    return text if text in SEXES else None


class _RowChecker:
    def __init__(self, row: SourceRow, today: date) -> None:
        self.row = row
        self.today = today
        self.errors: list[RowError] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, self.row.label, where, message))

    def where(self, key: str) -> str:
        return self.row.where.get(key, key)

    def date_field(self, raw: str, where: str, dob: date | None, *, what: str) -> date | None:
        try:
            value = parse_date(raw)
        except ValueError as exc:
            self.error(where, str(exc))
            return None
        if value > self.today:
            self.error(where, f"{what} {value:%d/%m/%Y} is in the future.")
            return None
        if dob is not None and value < dob:
            self.error(
                where,
                f"{what} {value:%d/%m/%Y} is before the pupil's date of birth ({dob:%d/%m/%Y}).",
            )
            return None
        return value

    def run(self) -> PupilRecord | None:
        f = {k: v.strip() for k, v in self.row.fields.items()}
        values: dict[str, object] = {}
        # The pupil's details go through the register's own rules (apps.pupils.rules), under the
        # pupil's field names, so the messages are the ones the pages and the API give.
        details: dict[str, object] = {}
        unparsed: set[str] = set()
        upn = f.get("upn", "").upper().replace(" ", "")
        problem = upn_problem(upn)
        if problem:
            self.error(self.where("upn"), problem)
        for key, field in FILE_TO_PUPIL.items():
            if key in f and key in TEXT_FIELDS:
                value = " ".join(f[key].split()) if key != "medical_needs" else f[key]
                values[key] = value
                details[field] = value
        for key in DATE_COLUMNS:
            if f.get(key):
                try:
                    parsed = parse_date(f[key])
                except ValueError as exc:
                    self.error(self.where(key), str(exc))
                    unparsed.add(key)
                else:
                    values[key] = parsed
                    details[FILE_TO_PUPIL[key]] = parsed
        if f.get("sex"):
            sex = normalise_sex(f["sex"])
            values["sex"] = sex
            details["gender"] = sex or f["sex"]
        if f.get("year_group"):
            year = normalise_year_group(f["year_group"])
            values["year_group"] = year
            details["year_group"] = year or f["year_group"]
        required = [FILE_TO_PUPIL[k] for k in REQUIRED if k != "upn" and k not in unparsed]
        for field, messages in pupil_detail_errors(
            details, required=required, today=self.today
        ).items():
            for message in messages:
                self.error(self.where(PUPIL_TO_FILE.get(field, field)), message)
        dob = values.get("date_of_birth")
        if not isinstance(dob, date) or any(
            self.where("date_of_birth") == e.field for e in self.errors
        ):
            dob = None
        for key in FLAG_FIELDS:
            if key in f:
                word = f[key].lower()
                if word in TRUE_WORDS:
                    values[key] = True
                elif word in FALSE_WORDS:
                    values[key] = False
                else:
                    self.error(self.where(key), f"'{f[key]}' is not Y or N.")

        provisions = self.provisions(dob)
        needs = self.needs(dob)
        record = PupilRecord(
            row=self.row.number,
            label=self.row.label,
            upn=upn,
            values=values,
            provisions=provisions,
            needs=needs,
        )
        self.cross_checks(record)
        return None if self.errors else record

    def provisions(self, dob: date | None) -> list[ProvisionEntry]:
        out = []
        for entry in self.row.provisions:
            where = entry["where"]
            code = entry.get("provision", "").strip().upper()
            if not code:
                self.error(where, "SEN provision is missing.")
                continue
            if code not in CURRENT_PROVISIONS and code not in HISTORIC_PROVISIONS:
                self.error(
                    where,
                    f"'{code}' is not a SEN provision code; use N, K or E (A, P or S in history).",
                )
                continue
            start = None
            raw = entry.get("start_date", "").strip()
            if raw:
                start = self.date_field(
                    raw, entry.get("start_where", where), dob, what="SEN start date"
                )
                if start is None:
                    continue
            elif code != "N":
                self.error(
                    entry.get("start_where", where),
                    f"A start date is required for SEN provision {code}.",
                )
                continue
            out.append(ProvisionEntry(start, code))
        return out

    def needs(self, dob: date | None) -> list[NeedEntry]:
        out = []
        for entry in self.row.needs:
            where = entry["where"]
            code = entry.get("code", "").strip().upper()
            if code not in NEED_TYPES:
                self.error(
                    where,
                    f"Unknown type of need '{code}'; use one of {', '.join(NEED_TYPES)}."
                    if code
                    else "Type of need is missing.",
                )
                continue
            rank_raw = entry.get("rank", "").strip() or "1"
            if rank_raw not in ("1", "2"):
                self.error(
                    entry.get("rank_where", where),
                    f"Need rank '{rank_raw}' is not 1 (primary) or 2 (secondary).",
                )
                continue
            start = end = None
            if entry.get("start_date", "").strip():
                start = self.date_field(
                    entry["start_date"],
                    entry.get("start_where", where),
                    dob,
                    what="Need start date",
                )
                if start is None:
                    continue
            if entry.get("end_date", "").strip():
                end = self.date_field(
                    entry["end_date"], entry.get("end_where", where), dob, what="Need end date"
                )
                if end is None:
                    continue
                if start is not None and end < start:
                    self.error(
                        entry.get("end_where", where),
                        f"Need end date {end:%d/%m/%Y} is before its start date {start:%d/%m/%Y}.",
                    )
                    continue
            out.append(NeedEntry(start, end, int(rank_raw), code))
        return out

    def cross_checks(self, record: PupilRecord) -> None:
        """The register's own census rules (apps.pupils.rules) on the state the file ends in."""
        if self.errors:
            return
        current = record.current_provision
        if current is None:
            if record.needs:
                self.error(
                    self.needs_where(), "Types of need are given but no SEN provision (N, K or E)."
                )
            return
        current = HISTORIC_TO_CURRENT.get(current, current)
        needs = record.current_needs(self.today)
        for problems in register_errors(current, needs.get(1, ""), needs.get(2, "")).values():
            for message in problems:
                self.error(self.needs_where(), message)

    def needs_where(self) -> str:
        return self.row.where.get("needs", "SEN needs")


def validate_rows(
    rows: list[SourceRow], *, today: date
) -> tuple[list[PupilRecord], list[RowError]]:
    records: list[PupilRecord] = []
    errors: list[RowError] = []
    seen: dict[str, SourceRow] = {}
    for row in rows:
        checker = _RowChecker(row, today)
        record = checker.run()
        upn = row.fields.get("upn", "").strip().upper().replace(" ", "")
        if upn and upn in seen:
            first = seen[upn]
            checker.errors.append(
                RowError(
                    row.number,
                    row.label,
                    row.where.get("upn", "upn"),
                    f"UPN {upn} appears more than once in the file (also {first.label}).",
                )
            )
            record = None
        elif upn:
            seen[upn] = row
        errors.extend(checker.errors)
        if record is not None:
            records.append(record)
    return records, errors
