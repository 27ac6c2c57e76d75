"""The synthetic access log, recounted from its lines the way an analyst would, never from the generator's own
figures. Expected values come from the brief (48,000 visits and 125,000 human page views in the demo year, bots a
fifth to a third of the lines), the calendar (DST changes on 27 October 2019 and 29 March 2020, Easter 9–13 April
2020, the first Tuesdays of the months) and two independent libraries for user agents (crawlerdetect, ua-parser)."""

from __future__ import annotations

import gzip
import hashlib
import ipaddress
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import ua_parser
from crawlerdetect import CrawlerDetect

from evidens.demo.weblog import SITE_AREAS, easter_sunday, synthetic_log, write_log

FIRST_DAY, LAST_DAY, VISITS = date(2019, 10, 1), date(2020, 9, 30), 48_000
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

# Apache's combined format as Apache writes it: %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i".
LINE = re.compile(
    r"(?P<ip>\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}) - - "
    r"\[(?P<day>\d{2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/\d{4}):"
    r"(?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d):(?P<second>[0-5]\d) (?P<offset>[+-]\d{4})\] "
    r'"(?P<method>GET|HEAD|POST) (?P<path>/[!-~]*) HTTP/1\.[01]" (?P<status>[1-5]\d\d) (?P<size>[1-9]\d*|0|-) '
    r'"(?P<referrer>-|(?:https?|android-app)://[!#-~]+)" "(?P<agent>[ -!#-~]+)"\n'
)
BOT_MARKERS = ("Googlebot", "bingbot", "YandexBot", "AhrefsBot", "SemrushBot", "UptimeRobot", "python-requests/",
               "curl/")
ASSET = re.compile(r"^/static/|^/favicon\.ico$|\.(?:css|js|png|jpe?g|gif|svg|ico|woff2?)$")
DOCUMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?)$")
# What vulnerability scanners look for on every site; this site has none of it.
PROBE = re.compile(r"^/(?:\.|wp-|xmlrpc\.php|phpmyadmin|admin\.php|vendor/|cgi-bin/|config\.php|backup\.zip)")
DST_DAYS = ("27/Oct/2019", "29/Mar/2020")
# The first Tuesday of every month but July, looked up in a calendar.
NEWSLETTER_DAYS = (date(2019, 10, 1), date(2019, 11, 5), date(2019, 12, 3), date(2020, 1, 7), date(2020, 2, 4),
                   date(2020, 3, 3), date(2020, 4, 7), date(2020, 5, 5), date(2020, 6, 2), date(2020, 8, 4),
                   date(2020, 9, 1))


def bot_agent(agent: str) -> bool:
    return any(marker in agent for marker in BOT_MARKERS)


@dataclass(slots=True)
class PageView:
    epoch: int
    day: date
    hour: int
    client: tuple[str, str]
    path: str
    referrer: str


@dataclass
class Recount:
    malformed: list[str] = field(default_factory=list)
    time_went_back: int = 0
    candidate_page_views: list[PageView] = field(default_factory=list)
    by_client: Counter[tuple[str, str]] = field(default_factory=Counter)  # candidate page views
    lines_by_client: Counter[tuple[str, str]] = field(default_factory=Counter)  # (address, agent) → lines
    assets_by_client: Counter[tuple[str, str]] = field(default_factory=Counter)
    posts_by_client: Counter[tuple[str, str]] = field(default_factory=Counter)
    probing_clients: set[tuple[str, str]] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)
    stylesheets: Counter[str] = field(default_factory=Counter)  # status → requests for site.css by people
    downloads: Counter[str] = field(default_factory=Counter)  # extension → documents people downloaded
    download_paths: set[str] = field(default_factory=set)
    uptime_checks: list[int] = field(default_factory=list)
    dst_lines: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))

    @cached_property
    def lines(self) -> int:
        return self.lines_by_client.total()

    @cached_property
    def bot_agent_lines(self) -> int:
        return sum(lines for (_, agent), lines in self.lines_by_client.items() if bot_agent(agent))

    @cached_property
    def scrapers(self) -> set[tuple[str, str]]:
        return {client for client, views in self.by_client.items()
                if views > 50 and not self.assets_by_client[client]}

    @cached_property
    def page_views(self) -> list[PageView]:
        """GET with 2xx or 304 of a page (not an asset, not a document) by a browser agent, without the fast
        clients that load no assets."""
        return [view for view in self.candidate_page_views if view.client not in self.scrapers]

    @cached_property
    def visits(self) -> list[list[PageView]]:
        """Page views of one client with at most 30 minutes between them make a visit."""
        visits: list[list[PageView]] = []
        open_visit: dict[tuple[str, str], list[PageView]] = {}
        for view in self.page_views:
            current = open_visit.get(view.client)
            if current is None or view.epoch - current[-1].epoch > 1800:
                current = []
                visits.append(current)
                open_visit[view.client] = current
            current.append(view)
        return visits


