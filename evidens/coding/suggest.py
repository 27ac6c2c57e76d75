"""Sentences a code's keywords point to, for the coder to accept or reject.

A keyword matches a word with the same Snowball Danish stem ("renovering" finds "renoveringer" and "renoveringen");
a phrase ("grøn omstilling") matches the same stems in a row, written with only whitespace between them. Words are
the words of ``evidens.text.danish.tokens``.

A sentence ends at a line break, and at ``.``, ``!`` or ``?`` (with any closing quotation marks or brackets after
it) followed by whitespace — unless the next word starts with a lower-case letter or a digit, as after "f.eks.",
"ca. 20" or "kl. 10", which is far more often an abbreviation than a new sentence in Danish. Positions are code
points in the text, without the whitespace around the sentence.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from evidens.text.danish import stem, tokens

_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?]+[\"'“”‘’«»)\]]*(?=\s)")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
_KEYWORD_SEPARATOR = re.compile(r"[,\n]")


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    matched: tuple[str, ...]  # the matching words or phrases as written, in order, each once


def parse_keywords(text: str) -> list[str]:
    """Keywords separated by commas or line breaks, trimmed (inner runs of spaces made one), each once ignoring
    case; the first spelling is kept."""
    keywords: dict[str, str] = {}
    for part in _KEYWORD_SEPARATOR.split(text):
        keyword = " ".join(part.split())
        if keyword:
            keywords.setdefault(keyword.casefold(), keyword)
    return list(keywords.values())


def suggest_segments(text: str, keywords: Sequence[str], *, taken: Sequence[tuple[int, int]] = (),
                     limit: int = 50) -> list[Suggestion]:
    """The sentences holding a keyword and overlapping no ``taken`` range (already coded, or rejected), those with
    the most different keywords first, then in the order of the text."""
    wanted = {stems for stems in (tuple(stem(word) for word in tokens(keyword)) for keyword in keywords) if stems}
    if not wanted:
        return []
    by_first_stem: dict[str, list[tuple[str, ...]]] = {}
    for stems in wanted:
        by_first_stem.setdefault(stems[0], []).append(stems)
    is_taken = _TakenRanges(taken)
    found: list[tuple[int, Suggestion]] = []
    for start, end in _sentences(text):
        # A Snowball Danish stem is always the start of its word, so a sentence that holds no keyword's first stem
        # anywhere cannot match and is not tokenised.
        sentence = text[start:end]
        lowered = sentence.lower()
        if is_taken.overlaps(start, end) or not any(first in lowered for first in by_first_stem):
            continue
        matches = _matches(sentence, lowered, by_first_stem)
        if matches:
            written = tuple(dict.fromkeys(phrase for phrase, _ in matches))
            found.append((len({stems for _, stems in matches}), Suggestion(start, end, written)))
    found.sort(key=lambda item: (-item[0], item[1].start))
    return [suggestion for _, suggestion in found[:limit]]


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for line in _LINE.finditer(text):
        start = line.start()
        for mark in _SENTENCE_END.finditer(text, line.start(), line.end()):
            following = _NEXT_CHARACTER.match(text, mark.end(), line.end())
            if following and (following[1].islower() or following[1].isdigit()):
                continue
            yield from _trimmed(text, start, mark.end())
            start = mark.end()
        yield from _trimmed(text, start, line.end())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    part = text[start:end]
    stripped = part.strip()
    if stripped:
        first = start + len(part) - len(part.lstrip())
        yield first, first + len(stripped)


def _matches(sentence: str, lowered: str,
             by_first_stem: dict[str, list[tuple[str, ...]]]) -> list[tuple[str, tuple[str, ...]]]:
    """(the words as written, the keyword's stems) for every keyword occurrence in the sentence, in order."""
    # The rare sentence whose lower-case form has another length (a dotted capital İ) is quoted in lower case, so
    # that positions found in the lower-case form still fit.
    written = sentence if len(lowered) == len(sentence) else lowered
    words = _located_words(lowered, tokens(sentence))
    stems = [stem(word) for word, _, _ in words]
    matches: list[tuple[str, tuple[str, ...]]] = []
    for index, first in enumerate(stems):
        for keyword in by_first_stem.get(first, ()):
            span = words[index:index + len(keyword)]
            if tuple(stems[index:index + len(keyword)]) != keyword:
                continue
            gaps = (written[before[2]:after[1]] for before, after in itertools.pairwise(span))
            if all(not gap.strip() for gap in gaps):
                matches.append((written[span[0][1]:span[-1][2]], keyword))
    return matches


def _located_words(lowered: str, words: list[str]) -> list[tuple[str, int, int]]:
    """(word, start, end) for the words of tokens(), which come lower-cased and in order: each is found after the
    one before it."""
    located: list[tuple[str, int, int]] = []
    position = 0
    for word in words:
        start = lowered.find(word, position)
        if start < 0:  # a word lower-cased on its own differs from it in context (Greek final sigma): not placed
            continue
        position = start + len(word)
        located.append((word, start, position))
    return located


class _TakenRanges:
    """Whether a span overlaps any of many ranges, in logarithmic time: the ranges sorted by start, with the
    furthest end reached by any range up to each one."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self._starts = [start for start, _ in ordered]
        self._reach = list(itertools.accumulate((end for _, end in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        before_end = bisect.bisect_left(self._starts, end)
        return before_end > 0 and self._reach[before_end - 1] > start
