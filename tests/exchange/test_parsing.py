"""Pure parsing and validation: files in, records or precise row errors out (no database)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.exchange.ctf import CtfHeader, CtfPupilOut, parse_ctf, write_ctf
from apps.exchange.mis_csv import COLUMNS, parse_mis_csv, template_csv
from apps.exchange.records import FileRejected, NeedEntry, ProvisionEntry
from apps.exchange.validation import upn_problem, validate_rows

from .samples import ctf, make_upn, mis_csv, pupil

TODAY = date(2025, 6, 1)


def validate(data: bytes):
    return validate_rows(parse_ctf(data).rows, today=TODAY)


def test_it_reads_a_current_ctf_with_sen_history_and_ranked_needs():
    p = pupil(
        1,
        sen=[("2020-09-01", "K"), ("2022-01-20", "E")],
        needs=[("2020-09-01", "", 1, "ASD"), ("2021-02-01", "", 2, "SEMH")],
    )
    records, errors = validate(ctf([p]))
    assert errors == []
    (r,) = records
    assert r.upn == p["upn"]
    assert r.values["surname"] == p["surname"]  # not the contact's surname
    assert r.values["date_of_birth"] == date.fromisoformat(p["dob"])
    assert r.provisions == [
        ProvisionEntry(date(2020, 9, 1), "K"),
        ProvisionEntry(date(2022, 1, 20), "E"),
    ]
    assert r.current_provision == "E"
    assert r.current_needs(TODAY) == {1: "ASD", 2: "SEMH"}


def test_it_reads_a_legacy_ctf_with_gender_and_names_inside_basic_details():
    p = pupil(
        2,
        dob="2008-03-12",
        sen=[("2013-09-01", "A"), ("2015-01-10", "K")],
        needs=[("2015-01-10", "", 1, "MLD")],
    )
    records, errors = validate(ctf([p], legacy=True))
    assert errors == []
    (r,) = records
    assert r.values["surname"] == p["surname"] and r.values["forename"] == p["forename"]
    assert r.values["sex"] == p["sex"]
    assert r.values["year_group"] == p["year"]
    assert ProvisionEntry(date(2013, 9, 1), "A") in r.provisions  # historic code kept in history


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not xml at all", "not valid XML"),
        (b"", "empty"),
        (b"<?xml version='1.0'?><Pupils><Pupil/></Pupils>", "root element is <Pupils>"),
        (b"<CTfile><Header/></CTfile>", "holds no pupils"),
        (
            b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><CTfile>&b;</CTfile>',
            "DTD or XML entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]><CTfile>&x;</CTfile>',
            "DTD or XML entities",
        ),
    ],
)
def test_it_refuses_files_that_are_not_ctfs(data, message):
    with pytest.raises(FileRejected, match=message):
        parse_ctf(data)


def test_every_bad_row_and_field_is_named():
    good = pupil(1)
    bad_upn = pupil(2, upn="A382200115002")
    unknown_need = pupil(3, sen=[("2021-09-01", "K")], needs=[("2021-09-01", "", 1, "XYZ")])
    nsa_with_e = pupil(4, sen=[("2021-09-01", "E")], needs=[("2021-09-01", "", 1, "NSA")])
    future = pupil(5, sen=[("2030-01-01", "K")], needs=[("2021-09-01", "", 1, "SLCN")])
    before_birth = pupil(6, dob="2018-05-05", sen=[("2017-01-01", "K")], needs=[])
    dup = pupil(7, upn=good["upn"])
    records, errors = validate(
        ctf([good, bad_upn, unknown_need, nsa_with_e, future, before_birth, dup])
    )
    assert [r.row for r in records] == [1]
    by_row = {(e.row, e.field): e.message for e in errors}
    assert "The check letter does not match" in by_row[(2, "UPN")]
    assert "Unknown type of need 'XYZ'" in by_row[(3, "SENneeds/SENneed[1]/SENtype")]
    assert (
        "valid only with SEN support (K), not with provision E"
        in by_row[(4, "SENhistory/SENneeds")]
    )
    assert "01/01/2030 is in the future" in by_row[(5, "SENhistory/SEN[1]/StartDate")]
    assert (
        "before the pupil's date of birth (05/05/2018)"
        in by_row[(6, "SENhistory/SEN[1]/StartDate")]
    )
    assert "appears more than once in the file (also Pupil 1)" in by_row[(7, "UPN")]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("A38220011500", "A UPN has 13 characters; this one has 12"),
        ("A382200115001", "for these digits it should be P"),
        ("P3822001150X1", "Characters 2 to 12 of a UPN must be digits"),
        ("X000200005001", "000 is not a local authority number"),
    ],
)
def test_upn_problems_are_explained(value, reason):
    assert reason in upn_problem(value)


def test_valid_upns_pass():
    assert upn_problem(make_upn(1)) is None
    assert upn_problem("B801200005001") is None


def test_csv_columns_are_matched_tolerantly_and_template_lists_every_column():
    header = template_csv().splitlines()[0]
    assert all(c.heading in header for c in COLUMNS)
    data = mis_csv(
        [
            [
                make_upn(1),
                "Khan",
                "Aaliyah",
                "14/05/2016",
                "female",
                "Year 4",
                "4B",
                "k",
                "2023-01-16",
                "slcn",
                "",
            ]
        ],
        headings=[
            "upn",
            "SURNAME",
            "First Name",
            "DOB",
            "Gender",
            "NC Year",
            "Reg Group",
            "SEN Status",
            "SEN start date",
            "Primary need",
            "Secondary need",
        ],
    )
    records, errors = validate_rows(parse_mis_csv(data).rows, today=TODAY)
    assert errors == []
    (r,) = records
    assert r.values["date_of_birth"] == date(2016, 5, 14)
    assert (r.values["sex"], r.values["year_group"], r.values["form"]) == ("F", "4", "4B")
    assert r.current_provision == "K" and r.current_needs(TODAY) == {1: "SLCN"}


def test_csv_missing_required_columns_is_refused_whole():
    with pytest.raises(FileRejected, match="Legal forename, Date of birth"):
        parse_mis_csv(b"UPN,Legal surname\nA,B\n")


def test_csv_binary_file_is_refused():
    with pytest.raises(FileRejected, match="binary"):
        parse_mis_csv(b"PK\x03\x04\x00\x00garbage")


def test_csv_errors_name_the_line_and_column():
    data = mis_csv(
        [
            [
                make_upn(1),
                "Khan",
                "Aaliyah",
                "2016-05-14",
                "F",
                "4",
                "4B",
                "E",
                "2023-01-16",
                "NSA",
                "",
            ],
            [make_upn(2), "", "Bo", "31/02/2016", "Q", "15", "4B", "Z", "", "", ""],
        ]
    )
    _, errors = validate_rows(parse_mis_csv(data).rows, today=TODAY)
    got = {(e.row, e.field) for e in errors}
    assert (2, "columns 'Primary need'/'Secondary need'") in got
    assert {
        (3, "column 'Legal surname'"),
        (3, "column 'Date of birth'"),
        (3, "column 'Sex'"),
        (3, "column 'Year group'"),
        (3, "column 'SEN provision'"),
    } <= got


def test_a_written_ctf_reads_back_the_same():
    out = CtfPupilOut(
        upn=make_upn(7),
        surname="O'Brien & Sons",
        forename="Siân",
        date_of_birth=date(2015, 3, 1),
        sex="F",
        year_group="5",
        provisions=[ProvisionEntry(date(2020, 9, 1), "K"), ProvisionEntry(date(2022, 1, 20), "E")],
        needs=[
            NeedEntry(date(2020, 9, 1), date(2022, 1, 19), 1, "SLCN"),
            NeedEntry(date(2022, 1, 20), None, 1, "ASD"),
        ],
    )
    data = write_ctf(
        header=CtfHeader(
            source_la="382", source_estab="2001", source_urn="100001", source_name="A"
        ),
        pupils=[out],
        generated_at=datetime(2025, 5, 1, 9),
    )
    records, errors = validate(data)
    assert errors == []
    (r,) = records
    assert (r.values["surname"], r.values["forename"]) == ("O'Brien & Sons", "Siân")
    assert r.provisions == out.provisions and r.needs == out.needs
    assert r.current_needs(TODAY) == {1: "ASD"}


_days = st.dates(min_value=date(2016, 1, 1), max_value=date(2025, 5, 31))
_names = (
    st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "Pd", "Po")),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    surname=_names,
    provisions=st.lists(
        st.tuples(_days, st.sampled_from(["N", "K", "E", "A", "P", "S"])),
        max_size=5,
        unique_by=lambda t: t[0],
    ),
    needs=st.lists(
        st.tuples(
            _days,
            st.one_of(st.none(), _days),
            st.sampled_from([1, 2]),
            st.sampled_from(["SLCN", "ASD", "MLD", "SEMH", "DS"]),
        ),
        max_size=5,
    ),
)
def test_any_written_ctf_reads_back_entry_for_entry(surname, provisions, needs):
    """Property: whatever SEN entries a CTF carries, the reader gets exactly those back."""
    prov = [ProvisionEntry(d, c) for d, c in provisions]
    need = [NeedEntry(s, e, r, c) for s, e, r, c in needs if e is None or e >= s]
    out = CtfPupilOut(
        upn=make_upn(3),
        surname=surname,
        forename="Sam",
        date_of_birth=date(2014, 1, 1),
        sex="M",
        provisions=prov,
        needs=need,
    )
    (row,) = parse_ctf(
        write_ctf(header=CtfHeader(), pupils=[out], generated_at=datetime(2025, 6, 1))
    ).rows
    assert " ".join(row.fields["surname"].split()) == " ".join(surname.split())
    got_prov = [(p["start_date"], p["provision"]) for p in row.provisions]
    assert sorted(got_prov) == sorted((d.isoformat(), c) for d, c in provisions)
    got_needs = sorted((n["start_date"], n["end_date"], n["rank"], n["code"]) for n in row.needs)
    assert got_needs == sorted(
        (
            n.start_date.isoformat(),
            n.end_date.isoformat() if n.end_date else "",
            str(n.rank),
            n.code,
        )
        for n in need
    )
