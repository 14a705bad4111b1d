"""DfE Common Transfer File (CTF) XML: a tolerant reader and a writer of the current form.

Reading (DESIGN.md section 2): files from different MIS and CTF versions differ. Older ones say
`Gender` instead of `Sex`; some put names or `SENhistory` inside `BasicDetails`. So the reader
looks for each element among the pupil's own children first, then inside `BasicDetails`, and
finds SEN entries anywhere under the pupil except in contacts and addresses (whose `Surname` and
`StartDate` are somebody else's).

Parsing uses defusedxml: a file with a DTD, entity declarations or external references is
refused outright (no billion-laughs expansion, no external fetches).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .records import FileRejected, NeedEntry, ProvisionEntry, SourceRow

ROOT_TAG = "CTfile"
CTF_VERSION = "23.0"
# Subtrees that describe other people or places: never searched for the pupil's own fields.
FOREIGN_SUBTREES = frozenset(
    {"Contacts", "Contact", "Address", "Addresses", "SchoolHistory", "Attendance"}
)

# field key -> element names to look for, in order (current name first).
PUPIL_ELEMENTS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN",),
    "surname": ("Surname",),
    "forename": ("Forename",),
    "preferred_surname": ("PreferredSurname",),
    "preferred_forename": ("PreferredForename",),
    "date_of_birth": ("DOB",),
    "sex": ("Sex", "Gender"),
    "year_group": ("NCyearActual",),
}


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(el: ET.Element | None) -> str | None:
    return None if el is None else (el.text or "").strip()


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _own_descendants(el: ET.Element) -> Iterable[ET.Element]:
    """Every element under `el` except inside contacts, addresses and the like."""
    for child in el:
        if _local(child.tag) in FOREIGN_SUBTREES:
            continue
        yield child
        yield from _own_descendants(child)


def _find_field(pupil: ET.Element, names: tuple[str, ...]) -> tuple[str, str] | None:
    for name in names:
        direct = _children(pupil, name)
        if direct:
            return _text(direct[0]) or "", name
    for details in _children(pupil, "BasicDetails"):
        for name in names:
            found = _children(details, name)
            if found:
                return _text(found[0]) or "", f"BasicDetails/{name}"
    return None


@dataclass
class CtfHeader:
    version: str = ""
    source_la: str = ""
    source_estab: str = ""
    source_urn: str = ""
    source_name: str = ""
    dest_la: str = ""
    dest_estab: str = ""


@dataclass
class CtfFile:
    header: CtfHeader
    rows: list[SourceRow] = field(default_factory=list)


def parse_ctf(data: bytes) -> CtfFile:
    """Read a CTF into SourceRows. Raises FileRejected with a precise reason when the file as a
    whole is unusable; per-pupil problems are left to validation."""
    if not data.strip():
        raise FileRejected("The file is empty.")
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise FileRejected(
            "The file declares a DTD or XML entities. Common Transfer Files never do; it was refused unread."
        ) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise FileRejected(
            f"The file is not valid XML (line {line}, column {column}): it is not a Common Transfer File."
        ) from None
    if _local(root.tag) != ROOT_TAG:
        raise FileRejected(
            f"The XML root element is <{_local(root.tag)}>, not <{ROOT_TAG}>: this is not a Common Transfer File."
        )
    header = CtfHeader()
    for h in _children(root, "Header"):
        header.version = _text(next(iter(_children(h, "CTFversion")), None)) or ""
        for src in _children(h, "SourceSchool"):
            header.source_la = _text(next(iter(_children(src, "LEA")), None)) or ""
            header.source_estab = _text(next(iter(_children(src, "Estab")), None)) or ""
            header.source_urn = _text(next(iter(_children(src, "URN")), None)) or ""
            header.source_name = _text(next(iter(_children(src, "SchoolName")), None)) or ""
        for dst in _children(h, "DestSchool"):
            header.dest_la = _text(next(iter(_children(dst, "LEA")), None)) or ""
            header.dest_estab = _text(next(iter(_children(dst, "Estab")), None)) or ""
    pupils: list[ET.Element] = []
    for data_el in _children(root, "CTFpupilData"):
        pupils.extend(_children(data_el, "Pupil"))
    if not pupils:
        raise FileRejected(
            "The Common Transfer File holds no pupils (no CTFpupilData/Pupil elements)."
        )
    return CtfFile(header=header, rows=[_pupil_row(i, p) for i, p in enumerate(pupils, start=1)])


def _pupil_row(number: int, pupil: ET.Element) -> SourceRow:
    row = SourceRow(number=number, label=f"Pupil {number}")
    for key, names in PUPIL_ELEMENTS.items():
        found = _find_field(pupil, names)
        if found is not None:
            row.fields[key], row.where[key] = found
        else:
            row.where[key] = names[0]
    row.where["needs"] = "SENhistory/SENneeds"
    sen_index = need_index = 0
    for el in _own_descendants(pupil):
        name = _local(el.tag)
        if name == "SEN" and _children(el, "SENprovision"):
            sen_index += 1
            where = f"SENhistory/SEN[{sen_index}]"
            row.provisions.append(
                {
                    "provision": _text(_children(el, "SENprovision")[0]) or "",
                    "start_date": _text(next(iter(_children(el, "StartDate")), None)) or "",
                    "where": f"{where}/SENprovision",
                    "start_where": f"{where}/StartDate",
                }
            )
        elif name == "SENneed":
            need_index += 1
            where = f"SENneeds/SENneed[{need_index}]"
            row.needs.append(
                {
                    "code": _text(next(iter(_children(el, "SENtype")), None)) or "",
                    "rank": _text(next(iter(_children(el, "SENtypeRank")), None)) or "",
                    "start_date": _text(next(iter(_children(el, "NeedStartDate")), None)) or "",
                    "end_date": _text(next(iter(_children(el, "NeedEndDate")), None)) or "",
                    "where": f"{where}/SENtype",
                    "rank_where": f"{where}/SENtypeRank",
                    "start_where": f"{where}/NeedStartDate",
                    "end_where": f"{where}/NeedEndDate",
                }
            )
    return row


# --- writing -------------------------------------------------------------------------------


@dataclass
class CtfPupilOut:
    upn: str
    surname: str
    forename: str
    date_of_birth: date
    sex: str
    year_group: str = ""
    preferred_surname: str = ""
    preferred_forename: str = ""
    provisions: list[ProvisionEntry] = field(default_factory=list)
    needs: list[NeedEntry] = field(default_factory=list)


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = text
    return el


def write_ctf(*, header: CtfHeader, pupils: list[CtfPupilOut], generated_at: datetime) -> bytes:
    """A CTF in the current form: names at pupil level, SENhistory with SEN and SENneeds."""
    root = ET.Element(ROOT_TAG)
    h = _sub(root, "Header")
    _sub(h, "DocumentName", "Common Transfer File")
    _sub(h, "CTFversion", CTF_VERSION)
    _sub(h, "DateTime", generated_at.strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(h, "DocumentQualifier", "partial")
    _sub(h, "SupplierID", "SENCo Hub")
    src = _sub(h, "SourceSchool")
    _sub(src, "LEA", header.source_la)
    _sub(src, "Estab", header.source_estab)
    _sub(src, "URN", header.source_urn)
    _sub(src, "SchoolName", header.source_name)
    _sub(
        src,
        "AcademicYear",
        str(generated_at.year if generated_at.month >= 9 else generated_at.year - 1),
    )
    dst = _sub(h, "DestSchool")
    _sub(dst, "LEA", header.dest_la)
    _sub(dst, "Estab", header.dest_estab)
    data = _sub(root, "CTFpupilData")
    for p in pupils:
        el = _sub(data, "Pupil")
        _sub(el, "UPN", p.upn)
        _sub(el, "Surname", p.surname)
        _sub(el, "Forename", p.forename)
        _sub(el, "DOB", p.date_of_birth.isoformat())
        _sub(el, "Sex", p.sex)
        basic = _sub(el, "BasicDetails")
        if p.preferred_surname:
            _sub(basic, "PreferredSurname", p.preferred_surname)
        if p.preferred_forename:
            _sub(basic, "PreferredForename", p.preferred_forename)
        if p.year_group:
            _sub(basic, "NCyearActual", p.year_group)
        if p.provisions or p.needs:
            history = _sub(el, "SENhistory")
            for entry in sorted(p.provisions, key=lambda e: e.start_date or date.min):
                sen = _sub(history, "SEN")
                if entry.start_date:
                    _sub(sen, "StartDate", entry.start_date.isoformat())
                _sub(sen, "SENprovision", entry.provision)
            if p.needs:
                needs_el = _sub(history, "SENneeds")
                for need in sorted(p.needs, key=lambda n: (n.start_date or date.min, n.rank)):
                    n_el = _sub(needs_el, "SENneed")
                    if need.start_date:
                        _sub(n_el, "NeedStartDate", need.start_date.isoformat())
                    if need.end_date:
                        _sub(n_el, "NeedEndDate", need.end_date.isoformat())
                    _sub(n_el, "SENtypeRank", str(need.rank))
                    _sub(n_el, "SENtype", need.code)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
