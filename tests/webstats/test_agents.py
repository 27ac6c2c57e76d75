"""describe_agent on real agent strings.

Agents marked "log" are copied from /work/shared/data/logs/elastic_examples_apache_logs.log or
nielsbasjes_logparser_hackers-access.log; the others are written out as their makers publish them. Expected
crawler categories and names were read off the crawler-user-agents entry that matches (its pattern and tags) or,
for agents the list misses, off crawlerdetect's match; browser and OS families off ua-parser's builtin regexes.
"""

from __future__ import annotations

import pytest
from crawleruseragents import CRAWLER_USER_AGENTS_DATA

from evidens.webstats.agents import _TAG_CATEGORY, CRAWLER_CATEGORIES, Agent, describe_agent

DEVICES = {"desktop", "mobile", "tablet", "robot", "other"}


@pytest.mark.parametrize(("user_agent", "expected"), [
    # log; list entry "Googlebot\/" (search-engine)
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", ("search", "Googlebot")),
    # log; Googlebot's smartphone crawler dressed as an iPhone
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 6_0 like Mac OS X) AppleWebKit/536.26 (KHTML, like Gecko) Version/6.0 "
     "Mobile/10A5376e Safari/8536.25 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     ("search", "Googlebot")),
    # log; "bingbot" (search-engine)
    ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", ("search", "bingbot")),
    # log; "Baiduspider" (search-engine)
    ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
     ("search", "Baiduspider")),
    # log; "archive\.org_bot" (archiver, which has no category of its own)
    ("Mozilla/5.0 (compatible; archive.org_bot +http://www.archive.org/details/archive.org_bot)",
     ("other", "archive.org_bot")),
    # log; "Feedfetcher-Google" and "Tiny Tiny RSS" (feed-reader)
    ("Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 22 subscribers; feed-id=8321906634162087507)",
     ("other", "Feedfetcher-Google")),
    ("Tiny Tiny RSS/1.11 (http://tt-rss.org/)", ("other", "Tiny Tiny RSS")),
    # log; matches both "Mail\.RU_Bot" (search-engine, early in the list) and "mail\.ru" (feed-reader, later):
    # the first entry in the list's order decides
    ("Mozilla/5.0 (compatible; Linux x86_64; Mail.RU_Bot/2.0; +http://go.mail.ru/help/robots)",
     ("search", "Mail.RU_Bot")),
    # the list's own examples for "W3C-checklink" (monitoring) and "YextBot\/" (seo): each also matches a library
    # entry earlier in the list ("libwww-perl", "HeadlessChrome"), which gives way to the crawler built with it
    ("W3C-checklink/4.2 [4.20] libwww-perl/5.803", ("monitoring", "W3C-checklink")),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/87.0.4280.88 "
     "YextBot/Java Safari/537.36", ("seo", "YextBot")),
    # log; "^curl", "[wW]get", "python-requests" (http-library)
    ("curl/7.22.0 (i686-pc-linux-gnu) libcurl/7.22.0 OpenSSL/1.0.1 zlib/1.2.3.4 libidn/1.23 librtmp/2.3",
     ("library", "curl")),
    ("Wget/1.13.4 (linux-gnu)", ("library", "Wget")),
    ("python-requests/1.2.0 CPython/2.7.4 Linux/3.8.0-33-generic", ("library", "python-requests")),
    # OpenAI's published GPTBot agent; "GPTBot" (ai-crawler)
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1; +https://openai.com/gptbot)",
     ("ai", "GPTBot")),
    # OpenAI's search crawler is tagged ai-crawler and search-engine: the AI tag wins
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; OAI-SearchBot/1.0; "
     "+https://openai.com/searchbot", ("ai", "OAI-SearchBot")),
    # Anthropic's published ClaudeBot agent; "[cC]laude[bB]ot" (ai-crawler)
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
     ("ai", "ClaudeBot")),
    # Ahrefs' and Semrush's published agents; "Ahrefs(Bot|SiteAudit)", "S[eE][mM]rushBot" (seo)
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", ("seo", "AhrefsBot")),
    ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", ("seo", "SemrushBot")),
    # UptimeRobot's and Pingdom's published agents; "UptimeRobot", "[pP]ingdom" (monitoring)
    ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", ("monitoring", "UptimeRobot")),
    ("Mozilla/5.0 (compatible; Pingdom.com_bot_version_1.4_(http://www.pingdom.com/))",
     ("monitoring", "Pingdom")),
    # log; not in the list, found by crawlerdetect: a feed parser library ("UniversalFeedParser") and a bare
    # language runtime ("^Ruby|Ruby\/[0-9]")
    ("UniversalFeedParser/4.2-pre-314-svn +http://feedparser.org/", ("other", "UniversalFeedParser")),
    ("Ruby", ("library", "Ruby")),
])
def test_known_crawlers(user_agent: str, expected: tuple[str, str]) -> None:
    agent = describe_agent(user_agent)
    assert (agent.crawler, agent.crawler_name) == expected
    assert agent.device == "robot"


