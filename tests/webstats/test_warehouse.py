"""The web-statistics warehouse (``evidens.webstats.warehouse``): building an import from access logs and reading
it back.

Two real logs (``tests/data/logs/README.md``) are checked against the totals GoAccess gives for them. Everything
else runs on small logs written here by hand; the expected figures are worked out in the comments beside them.
"""

from __future__ import annotations

import bz2
import gzip
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from evidens.webstats import warehouse
from evidens.webstats.logformat import LogFormat, log_format
from evidens.webstats.warehouse import (
    AGENTS,
    HITS,
    PAGE_VIEWS,
    ROBOTS,
    Area,
    ImportCounts,
    Reader,
    Scope,
    build_import,
    build_page_views,
    prune,
    remove_folder,
    remove_unfinished,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "logs"
ELASTIC = DATA / "elastic_examples_apache_logs.log.gz"
HACKERS = DATA / "nielsbasjes_logparser_hackers-access.log.gz"

COMBINED = log_format("combined")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def combined(host: str, when: str, request: str, status: int, *, referrer: str = "-", agent: str = FIREFOX,
             size: int = 512) -> str:
    return f'{host} - - [{when}] "{request}" {status} {size} "{referrer}" "{agent}"'


def naive(text: str) -> datetime:
    """A time without zone, as DuckDB's TIMESTAMP columns give them (the log's local time, or UTC)."""
    return datetime.fromisoformat(text)


def write_log(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def build(folder: Path, lines: list[str], log: LogFormat = COMBINED, name: str = "import") -> tuple[Path, ImportCounts]:
    """An import of ``lines`` (written as ``<name>.log`` in ``folder``) at ``folder / name``."""
    destination = folder / name
    counts = build_import([write_log(folder / f"{name}.log", lines)], log, destination)
    return destination, counts


def stored(folder: Path, sql: str) -> list[tuple[Any, ...]]:
    """``sql`` over the import's ``hits.parquet``, named ``hits``: what was written, before any reader's view."""
    connection = duckdb.connect()
    connection.read_parquet(str(folder / HITS)).create_view("hits")
    return connection.execute(sql).fetchall()


def leftovers(parent: Path) -> list[str]:
    return sorted(entry.name for entry in parent.iterdir() if entry.is_dir())


@pytest.fixture(scope="module")
def elastic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportCounts]:
    folder = tmp_path_factory.mktemp("elastic") / "import"
    return folder, build_import([ELASTIC], COMBINED, folder)


@pytest.fixture(scope="module")
def hackers(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportCounts]:
    folder = tmp_path_factory.mktemp("hackers") / "import"
    return folder, build_import([HACKERS], COMBINED, folder)


# =============================================================================================================
# 1. The real logs, against GoAccess
# =============================================================================================================


def test_the_elastic_log_gives_goaccess_totals(elastic: tuple[Path, ImportCounts]) -> None:
    folder, counts = elastic
    # tests/data/logs/README.md: 10,000 lines, GoAccess 10,000 valid requests and 2,095 unique visitors.
    assert (counts.lines, counts.parsed, counts.malformed, counts.replaced) == (10_000, 10_000, 0, 0)
    with Reader(Scope(folders=(folder,))) as reader:
        totals = reader.totals()
    assert totals["hits"] == 10_000
    assert totals["goaccess_valid_requests"] == 10_000
    assert totals["goaccess_unique_visitors"] == 2_095
    # The earliest and latest times in the file (all +0000), read with sort over the bracketed times.
    assert (totals["first_timestamp"], totals["last_timestamp"]) == ("2015-05-17T10:05:00", "2015-05-20T21:05:59")


def test_the_elastic_line_with_an_unterminated_user_agent_is_kept(elastic: tuple[Path, ImportCounts]) -> None:
    # awk -F'"' 'NF != 7' finds one line, 8899, whose user agent has no closing quote (nor parenthesis):
    # 46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235
    # "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html
    folder, _ = elastic
    assert stored(folder, "SELECT ts, method, path, status, bytes, referrer, agent, address FROM hits "
                          "WHERE file = 0 AND line = 8899") == [(
        naive("2015-05-20 12:05:17"), "GET", "/scripts/grok-py-test/configlib.py", 200, 235, None,
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html", "46.118.127.0",
    )]


def test_the_hackers_log_gives_goaccess_totals(hackers: tuple[Path, ImportCounts]) -> None:
    folder, counts = hackers
    # tests/data/logs/README.md: 3,456 lines, GoAccess 3,456 valid requests and 672 unique visitors.
    assert (counts.lines, counts.parsed, counts.malformed) == (3_456, 3_456, 0)
    with Reader(Scope(folders=(folder,))) as reader:
        totals = reader.totals()
    assert (totals["hits"], totals["goaccess_valid_requests"], totals["goaccess_unique_visitors"]) == \
        (3_456, 3_456, 672)


def fast_posters(path: Path) -> tuple[int, int]:
    """(visitor-days, hits) with a POST less than 3 seconds after the request before it, counted in plain Python
    from the raw log: the "fast_form" rule as its comment defines it. A visitor-day is the same address and
    user agent on the same (local) day, as GoAccess counts unique visitors."""
    days: dict[tuple[str, str, str], list[tuple[datetime, int, str]]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as log:
        for number, line in enumerate(log):
            address, rest = line.split(" ", 1)
            when = datetime.strptime(rest.split("[", 1)[1].split("]", 1)[0], "%d/%b/%Y:%H:%M:%S %z")
            quoted = line.split('"')
            days[(address, when.date().isoformat(), quoted[5])].append((when, number, quoted[1].split(" ")[0]))
    fast = []
    for requests in days.values():
        requests.sort()
        if any(method == "POST" and (when - previous).total_seconds() < 3
               for (previous, _, _), (when, _, method) in pairwise(requests)):
            fast.append(requests)
    return len(fast), sum(len(requests) for requests in fast)


def test_the_hackers_log_robots_are_found_by_behaviour(hackers: tuple[Path, ImportCounts]) -> None:
    folder, counts = hackers
    visitor_days, hits = fast_posters(HACKERS)
    # Every user agent in this log is a browser's (GoAccess recognises none), so every robot hit is found by a
    # behaviour rule, none by its agent: "beyond_agents" equals "hits".
    assert counts.rules == {"fast_form": {"visitor_days": visitor_days, "hits": hits, "beyond_agents": hits}}
    assert counts.bot_hits == hits
    # The log holds no style sheet, script or image request at all (grep for .css/.js/.png/… finds none), so
    # "no assets" says nothing about a visitor here and is skipped.
    assert counts.rules_skipped == ["no_assets"]
    with Reader(Scope(folders=(folder,))) as reader:
        assert reader.robots() == [("rule:fast_form", "", hits)]


def test_most_of_the_hackers_log_is_flagged_as_robots(hackers: tuple[Path, ImportCounts]) -> None:
    # The README: every request in this log is a form-spam robot, so a behaviour detector should catch at least
    # most of it. Counted in plain Python: 93 % of the hits belong to visitor-days that POST a form at all, and
    # 86 % to visitor-days that POST less than 3 seconds after their previous request.
    _, counts = hackers
    assert counts.bot_hits / counts.hits > 0.5


# =============================================================================================================
# 2. Compressed files and several files in one import
# =============================================================================================================


def test_plain_gzip_and_bzip2_files_give_the_same_import(tmp_path: Path) -> None:
    text = gzip.decompress(HACKERS.read_bytes())
    plain = tmp_path / "access.log"
    plain.write_bytes(text)
    bzipped = tmp_path / "access.log.bz2"
    bzipped.write_bytes(bz2.compress(text))
    misnamed = tmp_path / "access-gzip.log"  # compressed whatever the name says
    misnamed.write_bytes(gzip.compress(text))
    totals = []
    for number, path in enumerate([plain, HACKERS, bzipped, misnamed]):
        counts = build_import([path], COMBINED, tmp_path / f"import-{number}")
        assert (counts.lines, counts.parsed, counts.malformed) == (3_456, 3_456, 0), path.name
        with Reader(Scope(folders=(tmp_path / f"import-{number}",))) as reader:
            totals.append(reader.totals())
    assert totals[0]["goaccess_unique_visitors"] == 672
    assert all(each == totals[0] for each in totals[1:])


def test_several_files_in_one_import_keep_their_own_line_numbers(tmp_path: Path) -> None:
    counts = build_import([ELASTIC, HACKERS], COMBINED, tmp_path / "both")
    assert (counts.lines, counts.parsed, counts.malformed) == (13_456, 13_456, 0)  # 10,000 + 3,456
    assert stored(tmp_path / "both", "SELECT file, min(line), max(line), count(*) FROM hits GROUP BY 1 ORDER BY 1") \
        == [(0, 1, 10_000, 10_000), (1, 1, 3_456, 3_456)]
    with Reader(Scope(folders=(tmp_path / "both",))) as reader:
        totals = reader.totals()
    # May 2015 and October 2015 share no day, so their unique visitors add up: 2,095 + 672.
    assert (totals["hits"], totals["goaccess_unique_visitors"]) == (13_456, 2_767)


def test_two_imports_read_together_add_up(elastic: tuple[Path, ImportCounts],
                                          hackers: tuple[Path, ImportCounts]) -> None:
    with Reader(Scope(folders=(elastic[0], hackers[0]))) as reader:
        totals = reader.totals()
    assert (totals["hits"], totals["goaccess_unique_visitors"]) == (13_456, 2_767)


def test_an_empty_file_and_no_imports_give_zeros(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    counts = build_import([empty], COMBINED, tmp_path / "import")
    assert (counts.lines, counts.parsed, counts.malformed, counts.hits) == (0, 0, 0, 0)
    for folders in ((tmp_path / "import",), ()):
        with Reader(Scope(folders=folders)) as reader:
            totals = reader.totals()
            assert (totals["hits"], totals["visits"], totals["first_timestamp"]) == (0, 0, None)
            assert totals["bounce_rate"] is None and totals["pages_per_visit"] is None
            assert reader.top_pages() == [] and reader.referrer_groups() == []


# =============================================================================================================
# 3. Lines that do not parse
# =============================================================================================================

GOOD = combined("1.2.3.4", "17/May/2015:10:05:03 +0000", "GET /a HTTP/1.1", 200)
LONG_AGENT = "Mozilla/5.0 " + "a" * 100_000
ESCAPED_AGENT = r"Mozilla/5.0 (compatible; \"Evil\" Bot)"
MESSY_LINES: list[bytes] = [
    GOOD.encode() + b"\r",                                                                  # 1 CRLF
    b"",                                                                                    # 2 empty
    b'1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET /b HTT',                               # 3 truncated
    b"\x00\x01\x02\xff\xfe\x80 binary",                                                     # 4 binary
    combined("1.2.3.5", "17/May/2015:10:06:00 +0000", "GET /c HTTP/1.1", 200,
             agent="Mozilla/5.0 (Windows NT 10.0) Søren").encode("latin-1"),                # 5 Latin-1
    combined("1.2.3.6", "17/May/2015:10:07:00 +0000", "GET /d HTTP/1.1", 200,
             agent=LONG_AGENT).encode(),                                                    # 6 100 kB, good
    b"x" * 100_000,                                                                         # 7 100 kB garbage
    combined("1.2.3.7", "17/May/2015:10:08:00 +0000", "GET /e HTTP/1.1", 200,
             agent=ESCAPED_AGENT).encode() + b"\r",                                         # 8 \" in agent, CRLF
    combined("5.6.7.8", "17/May/2015:10:09:00 +0000", "GET /f HTTP/1.1", 200).replace(
        " 200 ", " 2x0 ").encode(),                                                         # 9 bad status
    combined("1.2.3.4", "32/Foo/2015:10:10:00 +0000", "GET /g HTTP/1.1", 200).encode(),     # 10 bad date
    b'1.2.3.4 - - [17/May/2015:10:11:00 +0000] "GET /h HTTP/1.0" 200 2326',                # 11 common, not combined
    combined("2001:db8:1:2::5", "17/May/2015:10:12:00 +0000", "GET /i HTTP/1.1", 200).encode(),  # 12 no final \n
]
MESSY_MALFORMED = [2, 3, 4, 7, 9, 10, 11]
MESSY_PARSED = [1, 5, 6, 8, 12]


@pytest.mark.parametrize("read_size", [warehouse.READ_SIZE, 4096], ids=["one block", "lines across blocks"])
def test_malformed_lines_are_counted_and_sampled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 read_size: int) -> None:
    monkeypatch.setattr(warehouse, "READ_SIZE", read_size)
    log = tmp_path / "messy.log"
    log.write_bytes(b"\n".join(MESSY_LINES))  # no newline after the last line
    counts = build_import([log], COMBINED, tmp_path / "import")
    assert (counts.lines, counts.parsed, counts.malformed) == (12, 5, 7)
    assert counts.replaced == 2  # lines 4 and 5 hold bytes that are not UTF-8
    assert [(line.file, line.line) for line in counts.malformed_sample] == [("messy.log", n) for n in MESSY_MALFORMED]
    sample = {line.line: line.text for line in counts.malformed_sample}
    assert sample[2] == ""
    assert sample[3].startswith("1.2.3.0 - - [17/May/2015:") and "1.2.3.4" not in sample[3]
    assert sample[9].startswith("5.6.7.0 - - [") and "5.6.7.8" not in sample[9]
    assert sample[7] == "x" * 300  # cut to a length a page can show
    rows = stored(tmp_path / "import", "SELECT line, path, agent, address FROM hits ORDER BY line")
    assert [row[0] for row in rows] == MESSY_PARSED
    by_line = {row[0]: row[1:] for row in rows}
    assert by_line[1] == ("/a", FIREFOX, "1.2.3.0")  # no carriage return left on the agent
    assert by_line[5] == ("/c", "Mozilla/5.0 (Windows NT 10.0) S\ufffdren", "1.2.3.0")
    assert by_line[6] == ("/d", LONG_AGENT, "1.2.3.0")
    assert by_line[8] == ("/e", ESCAPED_AGENT, "1.2.3.0")  # read by the regular expression, escapes as written
    assert by_line[12] == ("/i", FIREFOX, "2001:db8:1::")


def test_the_malformed_sample_holds_the_first_twenty(tmp_path: Path) -> None:
    _, counts = build(tmp_path, [f"garbage {number}" for number in range(1, 26)] + [GOOD])
    assert (counts.lines, counts.parsed, counts.malformed) == (26, 1, 25)
    assert [(line.line, line.text) for line in counts.malformed_sample] == [
        (number, f"garbage {number}") for number in range(1, 21)]


def test_the_malformed_sample_keeps_the_time_of_day(tmp_path: Path) -> None:
    _, counts = build(tmp_path, ['1.2.3.4 - - [17/May/2015:10:05:03 +0000] "GET /b HTT'])
    assert counts.malformed_sample[0].text == '1.2.3.0 - - [17/May/2015:10:05:03 +0000] "GET /b HTT'


def test_the_malformed_sample_masks_short_ipv6_addresses(tmp_path: Path) -> None:
    _, counts = build(tmp_path, ["2001:db8::1 - - broken", "fe80::1234 - - broken"])
    texts = [line.text for line in counts.malformed_sample]
    assert not any("::1 " in text or "::1234 " in text for text in texts), texts


# =============================================================================================================
# 4. Privacy: no whole address is stored; visitor keys are per day and per import
# =============================================================================================================

IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])")


