"""Parsers of user-written structure: access-log format strings, and the rows of a read table mapped to activity
records or workshop assumptions. Any input gives a result or the module's own worded error, nothing else."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.archive import activities
from evidens.archive.choices import ActivityTable
from evidens.evidence.workshop import read_assumptions
from evidens.stakeholders.importing import Table
from evidens.webstats.logformat import LogFormatError, log_format

MODEST = settings(max_examples=150, deadline=5000)

DIRECTIVES = st.sampled_from(["%h", "%l", "%u", "%t", "%r", "%>s", "%s", "%b", "%{Referer}i", "%{User-Agent}i",
                              "%D", "%T", "%v", "%{%d/%b/%Y}t", "%%", "%{", "%", "$remote_addr", "$time_local",
                              "$request", "$status", "${body_bytes_sent}", "$http_user_agent", "$", "${",
                              '"', " ", "[", "]", "(", ")", "\\", "*", "+", "?", "|", "^", "'", "\n"])


@MODEST
@given(st.one_of(st.text(max_size=60), st.lists(DIRECTIVES, max_size=14).map("".join)))
def test_a_format_string_gives_a_pattern_duckdb_compiles_or_a_format_error(text: str) -> None:
    try:
        parsed = log_format(text)
    except LogFormatError as error:
        assert str(error)
        return
    assert "time" in parsed.fields or "time_iso" in parsed.fields
    # The pattern goes into DuckDB's RE2 as an SQL string, with quotes doubled as the warehouse does.
    pattern = parsed.pattern.replace("'", "''")
    duckdb.connect().execute(f"SELECT regexp_matches('127.0.0.1 - - [x]', '{pattern}')").fetchall()


CELLS = st.one_of(st.none(), st.text(max_size=20), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                  st.booleans(), st.dates(), st.datetimes(), st.sampled_from(["", " ", "ja", "nej", "2025-13-40",
                                                                              "31-12-2024", "1.234,5", "NaN"]))


def _tables(headers: list[str]) -> st.SearchStrategy[Table]:
    """Tables with these headers and any cells, as ``read_table`` gives them (every row as wide as the header)."""
    width = len(headers)
    rows = st.lists(st.lists(CELLS, min_size=width, max_size=width), max_size=6)
    return rows.map(lambda cells: Table(headers=headers,
                                        rows=[(number, row) for number, row in enumerate(cells, start=2)]))


HEADERS = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["ID", "Titel", "Dato", "Type", "Organisation", "Arrangement", "Deltog", "Start", "Slut", "Antal",
     "Antagelse", "Udfordring", "Vigtighed", "Kanaler", "Skal være sandt"])), min_size=1, max_size=6, unique=True)


@MODEST
@given(st.sampled_from(list(ActivityTable)), HEADERS.flatmap(_tables))
def test_any_table_maps_to_activity_records_and_problems(table_kind: str, table: Table) -> None:
    mapping = activities.guess_mapping(table.headers, table_kind)
    records = activities.read_records(table, mapping, table_kind)
    for record in records.records:
        activities.display_values(record, table_kind)
    for issue in records.issues:
        assert str(issue)


@MODEST
@given(HEADERS.flatmap(_tables))
def test_any_table_gives_assumptions_and_problems(table: Table) -> None:
    rows, issues = read_assumptions(table)
    with_issues = {issue.row for issue in issues}
    assert all(row.statement or row.row in with_issues for row in rows)
    assert all(str(issue) for issue in issues)


def test_a_superscript_importance_is_a_problem_not_a_crash() -> None:
    table = Table(headers=["Antagelse", "Vigtighed"], rows=[(2, ["Medlemmerne læser nyhedsbrevet", "²"])])
    _rows, issues = read_assumptions(table)
    assert [issue.code for issue in issues] == ["bad_number"]