def midnight_epoch(day: date, offset: str) -> int:
    """Epoch seconds of 00:00 local time on ``day`` at ``offset``."""
    minutes = int(offset[1:3]) * 60 + int(offset[3:])
    return (day.toordinal() - date(1970, 1, 1).toordinal()) * 86400 - (1 if offset[0] == "+" else -1) * minutes * 60


def recount() -> Recount:
    result = Recount()
    midnights: dict[tuple[str, str], tuple[date, int]] = {}
    kinds: dict[str, str] = {}
    bots: dict[str, bool] = {}
    lines_by_client, statuses, page_views = result.lines_by_client, result.statuses, result.candidate_page_views
    previous = 0
    for line in synthetic_log(first_day=FIRST_DAY, last_day=LAST_DAY, visits=VISITS):
        match = LINE.fullmatch(line)
        if match is None:
            result.malformed.append(line)
            continue
        ip, day, hour_text, minute, second, offset, method, path, status, _, referrer, agent = match.groups()
        if (day, offset) not in midnights:
            parsed = datetime.strptime(day, "%d/%b/%Y").date()  # noqa: DTZ007 - a calendar day; the offset follows
            midnights[day, offset] = parsed, midnight_epoch(parsed, offset)
        calendar_day, midnight = midnights[day, offset]
        hour = int(hour_text)
        epoch = midnight + hour * 3600 + int(minute) * 60 + int(second)
        if epoch < previous:
            result.time_went_back += 1
        previous = epoch
        if day in DST_DAYS:
            result.dst_lines[day].append((hour, offset))
        statuses[status] += 1
        client = (ip, agent)
        lines_by_client[client] += 1
        if agent not in bots:
            bots[agent] = bot_agent(agent)
        if bots[agent]:
            if "UptimeRobot" in agent:
                result.uptime_checks.append(epoch)
            continue
        bare_path = path.partition("?")[0]
        if bare_path not in kinds:
            kinds[bare_path] = ("probe" if PROBE.search(bare_path) else "asset" if ASSET.search(bare_path)
                                else "document" if DOCUMENT.search(bare_path) else "page")
        kind = kinds[bare_path]
        if kind == "probe":
            result.probing_clients.add(client)
        if method == "POST":
            result.posts_by_client[client] += 1
        if kind == "asset":
            result.assets_by_client[client] += 1
            if bare_path == "/static/css/site.css":
                result.stylesheets[status] += 1
        elif kind == "document":
            if status == "200":
                result.downloads[bare_path.rsplit(".", 1)[-1]] += 1
                result.download_paths.add(bare_path)
        elif method == "GET" and (status[0] == "2" or status == "304"):
            page_views.append(PageView(epoch, calendar_day, hour, client, path, referrer))
            result.by_client[client] += 1
    return result


@pytest.fixture(scope="module")
def year() -> Recount:
    return recount()


def per_day(views: list[PageView]) -> Counter[date]:
    return Counter(view.day for view in views)


def share(views: list[PageView], prefix: str, year: int, month: int) -> float:
    in_month = [view for view in views if (view.day.year, view.day.month) == (year, month)]
    return sum(view.path.startswith(prefix) for view in in_month) / len(in_month)


