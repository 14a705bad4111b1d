from __future__ import annotations

import pytest

from tests.family.conftest import cast, in_a  # noqa: F401
from tests.pupils.factories import make_class, make_pupil
from tests.support import in_school


@pytest.fixture
def candidates(school_a, people):
    """Secondary pupils: one taught by teacher_a, one nobody teaches; and a Year 3 pupil."""
    with in_school(school_a):
        taught = make_pupil(
            first_name="Sam",
            last_name="Senior",
            year_group="11",
            form="11A",
            provision="K",
            primary_need="SPLD",
        )
        other = make_pupil(
            first_name="Olu",
            last_name="Older",
            year_group="10",
            form="10B",
            provision="K",
            primary_need="SPLD",
        )
        young = make_pupil(first_name="Yan", last_name="Young", year_group="3")
        make_class("11 English", staff=[people["teacher_a"]], pupils=[taught])
    return {"taught": taught, "other": other, "young": young}