def strings_in(folder: Path) -> Iterator[str]:
    """Every text value in every Parquet file of an import."""
    for parquet in folder.glob("*.parquet"):
        relation = duckdb.read_parquet(str(parquet))
        texts = [index for index, kind in enumerate(relation.types) if str(kind) == "VARCHAR"]
        for row in relation.fetchall():
            yield from (row[index] for index in texts if row[index] is not None)


def test_no_client_address_of_a_real_log_is_stored(hackers: tuple[Path, ImportCounts]) -> None:
    folder, _ = hackers
    with gzip.open(HACKERS, "rt", encoding="utf-8") as log:
        clients = {line.split(" ", 1)[0] for line in log}
    # awk '{print $1}' | sort -u: 520 addresses, two of them IPv6; no IPv4 address ends in .0, so none is its own
    # /24 network.
    ipv6 = {"2001:41d0:8:f69::1", "2400:8900::f03c:91ff:fe50:5089"}
    assert len(clients) == 520 and {client for client in clients if ":" in client} == ipv6
    assert sorted(path.name for path in folder.iterdir()) == sorted([AGENTS, HITS, ROBOTS])
    texts = list(strings_in(folder))
    assert {address for text in texts for address in IPV4.findall(text)} & clients == set()
    assert [text for text in texts if any(address in text for address in ipv6)] == []
    addresses = {row[0] for row in stored(folder, "SELECT DISTINCT address FROM hits")}
    networks = {client.rsplit(".", 1)[0] + ".0" for client in clients - ipv6} | {"2001:41d0:8::", "2400:8900::"}
    assert addresses == networks


