"""Unique Pupil Numbers (DfE). Pure functions, no database.

A UPN is 13 characters: a check letter, the LA number (3 digits), the establishment number (4),
the year of issue (2) and a serial (3; a temporary UPN ends in a letter instead of a digit). The
check letter is the weighted sum of positions 2-13 modulo 23, mapped to A-Z without I, O and S.
The arithmetic and the list of LA numbers come from python-stdnum (`stdnum.gb.upn`); this module
adds the reasons a SENCo can act on.
"""

from __future__ import annotations

import random

from stdnum.gb import upn as stdnum_upn

# Check letters and the letters allowed as the last character of a temporary UPN.
ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
# LA numbers created after python-stdnum's list was drawn up (2019 Dorset and BCP, 2021
# Northamptonshire split, 2023 Cumbria split). A UPN issued there is genuine.
EXTRA_LA_NUMBERS = frozenset({838, 839, 940, 941, 942, 943})


class InvalidUPN(ValueError):
    """Raised with a reason a person can act on."""


def normalise(value: str) -> str:
    return stdnum_upn.compact(value or "")


def known_la_number(la: int) -> bool:
    return la in stdnum_upn._la_numbers or la in EXTRA_LA_NUMBERS


def check_letter(body: str) -> str:
    """The check letter for the 12 characters after it."""
    return stdnum_upn.calc_check_digit(body)


def validate_upn(value: str) -> str:
    """Return the UPN in its normal form (upper case, no spaces) or raise InvalidUPN(reason)."""
    upn = normalise(value)
    if not upn:
        raise InvalidUPN("Enter a UPN.")
    if len(upn) != 13:
        raise InvalidUPN(f"A UPN has 13 characters; this one has {len(upn)}.")
    if upn[0] not in ALPHABET:
        raise InvalidUPN("A UPN starts with a check letter (A-Z, not I, O or S).")
    if not upn[1:12].isdigit():
        raise InvalidUPN("Characters 2 to 12 of a UPN must be digits.")
    if not (upn[12].isdigit() or upn[12] in ALPHABET):
        raise InvalidUPN(
            "The last character of a UPN must be a digit, or a letter (not I, O or S) for a temporary UPN."
        )
    if not known_la_number(int(upn[1:4])):
        raise InvalidUPN(f"{upn[1:4]} is not a local authority number used in UPNs.")
    expected = check_letter(upn[1:])
    if expected != upn[0]:
        raise InvalidUPN(
            f"The check letter does not match: for these digits it should be {expected}. Check for a mistyped character."
        )
    return upn


def upn_error(value: str) -> str | None:
    """The reason a UPN is invalid, or None."""
    try:
        validate_upn(value)
    except InvalidUPN as exc:
        return str(exc)
    return None


def is_temporary(upn: str) -> bool:
    return normalise(upn)[-1:].isalpha()


def make_upn(*, la: int | str, establishment: int | str, year: int, serial: int) -> str:
    """Build a permanent UPN with its check letter (used for demo and test data)."""
    body = f"{int(la):03d}{int(establishment):04d}{year % 100:02d}{serial:03d}"
    if len(body) != 12:
        raise ValueError("LA (3 digits), establishment (4) and serial (3) are out of range.")
    return check_letter(body) + body


def random_upn(
    rng: random.Random, *, la: int | str = 382, establishment: int | str | None = None
) -> str:
    return make_upn(
        la=la,
        establishment=establishment if establishment is not None else rng.randint(2000, 7999),
        year=rng.randint(10, 25),
        serial=rng.randint(0, 999),
    )
