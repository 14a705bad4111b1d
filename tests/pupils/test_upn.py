"""UPN validation (DfE check letter and format) and the demo generator."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.gb import upn as stdnum_upn

from apps.pupils.upn import ALPHABET, InvalidUPN, make_upn, random_upn, upn_error, validate_upn

la_numbers = st.sampled_from(sorted(stdnum_upn._la_numbers))


def test_it_accepts_the_dfe_example():
    assert validate_upn("B801200005001") == "B801200005001"


def test_it_normalises_case_and_spaces():
    assert validate_upn(" b801 2000 05001 ") == "B801200005001"


@pytest.mark.parametrize(
    "value, reason",
    [
        ("", "Enter a UPN."),
        ("B80120000500", "A UPN has 13 characters; this one has 12."),
        ("180120000500 1", "A UPN starts with a check letter"),
        ("I801200005001", "A UPN starts with a check letter"),
        ("B80120000A001", "Characters 2 to 12 of a UPN must be digits."),
        ("B80120000500S", "The last character of a UPN must be a digit, or a letter"),
        ("E000200005001", "000 is not a local authority number"),
        ("A801200005001", "The check letter does not match: for these digits it should be B."),
    ],
)
def test_it_refuses_with_the_reason(value, reason):
    with pytest.raises(InvalidUPN) as exc:
        validate_upn(value)
    assert reason in str(exc.value)


@given(
    la=la_numbers, estab=st.integers(0, 9999), year=st.integers(0, 99), serial=st.integers(0, 999)
)
def test_generated_upns_are_valid(la, estab, year, serial):
    upn = make_upn(la=la, establishment=estab, year=year, serial=serial)
    assert len(upn) == 13
    assert validate_upn(upn) == upn
    assert stdnum_upn.is_valid(upn)


@given(
    la=la_numbers,
    estab=st.integers(0, 9999),
    year=st.integers(0, 99),
    serial=st.integers(0, 999),
    data=st.data(),
)
def test_any_other_check_letter_is_refused(la, estab, year, serial, data):
    upn = make_upn(la=la, establishment=estab, year=year, serial=serial)
    wrong = data.draw(st.sampled_from([c for c in ALPHABET if c != upn[0]]))
    assert "check letter does not match" in upn_error(wrong + upn[1:])


@given(
    la=la_numbers,
    estab=st.integers(0, 9999),
    year=st.integers(0, 99),
    serial=st.integers(0, 999),
    position=st.integers(1, 11),
    data=st.data(),
)
def test_a_single_mistyped_digit_is_caught(la, estab, year, serial, position, data):
    upn = make_upn(la=la, establishment=estab, year=year, serial=serial)
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != upn[position]]))
    typo = upn[:position] + digit + upn[position + 1 :]
    # Either the LA number becomes unknown or the check letter no longer matches.
    assert upn_error(typo) is not None


@given(st.text(max_size=20))
def test_the_validator_never_crashes(value):
    error = upn_error(value)
    assert error is None or isinstance(error, str)


def test_temporary_upn_ending_in_a_letter_is_accepted():
    body = "82120001201A"
    from apps.pupils.upn import check_letter

    assert validate_upn(check_letter(body) + body)


def test_random_upn_is_reproducible():
    assert random_upn(random.Random(1)) == random_upn(random.Random(1))