PRIVATE_LINES = [
    combined("192.0.2.77", "03/Mar/2025:09:00:00 +0100", "GET /a HTTP/1.1", 200, referrer="https://example.org/"),
    combined("2001:db8:1:2::5", "03/Mar/2025:09:01:00 +0100", "GET /b HTTP/1.1", 200),
    combined("2a01:4f8:10a:3f2::2", "03/Mar/2025:09:02:00 +0100", "GET /c HTTP/1.1", 200),
    combined("crawl.example.org", "03/Mar/2025:09:03:00 +0100", "GET /d HTTP/1.1", 200),  # HostnameLookups On
    "203.0.113.9 - - [03/Mar/2025:09:04:00 +0100] broken line",
    "2001:db8:77:88::9 - - [03/Mar/2025:09:05:00 +0100] broken line",
]


def test_addresses_are_cut_to_their_network_and_nothing_else_is_kept(tmp_path: Path) -> None:
    folder, counts = build(tmp_path, PRIVATE_LINES)
    assert (counts.parsed, counts.malformed) == (4, 2)
    assert stored(folder, "SELECT line, address FROM hits ORDER BY line") == [
        (1, "192.0.2.0"),        # IPv4: /24
        (2, "2001:db8:1::"),     # IPv6: /48, the first three groups
        (3, "2a01:4f8:10a::"),
        (4, None),               # a host name is no address: nothing is kept
    ]
    originals = ["192.0.2.77", "2001:db8:1:2::5", "2a01:4f8:10a:3f2::2", "crawl.example.org", "203.0.113.9",
                 "2001:db8:77:88::9"]
    texts = list(strings_in(folder))
    assert texts
    assert [original for original in originals if any(original in text for text in texts)] == []
    samples = " ".join(line.text for line in counts.malformed_sample)
    assert "203.0.113.0" in samples and "203.0.113.9" not in samples
    assert "2001:db8:77::" in samples and "2001:db8:77:88::9" not in samples


def test_visitor_keys_mean_same_address_and_browser_on_the_same_day_in_one_import(tmp_path: Path) -> None:
    lines = [
        combined("192.0.2.77", "03/Mar/2025:09:00:00 +0100", "GET /a HTTP/1.1", 200),   # 1
        combined("192.0.2.77", "03/Mar/2025:15:00:00 +0100", "GET /b HTTP/1.1", 200),   # 2 same day: same key
        combined("192.0.2.77", "04/Mar/2025:09:00:00 +0100", "GET /a HTTP/1.1", 200),   # 3 next day: new key
        combined("192.0.2.78", "03/Mar/2025:09:00:00 +0100", "GET /a HTTP/1.1", 200),   # 4 same /24, other host
        combined("192.0.2.77", "03/Mar/2025:09:00:00 +0100", "GET /a HTTP/1.1", 200, agent=IPHONE),  # 5
    ]
    first, _ = build(tmp_path, lines, name="first")
    second, _ = build(tmp_path, lines, name="second")
    keys = dict(stored(first, "SELECT line, visitor FROM hits"))
    assert keys[1] == keys[2]
    assert len({keys[1], keys[3], keys[4], keys[5]}) == 4
    again = dict(stored(second, "SELECT line, visitor FROM hits"))
    # A new salt for every import, never stored: the same file imported twice shares no key.
    assert set(keys.values()) & set(again.values()) == set()
    assert again[1] == again[2]


# =============================================================================================================
# 5. An import appears whole or not at all
# =============================================================================================================


def test_an_existing_destination_is_refused(tmp_path: Path) -> None:
    (tmp_path / "imports" / "import").mkdir(parents=True)
    with pytest.raises(FileExistsError):
        build_import([write_log(tmp_path / "access.log", [GOOD])], COMBINED, tmp_path / "imports" / "import")
    assert leftovers(tmp_path / "imports") == ["import"]


def test_a_file_deleted_during_the_import_leaves_nothing(tmp_path: Path) -> None:
    first = write_log(tmp_path / "first.log", [GOOD] * 5_000)
    second = write_log(tmp_path / "second.log", [GOOD] * 10)
    parent = tmp_path / "imports"
    parent.mkdir()

    def delete_second(done: int, total: int) -> None:
        second.unlink(missing_ok=True)  # after the first batch of the first file

    with pytest.raises(FileNotFoundError):
        build_import([first, second], COMBINED, parent / "import", progress=delete_second)
    assert leftovers(parent) == []


class Cancelled(Exception):
    pass


def cancel_after(calls: int) -> Any:
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if len(seen) > calls:
            raise Cancelled

    return progress


