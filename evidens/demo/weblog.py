"""A synthetic access log of AlmenNet's website, for the demo's web statistics and for benchmarks.

``synthetic_log`` streams Apache "combined" lines in time order for a span of days; ``write_log`` writes them to
a file (gzip when the name ends in ``.gz``). The same arguments and seed give the same bytes. The log is meant to
tell the story the demo's charts should find:

- people: visitors with a stable browser, some coming back; one to many page views per visit (about 2.6 on
  average), entered from search engines, bookmarks, social media, partner sites or the newsletter; the first page
  of a visit loads the site's styles, scripts and images, a returning browser revalidates them (304);
- time: weekdays far above weekends, working hours 9–15, quiet Christmas, Easter and July; a spike on every
  newsletter day (the first Tuesday of the month, not in July); from 11 March 2020 (the Danish lockdown) events
  and courses fall, the tools and the knowledge bank rise, and a cluster of corona pages appears;
- machines, about a quarter of the lines: search engine and SEO crawlers, an uptime monitor every five minutes,
  scripts, and abuse behind browser user agents (vulnerability scanners, a spam flood against the contact form,
  a fast scraper that loads no assets).

Every IP address is synthetic and belongs to no person: visitors get addresses from the private range
10.0.0.0/8 (broadband), the carrier-grade NAT range 100.64.0.0/10 (mobile) and the IPv6 documentation prefix
2001:db8::/32; machines get 172.16.0.0/12. Visitor addresses come from a counter through a bijective scramble,
so no two visitors share one (up to four million visitors; a benchmark of two million lines has about 100,000).
The external sites in referrers are the real sites that link to the sector.

Streaming: the only state that grows with time is one number per day; events are collected per day, sorted and
written before the next day starts, and the pool of returning visitors has a fixed size.
Pure: no database, no clock, no global random generator.
"""

from __future__ import annotations

import gzip
import ipaddress
import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import accumulate, product
from operator import itemgetter
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from evidens.demo import data
from evidens.demo.generator import apportion, ascii_slug

ZONE = ZoneInfo("Europe/Copenhagen")
SITE_ORIGIN = "https://www.almennet.dk"
LOCKDOWN = date(2020, 3, 11)  # Denmark closed down on the evening of 11 March 2020


@dataclass(frozen=True)
class SiteArea:
    prefix: str
    name: str


NEWS = SiteArea("/nyheder/", "Nyheder")
PROJECTS = SiteArea("/projekter/", "Projekter")
TOOLS = SiteArea("/vaerktoejer/", "Værktøjer")
EVENTS = SiteArea("/arrangementer/", "Arrangementer")
NETWORKS = SiteArea("/netvaerk/", "Netværk")
COURSES = SiteArea("/kurser/", "Kurser")
KNOWLEDGE = SiteArea("/viden/", "Videnbank")
DOWNLOADS = SiteArea("/media/", "Downloads")
SITE_AREAS: tuple[SiteArea, ...] = (NEWS, PROJECTS, TOOLS, EVENTS, NETWORKS, COURSES, KNOWLEDGE, DOWNLOADS)


def synthetic_log(*, first_day: date, last_day: date, visits: int, seed: int = data.DEMO_SEED) -> Iterator[str]:
    """Apache combined lines (each ending in a newline) from ``first_day`` to ``last_day`` inclusive, in time order,
    with ``visits`` human visits in all.

    Counted from page views (documents and errors are not page views), about 3 % of the visits disappear: those
    that only open a document from a search engine or only meet a "not found". ``visits=48_000`` over the demo
    year gives about 46,600 visits and 125,800 page views that way, and about 670,000 lines.
    """
    for lines in _daily_lines(first_day, last_day, visits, seed):
        yield from lines


def write_log(path: Path, *, first_day: date, last_day: date, visits: int, seed: int = data.DEMO_SEED) -> int:
    """Write ``synthetic_log`` to ``path`` (gzip when it ends in ``.gz``) and return the number of lines."""
    written = 0
    # mtime=0 keeps the gzip header free of the clock, so the same log always gives the same file.
    with (gzip.GzipFile(path, "wb", compresslevel=3, mtime=0) if path.name.endswith(".gz")
          else path.open("wb")) as out:
        for lines in _daily_lines(first_day, last_day, visits, seed):
            out.write("".join(lines).encode("ascii"))
            written += len(lines)
    return written


# --- the website ------------------------------------------------------------------------------------------------

T = TypeVar("T")