# --- format, order, determinism ---------------------------------------------------------------------------------


def test_every_line_is_a_combined_log_line_in_ascii(year: Recount) -> None:
    assert year.malformed == []  # the pattern admits printable ASCII only
    assert 500_000 < year.lines < 900_000


def test_the_line_pattern_rejects_what_apache_would_not_write() -> None:
    good = ('10.1.2.3 - - [01/Oct/2019:08:15:02 +0200] "GET /viden/x/ HTTP/1.1" 200 5123 "https://www.google.dk/" '
            '"Mozilla/5.0 (Windows NT 10.0; Win64; x64)"\n')
    assert LINE.fullmatch(good)
    for bad in (good.replace("Oct", "Okt"), good.replace("08:15", "8:15"), good.replace(" +0200", ""),
                good.replace("GET /viden/x/", "GET viden/x/"), good.replace("GET /viden/x/", "GET /viden/ø/"),
                good.replace(" 5123 ", " 05123 "), good.rstrip("\n"), good.replace('"https', '"ftp')):
        assert not LINE.fullmatch(bad), bad


def test_time_never_goes_back(year: Recount) -> None:
    assert year.time_went_back == 0


def test_offsets_follow_copenhagen_time(year: Recount) -> None:
    autumn = year.dst_lines["27/Oct/2019"]
    # 02:00–02:59 happens twice: first in summer time, then in winter time, and never summer after winter.
    assert {offset for hour, offset in autumn if hour == 2} == {"+0200", "+0100"}
    offsets = [offset for _, offset in autumn]
    assert offsets == sorted(offsets, reverse=True)  # "+0200" lines, then "+0100" lines
    assert {offset for hour, offset in autumn if hour < 2} == {"+0200"}
    assert {offset for hour, offset in autumn if hour > 2} == {"+0100"}
    spring = year.dst_lines["29/Mar/2020"]
    assert not [hour for hour, _ in spring if hour == 2]  # 02:00–02:59 does not exist that night
    assert {offset for hour, offset in spring if hour < 2} == {"+0100"}
    assert {offset for hour, offset in spring if hour > 2} == {"+0200"}


def test_offsets_on_ordinary_days_match_zoneinfo() -> None:
    for first_day in (date(2019, 11, 15), date(2020, 6, 15)):
        for line in synthetic_log(first_day=first_day, last_day=first_day, visits=100):
            match = LINE.fullmatch(line)
            assert match is not None
            local = datetime.strptime(f"{match['day']} {match['hour']}", "%d/%b/%Y %H").replace(tzinfo=COPENHAGEN)
            assert local.strftime("%z") == match["offset"]


def test_uptime_monitor_checks_every_five_minutes(year: Recount) -> None:
    gaps = Counter(later - earlier for earlier, later in zip(year.uptime_checks, year.uptime_checks[1:],
                                                               strict=False))
    assert gaps == {300: (LAST_DAY - FIRST_DAY).days * 288 + 287}


def test_same_seed_same_log_other_seed_other_log() -> None:
    def run(seed: int) -> list[str]:
        return list(synthetic_log(first_day=date(2020, 3, 9), last_day=date(2020, 3, 12), visits=600, seed=seed))

    first = run(7)
    assert run(7) == first
    assert run(8) != first
    assert run(8)[:50] != first[:50]


def test_same_log_whatever_the_hash_seed() -> None:
    """Nothing may depend on the order of a set of strings, which changes from one Python process to the next."""
    program = ("import hashlib, sys; from datetime import date; from evidens.demo.weblog import synthetic_log; "
               "lines = synthetic_log(first_day=date(2020, 3, 10), last_day=date(2020, 3, 11), visits=300); "
               "sys.stdout.write(hashlib.sha256(''.join(lines).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60,
                              env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": str(seed)}, cwd=Path.cwd()).stdout
               for seed in (1, 2)}
    here = synthetic_log(first_day=date(2020, 3, 10), last_day=date(2020, 3, 11), visits=300)
    assert digests == {hashlib.sha256("".join(here).encode()).hexdigest()}


