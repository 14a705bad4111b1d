"""Finding 4 (the name check): a strategy naming a pupil of the school is caught however the
name is written. Pure tests of apps.pupils.names, plus a property test."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.pupils.names import names_mentioned

ROLL = ["Edward", "Ng", "Zoë", "Łukasz", "Smith-Jones", "O'Neill", "Jo", "Mary Ann", "Siân"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sit Edward's group near the door", ["Edward"]),
        ("Sit Edward’s group near the door", ["Edward"]),
        ("Give Ng extra time", ["Ng"]),
        ("Check in with JO before lunch", ["Jo"]),
        ("Zoe likes the quiet corner", ["Zoë"]),
        ("ZOË likes the quiet corner", ["Zoë"]),
        ("lukasz uses a coloured overlay", ["Łukasz"]),
        ("Ask Jones to hand out books", ["Smith-Jones"]),
        ("Smith-Jones reads aloud", ["Smith-Jones"]),
        ("O’Neill needs a visual timetable", ["O'Neill"]),
        ("Ann works best in the morning", ["Mary Ann"]),
        ("Sian's timetable is on the wall", ["Siân"]),
        ("Use a visual timetable and short instructions", []),
        ("Chunk instructions; check understanding", []),
    ],
)
def test_a_name_on_roll_is_found_however_it_is_written(text, expected):
    assert names_mentioned(text, ROLL) == expected


@given(
    name=st.sampled_from(ROLL),
    before=st.sampled_from(["", "Please help ", "Seat "]),
    after=st.sampled_from(["", "'s desk", "’s peg", " today", "."]),
    upper=st.booleans(),
)
def test_any_spelling_of_a_listed_name_is_caught(name, before, after, upper):
    text = f"{before}{name}{after}"
    assert name in names_mentioned(text.upper() if upper else text, ROLL)


@pytest.mark.parametrize(
    "wording",
    [
        "Sit near Edward's table for reading",
        "Give Ng a movement break",
        "Zoe works best with a timer",
        "Jones prefers written instructions",
    ],
)
def test_a_strategy_naming_a_pupil_is_not_published(people, trust_a, school_a, wording):
    from django.core.exceptions import ValidationError

    from apps.pupils.models import Strategy
    from apps.trust.models import LibraryItem
    from apps.trust.services import library_publish
    from tests.support import in_school
    from tests.trust.conftest import make_pupil

    with in_school(school_a):
        for first, last in (
            ("Edward", "Quill"),
            ("Ng", "Lee"),
            ("Zoë", "Hart"),
            ("Ava", "Smith-Jones"),
        ):
            make_pupil(first=first, last=last)
        holder = make_pupil(first="Holder", last="Person")
        ref = str(Strategy.objects.create(pupil=holder, text=wording).pk)
    with pytest.raises(ValidationError, match="mentions a pupil by name"):
        library_publish(
            acting_user=None,
            trust=trust_a,
            school=school_a,
            item_type_key="strategy",
            source_ref=ref,
        )
    assert not LibraryItem.objects.exists()