class _Picker(Generic[T]):
    """Draws items with fixed weights: one ``random()`` and a binary search per draw."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        # The last item twice: rounding can make random() * total equal to total.
        self._items = (*items, items[-1])
        self._cumulative = list(accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect_right(self._cumulative, rng.random() * self._total)]


def _zipf(items: Sequence[T], exponent: float = 1.0) -> _Picker[T]:
    return _Picker(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


@dataclass(frozen=True, slots=True)
class _Page:
    path: str
    size: int


# Sections: the site areas plus the pages outside them; "corona" is the cluster under /viden/corona/.
HOME, ABOUT, SEARCH, CORONA = "home", "about", "search", "corona"
_KNOWLEDGE_SECTIONS = ("viden", "vaerktoejer", CORONA)

# Share of page views per section before the lockdown.
_SECTION_SHARE = {HOME: 0.12, ABOUT: 0.04, SEARCH: 0.03, "nyheder": 0.13, "projekter": 0.08, "vaerktoejer": 0.09,
                  "arrangementer": 0.11, "netvaerk": 0.08, "kurser": 0.07, "viden": 0.19, "media": 0.04}

_TOPICS = (
    "renovering", "beboerdemokrati", "huslejeberegning", "helhedsplaner", "boligsocial indsats", "grøn omstilling",
    "energirenovering", "driftsøkonomi", "udlejning", "ventelister", "fraflytning", "vedligeholdelsesplaner",
    "drift og service", "ejendomsfunktionærer", "afdelingsmøder", "afdelingsbestyrelser", "budgetlægning",
    "regnskab", "Landsbyggefonden", "infrastrukturtilskud", "udsatte boligområder", "digitalisering",
    "beboerkommunikation", "nybyggeri", "almene ældreboliger", "ungdomsboliger", "bæredygtighed",
    "affaldssortering", "klimatilpasning", "tryghed", "naboskab", "frivillighed", "ledelse", "effektivisering",
    "indkøb og udbud", "byggeskader", "fugt og skimmel", "tilgængelighed", "fællesarealer", "grønne områder",
    "trivsel", "beboerrådgivning", "boligtildeling", "fleksibel udlejning", "dispositionsfonden", "arbejdsmiljø",
    "databeskyttelse", "råderet", "husorden", "beboerklagenævn", "forbedringsarbejder", "styringsdialog",
    "vaskerier", "beboerhuse", "unge i boligområderne",
)
_PLACES = tuple(municipality.name for municipality in data.MUNICIPALITIES)
_TITLE_PATTERNS = {
    "viden": ("{T}: sådan gør I", "{T} – en introduktion", "Erfaringer med {t}", "Tjekliste: {t}",
              "Spørgsmål og svar om {t}", "Ti gode råd om {t}", "Reglerne om {t}", "{T} i praksis",
              "Nøgletal for {t}", "Guide til {t} for afdelingsbestyrelser"),
    "nyheder": ("Ny vejledning om {t}", "Ny rapport om {t}", "Erfaringer: {t} virker", "Netværk sætter fokus på {t}",
                "Boligorganisationer satser på {t}", "Stor interesse for {t}", "Fem spørgsmål om {t}",
                "Nye tal om {t}", "Pulje til {t} åbner"),
    "projekter": ("{T} i {place}", "Forsøg med {t} i {place}", "Udviklingsprojekt om {t}",
                  "Partnerskab om {t} i {place}"),
    "vaerktoejer": ("Skabelon til {t}", "Beregner til {t}", "Tjekliste til {t}", "Dialogkort om {t}",
                    "Selvevaluering af {t}", "Procesguide til {t}", "Værktøjskasse: {t}"),
    "arrangementer": ("Temadag om {t} {year}", "Konference om {t} {year}", "Morgenmøde om {t} {year}",
                      "Inspirationsdag: {t} {year}", "Studietur: {t} {year}"),
    "kurser": ("Kursus i {t}", "Introduktion til {t}", "{T} for afdelingsbestyrelser",
               "{T} for ejendomsfunktionærer", "Efteruddannelse i {t}", "Masterclass: {t}"),
}
_PAGES_PER_SECTION = {"viden": 320, "nyheder": 300, "projekter": 220, "vaerktoejer": 180, "arrangementer": 260,
                      "kurser": 160}
_NETWORKS = (
    "driftschefer", "boligsociale medarbejdere", "kommunikationsmedarbejdere", "udlejningschefer", "økonomichefer",
    "HR-medarbejdere", "byggeafdelinger", "it-ansvarlige", "direktører", "projektledere", "ejendomsfunktionærer",
    "beboerrådgivere", "organisationsbestyrelser", "miljømedarbejdere", "jurister", "driftsledere",
    "energiansvarlige", "indkøbere", "ledere af boligsociale helhedsplaner", "nyuddannede i sektoren",
    "kundecentre", "byggeudvalg", "trivselsmedarbejdere", "ungdomsboligorganisationer", "seniorboligfællesskaber",
    "administrationsorganisationer", "boligchefer", "datamedarbejdere", "arkitekter i boligorganisationer",
    "frivillighedskoordinatorer",
)
_NETWORK_PAGES = ("", "moeder/", "materialer/", "referater/", "tilmelding/", "medlemmer/")
_CORONA_TITLES = (
    "Corona: det skal I vide som boligorganisation", "Afdelingsmøder udskydes under corona",
    "Sådan holder I digitale afdelingsmøder", "Genhusning og smitterisiko", "Rengøring af fællesarealer under corona",
    "Ejendomsfunktionærer og corona: arbejdsmiljø", "Beboere i selvisolation: hjælp og naboskab",
    "Udlejning og fremvisning under corona", "Byggepladser under corona", "Huslejerestancer under corona",
    "Corona: spørgsmål og svar", "Frivillige hjælper ældre beboere", "Hjemmearbejde i administrationen",
    "Genåbning af beboerhuse og vaskerier", "Mundbind og afstand i opgangene", "Corona og beboerdemokrati",
)
_ABOUT_PAGES = ("/om-almennet/", "/om-almennet/medlemmer/", "/om-almennet/bestyrelse/", "/om-almennet/sekretariat/",
                "/medlemskab/", "/kontakt", "/nyhedsbrev/", "/presse/", "/job/", "/privatlivspolitik/")
_SEARCH_TERMS = (
    "renovering", "beboerdemokrati", "huslejeberegning", "helhedsplan", "afdelingsmøde", "budget",
    "vedligeholdelsesplan", "fraflytning", "grøn omstilling", "boligsocial", "udlejning", "venteliste", "tryghed",
    "energirenovering", "regnskab", "ejendomsfunktionær", "kursus", "netværk", "konference", "årsmøde", "skabelon",
    "vejledning", "driftsoptimering", "affald", "beboerklagenævn", "husorden", "råderet", "forbedringsarbejder",
    "fællesarealer", "styringsdialog", "skimmel", "ungdomsboliger", "ældreboliger", "lbf", "infrastruktur",
)
_LOCKDOWN_SEARCH_TERMS = ("corona", "covid-19", "digitale afdelingsmøder", "afdelingsmøde corona", "hjemmearbejde",
                          "genhusning", "mundbind")
_OLD_PATHS = ("/nyheder/2016/nyt-fra-sekretariatet/", "/index.php?id=118", "/files/aarsberetning-2015.pdf",
              "/viden/gammel-vejledning-om-huslejer/", "/arrangementer/aarsmoede-2017/", "/kurser/tilmelding/2017/",
              "/netvaerk/erfa-drift/", "/projekter/boligsocial-2014/")


def _head(method: str, path: str, status: int, size: int | str) -> str:
    """The part of a combined line from the request to the size; ``_tail`` is the rest."""
    return f'"{method} {path} HTTP/1.1" {status} {size} '


def _tail(referrer: str, user_agent: str) -> str:
    return f'"{referrer}" "{user_agent}"\n'


# The first page of a visit loads these; the big ones finish a second later.
_SHARED_ASSETS = (("/static/css/site.css", 48_213), ("/static/js/site.js", 91_544),
                  ("/static/img/logo.svg", 6_871), ("/static/fonts/source-sans-pro.woff2", 28_502))
_FETCHED_ASSETS = tuple((int(size > 50_000), _head("GET", path, 200, size)) for path, size in _SHARED_ASSETS)
_REVALIDATED_ASSETS = tuple(_head("GET", path, 304, "-") for path, _ in _SHARED_ASSETS)
_FAVICON = _head("GET", "/favicon.ico", 200, 5_430)
_MISSING_IMAGE = _head("GET", "/static/img/indhold/mangler.jpg", 404, 5_812)


class _Site:
    """The site's pages by section, each with a Zipf-like popularity, and what else a browser fetches."""

    def __init__(self, rng: random.Random) -> None:
        pages: dict[str, list[_Page]] = {HOME: [_Page("/", 31_204)],
                                         ABOUT: [_Page(path, _page_size(rng)) for path in _ABOUT_PAGES]}
        for section, count in _PAGES_PER_SECTION.items():
            pages[section] = [_Page(f"/{section}/{slug}/", _page_size(rng))
                              for slug in _titles(rng, _TITLE_PATTERNS[section], count)]
        networks = [_Page(f"/netvaerk/{ascii_slug(network)}/{sub}", _page_size(rng))
                    for network in _NETWORKS for sub in _NETWORK_PAGES]
        rng.shuffle(networks)  # popularity does not follow the alphabet
        pages["netvaerk"] = networks
        for section in [*_PAGES_PER_SECTION, "netvaerk"]:
            pages[section].insert(0, _Page(f"/{section}/", _page_size(rng)))  # an area's front page leads it
        pages[CORONA] = [_Page(f"/viden/corona/{ascii_slug(title)}/", _page_size(rng)) for title in _CORONA_TITLES]
        pages["media"] = [_download(rng, number, title)
                          for number, title in enumerate(_titles(rng, _TITLE_PATTERNS["viden"]
                                                                 + _TITLE_PATTERNS["vaerktoejer"], 300), 1000)]
        self.pages = pages
        self.popular = {section: _zipf(section_pages) for section, section_pages in pages.items()}
        self.crawlable = tuple(page for section, section_pages in pages.items() if section != CORONA
                               for page in section_pages)
        self.search = _zipf([_search_path(term) for term in _SEARCH_TERMS], 0.8)
        self.lockdown_search = _zipf([_search_path(term) for term in _LOCKDOWN_SEARCH_TERMS + _SEARCH_TERMS], 0.8)
        self.content_images = tuple(
            _head("GET", f"/static/img/indhold/{ascii_slug(topic)}.{extension}", 200, rng.randint(40, 260) * 1000)
            for topic, extension in zip(_TOPICS, ("jpg", "jpg", "png") * 20, strict=False))
        self.header_images: dict[str, tuple[str, str]] = {}  # section → (fetched, revalidated)
        for section in pages:
            path = f"/static/img/sidehoved/{section}.jpg"
            self.header_images[section] = (_head("GET", path, 200, rng.randint(90, 180) * 1000),
                                           _head("GET", path, 304, "-"))


