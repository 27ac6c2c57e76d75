"""Access-log format strings (``evidens.webstats.logformat``): the named formats, Apache and nginx syntax, the
layouts that may be cut at quotes, and the errors a format string can have.

The patterns are checked with DuckDB's own ``regexp_extract`` (RE2), the engine the warehouse runs them in, on
lines written by hand in the layout each server documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from django.utils import translation

from evidens.webstats.logformat import COMBINED, COMMON, NGINX_COMBINED, LogFormatError, log_format
from evidens.webstats.warehouse import HITS, build_import

# A combined line as Apache writes it (the example of Apache's own log documentation, with a user agent).
APACHE_LINE = ('127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 '
               '"http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"')


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English, the msgids, unless a test switches to Danish itself."""
    with translation.override("en"):
        yield


def extract(text: str, line: str) -> dict[str, str] | None:
    """The fields of ``line`` read with the format's pattern by RE2, or None when the line does not match."""
    parsed = log_format(text)
    connection = duckdb.connect()
    matched, = connection.execute("SELECT regexp_matches(?, ?)", [line, parsed.pattern]).fetchone() or (False,)
    if not matched:
        return None
    fields = {}
    for index, name in enumerate(parsed.fields, start=1):
        fields[name], = connection.execute("SELECT regexp_extract(?, ?, ?)", [line, parsed.pattern, index]).fetchone() \
            or ("",)
    return fields


def refused(text: str) -> str:
    with pytest.raises(LogFormatError) as caught:
        log_format(text)
    return str(caught.value)


# --- named formats and layouts ---------------------------------------------------------------------------


def test_the_named_formats_are_found_by_name_whatever_the_case_and_spaces() -> None:
    assert log_format("combined").layout == "combined"
    assert log_format("  Combined ").layout == "combined"
    assert log_format("COMMON").layout == "common"
    assert log_format("combined").fields == ("host", "user", "time", "request", "status", "bytes", "referrer",
                                             "agent")
    assert log_format("common").fields == ("host", "user", "time", "request", "status", "bytes")
    assert log_format("combined").has_agent
    assert not log_format("common").has_agent
    assert log_format(" combined ").text == " combined "  # kept as the user gave it


def test_the_formats_written_out_are_recognised_by_their_layout() -> None:
    assert log_format(COMBINED).layout == "combined"
    assert log_format(COMMON).layout == "common"
    assert log_format(NGINX_COMBINED).layout == "combined"
    # nginx's braces around a variable name change nothing.
    assert log_format('${remote_addr} - ${remote_user} [${time_local}] "${request}" ${status} ${body_bytes_sent} '
                      '"${http_referer}" "${http_user_agent}"').layout == "combined"
    # %a (client IP) and %O (bytes sent) are other names for the same fields, so the layout is the same.
    assert log_format('%a %l %u %t "%r" %s %O "%{Referer}i" "%{User-agent}i"').layout == "combined"


def test_a_format_with_more_fields_than_combined_has_no_layout() -> None:
    # Apache's vhost_combined, followed by the time taken (%D): a leading virtual host cannot be cut at quotes.
    parsed = log_format('%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D')
    assert parsed.layout is None
    assert parsed.fields == ("host", "user", "time", "request", "status", "bytes", "referrer", "agent")


# --- patterns, read by RE2 ---------------------------------------------------------------------------------


def test_the_combined_pattern_reads_apaches_example_line() -> None:
    assert extract("combined", APACHE_LINE) == {
        "host": "127.0.0.1", "user": "frank", "time": "10/Oct/2000:13:55:36 -0700",
        "request": "GET /apache_pb.gif HTTP/1.0", "status": "200", "bytes": "2326",
        "referrer": "http://www.example.com/start.html", "agent": "Mozilla/4.08 [en] (Win98; I ;Nav)",
    }


def test_the_common_pattern_reads_the_line_without_referrer_and_agent() -> None:
    line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 -'
    assert extract("common", line) == {
        "host": "127.0.0.1", "user": "frank", "time": "10/Oct/2000:13:55:36 -0700",
        "request": "GET /apache_pb.gif HTTP/1.0", "status": "200", "bytes": "-",
    }


