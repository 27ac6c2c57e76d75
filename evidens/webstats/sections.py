"""The sections of the web-statistics pages: each built by one function from a ``Reader`` and the chosen
period, as a table with headings, an optional chart and a text; the pages and "Save as evidence" use the same
functions, so the evidence is exactly what the page showed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.http import QueryDict
from django.utils import formats
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.processes.access import ProcessAccess
from evidens.processes.models import StrategyProcess
from evidens.webstats import selectors, warehouse
from evidens.webstats.agents import CRAWLER_CATEGORIES
from evidens.webstats.forms import UNITS, RangeForm

# ---------------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------------

SOURCE_LABELS = {
    "search": gettext_lazy("Search engines"),
    "social": gettext_lazy("Social media"),
    "newsletter": gettext_lazy("Newsletter"),
    "partner": gettext_lazy("Partners"),
    "internal": gettext_lazy("Internal links"),
    "direct": gettext_lazy("Direct"),
    "other": gettext_lazy("Other sources"),
}
DEVICE_LABELS = {
    "desktop": gettext_lazy("Computer"),
    "mobile": gettext_lazy("Mobile"),
    "tablet": gettext_lazy("Tablet"),
    "robot": gettext_lazy("Robot"),
    "other": gettext_lazy("Other"),
}
# What each behaviour rule of ``warehouse.BOT_RULES`` looks for, in words.
RULE_LABELS = {
    "scan": (gettext_lazy("Scanning"),
             gettext_lazy("Asked for addresses only vulnerability scanners ask for, such as /wp-login.php or "
                          "/.env.")),
    "fast_form": (gettext_lazy("Fast form"),
                  gettext_lazy("Posted a form within 3 seconds of the request before it.")),
    "post_flood": (gettext_lazy("Many posts"), gettext_lazy("Sent 20 or more POST requests in a day.")),
    "rate": (gettext_lazy("Request rate"), gettext_lazy("Made 60 or more requests in one minute.")),
    "errors": (gettext_lazy("Errors"),
               gettext_lazy("Made 10 or more requests, at least half of them answered with a 4xx error.")),
    "no_assets": (gettext_lazy("No style sheets or images"),
                  gettext_lazy("Viewed 10 or more pages without fetching a single style sheet, script or image.")),
}
PAGE_VIEW_MEANING = gettext_lazy(
    "A page view is a GET request for a page (not a file, style sheet, script or image) answered with 2xx or 304, "
    "by a person, not a robot. A visit is a visitor's page views with less than 30 minutes between them. "
    "A visitor is an address and a browser on one day.")
ROBOT_MEANING = gettext_lazy(
    "Robots are recognised by their user agent (known crawlers) or by their behaviour during a day (the rules "
    "on the robots page); they are counted apart, never dropped.")


def _source(name: str) -> str:
    return str(SOURCE_LABELS.get(name, name))


def _device(name: str) -> str:
    return str(DEVICE_LABELS.get(name.lower(), name))


def _family(name: str) -> str:
    """A browser or operating system as ua-parser names it; its "Other" in the reader's language."""
    return _("Other") if name == "Other" else name


def _rule(name: str) -> str:
    return str(RULE_LABELS[name][0]) if name in RULE_LABELS else name


