"""Danish open answers as words, stems, keywords, phrases, distinctive terms and sentiment.

Everything runs offline: spaCy's blank Danish pipeline is only a tokenizer with stop words (no trained model to
download), the Snowball Danish stemmer is code, the AFINN Danish lexicon is a data file kept in ``data/``,
and TF-IDF is scikit-learn. Results carry codes and numbers, never sentences: the Django layer words them.

The AFINN lexicon (Finn Årup Nielsen, DTU) is licensed under the Open Database License; a report that publishes
sentiment figures should say that they draw on AFINN under the ODbL.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import snowballstemmer
import spacy
from spacy.lang.da.stop_words import STOP_WORDS as SPACY_STOP_WORDS
from spacy.tokenizer import Tokenizer

# Stop words are compared with tokens as tokens() returns them: lower case, edge punctuation stripped.
SURVEY_STOP_WORDS = frozenset({
    # Abbreviations spaCy keeps whole ("f.eks.", "bl.a.") that its list lacks; they carry no topic.
    "bl.a", "ca", "dvs", "etc", "evt", "f.eks", "fx", "ift", "iht", "inkl", "m.fl", "mht", "mv", "osv", "pga",
    # Inflections of words spaCy's list already holds (god, ny/nyt, få, blev/blive), so one word is not half a stop.
    "blevet", "fik", "får", "fået", "gode", "godt", "nye",
})
STOP_WORDS: frozenset[str] = frozenset(SPACY_STOP_WORDS) | SURVEY_STOP_WORDS

# A negation word flips the first lexicon entry that starts within this many tokens after it, in the same run of
# words: "ikke særlig god" counts "god" negatively. It never reaches past punctuation.
NEGATIONS = frozenset({"ikke", "aldrig", "ingen", "intet"})
NEGATION_REACH = 2

# The label follows the score per word (a long answer needs more charged words to lean one way): one typical
# AFINN word (±2 or ±3) tips an answer of up to 40–60 words; a mild one (±1) up to 20 words.
LABEL_THRESHOLD = 0.05
Label = Literal["positive", "negative", "neutral"]

AFINN_DANISH_FILE = "AFINN-da-32.txt"

_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True, slots=True)
class Terms:
    stems: list[str]
    representative: dict[str, str]  # stem -> the word written most often for it, for display


@dataclass(frozen=True, slots=True)
class Keyword:
    term: str  # the stem, or two stems for a phrase, that occurrences are counted under
    display: str  # the form written most often (first written on a tie)
    count: int  # occurrences in all texts
    documents: int  # texts it occurs in


@dataclass(frozen=True, slots=True)
class DistinctiveTerm:
    term: str
    display: str
    score: float  # TF-IDF weight in its group, the group's vector normalised to length 1


@dataclass(frozen=True, slots=True)
class SentimentWord:
    text: str  # the lexicon entry as found: a word or a phrase ("fungerer ikke")
    value: int  # its AFINN value, sign flipped when negated
    negated: bool


@dataclass(frozen=True, slots=True)
class Sentiment:
    score: int  # sum of the values of the words found
    per_word: float  # score divided by the number of words in the text
    label: Label
    words: list[SentimentWord]


def tokens(text: str) -> list[str]:
    """Lower-cased words; punctuation, numbers, links and e-mail addresses dropped, hyphenated words kept whole."""
    return [word for run in _runs(text) for word in run]


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """Snowball Danish stem of one lower-case word."""
    # A stemmer object keeps state while it works, so each call gets its own (cheap) rather than sharing one.
    return snowballstemmer.stemmer("danish").stemWord(word)


def terms(text: str) -> Terms:
    """Stems of the words that are not stop words, with the form each stem was written in most often."""
    pairs = _term_pairs(text)
    return Terms([term for term, _ in pairs], _representatives(pairs))


def keywords(texts: Iterable[str], top: int = 30) -> list[Keyword]:
    """The most frequent stems, most occurrences first, then most texts, then the stem's spelling."""
    return _ranked((_term_pairs(text) for text in texts), top=top, min_documents=1)


def phrases(texts: Iterable[str], top: int = 20) -> list[Keyword]:
    """Two adjacent words, neither a stop word nor split by punctuation, found in at least two texts."""
    return _ranked((_bigram_pairs(text) for text in texts), top=top, min_documents=2)


def distinctive_terms(groups: Mapping[str, list[str]], top: int = 10) -> dict[str, list[DistinctiveTerm]]:
    """The terms that set each group's answers apart: TF-IDF with each group's answers as one document,
    so a term every group uses weighs least and a term only one group uses weighs most."""
    pairs = {name: [pair for text in texts for pair in _term_pairs(text)] for name, texts in groups.items()}
    if not any(pairs.values()):
        return {name: [] for name in groups}
    # scikit-learn (with SciPy) takes about two seconds to import, and only this function needs it.
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer=_terms_of_pairs, token_pattern=None)
    weights = vectorizer.fit_transform(list(pairs.values())).tocsr()
    vocabulary = vectorizer.get_feature_names_out()
    result: dict[str, list[DistinctiveTerm]] = {}
    for row, (name, group_pairs) in enumerate(pairs.items()):
        row_slice = slice(weights.indptr[row], weights.indptr[row + 1])
        display = _representatives(group_pairs)
        ranked = sorted(
            zip(weights.indices[row_slice], weights.data[row_slice], strict=True),
            key=lambda item: (-item[1], vocabulary[item[0]]),
        )
        result[name] = [
            DistinctiveTerm(str(vocabulary[index]), display[vocabulary[index]], float(score))
            for index, score in ranked[:top]
        ]
    return result


