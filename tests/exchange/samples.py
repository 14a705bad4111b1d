"""Synthetic files for import tests and the bench: valid UPNs, CTFs in old and new shapes."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from stdnum.gb import upn as stdnum_upn

FORENAMES = [
    "Oliver",
    "Amelia",
    "Noah",
    "Isla",
    "Muhammad",
    "Ava",
    "George",
    "Freya",
    "Leo",
    "Ivy",
    "Arthur",
    "Aisha",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Khan",
    "Williams",
    "Patel",
    "Evans",
    "Wilson",
    "Hughes",
    "Ahmed",
    "Wright",
]


def make_upn(serial: int, *, la: str = "382", estab: str = "2001", year: str = "15") -> str:
    tail = f"{la}{estab}{year}{serial:03d}"[-12:]
    return stdnum_upn.calc_check_digit(tail) + tail


def bulk_upn(n: int) -> str:
    """Distinct valid UPNs for big files: the estab and serial move together."""
    return make_upn(n % 1000, estab=f"{2000 + n // 1000:04d}")


def pupil(n: int, **over) -> dict:
    p = {
        "upn": bulk_upn(n),
        "surname": SURNAMES[n % len(SURNAMES)],
        "forename": FORENAMES[n % len(FORENAMES)],
        "dob": f"{2014 + n % 6}-0{1 + n % 9}-1{n % 10}",
        "sex": "MF"[n % 2],
        "year": str(1 + n % 6),
        "sen": [],
        "needs": [],
    }
    p.update(over)
    return p


def pupil_xml(p: dict, *, legacy: bool = False) -> str:
    sen = "".join(
        f"<SEN><StartDate>{s}</StartDate><SENprovision>{c}</SENprovision></SEN>"
        for s, c in p["sen"]
    )
    needs = "".join(
        "<SENneed>"
        + (f"<NeedStartDate>{n[0]}</NeedStartDate>" if n[0] else "")
        + (f"<NeedEndDate>{n[1]}</NeedEndDate>" if n[1] else "")
        + f"<SENtypeRank>{n[2]}</SENtypeRank><SENtype>{n[3]}</SENtype></SENneed>"
        for n in p["needs"]
    )
    history = (
        f"<SENhistory>{sen}{'<SENneeds>' + needs + '</SENneeds>' if needs else ''}</SENhistory>"
        if (sen or needs)
        else ""
    )
    contact = "<Contacts><Contact><Surname>Parentname</Surname><Forename>Pat</Forename></Contact></Contacts>"
    if legacy:
        # Older shape: Gender not Sex, names and SENhistory inside BasicDetails.
        return (
            f"<Pupil><UPN>{p['upn']}</UPN>{contact}<DOB>{p['dob']}</DOB><Gender>{p['sex']}</Gender>"
            f"<BasicDetails><Surname>{escape(p['surname'])}</Surname><Forename>{escape(p['forename'])}</Forename>"
            f"<NCyearActual>{p['year']}</NCyearActual>{history}</BasicDetails></Pupil>"
        )
    return (
        f"<Pupil><UPN>{p['upn']}</UPN><Surname>{escape(p['surname'])}</Surname><Forename>{escape(p['forename'])}</Forename>"
        f"<DOB>{p['dob']}</DOB><Sex>{p['sex']}</Sex><BasicDetails><NCyearActual>{p['year']}</NCyearActual></BasicDetails>"
        f"{history}{contact}</Pupil>"
    )


def ctf(pupils: list[dict], *, legacy: bool = False, root: str = "CTfile") -> bytes:
    body = "".join(pupil_xml(p, legacy=legacy) for p in pupils)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{root}><Header><CTFversion>{"12.0" if legacy else "23.0"}</CTFversion>'
        "<SourceSchool><LEA>382</LEA><Estab>2001</Estab><URN>100099</URN><SchoolName>Old School</SchoolName></SourceSchool>"
        f"<DestSchool><LEA>382</LEA><Estab>2002</Estab></DestSchool></Header><CTFpupilData>{body}</CTFpupilData></{root}>"
    ).encode()


def big_ctf(n: int, *, on_register: int | None = None) -> bytes:
    on_register = n * 320 // 1500 if on_register is None else on_register
    pupils = []
    for i in range(n):
        p = pupil(i)
        if i < on_register:
            code = "E" if i % 6 == 0 else "K"
            p["sen"] = [("2020-09-01", "K")] + ([("2022-01-20", "E")] if code == "E" else [])
            p["needs"] = [
                ("2020-09-01", "", 1, "ASD" if code == "E" else "SLCN"),
                ("2021-01-10", "", 2, "SEMH"),
            ]
        pupils.append(p)
    return ctf(pupils)


CSV_HEADINGS = [
    "UPN",
    "Legal surname",
    "Legal forename",
    "Date of birth",
    "Sex",
    "Year group",
    "Class",
    "SEN provision",
    "SEN start date",
    "Primary need",
    "Secondary need",
]


def mis_csv(rows: list[list[str]], headings: list[str] | None = None) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headings or CSV_HEADINGS)
    w.writerows(rows)
    return out.getvalue().encode()
