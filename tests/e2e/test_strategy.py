"""The board's weights and scores in the browser, on the real stack with the demo.

Birgit Lindholm Toft (the demo's board login) compares the criteria pairwise. Her consistency ratio is above 0.10
and the page marks the comparison to revise: »Nytte i hverdagen« against »Sekretariatets kapacitet«, which she set at
1/4 while her other answers imply Nytte matters more. She changes it to 3 (moderately more important) and the ratio
drops below 0.10 (0.027, worked out in tests/demo/test_strategy_content.py). Then she scores »Netværk først« on one
criterion with a reason, and the panel's scores page counts it. The pages pass an accessibility check.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Server, login
from tests.e2e.test_surveys import wcag_violations

SLUG = "almennet-2030"
REASON = "Netværkene kræver tovholdere, som sekretariatet skal finde tid til (browsertest)."


def _click(page: Any, scope: Any, button: str) -> None:
    with page.expect_navigation():
        scope.get_by_role("button", name=button, exact=True).click()


def test_a_board_member_revises_an_inconsistent_comparison_and_scores_an_option(page: Any, server: Server) -> None:
    login(page, "bestyrelse")
    page.goto(f"/p/{SLUG}/strategy/")
    with page.expect_navigation():
        page.get_by_role("link", name="Mine vægte").click()
    assert "Konsistensratio: 0,123" in page.get_by_test_id("consistency").inner_text()
    revise = page.get_by_test_id("revise")
    assert revise.count() == 1
    assert "Nytte i hverdagen" in revise.inner_text() and "Sekretariatets kapacitet" in revise.inner_text()
    assert wcag_violations(page) == []

    revise.locator("select").select_option(label="Nytte i hverdagen: moderat vigtigere (3)")
    _click(page, page.get_by_test_id("ahp-form"), "Gem sammenligningerne")
    assert "Vægtene er gemt." in page.locator(".messages").inner_text()
    assert "Konsistensratio: 0,027" in page.get_by_test_id("consistency").inner_text()
    assert "konsistent nok" in page.get_by_test_id("consistency").inner_text()
    assert page.get_by_test_id("revise").count() == 0

    with page.expect_navigation():
        page.get_by_role("link", name="Scorer fra Birgit Lindholm Toft").click()
    with page.expect_navigation():
        page.get_by_role("navigation", name="Muligheder").get_by_role("link", name="Netværk først").click()
    form = page.get_by_test_id("score-form")
    capacity = form.locator("fieldset", has_text="Sekretariatets kapacitet")
    capacity.get_by_label("1 – ", exact=False).check()
    capacity.get_by_label("Begrundelse").fill(REASON)
    assert wcag_violations(page) == []
    _click(page, form, "Gem og gå til næste mulighed")
    assert "7 af 7 scorer gemt for Netværk først." in page.locator(".messages").inner_text()

    page.goto(f"/p/{SLUG}/strategy/")
    with page.expect_navigation():
        page.get_by_test_id("options").get_by_role("link", name="Netværk først").click()
    assert REASON in page.locator("main").inner_text()


def test_the_strategy_pages_pass_the_accessibility_check(page: Any, server: Server) -> None:
    login(page, "sekretariat")
    for path in ("", "compare/", "criteria/", "panel/", "scores/", "results/", "robustness/", "validation/",
                 "decisions/"):
        page.goto(f"/p/{SLUG}/strategy/{path}")
        page.wait_for_load_state("networkidle")
        assert wcag_violations(page) == [], path
    with page.expect_navigation():
        page.get_by_test_id("decisions").get_by_role("link").first.click()
    assert "Godkendt" in page.get_by_test_id("signed").inner_text()
    assert wcag_violations(page) == []
