"""A date answer with absurd parts is no date: graded wrong, never an exception."""

from __future__ import annotations

import pytest

from quizapp.core import qtypes
from tests.core.test_qtypes import YEAR


@pytest.mark.parametrize(
    "raw",
    [
        {"year": "9" * 5000},
        {"year": "2020", "month": "1" * 5000},
        {"year": "²⁰²⁰"},
        "9" * 5000,
        9 * 10**5000,
    ],
    ids=["year", "month", "superscript", "text", "number"],
)
def test_a_year_of_thousands_of_digits_is_not_a_date(raw: object) -> None:
    date = qtypes.get("date")
    assert date.normalize(YEAR, raw) is None
    assert date.grade(YEAR, raw).fraction == 0.0
