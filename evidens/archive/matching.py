"""Which organisation of the stakeholder register a participant meant by the name written in an event registration.

Names are compared in their ``name_key`` form (case, æøå spellings, abbreviations and legal forms made alike). A
key shared by exactly one organisation is an exact match; a decision a person made in an earlier review wins over
everything. Otherwise the name is scored against every organisation with rapidfuzz, and it is matched on its own
only when it *agrees* with one organisation more closely than with any other — the same generic words
(boligforeningen, almene boliger, ...) and a distinctive part (the place or estate name) spelt alike or with one
typing error that is not a changed letter — and that organisation also scores clearly best. Anything doubtful is
left to a person with up to three candidates: a wrong match that nobody sees is worse than a question.

Pure: no database; statuses are constants for the UI to label.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

MATCHED_EXACT = "matched_exact"
MATCHED_REMEMBERED = "matched_remembered"
MATCHED_CLOSE = "matched_close"
UNCERTAIN = "uncertain"
NOT_FOUND = "not_found"

MAX_CANDIDATES = 3  # what a reviewer can compare at a glance

# Below this score an organisation shares little more than a generic word or a few letters with the written name
# (the demo's participants from outside the register, "Privat" or "Lejerforeningen Nordvest", score at most 55):
# not worth a reviewer's look. With none above it the name is NOT_FOUND.
CANDIDATE_MIN_SCORE = 60.0
# A close match must score at least this: one typing error in a short name leaves too little to be sure of
# ("Bovset" for "Bovest" scores 83, "Domae.dk" 80); a typo in a name of the usual length scores 88 or more.
CLOSE_MIN_SCORE = 85.0
# ... and lead the runner-up by this much. With a smaller lead the runner-up is about as near the written name as
# the best, only in a way agreement does not forgive ("Sanderborg" leads "Sønderborg" by 1 for Skanderborg);
# a person should look. Of the demo's typed variants that agree with one organisation, 1 in 1,000 leads by less.
CLOSE_MIN_LEAD = 3.0
# The distinctive part may carry one typing error — a letter left out or added, or two neighbours swapped — when
# the longer of the two has at least DISTINCTIVE_MIN_LENGTH letters ("Vele" for "Vejle"); shorter ones must be
# spelt exactly ("AAB" and "FAB"). One error, not two: "vesterbro" and "østerbro" are two apart. And not a changed
# letter: that is how the sector's names differ from one another (Birkevang and Kirkevang, Lindegården and
# Lundegården, Strandparken and Strandmarken).
DISTINCTIVE_MIN_LENGTH = 5
# A word one edit from exactly one generic word of at least this length is that word misspelt ("boligforenigen",
# "kommue"); shorter generic words ("bolig", "almen") are too close to names to be read that way.
GENERIC_TYPO_MIN_LENGTH = 6

# Words that say what kind of organisation it is, not which one (as name_key writes them).
GENERIC_WORDS = frozenset({
    "boligforening", "boligforeningen", "andelsboligforening", "andelsboligforeningen", "boligselskab",
    "boligselskabet", "lejerforening", "lejerforeningen", "beboerforening", "beboerforeningen", "almene", "almen",
    "bolig", "boliger", "boligerne", "afdeling", "afdelingen", "selvejende", "institution", "kommune",
})
# Small words people add or leave out ("Den Almene Boligforening i Favrskov"); they decide nothing.
FILLER_WORDS = frozenset({"den", "det", "de", "i", "og", "af", "for", "på", "ved"})


# --- the key -------------------------------------------------------------------------------------------------------

# ä and ö are the Swedish and German letters for æ and ø, typed when the keyboard has no Danish letters.
_NORDIC_LETTERS = str.maketrans({"ä": "æ", "ö": "ø"})
_ACCENTED = re.compile(r"[^\x00-\x7fæøå]")
# Registration forms often lose æ, ø and å to ae, oe and aa ("Naestved", "Aabenraa"): both spellings fold to the
# Danish letter, not to ASCII, so that "Østerbro" stays two edits from "Vesterbro" instead of one ("oesterbro").
_DIGRAPHS = {"aa": "å", "ae": "æ", "oe": "ø"}
_DIGRAPH = re.compile("|".join(_DIGRAPHS))
# Legal forms say how a company is owned, not which company it is, and are written or left out at will. Only as
# whole words, bounded as _WORD bounds them ("Kapsel" keeps its "aps").
_LEGAL_FORM = re.compile(r"(?<![^\W_])(?:a/s|aps|ivs|i/s|k/s|p/s|amba|a\.m\.b\.a)\.?(?![^\W_])")
# Some organisations are named by their web address ("Domea.dk") and written without it.
_DOMAIN = re.compile(r"\.dk\b")
# Anything but letters and digits separates words: punctuation, hyphens ("AL2-bolig") and runs of spaces.
_WORD = re.compile(r"[^\W_]+")
# Abbreviations of the sector's names, as words (with or without their full stop). First in a name they stand for
# the definite form ("Bs. Kronborg" is "Boligselskabet Kronborg"), after a place name for the indefinite
# ("Køge Boligselsk." is "Køge Boligselskab"), as the register writes the two kinds of name.
_BY_POSITION = {
    "bf": ("boligforeningen", "boligforening"),
    "boligforen": ("boligforeningen", "boligforening"),
    "boligfor": ("boligforeningen", "boligforening"),
    "bs": ("boligselskabet", "boligselskab"),
    "boligselsk": ("boligselskabet", "boligselskab"),
    "boligsk": ("boligselskabet", "boligselskab"),
}
_ANYWHERE = {"abf": "andelsboligforeningen", "andelsboligfor": "andelsboligforeningen", "alm": "almene"}


def name_key(text: str) -> str:
    """The form two spellings of one organisation's name share: ``"Bf. Søhaven A/S"``, ``"boligforeningen
    soehaven"`` and ``"Boligforeningen  Søhaven"`` all give ``"boligforeningen søhaven"``."""
    return _key(text, fold_digraphs=True)


