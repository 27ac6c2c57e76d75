"""Page views per page and day from GA4 and Matomo CSV exports: pure Python, no database.

``read_analytics_export(data, filename)`` reads one export into an ``AnalyticsExport``. The layouts it knows, and
where each comes from, are described in ``tests/data/analytics/README.md``:

- GA4, downloaded from a report such as "Pages and screens": ``#`` lines naming the report and the period
  (``# Start date: 20250101``), then a table headed ``Page path and screen class,Views,...`` in the English or
  the Danish interface, with a ``Date`` column when the date was added as a dimension;
- GA4 as the Data API, Looker Studio or a BigQuery query writes it: ``date,pagePath,screenPageViews``;
- Matomo, Actions → Pages (``Actions.getPageUrls`` with ``flat=1``) as CSV or TSV, usually UTF-16 with a byte
  order mark, with raw (``label,nb_hits``) or translated (``Label,Pageviews``) column names and, when several
  periods were asked for, a leading ``date`` column.

The whole file is refused with an ``ExportFormatError`` naming the line and column, or every line of the table
is accounted for: imported as page views of a page, or listed in ``skipped`` with the reason (totals, pages the
tool grouped together, page views without an address). Two lines for the same page and period are added up:
GA4 splits a path by screen class, and Matomo's label and address can lead to the same path.
"""

from __future__ import annotations

import calendar
import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class PageViews:
    first_day: date  # equal to last_day when the export is per day
    last_day: date
    path: str  # see normalise_path
    page_views: int


@dataclass(frozen=True)
class AnalyticsExport:
    source: str  # "ga4" or "matomo"
    rows: list[PageViews]
    first_day: date
    last_day: date
    skipped: list[tuple[int, str]]  # (line number, reason) for lines deliberately not imported


class ExportFormatError(ValueError):
    """The file was refused as a whole; the message says why and, where there is one, names the line and column."""


@dataclass(frozen=True)
class _Layout:
    source: str
    # Column names as the tools write them; matched without regard to case or spacing.
    path_columns: tuple[str, ...]
    views_columns: tuple[str, ...]
    date_columns: tuple[str, ...]
    url_columns: tuple[str, ...] = ()


_LAYOUTS = (
    _Layout(
        "ga4",
        path_columns=("Page path and screen class", "Page path + query string and screen class", "Page path",
                      "Page path + query string", "Sidesti og skærmklasse", "Sidesti", "pagePath",
                      "pagePathPlusQueryString", "unifiedPagePathScreen"),
        views_columns=("Views", "Visninger", "screenPageViews"),
        date_columns=("Date", "Dato"),
    ),
    _Layout(
        "matomo",
        path_columns=("label", "Etiket"),
        views_columns=("nb_hits", "Pageviews", "Sidevisninger"),
        date_columns=("date", "Dato"),
        url_columns=("url", "metadata_url", "Metadata: url"),
    ),
)

# Lines that are not one page. GA4 writes "(not set)" for hits without a path and "(other)" for the rows beyond
# its row limit; Matomo writes "Others" ("Andre" in Danish) for the rows it truncated, as "dir/ - Others" below a
# folder once flattened, and "Page URL not defined" for actions without an address.
_TOTALS_LABELS = frozenset({"", "total", "totals", "grand total", "i alt", "total i alt"})
_GROUPED_LABELS = frozenset({"(other)", "others", "andre"})
_GROUPED_SUFFIXES = (" - others", " - andre")
_NO_ADDRESS_LABELS = frozenset({"(not set)", "page url not defined", "side url ikke defineret"})

_XLSX_START = b"PK\x03\x04"
_XLS_START = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MATOMO_NO_DATA = "No data available"

_LINE_END = re.compile(r"\r\n|\r|\n")
_PERIOD_COMMENT = re.compile(r"#\s*(start date|startdato|end date|slutdato)\s*:\s*(.*)", re.IGNORECASE)
# Two ISO days with no digits around or between them: "2025-01-01,2025-01-31", "From 2025-01-06 to 2025-01-12".
_ISO_RANGE = re.compile(r"\D*([0-9]{4}-[0-9]{2}-[0-9]{2})\D+([0-9]{4}-[0-9]{2}-[0-9]{2})\D*")
_FILENAME_PERIOD = re.compile(r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}|[0-9]{4}-[0-9]{2})(?![0-9])")
# Thousands grouped with ".", ",", a space or a no-break space, the same separator throughout: "1.234", "1,234,567".
_GROUPED_NUMBER = re.compile(r"[0-9]{1,3}([.,\u00a0 ])[0-9]{3}(?:\1[0-9]{3}){0,4}")
_PLAIN_NUMBER = re.compile(r"[0-9]{1,15}")
_SCHEME_AND_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://[^/?#]*", re.IGNORECASE)