def test_the_log_streams() -> None:
    """Eighty years with 50 million visits still give a first line at once: nothing is built ahead."""
    lines = synthetic_log(first_day=date(2020, 1, 1), last_day=date(2099, 12, 31), visits=50_000_000)
    assert LINE.fullmatch(next(lines))


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        next(synthetic_log(first_day=date(2020, 1, 2), last_day=date(2020, 1, 1), visits=10))
    with pytest.raises(ValueError, match="negative"):
        next(synthetic_log(first_day=date(2020, 1, 1), last_day=date(2020, 1, 1), visits=-1))


@pytest.mark.parametrize("name", ["access.log", "access.log.gz"])
def test_write_log_writes_the_lines_and_counts_them(tmp_path: Path, name: str) -> None:
    def write(path: Path) -> int:
        return write_log(path, first_day=date(2019, 12, 30), last_day=date(2020, 1, 2), visits=400, seed=5)

    written = write(tmp_path / name)
    expected = list(synthetic_log(first_day=date(2019, 12, 30), last_day=date(2020, 1, 2), visits=400, seed=5))
    raw = (tmp_path / name).read_bytes()
    if name.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b"
        raw = gzip.decompress(raw)
    assert raw.decode("ascii").splitlines(keepends=True) == expected
    assert written == len(expected)
    (tmp_path / "again").mkdir()
    write(tmp_path / "again" / name)
    assert (tmp_path / "again" / name).read_bytes() == (tmp_path / name).read_bytes()


# --- the demo year's totals ---------------------------------------------------------------------------------------


def test_human_page_views_near_125_000(year: Recount) -> None:
    assert 112_500 <= len(year.page_views) <= 137_500


def test_visits_near_48_000(year: Recount) -> None:
    visits = year.visits
    assert 43_200 <= len(visits) <= 52_800
    assert 2.2 <= len(year.page_views) / len(visits) <= 3.0
    lengths = Counter(len(visit) for visit in visits)
    assert lengths.most_common(1)[0][0] == 1  # geometric: one page is the most common visit
    assert max(lengths) >= 15


def test_some_visitors_come_back(year: Recount) -> None:
    visits_per_client = Counter(visit[0].client for visit in year.visits)
    returning = sum(count > 1 for count in visits_per_client.values())
    assert returning / len(visits_per_client) > 0.1
    assert year.stylesheets["304"] > 0.1 * year.stylesheets["200"]  # their browsers revalidate


def test_first_page_views_load_the_assets(year: Recount) -> None:
    visits = len(year.visits)
    stylesheets = year.stylesheets["200"] + year.stylesheets["304"]
    assert 0.8 * visits <= stylesheets <= 1.05 * visits  # not for documents opened straight from Google


def disguised_clients(year: Recount) -> set[tuple[str, str]]:
    """Machines with browser agents: scrapers, scanners and whoever posts the contact form over and over."""
    flooders = {client for client, posts in year.posts_by_client.items() if posts > 50}
    assert year.scrapers and year.probing_clients and flooders
    return year.scrapers | year.probing_clients | flooders


def test_machines_make_a_fifth_to_a_third_of_the_lines(year: Recount) -> None:
    disguised = sum(year.lines_by_client[client] for client in disguised_clients(year))
    assert 0.2 <= (year.bot_agent_lines + disguised) / year.lines <= 0.3


def test_abuse_hides_behind_browser_agents_that_crawler_lists_miss(year: Recount) -> None:
    detector = CrawlerDetect()
    for _, agent in disguised_clients(year):
        assert not detector.isCrawler(agent), agent
    assert all(detector.isCrawler(agent) for _, agent in year.lines_by_client if bot_agent(agent))