def _key(text: str, *, fold_digraphs: bool) -> str:
    # NFKC: ligatures and compatibility forms (ﬁ, full-width letters) as the letters they show; casefold for case.
    text = unicodedata.normalize("NFKC", text).casefold().translate(_NORDIC_LETTERS)
    # Accents other than Danish letters are often left out ("Renovér" typed "Renover").
    text = _ACCENTED.sub(lambda found: _without_accents(found.group()), text)
    if fold_digraphs:
        text = _DIGRAPH.sub(lambda found: _DIGRAPHS[found.group()], text)
    text = _LEGAL_FORM.sub(" ", text)
    text = _DOMAIN.sub("", text)
    text = text.replace("&", " og ")  # "Plan & Proces" is also written "Plan og Proces"
    words = _WORD.findall(text)
    return " ".join(_expanded(word, first=index == 0) for index, word in enumerate(words))


@cache
def _without_accents(char: str) -> str:
    return "".join(part for part in unicodedata.normalize("NFD", char) if not unicodedata.combining(part))


def _expanded(word: str, *, first: bool) -> str:
    if word in _BY_POSITION:
        definite, indefinite = _BY_POSITION[word]
        return definite if first else indefinite
    return _ANYWHERE.get(word, word)


# --- what a name says: its kind and its distinctive part ------------------------------------------------------------

_GENERIC_TYPO_TARGETS = sorted(word for word in GENERIC_WORDS if len(word) >= GENERIC_TYPO_MIN_LENGTH)
_LONGEST_FIRST = sorted(GENERIC_WORDS, key=len, reverse=True)


@dataclass(frozen=True)
class _Shape:
    generic: tuple[str, ...]  # the generic words, sorted: their order does not tell organisations apart
    distinctive: str  # the other words in their order, without spaces ("AL2 bolig" and "AL2bolig" are one name)


def _shape(key: str) -> _Shape:
    generic: list[str] = []
    distinctive: list[str] = []
    for index, word in enumerate(key.split()):
        if word in FILLER_WORDS:
            continue
        for part, is_generic in _parts(word, first=index == 0):
            (generic if is_generic else distinctive).append(part)
    return _Shape(tuple(sorted(generic)), "".join(distinctive))


@cache
def _parts(word: str, *, first: bool) -> tuple[tuple[str, bool], ...]:
    """``word`` as (part, is generic) pairs: a generic word, possibly misspelt; a name glued to a generic word
    ("al2bolig" is "al2" and "bolig", as "AL2 bolig" is); or a distinctive word."""
    form = _generic_form(word, first=first)
    if form is not None:
        return ((form, True),)
    for generic in _LONGEST_FIRST:
        if word.endswith(generic) and len(word) - len(generic) >= 2:
            return ((word[: -len(generic)], False), (generic, True))
    return ((word, False),)