def read_analytics_export(data: bytes, filename: str) -> AnalyticsExport:
    """Read one GA4 or Matomo export of page views per page; ``filename`` may name the period (see README)."""
    text = _decode(data)
    comments, table_line, table_text = _split_comments(text)
    if table_text.strip() == _MATOMO_NO_DATA:
        raise ExportFormatError(_("Matomo found no data for this report and period: the file only says "
                                  "“%(text)s”.") % {"text": _MATOMO_NO_DATA})
    stated_period = _stated_period(comments)
    records = _records(table_text, table_line, _delimiter(table_text))
    try:
        header_line, header = next(records)
    except StopIteration:
        raise ExportFormatError(_("The file holds no table, only comment lines.")) from None
    layout, columns = _match_layout(header, header_line)
    lines: list[tuple[int, tuple[date, date] | None, str, str, int]] = []
    for line, cells in records:
        if layout.source == "ga4" and cells[0].lstrip().startswith("#"):
            raise ExportFormatError(_("Line %(line)s: a second table starts here. Download one report per file.")
                                    % {"line": line})
        cells = _fit_to_header(cells, header, line, header_line)
        count = _page_views(cells[columns.views], line, header[columns.views])
        line_period = None if columns.date is None else _line_period(cells[columns.date], line,
                                                                      header[columns.date], stated_period)
        url = cells[columns.url].strip() if columns.url is not None else ""
        lines.append((line, line_period, cells[columns.path].strip(), url, count))
    line_periods = [line_period for _line, line_period, *_cells in lines if line_period]
    period = stated_period or _span(line_periods) or _filename_period(filename)
    if period is None:
        raise ExportFormatError(_("The file does not say which period it covers. Export it with a date column, or "
                                  "put the period in the file name, e.g. pages_2025-01-01_2025-01-31.csv."))
    views: dict[tuple[date, date, str], int] = {}
    skipped: list[tuple[int, str]] = []
    for line, line_period, label, url, count in lines:
        reason = _skip_reason(label, url, count)
        if reason:
            skipped.append((line, reason))
            continue
        key = (*(line_period or period), normalise_path(url or label))
        views[key] = views.get(key, 0) + count
    rows = [PageViews(first_day=first, last_day=last, path=path, page_views=count)
            for (first, last, path), count in sorted(views.items())]
    return AnalyticsExport(source=layout.source, rows=rows, first_day=period[0], last_day=period[1], skipped=skipped)


def normalise_path(text: str) -> str:
    """A page address as a path that reads the same whichever tool counted it: no scheme or host, no fragment,
    a leading "/", percent-escapes decoded where they spell UTF-8 (as GA4 shows paths). A query is kept when the
    address has one: whether it does is the export's choice (GA4's "Page path" has none, "Page path + query
    string" has)."""
    path = _SCHEME_AND_HOST.sub("", text.strip()).split("#", 1)[0]
    # Escapes that do not spell UTF-8 stay as they are rather than becoming "\ufffd".
    with contextlib.suppress(UnicodeDecodeError):
        path = unquote(path, errors="strict")
    return path if path.startswith("/") else "/" + path


@dataclass(frozen=True)
class _Columns:
    path: int
    views: int
    date: int | None
    url: int | None


def _decode(data: bytes) -> str:
    """UTF-16 when the file starts with its byte order mark (Matomo), else UTF-8 (with or without BOM), else
    Windows-1252 (Danish Excel). Every decoding is strict: a byte no encoding explains refuses the file rather
    than turning into a replacement character, so nothing is lost unseen."""
    if not data.strip():
        raise ExportFormatError(_("The file is empty."))
    if data.startswith((_XLSX_START, _XLS_START)):
        raise ExportFormatError(_("The file is an Excel workbook, not a CSV file. Download the report as CSV and "
                                  "upload that file."))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ExportFormatError(_("Line %(line)s: the file starts as UTF-16 text but is not valid UTF-16.")
                                    % {"line": _line_of(data[:error.start].decode("utf-16", errors="ignore"))}
                                    ) from None
    else:
        text = _decode_bytes(data)
    if "\x00" in text:
        raise _binary_data(text[:text.index("\x00")])
    if not text.strip():
        raise ExportFormatError(_("The file is empty."))
    return text


def _decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        # Latin-1 maps every byte to one character, so the prefix keeps its line breaks where they were.
        if b"\x00" in data:
            raise _binary_data(data[:data.index(b"\x00")].decode("latin-1")) from None
        raise ExportFormatError(_("Line %(line)s: the text is neither UTF-8, UTF-16 nor Windows-1252, so it cannot "
                                  "be read without losing characters. Save the file as UTF-8 and try again.")
                                % {"line": _line_of(data[:error.start].decode("latin-1"))}) from None