def test_a_quote_that_apache_escaped_stays_inside_its_field() -> None:
    # Apache writes a " inside a quoted field as \" (mod_log_config escapes it), so the field ends at the
    # first unescaped quote.
    line = APACHE_LINE.replace('"Mozilla/4.08 [en] (Win98; I ;Nav)"', r'"Mozilla/5.0 (compatible; \"Evil\" Bot)"')
    fields = extract("combined", line)
    assert fields is not None
    assert fields["agent"] == r"Mozilla/5.0 (compatible; \"Evil\" Bot)"
    assert fields["referrer"] == "http://www.example.com/start.html"


def test_a_line_cut_short_inside_the_user_agent_still_matches() -> None:
    # GoAccess counts such a line (one in the elastic sample log): the closing quote may be missing at the end.
    fields = extract("combined", APACHE_LINE[:-len('Nav)"')])
    assert fields is not None
    assert fields["agent"] == "Mozilla/4.08 [en] (Win98; I ;"
    # Cut inside the referrer, the line no longer matches: the quote between referrer and agent is required.
    assert extract("combined", APACHE_LINE.split(' "Mozilla')[0][:-5]) is None


def test_a_common_line_does_not_match_the_combined_pattern() -> None:
    line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'
    assert extract("combined", line) is None


def test_a_custom_apache_format_with_virtual_host_and_duration() -> None:
    text = '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i" %D'
    line = ('www.almennet.dk:443 192.0.2.7 - - [03/Mar/2025:09:00:00 +0100] "GET /viden/ HTTP/2.0" 200 5120 '
            '"https://www.google.com/" "Mozilla/5.0 (X11; Linux x86_64)" 1234')
    assert extract(text, line) == {
        "host": "192.0.2.7", "user": "-", "time": "03/Mar/2025:09:00:00 +0100", "request": "GET /viden/ HTTP/2.0",
        "status": "200", "bytes": "5120", "referrer": "https://www.google.com/",
        "agent": "Mozilla/5.0 (X11; Linux x86_64)",
    }


def test_an_nginx_format_with_iso_time_and_request_time() -> None:
    text = ('$remote_addr - $remote_user [$time_iso8601] "$request" $status $body_bytes_sent "$http_referer" '
            '"$http_user_agent" $request_time')
    parsed = log_format(text)
    assert parsed.layout is None
    assert "time_iso" in parsed.fields and "time" not in parsed.fields
    line = ('2001:db8:1:2::5 - - [2025-03-03T09:00:00+01:00] "GET /soeg?q=renovering HTTP/1.1" 200 812 "-" '
            '"Mozilla/5.0 (X11; Linux x86_64)" 0.004')
    assert extract(text, line) == {
        "host": "2001:db8:1:2::5", "user": "-", "time_iso": "2025-03-03T09:00:00+01:00",
        "request": "GET /soeg?q=renovering HTTP/1.1", "status": "200", "bytes": "812", "referrer": "-",
        "agent": "Mozilla/5.0 (X11; Linux x86_64)",
    }


def test_method_path_and_query_as_separate_nginx_fields() -> None:
    text = '$remote_addr [$time_local] "$request_method $uri?$args" $status'
    assert log_format(text).fields == ("host", "time", "method", "path", "query", "status")
    assert extract(text, '192.0.2.7 [03/Mar/2025:09:00:00 +0100] "GET /soeg?q=b%C3%B8rn" 200') == {
        "host": "192.0.2.7", "time": "03/Mar/2025:09:00:00 +0100", "method": "GET", "path": "/soeg",
        "query": "q=b%C3%B8rn", "status": "200",
    }


def test_literal_characters_that_regular_expressions_treat_specially_are_matched_as_themselves() -> None:
    # "|", "(", ")", "+", "." and a literal percent sign (%%) around the fields.
    text = '(%h) | %t | "%r" | %>s+%% | "%{User-Agent}i".'
    line = '(192.0.2.7) | [03/Mar/2025:09:00:00 +0100] | "GET / HTTP/1.1" | 200+% | "curl/8.5".'
    assert extract(text, line) == {"host": "192.0.2.7", "time": "03/Mar/2025:09:00:00 +0100",
                                   "request": "GET / HTTP/1.1", "status": "200", "agent": "curl/8.5"}
    assert extract(text, line.replace("|", "/")) is None


