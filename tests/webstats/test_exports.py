"""Reading GA4 and Matomo exports of page views per page (``evidens.webstats.exports``).

The fixtures and where their layouts come from are described in ``tests/data/analytics/README.md``. Every expected
value below was worked out by hand from the lines of the fixture; the comments show the sums.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.webstats.exports import (
    AnalyticsExport,
    ExportFormatError,
    PageViews,
    normalise_path,
    read_analytics_export,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "analytics"
XLSX = Path(__file__).resolve().parent.parent / "data" / "xlsform" / "group.xlsx"

GA4_EN = DATA / "ga4_pages_and_screens_en_date.csv"
GA4_DA = DATA / "ga4_pages_and_screens_da_excel.csv"
GA4_API = DATA / "ga4_data_api_flat.csv"
MATOMO_DAYS = DATA / "matomo_pages_per_day.tsv"
MATOMO_MONTH = DATA / "matomo_Actions.getPageUrls_2025-03-01_2025-03-31.csv"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English, the msgids, so the tests hold whether or not a translation exists."""
    with translation.override("en"):
        yield


def read(path: Path) -> AnalyticsExport:
    return read_analytics_export(path.read_bytes(), path.name)


def day(text: str) -> date:
    return date.fromisoformat(text)


def views(first: str, path: str, count: int, last: str | None = None) -> PageViews:
    return PageViews(first_day=day(first), last_day=day(last or first), path=path, page_views=count)


def refused(data: bytes, filename: str = "pages.csv") -> str:
    with pytest.raises(ExportFormatError) as caught:
        read_analytics_export(data, filename)
    return str(caught.value)


# --- the five layouts ------------------------------------------------------------------------------------------


def test_ga4_english_report_with_date_dimension() -> None:
    export = read(GA4_EN)
    assert export.source == "ga4"
    # "# Start date: 20250301" on line 8, "# End date: 20250303" on line 9.
    assert (export.first_day, export.last_day) == (day("2025-03-01"), day("2025-03-03"))
    assert export.rows == [
        views("2025-03-01", "/", 120),
        views("2025-03-01", "/viden/", 45),
        views("2025-03-02", "/", 98),
        views("2025-03-02", "/arrangementer/", 15),  # lines 16 and 17: 12 + 3, the same path and day twice
        views("2025-03-02", "/viden/artikel-om-renovering", 1234),  # line 14: "1,234", quoted
        views("2025-03-03", "/", 0),  # line 21: a page with no views is still a page
        views("2025-03-03", "/bolig/æblehaven", 5),
        views("2025-03-03", "/søg/,kurser", 7),  # line 18: a quoted path holding the delimiter
    ]
    # Line 20 is "(not set)" with 2 views; nothing else is left out.
    assert [line for line, _reason in export.skipped] == [20]
    assert "(not set)" in export.skipped[0][1] and "2 page views" in export.skipped[0][1]
    # The Views column adds up to 120+45+1234+98+12+3+7+5+2+0 = 1526: 1524 imported and 2 skipped.
    assert sum(row.page_views for row in export.rows) == 1524


def test_ga4_danish_report_saved_by_danish_excel_without_date_dimension() -> None:
    export = read(GA4_DA)  # Windows-1252, semicolons, CRLF, Danish headers, "2.345" thousands
    assert export.source == "ga4"
    # "# Startdato: 20250201;;;" and "# Slutdato: 20250228;;;": the whole period for every row.
    february = ("2025-02-01", "2025-02-28")
    assert (export.first_day, export.last_day) == tuple(day(text) for text in february)
    assert export.rows == [
        views(february[0], "/", 2345, last=february[1]),
        views(february[0], "/bolig/æblehaven", 15, last=february[1]),
        views(february[0], "/kurser/kursus-i-beboerdemokrati", 420, last=february[1]),  # lines 15-16: 412 + 8
        views(february[0], "/om-os/", 87, last=february[1]),
        views(february[0], "/viden/", 1018, last=february[1]),
    ]
    # Line 18 is "(other);1.500": GA4 grouped the rest; Visninger adds up to 2345+1018+87+412+8+15+1500 = 5385.
    assert [line for line, _reason in export.skipped] == [18]
    assert "(other)" in export.skipped[0][1] and "1500 page views" in export.skipped[0][1]
    assert sum(row.page_views for row in export.rows) == 5385 - 1500