@pytest.mark.parametrize(("user_agent", "browser", "os", "device"), [
    # log: Firefox on Windows 7
    ("Mozilla/5.0 (Windows NT 6.1; WOW64; rv:27.0) Gecko/20100101 Firefox/27.0", "Firefox", "Windows", "desktop"),
    # log: Safari on a Mac, Chrome on Linux and on a Chromebook
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.73.11 (KHTML, like Gecko) Version/7.0.1 "
     "Safari/537.73.11", "Safari", "Mac OS X", "desktop"),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.107 Safari/537.36",
     "Chrome", "Linux", "desktop"),
    ("Mozilla/5.0 (X11; CrOS x86_64 6310.68.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.96 "
     "Safari/537.36", "Chrome", "Chrome OS", "desktop"),
    # log: Safari on an iPhone
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 7_0_4 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 "
     "Mobile/11B554a Safari/9537.53", "Mobile Safari", "iOS", "mobile"),
    # log: Safari on an iPad
    ("Mozilla/5.0 (iPad; CPU OS 7_0_4 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Version/7.0 "
     "Mobile/11B554a Safari/9537.53", "Mobile Safari", "iOS", "tablet"),
    # log: Chrome on an Android phone (Nexus 5) says "Mobile"
    ("Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/32.0.1700.99 Mobile Safari/537.36", "Chrome Mobile", "Android", "mobile"),
    # Chrome on an Android tablet, as Chrome's reduced agent string is documented: no "Mobile"
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
     "Chrome", "Android", "tablet"),
    # log: the Android browser on a Galaxy Tab 2 (GT-P3100), again without "Mobile"
    ("Mozilla/5.0 (Linux; U; Android 4.1.2; it-it; GT-P3100 Build/JZO54K) AppleWebKit/534.30 (KHTML, like Gecko) "
     "Version/4.0 Safari/534.30", "Android", "Android", "tablet"),
    # log: Firefox on Android says "Mobile" in its platform part
    ("Mozilla/5.0 (Android; Mobile; rv:27.0) Gecko/27.0 Firefox/27.0", "Firefox Mobile", "Android", "mobile"),
    # log: nothing to go on
    ("Mozilla/5.0", "Other", "Other", "other"),
])
def test_browsers(user_agent: str, browser: str, os: str, device: str) -> None:
    assert describe_agent(user_agent) == Agent(crawler=None, crawler_name="", browser=browser, os=os, device=device)


@pytest.mark.parametrize("user_agent", [
    # log (hackers-access): the agents that POST to /join_form and /login_form hundreds of times. They send a
    # browser's string, so nothing in the string gives them away: the behaviour rules have to catch them.
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/39.0.2171.95 Safari/537.36 "
    "OPR/26.0.1656.60",
    "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Dragon/36.1.1.21 Chrome/36.0.1985.97 "
    "Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.0; rv:34.0) Gecko/20100101 Firefox/34.0",
    "Mozilla/5.0 (Windows NT 5.1; rv:35.0) Gecko/20100101 Firefox/35.0",
    "Mozilla/5.0 (Windows NT 6.1; rv:32.0) Gecko/20100101 Firefox/32.0",
    "Mozilla/5.0 (Windows NT 6.3; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Windows NT 6.3; WOW64; rv:34.0) Gecko/20100101 Firefox/34.0 AlexaToolbar/alxf-2.21",
])
def test_form_spam_pretending_to_be_a_browser_is_not_recognised(user_agent: str) -> None:
    agent = describe_agent(user_agent)
    assert (agent.crawler, agent.crawler_name, agent.os, agent.device) == (None, "", "Windows", "desktop")


@pytest.mark.parametrize("user_agent", ["", "-", "  "])
def test_no_agent_counts_as_a_script(user_agent: str) -> None:
    assert describe_agent(user_agent) == Agent(crawler="library", crawler_name="", browser="Other", os="Other",
                                               device="robot")


@pytest.mark.parametrize("user_agent", [
    "A" * 10_000,  # the worst case for crawlerdetect's catch-all pattern
    "Mozilla/5.0 (" + "a; " * 3_333,
    "".join(chr(32 + (index * 7919) % 95) for index in range(10_000)),
    "\x00\n\t" * 3_000 + "ÆØÅ€",
])
def test_garbage_and_very_long_agents_are_answered(user_agent: str) -> None:
    agent = describe_agent(user_agent)
    assert agent.crawler in (None, *CRAWLER_CATEGORIES)
    assert agent.device in DEVICES


def test_long_agent_still_recognised_by_its_start() -> None:
    agent = describe_agent("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) " + "x" * 10_000)
    assert (agent.crawler, agent.crawler_name) == ("search", "bingbot")


def test_every_tag_of_the_crawler_list_has_a_category() -> None:
    tags = {tag for entry in CRAWLER_USER_AGENTS_DATA for tag in entry["tags"]}
    assert tags <= set(_TAG_CATEGORY), f"tags without a category: {sorted(tags - set(_TAG_CATEGORY))}"
    assert set(_TAG_CATEGORY.values()) <= set(CRAWLER_CATEGORIES)


def test_categories() -> None:
    assert list(CRAWLER_CATEGORIES) == ["search", "seo", "ai", "monitoring", "library", "other"]


def test_answers_are_cached_per_agent() -> None:
    user_agent = "Mozilla/5.0 (Windows NT 6.1; WOW64; rv:26.0) Gecko/20100101 Firefox/26.0"
    assert describe_agent(user_agent) is describe_agent(user_agent)
    assert describe_agent.cache_parameters()["maxsize"] == 200_000