def test_a_pattern_has_one_group_per_field() -> None:
    # The patterns use only what RE2 and Python's re share, so Python can count the groups.
    for text in ("combined", "common", NGINX_COMBINED, '%v %h %t "%r" %>s %D', '%h %t "%m %U" %s'):
        parsed = log_format(text)
        assert re.compile(parsed.pattern).groups == len(parsed.fields), text


# --- errors ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_format_is_refused(text: str) -> None:
    assert refused(text) == "The log format is empty."


def test_a_format_without_time_is_refused() -> None:
    assert "no time" in refused('%h %l %u "%r" %>s %b')


def test_a_format_without_status_is_refused() -> None:
    assert "no status code" in refused('%h %l %u %t "%r" %b')


def test_a_format_without_client_address_is_refused() -> None:
    # Behind a proxy the address is often logged as a header; it is not taken for the client's address.
    assert "no client address" in refused('%{X-Forwarded-For}i %l %u %t "%r" %>s %b')


def test_a_format_without_request_is_refused() -> None:
    assert "no request" in refused("%h %l %u %t %>s %b")


def test_a_field_named_twice_is_refused() -> None:
    assert refused('%h %a %t "%r" %>s') == "The format names host more than once."
    assert "status" in refused("$remote_addr [$time_local] \"$request\" $status %>s")


def test_two_fields_without_anything_between_them_are_refused() -> None:
    message = refused('%h%u %t "%r" %>s')
    assert message.startswith("Two fields follow each other with nothing between them")
    assert '%h%u %t "%r" %>s' in message  # the format is quoted, so the user sees where
    # Skipped directives count as fields: there is no telling where %D ends and %h begins either.
    assert "Two fields follow each other" in refused('%D%h %t "%r" %>s')
    assert "Two fields follow each other" in refused('$remote_addr$remote_user [$time_local] "$request" $status')


def test_a_time_with_its_own_layout_is_refused() -> None:
    message = refused('%h %l %u %{%d/%b/%Y:%H:%M:%S %z}t "%r" %>s %b')
    assert message.startswith("A time with its own layout")


def test_the_time_layout_message_shows_the_directives_as_written() -> None:
    message = refused('%h %l %u %{%d/%b/%Y:%H:%M:%S %z}t "%r" %>s %b')
    assert "%{…}t" in message and "%t" in message
    assert "%%" not in message


def test_log_format_error_is_a_value_error() -> None:
    assert issubclass(LogFormatError, ValueError)


@pytest.mark.parametrize(("text", "danish_words"), [
    ("", ("tom",)),                                  # "Logformatet er tomt."
    ('%h %l %u "%r" %>s %b', ("tid",)),              # "Formatet har intet tidspunkt …"
    ('%h %l %u %t "%r" %b', ("statuskode",)),
    ("%h %l %u %t %>s %b", ("forespørgsel", "anmodning")),
    ('%{X-Forwarded-For}i %t "%r" %>s', ("klient",)),
    ('%h %a %t "%r" %>s', ("mere end", "flere gange")),
    ('%h%u %t "%r" %>s', ("felter",)),
    ('%h %{%d}t "%r" %>s', ("tidspunkt", "tid ")),
])
def test_errors_are_in_danish_in_a_danish_locale(text: str, danish_words: tuple[str, ...]) -> None:
    english = refused(text)
    with translation.override("da"):
        danish = refused(text)
    assert danish != english
    assert any(word in danish.lower() for word in danish_words), danish


def test_apaches_path_and_query_written_together_read_as_one_address(tmp_path: Path) -> None:
    log_format_ = log_format('%h %l %u %t "%m %U%q %H" %>s %b')
    assert "query" not in log_format_.fields
    line = '192.0.2.1 - - [17/May/2015:10:05:03 +0000] "GET /soeg?q=renovering HTTP/1.1" 200 512\n'
    (tmp_path / "a.log").write_text(line, encoding="utf-8")
    counts = build_import([tmp_path / "a.log"], log_format_, tmp_path / "import")
    assert counts.parsed == 1
    rows = duckdb.read_parquet(str(tmp_path / "import" / HITS)).project("method, path, query").fetchall()
    assert rows == [("GET", "/soeg", "q=renovering")]