def _page_size(rng: random.Random) -> int:
    return int(rng.lognormvariate(math.log(26_000), 0.3))


def _titles(rng: random.Random, patterns: Sequence[str], count: int) -> list[str]:
    combinations = list(product(patterns, _TOPICS))
    chosen = rng.sample(combinations, count)
    slugs = []
    for pattern, topic in chosen:
        title = pattern.format(t=topic, T=topic[0].upper() + topic[1:], place=rng.choice(_PLACES),
                               year=rng.choice((2018, 2019, 2020)))
        slugs.append(ascii_slug(title))
    return slugs


def _download(rng: random.Random, number: int, slug: str) -> _Page:
    if slug.startswith(("skabelon", "tjekliste", "procesguide")):
        return _Page(f"/media/{number}/{slug}.docx", rng.randint(35, 300) * 1000)
    if slug.startswith(("beregner", "noegletal")):
        return _Page(f"/media/{number}/{slug}.xlsx", rng.randint(30, 500) * 1000)
    return _Page(f"/media/{number}/{slug}.pdf", int(rng.lognormvariate(math.log(900_000), 0.7)))


def _search_path(term: str) -> str:
    return f"/soeg?q={quote_plus(term)}"


# --- the calendar -----------------------------------------------------------------------------------------------

_WEEKDAY_FACTOR = (1.0, 1.05, 1.0, 0.95, 0.72, 0.16, 0.2)  # Monday first
_WORKDAY_HOURS = (0.3, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 3.5, 7, 9, 9.5, 9, 7.5, 8.5, 8.5, 7, 4.5, 3, 2.8, 3, 3,
                  2.5, 1.6, 0.8)
_FREE_DAY_HOURS = (0.6, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 4, 5, 5.5, 5.5, 5.5, 5, 5, 4.5, 4, 4, 4.5, 5, 4.5,
                   3, 1.5)
_NEWSLETTER_SENT = 8 * 3600 + 30 * 60
_NEWSLETTER_WEIGHT = (1.4, 0.35, 0.12)  # extra visits on the day it is sent and the two days after, in weekdays


def easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def holiday_factor(day: date) -> float:
    """How much of a normal day's traffic a Danish holiday season leaves (1 outside them)."""
    easter = easter_sunday(day.year)
    from_easter = (day - easter).days
    if (day.month, day.day) >= (12, 24) or (day.month, day.day) <= (1, 1):
        return 0.25
    if (day.month, day.day) in ((12, 22), (12, 23), (1, 2), (1, 3)):
        return 0.55
    # Maundy Thursday to Easter Monday, Store Bededag, Ascension Day, Whit Monday.
    if -3 <= from_easter <= 1 or from_easter in (26, 39, 50):
        return 0.3
    # The bridge day after Ascension Day, Constitution Day.
    if from_easter == 40 or (day.month, day.day) == (6, 5):
        return 0.6
    if day.month == 7:
        return 0.55 if day.day <= 5 else 0.33
    if day.month == 8 and day.day <= 9:
        return 0.7
    week = day.isocalendar().week
    if week in (7, 42):  # winter and autumn school holidays
        return 0.85
    return 1.0


def newsletter_day(day: date) -> bool:
    """The newsletter goes out on the first Tuesday of every month except July."""
    return day.weekday() == 1 and day.day <= 7 and day.month != 7


def _section_weights(day: date) -> dict[str, float]:
    weights = dict(_SECTION_SHARE)
    if day < LOCKDOWN:
        weights[CORONA] = 0.0
        return weights
    since = (day - LOCKDOWN).days
    events_left = 0.3 if day < LOCKDOWN + timedelta(days=150) else 0.55  # a few events return after the summer
    weights["arrangementer"] *= events_left
    weights["kurser"] *= events_left + 0.15
    weights["viden"] *= 1.45
    weights["vaerktoejer"] *= 1.6
    weights[CORONA] = 0.11 * (0.25 + 0.75 * math.exp(-since / 45))
    return weights


