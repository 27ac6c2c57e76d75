"""The web-statistics pages, over a small access log written here by hand so every number can be counted.

The log (combined format), on two Tuesdays:

- 10 March 2020 (+0100):
  Googlebot asks for / and /gammel-side (a known crawler: 2 robot requests);
  a Chrome user agent asks for /wp-login.php (404) and then / : the scan rule marks that visitor-day a robot;
  A (Firefox on Ubuntu) comes from Google to /, fetches a style sheet, reads /viden/artikel, downloads
  /filer/rapport.pdf and hits /mangler (404): one visit of 2 page views;
  B (Safari on an iPhone) comes from Facebook to /kurser/?q=renovering: one visit of 1 page view (a bounce);
  then a line that is no log line at all (line 11).
- 14 April 2020 (+0200):
  A opens / directly and /viden/artikel 45 minutes later: two visits of one page each (two bounces);
  B follows a newsletter link to /viden/artikel?utm_source=nyhedsbrev&utm_medium=email and goes on to /kurser/.

Counted by hand: 15 lines, 14 requests, 4 by robots; 7 page views by people in 5 visits, 3 of them bounces;
visitor-days 2 + 2 = 4; pages per visit 7 / 5 = 1,40; bounce rate 3 / 5 = 60,0 %; 1 download; 1 person's 404;
robots' share 4 / 14 = 28,6 %. GoAccess-style: distinct visitor-days with a request not answered 4xx are A, B,
Googlebot and the scanner on the first day and A, B on the second: 6; valid requests 14.

Texts are checked on English pages (the language switch's cookie), so the checks do not depend on the Danish
catalogue; numbers are checked on Danish pages, where Django writes 1,40 and 60,0 %.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from evidens.charts.render import to_svg
from evidens.evidence.models import EvidenceItem
from evidens.webstats import services
from evidens.webstats.models import ContentArea, ImportKind, ImportStatus, LogImport, WebstatsSettings
from tests.conftest import Cast

pytestmark = pytest.mark.django_db
ANALYTICS = Path(__file__).resolve().parents[1] / "data" / "analytics"
BASE = "/p/proc/webstats/"

FIREFOX = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:74.0) Gecko/20100101 Firefox/74.0"
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 13_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/13.0.5 Mobile/15E148 Safari/604.1")
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/80.0.3987.149 Safari/537.36")
A, B, G, S = "192.0.2.10", "198.51.100.7", "66.249.66.1", "203.0.113.5"
SITE = "https://www.almennet.dk"


def _line(host: str, time: str, request: str, status: int, referrer: str, agent: str) -> str:
    return f'{host} - - [{time}] "{request} HTTP/1.1" {status} 1000 "{referrer}" "{agent}"'


LOG = "\n".join([
    _line(G, "10/Mar/2020:03:00:00 +0100", "GET /", 200, "-", GOOGLEBOT),
    _line(G, "10/Mar/2020:03:00:05 +0100", "GET /gammel-side", 200, "-", GOOGLEBOT),
    _line(S, "10/Mar/2020:04:00:00 +0100", "GET /wp-login.php", 404, "-", CHROME),
    _line(S, "10/Mar/2020:04:00:01 +0100", "GET /", 200, "-", CHROME),
    _line(A, "10/Mar/2020:10:00:00 +0100", "GET /", 200, "https://www.google.com/", FIREFOX),
    _line(A, "10/Mar/2020:10:00:01 +0100", "GET /static/site.css", 200, f"{SITE}/", FIREFOX),
    _line(A, "10/Mar/2020:10:01:00 +0100", "GET /viden/artikel", 200, f"{SITE}/", FIREFOX),
    _line(A, "10/Mar/2020:10:02:00 +0100", "GET /filer/rapport.pdf", 200, f"{SITE}/viden/artikel", FIREFOX),
    _line(A, "10/Mar/2020:10:03:00 +0100", "GET /mangler", 404, f"{SITE}/viden/artikel", FIREFOX),
    _line(B, "10/Mar/2020:12:00:00 +0100", "GET /kurser/?q=renovering", 200, "https://www.facebook.com/", IPHONE),
    "this is not a log line",
    _line(A, "14/Apr/2020:09:00:00 +0200", "GET /", 200, "-", FIREFOX),
    _line(A, "14/Apr/2020:09:45:00 +0200", "GET /viden/artikel", 200, "-", FIREFOX),
    _line(B, "14/Apr/2020:20:00:00 +0200", "GET /viden/artikel?utm_source=nyhedsbrev&utm_medium=email", 200, "-",
          IPHONE),
    _line(B, "14/Apr/2020:20:01:00 +0200", "GET /kurser/", 200, f"{SITE}/viden/artikel", IPHONE),
]) + "\n"


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = tmp_path / "access.log"
    path.write_text(LOG, encoding="utf-8")
    return path


def _keep_old_data(cast: Cast) -> None:
    # The log is from 2020: the default of 25 months would delete it as soon as it is imported.
    services.webstats_settings_update(process=cast.process, actor=None, retention_months=120,
                                      own_hosts="www.almennet.dk")


@pytest.fixture
def imported(cast: Cast, log_file: Path) -> LogImport:
    _keep_old_data(cast)
    services.content_areas_replace(process=cast.process, actor=None,
                                   areas=[("Viden", "/viden/"), ("Kurser", "/kurser/")])
    log_import = services.log_import_register(process=cast.process, actor=None, paths=[log_file],
                                              log_format_text="combined")
    services.log_import_run(import_id=log_import.pk, paths=[log_file])
    return LogImport.objects.get(pk=log_import.pk)


def _english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _get(client: Any, page: str = "", query: str = "") -> str:
    response = client.get(f"{BASE}{page}{'?' + query if query else ''}")
    assert response.status_code == 200
    return response.content.decode()


def _big_numbers(html: str) -> list[str]:
    return re.findall(r'<p class="big-number">([^<]*)</p>', html)


def _row(*cells: str) -> str:
    """A table row as the section template writes it: numbers (and "–" for none) in cells of class num."""
    return "<tr>" + "".join(f'<td class="num">{cell}</td>' if re.fullmatch(r"[\d.,−+ %]+|–", cell)
                            else f"<td>{cell}</td>" for cell in cells) + "</tr>"


# --- the pages -------------------------------------------------------------------------------------


def test_the_overview_shows_the_key_figures_counted_by_hand(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(client_for(cast.users["reader"]))
    # page views, visits, visitor-days, pages per visit, bounce rate, downloads, 404s, robots' share
    assert _big_numbers(html) == ["7", "5", "4", "1,40", "60,0 %", "1", "1", "28,6 %"]
    assert 'value="2020-03-10"' in html and 'value="2020-04-14"' in html  # all the data: less than a year
    goaccess = html[html.index('data-testid="section-goaccess"'):]
    assert re.findall(r'<td class="num">(\d+)</td>', goaccess)[:2] == ["6", "14"]
    assert html.count('<figure class="chart"') == 4  # trend, sources, devices, weekday and hour


def test_the_overview_in_english_names_the_daily_visitors_and_finds_no_earlier_period(
        cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])))
    assert "<h3>Unique visitors (sum of days)</h3>" in html
    assert "A visitor key lives one day" in html
    # 36 days shown, so the previous period is the 36 days from 3 February to 9 March 2020.
    assert "There is no data for the previous period (Feb. 3, 2020–March 9, 2020)" in html
    assert 'data-testid="kpi-change"' not in html
    assert "Search engines" in html and "Direct" in html and "Computer" in html


def test_a_chosen_period_is_compared_with_the_one_before(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), query="from=2020-04-01&to=2020-04-30")
    # April: 4 page views in 3 visits by 2 visitor-days, 2 bounces, no robots.
    assert _big_numbers(html) == ["4", "3", "2", "1.33", "66.7 %", "0", "0", "0.0 %"]
    changes = re.findall(r'data-testid="kpi-change"><span aria-hidden="true">(.)</span> ([^(]*)\(', html)
    # The 30 days before, 2 to 31 March: 3 page views, 2 visits, 2 visitor-days, 1.5 pages a visit, 1 bounce in
    # 2 visits, 1 download, 1 person's 404, robots 4 of 10 requests.
    assert changes == [
        ("↑", "+33.3 % "), ("↑", "+50.0 % "), ("→", "0.0 % "), ("↓", "−11.3 % "),  # 1.33 against 1.5
        ("↑", "+16.7 percentage points "), ("↓", "−100.0 % "), ("↓", "−100.0 % "), ("↓", "−40.0 percentage points "),
    ]
    assert "(previous period: 1.50)" in html


def test_the_period_form_refuses_an_end_before_the_start(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), query="from=2020-04-30&to=2020-04-01")
    assert "The first day comes after the last day." in html
    assert _big_numbers(html)[0] == "7"  # the default period, all of it


def test_the_trend_by_month(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(client_for(cast.users["reader"]), query="unit=month")
    trend = html[html.index('data-testid="section-trend"'):html.index('data-testid="section-referrer_groups"')]
    # March: 3 page views, 2 visits, 2 visitor-days; April: 4, 3, 2
    assert _row("marts 2020", "3", "2", "2") in trend and _row("april 2020", "4", "3", "2") in trend


def test_the_content_page(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), "content/")
    # page, page views, entries, exits
    assert _row("/viden/artikel", "3", "2", "2") + _row("/", "2", "2", "1") + _row("/kurser/", "2", "1", "2") in html
    # areas in the settings' order, then the rest: Viden, Kurser, outside
    assert ('<th scope="col" class="num">Viden</th><th scope="col" class="num">Kurser</th>'
            '<th scope="col" class="num">Outside the areas</th>') in html
    assert _row("March 2020", "1", "1", "1") + _row("April 2020", "2", "1", "1") in html
    assert _row("/gammel-side", "Outside the areas", "1") in html  # only Googlebot asked for it
    assert _row("/filer/rapport.pdf", "1") in html
    assert _row("/mangler", "1", "0") + _row("/wp-login.php", "0", "1") in html
    assert "No analytics export covers this period." in html


def test_the_sources_page(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), "sources/")
    groups = html[html.index('data-testid="section-referrer_groups"'):html.index('data-testid="section-referrers"')]
    assert _row("Direct", "2") + _row("Newsletter", "1") + _row("Search engines", "1") + _row("Social media",
                                                                                               "1") in groups
    assert _row("Search engines", "www.google.com", "1") in html
    assert _row("renovering", "1") in html


def test_the_technology_page(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), "technology/")
    assert _row("Computer", "3") + _row("Mobile", "2") in html
    assert _row("Firefox", "3") + _row("Mobile Safari", "2") in html
    assert _row("Ubuntu", "3") + _row("iOS", "2") in html


def test_the_robots_page(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(_english(client_for(cast.users["reader"])), "robots/")
    assert _row("March 10, 2020", "6", "4") + _row("April 14, 2020", "4", "0") in html
    assert ('<tr><td>Behaviour: Scanning</td><td>–</td><td class="num">2</td></tr>'
            + _row("Search engine", "Googlebot", "2")) in html
    # the scan rule marked one visitor-day with 2 requests, neither from a known crawler
    assert ("<td>Scanning</td><td>Asked for addresses only vulnerability scanners ask for, such as /wp-login.php "
            "or /.env.</td>" + '<td class="num">1</td><td class="num">2</td><td class="num">2</td>') in html
    assert "was not used for" not in html  # the log holds a style sheet: 1 of 14 requests is over 5 %


def test_every_chart_on_the_pages_draws(cast: Cast, client_for: Any, imported: LogImport) -> None:
    services.analytics_import(process=cast.process, actor=None, filename="ga4_data_api_flat.csv",
                              data=(ANALYTICS / "ga4_data_api_flat.csv").read_bytes())
    client = client_for(cast.users["reader"])
    drawn = []
    for page in ("", "content/", "sources/", "technology/", "robots/"):
        response = client.get(f"{BASE}{page}?from=2020-03-01&to=2025-03-31")
        for key, section in response.context["sections"].items():
            if section.chart is not None:
                assert to_svg(section.chart).startswith("<svg"), key
                drawn.append(key)
    assert drawn == ["trend", "hour_of_week", "referrer_groups", "devices", "areas", "exports", "referrer_groups",
                     "search_terms", "devices", "browsers", "systems", "humans_and_robots"]


def test_without_an_import_every_page_says_so_and_links_to_the_imports(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["reader"]))
    for page in ("", "content/", "sources/", "technology/", "robots/"):
        html = _get(client, page)
        assert 'data-testid="empty-state"' in html and "No web statistics yet" in html
        assert f'href="{BASE}imports/"' in html


# --- evidence --------------------------------------------------------------------------------------


def test_a_table_is_saved_as_evidence_for_its_period(cast: Cast, client_for: Any, imported: LogImport) -> None:
    client = client_for(cast.users["analyst"])
    response = client.post(f"{BASE}evidence/", {"page": "content", "view": "top_pages", "from": "2020-03-01",
                                                "to": "2020-04-30", "unit": "week"})
    item = EvidenceItem.objects.get(process=cast.process)
    assert response["Location"] == f"{BASE}content/?from=2020-03-01&to=2020-04-30&unit=week#top_pages"
    assert item.channel == "webstats"
    assert item.source_key == "webstats:top_pages:2020-03-01:2020-04-30"
    assert item.result["rows"] == [["/viden/artikel", 3, 2, 2], ["/", 2, 2, 1], ["/kurser/", 2, 1, 2]]
    assert len(item.result["headings"]) == 4
    assert item.definition["period"] == {"from": "2020-03-01", "to": "2020-04-30"}
    assert item.link == response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f'href="/p/proc/evidence/items/{item.pk}/"' in page


def test_the_monthly_trend_is_saved_with_its_chart(cast: Cast, client_for: Any, imported: LogImport) -> None:
    client = client_for(cast.users["analyst"])
    client.post(f"{BASE}evidence/", {"page": "overview", "view": "trend", "unit": "month"})
    item = EvidenceItem.objects.get(process=cast.process)
    assert item.source_key == "webstats:trend:2020-03-10:2020-04-14:month"
    assert item.result["rows"] == [["2020-03-01", 3, 2, 2], ["2020-04-01", 4, 3, 2]]
    assert item.chart is not None and item.chart["mark"]["type"] == "line"
    _english(client).post(f"{BASE}evidence/", {"page": "overview", "view": "trend", "unit": "month"})
    # The same view in another language is a new version of the same item, not a new item.
    assert list(EvidenceItem.objects.values_list("source_key", "version").order_by("version")) == [
        (item.source_key, 1), (item.source_key, 2)]


def test_the_key_figures_are_saved_with_shares_in_per_cent(cast: Cast, client_for: Any, imported: LogImport) -> None:
    client = client_for(cast.users["analyst"])
    client.post(f"{BASE}evidence/", {"page": "overview", "view": "kpis"})
    rows = EvidenceItem.objects.get(process=cast.process).result["rows"]
    assert [row[1] for row in rows] == [7, 5, 4, 1.4, 60.0, 1, 1, 28.6]
    assert [row[2] for row in rows] == [None] * 8  # nothing before 10 March


def test_a_section_not_on_the_page_is_not_saved(cast: Cast, client_for: Any, imported: LogImport) -> None:
    client = client_for(cast.users["analyst"])
    response = client.post(f"{BASE}evidence/", {"page": "technology", "view": "top_pages"})
    assert response.status_code == 302 and not EvidenceItem.objects.exists()


# --- imports ---------------------------------------------------------------------------------------


def test_uploading_a_log_queues_an_import_that_the_worker_completes(cast: Cast, client_for: Any) -> None:
    _keep_old_data(cast)
    client = client_for(cast.users["analyst"])
    response = client.post(f"{BASE}imports/logs/", {
        "files": [SimpleUploadedFile("access.log", LOG.encode())], "layout": "combined"})
    log_import = LogImport.objects.get(process=cast.process)
    assert response["Location"] == f"{BASE}imports/{log_import.pk}/"
    assert log_import.status == ImportStatus.QUEUED and log_import.kind == ImportKind.LOG
    job = log_import.job
    assert job is not None and job.kind == "webstats_import"
    waiting = _get(client, f"imports/{log_import.pk}/")
    assert f'id="job-{job.pk}"' in waiting  # the progress, polling while the job runs

    services.log_import_run(import_id=log_import.pk)  # what the worker does
    html = _get(client, f"imports/{log_import.pk}/")
    counts = html[html.index('data-testid="import-counts"'):]
    assert re.findall(r'<td class="num">([^<]*)</td>', counts)[:8] == ["15", "14", "1", "0", "14", "4", "10", "7"]
    assert '<td>access.log</td><td class="num">11</td><td><code>this is not a log line</code></td>' in html
    assert f'id="job-{job.pk}"' not in html
    assert not log_import.upload_folder.exists()  # the whole addresses are gone with the upload


def test_several_files_in_one_upload(cast: Cast, client_for: Any) -> None:
    _keep_old_data(cast)
    march, april = LOG.split("this is not a log line\n")
    client = client_for(cast.users["analyst"])
    client.post(f"{BASE}imports/logs/", {"files": [SimpleUploadedFile("marts.log", march.encode()),
                                                    SimpleUploadedFile("april.log", april.encode())],
                                         "layout": "combined"})
    log_import = LogImport.objects.get(process=cast.process)
    assert [file.name for file in log_import.files.all()] == ["marts.log", "april.log"]


def test_a_format_string_without_a_request_is_refused_on_the_form(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    response = client.post(f"{BASE}imports/logs/", {
        "files": [SimpleUploadedFile("access.log", LOG.encode())], "layout": "custom",
        "log_format": "%h %l %u %t %>s"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The format has no request (%r or %U in Apache, $request in nginx)." in html
    assert not LogImport.objects.exists()


def test_another_format_needs_its_format_string(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    html = client.post(f"{BASE}imports/logs/", {"files": [SimpleUploadedFile("access.log", LOG.encode())],
                                                "layout": "custom"}).content.decode()
    assert "Write the format string of the log." in html and not LogImport.objects.exists()


def test_a_file_imported_before_is_refused(cast: Cast, client_for: Any, imported: LogImport) -> None:
    client = _english(client_for(cast.users["analyst"]))
    html = client.post(f"{BASE}imports/logs/", {"files": [SimpleUploadedFile("kopi.log", LOG.encode())],
                                                "layout": "combined"}).content.decode()
    assert "kopi.log has already been imported (as access.log on" in html
    assert LogImport.objects.count() == 1


def test_an_analytics_export_is_imported_and_shown_beside_the_log(cast: Cast, client_for: Any,
                                                                  imported: LogImport) -> None:
    client = _english(client_for(cast.users["analyst"]))
    upload = SimpleUploadedFile("ga4_data_api_flat.csv", (ANALYTICS / "ga4_data_api_flat.csv").read_bytes())
    response = client.post(f"{BASE}imports/analytics/", {"file": upload})
    export = LogImport.objects.get(kind=ImportKind.ANALYTICS)
    assert response["Location"] == f"{BASE}imports/{export.pk}/"
    assert export.status == ImportStatus.COMPLETED and export.source == "ga4"
    detail = _get(client, f"imports/{export.pk}/")
    # 7 rows in the file; "(other)" on line 6 is left out: 120 + 45 + 1234 + 98 + 6 + 3 = 1,506
    assert '<th scope="row">Rows</th><td class="num">6</td>' in detail
    assert '<th scope="row">Page views</th><td class="num">1,506</td>' in detail
    html = _get(client, "content/", "from=2020-03-01&to=2025-03-31")
    exports = html[html.index('data-testid="section-exports"'):]
    assert _row("March 2020", "3", "–") + _row("April 2020", "4", "–") + _row("March 2025", "–", "1,506") in exports


def test_an_unreadable_export_is_refused_on_the_form(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    html = client.post(f"{BASE}imports/analytics/", {"file": SimpleUploadedFile("tom.csv", b"")}).content.decode()
    assert "The submitted file is empty." in html and not LogImport.objects.exists()


def test_the_same_export_twice_is_refused_on_the_form(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    data = (ANALYTICS / "ga4_data_api_flat.csv").read_bytes()
    client.post(f"{BASE}imports/analytics/", {"file": SimpleUploadedFile("ga4.csv", data)})
    html = client.post(f"{BASE}imports/analytics/", {"file": SimpleUploadedFile("ga4.csv", data)}).content.decode()
    assert "ga4.csv has already been imported" in html
    assert LogImport.objects.count() == 1


def test_a_failed_upload_can_be_tried_again(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    client.post(f"{BASE}imports/logs/", {"files": [SimpleUploadedFile("access.log", LOG.encode())],
                                         "layout": "combined"})
    log_import = LogImport.objects.get()
    LogImport.objects.filter(pk=log_import.pk).update(status=ImportStatus.FAILED, message="The disk was full.")
    html = _get(client, f"imports/{log_import.pk}/")
    assert "The disk was full." in html and "Try again" in html
    client.post(f"{BASE}imports/{log_import.pk}/retry/")
    retried = LogImport.objects.get()
    assert retried.status == ImportStatus.QUEUED and retried.job_id != log_import.job_id


def test_deleting_an_import_removes_its_folder(cast: Cast, client_for: Any, imported: LogImport,
                                               django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["analyst"])
    folder = imported.folder
    assert (folder / "hits.parquet").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}imports/{imported.pk}/delete/")
    assert response["Location"] == f"{BASE}imports/"
    assert not LogImport.objects.exists() and not folder.exists()
    assert 'data-testid="empty-state"' in _get(client)


def test_readers_see_the_imports_but_not_the_forms(cast: Cast, client_for: Any, imported: LogImport) -> None:
    html = _get(client_for(cast.users["reader"]), "imports/")
    assert f'href="{BASE}imports/{imported.pk}/"' in html and 'data-testid="log-form"' not in html
    assert 'data-testid="log-form"' in _get(client_for(cast.users["analyst"]), "imports/")


# --- settings --------------------------------------------------------------------------------------


def test_settings_and_content_areas_are_saved(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    response = client.post(f"{BASE}settings/", {
        "retention_months": "36", "search_parameters": "q, soeg", "own_hosts": "www.almennet.dk",
        "partner_hosts": "bl.dk\nlbf.dk",
        "areas": "Vidensbank = /viden/\n\nNetværk=/netvaerk/\nGuides = /viden/*/guide"})
    assert response.status_code == 302
    saved = WebstatsSettings.objects.get(process=cast.process)
    assert (saved.retention_months, saved.search_parameter_names) == (36, ("q", "soeg"))
    assert WebstatsSettings.lines(saved.partner_hosts) == ("bl.dk", "lbf.dk")
    assert [(area.name, area.pattern) for area in ContentArea.objects.filter(process=cast.process)] == [
        ("Vidensbank", "/viden/"), ("Netværk", "/netvaerk/"), ("Guides", "/viden/*/guide")]
    html = _get(client, "settings/")
    assert "Vidensbank = /viden/\nNetværk = /netvaerk/\nGuides = /viden/*/guide" in html


def test_a_bad_area_line_is_named_by_its_number_and_nothing_is_saved(cast: Cast, client_for: Any) -> None:
    client = _english(client_for(cast.users["analyst"]))
    response = client.post(f"{BASE}settings/", {
        "retention_months": "36", "search_parameters": "q", "own_hosts": "", "partner_hosts": "",
        "areas": "Vidensbank = /viden/\nKurser /kurser/\nNetværk = netvaerk/\nViden igen = /viden/"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2: write the area&#x27;s name, “=” and its addresses" in html
    assert "Line 3: the addresses must start with /" in html
    assert "Line 4: /viden/ is already on line 1." in html
    assert not ContentArea.objects.exists() and not WebstatsSettings.objects.exists()


def test_a_retention_beyond_ten_years_is_refused(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    response = client.post(f"{BASE}settings/", {"retention_months": "121", "search_parameters": "q", "areas": ""})
    assert response.status_code == 200 and not WebstatsSettings.objects.exists()
