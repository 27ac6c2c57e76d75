"""Whole numbers from requests and typed cells (checked by hand)."""

from __future__ import annotations

import pytest

from evidens.core.numbers import LARGEST, whole_number


@pytest.mark.parametrize(("text", "expected"), [
    ("7", 7), (" 12 ", 12), ("0", 0), ("007", 7), (str(LARGEST), LARGEST),
    ("", None), ("-1", None), ("1.5", None), ("²", None), ("①", None), ("٣", None), ("1e3", None),
    (str(LARGEST + 1), None), ("9" * 5000, None),
])
def test_only_plain_digits_within_a_database_column_are_a_number(text: str, expected: int | None) -> None:
    assert whole_number(text) == expected


def test_a_smaller_largest_is_kept() -> None:
    assert whole_number("9999", largest=9999) == 9999 and whole_number("10000", largest=9999) is None
