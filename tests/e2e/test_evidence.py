"""The evidence base in the browser, on the real stack with the demo.

The secretariat saves the archive's chart of documents per year as evidence, builds a finding on it in the
evidence base, adds an assumption in the board workshop and links the finding to it: the proposed verdict says the
assumption rests on one channel only, the secretariat sets a verdict with a reason, and the evidence item shows the
finding that cites it. The pages pass an accessibility check.
"""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.e2e.test_surveys import wcag_violations

SLUG = "almennet-2030"
FINDING = "Arkivet rummer flere dokumenter fra de seneste år end fra de første (browsertest)."
ASSUMPTION = "Foreningens arbejde er blevet mere omfattende over tid (browsertest)."


def _click(page: Any, scope: Any, button: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=button, exact=True).click()


def test_a_chart_becomes_evidence_a_finding_rests_on_it_and_an_assumption_is_tested(page: Any,
                                                                                    server: Server) -> None:
    login(page, "sekretariat")
    page.goto(f"/p/{SLUG}/archive/")
    page.wait_for_function("document.querySelectorAll('figure.chart svg, figure.chart canvas').length >= 1",
                           timeout=20000)
    _click(page, page.get_by_test_id("archive-overview"), "Gem som evidens")
    assert "Gemt som evidens" in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.locator(".messages").get_by_role("link").first.click()
    match = re.search(rf"/p/{SLUG}/evidence/items/(\d+)/", page.url)
    assert match, page.url
    item_url, item_title = match.group(0), page.locator("h1").inner_text()

    # A finding on the saved chart, reviewed, supported by it.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Evidensbase").get_by_role("link", name="Fund og triangulering").click()
    form = page.get_by_test_id("finding-form")
    form.get_by_label("Fund").fill(FINDING)
    form.get_by_label("Status").select_option(label="gennemgået")
    form.get_by_label("Segmenter, det vedrører").fill("medlemmer")
    _click(page, form, "Opret fundet")
    assert page.locator("h1").inner_text() == FINDING
    finding_url = page.url
    link = page.get_by_test_id("link-evidence")
    option = link.get_by_label("Evidens").locator("option", has_text=item_title).first.get_attribute("value")
    link.get_by_label("Evidens").select_option(option)
    link.get_by_label("Retning").select_option(label="støtter")
    _click(page, link, "Knyt evidensen")
    assert item_title in page.get_by_test_id("finding-evidence").inner_text()
    assert "kun én kanal" in page.locator("main").inner_text()

    # The board workshop: add the assumption, open it, link the finding.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Evidensbase").get_by_role("link", name="Bestyrelsesworkshop").click()
    quick = page.get_by_test_id("quick-assumption")
    quick.get_by_label("Antagelse").fill(ASSUMPTION)
    quick.get_by_label("Vigtighed").select_option("4")
    _click(page, quick, "Tilføj")
    assert "Antagelsen er tilføjet." in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name=ASSUMPTION).click()
    assert page.get_by_test_id("verdict").inner_text() == "Uafklaret"
    link = page.get_by_test_id("link-finding")
    link.get_by_label("Fund").select_option(label=FINDING)
    link.get_by_label("Retning").select_option(label="støtter")
    _click(page, link, "Knyt fundet")
    proposal = page.get_by_test_id("proposal").inner_text()
    assert "Delvist bekræftet" in proposal and "Den hviler kun på én kanal; se efter en anden kilde." in proposal
    assert FINDING in page.get_by_test_id("assumption-findings").inner_text()

    verdict = page.get_by_test_id("verdict-form")
    verdict.get_by_label("delvist bekræftet").check()
    verdict.get_by_label("Begrundelse").fill("Kun arkivet viser det; spørgeskemaet skal bekræfte det.")
    _click(page, verdict, "Sæt vurderingen")
    assert page.get_by_test_id("verdict").inner_text() == "Delvist bekræftet"
    history = page.get_by_test_id("verdict-history").inner_text()
    assert "Kun arkivet viser det; spørgeskemaet skal bekræfte det." in history
    assert "foreslået: delvist bekræftet" in history
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("main").screenshot(path=str(ARTIFACTS / "evidence-assumption.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    # Antagelser mod fakta shows it with its strongest finding; the evidence item shows what cites it.
    page.goto(f"/p/{SLUG}/evidence/assumptions/")
    row = page.get_by_test_id("assumptions-review").locator("tr", has_text=ASSUMPTION)
    assert FINDING in row.inner_text() and "Delvist bekræftet" in row.inner_text()
    violations = wcag_violations(page)
    assert violations == [], violations
    page.goto(item_url)
    assert FINDING in page.get_by_test_id("cited-by").inner_text()
    with page.expect_navigation():  # the demo's own findings may cite the same chart
        page.get_by_test_id("cited-by").get_by_role("link", name=FINDING).click()
    assert page.url == finding_url
