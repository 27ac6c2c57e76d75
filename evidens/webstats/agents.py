"""What one HTTP user agent string says about the visitor: a known crawler (and which kind), or a browser,
with its browser family, operating system and device class.

The web-statistics import calls ``describe_agent`` once for each distinct user agent, so the answer is cached.

Crawlers are recognised from their own words in the agent, in this order:

1. crawler-user-agents (MIT): a curated list whose entries carry tags, mapped to our categories;
2. crawlerdetect (MIT, a port of JayBizzle's CrawlerDetect): a larger list without categories, as a fallback;
3. an empty agent (or the log's ``-``), counted as a script.

Browser, operating system and device come from ua-parser (Apache-2.0) with its builtin regexes.

What this cannot see: a program that sends a browser's agent string (form spam, scrapers that pretend) looks
like that browser here; only its behaviour in the log gives it away, and that is judged elsewhere.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ua_parser
from crawlerdetect import CrawlerDetect
from crawleruseragents import CRAWLER_USER_AGENTS_DATA
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CRAWLER_CATEGORIES: dict[str, StrOrPromise] = {
    "search": gettext_lazy("Search engine"),
    "seo": gettext_lazy("SEO tool"),
    "ai": gettext_lazy("AI crawler"),
    "monitoring": gettext_lazy("Monitoring"),
    "library": gettext_lazy("Library or script"),
    "other": gettext_lazy("Other robot"),
}

# crawler-user-agents tag -> our category. The order is the priority for an entry with several tags: a tag
# naming a purpose (AI, SEO, monitoring) says more than the broad "search-engine" (OpenAI's OAI-SearchBot is
# tagged both and is an AI crawler), and any tag with a category of its own says more than those that all fall
# under "other" (Bing's Adidxbot is tagged advertising and search-engine). A tag added by a later version of the
# list counts as "other" until it is placed here.
_TAG_CATEGORY: dict[str, str] = {
    "ai-crawler": "ai",
    "seo": "seo",
    "monitoring": "monitoring",
    "search-engine": "search",
    "browser-automation": "library",
    "http-library": "library",
    "scanner": "other",
    "advertising": "other",
    "social-preview": "other",
    "feed-reader": "other",
    "archiver": "other",
    "academic": "other",
}
_TAG_PRIORITY = {tag: rank for rank, tag in enumerate(_TAG_CATEGORY)}

# The list is matched as one alternation per chunk of entries; only a chunk that matches is searched entry by
# entry, so a browser costs one pass over the chunks and a crawler a few dozen extra searches.
_CHUNK_SIZE = 50

# crawlerdetect's catch-all pattern `[a-z0-9\-_]*(bot|crawl|...)` backtracks quadratically on a long run of
# letters (16 s for 10,000 of them, 70 ms for 512). Real agents are far shorter (the longest in our sample logs
# has 294 characters), so only the start of an agent is examined, by every source alike.
_MAX_AGENT_LENGTH = 512

# crawlerdetect has no categories; its match names the agent, and these names are HTTP libraries, language
# runtimes and headless browsers: programs run by a script rather than a crawler with a purpose of its own.
_SCRIPT_NAME = re.compile(
    r"curl|wget|python|java|perl|libwww|lwp|php|ruby|node[-./]|okhttp|axios|guzzle|scrapy|urllib|http.?client"
    r"|http.?request|httpie|go.http|^dart|headless|phantomjs|selenium|puppeteer|playwright",
    re.IGNORECASE,
)

# A pattern is a fragment of the agent ("Googlebot\/", "(^| )sentry\/", "Mediapartners \(Googlebot\)",
# "ContextualBot[\s\S]*outcomes\.net"); its name is what it matched up to a version or a parenthesis.
_NAME_END = re.compile(r"[(;,]|/\d")
_NAME_TRIM = " /+:;()"

# ua-parser's operating system families (its builtin regexes name them) that settle the device class when the
# device family does not.
_DESKTOP_SYSTEMS = frozenset({
    "Windows", "Mac OS X", "Mac OS", "Chrome OS", "Linux", "Ubuntu", "Debian", "Fedora", "Red Hat", "CentOS",
    "Gentoo", "Mint", "SUSE", "openSUSE", "Slackware", "Arch Linux", "FreeBSD", "NetBSD", "OpenBSD", "Solaris",
})
_MOBILE_SYSTEMS = frozenset({
    "Windows Phone", "Windows Mobile", "BlackBerry OS", "Symbian OS", "Symbian^3", "Symbian^3 Anna",
    "Symbian^3 Belle", "Nokia Series 40", "Nokia Series 30 Plus", "Firefox OS", "KaiOS", "Brew MP",
})
_TABLET_SYSTEMS = frozenset({"BlackBerry Tablet OS"})


@dataclass(frozen=True)
class Agent:
    crawler: str | None  # a CRAWLER_CATEGORIES key; None when the agent looks like a person's browser
    crawler_name: str  # "Googlebot", "bingbot", "python-requests"; "" when not a crawler or unnamed
    browser: str  # ua-parser's browser family: "Chrome", "Firefox", "Safari", ..., "Other"
    os: str  # ua-parser's OS family: "Windows", "Mac OS X", "iOS", "Android", "Linux", ..., "Other"
    device: str  # "desktop", "mobile", "tablet", "robot" or "other"


@functools.lru_cache(maxsize=200_000)
def describe_agent(user_agent: str) -> Agent:
    agent = user_agent.strip()[:_MAX_AGENT_LENGTH]
    crawler, crawler_name = _recognise_crawler(agent)
    parsed = ua_parser.parse(agent).with_defaults()
    return Agent(
        crawler=crawler,
        crawler_name=crawler_name,
        browser=parsed.user_agent.family,
        os=parsed.os.family,
        device="robot" if crawler else _device_class(agent, parsed.device.family, parsed.os.family),
    )


def _recognise_crawler(agent: str) -> tuple[str | None, str]:
    # Every browser sends an agent string; a request without one was made by a program that did not set it.
    if agent in ("", "-"):
        return "library", ""
    if listed := _listed_crawler(agent):
        matched, tags = listed
        return _category(tags), _readable_name(matched)
    detector = CrawlerDetect()
    if detector.is_crawler(agent):
        name = _readable_name(detector.get_matches() or "")
        return ("library" if _SCRIPT_NAME.search(name) else "other"), name
    return None, ""


def _listed_crawler(agent: str) -> tuple[str, list[str]] | None:
    """The text matched by the crawler-user-agents entry found in ``agent``, and that entry's tags.

    Of several entries, the first in the list's order, except that a library or headless browser gives way to
    any other: named beside another crawler, it is the tool that crawler is built with ("W3C-checklink/4.2
    libwww-perl/5.803" is the W3C link checker, "HeadlessChrome/87.0 YextBot/Java" is Yext's SEO crawler).
    """
    library = None
    for matched, tags in _listed_matches(agent):
        if _category(tags) != "library":
            return matched, tags
        library = library or (matched, tags)
    return library


def _listed_matches(agent: str) -> Iterator[tuple[str, list[str]]]:
    for chunk, entries in _crawler_chunks():
        if chunk.search(agent):
            for pattern, tags in entries:
                if match := pattern.search(agent):
                    yield match.group(), tags


@functools.cache
def _crawler_chunks() -> list[tuple[re.Pattern[str], list[tuple[re.Pattern[str], list[str]]]]]:
    # Case-sensitive, as the list's own is_crawler is by default: its patterns spell out the case they allow
    # ("[wW]get", "S[eE][mM]rushBot").
    entries = [(re.compile(item["pattern"]), list(item["tags"])) for item in CRAWLER_USER_AGENTS_DATA]
    chunks = []
    for start in range(0, len(entries), _CHUNK_SIZE):
        part = entries[start:start + _CHUNK_SIZE]
        chunks.append((re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in part)), part))
    return chunks


def _category(tags: Iterable[str]) -> str:
    best = min(tags, key=lambda tag: _TAG_PRIORITY.get(tag, len(_TAG_PRIORITY)), default="")
    return _TAG_CATEGORY.get(best, "other")


def _readable_name(matched: str) -> str:
    name = matched.strip(_NAME_TRIM)
    if end := _NAME_END.search(name):
        name = name[:end.start()]
    return name.strip(_NAME_TRIM)


def _device_class(agent: str, device_family: str, os_family: str) -> str:
    if device_family == "iPad" or "Tablet" in device_family or "Kindle" in device_family \
            or os_family in _TABLET_SYSTEMS:
        return "tablet"
    if device_family in ("iPhone", "iPod") or "Smartphone" in device_family or "Feature Phone" in device_family \
            or os_family in _MOBILE_SYSTEMS:
        return "mobile"
    if os_family == "Android":
        # Android browsers on phones say "Mobile"; on tablets they leave it out (Google's advice to browser
        # makers). Apps' own HTTP stacks (Dalvik) never say it, so a phone app counts as a tablet.
        return "mobile" if "Mobile" in agent else "tablet"
    if os_family in _DESKTOP_SYSTEMS:
        return "desktop"
    return "other"