def test_a_progress_callback_that_raises_stops_the_import_with_its_own_exception(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A job is cancelled by raising from its progress callback: that exception, not DuckDB's, must come out.
    monkeypatch.setattr(warehouse, "READ_SIZE", 4096)
    log = write_log(tmp_path / "access.log", [GOOD] * 1_000)  # about 30 blocks
    with pytest.raises(Cancelled):
        build_import([log], COMBINED, tmp_path / "imports" / "import", progress=cancel_after(3))
    assert leftovers(tmp_path / "imports") == []


def test_a_truncated_gzip_file_stops_the_import_and_leaves_nothing(tmp_path: Path) -> None:
    data = HACKERS.read_bytes()
    broken = tmp_path / "access.log.gz"
    broken.write_bytes(data[:len(data) // 2])
    with pytest.raises(EOFError):  # gzip: "Compressed file ended before the end-of-stream marker was reached"
        build_import([broken], COMBINED, tmp_path / "imports" / "import")
    assert leftovers(tmp_path / "imports") == []


def test_a_missing_file_raises_file_not_found_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        build_import([tmp_path / "missing.log"], COMBINED, tmp_path / "imports" / "import")
    assert leftovers(tmp_path / "imports") == []


def test_progress_ends_at_the_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warehouse, "READ_SIZE", 4096)
    log = write_log(tmp_path / "access.log", [GOOD] * 1_000)
    calls: list[tuple[int, int]] = []
    build_import([log], COMBINED, tmp_path / "import", progress=lambda done, total: calls.append((done, total)))
    size = log.stat().st_size
    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_progress_moves_while_a_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(warehouse, "READ_SIZE", 4096)
    calls: list[int] = []
    build_import([HACKERS], COMBINED, tmp_path / "import", progress=lambda done, total: calls.append(done))
    size = HACKERS.stat().st_size  # progress counts the bytes of the file as stored (compressed here)
    assert any(0 < done < size for done in calls)


def test_remove_folder_removes_an_import_whole(tmp_path: Path) -> None:
    (tmp_path / "imports").mkdir()
    folder, _ = build(tmp_path / "imports", [GOOD])
    remove_folder(folder)
    assert leftovers(tmp_path / "imports") == []
    remove_folder(folder)  # already gone: nothing to do


def test_remove_unfinished_removes_only_the_leftovers_of_dead_builds(tmp_path: Path) -> None:
    root = tmp_path / "imports"
    root.mkdir()
    build(root, [GOOD])
    for name in (".import-2.0a1b2c3d.building", ".import-2.4e5f6a7b.removing", ".import-3.9a8b7c6d.building",
                 ".keep"):
        (root / name).mkdir()
        (root / name / HITS).write_bytes(b"PAR1")
    removed = remove_unfinished(root / "import-2")
    assert sorted(path.name for path in removed) == [".import-2.0a1b2c3d.building", ".import-2.4e5f6a7b.removing"]
    # Another import's build may be running on another machine: it stays.
    assert leftovers(root) == [".import-3.9a8b7c6d.building", ".keep", "import"]
    assert remove_unfinished(tmp_path / "nowhere" / "import-1") == []


# =============================================================================================================
# 6. What the reader shows, on a small site worked out by hand
# =============================================================================================================

# Ten clients on four days: seven people (V1–V5, V8, V9), two robots with a browser's agent (SC scans for
# WordPress, SP spams the contact form) and Googlebot (GB). Monday 3 and Tuesday 4 March 2025 are in Danish
# winter time (+0100); Monday 31 March and Tuesday 1 April in summer time (+0200).
OWN = "https://www.almennet.dk"
SITE_LINES = [
    # Monday 3 March
    combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET / HTTP/1.1", 200,
             referrer="https://www.google.com/"),                                       # 1 V1 visit A starts: search
    combined("192.0.2.1", "03/Mar/2025:09:00:01 +0100", "GET /static/site.css HTTP/1.1", 200,
             referrer=f"{OWN}/"),                                                       # 2 V1 asset
    combined("192.0.2.1", "03/Mar/2025:09:10:00 +0100", "GET /viden/bolig/guide HTTP/1.1", 200,
             referrer=f"{OWN}/"),                                                       # 3 V1 visit A
    combined("192.0.2.1", "03/Mar/2025:09:39:00 +0100", "GET /netvaerk/udvikling HTTP/1.1", 200,
             referrer=f"{OWN}/viden/bolig/guide"),                                      # 4 V1 29 min later: visit A
    combined("192.0.2.1", "03/Mar/2025:10:10:00 +0100", "GET /netvaerk/ HTTP/1.1", 200,
             referrer=f"{OWN}/netvaerk/udvikling"),                                     # 5 V1 31 min later: visit B
    combined("192.0.2.2", "03/Mar/2025:12:00:00 +0100", "GET /?utm_source=nyhedsbrev&utm_medium=email HTTP/1.1",
             200, agent=IPHONE),                                                        # 6 V2 newsletter
    combined("192.0.2.2", "03/Mar/2025:12:02:00 +0100", "GET /dokumenter/rapport.pdf HTTP/1.1", 200,
             agent=IPHONE),                                                             # 7 V2 download
    combined("192.0.2.2", "03/Mar/2025:12:03:00 +0100", "GET /findes-ikke HTTP/1.1", 404, agent=IPHONE),  # 8 V2
    combined("192.0.2.3", "03/Mar/2025:23:50:00 +0100", "GET /om-os HTTP/1.1", 200,
             referrer="https://www.facebook.com/"),                                     # 9 V3 social
    # Tuesday 4 March
    combined("192.0.2.3", "04/Mar/2025:00:10:00 +0100", "GET /om-os/kontakt HTTP/1.1", 200,
             referrer=f"{OWN}/om-os"),                                                  # 10 V3 20 min later, new day
    combined("66.249.66.1", "04/Mar/2025:03:00:00 +0100", "GET /gammel-side HTTP/1.1", 200, agent=GOOGLEBOT),  # 11
    combined("66.249.66.1", "04/Mar/2025:03:00:05 +0100", "GET /netvaerk/ HTTP/1.1", 200, agent=GOOGLEBOT),  # 12
    combined("66.249.66.1", "04/Mar/2025:03:00:10 +0100", "GET /robots.txt HTTP/1.1", 200, agent=GOOGLEBOT),  # 13
    combined("198.51.100.6", "04/Mar/2025:05:00:00 +0100", "GET / HTTP/1.1", 200),      # 14 SC
    combined("198.51.100.6", "04/Mar/2025:05:00:01 +0100", "GET /wp-login.php HTTP/1.1", 404),  # 15 SC scan
    combined("192.0.2.4", "04/Mar/2025:14:00:00 +0100", "GET /soeg?q=renovering HTTP/1.1", 200,
             referrer="https://www.bl.dk/nyheder"),                                     # 16 V4 partner
    combined("192.0.2.4", "04/Mar/2025:14:01:00 +0100", "GET /soeg?soeg=b%C3%B8rn+og+unge HTTP/1.1", 200,
             referrer=f"{OWN}/soeg?q=renovering"),                                      # 17 V4
    combined("192.0.2.4", "04/Mar/2025:14:02:00 +0100", "GET /soeg?term=ignoreret HTTP/1.1", 200),  # 18 V4
    combined("192.0.2.5", "04/Mar/2025:16:00:00 +0100", "GET /netvaerk/beboerdemokrati HTTP/1.1", 200),  # 19 V5
    combined("192.0.2.5", "04/Mar/2025:16:05:00 +0100", "GET /viden/energi/guide HTTP/1.1", 304),  # 20 V5 page
    combined("192.0.2.5", "04/Mar/2025:16:05:01 +0100", "GET /static/app.js HTTP/1.1", 304),  # 21 V5 asset
    # Monday 31 March
    combined("198.51.100.7", "31/Mar/2025:10:00:00 +0200", "GET /kontakt HTTP/1.1", 200),  # 22 SP
    combined("198.51.100.7", "31/Mar/2025:10:00:01 +0200", "POST /kontakt HTTP/1.1", 302),  # 23 SP posts in 1 s
    combined("192.0.2.8", "31/Mar/2025:11:00:00 +0200", "GET /kontakt HTTP/1.1", 200,
             referrer="https://www.bing.com/", agent=IPHONE),                           # 24 V8 search
    combined("192.0.2.8", "31/Mar/2025:11:01:30 +0200", "POST /kontakt HTTP/1.1", 302, agent=IPHONE),  # 25 90 s
    combined("192.0.2.8", "31/Mar/2025:11:01:31 +0200", "GET /kontakt/tak HTTP/1.1", 200, agent=IPHONE),  # 26 V8
    # Tuesday 1 April
    combined("192.0.2.9", "01/Apr/2025:08:15:00 +0200", "GET /viden/bolig/guide HTTP/1.1", 200,
             referrer="https://duckduckgo.com/"),                                       # 27 V9 search
    combined("192.0.2.9", "01/Apr/2025:08:16:00 +0200", "GET /viden/ HTTP/1.1", 200),  # 28 V9
    combined("192.0.2.9", "01/Apr/2025:08:17:00 +0200", "HEAD /viden/ HTTP/1.1", 200),  # 29 V9 not a GET
    combined("192.0.2.9", "01/Apr/2025:08:18:00 +0200", "GET /gamle-viden HTTP/1.1", 301),  # 30 V9 redirect
]
# Robots: GB by its agent (11–13), SC by the "scan" rule (14–15), SP by "fast_form" (22–23): 7 hits.
# Page views by people (GET, 2xx or 304, a page, not a robot): 1, 3, 4, 5 (V1); 6 (V2); 9, 10 (V3); 16, 17, 18
# (V4); 19, 20 (V5); 24, 26 (V8); 27, 28 (V9) = 16. Not: 2, 13, 21 (assets), 7 (download), 8 (404), 25 (POST),
# 29 (HEAD), 30 (301). Page requests by anyone add 11, 12, 14 and 22: 20.
# Visits (a gap over 30 minutes, or another day, starts a new one), with their page views:
#   V1 A: 1, 3, 4 (3) | V1 B: 5 (1) | V2: 6 (1) | V3 Monday: 9 (1) | V3 Tuesday: 10 (1) | V4: 16–18 (3) |
#   V5: 19, 20 (2) | V8: 24, 26 (2) | V9: 27, 28 (2)   → 9 visits, 16 views, 4 of them bounces (one view).


def site_scope(folder: Path, first_day: date | None = None, last_day: date | None = None) -> Scope:
    return Scope(folders=(folder,), first_day=first_day, last_day=last_day, own_hosts=("almennet.dk",),
                 partner_hosts=("bl.dk",), areas=(Area("/netvaerk/", "Netværk"), Area("/viden/*/guide", "Guides")))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportCounts]:
    return build(tmp_path_factory.mktemp("site"), SITE_LINES)


