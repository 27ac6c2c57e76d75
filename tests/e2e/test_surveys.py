"""The survey from the secretariat's desk to a respondent's phone and back, on the real stack.

The secretariat copies the demo's member survey, publishes it, invites one person from the register;
the worker sends the invitation through a real SMTP server; the respondent opens the link on a phone,
answers with skip logic, closes the page midway, resumes on another "device" and finishes.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.mail import body_text

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "da-DK"}


def _invitee(server: Server, tmp_path: Path) -> str:
    """An e-mail address from the demo register of someone who may be asked."""
    export = tmp_path / "people.csv"
    server.evidens("stakeholders", "export", "--process", "almennet-2030", "--kind", "people", "--out", str(export))
    with export.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["E-mail"] and row["Samtykke"] not in ("afvist", "trukket tilbage"):
                return row["E-mail"]
    raise AssertionError("the demo register has nobody to invite")


def wcag_violations(page: Any) -> list[str]:
    """What axe-core finds against WCAG 2.1 A and AA on the page as it is now."""
    page.evaluate(AXE.read_text())  # a script tag would be refused by the Content-Security-Policy
    result = page.evaluate("""async () => {
        const found = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a",
                                                                              "wcag21aa"]}});
        return found.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
    }""")
    return list(result)


def _next(page: Any, button: str = "Næste") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def test_a_respondent_answers_on_a_phone_and_resumes_on_another_device(
        page: Any, browser: Any, server: Server, tmp_path: Path) -> None:
    page.on("dialog", lambda dialog: dialog.accept())
    address = _invitee(server, tmp_path)
    login(page, "sekretariat")
    page.goto("/p/almennet-2030/surveys/")
    with page.expect_navigation():
        page.get_by_role("link", name="Medlemsundersøgelse 2020", exact=True).click()
    assert page.get_by_test_id("survey-status").inner_text() == "Lukket"
    page.locator("figure.chart .chart-canvas > *").first.wait_for()  # Vega has drawn
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-monitoring.png"), full_page=True)
    violations = wcag_violations(page)
    assert violations == [], violations
    with page.expect_navigation():
        page.get_by_role("button", name="Kopiér som nyt spørgeskema").click()
    assert page.get_by_role("heading", name="1. Om dit medlemskab").is_visible()  # the builder, with the copy
    page.screenshot(path=str(ARTIFACTS / "survey-builder.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    survey_url = page.url
    with page.expect_navigation():
        page.get_by_role("link", name="Modtagere").click()
    page.get_by_label("Eller en liste med e-mailadresser").fill(address)
    with page.expect_navigation():
        page.get_by_role("button", name="Tilføj", exact=True).click()
    assert "1 modtagere tilføjet" in page.inner_text("main")
    page.goto(survey_url)
    page.locator("select[name=kind]").select_option("invitation")
    with page.expect_navigation():
        page.get_by_role("button", name="Planlæg udsendelsen").click()

    invitation = server.mail.wait_for(address)
    link = re.search(r"http://127\.0\.0\.1:\d+/s/[\w-]+/", body_text(invitation))
    assert link, body_text(invitation)

    phone = browser.new_context(**PHONE)
    form = phone.new_page()
    form.goto(link.group(0))
    assert form.locator("html").get_attribute("lang") == "da"
    assert form.locator("[data-question=member_years]").is_hidden()
    assert wcag_violations(form) == []
    with form.expect_navigation():
        form.get_by_role("button", name="Næste").click()  # nothing answered: the errors, tied to their fields
    assert form.get_by_role("alert").is_visible()
    assert wcag_violations(form) == []
    form.locator("input[name=member][value=yes]").check()
    form.locator("[data-question=member_years]").wait_for()  # skip logic shows it as soon as "Ja" is chosen
    form.locator("input[name=member_years][value=from_6]").check()
    form.locator("input[name=offers_used][value=courses]").check()
    form.locator("input[name=events_attended]").wait_for()
    form.locator("input[name=events_attended]").fill("3")
    ARTIFACTS.mkdir(exist_ok=True)
    form.screenshot(path=str(ARTIFACTS / "survey-phone-first-page.png"), full_page=True)
    _next(form)
    assert form.get_by_role("heading", name="Tilfredshed").is_visible(), form.inner_text("main")[:600]
    form.locator("input[name=overall_satisfaction][value='2']").check()
    form.locator("[data-question=improvement]").wait_for()  # shown because 2 is low
    form.locator("textarea[name=improvement]").fill("Flere kurser i Jylland, tak.")
    form.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=True)
    _next(form)
    assert form.get_by_role("heading", name="Kanaler").is_visible()
    phone.close()  # the respondent closes the browser midway

    other_device = browser.new_context(**PHONE)
    resumed = other_device.new_page()
    resumed.goto(link.group(0))
    assert resumed.get_by_role("heading", name="Kanaler").is_visible()  # where they stopped
    with resumed.expect_navigation():
        resumed.get_by_role("button", name="Tilbage").click()
    assert resumed.locator("textarea[name=improvement]").input_value() == "Flere kurser i Jylland, tak."
    _next(resumed)
    resumed.locator("input[name=channels][value=newsletter]").check()
    resumed.locator("[data-question=newsletter_reading]").wait_for()  # a follow-up for newsletter readers
    _next(resumed)
    assert resumed.get_by_role("heading", name="Behov og ønsker for fremtiden").is_visible(), resumed.inner_text("main")
    for place, entry in enumerate(["green_transition", "digitalisation", "tenant_democracy", "vulnerable_areas"],
                                  start=1):
        resumed.locator(f"select[name='focus_areas.{entry}']").select_option(str(place))
    _next(resumed)
    resumed.locator("input[name=nps][value='9']").check(force=True)
    _next(resumed)
    resumed.locator("input[name=organisation_type][value=housing]").check()
    resumed.locator("[data-question=size]").wait_for()  # asked of housing organisations only
    resumed.locator("input[name=size][value=from_2000]").check()
    resumed.locator("input[name=role][value=management]").check()
    resumed.locator("input[name=region][value=midtjylland]").check()
    with resumed.expect_navigation():
        resumed.get_by_role("button", name="Send svar").click()
    assert resumed.get_by_role("heading", name="Tak for dine svar").is_visible()
    resumed.screenshot(path=str(ARTIFACTS / "survey-phone-thanks.png"), full_page=True)
    resumed.goto(link.group(0))
    assert resumed.get_by_role("heading", name="Du har allerede svaret").is_visible()
    other_device.close()

    page.goto(survey_url)
    assert page.get_by_test_id("complete-count").inner_text() == "1"
    assert page.get_by_test_id("response-rate").inner_text() == "100,0 %"


def test_the_board_reads_results_by_segment_and_the_analyst_saves_one_as_evidence(page: Any, server: Server) -> None:
    login(page, "analytiker")
    page.goto("/p/almennet-2030/surveys/")
    with page.expect_navigation():
        page.get_by_role("link", name="Medlemsundersøgelse 2020", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Resultater").click()
    page.get_by_label("Sammenlign efter").select_option("segment")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis", exact=True).click()
    satisfaction = page.locator("#r-overall_satisfaction")
    satisfaction.locator("figure.chart .chart-canvas > *").first.wait_for()
    assert "Procent af hver gruppe" in satisfaction.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-results.png"), full_page=False)
    violations = wcag_violations(page)
    assert violations == [], violations
    with page.expect_navigation():
        satisfaction.get_by_role("button", name="Gem som evidens").click()
    assert "Gemt som evidens" in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.get_by_role("link", name="Evidensbase").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Hvor tilfreds er du alt i alt med AlmenNet?, efter segment").click()
    page.locator("figure.chart .chart-canvas > *").first.wait_for()
    assert page.get_by_role("link", name="Åbn visningen, det blev gemt fra").is_visible()
