"""The web-statistics warehouse: Parquet files per completed import, read with DuckDB.

This is the only module that touches the files. An import is built in a hidden folder beside its
final place and moved there in one rename when it is complete, so a reader sees a whole import or
none of it. Readers open DuckDB in memory over the files of the imports the database lists as
completed; no DuckDB database file is ever held open, so web servers and workers on several machines
can read while one of them writes.

What each import folder holds:

- ``hits.parquet``: one row per parsed request; the client address truncated (IPv4 /24, IPv6 /48) and a
  visitor key that hashes address and user agent with a salt that changes per day and is forgotten
  when the import ends (so a key means "the same address and browser on the same day", nothing more);
- ``agents.parquet``: each distinct user agent with its crawler category, browser, OS and device;
- ``pageviews.parquet`` (analytics exports instead): page views per page and day or period.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import ipaddress
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, cast

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from evidens.webstats.agents import describe_agent
from evidens.webstats.logformat import LogFormat

Progress = Callable[[int, int], None]

# Bytes read per batch handed to DuckDB: large enough for speed, small enough to keep memory flat.
READ_SIZE = 2 << 20
MALFORMED_SAMPLE = 20
DEFAULT_SEARCH_PARAMETERS = ("q", "s", "search", "soeg")
# A query string may carry personal data (an e-mail address, a token from a personal link): an import keeps
# only these parameters, the site-search ones (the process's and these) and campaign markers (utm_…).
KEPT_PARAMETERS = ("q", "s", "search", "soeg", "sog", "query", "term", "keyword", "keywords", "k")
HITS, AGENTS, ROBOTS = "hits.parquet", "agents.parquet", "robots.parquet"
MALFORMED_TEXT = 300
VISIT_GAP_MINUTES = 30

ASSET_EXTENSIONS = ("css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif", "bmp",
                    "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "ogg", "mp3", "wav",
                    "json", "xml", "txt", "rss", "atom")
DOWNLOAD_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "csv",
                       "zip", "gz", "tgz", "bz2", "7z", "rar", "epub", "exe", "msi", "dmg", "jar", "deb", "rpm", "iso")
# Paths that only vulnerability scanners ask for on a site like ours.
SCAN_PATTERN = (r"(?i)(wp-login\.php|xmlrpc\.php|/wp-admin|/wp-includes|/wp-content/plugins|/\.env|/\.git/|"
                r"phpmyadmin|/cgi-bin/|/boaform|/vendor/phpunit|/actuator|/\.aws|/config\.php|/admin\.php)")


@dataclass(frozen=True)
class BotRule:
    """A behaviour that marks a visitor's whole day as a robot, whatever its user agent claims."""

    name: str
    condition: str   # SQL over the visitor-day aggregates of ``_VISITOR_DAYS``
    needs_assets: bool = False  # only meaningful when the log holds the site's asset requests


BOT_RULES = (
    BotRule("scan", "scans > 0"),
    # A person needs more than a few seconds to fill in a form; spam robots post at once.
    BotRule("fast_form", "fast_posts > 0"),
    BotRule("post_flood", "posts >= 20"),
    # Pages, downloads and posts only: one page may well load 60 images in a minute.
    BotRule("rate", "busiest_minute >= 60"),
    BotRule("errors", "requests >= 10 AND client_errors >= 0.5 * requests"),
    # Browsers fetch style sheets, scripts and images; scrapers fetch pages only.
    BotRule("no_assets", "pages >= 10 AND assets = 0", needs_assets=True),
)
# Below this share of asset requests the log does not hold them (a CDN serves them), so "no assets"
# says nothing about a visitor.
ASSET_SHARE_FOR_RULES = 0.05


@dataclass(frozen=True)
class MalformedLine:
    file: str
    line: int
    text: str


@dataclass
class ImportCounts:
    lines: int = 0
    parsed: int = 0
    malformed: int = 0
    replaced: int = 0               # lines with bytes that were not UTF-8 (read with replacement characters)
    hits: int = 0
    bot_hits: int = 0
    page_views: int = 0             # page requests by anyone (GET, 2xx/304, not an asset or download)
    human_page_views: int = 0
    first_timestamp: datetime | None = None
    last_timestamp: datetime | None = None
    malformed_sample: list[MalformedLine] = field(default_factory=list)
    rules: dict[str, dict[str, int]] = field(default_factory=dict)
    rules_skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines, "parsed": self.parsed, "malformed": self.malformed, "replaced": self.replaced,
            "hits": self.hits, "bot_hits": self.bot_hits, "page_views": self.page_views,
            "human_page_views": self.human_page_views,
            "first_timestamp": self.first_timestamp.isoformat() if self.first_timestamp else None,
            "last_timestamp": self.last_timestamp.isoformat() if self.last_timestamp else None,
            "malformed_sample": [vars(line) for line in self.malformed_sample],
            "rules": self.rules, "rules_skipped": self.rules_skipped,
        }


