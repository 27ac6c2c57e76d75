"""Danish full-text search over the archive, one facade over two private backends.

    index(document)            after a document's text or title changes
    unindex(document_id)       when it goes
    search(process, query, filters=..., limit=..., offset=...) -> Results

**SQLite** (the default): an FTS5 table ``archive_fts`` holds each document's words as Danish Snowball stems, which
Evidens computes (FTS5 has no Danish stemmer), so ``boligorganisationerne`` is indexed as ``boligorganisation`` and
found by ``boligorganisation``, ``renoveringer`` by ``renovering``. The query's words are stemmed the same way.
Ranking is FTS5's BM25 with the title weighted four times the text.

**PostgreSQL**: a table ``archive_search`` with a ``tsvector`` built by ``to_tsvector('danish', …)`` (title weight
A, text weight B) under a GIN index; the query is built from ``plainto_tsquery``/``phraseto_tsquery``/``to_tsquery``
with the ``danish`` configuration (the same Snowball stemmer) and ranked with ``ts_rank_cd``.

**Query language** (both backends): words must all occur (AND); ``"two words"`` is a phrase (the stems next to each
other); ``renov*`` finds every word whose stem starts so. **Compound words** are not split: ``organisation`` does not
find ``boligorganisation`` (Danish writes compounds as one word, and splitting them needs a dictionary we do not
have); ``bolig*`` does find ``boligorganisation``, ``boligafdeling`` and ``boligsocial``.

Snippets are cut in Python from the stored text on both backends, so they look the same: the window of about 30
words with most matched words, each match in ``<mark>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evidens.archive.models import ArchiveDocument
from evidens.processes.models import StrategyProcess

TITLE_WEIGHT = 4.0
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
    total: int


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
    table = "archive_search" if connection.vendor == "postgresql" else "archive_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE document_id = %s", [document_id])  # noqa: S608 - fixed names


def search(process: StrategyProcess, query: str, *, filters: Filters = NO_FILTERS, limit: int = 20,
           offset: int = 0) -> Results:
    parsed = parse(query)
    if parsed.empty:
        return Results([], 0)
    backend = _postgres_search if connection.vendor == "postgresql" else _sqlite_search
    ranked, total = backend(process.pk, parsed, filters, limit, offset)
    documents = ArchiveDocument.objects.in_bulk([document_id for document_id, _score in ranked])
    hits = [Hit(documents[document_id], score, snippet(documents[document_id].text, parsed))
            for document_id, score in ranked if document_id in documents]
    return Results(hits, total)


def snippet(text: str, query: Query, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around the place with most matches, each match marked."""
    found = list(_WORD.finditer(text))
    if not found:
        return mark_safe("")
    marked = [query.matches(_stem(match.group())) for match in found]
    best, best_count = 0, -1
    window = sum(marked[:words])
    for first in range(max(1, len(found) - words + 1)):
        if first:
            window += (marked[first + words - 1] if first + words - 1 < len(found) else 0) - marked[first - 1]
        if window > best_count:
            best, best_count = first, window
    last = min(len(found), best + words) - 1
    start, end = found[best].start(), found[last].end()
    pieces: list[str] = []
    position = start
    for match, is_match in zip(found[best:last + 1], marked[best:last + 1], strict=True):
        if is_match:
            pieces.append(escape(text[position:match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            position = match.end()
    pieces.append(escape(text[position:end]))
    prefix = "… " if best > 0 else ""
    suffix = " …" if last < len(found) - 1 else ""
    return mark_safe(prefix + " ".join("".join(pieces).split()) + suffix)  # noqa: S308 - every piece escaped


# --- SQLite: FTS5 over stems ------------------------------------------------------------------------------------------


def _sqlite_index(document: ArchiveDocument) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM archive_fts WHERE document_id = %s", [document.pk])
        cursor.execute("INSERT INTO archive_fts (title, body, document_id, process_id) VALUES (%s, %s, %s, %s)",
                       [" ".join(stems(document.title)), " ".join(stems(document.text)), document.pk,
                        document.process_id])


def _fts_string(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _match_expression(query: Query) -> str:
    parts = [_fts_string(word) for word in query.words]
    parts += [f"{_fts_string(prefix)} *" for prefix in query.prefixes]
    parts += [_fts_string(" ".join(phrase)) for phrase in query.phrases]
    return " AND ".join(parts)


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


def _sqlite_search(process_id: int, query: Query, filters: Filters, limit: int, offset: int
                   ) -> tuple[list[tuple[int, float]], int]:
    where, params = _filter_sql(filters)
    base = ("FROM archive_fts f JOIN archive_archivedocument d ON d.id = f.document_id "
            f"WHERE archive_fts MATCH %s AND f.process_id = %s{where}")
    arguments = [_match_expression(query), process_id, *params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base}", arguments)
        total = cursor.fetchone()[0]
        # bm25() is lower for better matches; the score shown is its negation, higher for better.
        cursor.execute(f"SELECT f.document_id, -bm25(archive_fts, {TITLE_WEIGHT}, 1.0) AS score {base} "
                       "ORDER BY score DESC, d.date DESC LIMIT %s OFFSET %s", [*arguments, limit, offset])
        rows = [(int(document_id), float(score)) for document_id, score in cursor.fetchall()]
    return rows, total


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


def _postgres_search(process_id: int, query: Query, filters: Filters, limit: int, offset: int
                     ) -> tuple[list[tuple[int, float]], int]:
    tsquery, query_params = _tsquery_sql(query)
    where, params = _filter_sql(filters)
    base = (f"FROM archive_search s JOIN archive_archivedocument d ON d.id = s.document_id "
            f"CROSS JOIN (SELECT {tsquery} AS q) query WHERE s.tsv @@ query.q AND s.process_id = %s{where}")
    arguments = [*query_params, process_id, *params]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {base}", arguments)
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT s.document_id, ts_rank_cd(s.tsv, q) AS score {base} "
                       "ORDER BY score DESC, d.date DESC NULLS LAST LIMIT %s OFFSET %s", [*arguments, limit, offset])
        rows = [(int(document_id), float(score)) for document_id, score in cursor.fetchall()]
    return rows, total
