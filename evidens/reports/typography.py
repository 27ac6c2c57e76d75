"""Numbers, amounts, percentages and dates as Danish (or English) readers write them.

Pure: the language is an argument, not the active Django language, so a report renders the same
whatever request made it. Danish is the default and the fallback for any language but English.

Danish: ``492.000``, ``35,1``, ``35,1 %``, ``492.000 kr.``, ``24. november 2020``.
English: ``492,000``, ``35.1``, ``35.1%``, ``DKK 492,000``, ``24 November 2020``.
A no-break space keeps a number and its unit on one line; negative numbers get a real minus
sign (U+2212), which is as wide as a plus and does not break a line after it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

NO_BREAK_SPACE = "\u00a0"
MINUS = "\u2212"

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

Number = int | float | Decimal


def is_english(language: str) -> bool:
    """True for ``en`` and its regional variants (``en-gb``, ``en_US``)."""
    return language.lower().replace("_", "-").split("-")[0] == "en"


def date_text(day: dt.date, language: str = "da") -> str:
    if is_english(language):
        return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


def number_text(value: Number, decimals: int = 0, language: str = "da") -> str:
    """``value`` rounded half away from zero to ``decimals`` places (as people round, not as
    binary floats do: 2,45 becomes 2,5), with thousands grouped."""
    if decimals < 0:
        raise ValueError("decimals cannot be negative")
    # str() first, so a float rounds as it is written (0.125, not 0.12499999...).
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):,.{decimals}f}".partition(".")
    thousands, decimal_mark = (",", ".") if is_english(language) else (".", ",")
    text = whole.replace(",", thousands) + (decimal_mark + fraction if fraction else "")
    # A value that rounds to zero is shown without a sign: "−0,0" would claim a direction it lacks.
    return MINUS + text if rounded < 0 else text


def percent_text(value: Number, decimals: int = 1, language: str = "da") -> str:
    """``value`` is already in per cent (35.14 → "35,1 %")."""
    number = number_text(value, decimals, language)
    return f"{number}%" if is_english(language) else f"{number}{NO_BREAK_SPACE}%"


def amount_text(value: Number, decimals: int = 0, language: str = "da") -> str:
    """An amount in Danish kroner."""
    number = number_text(value, decimals, language)
    return f"DKK{NO_BREAK_SPACE}{number}" if is_english(language) else f"{number}{NO_BREAK_SPACE}kr."