def test_browsers_are_the_ones_of_2019_and_2020(year: Recount) -> None:
    detector = CrawlerDetect()
    people = {view.client[1] for view in year.page_views}
    assert not [agent for agent in people if detector.isCrawler(agent)]
    families = {parsed.user_agent.family for parsed in map(ua_parser.parse, people) if parsed.user_agent}
    assert families <= {"Chrome", "Firefox", "Edge", "Safari", "IE", "Mobile Safari", "Chrome Mobile",
                        "Samsung Internet"}
    assert {"Chrome", "Firefox", "Edge", "Safari", "Mobile Safari", "Chrome Mobile"} <= families
    devices = Counter(parsed.device.family for parsed in map(ua_parser.parse, people) if parsed.device)
    assert devices["iPhone"] and devices["iPad"]
    assert any("Android" in agent for agent in people)
    assert any("Chrome/85." in agent for agent in people) and any("Chrome/77." in agent for agent in people)


def test_addresses_belong_to_nobody(year: Recount) -> None:
    addresses = [ipaddress.ip_address(address) for address in {address for address, _ in year.lines_by_client}]
    assert not [address for address in addresses if address.is_global]
    v6 = [address for address in addresses if address.version == 6]
    assert all(address in ipaddress.ip_network("2001:db8::/32") for address in v6)
    assert len(v6) > 0.05 * len(addresses)


def test_a_visitor_keeps_one_address_and_one_browser(year: Recount) -> None:
    agents_by_address: dict[str, set[str]] = defaultdict(set)
    for view in year.page_views:
        agents_by_address[view.client[0]].add(view.client[1])
    assert max(len(agents) for agents in agents_by_address.values()) == 1


# --- the site ---------------------------------------------------------------------------------------------------


def test_pages_spread_over_the_areas_with_a_long_tail(year: Recount) -> None:
    views = year.page_views
    for area in SITE_AREAS[:-1]:
        in_area = Counter(view.path.split("?")[0] for view in views if view.path.startswith(area.prefix))
        assert len(in_area) >= 100, area
        counts = sorted(in_area.values(), reverse=True)
        assert counts[0] > 8 * statistics.median(counts), area  # a few pages draw most readers
    slugs = {view.path.split("?")[0] for view in views}
    assert all(re.fullmatch(r"/(?:[a-z0-9-]+/)*(?:kontakt|soeg)?", slug) for slug in slugs)
    assert any("oe" in slug for slug in slugs) and any("aa" in slug for slug in slugs)


def test_downloads_are_documents_under_media(year: Recount) -> None:
    assert SITE_AREAS[-1].prefix == "/media/"
    assert all(path.startswith("/media/") for path in year.download_paths)
    assert len(year.download_paths) >= 100
    assert set(year.downloads) == {"pdf", "docx", "xlsx"}
    assert year.downloads["pdf"] > year.downloads["docx"]


def test_people_search_in_danish(year: Recount) -> None:
    terms: Counter[str] = Counter()
    old_search = 0
    for view in year.page_views:
        parts = urlsplit(view.path)
        query = parse_qs(parts.query)
        if parts.path == "/soeg":
            terms.update(query["q"])
        elif "s" in query:
            old_search += 1
    assert {"renovering", "beboerdemokrati", "huslejeberegning", "råderet", "grøn omstilling"} <= set(terms)
    assert old_search > 0


def test_referrers_come_from_search_social_partners_and_mail(year: Recount) -> None:
    entries = Counter(visit[0].referrer for visit in year.visits)
    hosts = Counter(urlsplit(referrer).netloc for referrer in entries.elements())
    assert hosts["www.google.dk"] > hosts["www.google.com"] > hosts["www.bing.com"] > 0
    assert entries["-"] > 0.15 * sum(entries.values())
    for host in ("www.bl.dk", "www.realdania.dk", "www.lbf.dk", "m.facebook.com", "www.linkedin.com",
                 "outlook.office.com", "mail.google.com"):
        assert hosts[host] > 0, host
    # A visit is entered from outside; it seems to start inside only after an old link ended in "not found".
    assert hosts["www.almennet.dk"] < 0.02 * sum(hosts.values())


# --- time -------------------------------------------------------------------------------------------------------


