"""The demo's year of web statistics in the browser: the secretariat reads the overview and the content page,
the charts are drawn, the pages pass an accessibility check, and a section becomes evidence."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.e2e.test_surveys import wcag_violations

YEAR = "?from=2019-10-01&to=2020-09-30"


def test_the_secretariat_reads_a_year_of_web_statistics_and_saves_a_section(page: Any, server: Server) -> None:
    login(page, "sekretariat")
    page.goto("/p/almennet-2030/")
    with page.expect_navigation():
        page.get_by_role("link", name="Webstatistik").click()
    kpis = page.get_by_test_id("section-kpis")
    assert "Sidevisninger" in kpis.inner_text()
    assert "Unikke besøgende (summen af dage)" in kpis.inner_text()

    page.goto(f"/p/almennet-2030/webstats/{YEAR}")
    page.wait_for_function("document.querySelectorAll('figure.chart svg, figure.chart canvas').length >= 3",
                           timeout=20000)
    assert "Nyhedsbrev" in page.get_by_test_id("section-referrer_groups").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_test_id("section-trend").screenshot(path=str(ARTIFACTS / "webstats-trend.png"))
    page.get_by_test_id("section-hour_of_week").screenshot(path=str(ARTIFACTS / "webstats-hours.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    page.goto(f"/p/almennet-2030/webstats/content/{YEAR}")
    areas = page.get_by_test_id("section-areas")
    areas.locator("figure.chart .chart-canvas > *").first.wait_for()
    areas.screenshot(path=str(ARTIFACTS / "webstats-areas.png"))
    assert wcag_violations(page) == []
    with page.expect_navigation():
        page.get_by_test_id("section-top_pages").get_by_role("button", name="Gem som evidens").click()
    assert "Gemt som evidens" in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.locator(".messages").get_by_role("link").first.click()
    assert "Mest viste sider" in page.locator("h1").inner_text()