def sentiment(text: str) -> Sentiment:
    """AFINN Danish: lexicon phrases first (longest match), then words; negation as NEGATIONS describes."""
    runs = _runs(text)
    found = [word for run in runs for word in _lexicon_matches(run)]
    score = sum(word.value for word in found)
    word_count = sum(len(run) for run in runs)
    per_word = score / word_count if word_count else 0.0
    return Sentiment(score=score, per_word=per_word, label=_label(per_word), words=found)


def afinn_lexicon_path() -> Path:
    return Path(__file__).parent / "data" / AFINN_DANISH_FILE


@functools.cache
def _tokenizer() -> Tokenizer:
    return spacy.blank("da").tokenizer


def _runs(text: str) -> list[list[str]]:
    """Runs of words: punctuation, numbers, links and line breaks end a run; quotation marks do not."""
    runs: list[list[str]] = [[]]
    for token in _tokenizer()(text):
        if token.is_quote or (token.is_space and "\n" not in token.text):
            continue
        words = [] if token.like_url or token.like_email else _words(token.lower_)
        if words:
            runs[-1].extend(words)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _words(token_text: str) -> list[str]:
    # spaCy keeps "og/eller" and "bolig-/byudvikling" whole; the slash joins alternatives, each a word of its own.
    stripped = (_EDGE_PUNCTUATION.sub("", part) for part in token_text.split("/"))
    return [word for word in stripped if any(character.isalpha() for character in word)]


def _term_pairs(text: str) -> list[tuple[str, str]]:
    """(stem, word) for every word that is not a stop word."""
    return [(stem(word), word) for word in tokens(text) if word not in STOP_WORDS]


def _bigram_pairs(text: str) -> list[tuple[str, str]]:
    return [
        (f"{stem(first)} {stem(second)}", f"{first} {second}")
        for run in _runs(text)
        for first, second in itertools.pairwise(run)
        if first not in STOP_WORDS and second not in STOP_WORDS
    ]


def _terms_of_pairs(pairs: list[tuple[str, str]]) -> list[str]:
    return [term for term, _ in pairs]


def _representatives(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    representative: dict[str, str] = {}
    # most_common keeps first-seen order among equal counts, so a tie goes to the form written first.
    for (term, word), _ in Counter(pairs).most_common():
        representative.setdefault(term, word)
    return representative


def _ranked(per_text: Iterable[list[tuple[str, str]]], *, top: int, min_documents: int) -> list[Keyword]:
    counts: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    written: list[tuple[str, str]] = []
    for pairs in per_text:
        counts.update(term for term, _ in pairs)
        documents.update({term for term, _ in pairs})
        written.extend(pairs)
    display = _representatives(written)
    ranked = sorted(
        (term for term in counts if documents[term] >= min_documents),
        key=lambda term: (-counts[term], -documents[term], term),
    )
    return [Keyword(term, display[term], counts[term], documents[term]) for term in ranked[:top]]


@dataclass(frozen=True, slots=True)
class _Lexicon:
    values: dict[tuple[str, ...], int]  # an entry's words -> its value
    longest: int  # words in the longest entry


@functools.cache
def _lexicon() -> _Lexicon:
    values: dict[tuple[str, ...], int] = {}
    for line in afinn_lexicon_path().read_text(encoding="utf-8").splitlines():
        entry, value = line.strip().split("\t")
        values[tuple(entry.split(" "))] = int(value)
    return _Lexicon(values, max(len(entry) for entry in values))


def _lexicon_matches(run: list[str]) -> list[SentimentWord]:
    lexicon = _lexicon()
    found: list[SentimentWord] = []
    negation_reaches = -1  # the last position a pending negation still reaches
    position = 0
    while position < len(run):
        length = next(
            (n for n in range(min(lexicon.longest, len(run) - position), 0, -1)
             if tuple(run[position:position + n]) in lexicon.values),
            0,
        )
        if not length:
            if run[position] in NEGATIONS:
                negation_reaches = position + NEGATION_REACH
            position += 1
            continue
        entry = tuple(run[position:position + length])
        negated = position <= negation_reaches
        if negated:
            negation_reaches = -1
        value = lexicon.values[entry]
        found.append(SentimentWord(" ".join(entry), -value if negated else value, negated))
        # A phrase that opens with the negation ("ikke god") has it in its value; one inside a phrase
        # ("fungerer ikke godt") still reaches the words after it.
        for inside in range(position + 1, position + length):
            if run[inside] in NEGATIONS:
                negation_reaches = inside + NEGATION_REACH
        position += length
    return found


def _label(per_word: float) -> Label:
    if per_word >= LABEL_THRESHOLD:
        return "positive"
    if per_word <= -LABEL_THRESHOLD:
        return "negative"
    return "neutral"