@cache
def _generic_form(word: str, *, first: bool) -> str | None:
    """The generic word ``word`` is, possibly misspelt by one edit; None for a word that is not generic."""
    if word in GENERIC_WORDS:
        return word
    near = sorted(found for found, _, _ in process.extract(word, _GENERIC_TYPO_TARGETS, scorer=OSA.distance,
                                                           score_cutoff=1, limit=None))
    if len(near) == 1:
        return near[0]
    # One edit from both forms of a word ("boligselskabt"): the definite form first in a name, as abbreviations.
    if len(near) == 2 and near[1].startswith(near[0]):
        return near[1] if first else near[0]
    return None  # one edit from two different words: which one is unknown


# --- matching -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    organisation_id: int
    name: str  # the register's name
    score: float  # 0–100, higher is closer


@dataclass(frozen=True)
class Match:
    written: str  # as the participant wrote it
    status: str  # MATCHED_EXACT, MATCHED_REMEMBERED, MATCHED_CLOSE, UNCERTAIN or NOT_FOUND
    organisation_id: int | None  # set only when matched (exact, remembered or close)
    candidates: tuple[Candidate, ...]  # up to MAX_CANDIDATES, best first: what a reviewer chooses between


@dataclass(frozen=True)
class _Decision:
    """A match without the written spelling: every spelling read the same way gets the same decision."""

    status: str
    organisation_id: int | None
    candidates: tuple[Candidate, ...]


_NOTHING = _Decision(NOT_FOUND, None, ())