@pytest.fixture
def reader(site: tuple[Path, ImportCounts]) -> Iterator[Reader]:
    with Reader(site_scope(site[0])) as opened:
        yield opened


def test_the_import_counts_of_the_small_site(site: tuple[Path, ImportCounts]) -> None:
    _, counts = site
    assert (counts.lines, counts.parsed, counts.malformed) == (30, 30, 0)
    assert (counts.hits, counts.bot_hits, counts.page_views, counts.human_page_views) == (30, 7, 20, 16)
    assert (counts.first_timestamp, counts.last_timestamp) == (naive("2025-03-03 09:00"), naive("2025-04-01 08:18"))
    assert counts.rules == {"fast_form": {"visitor_days": 1, "hits": 2, "beyond_agents": 2},
                            "scan": {"visitor_days": 1, "hits": 2, "beyond_agents": 2}}
    assert counts.rules_skipped == []  # 3 assets of 30 hits: 10 %, over the 5 % below which "no assets" is skipped


def test_the_totals_of_the_small_site(reader: Reader) -> None:
    assert reader.totals() == {
        "hits": 30, "bot_hits": 7, "human_hits": 23,
        "page_views": 20, "human_page_views": 16,
        "visits": 9,
        # Page-viewing people per day: Monday V1, V2, V3; Tuesday V3, V4, V5; 31 March V8; 1 April V9.
        "unique_visitors_daily_sum": 8,
        "pages_per_visit": 1.78,   # 16 / 9
        "bounce_rate": 0.4444,     # 4 / 9: V1 B, V2, V3 Monday, V3 Tuesday
        "downloads": 1,            # line 7
        "not_found": 1,            # line 8; 15 was a robot's
        # Non-4xx hits by (day, address, agent): Monday V1, V2, V3; Tuesday V3, GB, SC (line 14), V4, V5;
        # 31 March SP, V8; 1 April V9.
        "goaccess_unique_visitors": 11, "goaccess_valid_requests": 30,
        "first_timestamp": "2025-03-03T09:00:00", "last_timestamp": "2025-04-01T08:18:00",
    }


def test_visits_follow_the_thirty_minute_rule_and_end_at_midnight(reader: Reader) -> None:
    # V1: 09:00, 09:10, 09:39 (29 minutes after 09:10) are one visit; 10:10 (31 minutes after 09:39) is the next.
    assert reader.rows("SELECT views, entry_page, exit_page FROM visits WHERE started::DATE = '2025-03-03' "
                       "AND started < '2025-03-03 11:00' ORDER BY started") == [
        (3, "/", "/netvaerk/udvikling"), (1, "/netvaerk/", "/netvaerk/")]
    # V3 viewed /om-os at 23:50 and /om-os/kontakt 20 minutes later, after midnight: the visitor key is made
    # with the day, so the second view belongs to another key and starts a visit of its own.
    assert reader.rows("SELECT day, views FROM visits WHERE entry_page LIKE '/om-os%' ORDER BY day") == [
        (date(2025, 3, 3), 1), (date(2025, 3, 4), 1)]


def test_top_pages_with_entries_and_exits(reader: Reader) -> None:
    # (path, views, visits entering there, visits leaving from there); most viewed first, then by path.
    assert reader.top_pages() == [
        ("/soeg", 3, 1, 1),
        ("/", 2, 2, 1),                       # entered by V1 A and V2; V2 also left there
        ("/viden/bolig/guide", 2, 1, 0),      # V1 A passed through, V9 entered
        ("/kontakt", 1, 1, 0),
        ("/kontakt/tak", 1, 0, 1),
        ("/netvaerk/", 1, 1, 1),              # V1 B; Googlebot's request is not a view
        ("/netvaerk/beboerdemokrati", 1, 1, 0),
        ("/netvaerk/udvikling", 1, 0, 1),
        ("/om-os", 1, 1, 1),
        ("/om-os/kontakt", 1, 1, 1),
        ("/viden/", 1, 0, 1),
        ("/viden/energi/guide", 1, 0, 1),     # answered 304: still a view
    ]
    assert reader.top_pages(limit=2) == [("/soeg", 3, 1, 1), ("/", 2, 2, 1)]


def test_downloads_and_not_found(reader: Reader) -> None:
    assert reader.downloads() == [("/dokumenter/rapport.pdf", 1)]
    assert reader.not_found() == [("/findes-ikke", 1, 0), ("/wp-login.php", 0, 1)]


