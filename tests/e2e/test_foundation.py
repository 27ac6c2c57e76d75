"""A person with a browser: logs in as each demo role, reads the dashboard, is kept out of another
organisation's process, and imports a small stakeholder file through the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import ARTIFACTS, OUTSIDER_PASSWORD, Server, login

DEMO_ROLES = ["sekretariat", "analytiker", "bestyrelse", "styregruppe", "laeser"]


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_role_sees_the_dashboard_with_the_fact_box(page: Any, username: str) -> None:
    login(page, username)
    page.goto("/p/almennet-2030/")
    facts = page.locator(".fact-box")
    assert "492.000 kr." in facts.inner_text()
    assert "Realdania" in facts.inner_text()
    assert "I gang" in facts.inner_text()
    assert page.get_by_role("heading", name="AlmenNet 2030").is_visible()
    # The charts are drawn in the browser by the vendored Vega.
    page.wait_for_selector("figure.chart svg", timeout=15000)


@pytest.mark.parametrize(("path", "name"), [("/p/almennet-2030/", "dashboard"),
                                           ("/p/almennet-2030/stakeholders/", "stakeholders")])
def test_screenshots_for_the_readme(page: Any, path: str, name: str) -> None:
    """Pictures for README (copy test-artifacts/<name>.png to docs/screenshots/ to refresh them)."""
    login(page, "sekretariat")
    page.goto(path)
    page.wait_for_function("document.querySelectorAll('figure.chart svg').length >= 2", timeout=15000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_demo_user_cannot_reach_another_process(page: Any) -> None:
    login(page, "sekretariat")
    response = page.goto("/p/andet-forbund/")
    assert response.status == 404
    assert "Andet Forbund" not in page.content()


def test_the_other_process_cannot_reach_the_demo(page: Any) -> None:
    login(page, "fremmed", OUTSIDER_PASSWORD)
    response = page.goto("/p/almennet-2030/")
    assert response.status == 404
    response = page.goto("/p/andet-forbund/")
    assert response.status == 200


def test_a_reader_cannot_open_the_team_page(page: Any) -> None:
    login(page, "laeser")
    response = page.goto("/p/almennet-2030/team/")
    assert response.status == 403


def test_the_interface_switches_to_english(page: Any) -> None:
    login(page, "laeser")
    page.goto("/p/almennet-2030/")
    # Choosing a language submits the form: wait for that navigation, not just for a quiet network.
    with page.expect_navigation():
        page.get_by_label("Sprog").select_option("en")
    assert "Project budget" in page.locator(".fact-box").inner_text()
    with page.expect_navigation():
        page.get_by_label("Language").select_option("da")
    assert "Projektøkonomi" in page.locator(".fact-box").inner_text()


def test_import_a_small_stakeholder_file_through_the_pages(page: Any, server: Server, tmp_path: Path) -> None:
    csv = tmp_path / "nye-kontakter.csv"
    csv.write_bytes(
        "Navn;E-mail;Organisation;Stilling;Segment\n"
        "Åse Ærø-Østergaard;aase.test@eksempel.example;;Direktør;Direktion/ledelse\n"
        "Søren Blåbær;soeren.test@eksempel.example;;Driftschef;Drift\n".encode("cp1252")
    )
    login(page, "sekretariat")
    page.goto("/p/almennet-2030/stakeholders/")
    with page.expect_navigation():
        page.get_by_role("link", name="Importér").first.click()
    page.get_by_label("Hvad importeres").select_option("people")
    page.get_by_label("Fil").set_input_files(str(csv))
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsæt").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsæt").click()  # accept the guessed column mapping
    assert "Åse Ærø-Østergaard" in page.content()  # the preview shows the rows as they will be stored
    with page.expect_navigation():
        page.get_by_role("button", name="Importér").click()
    page.wait_for_selector("[data-testid=job-status]:has-text('Færdig')", timeout=30000)
    page.goto("/p/almennet-2030/stakeholders/people/?q=Blåbær")
    assert "Søren Blåbær" in page.content()