# ---------------------------------------------------------------------------------------------
# The period a page shows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A page's period (in the log's local days) and trend unit over the process's completed imports."""

    process: StrategyProcess
    first: date
    last: date
    unit: str

    def scope(self, first: date | None = None, last: date | None = None) -> warehouse.Scope:
        return selectors.scope(self.process, first_day=first or self.first, last_day=last or self.last)

    @property
    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one."""
        last = self.first - timedelta(days=1)
        return last - (self.last - self.first), last

    @property
    def params(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat(), "unit": self.unit}

    @property
    def text(self) -> str:
        return period_text(self.first, self.last)


def period_text(first: date, last: date) -> str:
    return f"{formats.date_format(first, 'DATE_FORMAT')}–{formats.date_format(last, 'DATE_FORMAT')}"


def default_period(first: date, last: date) -> tuple[date, date]:
    """The last 12 months of the data, or all of it when there is less."""
    try:
        year_before = last.replace(year=last.year - 1)
    except ValueError:  # 29 February
        year_before = last.replace(year=last.year - 1, day=28)
    return max(first, year_before + timedelta(days=1)), last


def selection_from(params: QueryDict, access: ProcessAccess) -> tuple[Selection | None, RangeForm | None]:
    """The period asked for in ``params`` (or the default), or None when no access log is imported yet."""
    data_first, data_last = selectors.data_range(access.process)
    if data_first is None or data_last is None:
        return None, None
    first, last = default_period(data_first, data_last)
    form = RangeForm(params, first=first, last=last)
    first, last, unit = form.chosen()
    return Selection(process=access.process, first=first, last=last, unit=unit), form


# ---------------------------------------------------------------------------------------------
# Sections: one table (and chart) each, for the page and for the evidence base
# ---------------------------------------------------------------------------------------------


class Share(float):
    """A share between 0 and 1, shown and saved as a percentage."""


class Change(Share):
    """A change relative to what it was (0.5 is half as much again), shown with its sign."""


class Points(float):
    """A difference between two shares in percentage points, shown with its sign."""


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str = ""  # "day", "week" or "month" for dates; otherwise the value's type decides


@dataclass(frozen=True)
class Kpi:
    label: str
    value: str
    previous: str  # "" when the previous period has no data
    change: str  # "+33 %", "" when there is nothing to divide by
    arrow: str  # "↑", "↓", "→" or ""
    help: str


@dataclass
class Section:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    description: str = ""
    chart: specs.Spec | None = None
    notes: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)  # choices beyond the period, in words: "per month"
    variant: str = ""  # the same choices for the evidence item's key, in no language: "month"
    long_table: bool = False  # many rows: the page folds the table away under the chart
    cards: list[Kpi] = field(default_factory=list)

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]

    @property
    def numeric(self) -> list[bool]:
        """Which columns hold numbers (set to the right, an empty cell too)."""
        return [any(_numeric(row[index]) for row in self.rows) for index in range(len(self.columns))]

    @property
    def header(self) -> list[tuple[str, bool]]:
        return list(zip(self.headings, self.numeric, strict=True))

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """The rows as the page writes them: (text, in a column of numbers)."""
        numeric = self.numeric
        return [[(cell_text(value, column.kind), right) for value, column, right in zip(row, self.columns, numeric,
                                                                                      strict=True)]
                for row in self.rows]

    def result(self) -> dict[str, Any]:
        """The rows as plain values for the evidence base: dates in ISO form, shares in per cent."""
        rows = [[_plain(value) for value in row] for row in self.rows]
        return {"headings": self.headings, "rows": rows, "notes": self.notes}


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Share):
        return round(value * 100, 1)
    if isinstance(value, float):
        return round(value, 2)
    return value


def cell_text(value: Any, kind: str = "") -> str:
    """A value in the reader's language: 1.234, 60,0 %, uge 11 2020, marts 2020."""
    if value is None:
        return "–"
    if isinstance(value, date):
        if kind == "week":
            year, week, _day = value.isocalendar()
            return _("week %(week)s, %(year)s") % {"week": week, "year": year}
        return formats.date_format(value, "YEAR_MONTH_FORMAT" if kind == "month" else "DATE_FORMAT")
    if isinstance(value, Change):
        return f"{_signed(_decimal(abs(value) * 100, 1), value)} %"
    if isinstance(value, Share):
        return f"{_decimal(value * 100, 1)} %"
    if isinstance(value, Points):
        return _("%(points)s percentage points") % {"points": _signed(_decimal(abs(value), 1), value)}
    if isinstance(value, float):
        return _decimal(value, 2)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def _decimal(value: float, places: int) -> str:
    # Django's number_format cuts the digits beyond ``places`` off; they must be rounded first.
    return formats.number_format(round(value, places), places, force_grouping=True)


def _signed(text: str, value: float) -> str:
    return f"+{text}" if value > 0 else f"\N{MINUS SIGN}{text}" if value < 0 else text


def _locale() -> dict[str, Any]:
    return specs.locale_for(get_language())


def _bars(rows: Sequence[Sequence[Any]], description: str, quantity: str) -> specs.Spec | None:
    """Horizontal bars of (name, count) rows, in their order."""
    if not rows:
        return None
    return specs.bar_chart([{"name": name, "count": count} for name, count, *_rest in rows], "count", "name",
                           labels=specs.ChartLabels(description, x=quantity), number_format=specs.COUNT_FORMAT,
                           locale=_locale())