# Where visitors come from: (source, share of visits, mean page views, entry multipliers per section).
_SOURCES: tuple[tuple[str, float, float, dict[str, float]], ...] = (
    ("google", 0.40, 2.45, {HOME: 0.2, "viden": 1.8, "vaerktoejer": 1.5, "media": 2.0, "kurser": 1.2,
                           CORONA: 2.0}),
    ("bing", 0.04, 2.55, {HOME: 0.3, "viden": 1.8, "vaerktoejer": 1.5, "media": 2.0}),
    ("direct", 0.28, 3.8, {HOME: 5, "media": 0.5, ABOUT: 1.5}),
    ("facebook", 0.05, 1.8, {HOME: 0.5, "nyheder": 4, "arrangementer": 3, "kurser": 1.5, "media": 0.2,
                             "viden": 0.5, "vaerktoejer": 0.5}),
    ("linkedin", 0.05, 1.95, {HOME: 0.5, "nyheder": 4, "arrangementer": 2.5, "kurser": 2, "media": 0.2}),
    ("partner", 0.08, 3.1, {HOME: 1, "projekter": 3, "viden": 1.5, "vaerktoejer": 1.5, ABOUT: 1.5}),
)
_NEWSLETTER_PAGES = 2.2
_NEWSLETTER_ENTRY = {HOME: 0.3, ABOUT: 0, "nyheder": 5, "arrangementer": 2, "kurser": 1.5}
_REFERRERS = {
    "google": _Picker(("https://www.google.dk/", "https://www.google.com/"), (0.8, 0.2)),
    "bing": _Picker(("https://www.bing.com/",), (1,)),
    "direct": _Picker(("-",), (1,)),
    "facebook": _Picker(("https://m.facebook.com/", "https://l.facebook.com/", "https://www.facebook.com/"),
                        (0.45, 0.35, 0.2)),
    "linkedin": _Picker(("https://www.linkedin.com/", "android-app://com.linkedin.android/"), (0.7, 0.3)),
    "partner": _Picker(("https://www.bl.dk/", "https://www.bl.dk/temaer/drift-og-service/", "https://www.realdania.dk/",
                        "https://www.realdania.dk/projekter/", "https://www.lbf.dk/", "https://www.lbf.dk/vejledninger/",
                        "https://www.cfbu.dk/"), (3, 2, 2, 1.5, 2, 1.5, 1)),
    "newsletter": _Picker(("-", "https://outlook.office.com/", "https://outlook.live.com/", "https://mail.google.com/",
                           "android-app://com.google.android.gm/"), (0.45, 0.15, 0.15, 0.15, 0.1)),
}


# --- browsers ---------------------------------------------------------------------------------------------------

class _Browser:
    """A browser's user agents by release day; ``{device}`` in them is filled from ``devices``."""

    def __init__(self, releases: Sequence[tuple[date, str]], update_lag_days: float,
                 devices: tuple[str, ...] = ("",)) -> None:
        self.release_days = [released for released, _ in releases]
        self.user_agents = [user_agent for _, user_agent in releases]
        self.update_lag_days = update_lag_days  # mean time before a user runs a new release
        self.devices = devices

    def user_agent(self, rng: random.Random, day: date) -> str:
        running = day - timedelta(days=int(rng.expovariate(1 / self.update_lag_days)))
        index = max(0, bisect_right(self.release_days, running) - 1)
        return self.user_agents[index].replace("{device}", rng.choice(self.devices))


_CHROME = ((date(2019, 9, 10), "77.0.3865.120"), (date(2019, 10, 22), "78.0.3904.108"),
           (date(2019, 12, 10), "79.0.3945.130"), (date(2020, 2, 4), "80.0.3987.149"),
           (date(2020, 4, 7), "81.0.4044.138"), (date(2020, 5, 19), "83.0.4103.116"),
           (date(2020, 7, 14), "84.0.4147.135"), (date(2020, 8, 25), "85.0.4183.102"))
_WEBKIT = "AppleWebKit/537.36 (KHTML, like Gecko)"
_DESKTOP_BROWSERS = _Picker((
    _Browser(tuple((day, f"Mozilla/5.0 ({{device}}) {_WEBKIT} Chrome/{version} Safari/537.36")
                   for day, version in _CHROME), 14,
             ("Windows NT 10.0; Win64; x64",) * 7 + ("Windows NT 6.1; Win64; x64",)),
    _Browser(tuple((day, f"Mozilla/5.0 (Macintosh; Intel Mac OS X {{device}}) {_WEBKIT} Chrome/{version} Safari/537.36")
                   for day, version in _CHROME), 14, ("10_14_6", "10_15_3", "10_15_4", "10_15_5")),
    _Browser(tuple((day, f"Mozilla/5.0 ({{device}}; rv:{version}.0) Gecko/20100101 Firefox/{version}.0")
                   for day, version in ((date(2019, 9, 3), 69), (date(2019, 10, 22), 70), (date(2019, 12, 3), 71),
                                        (date(2020, 1, 7), 72), (date(2020, 2, 11), 73), (date(2020, 3, 10), 74),
                                        (date(2020, 4, 7), 75), (date(2020, 5, 5), 76), (date(2020, 6, 2), 77),
                                        (date(2020, 6, 30), 78), (date(2020, 7, 28), 79), (date(2020, 8, 25), 80))),
             14, ("Windows NT 10.0; Win64; x64",) * 5 + ("Windows NT 6.1; Win64; x64",)),
    # Windows Update replaced the old Edge with the Chromium one slowly, from January 2020.
    _Browser(((date(2018, 11, 13), f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_WEBKIT} Chrome/70.0.3538.102 "
               "Safari/537.36 Edge/18.18363"),
              *((day, f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_WEBKIT} Chrome/{chrome} Safari/537.36 Edg/{edge}")
                for day, chrome, edge in ((date(2020, 1, 15), "79.0.3945.130", "79.0.309.71"),
                                          (date(2020, 2, 7), "80.0.3987.149", "80.0.361.69"),
                                          (date(2020, 4, 13), "81.0.4044.138", "81.0.416.72"),
                                          (date(2020, 5, 21), "83.0.4103.116", "83.0.478.58"),
                                          (date(2020, 7, 16), "84.0.4147.135", "84.0.522.63"),
                                          (date(2020, 8, 27), "85.0.4183.102", "85.0.564.51")))), 90),
    _Browser(((date(2013, 10, 17), "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"),), 1),
    _Browser(tuple((day, f"Mozilla/5.0 (Macintosh; Intel Mac OS X {macos}) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                         f"Version/{version} Safari/605.1.15")
                   for day, macos, version in ((date(2019, 9, 19), "10_14_6", "13.0.1"),
                                               (date(2019, 10, 29), "10_15_1", "13.0.3"),
                                               (date(2019, 12, 10), "10_15_2", "13.0.4"),
                                               (date(2020, 1, 28), "10_15_3", "13.0.5"),
                                               (date(2020, 3, 24), "10_15_4", "13.1"),
                                               (date(2020, 5, 26), "10_15_5", "13.1.1"),
                                               (date(2020, 7, 15), "10_15_6", "13.1.2"))), 30),
), (40, 7, 8, 12, 3, 18))
_ANDROID_PHONES = ("Android 10; SM-G973F", "Android 9; SM-G960F", "Android 10; SM-A505FN", "Android 10; Pixel 3a",
                   "Android 9; ANE-LX1", "Android 10; ONEPLUS A6013", "Android 8.0.0; SM-G930F")
