"""Row validation shared by every import format: raw text in, typed records or precise errors out.

All or nothing starts here: the caller writes nothing unless the error list is empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from stdnum import exceptions as stdnum_errors
from stdnum.gb import upn as stdnum_upn

from .census import (
    CURRENT_PROVISIONS,
    HISTORIC_PROVISIONS,
    HISTORIC_TO_CURRENT,
    NEED_ONLY_WITH_SEN_SUPPORT,
    NEED_TYPES,
    SEXES,
    YEAR_GROUPS,
)
from .records import FLAG_FIELDS, NeedEntry, ProvisionEntry, PupilRecord, RowError, SourceRow

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")
TRUE_WORDS = frozenset({"y", "yes", "true", "1", "t"})
FALSE_WORDS = frozenset({"n", "no", "false", "0", "f", ""})
REQUIRED = ("upn", "surname", "forename", "date_of_birth")


def upn_problem(value: str) -> str | None:
    """Why a UPN is not valid, in words a data manager can act on; None when it is valid."""
    try:
        stdnum_upn.validate(value)
    except stdnum_errors.InvalidLength:
        return f"UPN '{value}' has {len(stdnum_upn.compact(value))} characters; a UPN has 13."
    except stdnum_errors.InvalidChecksum:
        expected = stdnum_upn.calc_check_digit(stdnum_upn.compact(value))
        return f"UPN '{value}' has the wrong check letter: for these digits it must start with {expected}."
    except stdnum_errors.InvalidComponent:
        return f"UPN '{value}' has an unknown local authority number ({stdnum_upn.compact(value)[1:4]})."
    except stdnum_errors.ValidationError:
        return (
            f"UPN '{value}' is not in the UPN format: a check letter, 11 digits, "
            "then a digit (or a letter for a temporary UPN)."
        )
    return None


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
            self.error(where, f"{what} {value:%d/%m/%Y} is before the pupil's date of birth ({dob:%d/%m/%Y}).")
            return None
        return value

    def run(self) -> PupilRecord | None:
        f = {k: v.strip() for k, v in self.row.fields.items()}
        values: dict[str, object] = {}
        for key in REQUIRED:
            if not f.get(key):
                self.error(self.where(key), "This is required and is missing.")
        upn = f.get("upn", "").upper().replace(" ", "")
        if upn:
            problem = upn_problem(upn)
            if problem:
                self.error(self.where("upn"), problem)
        for key in ("surname", "forename", "preferred_surname", "preferred_forename", "form"):
            if key in f:
                if len(f[key]) > 100:
                    self.error(self.where(key), "This is longer than 100 characters.")
                values[key] = f[key]
        dob = None
        if f.get("date_of_birth"):
            try:
                dob = parse_date(f["date_of_birth"])
            except ValueError as exc:
                self.error(self.where("date_of_birth"), str(exc))
            else:
                if dob > self.today:
                    self.error(self.where("date_of_birth"), f"Date of birth {dob:%d/%m/%Y} is in the future.")
                    dob = None
                elif dob.year < self.today.year - 30:
                    self.error(self.where("date_of_birth"), f"Date of birth {dob:%d/%m/%Y} is more than 30 years ago.")
                    dob = None
                else:
                    values["date_of_birth"] = dob
        if f.get("sex"):
            sex = normalise_sex(f["sex"])
            if sex is None:
                self.error(self.where("sex"), f"'{f['sex']}' is not a recognised sex; use M or F.")
            values["sex"] = sex
        if f.get("year_group"):
            year = normalise_year_group(f["year_group"])
            if year is None:
                self.error(self.where("year_group"), f"'{f['year_group']}' is not a year group; use N1, N2, R or 1 to 13.")
            values["year_group"] = year
        for key, what in (("admission_date", "Admission date"), ("leaving_date", "Leaving date")):
            if f.get(key):
                values[key] = self.date_field(f[key], self.where(key), dob, what=what)
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
        record = PupilRecord(row=self.row.number, label=self.row.label, upn=upn, values=values, provisions=provisions, needs=needs)
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
                self.error(where, f"'{code}' is not a SEN provision code; use N, K or E (A, P or S in history).")
                continue
            start = None
            raw = entry.get("start_date", "").strip()
            if raw:
                start = self.date_field(raw, entry.get("start_where", where), dob, what="SEN start date")
                if start is None:
                    continue
            elif code != "N":
                self.error(entry.get("start_where", where), f"A start date is required for SEN provision {code}.")
                continue
            out.append(ProvisionEntry(start, code))
        return out

    def needs(self, dob: date | None) -> list[NeedEntry]:
        out = []
        for entry in self.row.needs:
            where = entry["where"]
            code = entry.get("code", "").strip().upper()
            if code not in NEED_TYPES:
                self.error(where, f"Unknown type of need '{code}'; use one of {', '.join(NEED_TYPES)}." if code else "Type of need is missing.")
                continue
            rank_raw = entry.get("rank", "").strip() or "1"
            if rank_raw not in ("1", "2"):
                self.error(entry.get("rank_where", where), f"Need rank '{rank_raw}' is not 1 (primary) or 2 (secondary).")
                continue
            start = end = None
            if entry.get("start_date", "").strip():
                start = self.date_field(entry["start_date"], entry.get("start_where", where), dob, what="Need start date")
                if start is None:
                    continue
            if entry.get("end_date", "").strip():
                end = self.date_field(entry["end_date"], entry.get("end_where", where), dob, what="Need end date")
                if end is None:
                    continue
                if start is not None and end < start:
                    self.error(entry.get("end_where", where), f"Need end date {end:%d/%m/%Y} is before its start date {start:%d/%m/%Y}.")
                    continue
            out.append(NeedEntry(start, end, int(rank_raw), code))
        return out

    def cross_checks(self, record: PupilRecord) -> None:
        if self.errors:
            return
        current = record.current_provision
        current = HISTORIC_TO_CURRENT.get(current, current) if current else None
        needs = record.current_needs(self.today)
        if 2 in needs and 1 not in needs:
            self.error(self.needs_where(), "A secondary need (rank 2) is given without a primary need (rank 1).")
        if needs and needs.get(1) == needs.get(2):
            self.error(self.needs_where(), f"Primary and secondary need are both {needs[1]}; they must differ.")
        if current in (None, "N") and needs:
            self.error(self.needs_where(), "A type of need is given but the SEN provision is N (no SEN); need is recorded only for K or E.")
        for rank, code in needs.items():
            if code in NEED_ONLY_WITH_SEN_SUPPORT and current != "K":
                self.error(self.needs_where(), f"Need {code} (rank {rank}) is valid only with SEN support (K), not with {current}.")

    def needs_where(self) -> str:
        return self.row.where.get("needs", "SEN needs")


def validate_rows(rows: list[SourceRow], *, today: date) -> tuple[list[PupilRecord], list[RowError]]:
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
                RowError(row.number, row.label, row.where.get("upn", "upn"), f"UPN {upn} appears more than once in the file (also {first.label}).")
            )
            record = None
        elif upn:
            seen[upn] = row
        errors.extend(checker.errors)
        if record is not None:
            records.append(record)
    return records, errors