class _Reading:
    """The register read one way: with ae, oe and aa folded to æ, ø and å (as ``name_key`` does), or as typed.
    A name written with ae, oe or aa is compared both ways, whichever is closer: a typo can make a digraph nobody
    meant ("Rosehusene" typed "Roehusene" reads "Røhusene", one letter from "Søhusene"); read as typed it is one
    letter from "Rosehusene" too, and a person decides."""

    def __init__(self, names: list[str], *, fold_digraphs: bool) -> None:
        self.fold_digraphs = fold_digraphs
        self.keys = [_key(name, fold_digraphs=fold_digraphs) for name in names]
        self.shapes = [_shape(key) for key in self.keys]
        self.distinctives = [shape.distinctive for shape in self.shapes]
        self.distinctive_lengths = np.array([len(distinctive) for distinctive in self.distinctives])

    def compare(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """Every organisation's score, and the typing errors (0 or 1) between its distinctive part and the written
        one where it agrees with the written name (the same generic words, the distinctive part spelt alike or
        with one forgiven typing error), infinite where it does not.

        The score averages how alike the whole names are with how alike the distinctive parts are, so that
        sharing "Boligforeningen" counts for little and the place name for much."""
        whole = process.cdist([key], self.keys, scorer=fuzz.ratio, dtype=np.float64)[0]
        shape = _shape(key)
        edits = process.cdist([shape.distinctive], self.distinctives, scorer=OSA.distance, dtype=np.int32)[0]
        longer = np.maximum(self.distinctive_lengths, len(shape.distinctive))
        scores = (whole + 100.0 * (1.0 - edits / np.maximum(longer, 1))) / 2
        agreeing = np.full(len(self.keys), np.inf)
        if shape.distinctive:  # "Boligforeningen" alone names no organisation
            for position in np.flatnonzero(edits <= 1).tolist():
                other = self.shapes[position]
                if other.generic == shape.generic and _one_name(shape.distinctive, other.distinctive):
                    agreeing[position] = edits[position]
        return scores, agreeing


def _one_name(written: str, other: str) -> bool:
    """Whether two distinctive parts at most one edit apart name one organisation: spelt alike, or long enough
    for a typing error that is not a changed letter (one edit between parts of equal length is a changed letter
    or two letters swapped; swapped letters keep the same letters)."""
    if written == other:
        return True
    if max(len(written), len(other)) < DISTINCTIVE_MIN_LENGTH:
        return False
    return len(written) != len(other) or sorted(written) == sorted(other)


class OrganisationMatcher:
    """Matches written names to ``register`` (organisation id → name).

    ``remembered`` maps ``name_key(written)`` to the organisation a person confirmed in an earlier review, or to
    None where a person said the name is not in the register; those decisions win over everything. A remembered
    organisation that is no longer in the register is forgotten: the name is matched afresh.
    """

    def __init__(self, register: Mapping[int, str], *, remembered: Mapping[str, int | None] | None = None) -> None:
        self._ids = list(register)
        self._names = [register[organisation_id] for organisation_id in self._ids]
        self._positions = {organisation_id: position for position, organisation_id in enumerate(self._ids)}
        self._readings = tuple(_Reading(self._names, fold_digraphs=fold) for fold in (True, False))
        self._by_key: dict[str, list[int]] = {}
        for position, key in enumerate(self._readings[0].keys):
            self._by_key.setdefault(key, []).append(position)
        self._remembered = _rekeyed(remembered or {})
        # Registration lists repeat the same few hundred names: one decision per reading of a name.
        self._decisions: dict[tuple[str, ...], _Decision] = {}

    def match(self, written: str) -> Match:
        # The name read with digraphs folded (its name_key) and, where that differs, as typed.
        keys = tuple(dict.fromkeys(_key(written, fold_digraphs=reading.fold_digraphs) for reading in self._readings))
        decision = self._decisions.get(keys)
        if decision is None:
            decision = self._decisions[keys] = self._decide(keys)
        return Match(written, decision.status, decision.organisation_id, decision.candidates)

    def _decide(self, keys: tuple[str, ...]) -> _Decision:
        key = keys[0]  # name_key(written)
        if not key:
            return _NOTHING
        if key in self._remembered:
            chosen = self._remembered[key]
            if chosen is None:
                return _NOTHING
            if chosen in self._positions:
                position = self._positions[chosen]
                scores, _ = self._compare(keys)
                return _Decision(MATCHED_REMEMBERED, chosen, (self._candidate(position, scores[position]),))
        exact = self._by_key.get(key, [])
        if len(exact) == 1:
            return _Decision(MATCHED_EXACT, self._ids[exact[0]], (self._candidate(exact[0], 100.0),))
        if exact:  # two organisations with one name: only a person can tell which was meant
            return _Decision(UNCERTAIN, None, tuple(self._candidate(position, 100.0)
                                                    for position in exact[:MAX_CANDIDATES]))
        return self._fuzzy(keys)

    def _fuzzy(self, keys: tuple[str, ...]) -> _Decision:
        scores, edits = self._compare(keys)
        order = _best(scores, MAX_CANDIDATES)
        candidates = tuple(self._candidate(position, scores[position]) for position in order
                           if scores[position] >= CANDIDATE_MIN_SCORE)
        if not candidates:
            return _NOTHING
        best = order[0]
        lead = scores[best] - (scores[order[1]] if len(order) > 1 else 0.0)
        # The best must agree, and every other organisation that agrees must need more typing errors.
        closest = np.isfinite(edits[best]) and np.count_nonzero(edits <= edits[best]) == 1
        if closest and scores[best] >= CLOSE_MIN_SCORE and lead >= CLOSE_MIN_LEAD:
            return _Decision(MATCHED_CLOSE, self._ids[best], candidates)
        return _Decision(UNCERTAIN, None, candidates)

    def _compare(self, keys: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Scores and typing errors (see ``_Reading.compare``) under the reading that brings each organisation
        closest: ``keys`` holds the name read with digraphs folded and, if it has any, as typed."""
        scores, edits = self._readings[0].compare(keys[0])
        if len(keys) > 1:
            typed_scores, typed_edits = self._readings[1].compare(keys[1])
            scores, edits = np.maximum(scores, typed_scores), np.minimum(edits, typed_edits)
        return scores, edits

    def _candidate(self, position: int, score: float) -> Candidate:
        return Candidate(self._ids[position], self._names[position], round(float(score), 1))


def _best(scores: np.ndarray, count: int) -> list[int]:
    """The positions of the ``count`` highest scores, highest first, earlier positions first among equals."""
    if len(scores) > count:
        threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
        positions = np.flatnonzero(scores >= threshold)  # ties at the threshold may add a few
    else:
        positions = np.arange(len(scores))
    return sorted(positions.tolist(), key=lambda position: (-scores[position], position))[:count]


def _rekeyed(remembered: Mapping[str, int | None]) -> dict[str, int | None]:
    """``remembered`` under today's ``name_key`` (keys stored under older rules still count). Two decisions that
    now share a key but disagree are both dropped: neither can win silently."""
    rekeyed: dict[str, int | None] = {}
    conflicting: set[str] = set()
    for written_key, organisation_id in remembered.items():
        key = name_key(written_key)
        if key in rekeyed and rekeyed[key] != organisation_id:
            conflicting.add(key)
        rekeyed[key] = organisation_id
    return {key: organisation_id for key, organisation_id in rekeyed.items() if key not in conflicting}