def test_referrer_groups_of_the_first_view_of_each_visit(reader: Reader) -> None:
    assert reader.referrer_groups() == [
        ("search", 3),       # V1 A (google), V8 (bing), V9 (duckduckgo)
        ("internal", 2),     # V1 B and V3 Tuesday came back from our own pages
        ("direct", 1),       # V5: no referrer
        ("newsletter", 1),   # V2: ?utm_source=nyhedsbrev, no referrer
        ("partner", 1),      # V4: www.bl.dk, a partner by Scope.partner_hosts
        ("social", 1),       # V3 Monday: facebook
    ]
    assert reader.referrers() == [
        ("internal", "www.almennet.dk", 2),
        ("direct", "", 1), ("newsletter", "", 1), ("partner", "www.bl.dk", 1),
        ("search", "duckduckgo.com", 1), ("search", "www.bing.com", 1), ("search", "www.google.com", 1),
        ("social", "www.facebook.com", 1),
    ]


def test_without_partner_and_own_hosts_those_visits_are_other(site: tuple[Path, ImportCounts]) -> None:
    with Reader(Scope(folders=(site[0],))) as reader:
        assert dict(reader.referrer_groups()) == {"search": 3, "other": 3, "direct": 1, "newsletter": 1,
                                                  "social": 1}


def test_site_search_terms_from_the_configured_parameters(reader: Reader, site: tuple[Path, ImportCounts]) -> None:
    # ?q=renovering and ?soeg=b%C3%B8rn+og+unge (UTF-8, + for space); ?term= is no search parameter.
    assert reader.search_terms() == [("børn og unge", 1), ("renovering", 1)]
    with Reader(Scope(folders=(site[0],), search_parameters=("q",))) as only_q:
        assert only_q.search_terms() == [("renovering", 1)]
    with Reader(Scope(folders=(site[0],), search_parameters=("term",))) as only_term:
        assert only_term.search_terms() == [("ignoreret", 1)]


def test_no_search_parameters_give_no_search_terms(site: tuple[Path, ImportCounts]) -> None:
    with Reader(Scope(folders=(site[0],), search_parameters=())) as reader:
        assert reader.search_terms() == []


def test_hour_of_week_in_local_time(reader: Reader) -> None:
    # (ISO weekday, hour, page views by people) from the times as written, +0100 and +0200 alike.
    assert reader.hour_of_week() == [
        (1, 9, 3), (1, 10, 1), (1, 11, 2), (1, 12, 1), (1, 23, 1),   # Mondays: lines 1 3 4 | 5 | 24 26 | 6 | 9
        (2, 0, 1), (2, 8, 2), (2, 14, 3), (2, 16, 2),                # Tuesdays: 10 | 27 28 | 16–18 | 19 20
    ]


def test_trend_by_day_week_and_month(reader: Reader) -> None:
    # (first day, page views, visits, people per day summed)
    assert reader.trend("day") == [
        (date(2025, 3, 3), 6, 4, 3),    # V1 A (3) + V1 B (1) + V2 (1) + V3 (1)
        (date(2025, 3, 4), 6, 3, 3),    # V3 (1) + V4 (3) + V5 (2)
        (date(2025, 3, 31), 2, 1, 1),   # V8
        (date(2025, 4, 1), 2, 1, 1),    # V9
    ]
    assert reader.trend("week") == [(date(2025, 3, 3), 12, 7, 6), (date(2025, 3, 31), 4, 2, 2)]
    assert reader.trend("month") == [(date(2025, 3, 1), 14, 8, 7), (date(2025, 4, 1), 2, 1, 1)]
    with pytest.raises(ValueError):
        reader.trend("year")


def test_areas_by_month_with_prefixes_and_globs(reader: Reader) -> None:
    assert reader.areas_by_month() == [
        (date(2025, 3, 1), "", 9),           # 14 March views less the five below
        (date(2025, 3, 1), "Guides", 2),     # /viden/bolig/guide (3), /viden/energi/guide (20)
        (date(2025, 3, 1), "Netværk", 3),    # /netvaerk/udvikling (4), /netvaerk/ (5), /netvaerk/beboerdemokrati (19)
        (date(2025, 4, 1), "", 1),           # /viden/ (28): not a guide
        (date(2025, 4, 1), "Guides", 1),     # /viden/bolig/guide (27)
    ]


def test_unvisited_pages_are_those_only_robots_asked_for(reader: Reader, site: tuple[Path, ImportCounts]) -> None:
    # Known pages: every GET of a page answered 2xx, by anyone. Only /gammel-side was never viewed by a person.
    assert reader.unvisited_pages() == [("/gammel-side", "", 1)]
    # Known pages come from the whole import; views and robot requests from the range. On 1 April only
    # /viden/bolig/guide and /viden/ were viewed. (/viden/energi/guide was only ever answered 304, so it is
    # not known; /gamle-viden only 301.)
    with Reader(site_scope(site[0], first_day=date(2025, 4, 1))) as april:
        assert april.unvisited_pages() == [(path, area, 0) for path, area in [
            ("/", ""), ("/gammel-side", ""), ("/kontakt", ""), ("/kontakt/tak", ""), ("/netvaerk/", "Netværk"),
            ("/netvaerk/beboerdemokrati", "Netværk"), ("/netvaerk/udvikling", "Netværk"), ("/om-os", ""),
            ("/om-os/kontakt", ""), ("/soeg", "")]]


def test_a_date_range_limits_every_figure(site: tuple[Path, ImportCounts]) -> None:
    with Reader(site_scope(site[0], first_day=date(2025, 3, 4), last_day=date(2025, 3, 31))) as reader:
        totals = reader.totals()
        # Lines 10–26: 17 hits, of which 7 by robots (11–15, 22–23); views 10, 16–20, 24, 26; visits V3
        # Tuesday, V4, V5, V8.
        assert (totals["hits"], totals["bot_hits"], totals["human_page_views"], totals["visits"]) == (17, 7, 8, 4)
        assert (totals["first_timestamp"], totals["last_timestamp"]) == ("2025-03-04T00:10:00", "2025-03-31T11:01:31")
        assert [row[0] for row in reader.trend("day")] == [date(2025, 3, 4), date(2025, 3, 31)]
    with Reader(Scope(folders=(site[0],), last_day=date(2025, 3, 3))) as monday:
        assert monday.totals()["hits"] == 9


def test_robots_by_crawler_and_by_rule(reader: Reader) -> None:
    assert reader.robots() == [("search", "Googlebot", 3), ("rule:fast_form", "", 2), ("rule:scan", "", 2)]
    assert reader.humans_and_robots() == [
        (date(2025, 3, 3), 9, 0), (date(2025, 3, 4), 7, 5), (date(2025, 3, 31), 3, 2), (date(2025, 4, 1), 4, 0)]


def test_technology_of_visits(reader: Reader) -> None:
    # Visits on Firefox for Windows: V1 ×2, V3 ×2, V4, V5, V9; on an iPhone: V2, V8.
    assert reader.technology("device") == [("desktop", 7), ("mobile", 2)]
    with pytest.raises(ValueError):
        reader.technology("address")


def one_visit_from(tmp_path: Path, referrer: str, name: str) -> str:
    folder, _ = build(tmp_path, [combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET / HTTP/1.1", 200,
                                          referrer=referrer)], name=name)
    with Reader(Scope(folders=(folder,))) as reader:
        (group, _count), = reader.referrer_groups()
    return group