Builder = Callable[[warehouse.Reader, Selection], Section]


def kpis(reader: warehouse.Reader, selection: Selection) -> Section:
    now = _key_figures(reader.totals())
    previous_first, previous_last = selection.previous
    with warehouse.Reader(selection.scope(previous_first, previous_last)) as before:
        previous_totals = before.totals()
    previous = _key_figures(previous_totals) if previous_totals["hits"] else None
    measures = [
        ("page_views", _("Page views"), _("Pages viewed by people (not robots, files or images).")),
        ("visits", _("Visits"), _("Page views by one visitor with less than 30 minutes between them.")),
        ("visitors", _("Unique visitors (sum of days)"),
         _("A visitor key lives one day, so a person who comes on three days counts three times.")),
        ("pages_per_visit", _("Pages per visit"), _("Page views divided by visits.")),
        ("bounce_rate", _("Bounce rate"), _("Visits with only one page view.")),
        ("downloads", _("Downloads"), _("Files such as PDF, Word and Excel fetched by people.")),
        ("not_found", _("Not found (404)"), _("Requests by people answered “not found”.")),
        ("robot_share", _("Robots"), _("The share of all requests made by robots.")),
    ]
    rows, cards = [], []
    for key, label, help_text in measures:
        value = now[key]
        before_value = previous[key] if previous else None
        change = _change(value, before_value)
        rows.append([label, value, before_value, change])
        arrow = "" if before_value is None or value is None else (
            "↑" if value > before_value else "↓" if value < before_value else "→")
        cards.append(Kpi(label=label, value=cell_text(value), previous=cell_text(before_value) if previous else "",
                         change="" if change is None else cell_text(change), arrow=arrow, help=help_text))
    notes = [_("The change is in per cent of the previous period; for shares it is in percentage points.")]
    if previous is None:
        notes.append(_("There is no data for the previous period (%(period)s) to compare with.")
                     % {"period": period_text(previous_first, previous_last)})
    return Section(
        key="kpis", title=_("Key figures"),
        columns=[Column(_("Measure")), Column(selection.text), Column(period_text(previous_first, previous_last)),
                 Column(_("Change from the previous period"))],
        rows=rows, cards=cards, notes=notes,
        description=_("Compared with the period of the same length just before."))


def _key_figures(totals: dict[str, Any]) -> dict[str, Any]:
    hits = totals["hits"]
    return {
        "page_views": totals["human_page_views"], "visits": totals["visits"],
        "visitors": totals["unique_visitors_daily_sum"],
        "pages_per_visit": totals["pages_per_visit"],
        "bounce_rate": None if totals["bounce_rate"] is None else Share(totals["bounce_rate"]),
        "downloads": totals["downloads"], "not_found": totals["not_found"],
        "robot_share": Share(totals["bot_hits"] / hits) if hits else None,
    }


def _change(value: Any, before: Any) -> Change | Points | None:
    """The change from ``before`` to ``value``: relative for counts, in points for shares; None when there is
    nothing to divide by."""
    if value is None or before is None:
        return None
    if isinstance(value, Share):
        return Points((value - before) * 100)
    return Change((value - before) / before) if before else None


def trend(reader: warehouse.Reader, selection: Selection) -> Section:
    unit = selection.unit
    periods = reader.trend(unit)
    page_views, visits = _("Page views"), _("Visits")
    points = [specs.SeriesPoint(period, page_views, views) for period, views, _visits, _visitors in periods]
    points += [specs.SeriesPoint(period, visits, count) for period, _views, count, _visitors in periods]
    rows = [list(row) for row in periods]
    by_week = unit == "week"
    labels = specs.ChartLabels(
        _("Page views and visits per week") if by_week else _("Page views and visits per month"),
        x=_("Week (from Monday)") if by_week else _("Month"))
    chart = specs.line_chart(points, series=[page_views, visits], period="week" if by_week else "month",
                             labels=labels, locale=_locale()) if rows else None
    return Section(
        key="trend", title=_("Trend"),
        columns=[Column(_("Week") if by_week else _("Month"), unit), Column(page_views), Column(visits),
                 Column(_("Unique visitors (sum of days)"))],
        rows=rows, chart=chart, filters=[str(dict(UNITS)[unit])], variant=unit, long_table=len(rows) > 14,
        description=_("A week or month at the edge of the period counts only its days inside the period."))


