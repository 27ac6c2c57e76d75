"""Whole numbers typed by people or sent in a request: digits only, and small enough for any database column.

``str.isdigit`` is not enough: it accepts "²" and "①", which ``int`` refuses, and ``int`` of a few thousand digits
raises too; either would turn a typo or a probe into a server error.
"""

from __future__ import annotations

# The largest value of a 32-bit signed integer column: every id and count in Evidens fits.
LARGEST = 2**31 - 1


def whole_number(text: str, *, largest: int = LARGEST) -> int | None:
    """``text`` as a whole number from 0 to ``largest``, or None when it is anything else."""
    text = text.strip()
    if not text or not (text.isascii() and text.isdigit()) or len(text) > len(str(largest)):
        return None
    value = int(text)
    return value if value <= largest else None