def _binary_data(before: str) -> ExportFormatError:
    return ExportFormatError(_("Line %(line)s: the file holds binary data, not text (CSV).")
                             % {"line": _line_of(before)})


def _line_of(before: str) -> int:
    """The number of the line that starts after the text ``before``."""
    return len(_LINE_END.findall(before)) + 1


def _split_comments(text: str) -> tuple[list[tuple[int, str]], int, str]:
    """The ``#`` lines before the table (GA4) with their line numbers, the line the table starts on, its text."""
    comments: list[tuple[int, str]] = []
    position, line = 0, 1
    while position < len(text):
        match = _LINE_END.search(text, position)
        end, after = (match.start(), match.end()) if match else (len(text), len(text))
        # A spreadsheet that saved the file again pads every line with delimiters: "# Start date: 20250101;;".
        content = text[position:end].strip().rstrip(",;\t ")
        if content and not content.startswith("#"):
            break
        if content:
            comments.append((line, content))
        position, line = after, line + 1
    return comments, line, text[position:]


def _stated_period(comments: Sequence[tuple[int, str]]) -> tuple[date, date] | None:
    """The period from GA4's "# Start date: 20250101" and "# End date: 20250131" lines, if both are there."""
    found: dict[str, tuple[int, date]] = {}
    for line, content in comments:
        match = _PERIOD_COMMENT.fullmatch(content)
        if not match:
            continue
        label, value = match.group(1).casefold(), match.group(2).strip()
        period = _parse_period(value)
        if period is None:
            raise ExportFormatError(_("Line %(line)s: “%(value)s” is not a date (expected e.g. 20250131 or "
                                      "2025-01-31).") % {"line": line, "value": value})
        found["start" if label in ("start date", "startdato") else "end"] = (line, period[0])
    if "start" not in found or "end" not in found:
        return None
    first, (end_line, last) = found["start"][1], found["end"]
    if last < first:
        raise ExportFormatError(_("Line %(line)s: the end date %(last)s is before the start date %(first)s.")
                                % {"line": end_line, "last": last.isoformat(), "first": first.isoformat()})
    return first, last