def test_ga4_data_api_flat_table() -> None:
    export = read(GA4_API)
    assert export.source == "ga4"
    # No comment lines: the period is that of the rows' dates, 20250301 to 20250303.
    assert (export.first_day, export.last_day) == (day("2025-03-01"), day("2025-03-03"))
    assert export.rows == [
        views("2025-03-01", "/", 120),
        views("2025-03-01", "/viden/", 45),
        views("2025-03-02", "/", 98),
        views("2025-03-02", "/viden/artikel-om-renovering", 1234),
        views("2025-03-03", "/kontakt", 6),
        views("2025-03-03", "/søg/", 3),  # "/s%C3%B8g/" decoded, as GA4's own reports show paths
    ]
    assert [line for line, _reason in export.skipped] == [6]  # "(other)", 17 views


def test_matomo_utf16_tsv_with_date_column_and_urls() -> None:
    export = read(MATOMO_DAYS)
    assert export.source == "matomo"
    assert (export.first_day, export.last_day) == (day("2025-03-01"), day("2025-03-02"))
    # The "Pageviews" column (nb_hits), not "Unique Pageviews"; the path comes from "Metadata: url".
    assert export.rows == [
        views("2025-03-01", "/", 52),  # label "/index", url "https://eksempelforeningen.dk/"
        views("2025-03-01", "/viden/artikel-om-renovering", 25),
        views("2025-03-02", "/", 41),
        views("2025-03-02", "/kurser/københavn?side=2", 4),  # the url keeps its query, "%C3%B8" decoded
        views("2025-03-02", "/om-os", 8),
    ]
    # Line 4 "viden/ - Others" (6 views) and line 7 "Page URL not defined" (1 view).
    assert [line for line, _reason in export.skipped] == [4, 7]
    assert "viden/ - Others" in export.skipped[0][1] and "6 page views" in export.skipped[0][1]
    assert "Page URL not defined" in export.skipped[1][1] and "1 page view)" in export.skipped[1][1]
    # Pageviews add up to 52+25+6+41+8+1+4 = 137: 130 imported and 7 skipped.
    assert sum(row.page_views for row in export.rows) == 130


def test_matomo_comma_single_period_from_file_name_and_labels() -> None:
    export = read(MATOMO_MONTH)
    assert export.source == "matomo"
    # The file has no date column; its name says 2025-03-01_2025-03-31.
    march = ("2025-03-01", "2025-03-31")
    assert (export.first_day, export.last_day) == (day(march[0]), day(march[1]))
    # Without a url column the label is the path, with a leading "/"; Matomo's "/index" stays "/index".
    assert export.rows == [
        views(march[0], "/index", 530, last=march[1]),
        views(march[0], "/kurser/kursus, grundforløb", 14, last=march[1]),
        views(march[0], "/om-os", 44, last=march[1]),
        views(march[0], "/viden/artikel-om-renovering", 180, last=march[1]),
        views(march[0], "/viden/index", 110, last=march[1]),
    ]
    # Line 7 "Others" with nb_hits 35; nb_hits adds up to 530+180+110+14+44+35 = 913.
    assert [line for line, _reason in export.skipped] == [7]
    assert sum(row.page_views for row in export.rows) == 913 - 35


def test_same_bytes_read_the_same_whatever_the_encoding() -> None:
    text = GA4_EN.read_text(encoding="utf-8")
    expected = read(GA4_EN)
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), b"\xff\xfe" + text.encode("utf-16-le"),
                 b"\xfe\xff" + text.encode("utf-16-be"), text.encode("cp1252")):
        assert read_analytics_export(data, GA4_EN.name) == expected


# --- lines that are kept out on purpose ----------------------------------------------------------------------


def test_totals_line_is_skipped_and_reported() -> None:
    data = (b"# Start date: 20250301\n# End date: 20250331\n\nPage path and screen class,Views\n"
            b",130\n/,100\n/om-os,30\nGrand total,130\n")
    export = read_analytics_export(data, "ga4.csv")
    assert export.rows == [views("2025-03-01", "/", 100, last="2025-03-31"),
                           views("2025-03-01", "/om-os", 30, last="2025-03-31")]
    # Line 5 (an empty page cell) and line 8 ("Grand total"), each 130 = 100 + 30.
    assert [line for line, _reason in export.skipped] == [5, 8]
    assert all("Totals line (130 page views)" in reason for _line, reason in export.skipped)