_MOBILE_BROWSERS = _Picker((
    _Browser(tuple((day, f"Mozilla/5.0 (iPhone; CPU iPhone OS {ios} like Mac OS X) AppleWebKit/605.1.15 "
                         f"(KHTML, like Gecko) Version/{version} Mobile/15E148 Safari/604.1")
                   for day, ios, version in ((date(2019, 9, 30), "13_1_2", "13.0.1"),
                                             (date(2019, 10, 28), "13_2", "13.0.3"),
                                             (date(2019, 12, 10), "13_3", "13.0.4"),
                                             (date(2020, 1, 28), "13_3_1", "13.0.5"),
                                             (date(2020, 3, 24), "13_4", "13.1"),
                                             (date(2020, 5, 20), "13_5", "13.1.1"),
                                             (date(2020, 7, 15), "13_6", "13.1.2"))), 30),
    _Browser(tuple((day, f"Mozilla/5.0 (Linux; {{device}}) {_WEBKIT} Chrome/{version} Mobile Safari/537.36")
                   for day, version in _CHROME), 21, _ANDROID_PHONES),
    _Browser(tuple((day, f"Mozilla/5.0 (Linux; {{device}}) {_WEBKIT} SamsungBrowser/{version} Mobile Safari/537.36")
                   for day, version in ((date(2019, 5, 1), "9.4 Chrome/67.0.3396.87"),
                                        (date(2019, 9, 1), "10.1 Chrome/71.0.3578.99"),
                                        (date(2020, 2, 1), "11.1 Chrome/75.0.3770.143"),
                                        (date(2020, 7, 1), "12.1 Chrome/79.0.3945.136"))),
             60, _ANDROID_PHONES[:3] + _ANDROID_PHONES[-1:]),
), (58, 32, 10))
# iPads on iPadOS 13 announce themselves as Macs; the ones left on iOS 12 still say iPad.
_TABLET_BROWSERS = _Picker((
    _Browser(tuple((day, f"Mozilla/5.0 (iPad; CPU OS {ios} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                         "Version/12.1.2 Mobile/15E148 Safari/604.1")
                   for day, ios in ((date(2019, 8, 26), "12_4_1"), (date(2019, 12, 10), "12_4_4"),
                                    (date(2020, 1, 28), "12_4_5"), (date(2020, 5, 20), "12_4_7"),
                                    (date(2020, 7, 15), "12_4_8"))), 40),
), (1,))

# --- machines ---------------------------------------------------------------------------------------------------

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLEBOT_SMARTPHONE = (f"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) {_WEBKIT} Chrome/80.0.3987.92 "
                        "Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
BINGBOT = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
YANDEXBOT = "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"
AHREFSBOT = "Mozilla/5.0 (compatible; AhrefsBot/6.1; +http://ahrefs.com/robot/)"
SEMRUSHBOT = "Mozilla/5.0 (compatible; SemrushBot/6~bl; +http://www.semrush.com/bot.html)"
UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
SCRIPTS = ("python-requests/2.22.0", "python-requests/2.24.0", "curl/7.58.0", "curl/7.68.0")
# Abuse hides behind browsers, some of them long out of date.
_DISGUISES = (
    f"Mozilla/5.0 (Windows NT 6.1; Win64; x64) {_WEBKIT} Chrome/58.0.3029.110 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:60.0) Gecko/20100101 Firefox/60.0",
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) {_WEBKIT} Chrome/78.0.3904.108 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:72.0) Gecko/20100101 Firefox/72.0",
)
_SCRAPER = f"Mozilla/5.0 (X11; Linux x86_64) {_WEBKIT} Chrome/79.0.3945.88 Safari/537.36"
_PROBES = (("GET", "/wp-login.php"), ("GET", "/.env"), ("POST", "/xmlrpc.php"), ("GET", "/xmlrpc.php"),
           ("GET", "/wp-admin/"), ("GET", "/phpmyadmin/"), ("GET", "/.git/config"), ("GET", "/admin.php"),
           ("GET", "/wp-content/plugins/wp-file-manager/readme.txt"), ("GET", "/config.php.bak"),
           ("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php"), ("GET", "/wp-includes/wlwmanifest.xml"),
           ("GET", "/.aws/credentials"), ("GET", "/backup.zip"), ("GET", "/cgi-bin/test.cgi"))

# Machines per day at the demo's level of traffic; they grow with the number of visits a day.
_DEMO_VISITS_PER_DAY = 131.0
_CRAWLS_PER_DAY = ((GOOGLEBOT_SMARTPHONE, 32), (GOOGLEBOT, 14), (BINGBOT, 26), (YANDEXBOT, 6))
_BURSTY_CRAWLERS = ((AHREFSBOT, 0.35, 45), (SEMRUSHBOT, 0.3, 40))  # (agent, chance of a burst a day, mean pages)
_SCRIPT_REQUESTS_PER_DAY = 3.0
_SCANS_PER_DAY = 1.6
_FLOOD_CHANCE = 1 / 25
_SCRAPE_CHANCE = 1 / 90
_UPTIME_INTERVAL = 300
_UPTIME_IP = "172.17.4.20"


# --- addresses --------------------------------------------------------------------------------------------------

_SCRAMBLE = 0x9E3779B1  # odd, so multiplying by it modulo a power of two is a bijection


def _broadband_ip(number: int) -> str:
    value = (number * _SCRAMBLE) & 0xFFFFFF
    return f"10.{value >> 16}.{(value >> 8) & 255}.{value & 255}"


def _mobile_ip(number: int) -> str:
    value = (number * _SCRAMBLE) & 0x3FFFFF
    return f"100.{64 + (value >> 16)}.{(value >> 8) & 255}.{value & 255}"


