"""Archive search at scale: indexing throughput and search latency over many Danish documents.

The documents are the demo archive's synthetic Danish texts, composed by the helpers of
evidens/demo/archive_texts.py (minutes, reports, newsletters, course material, guides, board papers, 2005–2020),
each made of one to sixteen drafts of its type so that lengths run from about a hundred to a few thousand words.
Being made from templates, they share a small vocabulary (about 3,200 distinct words), so most words are in far more
documents than in a real archive; the rare-word queries are estate names, which are in well under 1 % of them.
They are stored the way the app stores them (``bulk_create`` in batches) and indexed through
``evidens.archive.search.index``, one document at a time as the extraction service does, in one transaction per
batch. Then a fixed set of Danish queries goes through ``search.search`` with the search page's page size:
inflected words, two words, a phrase, a prefix, rare, uncommon and very common words, with and without a type or
year filter. Each query runs once to warm up and then ``--repeat`` times, round robin, so a disturbance spreads over
all queries. Beside each query's latency: the time the database took (an execute wrapper) and the time
``search.snippet`` takes alone for the page's hits (the facade cuts snippets in Python from the stored texts), and
the count ``search.search`` returns (it stops counting at ``search.COUNT_CAP``). The machine may be shared: the CPU
time other processes took while the rounds ran is printed beside the figures.

For comparison, the same run times a naive peer on the same data: Django's ``text__icontains`` over the
documents table (a substring scan, so it finds other documents than the stemmed search does) for a few words,
with the same page shape (count and the first page by date). ``--no-naive`` leaves it out. Deleting single
documents (``services.document_delete``, whose ``post_delete`` receiver unindexes them) is timed at the end.

    .venv/bin/python benchmarks/archive_search.py --documents 100000
    EVIDENS_DATABASE_URL=postgres://evidens:x@127.0.0.1:55432/evidens .venv/bin/python \
        benchmarks/archive_search.py --documents 100000 --json

Runs on a fresh SQLite file in a temporary data directory, which is removed at the end; or on
EVIDENS_DATABASE_URL if set: it then creates and deletes its own process (and times the deletion).
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

BATCH = 500
WORD = re.compile(r"\w+")
# How many composed drafts make one document, per type: reports run long, newsletters and notes short.
PARTS = {"minutes": (2, 5), "report": (4, 16), "newsletter": (1, 3), "course_material": (2, 6),
         "guide": (2, 8), "board_paper": (1, 4), "other": (1, 2)}


@dataclass(frozen=True)
class BenchQuery:
    kind: str
    text: str
    doc_type: str = ""
    year: int | None = None

    @property
    def label(self) -> str:
        shown = [self.text]
        if self.doc_type:
            shown.append(f"[type={self.doc_type}]")
        if self.year:
            shown.append(f"[year={self.year}]")
        return " ".join(shown)


QUERIES = (
    BenchQuery("inflected word", "boligorganisationerne"),
    BenchQuery("inflected word", "renoveringer"),
    BenchQuery("inflected word", "afdelingsmøder"),
    BenchQuery("inflected word", "helhedsplanen"),
    BenchQuery("common word", "beboerne"),
    BenchQuery("common word", "og"),
    BenchQuery("uncommon word", "asbest"),
    BenchQuery("uncommon word", "Göteborg"),
    BenchQuery("rare word", "Askeparken"),  # estate names: in well under 1 % of the documents
    BenchQuery("rare word", "Valmuegården"),
    BenchQuery("no match", "vindmølleparken"),
    BenchQuery("two words", "grøn omstilling"),
    BenchQuery("two words", "beboerdemokrati valgdeltagelse"),
    BenchQuery("two words", "renovering genhusning"),
    BenchQuery("phrase", '"boligsocial indsats"'),
    BenchQuery("phrase", '"fugt og skimmel"'),
    BenchQuery("prefix", "digital*"),
    BenchQuery("prefix", "bolig*"),
    BenchQuery("filtered", "renoveringer", doc_type="minutes"),
    BenchQuery("filtered", "beboerne", year=2019),
    BenchQuery("filtered", "grøn omstilling", doc_type="report", year=2020),
    BenchQuery("filtered", "digital*", year=2015),
)
NAIVE_WORDS = ("asbest", "renovering", "beboerne")  # a rare word, a stem and a common word as substrings


@dataclass(frozen=True)
class Text:
    title: str
    day: date
    doc_type: str
    body: str


def archive_texts(count: int, seed: int = 2030) -> Iterator[Text]:
    """``count`` documents composed like the demo archive's, each of several drafts of one type and day."""
    from evidens.demo import archive_texts as demo

    rng = random.Random(seed)
    organisations = demo._document_organisations(rng)
    doc_types = list(demo._TYPE_SHARES)
    weights = list(demo._TYPE_SHARES.values())
    for _number in range(count):
        day = demo._workday(rng, demo.FIRST_DAY, demo.LAST_DAY)
        doc_type = rng.choices(doc_types, weights=weights)[0]
        drafts = [demo._compose(rng, day, doc_type, "text", organisations)
                  for _part in range(rng.randint(*PARTS[doc_type]))]
        yield Text(drafts[0].title, day, doc_type, "\n\n".join(demo._text(draft, markdown=False) for draft in drafts))


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(len(ordered) * share) - 1)]


