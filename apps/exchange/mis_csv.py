"""The MIS CSV import: one row per pupil, columns documented below and in the downloadable
template. Headers are matched without regard to case, spaces or punctuation, so "Date of Birth",
"date_of_birth" and "DOB" all work. Unknown columns are ignored (and listed in the preview).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from .records import FileRejected, SourceRow


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    description: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "upn",
        "UPN",
        True,
        "Unique Pupil Number: 13 characters, check letter first.",
        "P382200115001",  # a valid UPN (check letter P): the template must import as it is
        ("unique pupil number",),
    ),
    Column(
        "surname",
        "Legal surname",
        True,
        "Surname as on the birth certificate.",
        "Khan",
        ("surname", "last name", "legal last name"),
    ),
    Column(
        "forename",
        "Legal forename",
        True,
        "First name as on the birth certificate.",
        "Aaliyah",
        ("forename", "first name", "legal first name"),
    ),
    Column(
        "preferred_surname",
        "Preferred surname",
        False,
        "Name the pupil is known by, if different.",
        "",
        ("known as surname",),
    ),
    Column(
        "preferred_forename",
        "Preferred forename",
        False,
        "Name the pupil is known by, if different.",
        "Ally",
        ("known as", "preferred name", "known as forename"),
    ),
    Column(
        "date_of_birth",
        "Date of birth",
        True,
        "YYYY-MM-DD or DD/MM/YYYY.",
        "2016-05-14",
        ("dob", "birth date"),
    ),
    Column("sex", "Sex", False, "M or F (census values).", "F", ("gender",)),
    Column(
        "year_group",
        "Year group",
        False,
        "N1, N2, R, or 1 to 13.",
        "4",
        ("ncyearactual", "year", "nc year"),
    ),
    Column(
        "form",
        "Class",
        False,
        "Registration class or form name (up to 20 characters).",
        "4B",
        ("form", "reg group", "registration group", "class form"),
    ),
    Column(
        "admission_date",
        "Admission date",
        False,
        "Date the pupil joined the school.",
        "2021-09-01",
        ("entry date", "date of admission"),
    ),
    Column(
        "leaving_date",
        "Leaving date",
        False,
        "Date the pupil left, if they have.",
        "",
        ("date of leaving",),
    ),
    Column(
        "eal",
        "EAL",
        False,
        "English as an additional language: Y or N.",
        "N",
        ("english as an additional language",),
    ),
    Column("pupil_premium", "Pupil premium", False, "Y or N.", "Y", ("pp",)),
    Column(
        "free_school_meals",
        "FSM",
        False,
        "Eligible for free school meals: Y or N.",
        "Y",
        ("free school meals", "fsm eligible"),
    ),
    Column(
        "looked_after",
        "Looked after",
        False,
        "Looked-after child: Y or N.",
        "N",
        ("lac", "cla", "looked after child"),
    ),
    Column(
        "medical_needs",
        "Medical needs",
        False,
        "Medical needs, in words (blank: none recorded).",
        "",
        ("medical conditions", "medical"),
    ),
    Column(
        "sen_provision",
        "SEN provision",
        False,
        "N, K or E (census SEN provision).",
        "K",
        ("sen status", "senprovision", "sen stage"),
    ),
    Column(
        "sen_start_date",
        "SEN start date",
        False,
        "Date the current provision started; required for K and E.",
        "2023-01-16",
        ("sen provision start date", "startdate"),
    ),
    Column(
        "primary_need",
        "Primary need",
        False,
        "Census type of need, rank 1 (e.g. SLCN, ASD, NSA).",
        "SLCN",
        ("need rank 1", "sen need 1", "primary sen need"),
    ),
    Column(
        "secondary_need",
        "Secondary need",
        False,
        "Census type of need, rank 2.",
        "",
        ("need rank 2", "sen need 2", "secondary sen need"),
    ),
    Column(
        "need_start_date",
        "Need start date",
        False,
        "Date the current needs were identified.",
        "2023-01-16",
        ("need identified", "date identified"),
    ),
)
MAX_ROWS = 5000


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_LOOKUP: dict[str, Column] = {}
for _col in COLUMNS:
    for _name in (_col.heading, _col.key, *_col.aliases):
        _LOOKUP.setdefault(_squash(_name), _col)


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.heading for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return out.getvalue()


@dataclass
class CsvFile:
    rows: list[SourceRow]
    ignored_columns: list[str]


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise FileRejected(
            "The file is binary, not a CSV text file (an Excel workbook? Save it as CSV first)."
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("The file is not readable text (neither UTF-8 nor Windows-1252).")


def parse_mis_csv(data: bytes) -> CsvFile:
    if not data.strip():
        raise FileRejected("The file is empty.")
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headings = next(reader)
    except (StopIteration, csv.Error):
        raise FileRejected("The file has no header row.") from None
    mapping: dict[int, Column] = {}
    ignored: list[str] = []
    for index, heading in enumerate(headings):
        col = _LOOKUP.get(_squash(heading))
        if col is None or col in mapping.values():
            if heading.strip():
                ignored.append(heading.strip())
            continue
        mapping[index] = col
    missing = [c.heading for c in COLUMNS if c.required and c not in mapping.values()]
    if missing:
        raise FileRejected(
            f"The header row lacks the required column(s): {', '.join(missing)}. Download the template to see every column."
        )
    rows: list[SourceRow] = []
    try:
        for line_no, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRejected(f"The file has more than {MAX_ROWS} pupils; split it.")
            rows.append(_row(line_no, values, mapping))
    except csv.Error as exc:
        raise FileRejected(f"The CSV is malformed near line {reader.line_num}: {exc}.") from None
    if not rows:
        raise FileRejected("The file has a header row but no pupils.")
    return CsvFile(rows=rows, ignored_columns=ignored)


def _row(line_no: int, values: list[str], mapping: dict[int, Column]) -> SourceRow:
    row = SourceRow(number=line_no, label=f"Row {line_no}")
    raw: dict[str, str] = {}
    for index, col in mapping.items():
        raw[col.key] = values[index].strip() if index < len(values) else ""
    for col in COLUMNS:
        row.where[col.key] = f"column '{col.heading}'"
    row.where["needs"] = "columns 'Primary need'/'Secondary need'"
    for key, value in raw.items():
        if key in (
            "sen_provision",
            "sen_start_date",
            "primary_need",
            "secondary_need",
            "need_start_date",
        ):
            continue
        if value or key in ("upn", "surname", "forename", "date_of_birth"):
            row.fields[key] = value
    provision = raw.get("sen_provision", "")
    if provision:
        row.provisions.append(
            {
                "provision": provision,
                "start_date": raw.get("sen_start_date", ""),
                "where": "column 'SEN provision'",
                "start_where": "column 'SEN start date'",
            }
        )
    for rank, key, heading in (
        (1, "primary_need", "Primary need"),
        (2, "secondary_need", "Secondary need"),
    ):
        if raw.get(key):
            row.needs.append(
                {
                    "code": raw[key],
                    "rank": str(rank),
                    "start_date": raw.get("need_start_date", "") or raw.get("sen_start_date", ""),
                    "where": f"column '{heading}'",
                    "start_where": "column 'Need start date'",
                }
            )
    return row