def _ipv6(number: int) -> str:
    network = (number * _SCRAMBLE) & 0xFFFFFFFF
    interface = (number * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    return ipaddress.IPv6Address((0x20010DB8 << 96) | (network << 64) | interface).compressed


def _machine_ip(rng: random.Random) -> str:
    return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


class _Visitor:
    __slots__ = ("ip", "last_seen", "user_agent")

    def __init__(self, ip: str, user_agent: str) -> None:
        self.ip = ip
        self.user_agent = user_agent
        self.last_seen = 0


_RETURNING_SHARE = 0.4
_POOL_SIZE = 6000
_NEW_VISIT_GAP = 1800 + 60  # a visitor's next visit starts more than half an hour after the last page view
_REVALIDATE_WITHIN = 14 * 86400  # a browser that was here lately asks whether its copies are still fresh


class _Visitors:
    """New visitors get a unique address; returning ones come from a pool of fixed size."""

    def __init__(self) -> None:
        self._pool: list[_Visitor] = []
        self._counters = [0, 0, 0]

    def visitor(self, rng: random.Random, day: date, start: int, working_hours: bool) -> _Visitor:
        if self._pool and rng.random() < _RETURNING_SHARE:
            returning = rng.choice(self._pool)
            if returning.last_seen + _NEW_VISIT_GAP < start:
                return returning
        visitor = self._new(rng, day, working_hours)
        if len(self._pool) < _POOL_SIZE:
            self._pool.append(visitor)
        else:
            self._pool[rng.randrange(_POOL_SIZE)] = visitor
        return visitor

    def _new(self, rng: random.Random, day: date, working_hours: bool) -> _Visitor:
        roll = rng.random()
        desktop_share, mobile_share = (0.72, 0.23) if working_hours else (0.45, 0.45)
        if roll < desktop_share:
            browsers, space = _DESKTOP_BROWSERS, 0
        elif roll < desktop_share + mobile_share:
            browsers, space = _MOBILE_BROWSERS, 1
        else:
            browsers, space = _TABLET_BROWSERS, 0
        if rng.random() < 0.15:  # about the share of Danish traffic over IPv6 in 2020
            space = 2
        self._counters[space] += 1
        address = (_broadband_ip, _mobile_ip, _ipv6)[space](self._counters[space])
        return _Visitor(address, browsers.pick(rng).user_agent(rng, day))


# --- one day ----------------------------------------------------------------------------------------------------

Event = tuple[int, str, str]  # (seconds since the epoch, client address, the rest of the line after the time)
_TIME = itemgetter(0)


class _Day:
    """A local calendar day: its span in epoch seconds and wall-clock seconds turned into epoch seconds."""

    def __init__(self, day: date) -> None:
        self.day = day
        self.start = int(datetime(day.year, day.month, day.day, tzinfo=ZONE).timestamp())
        following = day + timedelta(days=1)
        self.end = int(datetime(following.year, following.month, following.day, tzinfo=ZONE).timestamp())

    def epoch(self, wall_seconds: int) -> int:
        if self.end - self.start == 86400:
            return self.start + wall_seconds
        hours, rest = divmod(wall_seconds, 3600)
        wall = datetime.combine(self.day, time(hours, rest // 60, rest % 60), ZONE)
        return int(wall.timestamp())


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _clock() -> tuple[str, ...]:
    return tuple(f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}" for second in range(86400))


class _Stamper:
    """Puts Apache's ``[10/Oct/2019:13:55:36 +0200]`` time on events without a datetime per line: within a stretch
    of one local day at one UTC offset, the wall clock is the epoch second minus a constant."""

    def __init__(self) -> None:
        self._from = self._until = 0
        self._prefix = self._suffix = ""

    def lines(self, events: Sequence[Event]) -> list[str]:
        clock, lines = _clock(), []
        start, until, prefix, suffix = self._from, self._until, self._prefix, self._suffix
        for second, ip, rest in events:
            if not start <= second < until:
                self._find_stretch(second)
                start, until, prefix, suffix = self._from, self._until, self._prefix, self._suffix
            lines.append(f"{ip} - - [{prefix}{clock[second - start]}{suffix}] {rest}")
        return lines

    def _find_stretch(self, second: int) -> None:
        local = datetime.fromtimestamp(second, ZONE)
        offset = local.utcoffset()
        self._from = second - (local.hour * 3600 + local.minute * 60 + local.second)
        self._until = self._from + 86400
        # Offsets change on whole UTC hours; the stretch ends at the first hour with another offset.
        for hour in range(second - second % 3600 + 3600, self._until, 3600):
            if datetime.fromtimestamp(hour, ZONE).utcoffset() != offset:
                self._until = hour
                break
        minutes = int(offset.total_seconds()) // 60 if offset is not None else 0
        self._prefix = f"{local.day:02d}/{_MONTHS[local.month - 1]}/{local.year}:"
        self._suffix = f" {'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _geometric(rng: random.Random, mean: float, most: int = 60) -> int:
    """1, 2, 3, … with P(n) = p (1 − p)^(n − 1), p = 1 / mean."""
    return min(most, 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - 1.0 / mean)))


def _token(rng: random.Random, length: int) -> str:
    return "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", k=length))


def _any(rng: random.Random, items: Sequence[T]) -> T:
    """``rng.choice`` without its rejection sampling: the lines' hot paths draw only with ``random()``."""
    return items[int(rng.random() * len(items))]