def connect(*, spill: Path | None = None, memory_limit: str = "128MB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one piece of work; past ``memory_limit`` it spills to ``spill`` (or, for
    readers, to the system's temporary folder, never to the working directory as DuckDB would)."""
    return duckdb.connect(config={
        "memory_limit": memory_limit, "preserve_insertion_order": False,
        "threads": max(1, min(4, os.cpu_count() or 1)),
        "temp_directory": str(spill or Path(tempfile.gettempdir()) / "evidens-duckdb"),
    })


# ---------------------------------------------------------------------------------------------
# Reading files
# ---------------------------------------------------------------------------------------------


def open_log(raw: IO[bytes]) -> IO[bytes]:
    """The bytes of an open file, decompressed when it starts like gzip or bzip2 (whatever its name says)."""
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    if magic[:3] == b"BZh" and magic[3:4].isdigit():
        return cast(IO[bytes], bz2.BZ2File(raw, mode="rb"))
    return raw


def file_digest(path: Path) -> str:
    """SHA-256 of the file as stored (so the same compressed file is recognised again)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_LINES_SCHEMA = pa.schema([("file", pa.int16()), ("line", pa.int64()), ("text", pa.string())])


def _line_batches(paths: Sequence[Path], counts: ImportCounts, progress: Progress | None,
                  failure: list[BaseException]) -> Iterator[pa.RecordBatch]:
    """Every line of every file with its file index and line number, a few megabytes at a time; what stops
    the reading is also put in ``failure``, for DuckDB, which pulls the batches, reports it only as text."""
    try:
        yield from _read_lines(paths, counts, progress)
    except BaseException as error:
        failure.append(error)
        raise


def _read_lines(paths: Sequence[Path], counts: ImportCounts, progress: Progress | None) -> Iterator[pa.RecordBatch]:
    total = sum(path.stat().st_size for path in paths)
    done_before = 0
    for index, path in enumerate(paths):
        number = 0
        with path.open("rb") as raw, open_log(raw) as handle:
            rest = b""
            while True:
                block = handle.read(READ_SIZE)
                if not block:
                    break
                block = rest + block
                cut = block.rfind(b"\n") + 1
                if cut == 0:  # a line longer than a block: keep reading until it ends
                    rest = block
                    continue
                rest = block[cut:]
                batch = _batch(block[:cut], index, number, counts)
                number += batch.num_rows
                yield batch
                if progress:
                    progress(done_before + raw.tell(), total)
            if rest:
                batch = _batch(rest + b"\n", index, number, counts)
                number += batch.num_rows
                yield batch
        done_before += path.stat().st_size
        counts.lines += number
    if progress:
        progress(total, total)


def _batch(block: bytes, file_index: int, first_number: int, counts: ImportCounts) -> pa.RecordBatch:
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = block.decode("utf-8", errors="replace")
        counts.replaced += sum(1 for line in text.split("\n") if "\ufffd" in line)
    lines = pc.split_pattern(pa.array([text], pa.string()), "\n").values
    lines = pc.utf8_rtrim(lines.slice(0, len(lines) - 1), characters="\r")
    numbers = pa.array(range(first_number + 1, first_number + 1 + len(lines)), pa.int64())
    files = pa.array([file_index] * len(lines), pa.int16())
    return pa.record_batch([files, numbers, lines], schema=_LINES_SCHEMA)


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------


def _fields_sql(log_format: LogFormat) -> str:
    """The format's fields as text columns, and ``matched``: whether the line fits the format."""
    pattern = log_format.pattern.replace("'", "''")
    by_pattern = {name: f"regexp_extract(text, '{pattern}', {index})"
                  for index, name in enumerate(log_format.fields, start=1)}
    if log_format.layout is None:
        columns = [f"CASE WHEN matched THEN {by_pattern[name]} END AS {name}" for name in log_format.fields]
        return f"SELECT file, line, text, matched, {', '.join(columns)} " \
               f"FROM (SELECT *, regexp_matches(text, '{pattern}') AS matched FROM batches)"
    # Cutting at the quotation marks and spaces reads a line in a third of the time the regular
    # expression takes; a line it cannot read (an escaped quote, a missing field) goes to the expression.
    by_cutting = {
        "host": "s[1]", "user": "s[3]", "time": "ltrim(s[4], '[') || ' ' || rtrim(s[5], ']')",
        "request": "q[2]", "status": "r[2]", "bytes": "r[3]", "referrer": "q[4]", "agent": "q[6]",
    }
    quotes = 7 if log_format.layout == "combined" else 3
    cut = (f"len(s) = 6 AND len(r) = {4 if quotes == 7 else 3} AND length(r[2]) = 3 "
           f"AND starts_with(s[4], '[') AND ends_with(s[5], ']')")
    if quotes == 7:
        cut += " AND (len(q) = 7 OR len(q) = 6) AND q[5] = ' '"
    else:
        cut += " AND len(q) = 3"
    columns = [f"CASE WHEN cut THEN {by_cutting[name]} ELSE {by_pattern[name]} END AS {name}"
               for name in log_format.fields]
    return f"""
        SELECT file, line, text, cut OR regexp_matches(text, '{pattern}') AS matched, {', '.join(columns)}
        FROM (
            SELECT *, {cut} AS cut
            FROM (SELECT file, line, text, q, string_split(q[1], ' ') AS s, string_split(q[3], ' ') AS r
                  FROM (SELECT file, line, text, string_split(text, '"') AS q FROM batches))
        )
    """


def _parse_sql(log_format: LogFormat) -> str:
    """From a line to the columns of ``hits.parquet``; ``malformed_text`` holds a line that does not parse."""
    fields = set(log_format.fields)
    if "time" in fields:
        local = "try_strptime(left(time, 20), '%d/%b/%Y:%H:%M:%S')"
        zone = "substr(time, 22)"
        offset = (f"CASE WHEN regexp_full_match({zone}, '[+-][0-9]{{4}}') THEN "
                  f"(CASE WHEN starts_with({zone}, '-') THEN -1 ELSE 1 END) * "
                  f"(CAST(substr({zone}, 2, 2) AS INTEGER) * 60 + CAST(substr({zone}, 4, 2) AS INTEGER)) ELSE 0 END")
    else:
        local = "try_strptime(left(time_iso, 19), '%Y-%m-%dT%H:%M:%S')"
        zone = "substr(time_iso, 20)"
        offset = (f"CASE WHEN regexp_full_match({zone}, '[+-][0-9]{{2}}:[0-9]{{2}}') THEN "
                  f"(CASE WHEN starts_with({zone}, '-') THEN -1 ELSE 1 END) * "
                  f"(CAST(substr({zone}, 2, 2) AS INTEGER) * 60 + CAST(substr({zone}, 5, 2) AS INTEGER)) ELSE 0 END")
    if "request" in fields:
        method, target = "split_part(request, ' ', 1)", "split_part(request, ' ', 2)"
    else:
        method = "method" if "method" in fields else "'GET'"
        target = "path || coalesce('?' || nullif(query, ''), '')" if "query" in fields else "path"
    agent = "coalesce(agent, '')" if "agent" in fields else "''"
    referrer = "nullif(referrer, '-')" if "referrer" in fields else "NULL"
    byte_count = "try_cast(bytes AS BIGINT)" if "bytes" in fields else "NULL"
    return f"""
        SELECT file, line,
               CASE WHEN ts IS NULL OR status IS NULL OR method = '' OR host = '' THEN text END AS malformed_text,
               ts, ts - to_minutes(offset_minutes) AS ts_utc, CAST(ts AS DATE) AS day, host, agent, method,
               split_part(target, '?', 1) AS path, nullif(split_part(target, '?', 2), '') AS query,
               status, bytes, referrer
        FROM (
            SELECT file, line, text,
                   CASE WHEN matched THEN {local} END AS ts, CASE WHEN matched THEN {offset} END AS offset_minutes,
                   {method} AS method, split_part({target}, '#', 1) AS target,
                   try_cast(status AS SMALLINT) AS status, host, {agent} AS agent, {byte_count} AS bytes,
                   {referrer} AS referrer
            FROM ({_fields_sql(log_format)})
        )
    """


def build_import(paths: Sequence[Path], log_format: LogFormat, destination: Path, *,
                 progress: Progress | None = None, names: Sequence[str] | None = None,
                 search_parameters: Sequence[str] = ()) -> ImportCounts:
    """Parse ``paths`` into an import folder at ``destination``, which appears only when complete.

    ``names`` are the files' names as the user knows them (an upload is stored under another name); the
    malformed sample names files by them. ``search_parameters`` are kept in query strings beside
    ``KEPT_PARAMETERS`` and campaign markers; every other parameter is dropped, and so is a referrer's query.

    Raises ``FileExistsError`` when ``destination`` exists. Anything else that stops the work leaves
    no folder behind.
    """
    try:
        with _building(destination) as building:
            return _build(paths, log_format, building, progress, names or [path.name for path in paths],
                          (*KEPT_PARAMETERS, *search_parameters))
    except duckdb.IOException as error:
        raise _as_os_error(error) from None


def _as_os_error(error: duckdb.IOException) -> Exception:
    """DuckDB reports a failed write (a full disk) as text with the system's error number in it; as an
    ``OSError`` with that number the caller can tell the user what happened. Without a number, the error."""
    found = re.search(r'"errno":"(\d+)"', str(error))
    if found is None:
        return error
    number = int(found.group(1))
    return OSError(number, os.strerror(number))


@contextmanager
def _building(destination: Path) -> Iterator[Path]:
    """A hidden folder beside ``destination`` to build in, renamed to ``destination`` when the block ends
    without an error and removed when it does not."""
    if destination.exists():
        raise FileExistsError(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    building = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.building")
    building.mkdir()
    try:
        yield building
        os.rename(building, destination)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _build(paths: Sequence[Path], log_format: LogFormat, folder: Path, progress: Progress | None,
           names: Sequence[str], kept: Sequence[str]) -> ImportCounts:
    connection = connect(spill=folder / "spill")
    try:
        return _build_with(connection, paths, log_format, folder, progress, names, kept)
    finally:
        connection.close()
        shutil.rmtree(folder / "spill", ignore_errors=True)


def _build_with(connection: duckdb.DuckDBPyConnection, paths: Sequence[Path], log_format: LogFormat, folder: Path,
                progress: Progress | None, names: Sequence[str], kept: Sequence[str]) -> ImportCounts:
    counts = ImportCounts()
    connection.create_function("truncate_ipv6", _truncate_ipv6, ["VARCHAR"], "VARCHAR")
    failure: list[BaseException] = []
    batches = pa.RecordBatchReader.from_batches(_LINES_SCHEMA, _line_batches(paths, counts, progress, failure))
    connection.register("batches", batches)
    salt = secrets.token_hex(16)  # each day's salt is derived from it; it is never written anywhere
    hits = folder / HITS
    try:
        _copy_hits(connection, log_format, salt, hits, kept)
    except duckdb.Error:
        if failure:  # DuckDB wraps what went wrong while reading the files: raise it as it was
            raise failure[0] from None
        raise
    connection.unregister("batches")
    _record_malformed(connection, hits, names, counts)
    _write_agents(connection, hits, folder / AGENTS)
    _write_robots(connection, folder, counts)
    _count(connection, folder, counts)
    return counts


def _copy_hits(connection: duckdb.DuckDBPyConnection, log_format: LogFormat, salt: str, hits: Path,
               kept: Sequence[str]) -> None:
    names = "|".join(_sql_text(re.escape(name)) for name in dict.fromkeys(kept))
    kept_query = (f"nullif(array_to_string(list_filter(string_split(query, '&'), "
                  f"lambda part: regexp_matches(part, '^(utm_[A-Za-z0-9_]+|{names})(=|$)')), '&'), '')")
    connection.execute(f"""
        COPY (
            SELECT * EXCLUDE (host) REPLACE ({kept_query} AS query, split_part(referrer, '?', 1) AS referrer),
                   {_TRUNCATED_ADDRESS} AS address,
                   CASE WHEN malformed_text IS NULL
                        THEN md5_number_lower(? || CAST(day AS VARCHAR) || '|' || host || '|' || agent) END AS visitor,
                   {_kind_sql()} AS kind
            FROM ({_parse_sql(log_format)})
        ) TO '{_sql_path(hits)}' (FORMAT parquet, ROW_GROUP_SIZE 30000)
    """, [salt])


_TRUNCATED_ADDRESS = """
    CASE WHEN regexp_full_match(host, '[0-9]{1,3}(\\.[0-9]{1,3}){3}')
              THEN regexp_replace(host, '\\.[0-9]+$', '.0')
         WHEN contains(host, ':') THEN truncate_ipv6(host) END
"""


def _truncate_ipv6(address: str) -> str | None:
    """The /48 network of an IPv6 address ("2001:db8:1::"), or None for text that is no address."""
    try:
        network = ipaddress.IPv6Network(f"{address.strip('[]')}/48", strict=False)
    except ValueError:
        return None
    return f"{network.network_address}"


_IPV4 = re.compile(r"\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b")
_IPV6_CANDIDATE = re.compile(r"[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+")


def _mask_addresses(text: str) -> str:
    """A malformed line as shown to people: IPv4 addresses cut to /24, IPv6 addresses to /48."""
    text = _IPV4.sub(r"\1.0", text)

    # A time of day (10:05:03) also looks like a candidate; ipaddress refuses it, so it stays as it is.
    return _IPV6_CANDIDATE.sub(lambda match: _truncate_ipv6(match.group()) or match.group(), text)


def _record_malformed(connection: duckdb.DuckDBPyConnection, parsed: Path, names: Sequence[str],
                      counts: ImportCounts) -> None:
    source = f"read_parquet('{_sql_path(parsed)}')"
    row = connection.execute(f"SELECT count(*) FILTER (WHERE malformed_text IS NOT NULL), count(*) FROM {source}")
    malformed, total = row.fetchone() or (0, 0)
    counts.malformed = int(malformed)
    counts.parsed = int(total) - counts.malformed
    sample = connection.execute(f"""SELECT file, line, malformed_text FROM {source}
                                    WHERE malformed_text IS NOT NULL ORDER BY file, line LIMIT {MALFORMED_SAMPLE}""")
    counts.malformed_sample = [
        MalformedLine(file=names[file], line=line, text=_mask_addresses(text[:MALFORMED_TEXT]))
        for file, line, text in sample.fetchall()
    ]
    if counts.malformed:  # a line that did not parse may hold a whole address: it is not kept
        cleaned = parsed.with_name(f".cleaned.{parsed.name}")
        connection.execute(f"""COPY (SELECT * REPLACE (NULL::VARCHAR AS malformed_text) FROM {source}
                                     WHERE malformed_text IS NULL) TO '{_sql_path(cleaned)}' (FORMAT parquet)""")
        os.replace(cleaned, parsed)


_AGENTS_SCHEMA = pa.schema([("agent", pa.string()), ("crawler", pa.string()), ("crawler_name", pa.string()),
                            ("browser", pa.string()), ("os", pa.string()), ("device", pa.string())])


def _write_agents(connection: duckdb.DuckDBPyConnection, parsed: Path, target: Path) -> None:
    agents = connection.execute(f"""SELECT DISTINCT agent FROM read_parquet('{_sql_path(parsed)}')
                                    WHERE malformed_text IS NULL""").fetchall()
    described = [(agent, describe_agent(agent)) for (agent,) in agents]
    table = pa.table({
        "agent": [agent for agent, _ in described],
        "crawler": [found.crawler for _, found in described],
        "crawler_name": [found.crawler_name for _, found in described],
        "browser": [found.browser for _, found in described],
        "os": [found.os for _, found in described],
        "device": [found.device for _, found in described],
    }, schema=_AGENTS_SCHEMA)
    connection.register("described_agents", table)
    connection.execute(f"COPY described_agents TO '{_sql_path(target)}' (FORMAT parquet)")
    connection.unregister("described_agents")


def _kind_sql() -> str:
    extension = "lower(regexp_extract(path, '\\.([A-Za-z0-9]{1,5})$', 1))"
    assets = ", ".join(f"'{name}'" for name in ASSET_EXTENSIONS)
    downloads = ", ".join(f"'{name}'" for name in DOWNLOAD_EXTENSIONS)
    return f"CASE WHEN {extension} IN ({assets}) THEN 'asset' WHEN {extension} IN ({downloads}) THEN 'download' " \
           f"ELSE 'page' END"


_VISITOR_DAYS = """
    SELECT day, visitor,
           sum(requests) AS requests, sum(assets) AS assets, sum(pages) AS pages, sum(posts) AS posts,
           sum(fast_posts) AS fast_posts, sum(client_errors) AS client_errors, sum(scans) AS scans,
           max(requests - assets) AS busiest_minute
    FROM (
        SELECT day, visitor, date_trunc('minute', ts_utc) AS minute,
               count(*) AS requests, count(*) FILTER (WHERE asset) AS assets, count(*) FILTER (WHERE page) AS pages,
               count(*) FILTER (WHERE post) AS posts,
               count(*) FILTER (WHERE post AND seconds_since_previous < 3) AS fast_posts,
               count(*) FILTER (WHERE client_error) AS client_errors, count(*) FILTER (WHERE scan) AS scans
        FROM (
            -- Only flags go into the window, not the paths: its rows are held in memory until sorted.
            SELECT day, visitor, ts_utc, asset, page, post, client_error, scan,
                   epoch(ts_utc) - epoch(lag(ts_utc) OVER (PARTITION BY day, visitor ORDER BY ts_utc, file, line))
                       AS seconds_since_previous
            FROM (SELECT day, visitor, ts_utc, file, line, kind = 'asset' AS asset,
                         kind = 'page' AND method = 'GET' AS page, method = 'POST' AS post,
                         status BETWEEN 400 AND 499 AS client_error, regexp_matches(path, ?) AS scan
                  FROM {hits})
        )
        GROUP BY ALL
    )
    GROUP BY day, visitor
"""


def _write_robots(connection: duckdb.DuckDBPyConnection, folder: Path, counts: ImportCounts) -> None:
    """Mark the visitor-days whose behaviour is a robot's, by the first rule each one breaks."""
    hits = f"read_parquet('{_sql_path(folder / HITS)}')"
    assets, requests = connection.execute(
        f"SELECT count(*) FILTER (WHERE kind = 'asset'), count(*) FROM {hits}").fetchone() or (0, 0)
    holds_assets = bool(requests) and assets / requests >= ASSET_SHARE_FOR_RULES
    rules = [rule for rule in BOT_RULES if holds_assets or not rule.needs_assets]
    counts.rules_skipped = [rule.name for rule in BOT_RULES if rule not in rules]
    first_rule = "CASE " + " ".join(f"WHEN {rule.condition} THEN '{rule.name}'" for rule in rules) + " END"
    connection.execute(f"""
        COPY (SELECT day, visitor, {first_rule} AS rule FROM ({_VISITOR_DAYS.format(hits=hits)})
              WHERE {first_rule} IS NOT NULL)
        TO '{_sql_path(folder / ROBOTS)}' (FORMAT parquet)
    """, [SCAN_PATTERN])


def _count(connection: duckdb.DuckDBPyConnection, folder: Path, counts: ImportCounts) -> None:
    hits = hits_sql([folder])
    row = connection.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE bot), count(*) FILTER (WHERE {PAGE_REQUEST}),
               count(*) FILTER (WHERE {PAGE_REQUEST} AND NOT bot), min(ts), max(ts)
        FROM ({hits})""").fetchone()
    assert row is not None
    counts.hits, counts.bot_hits, counts.page_views, counts.human_page_views = (int(value) for value in row[:4])
    counts.first_timestamp, counts.last_timestamp = row[4], row[5]
    counts.rules = {
        rule: {"visitor_days": int(days), "hits": int(flagged), "beyond_agents": int(beyond)}
        for rule, days, flagged, beyond in connection.execute(f"""
            SELECT rule, count(DISTINCT (day, visitor)), count(*), count(*) FILTER (WHERE crawler IS NULL)
            FROM ({hits}) WHERE rule IS NOT NULL GROUP BY rule ORDER BY rule""").fetchall()
    }


def hits_sql(folders: Sequence[Path]) -> str:
    """Every request of the imports in ``folders``, with its agent's description and ``bot``.

    Agents and robot days are joined import by import: visitor keys mean nothing across imports.
    """
    if not folders:
        return ("SELECT * FROM (SELECT NULL::SMALLINT AS file, NULL::BIGINT AS line, NULL::TIMESTAMP AS ts, "
                "NULL::TIMESTAMP AS ts_utc, NULL::DATE AS day, NULL::VARCHAR AS agent, NULL::VARCHAR AS method, "
                "NULL::VARCHAR AS path, NULL::VARCHAR AS query, NULL::SMALLINT AS status, NULL::BIGINT AS bytes, "
                "NULL::VARCHAR AS referrer, NULL::VARCHAR AS address, NULL::UBIGINT AS visitor, "
                "NULL::VARCHAR AS kind, NULL::VARCHAR AS crawler, NULL::VARCHAR AS crawler_name, "
                "NULL::VARCHAR AS browser, NULL::VARCHAR AS os, NULL::VARCHAR AS device, NULL::VARCHAR AS rule, "
                "NULL::BOOLEAN AS bot) WHERE false")
    parts = [f"""
        SELECT h.* EXCLUDE (malformed_text), a.crawler, a.crawler_name, a.browser, a.os, a.device, r.rule,
               (a.crawler IS NOT NULL OR r.rule IS NOT NULL) AS bot
        FROM read_parquet('{_sql_path(folder / HITS)}') h
        LEFT JOIN read_parquet('{_sql_path(folder / AGENTS)}') a USING (agent)
        LEFT JOIN read_parquet('{_sql_path(folder / ROBOTS)}') r USING (day, visitor)
    """ for folder in folders]
    return " UNION ALL ".join(parts)


# A page request: GET, answered 2xx or 304, for a page (not an asset or a download).
PAGE_REQUEST = "method = 'GET' AND (status BETWEEN 200 AND 299 OR status = 304) AND kind = 'page'"


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def remove_folder(folder: Path) -> None:
    """Delete an import's folder; moved aside first, so no reader sees it half deleted."""
    if not folder.exists():
        return
    doomed = folder.with_name(f".{folder.name}.{secrets.token_hex(4)}.removing")
    os.rename(folder, doomed)
    shutil.rmtree(doomed, ignore_errors=True)


def remove_unfinished(destination: Path) -> list[Path]:
    """Remove what builds of ``destination`` that died left behind (its hidden ``.…building`` and
    ``.…removing`` folders); other imports' builds, perhaps running elsewhere, are left alone."""
    removed = []
    for pattern in (f".{destination.name}.*.building", f".{destination.name}.*.removing",
                    f".{destination.name}.spill"):
        for leftover in destination.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed



# ---------------------------------------------------------------------------------------------
# Reading: what the views and the command show
# ---------------------------------------------------------------------------------------------

# Referring hosts by group, matched on whole labels: "google" is www.google.dk and google.com, not mygoogle.dk.
SEARCH_ENGINES = r"(^|\.)(google|bing|duckduckgo|yahoo|ecosia|yandex|baidu|startpage|qwant|kvasir|jubii)\.[a-z.]+$"
SOCIAL_SITES = (r"(^|\.)((facebook|linkedin|twitter|instagram|youtube|reddit|pinterest|tiktok)\.[a-z.]+"
                r"|t\.co|x\.com|fb\.me|lnkd\.in)$")
# Webmail, and the mail apps that send android-app://<package>/ as their referrer.
MAIL_SITES = (r"^((mail\.google|outlook\.(live|office|office365)|mail\.yahoo|webmail\.[a-z0-9-]+)\..*"
              r"|com\.google\.android\.gm|com\.microsoft\.office\.outlook)$")
NEWSLETTER_MARKERS = ("utm_medium=email", "utm_source=nyhedsbrev", "utm_source=newsletter", "utm_medium=e-mail")


@dataclass(frozen=True)
class Area:
    pattern: str   # a path prefix ("/netvaerk/") or a glob with * ("/viden/*/guide")
    name: str


@dataclass(frozen=True)
class Scope:
    """What a view reads: the completed imports, a date range (in the log's local time) and the settings."""

    folders: tuple[Path, ...]
    first_day: date | None = None
    last_day: date | None = None
    search_parameters: tuple[str, ...] = DEFAULT_SEARCH_PARAMETERS
    partner_hosts: tuple[str, ...] = ()
    own_hosts: tuple[str, ...] = ()
    areas: tuple[Area, ...] = ()
    analytics: tuple[tuple[str, Path], ...] = ()   # (source, folder) of analytics exports


class Reader:
    """One DuckDB connection over a scope's files; use as a context manager."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.connection = connect(memory_limit="256MB")
        self.connection.execute(f"CREATE TEMP VIEW all_hits AS {hits_sql(scope.folders)}")
        where = []
        if scope.first_day:
            where.append(f"day >= DATE '{scope.first_day.isoformat()}'")
        if scope.last_day:
            where.append(f"day <= DATE '{scope.last_day.isoformat()}'")
        self.connection.execute(
            f"CREATE TEMP VIEW hits AS SELECT * FROM all_hits {'WHERE ' + ' AND '.join(where) if where else ''}")
        self.connection.execute(f"CREATE TEMP VIEW page_views AS SELECT * FROM hits WHERE {PAGE_REQUEST} AND NOT bot")
        self.connection.execute(f"""
            CREATE TEMP VIEW visit_views AS
            SELECT *, sum(new_visit) OVER (PARTITION BY day, visitor ORDER BY ts_utc, file, line
                                           ROWS UNBOUNDED PRECEDING) AS visit
            FROM (SELECT *, CASE WHEN lag(ts_utc) OVER (PARTITION BY day, visitor ORDER BY ts_utc, file, line)
                                      >= ts_utc - INTERVAL {VISIT_GAP_MINUTES} MINUTE THEN 0 ELSE 1 END AS new_visit
                  FROM page_views)
        """)
        # Every page of the views reads the visits several times: they are worked out once per reader.
        self.connection.execute("""
            CREATE TEMP TABLE visits AS
            SELECT day, visitor, visit, count(*) AS views, min(ts) AS started,
                   first(path ORDER BY ts_utc, file, line) AS entry_page,
                   last(path ORDER BY ts_utc, file, line) AS exit_page,
                   first(referrer ORDER BY ts_utc, file, line) AS referrer,
                   first(query ORDER BY ts_utc, file, line) AS entry_query,
                   any_value(device) AS device, any_value(browser) AS browser, any_value(os) AS os
            FROM visit_views GROUP BY day, visitor, visit
        """)

        exports = [f"SELECT '{_sql_text(source)}' AS source, * FROM read_parquet('{_sql_path(folder / PAGE_VIEWS)}')"
                   for source, folder in scope.analytics]
        empty = "SELECT NULL::VARCHAR AS source, NULL::DATE AS first_day, NULL::DATE AS last_day, " \
                "NULL::VARCHAR AS path, NULL::BIGINT AS page_views WHERE false"
        self.connection.execute(f"CREATE TEMP VIEW exported AS {' UNION ALL '.join(exports) or empty}")

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.connection.close()

    def rows(self, sql: str, parameters: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, parameters).fetchall()

    def one(self, sql: str, parameters: Sequence[Any] | None = None) -> tuple[Any, ...]:
        row = self.connection.execute(sql, parameters).fetchone()
        assert row is not None
        return row

    # --- totals -------------------------------------------------------------------------------

    def totals(self) -> dict[str, Any]:
        hits, bot_hits, valid, goaccess_visitors, downloads, not_found, first, last = self.one("""
            SELECT count(*), count(*) FILTER (WHERE bot), count(*),
                   count(DISTINCT (day, visitor)) FILTER (WHERE status NOT BETWEEN 400 AND 499),
                   count(*) FILTER (WHERE kind = 'download' AND method = 'GET' AND status BETWEEN 200 AND 299
                                    AND NOT bot),
                   count(*) FILTER (WHERE status = 404 AND NOT bot), min(ts), max(ts)
            FROM hits""")
        page_requests, = self.one(f"SELECT count(*) FROM hits WHERE {PAGE_REQUEST}")
        page_views, daily_visitors = self.one("SELECT count(*), count(DISTINCT (day, visitor)) FROM page_views")
        visits, bounces = self.one("SELECT count(*), count(*) FILTER (WHERE views = 1) FROM visits")
        return {
            "hits": hits, "bot_hits": bot_hits, "human_hits": hits - bot_hits,
            "page_views": page_requests, "human_page_views": page_views,
            "visits": visits, "unique_visitors_daily_sum": daily_visitors,
            "pages_per_visit": round(page_views / visits, 2) if visits else None,
            "bounce_rate": round(bounces / visits, 4) if visits else None,
            "downloads": downloads, "not_found": not_found,
            "goaccess_unique_visitors": goaccess_visitors, "goaccess_valid_requests": valid,
            "first_timestamp": first.isoformat() if first else None,
            "last_timestamp": last.isoformat() if last else None,
        }

    # --- tables ---------------------------------------------------------------------------------

    def top_pages(self, limit: int = 20) -> list[tuple[str, int, int, int]]:
        """(path, page views, entries, exits), most viewed first."""
        return self.rows(f"""
            SELECT p.path, p.views, coalesce(e.entries, 0), coalesce(x.exits, 0)
            FROM (SELECT path, count(*) AS views FROM page_views GROUP BY path) p
            LEFT JOIN (SELECT entry_page AS path, count(*) AS entries FROM visits GROUP BY 1) e USING (path)
            LEFT JOIN (SELECT exit_page AS path, count(*) AS exits FROM visits GROUP BY 1) x USING (path)
            ORDER BY p.views DESC, p.path LIMIT {int(limit)}""")

    def downloads(self, limit: int = 20) -> list[tuple[str, int]]:
        return self.rows(f"""SELECT path, count(*) FROM hits WHERE kind = 'download' AND method = 'GET'
                             AND status BETWEEN 200 AND 299 AND NOT bot GROUP BY path ORDER BY 2 DESC, 1
                             LIMIT {int(limit)}""")

    def not_found(self, limit: int = 20) -> list[tuple[str, int, int]]:
        """(path, requests by people, requests by robots) of 404 answers."""
        return self.rows(f"""SELECT path, count(*) FILTER (WHERE NOT bot), count(*) FILTER (WHERE bot)
                             FROM hits WHERE status = 404 GROUP BY path ORDER BY 2 DESC, 3 DESC, 1
                             LIMIT {int(limit)}""")

    def trend(self, unit: str) -> list[tuple[date, int, int, int]]:
        """(first day of the week or month, page views, visits, sum of daily unique visitors)."""
        if unit not in ("day", "week", "month"):
            raise ValueError(unit)
        return self.rows(f"""
            SELECT CAST(date_trunc('{unit}', v.day) AS DATE) AS period, sum(v.views), count(*),
                   count(DISTINCT (v.day, v.visitor))
            FROM visits v GROUP BY period ORDER BY period""")

    def hour_of_week(self) -> list[tuple[int, int, int]]:
        """(ISO weekday 1–7, hour 0–23, page views) in the log's local time."""
        return self.rows("SELECT isodow(ts), hour(ts), count(*) FROM page_views GROUP BY ALL ORDER BY 1, 2")

    def referrers(self, limit: int = 20) -> list[tuple[str, str, int]]:
        """(group, referring host, visits) for the first page view of each visit."""
        return self.rows(f"SELECT source, host, count(*) FROM ({self._visit_sources_sql()}) "
                         f"GROUP BY ALL ORDER BY 3 DESC, 1, 2 LIMIT {int(limit)}")

    def referrer_groups(self) -> list[tuple[str, int]]:
        return self.rows(f"SELECT source, count(*) FROM ({self._visit_sources_sql()}) GROUP BY 1 ORDER BY 2 DESC, 1")

    def _visit_sources_sql(self) -> str:
        """Each visit's group (``_source_sql``) and referring host ("" when none)."""
        return f"""
            SELECT {self._source_sql()} AS source, coalesce(host, '') AS host FROM (
                SELECT lower(regexp_extract(referrer, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)) AS host,
                       referrer, coalesce(entry_query, '') AS entry_query FROM visits)"""

    def _source_sql(self) -> str:
        def host_in(hosts: Sequence[str]) -> str:
            return " OR ".join(f"(host = '{_sql_text(h)}' OR ends_with(host, '.{_sql_text(h)}'))"
                               for h in hosts) or "false"

        newsletter = " OR ".join(f"contains(lower(entry_query), '{marker}')" for marker in NEWSLETTER_MARKERS)
        return f"""CASE WHEN {newsletter} OR regexp_matches(host, '{MAIL_SITES}') THEN 'newsletter'
                        WHEN referrer IS NULL OR host = '' THEN 'direct'
                        WHEN {host_in(self.scope.own_hosts)} THEN 'internal'
                        WHEN {host_in(self.scope.partner_hosts)} THEN 'partner'
                        WHEN regexp_matches(host, '{SEARCH_ENGINES}') THEN 'search'
                        WHEN regexp_matches(host, '{SOCIAL_SITES}') THEN 'social'
                        ELSE 'other' END"""

    def search_terms(self, limit: int = 30) -> list[tuple[str, int]]:
        if not self.scope.search_parameters:
            return []
        names = "|".join(_sql_text(re.escape(name)) for name in self.scope.search_parameters)
        # A term written in Latin-1 (%F8 for ø) is no UTF-8 when decoded: it is shown as it was sent.
        return self.rows(f"""
            SELECT term, count(*) FROM (
                SELECT lower(trim(coalesce(try(url_decode(raw)), raw))) AS term FROM (
                    SELECT replace(regexp_extract(query, '(?:^|&)(?:{names})=([^&]*)', 1), '+', ' ') AS raw
                    FROM hits WHERE query IS NOT NULL AND NOT bot AND method = 'GET' AND status < 400))
            WHERE term <> '' GROUP BY term ORDER BY 2 DESC, 1 LIMIT {int(limit)}""")

    def technology(self, column: str, limit: int = 12) -> list[tuple[str, int]]:
        """Visits by ``device``, ``browser`` or ``os``."""
        if column not in ("device", "browser", "os"):
            raise ValueError(column)
        return self.rows(f"SELECT coalesce({column}, 'Other'), count(*) FROM visits GROUP BY 1 "
                         f"ORDER BY 2 DESC, 1 LIMIT {int(limit)}")

    def robots(self) -> list[tuple[str, str, int]]:
        """(how recognised: a crawler category or a behaviour rule, crawler name, hits)."""
        return self.rows("""
            SELECT coalesce(crawler, 'rule:' || rule), coalesce(nullif(crawler_name, ''), ''), count(*)
            FROM hits WHERE bot GROUP BY ALL ORDER BY 3 DESC, 1, 2""")

    def humans_and_robots(self) -> list[tuple[date, int, int]]:
        """(day, hits by people, hits by robots)."""
        return self.rows("SELECT day, count(*) FILTER (WHERE NOT bot), count(*) FILTER (WHERE bot) "
                         "FROM hits GROUP BY day ORDER BY day")

    # --- content areas --------------------------------------------------------------------------

    def _area_sql(self) -> str:
        cases = " ".join(f"WHEN path LIKE '{_sql_text(_like(area.pattern))}' ESCAPE '\\' "
                         f"THEN '{_sql_text(area.name)}'"
                         for area in self.scope.areas)
        return f"CASE {cases} ELSE '' END" if cases else "''"

    def areas_by_month(self) -> list[tuple[date, str, int]]:
        """(month, area name or "" for pages outside every area, page views)."""
        return self.rows(f"""SELECT CAST(date_trunc('month', day) AS DATE), {self._area_sql()} AS area, count(*)
                             FROM page_views GROUP BY ALL ORDER BY 1, 2""")

    def unvisited_pages(self, limit: int = 50) -> list[tuple[str, str, int]]:
        """Pages known from any request in every import (robots find them all) that no person viewed in
        the range: (path, area, robot requests in the range)."""
        return self.rows(f"""
            SELECT path, {self._area_sql()} AS area, coalesce(r.requests, 0)
            FROM (SELECT DISTINCT path FROM all_hits WHERE kind = 'page' AND method = 'GET'
                  AND status BETWEEN 200 AND 299) known
            LEFT JOIN (SELECT path, count(*) AS requests FROM hits WHERE bot GROUP BY path) r USING (path)
            WHERE path NOT IN (SELECT path FROM page_views)
            ORDER BY 3 DESC, 1 LIMIT {int(limit)}""")


    def exported_by_month(self) -> list[tuple[date, str, int]]:
        """(month, source, page views) from analytics exports; a row for a longer period counts in the month
        it starts, so only exports per day or per month compare with the log month by month."""
        where = []
        if self.scope.first_day:
            where.append(f"first_day >= DATE '{self.scope.first_day.isoformat()}'")
        if self.scope.last_day:
            where.append(f"last_day <= DATE '{self.scope.last_day.isoformat()}'")
        return self.rows(f"""SELECT CAST(date_trunc('month', first_day) AS DATE), source, sum(page_views)
                             FROM exported {'WHERE ' + ' AND '.join(where) if where else ''}
                             GROUP BY ALL ORDER BY 1, 2""")

    def page_views_by_month(self) -> list[tuple[date, int]]:
        return self.rows("SELECT CAST(date_trunc('month', day) AS DATE), count(*) FROM page_views "
                         "GROUP BY 1 ORDER BY 1")


def _like(pattern: str) -> str:
    """A path prefix or glob as a LIKE pattern (escaped with \\): "/netvaerk/" matches everything under it."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%")
    return escaped if "*" in pattern else escaped + "%"


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


# ---------------------------------------------------------------------------------------------
# Analytics exports and retention
# ---------------------------------------------------------------------------------------------

PAGE_VIEWS = "pageviews.parquet"
_PAGE_VIEWS_SCHEMA = pa.schema([("first_day", pa.date32()), ("last_day", pa.date32()), ("path", pa.string()),
                                ("page_views", pa.int64())])


def build_page_views(rows: Sequence[tuple[date, date, str, int]], destination: Path) -> None:
    """An analytics export's (first day, last day, path, page views) as an import folder, all or nothing."""
    with _building(destination) as building:
        table = pa.table([list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], []],
                         schema=_PAGE_VIEWS_SCHEMA)
        pq.write_table(table, building / PAGE_VIEWS)