def latency(values: Sequence[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum, in milliseconds."""
    return {"median_ms": statistics.median(values) * 1000, "p95_ms": percentile(values, 0.95) * 1000,
            "max_ms": max(values) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each query after one warm-up run")
    parser.add_argument("--no-naive", action="store_true", help="leave out the naive icontains peer")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="evidens-bench-")
    os.environ.setdefault("EVIDENS_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evidens.settings")
    throwaway = os.environ["EVIDENS_DATA_DIR"] == data_dir and not os.environ.get("EVIDENS_DATABASE_URL")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from evidens.processes import services as process_services

    call_command("migrate", verbosity=0)
    process = process_services.process_create(slug="bench-archive-search", name="Benchmark archive search")
    figures: dict[str, Any] = {"database": connection.vendor, **load(process, args.documents)}
    figures.update(time_queries(process, args.repeat))
    figures["naive_icontains"] = {} if args.no_naive else time_naive(process, min(args.repeat, 3))
    figures["delete_document_ms"] = time_document_delete(process, 10)
    figures["sizes_bytes"] = database_sizes(connection)
    if throwaway:  # the directory goes, and deleting the process would unindex every document one by one
        figures["seconds"]["delete_process"] = None
    else:
        started = time.perf_counter()
        process.delete()
        figures["seconds"]["delete_process"] = time.perf_counter() - started
    connection.close()
    shutil.rmtree(data_dir)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        report(figures)


def load(process: Any, count: int) -> dict[str, Any]:
    """Store and index ``count`` documents in batches, as the import does; the time of each step."""
    from django.db import transaction

    from evidens.archive import search
    from evidens.archive.models import ArchiveDocument, DocumentStatus

    seconds = {"compose": 0.0, "store": 0.0, "index": 0.0}
    index_batches: list[float] = []
    words: list[int] = []
    vocabulary: set[str] = set()
    texts = archive_texts(count)
    while True:
        started = time.perf_counter()
        batch = list(islice(texts, BATCH))
        seconds["compose"] += time.perf_counter() - started
        if not batch:
            break
        words += [len(text.body.split()) for text in batch]
        for text in batch:
            vocabulary.update(WORD.findall(text.body.lower()))
        started = time.perf_counter()
        documents = ArchiveDocument.objects.bulk_create([
            ArchiveDocument(process=process, title=text.title[:300], date=text.day, doc_type=text.doc_type,
                            original_name=f"{text.title[:80]}.txt", size=len(text.body.encode()),
                            sha256=hashlib.sha256(text.body.encode()).hexdigest(), kind="text",
                            status=DocumentStatus.READY, text=text.body)
            for text in batch])
        seconds["store"] += time.perf_counter() - started
        started = time.perf_counter()
        with transaction.atomic():
            for document in documents:
                search.index(document)
        index_batches.append(time.perf_counter() - started)
        seconds["index"] += index_batches[-1]
        if len(words) % (20 * BATCH) == 0:
            print(f"indexed {len(words):,} documents; the last {len(batch)} at {len(batch) / index_batches[-1]:,.0f}"
                  " docs/s", file=sys.stderr, flush=True)
    stored = ArchiveDocument.objects.filter(process=process).count()
    assert stored == count, (stored, count)
    return {"documents": stored, "seconds": seconds,
            "words": {"median": statistics.median(words), "mean": statistics.fmean(words),
                      "p95": percentile(words, 0.95), "max": max(words), "total": sum(words),
                      "distinct": len(vocabulary)},
            # Whether indexing slows down as the index grows: the first and the last batch.
            "index_documents_per_second": {"all": stored / seconds["index"],
                                           "first_batch": min(BATCH, stored) / index_batches[0],
                                           "last_batch": (stored - BATCH * (len(index_batches) - 1))
                                           / index_batches[-1]},
            "store_documents_per_second": stored / seconds["store"]}


class DatabaseTime:
    """A Django execute wrapper that adds up the time the database takes to answer."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def time_queries(process: Any, repeat: int) -> dict[str, Any]:
    """Every query once to warm up, then ``repeat`` timed rounds, with the database's share of each. The snippets
    of a query's hits are timed alone too (the median of three), to show how much of the search they take."""
    from django.db import connection

    from evidens.archive import search
    from evidens.archive.views import SEARCH_PAGE_SIZE

    runs: dict[BenchQuery, list[float]] = {query: [] for query in QUERIES}
    database: dict[BenchQuery, list[float]] = {query: [] for query in QUERIES}
    facts: dict[BenchQuery, dict[str, Any]] = {}
    for query in QUERIES:
        results = search.search(process, query.text, filters=search.Filters(doc_type=query.doc_type, year=query.year),
                                limit=SEARCH_PAGE_SIZE)
        parsed = search.parse(query.text)
        snippet_times = []
        for _round in range(3):
            started = time.perf_counter()
            for hit in results.hits:
                search.snippet(hit.document.text, parsed)
            snippet_times.append(time.perf_counter() - started)
        facts[query] = {"total": results.total, "count_capped": results.count_capped,
                        "snippets_ms": statistics.median(snippet_times) * 1000,
                        "hit_words": sum(len(hit.document.text.split()) for hit in results.hits)}
    # The machine may be shared: what other processes took of its CPU while the rounds ran goes beside the figures.
    from survey_load import machine_busy_seconds

    busy_before, started_rounds, own_before = machine_busy_seconds()[0], time.perf_counter(), own_cpu_seconds()
    for number in range(1, repeat + 1):
        started_round = time.perf_counter()
        for query in QUERIES:
            filters = search.Filters(doc_type=query.doc_type, year=query.year)
            database_time = DatabaseTime()
            with connection.execute_wrapper(database_time):
                started = time.perf_counter()
                search.search(process, query.text, filters=filters, limit=SEARCH_PAGE_SIZE)
                runs[query].append(time.perf_counter() - started)
            database[query].append(database_time.seconds)
        print(f"search round {number} of {repeat}: {time.perf_counter() - started_round:.1f} s", file=sys.stderr,
              flush=True)
    own = own_cpu_seconds() - own_before
    kinds = dict.fromkeys(query.kind for query in QUERIES)
    return {
        "repeat": repeat, "page_size": SEARCH_PAGE_SIZE,
        "rounds_cpu": {"wall_seconds": time.perf_counter() - started_rounds, "own_cpu_seconds": own,
                       "other_cpu_seconds": machine_busy_seconds()[0] - busy_before - own},
        "search": latency([value for values in runs.values() for value in values]),
        "kinds": {kind: latency([value for query in QUERIES if query.kind == kind for value in runs[query]])
                  for kind in kinds},
        "queries": [{"kind": query.kind, "query": query.label, **facts[query], **latency(runs[query]),
                     "database_median_ms": statistics.median(database[query]) * 1000} for query in QUERIES],
    }


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def time_naive(process: Any, repeat: int) -> dict[str, dict[str, Any]]:
    """The naive peer: a substring scan of the documents' text, with the search page's shape."""
    from evidens.archive.models import ArchiveDocument
    from evidens.archive.views import SEARCH_PAGE_SIZE

    naive = {}
    for word in NAIVE_WORDS:
        times = []
        for _round in range(repeat):
            started = time.perf_counter()
            found = ArchiveDocument.objects.filter(process=process, text__icontains=word)
            total = found.count()
            list(found.order_by("-date")[:SEARCH_PAGE_SIZE])
            times.append(time.perf_counter() - started)
        naive[word] = {"total": total, "runs": repeat, **latency(times)}
    return naive


def time_document_delete(process: Any, count: int) -> dict[str, float]:
    """Deleting single documents through the service; the ``post_delete`` receiver takes each out of the index."""
    from evidens.archive import services
    from evidens.archive.models import ArchiveDocument

    times = []
    for document in ArchiveDocument.objects.filter(process=process).order_by("pk")[:count]:
        started = time.perf_counter()
        services.document_delete(document=document, actor=None)
        times.append(time.perf_counter() - started)
    return latency(times)


def database_sizes(connection: Any) -> dict[str, int]:
    """Bytes on disk of the documents table and of the search index (with their indexes), and of the whole
    database. Both tables hold every process's rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('archive_archivedocument'), "
                           "pg_total_relation_size('archive_search'), pg_database_size(current_database())")
            documents, index, whole = cursor.fetchone()
            return {"documents_table": documents, "search_index": index, "database": whole}
        # dbstat counts the pages of each table and index; the FTS5 table keeps its data in shadow tables.
        cursor.execute("SELECT m.tbl_name, sum(s.pgsize) FROM dbstat s JOIN sqlite_master m ON m.name = s.name "
                       "GROUP BY m.tbl_name")
        pages = dict(cursor.fetchall())
        cursor.execute("PRAGMA page_count")
        page_count = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        page_size = cursor.fetchone()[0]
    return {"documents_table": pages["archive_archivedocument"],
            "search_index": sum(size for name, size in pages.items() if name.startswith("archive_fts")),
            "database": page_count * page_size}


def report(figures: dict[str, Any]) -> None:
    documents, seconds, words = figures["documents"], figures["seconds"], figures["words"]
    rates = figures["index_documents_per_second"]
    sizes = {name: size / 2**20 for name, size in figures["sizes_bytes"].items()}
    print(f"database: {figures['database']}; documents: {documents:,}; words per document: median "
          f"{words['median']:,.0f}, mean {words['mean']:,.0f}, p95 {words['p95']:,}, max {words['max']:,} "
          f"({words['total'] / 1e6:,.1f} million in all, {words['distinct']:,} distinct)")
    print(f"{'step':<44}{'seconds':>10}{'docs/s':>10}")
    for step, label in [("compose", "compose the texts (not the app's work)"), ("store", "store (bulk_create)"),
                        ("index", "index (search.index, one by one)")]:
        print(f"{label:<44}{seconds[step]:>10.1f}{documents / seconds[step]:>10,.0f}")
    print(f"indexing rate: first batch {rates['first_batch']:,.0f} docs/s, last batch {rates['last_batch']:,.0f} "
          f"docs/s (batches of {BATCH})")
    deleting = figures["delete_document_ms"]
    print(f"delete one document (services.document_delete): median {deleting['median_ms']:.1f} ms, "
          f"max {deleting['max_ms']:.1f} ms")
    if seconds["delete_process"] is not None:
        print(f"delete the benchmark's process: {seconds['delete_process']:.1f} s")
    print(f"size on disk: documents table {sizes['documents_table']:,.0f} MiB, search index "
          f"{sizes['search_index']:,.0f} MiB, database {sizes['database']:,.0f} MiB")
    overall = figures["search"]
    print(f"\nsearch latency, {figures['repeat']} warm runs per query, page of {figures['page_size']}: "
          f"median {overall['median_ms']:.1f} ms, p95 {overall['p95_ms']:.1f} ms, max {overall['max_ms']:.1f} ms "
          f"(goal: p95 under 50 ms)")
    cpu = figures["rounds_cpu"]
    print(f"during the {cpu['wall_seconds']:.0f} s of timed rounds this process used {cpu['own_cpu_seconds']:.1f} CPU "
          f"seconds, other processes {cpu['other_cpu_seconds']:.1f} (PostgreSQL's server among them when used; "
          f"{os.cpu_count()} cores)")
    print("milliseconds; \"hits\": the count search() returns (\">\": more, counting stopped there); \"in db\": median "
          "time the database took; \"snippets\": search.snippet alone for the page's hits; \"hit words\": their length")
    print(f"{'query':<44}{'hits':>7}{'median':>8}{'p95':>8}{'max':>8}{'in db':>8}{'snippets':>10}{'hit words':>11}")
    for row in figures["queries"]:
        hits = f"{'>' if row['count_capped'] else ''}{row['total']:,}"
        print(f"{row['query']:<44}{hits:>7}{row['median_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['max_ms']:>8.1f}"
              f"{row['database_median_ms']:>8.1f}{row['snippets_ms']:>10.1f}{row['hit_words']:>11,}")
    print(f"\n{'kind of query':<51}{'median':>8}{'p95':>8}{'max':>8}")
    for kind, values in figures["kinds"].items():
        print(f"{kind:<51}{values['median_ms']:>8.1f}{values['p95_ms']:>8.1f}{values['max_ms']:>8.1f}")
    if figures["naive_icontains"]:
        print("\nnaive peer, same data: text__icontains over the documents table (a substring scan: other matches)")
        for word, values in figures["naive_icontains"].items():
            print(f"{'icontains ' + repr(word):<44}{values['total']:>7,}{values['median_ms']:>8.1f}"
                  f"{values['p95_ms']:>8.1f}{values['max_ms']:>8.1f}")


if __name__ == "__main__":
    main()