class _Log:
    """Generates the events of one day after another into ``pending``."""

    def __init__(self, rng: random.Random, visits_per_day: float) -> None:
        self.rng = rng
        self.site = _Site(rng)
        self.visitors = _Visitors()
        self.pending: list[Event] = []
        self.machines = visits_per_day / _DEMO_VISITS_PER_DAY
        self.uptime_phase = rng.randrange(_UPTIME_INTERVAL)
        self.flooders = tuple((_machine_ip(rng), rng.choice(_DISGUISES)) for _ in range(3))
        self.scraper_ips = tuple(_machine_ip(rng) for _ in range(2))
        self.crawler_ips = {agent: tuple(f"172.16.{block}.{host}" for host in range(10, 40))
                            for block, agent in enumerate((GOOGLEBOT, GOOGLEBOT_SMARTPHONE, BINGBOT, YANDEXBOT,
                                                           AHREFSBOT, SEMRUSHBOT), start=60)}

    # People

    def people(self, day: _Day, visits: int, newsletter_visits: int, campaign: str) -> None:
        rng = self.rng
        weights = _section_weights(day.day)
        sections = list(weights)
        navigation = _Picker(sections, list(weights.values()))
        # Nobody enters the site on its search page.
        entries = {source: (mean, _Picker(sections, [weight * boost.get(section, 1.0) * (section != SEARCH)
                                                     for section, weight in weights.items()]))
                   for source, _, mean, boost in _SOURCES}
        sources = _Picker([source for source, *_ in _SOURCES], [share for _, share, *_ in _SOURCES])
        newsletter_entry = _Picker(sections, [weight * _NEWSLETTER_ENTRY.get(section, 1.0) * (section != SEARCH)
                                              for section, weight in weights.items()])
        search = self.site.lockdown_search if day.day >= LOCKDOWN else self.site.search
        free_day = day.day.weekday() >= 5 or holiday_factor(day.day) < 0.5
        hours = _FREE_HOURS if free_day else _WORK_HOURS
        starts = [(hours.pick(rng) * 3600 + int(rng.random() * 3600), False) for _ in range(visits)]
        starts += [(self._newsletter_start(hours, sent_today=newsletter_day(day.day)), True)
                   for _ in range(newsletter_visits)]
        starts.sort()
        for wall, from_newsletter in starts:
            start = day.epoch(wall)
            visitor = self.visitors.visitor(rng, day.day, start, not free_day and 8 <= wall // 3600 < 17)
            if from_newsletter:
                mean, entry, referrer = _NEWSLETTER_PAGES, newsletter_entry, _REFERRERS["newsletter"].pick(rng)
                query = f"?utm_source=nyhedsbrev&utm_medium=email&utm_campaign={campaign}"
            else:
                source = sources.pick(rng)
                mean, entry = entries[source]
                referrer, query = _REFERRERS[source].pick(rng), ""
                if source == "facebook":
                    query = f"?fbclid=IwAR{_token(rng, 58)}"
            visitor.last_seen = self._visit(visitor, start, entry.pick(rng), mean, referrer, query, navigation,
                                            search)

    def _newsletter_start(self, hours: _Picker[int], *, sent_today: bool) -> int:
        if sent_today:
            wall = _NEWSLETTER_SENT + int(self.rng.expovariate(1 / 9000))
            if wall < 86400:
                return wall
        return hours.pick(self.rng) * 3600 + int(self.rng.random() * 3600)

    def _visit(self, visitor: _Visitor, start: int, section: str, mean_pages: float, referrer: str, query: str,
               navigation: _Picker[str], search: _Picker[str]) -> int:
        """Add one visit's requests; return the time of its last page view."""
        rng, site, append = self.rng, self.site, self.pending.append
        ip, agent = visitor.ip, visitor.user_agent
        revalidate = visitor.last_seen > 0 and start - visitor.last_seen < _REVALIDATE_WITHIN
        pages = 1 if section == "media" and rng.random() < 0.5 else _geometric(rng, mean_pages)
        second = start
        for number in range(pages):
            if number:
                second += min(1500, int(rng.lognormvariate(3.7, 1.1)) + 2)
                section = self._next_section(section, navigation)
            if section == SEARCH:
                path, status, size = search.pick(rng), 200, 22_000 + int(rng.random() * 9_000)
                if rng.random() < 0.1:
                    path = path.replace("/soeg?q=", "/?s=")  # the old site's search, still in bookmarks
            else:
                page = site.popular[section].pick(rng)
                path, status, size = page.path, 200, page.size
                if section != "media":
                    size += int(rng.random() * 80) - 40  # pages carry a form token and the like
            if number == 0 and referrer not in ("-", SITE_ORIGIN) and rng.random() < 0.012:
                path, status, size = _any(rng, _OLD_PATHS), 404, 5_812  # an old link from elsewhere
            elif number == 0 and query:
                path += query
            elif number == 0 and referrer.startswith(("https://www.bl.dk", "https://www.lbf.dk")) \
                    and path.endswith("/") and path != "/" and rng.random() < 0.15:
                append((second, ip, _head("GET", path[:-1], 301, "-") + _tail(referrer, agent)))  # linked without "/"
            append((second, ip, _head("GET", path, status, size) + _tail(referrer, agent)))
            page_url = SITE_ORIGIN + path
            tail = _tail(page_url, agent)
            if section != "media":
                self._assets(second, ip, tail, section, first=number == 0, revalidate=revalidate)
            if path == "/kontakt" and rng.random() < 0.2:
                second += 30 + int(rng.random() * 200)
                append((second, ip, _head("POST", "/kontakt", 302, "-") + tail))
                append((second, ip, _head("GET", "/kontakt/tak/", 200, 18_120) + tail))
            referrer = page_url
        return second

    def _next_section(self, section: str, navigation: _Picker[str]) -> str:
        roll = self.rng.random()
        if section in _KNOWLEDGE_SECTIONS and roll < 0.14:
            return "media"
        if section not in (HOME, SEARCH, "media") and roll < 0.4:
            return section
        if roll < 0.45:
            return SEARCH
        if roll < 0.53:
            return HOME
        return navigation.pick(self.rng)

    def _assets(self, second: int, ip: str, tail: str, section: str, *, first: bool, revalidate: bool) -> None:
        random_, append = self.rng.random, self.pending.append
        if first and revalidate:
            for head in _REVALIDATED_ASSETS:
                append((second, ip, head + tail))
        elif first:
            for delay, head in _FETCHED_ASSETS:
                append((second + delay, ip, head + tail))
            append((second + 1, ip, _FAVICON + tail))
        if section in self.site.header_images and (first or random_() < 0.3):
            fetched, revalidated = self.site.header_images[section]
            append((second, ip, (revalidated if revalidate else fetched) + tail))
        if random_() < 0.45:
            images = self.site.content_images
            for _ in range(1 + (random_() < 0.5)):
                append((second + 1, ip, images[int(random_() * len(images))] + tail))
        if random_() < 0.004:
            append((second + 1, ip, _MISSING_IMAGE + tail))

    # Machines

    def machines_at_work(self, day: _Day) -> None:
        rng, append = self.rng, self.pending.append
        first = day.start + (self.uptime_phase - day.start) % _UPTIME_INTERVAL
        uptime = _head("HEAD", "/", 200, "-") + _tail("-", UPTIMEROBOT)
        for second in range(first, day.end, _UPTIME_INTERVAL):
            append((second, _UPTIME_IP, uptime))
        for agent, per_day in _CRAWLS_PER_DAY:
            self._crawl(day, agent, self._count(per_day), spread=True)
        for agent, chance, mean_pages in _BURSTY_CRAWLERS:
            if rng.random() < chance * min(1.0, self.machines):
                self._crawl(day, agent, int(rng.expovariate(1 / mean_pages)) + 5, spread=False)
        for _ in range(self._count(_SCRIPT_REQUESTS_PER_DAY)):
            path = rng.choice(("/", "/", "/sitemap.xml", "/nyheder/", "/viden/"))
            append((rng.randrange(day.start, day.end), _machine_ip(rng),
                    _head("GET", path, 200, rng.randint(24_000, 33_000)) + _tail("-", rng.choice(SCRIPTS))))
        for _ in range(self._count(_SCANS_PER_DAY)):
            self._scan(day)
        if rng.random() < _FLOOD_CHANCE * self.machines:
            self._flood(day)
        if rng.random() < _SCRAPE_CHANCE * self.machines:
            self._scrape(day)

    def _count(self, per_day: float) -> int:
        expected = per_day * self.machines * self.rng.uniform(0.7, 1.3)
        return int(expected + self.rng.random())

    def _crawl(self, day: _Day, agent: str, pages: int, *, spread: bool) -> None:
        rng, append = self.rng, self.pending.append
        ip, tail = rng.choice(self.crawler_ips[agent]), _tail("-", agent)
        conditional = agent in (GOOGLEBOT, GOOGLEBOT_SMARTPHONE, BINGBOT)
        span = day.end - day.start
        second = day.start + int(rng.random() * span)
        append((second, ip, _head("GET", "/robots.txt", 200, 112) + tail))
        for _ in range(pages):
            second = day.start + int(rng.random() * span) if spread else second + 2 + int(rng.random() * 14)
            roll = rng.random()
            if roll < 0.03:
                head = _head("GET", _any(rng, _OLD_PATHS), 404, 5_812)
            elif roll < 0.05:
                head = _head("GET", "/sitemap.xml", 200, 61_882)
            else:
                page = _any(rng, self.site.pages[CORONA] if day.day >= LOCKDOWN and roll < 0.08
                            else self.site.crawlable)
                # Search engines ask whether a page changed since they saw it.
                changed = not conditional or rng.random() >= 0.2
                head = _head("GET", page.path, 200, page.size) if changed else _head("GET", page.path, 304, "-")
            append((second, ip, head + tail))

    def _scan(self, day: _Day) -> None:
        rng, append = self.rng, self.pending.append
        ip, tail = _machine_ip(rng), _tail("-", rng.choice(_DISGUISES))
        second = rng.randrange(day.start, day.end)
        for method, path in rng.sample(_PROBES, rng.randint(4, len(_PROBES))):
            second += rng.randint(0, 4)
            refused = path.startswith("/.")  # the server refuses dot files outright
            append((second, ip, _head(method, path, 403 if refused else 404, 199 if refused else 5_812) + tail))

    def _flood(self, day: _Day) -> None:
        """Spam against the contact form: the form once, then POSTs every few seconds for a while."""
        rng, append = self.rng, self.pending.append
        ip, agent = rng.choice(self.flooders)
        second = rng.randrange(day.start, day.end)
        append((second, ip, _head("GET", "/kontakt", 200, 17_302) + _tail("-", agent)))
        tail = _tail(SITE_ORIGIN + "/kontakt", agent)
        answered, refused = _head("POST", "/kontakt", 200, 17_488), _head("POST", "/kontakt", 403, 199)
        for _ in range(rng.randint(100, 600)):
            second += 1 + int(rng.random() * 6)
            append((second, ip, (answered if rng.random() < 0.9 else refused) + tail))

    def _scrape(self, day: _Day) -> None:
        """Everything on the site as fast as it answers, pages only."""
        rng, append = self.rng, self.pending.append
        ip, tail = rng.choice(self.scraper_ips), _tail("-", _SCRAPER)
        second = rng.randrange(day.start, day.end)
        for page in rng.sample(self.site.crawlable, min(len(self.site.crawlable), rng.randint(1200, 2500))):
            second += rng.random() < 0.6
            append((second, ip, _head("GET", page.path, 200, page.size) + tail))


_WORK_HOURS = _Picker(range(24), _WORKDAY_HOURS)
_FREE_HOURS = _Picker(range(24), _FREE_DAY_HOURS)


def _visit_plan(rng: random.Random, days: Sequence[date], visits: int) -> list[tuple[int, int]]:
    """Visits per day: (ordinary, from the newsletter)."""
    lockdown_lift = 1.08  # people working from home looked for guidance
    ordinary = [_WEEKDAY_FACTOR[day.weekday()] * holiday_factor(day) * (lockdown_lift if day >= LOCKDOWN else 1.0)
                * rng.lognormvariate(0, 0.12) for day in days]
    newsletter = [0.0] * len(days)
    for index, day in enumerate(days):
        if newsletter_day(day):
            reach = rng.lognormvariate(0, 0.15)
            for after, pull in enumerate(_NEWSLETTER_WEIGHT[: len(days) - index]):
                newsletter[index + after] += pull * reach
    counts = apportion(visits, ordinary + newsletter)
    return list(zip(counts[: len(days)], counts[len(days):], strict=True))


def _campaign(day: date) -> str:
    """The newsletter's campaign name: the month it was sent in (it is read for two days after)."""
    sent = day - timedelta(days=next(after for after in range(len(_NEWSLETTER_WEIGHT))
                                     if newsletter_day(day - timedelta(days=after))))
    return f"nyhedsbrev-{sent:%Y-%m}"


def _daily_lines(first_day: date, last_day: date, visits: int, seed: int) -> Iterator[list[str]]:
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    if visits < 0:
        raise ValueError("visits must not be negative")
    days = [first_day + timedelta(days=offset) for offset in range((last_day - first_day).days + 1)]
    log = _Log(random.Random(seed), visits / len(days))  # noqa: S311 - reproducible demo data, not secrets
    plan = _visit_plan(log.rng, days, visits)
    stamper = _Stamper()
    for index, calendar_day in enumerate(days):
        day = _Day(calendar_day)
        ordinary, from_newsletter = plan[index]
        log.people(day, ordinary, from_newsletter, _campaign(calendar_day) if from_newsletter else "")
        log.machines_at_work(day)
        pending = log.pending
        pending.sort(key=_TIME)
        # Visits that began before midnight may go on; the rest of the day is complete.
        done = bisect_left(pending, day.end, key=_TIME) if index < len(days) - 1 else len(pending)
        yield stamper.lines(pending[:done])
        del pending[:done]
