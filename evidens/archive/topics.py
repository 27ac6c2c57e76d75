"""What the archive's documents are about, and when: topics found with NMF over TF-IDF of Danish stems, and the
words that set each year apart.

Documents arrive as ``(document id, year or None, text)``. Words are those of ``evidens.text.danish``: lower case,
stop words removed, inflected forms counted under one Snowball stem (``vinduer`` and ``vinduerne`` are one
term) and shown in the form written most often. Results carry numbers and words, never sentences; topic labels
are the Django layer's to store and edit.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from evidens.text import danish

Document = tuple[int, int | None, str]  # (document id, year or None, text)

TERMS_PER_TOPIC = 8

# Terms in fewer than MIN_DOCUMENTS documents are names and typing errors; terms in more than MAX_DOCUMENT_SHARE of
# them are the house vocabulary every document shares. Only from PRUNE_FROM_DOCUMENTS documents on: in a handful,
# one subject easily fills half the documents and would lose its own words.
MIN_DOCUMENTS = 2
MAX_DOCUMENT_SHARE = 0.5
PRUNE_FROM_DOCUMENTS = 10

# NMF's coordinate descent is stopped here if it has not converged; the topics are usable long before that.
MAX_ITERATIONS = 400


@dataclass(frozen=True, slots=True)
class Topic:
    number: int  # 0..k-1, by weight, largest first
    terms: tuple[str, ...]  # the top words, each in the form written most often for its stem
    weight: float  # share of all documents' topic weight, 0..1


@dataclass(frozen=True, slots=True)
class TopicModel:
    topics: tuple[Topic, ...]
    document_topics: dict[int, int]  # document id -> its main topic; documents with none of its terms left out
    per_year: dict[int, dict[int, float]]  # year -> topic number -> share of that year's documents' topic weight


def topic_model(documents: Sequence[Document], k: int = 8, seed: int = 2030) -> TopicModel:
    """At most ``k`` topics: fewer when there are fewer documents or terms than that, none when no document has a
    term. Each document counts once, whatever its length: its topic weights are scaled to sum to 1."""
    stems_per_document: list[list[str]] = []
    written: Counter[tuple[str, str]] = Counter()  # (stem, word) -> occurrences in all documents
    for _, _, text in documents:
        words = [word for word in danish.tokens(text) if word not in danish.STOP_WORDS]
        stems = [danish.stem(word) for word in words]
        stems_per_document.append(stems)
        written.update(zip(stems, words, strict=True))
    vocabulary = _vocabulary(stems_per_document)
    rows = [index for index, stems in enumerate(stems_per_document) if not vocabulary.isdisjoint(stems)]
    if not rows:
        return TopicModel(topics=(), document_topics={}, per_year={})
    # scikit-learn (with SciPy) takes seconds to import, and only the topic model needs it.
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Sublinear term frequency, so a long report that repeats one word fifty times does not make it a topic alone.
    vectorizer = TfidfVectorizer(analyzer=_as_terms, vocabulary=sorted(vocabulary), sublinear_tf=True)
    weights = vectorizer.fit_transform([stems_per_document[index] for index in rows])
    components = min(k, len(rows), len(vocabulary))
    nmf = NMF(n_components=components, init="nndsvda", random_state=seed, max_iter=MAX_ITERATIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        document_weights = nmf.fit_transform(weights)
    term_weights = nmf.components_
    # NMF may put any scale in either factor; with each topic's term weights summing to 1, a document's weight for
    # a topic is the part of its TF-IDF mass that the topic explains, comparable across topics.
    term_totals = term_weights.sum(axis=1)
    document_weights = document_weights * term_totals
    explained = document_weights.sum(axis=1) > 0
    if not explained.any():
        return TopicModel(topics=(), document_topics={}, per_year={})
    mixes = document_weights[explained] / document_weights[explained].sum(axis=1, keepdims=True)
    topic_shares = mixes.mean(axis=0)
    # Largest first; a topic no document draws on is no topic.
    order = [int(topic) for topic in np.argsort(-topic_shares, kind="stable") if topic_shares[topic] > 0]
    mixes = mixes[:, order]
    display = _most_written(written)
    vocabulary_terms = vectorizer.get_feature_names_out()
    topics = tuple(
        Topic(number, _top_words(term_weights[topic], vocabulary_terms, display), float(topic_shares[topic]))
        for number, topic in enumerate(order)
    )
    explained_documents = [documents[index] for index, kept in zip(rows, explained, strict=True) if kept]
    document_topics = {
        document_id: int(np.argmax(mix)) for (document_id, _, _), mix in zip(explained_documents, mixes, strict=True)
    }
    return TopicModel(topics, document_topics, _per_year(explained_documents, mixes))


def keywords_per_year(documents: Sequence[Document], top: int = 10) -> dict[int, list[str]]:
    """The words that set each year's documents apart from the other years' (TF-IDF with a year's documents as one
    text), each in the form written most often that year; documents without a year are left out."""
    texts_per_year: dict[int, list[str]] = {}
    for _, year, text in documents:
        if year is not None:
            texts_per_year.setdefault(year, []).append(text)
    groups = {str(year): texts_per_year[year] for year in sorted(texts_per_year)}
    distinctive = danish.distinctive_terms(groups, top=sys.maxsize)
    # Smoothed IDF still gives a term of every year weight 1, so the house words ("møde", "almene") would head every
    # year's list; a term every year uses sets none apart. A single year has no others to stand apart from.
    years_using = Counter(term.term for terms in distinctive.values() for term in terms)
    everywhere = {term for term, years in years_using.items() if years == len(groups)} if len(groups) > 1 else set()
    return {
        int(year): [term.display for term in terms if term.term not in everywhere][:top]
        for year, terms in distinctive.items()
    }


def _vocabulary(stems_per_document: list[list[str]]) -> set[str]:
    document_frequency = Counter(stem for stems in stems_per_document for stem in set(stems))
    if len(stems_per_document) >= PRUNE_FROM_DOCUMENTS:
        most = MAX_DOCUMENT_SHARE * len(stems_per_document)
        pruned = {stem for stem, count in document_frequency.items() if MIN_DOCUMENTS <= count <= most}
        # Documents that all say the same (copies of one template) still have a topic: their shared words.
        if pruned:
            return pruned
    return set(document_frequency)


def _as_terms(stems: list[str]) -> list[str]:
    return stems


def _most_written(written: Counter[tuple[str, str]]) -> dict[str, str]:
    display: dict[str, str] = {}
    # most_common keeps first-seen order among equal counts, so a tie goes to the form written first.
    for (stem, word), _ in written.most_common():
        display.setdefault(stem, word)
    return display


def _top_words(weights: np.ndarray, vocabulary: np.ndarray, display: dict[str, str]) -> tuple[str, ...]:
    # The vocabulary is in alphabetical order and the sort is stable, so equal weights go alphabetically.
    ranked = sorted(np.flatnonzero(weights > 0), key=lambda index: -weights[index])
    return tuple(display[str(vocabulary[index])] for index in ranked[:TERMS_PER_TOPIC])


def _per_year(documents: list[Document], mixes: np.ndarray) -> dict[int, dict[int, float]]:
    years = sorted({year for _, year, _ in documents if year is not None})
    per_year: dict[int, dict[int, float]] = {}
    for year in years:
        in_year = [row for row, (_, document_year, _) in enumerate(documents) if document_year == year]
        shares = mixes[in_year].mean(axis=0)
        per_year[year] = {number: float(share) for number, share in enumerate(shares)}
    return per_year
