"""Numbers, amounts, percentages and dates as Danish and English readers write them. Every expected text
is written out by hand from Danish (Retskrivningsordbogen: "492.000", "35,1 %", "24. november 2020") and
British conventions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidens.reports.typography import amount_text, date_text, number_text, percent_text

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("day", "language", "expected"),
    [
        (dt.date(2020, 11, 24), "da", "24. november 2020"),
        (dt.date(2021, 1, 1), "da", "1. januar 2021"),
        (dt.date(2030, 5, 31), "da", "31. maj 2030"),
        (dt.date(2020, 11, 24), "en", "24 November 2020"),
        (dt.date(2021, 1, 1), "en-gb", "1 January 2021"),
        (dt.date(2021, 3, 9), "en_US", "9 March 2021"),
        (dt.date(2021, 3, 9), "de", "9. marts 2021"),  # any other language falls back to Danish
    ],
)
def test_dates(day: dt.date, language: str, expected: str) -> None:
    assert date_text(day, language) == expected


def test_date_defaults_to_danish() -> None:
    assert date_text(dt.date(2020, 11, 24)) == "24. november 2020"


@pytest.mark.parametrize(
    ("value", "decimals", "language", "expected"),
    [
        (492000, 0, "da", "492.000"),
        (35.14, 1, "da", "35,1"),
        (0, 0, "da", "0"),
        (999, 0, "da", "999"),
        (1000, 0, "da", "1.000"),
        (1234567.891, 2, "da", "1.234.567,89"),
        (Decimal("120000.50"), 2, "da", "120.000,50"),
        (-1500, 0, "da", f"{MINUS}1.500"),
        (-35.14, 1, "da", f"{MINUS}35,1"),
        # Half away from zero, as the number is written: the float 2.675 is 2.67499999999999982..., and 0.125
        # is exact, where round() and format() give 2.67 and 0.12.
        (2.675, 2, "da", "2,68"),
        (0.125, 2, "da", "0,13"),
        (Decimal("2.5"), 0, "da", "3"),
        (-2.5, 0, "da", f"{MINUS}3"),
        (-0.04, 1, "da", "0,0"),  # rounds to zero: no sign
        (999.95, 1, "da", "1.000,0"),
        (7, 2, "da", "7,00"),
        (492000, 0, "en", "492,000"),
        (35.14, 1, "en", "35.1"),
        (-1234.5, 1, "en", f"{MINUS}1,234.5"),
        (1234567.891, 2, "en-GB", "1,234,567.89"),
    ],
)
def test_numbers(value: int | float | Decimal, decimals: int, language: str, expected: str) -> None:
    assert number_text(value, decimals, language) == expected


def test_number_defaults_to_danish_whole_numbers() -> None:
    assert number_text(492000) == "492.000"
    assert number_text(35.14, decimals=1) == "35,1"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("-Infinity")])
def test_a_number_that_is_no_number_is_refused(value: float | Decimal) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        number_text(value)


def test_negative_decimals_are_refused() -> None:
    with pytest.raises(ValueError, match="decimals"):
        number_text(5, decimals=-1)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_danish_whole_numbers_are_the_digits_grouped_by_three(value: int) -> None:
    text = number_text(value)
    groups = text.removeprefix(MINUS).split(".")
    assert all(len(group) == 3 for group in groups[1:])
    assert 1 <= len(groups[0]) <= 3
    assert text.replace(".", "").replace(MINUS, "-") == str(value)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (35.14, "da", f"35,1{NBSP}%"),
        (100, "da", f"100,0{NBSP}%"),
        (-2.04, "da", f"{MINUS}2,0{NBSP}%"),
        (35.14, "en", "35.1%"),
    ],
)
def test_percentages(value: float, language: str, expected: str) -> None:
    assert percent_text(value, language=language) == expected


def test_percentages_with_chosen_decimals() -> None:
    assert percent_text(42, decimals=0) == f"42{NBSP}%"
    assert percent_text(12.345, decimals=2) == f"12,35{NBSP}%"


@pytest.mark.parametrize(
    ("value", "decimals", "language", "expected"),
    [
        (492000, 0, "da", f"492.000{NBSP}kr."),
        (1234.5, 2, "da", f"1.234,50{NBSP}kr."),
        (-120000, 0, "da", f"{MINUS}120.000{NBSP}kr."),
        (492000, 0, "en", f"DKK{NBSP}492,000"),
    ],
)
def test_amounts(value: float, decimals: int, language: str, expected: str) -> None:
    assert amount_text(value, decimals, language) == expected