def test_short_social_hosts_are_recognised(tmp_path: Path) -> None:
    assert one_visit_from(tmp_path, "https://t.co/AbC123", "t") == "social"
    assert one_visit_from(tmp_path, "https://x.com/almennet", "x") == "social"
    assert one_visit_from(tmp_path, "https://mail.google.com/mail/u/0/", "gmail") == "newsletter"


def test_hosts_that_merely_contain_a_known_sites_name_are_other(tmp_path: Path) -> None:
    assert one_visit_from(tmp_path, "https://www.microsoft.com/da-dk/", "microsoft") == "other"
    assert one_visit_from(tmp_path, "https://www.dropbox.com/s/abc", "dropbox") == "other"
    assert one_visit_from(tmp_path, "https://www.clubbing.dk/", "clubbing") == "other"


def test_a_visit_is_judged_by_its_first_view_only(tmp_path: Path) -> None:
    # What a browser sends: no referrer for a typed address, then our own page as referrer for each later view.
    folder, _ = build(tmp_path, [
        combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET / HTTP/1.1", 200),
        combined("192.0.2.1", "03/Mar/2025:09:01:00 +0100", "GET /viden/ HTTP/1.1", 200, referrer=f"{OWN}/"),
        combined("192.0.2.2", "03/Mar/2025:10:00:00 +0100", "GET /viden/ HTTP/1.1", 200,
                 referrer="https://www.google.com/"),
        combined("192.0.2.2", "03/Mar/2025:10:01:00 +0100", "GET /?utm_source=nyhedsbrev HTTP/1.1", 200,
                 referrer=f"{OWN}/viden/"),
    ])
    with Reader(site_scope(folder)) as reader:
        # The first visit was typed in (direct); the second came from Google, whatever its second view says.
        assert reader.referrer_groups() == [("direct", 1), ("search", 1)]


def test_a_person_loading_one_page_with_many_images_is_no_robot(tmp_path: Path) -> None:
    # HTTP Archive's median page makes about 70 requests; all of them come within a second or two of the page.
    lines = [combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET /galleri HTTP/1.1", 200)]
    lines += [combined("192.0.2.1", f"03/Mar/2025:09:00:{second // 2:02d} +0100",
                       f"GET /static/billede-{second}.jpg HTTP/1.1", 200, referrer=f"{OWN}/galleri")
              for second in range(80)]
    _, counts = build(tmp_path, lines)
    assert (counts.bot_hits, counts.rules) == (0, {})


def test_an_area_with_an_underscore_in_its_prefix(tmp_path: Path) -> None:
    folder, _ = build(tmp_path, [combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET /om_os/bestyrelse HTTP/1.1",
                                          200)])
    with Reader(Scope(folders=(folder,), areas=(Area("/om_os/", "Om os"),))) as reader:
        assert reader.areas_by_month() == [(date(2025, 3, 1), "Om os", 1)]


def test_a_search_term_in_latin_1_does_not_stop_the_search_terms(tmp_path: Path) -> None:
    # Older forms send the page's own encoding: ø as %F8 in ISO-8859-1.
    folder, _ = build(tmp_path, [
        combined("192.0.2.1", "03/Mar/2025:09:00:00 +0100", "GET /soeg?q=b%F8rn HTTP/1.1", 200),
        combined("192.0.2.2", "03/Mar/2025:09:00:00 +0100", "GET /soeg?q=renovering HTTP/1.1", 200),
    ])
    with Reader(Scope(folders=(folder,))) as reader:
        assert ("renovering", 1) in reader.search_terms()


def test_prune_keeps_the_days_from_the_cutoff(tmp_path: Path) -> None:
    (tmp_path / "imports").mkdir()
    folder, _ = build(tmp_path / "imports", SITE_LINES)
    # From 31 March: lines 22–30, nine hits on two days; SP's day (a robot by "fast_form") is among them.
    assert prune(folder, date(2025, 3, 31)) == (9, date(2025, 3, 31), date(2025, 4, 1))
    assert sorted(path.name for path in folder.iterdir()) == sorted([AGENTS, HITS, ROBOTS])
    assert leftovers(tmp_path / "imports") == ["import"]  # no spill folder left beside it
    with Reader(site_scope(folder)) as reader:
        assert (reader.totals()["hits"], reader.totals()["bot_hits"]) == (9, 2)
        assert reader.robots() == [("rule:fast_form", "", 2)]
    assert prune(folder, date(2025, 5, 1)) == (0, None, None)


ANALYTICS_ROWS = [
    (date(2025, 3, 1), date(2025, 3, 31), "/", 10),    # a month
    (date(2025, 3, 5), date(2025, 3, 5), "/viden/", 2),   # a day
    (date(2025, 4, 1), date(2025, 4, 30), "/", 7),
]


def test_analytics_page_views_by_month(tmp_path: Path, site: tuple[Path, ImportCounts]) -> None:
    folder = tmp_path / "ga4"
    build_page_views(ANALYTICS_ROWS, folder)
    assert sorted(path.name for path in folder.iterdir()) == [PAGE_VIEWS]
    with Reader(Scope(folders=(site[0],), analytics=(("ga4", folder),))) as reader:
        assert reader.exported_by_month() == [(date(2025, 3, 1), "ga4", 12), (date(2025, 4, 1), "ga4", 7)]
        assert reader.page_views_by_month() == [(date(2025, 3, 1), 14), (date(2025, 4, 1), 2)]  # the log's, by people
    # A row counts when its whole period lies in the range.
    with Reader(Scope(folders=(), first_day=date(2025, 3, 2), analytics=(("ga4", folder),))) as later:
        assert later.exported_by_month() == [(date(2025, 3, 1), "ga4", 2), (date(2025, 4, 1), "ga4", 7)]
    with Reader(Scope(folders=(), last_day=date(2025, 3, 31), analytics=(("ga4", folder),))) as march:
        assert march.exported_by_month() == [(date(2025, 3, 1), "ga4", 12)]


def test_analytics_page_views_appear_whole_or_not_at_all(tmp_path: Path) -> None:
    parent = tmp_path / "imports"
    build_page_views([], parent / "empty")
    with Reader(Scope(folders=(), analytics=(("matomo", parent / "empty"),))) as reader:
        assert reader.exported_by_month() == []
    with pytest.raises(FileExistsError):
        build_page_views(ANALYTICS_ROWS, parent / "empty")
    with pytest.raises((TypeError, ValueError)):  # pyarrow refuses text where a count belongs
        build_page_views([(date(2025, 3, 1), date(2025, 3, 31), "/", "ten")], parent / "broken")  # type: ignore[list-item]
    assert leftovers(parent) == ["empty"]


# =============================================================================================================
# 7. Other formats, end to end
# =============================================================================================================


def test_a_custom_apache_format_with_virtual_host_and_duration(tmp_path: Path) -> None:
    text = '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
    folder, counts = build(tmp_path, [
        'www.almennet.dk:443 192.0.2.7 - - [03/Mar/2025:09:00:00 +0100] "GET /viden/?q=bolig HTTP/2.0" 200 5120 '
        '"https://www.google.com/" "Mozilla/5.0 (X11; Linux x86_64)" 1234',
        'intranet.almennet.dk:80 192.0.2.8 - - [03/Mar/2025:17:00:00 -0700] "POST /login HTTP/1.1" 302 0 '
        '"-" "curl/8.5.0" 88',
        'www.almennet.dk:443 192.0.2.7 - - [03/Mar/2025:09:00:00 +0100] "GET / HTTP/2.0" 200 5120',  # no agent
    ], log_format(text))
    assert (counts.parsed, counts.malformed) == (2, 1)
    assert stored(folder, "SELECT ts, ts_utc, day, method, path, query, status, bytes, referrer, agent, address "
                          "FROM hits ORDER BY line") == [
        (naive("2025-03-03 09:00"), naive("2025-03-03 08:00"), date(2025, 3, 3), "GET", "/viden/", "q=bolig", 200,
         5120, "https://www.google.com/", "Mozilla/5.0 (X11; Linux x86_64)", "192.0.2.0"),
        # -0700: seven hours behind UTC; the day is the log's own.
        (naive("2025-03-03 17:00"), naive("2025-03-04 00:00"), date(2025, 3, 3), "POST", "/login", None, 302, 0,
         None, "curl/8.5.0", "192.0.2.0"),
    ]