def _delimiter(table_text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most columns (a comma on a tie)."""
    header_line = _LINE_END.split(table_text, maxsplit=1)[0]
    widths = {}
    for delimiter in (",", ";", "\t"):
        try:
            widths[delimiter] = len(next(csv.reader([header_line], delimiter=delimiter), []))
        except csv.Error:
            widths[delimiter] = 0
    return max(widths, key=lambda delimiter: widths[delimiter])


def _records(table_text: str, first_line: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of the table with the file line each starts on."""
    reader = csv.reader(io.StringIO(table_text, newline=""), delimiter=delimiter)
    while True:
        line = first_line + reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ExportFormatError(_("Line %(line)s could not be read as CSV. A quotation mark may be missing.")
                                    % {"line": line}) from None
        if any(cell.strip() for cell in cells):
            yield line, cells


def _match_key(name: str) -> str:
    """A column name or label compared without regard to case or spacing."""
    return " ".join(name.split()).casefold()


def _match_layout(header: Sequence[str], header_line: int) -> tuple[_Layout, _Columns]:
    keys = [_match_key(cell) for cell in header]

    def find(names: Sequence[str]) -> int | None:
        wanted = {_match_key(name) for name in names}
        return next((index for index, key in enumerate(keys) if key in wanted), None)

    for layout in _LAYOUTS:
        path, views = find(layout.path_columns), find(layout.views_columns)
        if path is not None and views is not None:
            return layout, _Columns(path=path, views=views, date=find(layout.date_columns),
                                    url=find(layout.url_columns))
    accepted = " ".join(
        _("%(source)s: page %(pages)s; page views %(views)s; date (optional) %(dates)s.") % {
            "source": "GA4" if layout.source == "ga4" else "Matomo",
            "pages": _quoted(layout.path_columns), "views": _quoted(layout.views_columns),
            "dates": _quoted(layout.date_columns)}
        for layout in _LAYOUTS)
    raise ExportFormatError(_("Line %(line)s: the columns %(found)s are not those of a GA4 or Matomo export of page "
                              "views per page. Accepted columns, in upper or lower case: %(accepted)s")
                            % {"line": header_line, "found": _quoted([cell.strip() for cell in header]),
                               "accepted": accepted})


def _quoted(names: Sequence[str]) -> str:
    return ", ".join(_("“%(name)s”") % {"name": name} for name in names)


def _fit_to_header(cells: list[str], header: Sequence[str], line: int, header_line: int) -> list[str]:
    """The line's cells, one per header column; empty cells beyond the header (spreadsheet padding) dropped."""
    if len(cells) > len(header) and not any(cell.strip() for cell in cells[len(header):]):
        cells = cells[:len(header)]
    if len(cells) < len(header):
        raise ExportFormatError(_("Line %(line)s, column “%(column)s”: the value is missing; the line has "
                                  "%(found)s values, the header on line %(header_line)s has %(expected)s columns.")
                                % {"line": line, "column": header[len(cells)].strip(), "found": len(cells),
                                   "header_line": header_line, "expected": len(header)})
    if len(cells) > len(header):
        raise ExportFormatError(_("Line %(line)s has %(found)s values, but the header on line %(header_line)s has "
                                  "%(expected)s columns. A value holding the delimiter may be missing its "
                                  "quotation marks.")
                                % {"line": line, "found": len(cells), "header_line": header_line,
                                   "expected": len(header)})
    return cells


def _page_views(text: str, line: int, column: str) -> int:
    """A whole number of page views, with or without thousands separators ("1234", "1.234", "1,234")."""
    value = text.strip()
    if not value:
        raise ExportFormatError(_("Line %(line)s, column “%(column)s”: the number of page views is missing.")
                                % {"line": line, "column": column.strip()})
    if _PLAIN_NUMBER.fullmatch(value) or _GROUPED_NUMBER.fullmatch(value):
        return int(re.sub(r"[^0-9]", "", value))
    raise ExportFormatError(_("Line %(line)s, column “%(column)s”: “%(value)s” is not a whole number of page views.")
                            % {"line": line, "column": column.strip(), "value": value})


def _line_period(text: str, line: int, column: str, stated: tuple[date, date] | None) -> tuple[date, date]:
    value = text.strip()
    period = _parse_period(value)
    if period is None:
        raise ExportFormatError(_("Line %(line)s, column “%(column)s”: “%(value)s” is not a date or period (expected "
                                  "e.g. 20250131, 2025-01-31, 2025-01 or 2025-01-01,2025-01-31).")
                                % {"line": line, "column": column.strip(), "value": value})
    if stated and not (stated[0] <= period[0] and period[1] <= stated[1]):
        raise ExportFormatError(_("Line %(line)s, column “%(column)s”: %(value)s is outside the period the file "
                                  "states, %(first)s to %(last)s.")
                                % {"line": line, "column": column.strip(), "value": value,
                                   "first": stated[0].isoformat(), "last": stated[1].isoformat()})
    return period


def _parse_period(text: str) -> tuple[date, date] | None:
    """A day (20250131, 2025-01-31), a month (2025-01), a year (2025) or a range holding two ISO days (Matomo's
    "2025-01-01,2025-01-31"); None for anything else."""
    try:
        days = _ISO_RANGE.fullmatch(text)
        if days:
            first, last = date.fromisoformat(days.group(1)), date.fromisoformat(days.group(2))
            return (first, last) if first <= last else None
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            day = date.fromisoformat(text)
            return day, day
        if re.fullmatch(r"[0-9]{8}", text):
            day = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            return day, day
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", text):
            year, month = int(text[:4]), int(text[5:])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        if re.fullmatch(r"[0-9]{4}", text):
            return date(int(text), 1, 1), date(int(text), 12, 31)
    except ValueError:  # a day or month that does not exist, e.g. 2025-02-30
        return None
    return None


def _span(periods: Sequence[tuple[date, date]]) -> tuple[date, date] | None:
    return (min(first for first, _last in periods), max(last for _first, last in periods)) if periods else None


def _filename_period(filename: str) -> tuple[date, date] | None:
    """The period a file name states: two days (``pages_2025-01-01_2025-01-31.csv``), one day or one month."""
    found = [_parse_period(token) for token in _FILENAME_PERIOD.findall(filename)]
    periods = [period for period in found if period is not None]
    if len(periods) == 2 and periods[0][0] <= periods[1][1]:
        return periods[0][0], periods[1][1]
    if len(periods) == 1:
        return periods[0]
    return None


def _skip_reason(label: str, url: str, count: int) -> str:
    """Why a line is not one page's page views, or "" when it is."""
    key = _match_key(label)
    if url:
        return ""
    if key in _TOTALS_LABELS:
        return ngettext("Totals line (%(views)s page view), not a page.",
                        "Totals line (%(views)s page views), not a page.", count) % {"views": count}
    if key in _GROUPED_LABELS or key.endswith(_GROUPED_SUFFIXES):
        return ngettext("Pages grouped under “%(label)s” (%(views)s page view); the file does not say which pages "
                        "they are.",
                        "Pages grouped under “%(label)s” (%(views)s page views); the file does not say which pages "
                        "they are.", count) % {"label": label, "views": count}
    if key in _NO_ADDRESS_LABELS:
        return ngettext("Page views without a page address (“%(label)s”, %(views)s page view).",
                        "Page views without a page address (“%(label)s”, %(views)s page views).", count) % {
            "label": label, "views": count}
    return ""