def test_weekdays_far_above_weekends_and_working_hours_on_top(year: Recount) -> None:
    views = year.page_views
    days = per_day(views)
    weekdays = [days[day] for day in days if day.weekday() < 5]
    weekends = [days[day] for day in days if day.weekday() >= 5]
    assert statistics.mean(weekdays) > 3 * statistics.mean(weekends)
    hours = Counter(view.hour for view in views if view.day.weekday() < 5)
    assert 9 <= hours.most_common(1)[0][0] <= 15
    assert sum(hours[hour] for hour in range(9, 16)) > 0.5 * sum(hours.values())


def test_holidays_are_quiet(year: Recount) -> None:
    days = per_day(year.page_views)
    november_weekdays = statistics.mean(days[day] for day in days if day.month == 11 and day.weekday() < 5)
    christmas = [date(2019, 12, 24) + timedelta(days=offset) for offset in range(9)]
    assert statistics.mean(days[day] for day in christmas) < 0.4 * november_weekdays
    easter = [date(2020, 4, 9) + timedelta(days=offset) for offset in range(5)]
    around_easter = [day for day in days if date(2020, 3, 30) <= day <= date(2020, 4, 24) and day.weekday() < 5
                     and day not in easter]
    assert statistics.mean(days[day] for day in easter) < 0.5 * statistics.mean(days[day] for day in around_easter)
    by_month = Counter({(day.year, day.month): count for day, count in days.items()})
    july = sum(count for (year_, month), count in by_month.items() if (year_, month) == (2020, 7))
    september = sum(count for (year_, month), count in by_month.items() if (year_, month) == (2020, 9))
    assert july < 0.6 * september


def test_easter_sunday_matches_the_calendar() -> None:
    assert [easter_sunday(year) for year in (2019, 2020, 2021, 2024, 2025)] == [
        date(2019, 4, 21), date(2020, 4, 12), date(2021, 4, 4), date(2024, 3, 31), date(2025, 4, 20)]


def test_newsletter_days_spike(year: Recount) -> None:
    assert all(day.weekday() == 1 and day.day <= 7 for day in NEWSLETTER_DAYS)
    visits_per_day = Counter(visit[0].day for visit in year.visits)
    for sent in NEWSLETTER_DAYS:
        other_tuesdays = [visits_per_day[day] for day in visits_per_day
                          if day.weekday() == 1 and day.month == sent.month and day != sent]
        assert visits_per_day[sent] > 1.5 * statistics.median(other_tuesdays), sent
    campaign_days: Counter[date] = Counter()
    for view in year.page_views:
        query = parse_qs(urlsplit(view.path).query)
        if query.get("utm_source") == ["nyhedsbrev"]:
            sent = next(day for day in NEWSLETTER_DAYS if 0 <= (view.day - day).days <= 2)
            assert query["utm_campaign"] == [f"nyhedsbrev-{sent:%Y-%m}"]
            campaign_days[view.day] += 1
    assert sum(campaign_days[day] for day in NEWSLETTER_DAYS) > 0.6 * sum(campaign_days.values())
    mail_clients = {view.referrer for view in year.page_views if "utm_source=nyhedsbrev" in view.path}
    assert {"-", "https://outlook.office.com/", "https://mail.google.com/"} <= mail_clients


def test_the_lockdown_moves_readers_from_events_to_tools_and_knowledge(year: Recount) -> None:
    views = year.page_views
    assert share(views, "/arrangementer/", 2020, 4) < 0.5 * share(views, "/arrangementer/", 2019, 11)
    assert share(views, "/kurser/", 2020, 4) < share(views, "/kurser/", 2019, 11)
    assert share(views, "/vaerktoejer/", 2020, 4) > 1.2 * share(views, "/vaerktoejer/", 2019, 11)
    assert share(views, "/viden/", 2020, 4) > 1.2 * share(views, "/viden/", 2019, 11)
    corona = [view for view in views if "corona" in view.path]
    assert min(view.day for view in corona) >= date(2020, 3, 11)
    assert share(views, "/viden/corona/", 2020, 4) > 0.02


def test_people_see_a_few_errors(year: Recount) -> None:
    assert 0 < year.statuses["404"] < 0.02 * year.lines
    assert year.statuses["301"] > 0