def test_query_string_kept_only_when_the_export_has_it() -> None:
    data = b"date,pagePathPlusQueryString,screenPageViews\n2025-03-01,/soeg?q=renovering,4\n20250301,/soeg,1\n"
    export = read_analytics_export(data, "api.csv")
    assert export.rows == [views("2025-03-01", "/soeg", 1), views("2025-03-01", "/soeg?q=renovering", 4)]


def test_normalise_path() -> None:
    assert normalise_path("https://www.example.dk/viden/artikel?x=1#top") == "/viden/artikel?x=1"
    assert normalise_path("viden/artikel") == "/viden/artikel"
    assert normalise_path("  /om-os ") == "/om-os"
    assert normalise_path("https://example.dk") == "/"
    assert normalise_path("/k%C3%B8benhavn") == "/københavn"
    assert normalise_path("/k%F8benhavn") == "/k%F8benhavn"  # Latin-1 escape: left as it is, not made "�"


def test_matomo_period_keys_months_and_ranges() -> None:
    data = (b"date,label,nb_hits\n2025-01,/a,1\n2025-02-01,2025-02-28,/a,2\n2025,/b,3\n")
    refused_text = refused(data)  # line 3 has four values: Matomo quotes a key holding the separator
    assert "Line 3" in refused_text
    data = (b'date,label,nb_hits\n2025-01,/a,1\n"2025-02-01,2025-02-28",/a,2\n2024,/b,3\n')
    export = read_analytics_export(data, "matomo.csv")
    assert export.rows == [views("2024-01-01", "/b", 3, last="2024-12-31"),
                           views("2025-01-01", "/a", 1, last="2025-01-31"),
                           views("2025-02-01", "/a", 2, last="2025-02-28")]
    assert (export.first_day, export.last_day) == (day("2024-01-01"), day("2025-02-28"))


# --- files refused as a whole, with the line and column named ---------------------------------------------------


def test_bad_number_names_line_and_column(tmp_path: Path) -> None:
    broken = tmp_path / GA4_EN.name
    broken.write_bytes(GA4_EN.read_bytes().replace(b'"1,234"', b"12x4"))
    message = refused(broken.read_bytes(), broken.name)
    assert "Line 14" in message and "“Views”" in message and "“12x4”" in message


@pytest.mark.parametrize("value", ["1.5", "-3", "1,23", "1.234,5", "١٢", "9" * 16, "1.234.56"])
def test_not_whole_numbers_are_refused(value: str) -> None:
    data = f'date,pagePath,screenPageViews\n20250301,/,"{value}"\n'.encode()
    message = refused(data)
    assert "Line 2" in message and "“screenPageViews”" in message


@pytest.mark.parametrize(("value", "expected"), [("1.234", 1234), ("1,234", 1234), ("1 234 567", 1234567),
                                                 ("1\u00a0234", 1234), ("007", 7)])
def test_thousands_separators(value: str, expected: int) -> None:
    data = f'date;pagePath;screenPageViews\n20250301;/;"{value}"\n'.encode()
    assert read_analytics_export(data, "api.csv").rows == [views("2025-03-01", "/", expected)]


def test_missing_views_column_lists_accepted_columns(tmp_path: Path) -> None:
    broken = tmp_path / GA4_EN.name
    broken.write_bytes(GA4_EN.read_bytes().replace(b"Views,Active users", b"Active users"))
    message = refused(broken.read_bytes(), broken.name)
    assert "Line 11" in message  # the header line
    for accepted in ("“Views”", "“Visninger”", "“screenPageViews”", "“nb_hits”", "“Sidevisninger”", "“Date”"):
        assert accepted in message


def test_missing_value_names_line_and_column() -> None:
    data = MATOMO_MONTH.read_bytes().replace(b"/om-os,40,44,1200,5,20", b"/om-os,40")
    message = refused(data, MATOMO_MONTH.name)
    assert "Line 6" in message and "“nb_hits”" in message


