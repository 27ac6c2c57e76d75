"""A report as plain data: the front page, a sequence of blocks and the references they cite.

The renderers (``render.py``) turn one ``Document`` into HTML, PDF and DOCX, so a report is
built once, from selectors, and every format says the same. Text is plain text everywhere:
the renderers escape it, so markup in a title or a finding shows as written.

Citations: a block's ``refs`` name ``Reference.key``\\ s. Each cited reference gets a footnote
number in the order it is first cited; a reference cited again keeps its number. References
that are never cited follow in the order given, so the list of sources is one numbered list.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reference:
    """An evidence item or another source. ``link`` should be an absolute http(s) URL: the
    report is read away from the application, and other links are shown as text only."""

    key: str
    title: str
    detail: str = ""
    link: str = ""


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 (a chapter) to 3

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"heading level must be 1, 2 or 3, not {self.level!r}")


@dataclass(frozen=True)
class Paragraph:
    text: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """Rows of already formatted cell texts (see ``typography``); ``numeric`` marks the columns
    to align right, one flag per column (empty: none)."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric: tuple[bool, ...] = ()
    refs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        columns = len(self.headings)
        if columns == 0:
            raise ValueError("a table needs at least one column")
        uneven = [number for number, row in enumerate(self.rows, start=1) if len(row) != columns]
        if uneven:
            raise ValueError(f"table rows {uneven} do not have {columns} cells")
        if self.numeric and len(self.numeric) != columns:
            raise ValueError(f"numeric needs one flag per column ({columns}), not {len(self.numeric)}")

    def is_numeric(self, column: int) -> bool:
        return bool(self.numeric) and self.numeric[column]


@dataclass(frozen=True)
class Figure:
    """A chart as a Vega-Lite spec with its data inline (``evidens.charts.specs``)."""

    spec: dict[str, Any]
    caption: str
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    text: str
    source: str = ""
    refs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    """Labelled values, e.g. the facts on the front page: ``(("Budget", "492.000 kr."), ...)``."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageBreak:
    """Start a new page on paper; nothing on screen."""


Block = Heading | Paragraph | Table | Figure | Quote | Facts | PageBreak


@dataclass(frozen=True, kw_only=True)
class Document:
    title: str
    subtitle: str = ""
    organisation: str = ""
    date: dt.date
    language: str = "da"
    front: tuple[tuple[str, str], ...] = ()
    blocks: tuple[Block, ...] = ()
    references: tuple[Reference, ...] = ()

    def __post_init__(self) -> None:
        keys = [reference.key for reference in self.references]
        repeated = sorted({key for key in keys if keys.count(key) > 1})
        if repeated:
            raise ValueError(f"reference keys used more than once: {', '.join(repeated)}")
        unknown = sorted(set(_citations(self)) - set(keys))
        if unknown:
            raise ValueError(f"blocks cite unknown references: {', '.join(unknown)}")


def _citations(document: Document) -> Iterator[str]:
    """Every cited key, in reading order, repeats included."""
    for block in document.blocks:
        yield from getattr(block, "refs", ())


def footnote_numbers(document: Document) -> dict[str, int]:
    """Reference key → footnote number (from 1): cited references in the order of their first
    citation, then the uncited ones in the order given. Iterating the result gives that order."""
    numbers: dict[str, int] = {}
    cited_first = [*_citations(document), *(reference.key for reference in document.references)]
    for key in cited_first:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def references_in_order(document: Document) -> list[tuple[int, Reference]]:
    """The references with their footnote numbers, in footnote order (the list of sources)."""
    by_key = {reference.key: reference for reference in document.references}
    return [(number, by_key[key]) for key, number in footnote_numbers(document).items()]


def headings(document: Document) -> list[tuple[int, str, str]]:
    """``(level, text, anchor)`` of every heading in order; anchors are unique ASCII ids made
    from the text (``"Økonomi og drift"`` → ``"oekonomi-og-drift"``), so links into a report
    read well and survive every format. They hold only ``a-z``, digits and ``-``, so a renderer's
    own ids with an underscore (``source_1``) never clash with them."""
    found: list[tuple[int, str, str]] = []
    used: set[str] = set()
    for block in document.blocks:
        if isinstance(block, Heading):
            anchor = base = _slug(block.text)
            suffix = 2
            while anchor in used:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            used.add(anchor)
            found.append((block.level, block.text, anchor))
    return found


# Danish letters as Danes spell them without; NFKD alone would drop æ and ø entirely.
_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.lower().translate(_TRANSLITERATION))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    # A leading letter keeps the id usable as a CSS selector and a fragment everywhere.
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if not slug:
        return "section"
    return slug if slug[0].isalpha() else f"section-{slug}"