def prune(folder: Path, cutoff: date) -> tuple[int, date | None, date | None]:
    """Delete an import's requests (or page views) from before ``cutoff``, replacing each file in one step.

    Returns the rows left and the first and last day left (None when nothing is).
    """
    connection = connect(spill=folder.with_name(f".{folder.name}.spill"))
    try:
        if (folder / PAGE_VIEWS).exists():
            names, day = [PAGE_VIEWS], "first_day"
        else:
            names, day = [HITS, ROBOTS], "day"
        for name in names:
            source, kept = folder / name, folder / f".{name}.kept"
            connection.execute(f"""COPY (SELECT * FROM read_parquet('{_sql_path(source)}')
                                         WHERE {day} >= DATE '{cutoff.isoformat()}')
                                   TO '{_sql_path(kept)}' (FORMAT parquet)""")
            os.replace(kept, source)
        last = "last_day" if day == "first_day" else "day"
        left, first_left, last_left = connection.execute(
            f"SELECT count(*), min({day}), max({last}) FROM read_parquet('{_sql_path(folder / names[0])}')"
        ).fetchone() or (0, None, None)
    finally:
        connection.close()
        shutil.rmtree(folder.with_name(f".{folder.name}.spill"), ignore_errors=True)
    return int(left), first_left, last_left
