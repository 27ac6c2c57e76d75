"""Danish full-text search over the archive, one facade over two private backends.

    index(document)            after a document's text or title changes
    unindex(document_id)       when it goes
    search(process, query, filters=..., limit=..., offset=..., count_cap=...) -> Results

**SQLite** (the default): an FTS5 table ``archive_fts`` holds each document's words as Danish Snowball stems, which
Evidens computes (FTS5 has no Danish stemmer), so ``boligorganisationerne`` is indexed as ``boligorganisation`` and
found by ``boligorganisation``, ``renoveringer`` by ``renovering``. The query's words are stemmed the same way.
Ranking is FTS5's BM25 with the title weighted four times the text. The FTS5 rowid is the document's id, so a
document's row is found without a scan, and a search goes from the FTS5 match to the index
``archive_document_search`` (process, id, date, type) for the process and the filters, never to the documents'
rows, which carry the whole text.

**PostgreSQL**: a table ``archive_search`` with a ``tsvector`` built by ``to_tsvector('danish', …)`` (title weight
A, text weight B) under a GIN index; the query is built from ``plainto_tsquery``/``phraseto_tsquery``/``to_tsquery``
with the ``danish`` configuration (the same Snowball stemmer) and ranked with ``ts_rank_cd``.

**Query language** (both backends): words must all occur (AND); ``"two words"`` is a phrase (the stems next to each
other); ``renov*`` finds every word whose stem starts so. **Compound words** are not split: ``organisation`` does not
find ``boligorganisation`` (Danish writes compounds as one word, and splitting them needs a dictionary we do not
have); ``bolig*`` does find ``boligorganisation``, ``boligafdeling`` and ``boligsocial``.

**Counting** stops at ``COUNT_CAP`` matches (or just past the page asked for, if that is further): a word in most
documents would otherwise be counted in full on every page. ``Results.count_capped`` then says there are more
than ``Results.total``.

Snippets are cut in Python from the stored text on both backends, so they look the same: the window of about 30
words with most matched words, each match in ``<mark>``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evidens.archive.models import ArchiveDocument
from evidens.processes.models import StrategyProcess

TITLE_WEIGHT = 4.0
COUNT_CAP = 1000
SNIPPET_WORDS = 30

_WORD = re.compile(r"\w+", re.UNICODE)
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Filters:
    doc_type: str = ""
    year: int | None = None
    theme_id: int | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()  # stems that must all occur
    prefixes: tuple[str, ...] = ()  # stem prefixes (from "renov*")
    phrases: tuple[tuple[str, ...], ...] = ()  # runs of stems next to each other
    raw_words: tuple[str, ...] = ()  # the query's words as written, for PostgreSQL's own stemming
    raw_phrases: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefixes or self.phrases)

    @property
    def beginnings(self) -> tuple[str, ...]:
        """What a word must begin with to have a stem that matches."""
        return (*self.words, *self.prefixes, *(stem for phrase in self.phrases for stem in phrase))

    def matches(self, stem: str) -> bool:
        return (stem in self.words or any(stem.startswith(prefix) for prefix in self.prefixes)
                or any(stem in phrase for phrase in self.phrases))


@dataclass(frozen=True)
class Hit:
    document: ArchiveDocument
    score: float
    snippet: SafeString


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int  # the number of matches; when count_capped, there are more than this
    count_capped: bool = False


def _stem(word: str) -> str:
    # spaCy (behind evidens.text.danish) takes a second to load; only indexing and searching need the stemmer.
    from evidens.text.danish import stem

    return stem(word.lower())


def stems(text: str) -> list[str]:
    return [_stem(word) for word in _WORD.findall(text)]


def parse(query: str) -> Query:
    words: list[str] = []
    prefixes: list[str] = []
    phrases: list[tuple[str, ...]] = []
    raw_words: list[str] = []
    raw_phrases: list[str] = []
    for match in _QUERY_PART.finditer(query[:500]):
        phrase, word = match.groups()
        if phrase is not None:
            phrase_stems = tuple(stems(phrase))
            if len(phrase_stems) > 1:
                phrases.append(phrase_stems)
                raw_phrases.append(" ".join(_WORD.findall(phrase)))
            elif phrase_stems:
                words.extend(phrase_stems)
                raw_words.extend(_WORD.findall(phrase))
        elif word.endswith("*") and _WORD.fullmatch(word[:-1]):
            prefixes.append(word[:-1].lower())
        else:
            for part in _WORD.findall(word):
                words.append(_stem(part))
                raw_words.append(part)
    return Query(tuple(dict.fromkeys(words)), tuple(prefixes), tuple(phrases), tuple(raw_words), tuple(raw_phrases))


def index(document: ArchiveDocument) -> None:
    (_postgres_index if connection.vendor == "postgresql" else _sqlite_index)(document)


def unindex(document_id: int) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DELETE FROM archive_search WHERE document_id = %s", [document_id])
        else:
            cursor.execute("DELETE FROM archive_fts WHERE rowid = %s", [document_id])


def search(process: StrategyProcess, query: str, *, filters: Filters = NO_FILTERS, limit: int = 20,
           offset: int = 0, count_cap: int | None = COUNT_CAP) -> Results:
    """The page of hits from ``offset``, best first, and how many there are: all of them if ``count_cap`` is None,
    else at most ``count_cap`` or one more than the page reaches, whichever is more, so that ``total`` still tells
    whether another page follows."""
    parsed = parse(query)
    if parsed.empty:
        return Results([], 0)
    matches = (_postgres_matches if connection.vendor == "postgresql" else _sqlite_matches)(process.pk, parsed,
                                                                                            filters)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id, {matches.score} AS score {matches.tables} "
                       "ORDER BY score DESC, d.date DESC NULLS LAST LIMIT %s OFFSET %s",
                       [*matches.arguments, limit, offset])
        ranked = [(int(document_id), float(score)) for document_id, score in cursor.fetchall()]
        if count_cap is None:
            cursor.execute(f"SELECT count(*) {matches.tables}", matches.arguments)
            total, count_capped = cursor.fetchone()[0], False
        else:
            cap = max(count_cap, offset + limit + 1)
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 {matches.tables} LIMIT %s) capped",  # noqa: S608 - our SQL
                           [*matches.arguments, cap + 1])
            counted = cursor.fetchone()[0]
            total, count_capped = min(counted, cap), counted > cap
    documents = ArchiveDocument.objects.in_bulk([document_id for document_id, _score in ranked])
    hits = [Hit(documents[document_id], score, snippet(documents[document_id].text, parsed))
            for document_id, score in ranked if document_id in documents]
    return Results(hits, total, count_capped)


def snippet(text: str, query: Query, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around the place with most matches, each match marked."""
    found = list(_WORD.finditer(text))
    if not found:
        return mark_safe("")
    # A Danish Snowball stem is the word cut short (suffixes go, nothing is added or changed before them), so a word
    # can only match if it begins with a stem or prefix of the query: only those words are stemmed.
    beginnings = query.beginnings
    matched = [number for number, match in enumerate(found)
               if (word := match.group().lower()).startswith(beginnings) and query.matches(_stem(word))]
    best = _best_window(matched, words)
    last = min(len(found), best + words) - 1
    start, end = found[best].start(), found[last].end()
    pieces: list[str] = []
    position = start
    for number in matched:
        if best <= number <= last:
            match = found[number]
            pieces.append(escape(text[position:match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    pieces.append(escape(text[position:end]))
    prefix = "… " if best > 0 else ""
    suffix = " …" if last < len(found) - 1 else ""
    return mark_safe(prefix + " ".join("".join(pieces).split()) + suffix)  # noqa: S308 - every piece escaped


def _best_window(matched: list[int], words: int) -> int:
    """The first word of the earliest window of ``words`` words that holds most of the ``matched`` word numbers. A
    window gains a match only where one enters at its end, so only the windows that end on a match (and the first
    window) need counting."""
    best, best_count = 0, bisect_left(matched, words)
    for entering in matched:
        first = entering - words + 1
        if first <= 0:
            continue
        inside = bisect_left(matched, first + words) - bisect_left(matched, first)
        if inside > best_count:
            best, best_count = first, inside
    return best


@dataclass(frozen=True)
class _Matches:
    """One backend's matching documents for a query: the FROM and WHERE clauses (the documents as ``d``), the
    score (higher is better) and the arguments of both."""

    tables: str
    score: str
    arguments: list[Any]


def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.doc_type:
        clauses.append("d.doc_type = %s")
        params.append(filters.doc_type)
    if filters.year:
        clauses.append("d.date BETWEEN %s AND %s")
        params += [date(filters.year, 1, 1), date(filters.year, 12, 31)]
    if filters.theme_id:
        clauses.append("EXISTS (SELECT 1 FROM archive_archivedocument_themes t WHERE t.archivedocument_id = d.id "
                       "AND t.theme_id = %s)")
        params.append(filters.theme_id)
    return "".join(f" AND {clause}" for clause in clauses), params


# --- SQLite: FTS5 over stems ------------------------------------------------------------------------------------------


def _sqlite_index(document: ArchiveDocument) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_fts WHERE rowid = %s", [document.pk])
        cursor.execute("INSERT INTO archive_fts (rowid, title, body) VALUES (%s, %s, %s)",
                       [document.pk, " ".join(stems(document.title)), " ".join(stems(document.text))])


def _fts_string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _match_expression(query: Query) -> str:
    parts = [_fts_string(word) for word in query.words]
    parts += [f"{_fts_string(prefix)} *" for prefix in query.prefixes]
    parts += [_fts_string(" ".join(phrase)) for phrase in query.phrases]
    return " AND ".join(parts)


def _sqlite_matches(process_id: int, query: Query, filters: Filters) -> _Matches:
    where, params = _filter_sql(filters)
    # The match drives (CROSS JOIN keeps the FTS5 table outside), and each hit's process, date and type come from
    # the small index archive_document_search: the planner would otherwise read them from the documents' rows, which
    # carry the whole text (the process id after it), costing more than the ranking itself.
    return _Matches(
        tables="FROM archive_fts f CROSS JOIN archive_archivedocument d INDEXED BY archive_document_search "
               f"ON d.process_id = %s AND d.id = f.rowid WHERE archive_fts MATCH %s{where}",
        # bm25() is lower for better matches; the score is its negation.
        score=f"-bm25(archive_fts, {TITLE_WEIGHT}, 1.0)",
        arguments=[process_id, _match_expression(query), *params])


# --- PostgreSQL: tsvector with the danish configuration ---------------------------------------------------------------


def _postgres_index(document: ArchiveDocument) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO archive_search (document_id, process_id, tsv) VALUES (%s, %s, "
            "setweight(to_tsvector('danish', %s), 'A') || setweight(to_tsvector('danish', %s), 'B')) "
            "ON CONFLICT (document_id) DO UPDATE SET tsv = EXCLUDED.tsv",
            [document.pk, document.process_id, document.title, document.text])


def _tsquery_sql(query: Query) -> tuple[str, list[str]]:
    parts = ["plainto_tsquery('danish', %s)" for _word in query.raw_words]
    params = list(query.raw_words)
    for prefix in query.prefixes:
        parts.append("to_tsquery('simple', %s)")
        params.append(_tsquery_lexeme(prefix) + ":*")
    for phrase in query.raw_phrases:
        parts.append("phraseto_tsquery('danish', %s)")
        params.append(phrase)
    return "(" + " && ".join(parts) + ")", params


def _tsquery_lexeme(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'"


def _postgres_matches(process_id: int, query: Query, filters: Filters) -> _Matches:
    tsquery, query_params = _tsquery_sql(query)
    where, params = _filter_sql(filters)
    return _Matches(
        tables=("FROM archive_search s JOIN archive_archivedocument d ON d.id = s.document_id "
                f"CROSS JOIN (SELECT {tsquery} AS q) query WHERE s.tsv @@ query.q AND s.process_id = %s{where}"),
        score="ts_rank_cd(s.tsv, query.q)",
        arguments=[*query_params, process_id, *params])