def test_an_nginx_format_with_iso_time(tmp_path: Path) -> None:
    text = ('$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_referer" '
            '"$http_user_agent" $request_time')
    folder, counts = build(tmp_path, [
        '2001:db8:1:2::5 - - [2025-03-03T09:00:00+01:00] "GET /soeg?q=renovering HTTP/1.1" 200 812 "-" '
        '"Mozilla/5.0 (X11; Linux x86_64)" 0.004',
        '192.0.2.7 - - [2025-03-30T23:30:00-05:30] "GET /viden/ HTTP/1.1" 404 0 "https://www.bing.com/" '
        '"Mozilla/5.0 (X11; Linux x86_64)" 0.010',
        '192.0.2.7 - - [03/Mar/2025:09:00:00 +0100] "GET / HTTP/1.1" 200 0 "-" "-" 0.001',  # Apache's time
    ], log_format(text))
    assert (counts.parsed, counts.malformed) == (2, 1)
    assert stored(folder, "SELECT ts, ts_utc, day, path, query, status, referrer, address FROM hits ORDER BY line") \
        == [
        # +01:00 is one hour ahead of UTC; -05:30 five and a half behind, into the next day in UTC.
        (naive("2025-03-03 09:00"), naive("2025-03-03 08:00"), date(2025, 3, 3), "/soeg", "q=renovering", 200, None,
         "2001:db8:1::"),
        (naive("2025-03-30 23:30"), naive("2025-03-31 05:00"), date(2025, 3, 30), "/viden/", None, 404,
         "https://www.bing.com/", "192.0.2.0"),
    ]


def test_the_common_format_end_to_end(tmp_path: Path) -> None:
    folder, counts = build(tmp_path, [
        '192.0.2.7 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
        '192.0.2.7 - - [10/Oct/2000:13:55:37 -0700] "GET /index.html HTTP/1.0" 200 -',
    ], log_format("common"))
    assert (counts.parsed, counts.malformed) == (2, 0)
    assert stored(folder, "SELECT path, kind, bytes, agent, referrer FROM hits ORDER BY line") == [
        ("/apache_pb.gif", "asset", 2326, "", None), ("/index.html", "page", None, "", None)]


# =============================================================================================================
# 8. Whatever the bytes, an import counts every line and raises nothing
# =============================================================================================================

with gzip.open(HACKERS, "rt", encoding="utf-8") as _log:
    REAL_LINES = [next(_log).rstrip("\n") for _ in range(300)]

MODEST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def lines_in(data: bytes) -> int:
    """The number of lines as a reader of text files counts them: a last line without newline counts too."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def import_bytes(data: bytes) -> ImportCounts:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "random.log"
        log.write_bytes(data)
        counts = build_import([log], COMBINED, Path(folder) / "import")
    assert counts.lines == lines_in(data)
    assert counts.lines == counts.parsed + counts.malformed
    return counts


@MODEST
@given(st.lists(st.one_of(st.text(max_size=200), st.sampled_from(REAL_LINES)), max_size=30))
def test_random_text_lines_are_counted(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    assume(not data.startswith(b"BZh"))  # bzip2's magic number (see below)
    counts = import_bytes(data)
    assert counts.parsed == sum(1 for line in lines if line in REAL_LINES)


@MODEST
@given(st.binary(max_size=3000))
def test_random_bytes_are_counted(data: bytes) -> None:
    # A file that starts like gzip or bzip2 is read as one; random bytes after those magic numbers are a broken
    # archive, which stops an import on purpose (see the truncated gzip test).
    assume(not data.startswith((b"\x1f\x8b", b"BZh")))
    import_bytes(data)


@MODEST
@given(st.lists(st.tuples(st.sampled_from(REAL_LINES), st.floats(0, 1)), min_size=1, max_size=20))
def test_real_lines_cut_short_parse_exactly_when_the_user_agent_has_begun(cuts: list[tuple[str, float]]) -> None:
    # A line cut inside its user agent still counts (as in GoAccess); cut anywhere before the agent's opening
    # quote (the fifth quotation mark), it does not.
    shortened = [line[:round(len(line) * share)] for line, share in cuts]
    expected = sum(1 for (line, _), short in zip(cuts, shortened, strict=True)
                   if len(short) > [i for i, character in enumerate(line) if character == '"'][4])
    counts = import_bytes("\n".join(shortened).encode() + b"\n")
    assert counts.parsed == expected


def test_query_strings_keep_only_search_and_campaign_parameters(tmp_path: Path) -> None:
    request = "GET /soeg?q=renovering&email=anne%40eksempel.dk&token=abc123&utm_source=nyhedsbrev&s HTTP/1.1"
    referrer = "https://mail.example.dk/read?message=4711&user=anne"
    folder, _ = build(tmp_path, [combined("1.2.3.4", "17/May/2015:10:05:03 +0000", request, 200, referrer=referrer)])
    # q and the bare s are site-search parameters, utm_source a campaign marker; e-mail and token go, and so
    # does the referrer's query.
    assert stored(folder, "SELECT query, referrer FROM hits") == [
        ("q=renovering&utm_source=nyhedsbrev&s", "https://mail.example.dk/read")]
    texts = " ".join(strings_in(folder))
    assert "anne" not in texts and "abc123" not in texts and "4711" not in texts


def test_a_process_search_parameter_is_kept_too(tmp_path: Path) -> None:
    line = combined("1.2.3.4", "17/May/2015:10:05:03 +0000", "GET /find?fritekst=tag&id=7 HTTP/1.1", 200)
    destination = tmp_path / "import"
    build_import([write_log(tmp_path / "a.log", [line])], COMBINED, destination, search_parameters=["fritekst"])
    assert stored(destination, "SELECT query FROM hits") == [("fritekst=tag",)]


def test_a_referrer_from_an_app_names_the_app(tmp_path: Path) -> None:
    # The Gmail app on Android sends android-app://com.google.android.gm/ as its referrer: a click in a mail,
    # like one in webmail. The Google search app is a search engine; another app is just "other".
    lines = [combined(f"1.2.3.{number}", "17/May/2015:10:05:03 +0000", "GET / HTTP/1.1", 200,
                      referrer=f"android-app://{app}/")
             for number, app in enumerate(("com.google.android.gm", "com.google.android.googlequicksearchbox",
                                           "org.example.reader"), start=1)]
    folder, _ = build(tmp_path, lines)
    with Reader(Scope(folders=(folder,))) as reader:
        assert sorted(reader.referrers()) == [("newsletter", "com.google.android.gm", 1),
                                              ("other", "org.example.reader", 1),
                                              ("search", "com.google.android.googlequicksearchbox", 1)]