def test_too_many_values_names_line() -> None:
    data = GA4_API.read_bytes().replace(b"20250303,/kontakt,6", b"20250303,/kontakt,a,b,6")
    assert "Line 7" in refused(data, GA4_API.name)


def test_empty_files() -> None:
    for data in (b"", b"  \r\n\n", b"\xff\xfe", b"\xef\xbb\xbf\n"):
        assert "empty" in refused(data)


def test_messages_follow_the_reader_language() -> None:
    with translation.override("da"):
        assert refused(b"") == "Filen er tom."  # a msgid the catalogue already translates


def test_only_comment_lines() -> None:
    assert "no table" in refused(b"# ----\n# Start date: 20250101\n# End date: 20250131\n")


def test_binary_garbage() -> None:
    message = refused(b"Page path and screen class,Views\n/,1\n" + bytes(range(256)))
    assert "Line 3" in message and "binary" in message


def test_xlsx_renamed_to_csv(tmp_path: Path) -> None:
    renamed = tmp_path / "pages.csv"
    renamed.write_bytes(XLSX.read_bytes())
    assert "Excel" in refused(renamed.read_bytes(), renamed.name)


def test_text_in_no_known_encoding() -> None:
    # 0x81 is undefined in Windows-1252 and invalid in UTF-8: reading it would mean losing it.
    message = refused(b"date,pagePath,screenPageViews\n20250301,/a\x81,1\n")
    assert "Line 2" in message and "Windows-1252" in message


def test_truncated_utf16() -> None:
    data = b"\xff\xfe" + "label\tnb_hits\n/a\t1\n".encode("utf-16-le") + b"\x00"
    assert "Line 3" in refused(data) and "UTF-16" in refused(data)


def test_bad_date_names_line_and_column() -> None:
    message = refused(GA4_API.read_bytes().replace(b"20250302,/,98", b"20250230,/,98"), GA4_API.name)
    assert "Line 5" in message and "“date”" in message and "“20250230”" in message


def test_bad_date_in_comment_line() -> None:
    data = GA4_EN.read_bytes().replace(b"# End date: 20250303", b"# End date: 3. marts")
    assert "Line 9" in refused(data, GA4_EN.name)


def test_date_outside_the_stated_period() -> None:
    data = GA4_EN.read_bytes().replace(b"/,20250303,0", b"/,20250304,0")
    message = refused(data, GA4_EN.name)
    assert "Line 21" in message and "“Date”" in message and "2025-03-01" in message and "2025-03-03" in message


def test_end_before_start() -> None:
    data = b"# Start date: 20250331\n# End date: 20250301\nPage path,Views\n/,1\n"
    assert "Line 2" in refused(data)


def test_period_unknown() -> None:
    assert "period" in refused(MATOMO_MONTH.read_bytes(), "export.csv")


def test_matomo_no_data() -> None:
    assert "No data available" in refused(b"No data available", "export.csv")


def test_second_table_in_a_ga4_download() -> None:
    data = GA4_EN.read_bytes() + b"\n# ----------------------------------------\n# Users by country\n"
    assert "Line 23" in refused(data, GA4_EN.name)


def test_unbalanced_quote() -> None:
    data = b'date,pagePath,screenPageViews\n20250301,"/a,1\n'
    assert "Line 2" in refused(data)


# --- no input escapes as anything but ExportFormatError ---------------------------------------------------------

HEADERS = [b"", b"date,pagePath,screenPageViews\n", b"\xff\xfe", b"# Start date: 20250101\n# End date: 20250131\n",
           "Date\tLabel\tPageviews\n".encode("utf-16-le"), b"label;nb_hits\n"]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(HEADERS), st.binary(max_size=400), st.sampled_from(["x.csv", "a_2025-01-01_2025-01-31.tsv"]))
def test_random_bytes_raise_only_export_format_error(header: bytes, tail: bytes, filename: str) -> None:
    try:
        export = read_analytics_export(header + tail, filename)
    except ExportFormatError:
        return
    assert export.source in ("ga4", "matomo")
    assert export.first_day <= export.last_day
    assert all(row.path.startswith("/") and row.page_views >= 0 for row in export.rows)