def hour_of_week(reader: warehouse.Reader, selection: Selection) -> Section:
    counts = reader.hour_of_week()
    rows = [[str(WEEKDAYS[weekday - 1]), hour, views] for weekday, hour, views in counts]
    chart = specs.heatmap(
        [specs.HeatCell(f"{hour:02d}", str(WEEKDAYS_ABBR[weekday - 1]), views) for weekday, hour, views in counts],
        x_order=[f"{hour:02d}" for hour in range(24)], y_order=[str(WEEKDAYS_ABBR[day]) for day in range(7)],
        labels=specs.ChartLabels(_("Page views by weekday and hour of the day"), x=_("Hour"),
                                 legend=_("Page views")),
        locale=_locale()) if rows else None
    return Section(key="hour_of_week", title=_("Weekday and hour"),
                   columns=[Column(_("Weekday")), Column(_("Hour")), Column(_("Page views"))],
                   rows=rows, chart=chart, long_table=True,
                   description=_("Page views by people, in the time of day the log was written in."))


def referrer_groups(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [[_source(group), visits] for group, visits in reader.referrer_groups()]
    return Section(key="referrer_groups", title=_("Where visits come from"),
                   columns=[Column(_("Source")), Column(_("Visits"))], rows=rows,
                   chart=_bars(rows, _("Visits by where they came from"), _("Visits")),
                   description=_("By the first page view of each visit: the site it came from, or a newsletter "
                                 "(a link marked utm_medium=email or utm_source=nyhedsbrev, or a click in webmail). "
                                 "Partners and the site's own addresses are set in the settings."))


def referrers(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [[_source(group), host or "–", visits] for group, host, visits in reader.referrers(limit=50)]
    return Section(key="referrers", title=_("Referrers"),
                   columns=[Column(_("Source")), Column(_("Site")), Column(_("Visits"))], rows=rows,
                   description=_("The 50 sites that sent the most visits."))


def search_terms(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [[term, count] for term, count in reader.search_terms(limit=50)]
    return Section(key="search_terms", title=_("Site search terms"),
                   columns=[Column(_("Search term")), Column(_("Searches"))], rows=rows,
                   chart=_bars(rows[:15], _("The most frequent search terms on the site"), _("Searches")),
                   description=_("What people searched for on the site (the query parameters %(names)s).")
                   % {"names": ", ".join(reader.scope.search_parameters) or "–"})


def _technology(reader: warehouse.Reader, key: str, column: str, title: str, heading: str,
                name: Callable[[str], str]) -> Section:
    rows = [[name(value), visits] for value, visits in reader.technology(column)]
    return Section(key=key, title=title, columns=[Column(heading), Column(_("Visits"))], rows=rows,
                   chart=_bars(rows, _("Visits by %(what)s") % {"what": heading.lower()}, _("Visits")),
                   description=_("Visits by people, by the browser's user agent."))


def devices(reader: warehouse.Reader, selection: Selection) -> Section:
    return _technology(reader, "devices", "device", _("Devices"), _("Device"), _device)


def browsers(reader: warehouse.Reader, selection: Selection) -> Section:
    return _technology(reader, "browsers", "browser", _("Browsers"), _("Browser"), _family)


def systems(reader: warehouse.Reader, selection: Selection) -> Section:
    return _technology(reader, "systems", "os", _("Operating systems"), _("Operating system"), _family)


def goaccess(reader: warehouse.Reader, selection: Selection) -> Section:
    totals = reader.totals()
    return Section(
        key="goaccess", title=_("GoAccess-compatible count"),
        columns=[Column(_("Measure")), Column(_("Count"))],
        rows=[[_("Unique visitors (GoAccess)"), totals["goaccess_unique_visitors"]],
              [_("Valid requests (GoAccess)"), totals["goaccess_valid_requests"]]],
        description=_("Counted the way GoAccess counts, to check against GoAccess on the same log: unique "
                      "visitors are the distinct address, browser and day among requests not answered 4xx, robots "
                      "included; valid requests are all lines that could be read."))


def top_pages(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [list(row) for row in reader.top_pages(limit=50)]
    return Section(key="top_pages", title=_("Most viewed pages"),
                   columns=[Column(_("Page")), Column(_("Page views")), Column(_("Entries")), Column(_("Exits"))],
                   rows=rows, description=_("The 50 pages with the most page views; entries and exits count the "
                                            "visits that began or ended on the page."))


def areas(reader: warehouse.Reader, selection: Selection) -> Section:
    counts = reader.areas_by_month()
    outside = _("Outside the areas")
    names = list(dict.fromkeys(area.name for area in reader.scope.areas))  # two patterns may share a name
    shown = [*names, ""] if any(not name for _month, name, _views in counts) else names
    by_month: dict[date, dict[str, int]] = {}
    for month, name, views in counts:
        by_month.setdefault(month, {})[name] = views
    rows = [[month, *(views.get(name, 0) for name in shown)] for month, views in by_month.items()]
    chart = specs.bar_chart(
        [{"month": formats.date_format(month, "b Y"), "area": name or outside, "views": views}
         for month, name, views in counts],
        "month", "views", x_type="ordinal", y_type="quantitative", color="area",
        colour_domain=[name or outside for name in shown], number_format=specs.COUNT_FORMAT, locale=_locale(),
        labels=specs.ChartLabels(_("Page views per month by content area"), y=_("Page views"), legend=_("Area"))
    ) if counts else None
    notes = [] if names else [_("No content areas are set up yet: add them in the settings.")]
    return Section(key="areas", title=_("Content areas"),
                   columns=[Column(_("Month"), "month"), *(Column(name or outside) for name in shown)],
                   rows=rows, chart=chart, notes=notes,
                   description=_("Page views per month by the area of the site the page belongs to."))


def unvisited(reader: warehouse.Reader, selection: Selection) -> Section:
    outside = _("Outside the areas")
    rows = [[path, area or outside, requests] for path, area, requests in reader.unvisited_pages(limit=100)]
    return Section(key="unvisited", title=_("Pages without visits"),
                   columns=[Column(_("Page")), Column(_("Area")), Column(_("Requests by robots"))], rows=rows,
                   description=_("Pages that answered successfully at some time in the imported logs (robots find "
                                 "them all) but that no person viewed in this period; at most 100."))


def downloads(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [[path, count] for path, count in reader.downloads(limit=50)]
    return Section(key="downloads", title=_("Downloads"), columns=[Column(_("File")), Column(_("Downloads"))],
                   rows=rows, description=_("Files such as PDF, Word and Excel fetched by people; at most 50."))


def not_found(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = [list(row) for row in reader.not_found(limit=50)]
    return Section(key="not_found", title=_("Not found (404)"),
                   columns=[Column(_("Address")), Column(_("People")), Column(_("Robots"))], rows=rows,
                   description=_("Addresses answered “not found”, most asked for by people first; at most 50."))


def exports(reader: warehouse.Reader, selection: Selection) -> Section:
    log_name = _("Access log")
    exported = reader.exported_by_month()
    sources = list(dict.fromkeys(source for _month, source, _views in exported))
    source_names = {"ga4": "GA4", "matomo": "Matomo"}
    by_month: dict[date, dict[str, int]] = {}
    if exported:
        for month, views in reader.page_views_by_month():
            by_month.setdefault(month, {})[""] = views
    for month, source, views in exported:
        by_month.setdefault(month, {})[source] = views
    series = ["", *sources]
    months = sorted(by_month.items())
    rows = [[month, *(counts.get(name) for name in series)] for month, counts in months]
    names = [source_names.get(name, name) if name else log_name for name in series]
    chart = specs.grouped_columns(
        [specs.GroupedValue(formats.date_format(month, "b Y"), names[series.index(name)], views)
         for month, counts in months for name, views in counts.items()],
        series=names, locale=_locale(),
        labels=specs.ChartLabels(_("Page views per month in the access log and in analytics exports"),
                                 y=_("Page views"), legend=_("Counted by"))) if rows else None
    notes = [_("GA4 and Matomo count only visitors who accept cookies and run JavaScript; the access log counts "
               "every request. The two will differ, and the difference is itself worth knowing.")]
    if not exported:
        notes.insert(0, _("No analytics export covers this period."))
    return Section(key="exports", title=_("Analytics exports alongside the log"),
                   columns=[Column(_("Month"), "month"), *(Column(name) for name in names)], rows=rows,
                   chart=chart, notes=notes,
                   description=_("Page views by month. An export for a longer period counts in the month it "
                                 "starts."))


def humans_and_robots(reader: warehouse.Reader, selection: Selection) -> Section:
    per_day = reader.humans_and_robots()
    people, robots = _("People"), _("Robots")
    days = [specs.DayCount(day, count, people) for day, count, _robots in per_day]
    days += [specs.DayCount(day, count, robots) for day, _people, count in per_day]
    rows = [list(row) for row in per_day]
    labels = specs.ChartLabels(_("Requests per day by people and by robots"), y=_("Requests"), legend=_("Made by"))
    chart = specs.daily_counts(days, series=[people, robots], labels=labels, locale=_locale()) if rows else None
    return Section(key="humans_and_robots", title=_("People and robots"),
                   columns=[Column(_("Day"), "day"), Column(people), Column(robots)], rows=rows, chart=chart,
                   long_table=True, description=_("All requests per day, pages, files and images alike."))


def robots(reader: warehouse.Reader, selection: Selection) -> Section:
    rows = []
    for how, name, hits in reader.robots():
        if how.startswith("rule:"):
            recognised = _("Behaviour: %(rule)s") % {"rule": _rule(how.removeprefix("rule:"))}
        else:
            recognised = str(CRAWLER_CATEGORIES.get(how, how))
        rows.append([recognised, name or "–", hits])
    return Section(key="robots", title=_("Robots"),
                   columns=[Column(_("Recognised as")), Column(_("Name")), Column(_("Requests"))], rows=rows,
                   description=str(ROBOT_MEANING))


def rules(reader: warehouse.Reader, selection: Selection) -> Section:
    section = rule_effects([log_import.counts for log_import in selectors.completed(selection.process)])
    section.notes.insert(0, _("Counted over each whole import when it was read, not only this period."))
    return section


def rule_effects(counts: Sequence[dict[str, Any]]) -> Section:
    """What each behaviour rule marked as robots in imports with these counts."""
    totals = {rule.name: [0, 0, 0] for rule in warehouse.BOT_RULES}
    skipped = 0
    for count in counts:
        for name, effect in (count.get("rules") or {}).items():
            totals.setdefault(name, [0, 0, 0])
            for index, measure in enumerate(("visitor_days", "hits", "beyond_agents")):
                totals[name][index] += int(effect.get(measure, 0))
        skipped += "no_assets" in (count.get("rules_skipped") or [])
    rows = [[_rule(name), str(RULE_LABELS[name][1]) if name in RULE_LABELS else "", *numbers]
            for name, numbers in totals.items()]
    notes = [_("A visitor-day (an address and browser on one day) is marked by the first rule it breaks, and all "
               "its requests count as a robot's.")]
    if skipped:
        notes.append(_("“%(rule)s” was not used for %(count)s of %(total)s imports: their logs hold almost no "
                       "requests for style sheets, scripts or images (a CDN may serve them), so fetching none says "
                       "nothing about a visitor.") % {"rule": _rule("no_assets"), "count": skipped,
                                                      "total": len(counts)})
    return Section(key="rules", title=_("Robots recognised by behaviour"),
                   columns=[Column(_("Rule")), Column(_("What it looks for")), Column(_("Visitor-days")),
                            Column(_("Requests")), Column(_("Requests not already known as robots"))],
                   rows=rows, notes=notes,
                   description=_("Programs that pretend to be browsers give themselves away by what they do."))


SECTIONS: dict[str, Builder] = {
    "kpis": kpis, "trend": trend, "hour_of_week": hour_of_week, "referrer_groups": referrer_groups,
    "devices": devices, "goaccess": goaccess,
    "top_pages": top_pages, "areas": areas, "unvisited": unvisited, "downloads": downloads,
    "not_found": not_found, "exports": exports,
    "referrers": referrers, "search_terms": search_terms,
    "browsers": browsers, "systems": systems,
    "humans_and_robots": humans_and_robots, "robots": robots, "rules": rules,
}
PAGES: dict[str, tuple[str, ...]] = {
    "overview": ("kpis", "trend", "hour_of_week", "referrer_groups", "devices", "goaccess"),
    "content": ("top_pages", "areas", "unvisited", "downloads", "not_found", "exports"),
    "sources": ("referrer_groups", "referrers", "search_terms"),
    "technology": ("devices", "browsers", "systems"),
    "robots": ("humans_and_robots", "robots", "rules"),
}


