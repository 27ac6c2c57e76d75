"""The archive's activity records in the browser, on the real stack (``evidens serve`` and ``evidens worker``).

An analyst of a process of its own, with a register of four member organisations, imports a file of activities and
then one of registrations through the pages: chooses the file, sees the mapping step with its preview, imports, and
follows the background job to the result. One registration names "Nordvest", which two organisations of the register
could be; another misspells "Vesterbro". The analyst settles "Nordvest" in the review list, reads the overview (a
chart per year, engagement of the members, before and after March 2020) and saves the before/after view as evidence.
The mapping step, the review list and the overview pass an accessibility check.

The numbers expected below are counted by hand from EVENTS and REGISTRATIONS; the comments say how.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.archive.test_activities import EVENTS
from tests.archive.test_activities import REGISTRATIONS as UNIT_REGISTRATIONS
from tests.e2e.conftest import ARTIFACTS, OUTSIDER_PASSWORD, Server, login
from tests.e2e.test_surveys import wcag_violations

# A process of its own: the demo's process holds activity records from 2018–2020 already, and the numbers here are
# counted from this file's records alone.
SLUG = "aktiviteter-i-browseren"
ANALYST = "aktivitetsanalytiker"
# The register of organisations, imported with ``evidens stakeholders import`` as an association would. Two names
# share "Nordvest"; "Vesterbro" and "Østerbro" differ by more than one typing error.
REGISTER = ("Navn;Medlem;Region;Boliger\n"
            "Boligforeningen Vesterbro;ja;Region Hovedstaden;1200\n"
            "Boligforeningen Østerbro;ja;Region Sjælland;800\n"
            "Boligforeningen Nordvest;ja;Region Hovedstaden;1200\n"
            "Boligselskabet Nordvest;ja;Region Hovedstaden;600\n")
# The same records as tests/archive/test_activities.py, with one more registration: T6 writes only "Nordvest".
REGISTRATIONS = UNIT_REGISTRATIONS + "T6;A4;Nordvest;Direktør;Ledelse;20-08-2020;ja\n"
JOB_SECONDS = 60  # the worker polls for jobs; a busy CI machine may be slow to get to it


@pytest.fixture(scope="module")
def analyst(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """An analyst of a new process whose register holds the four organisations (the password is the outsider's:
    conftest.py hands it to ``evidens createuser`` through EVIDENS_PASSWORD)."""
    register = tmp_path_factory.mktemp("activities") / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    server.evidens("process", "create", SLUG, "--name", "Aktiviteter i browseren")
    server.evidens("stakeholders", "import", str(register), "--process", SLUG, "--kind", "organisations")
    server.evidens("createuser", ANALYST, "--process", SLUG, "--role", "analyst")
    return ANALYST


def _click(page: Any, locator: Any) -> None:
    with page.expect_navigation():
        locator.click()


def _rows(table: Any) -> list[list[str]]:
    """A table's body as the reader sees it, header cells of a row included."""
    return [[cell.strip() for cell in row.locator("th, td").all_inner_texts()]
            for row in table.locator("tbody tr").all()]


def _messages(page: Any) -> str:
    return str(page.locator(".messages").inner_text()).strip()


def _upload(page: Any, table_kind: str, path: Path) -> None:
    form = page.get_by_test_id("activity-upload")
    form.get_by_label("Filen indeholder").select_option(table_kind)
    form.get_by_label(re.compile(r"^Fil\b")).set_input_files(str(path))
    _click(page, form.get_by_role("button", name="Upload", exact=True))


def _import_and_follow_the_job(page: Any, rows: int) -> None:
    """Confirm the mapping, wait on the job's page until the worker is done, and open the import's result."""
    _click(page, page.get_by_test_id("mapping-form").get_by_role("button", name="Importér", exact=True))
    assert "/jobs/" in page.url, page.url
    expect(page.get_by_test_id("job-status")).to_have_text("Færdig", timeout=JOB_SECONDS * 1000)
    assert f"{rows} rækker blev importeret." in page.locator("main").inner_text()
    _click(page, page.get_by_role("link", name="Vis resultatet"))
    expect(page.get_by_test_id("import-status")).to_have_text("Importeret")
    assert page.get_by_test_id("created").inner_text() == str(rows)


def _wait_for_chart(section: Any) -> None:
    section.locator("figure.chart").locator("svg, canvas").first.wait_for(timeout=20000)


def _chart_values(section: Any) -> list[dict[str, Any]]:
    """The data of the section's first chart as the page hands it to Vega (year as category, type as colour)."""
    return list(section.locator("figure.chart").first.evaluate(
        "figure => JSON.parse(document.getElementById(figure.dataset.specId).textContent).data.values"))


def test_the_analyst_imports_activities_reviews_a_name_and_saves_before_and_after(
        page: Any, analyst: str, tmp_path: Path) -> None:
    events = tmp_path / "aktiviteter.csv"
    events.write_text(EVENTS, encoding="utf-8")
    registrations = tmp_path / "tilmeldinger.csv"
    registrations.write_text(REGISTRATIONS, encoding="utf-8")
    login(page, analyst, OUTSIDER_PASSWORD)
    page.goto(f"/p/{SLUG}/")
    _click(page, page.get_by_role("navigation", name="Proces").get_by_role("link", name="Arkiv", exact=True))
    _click(page, page.locator("nav.tabs").get_by_role("link", name="Aktiviteter", exact=True))
    assert page.get_by_test_id("activities-per-year").locator(".empty").inner_text() == (
        "Ingen aktivitetsdata endnu. Importér aktivitetsdata")

    # --- the activities: mapping step, preview, import ---------------------------------------------------------
    _click(page, page.locator("p.actions").get_by_role("link", name="Importér aktivitetsdata"))
    _upload(page, "events", events)
    assert page.locator("h1").inner_text() == "aktiviteter.csv"
    assert page.get_by_test_id("import-status").inner_text() == "Venter på valg af kolonner"
    mapping = page.get_by_test_id("mapping-form")
    assert mapping.get_by_label("Titel").input_value() == "title"  # guessed from the Danish heading
    assert mapping.get_by_label("Dato").input_value() == "day"
    assert page.get_by_role("heading", name="Forhåndsvisning: 4 rækker").is_visible()
    preview = _rows(page.get_by_test_id("preview"))
    assert [row[:3] for row in preview] == [  # the file's row number (the headings are row 1), ID and title
        ["2", "A1", "Årsseminar 2019"], ["3", "A2", "Webinar om grøn drift"], ["4", "A3", "ERFA-møde om udlejning"],
        ["5", "A4", "Temadag om beboerdemokrati"]]
    assert {"seminar", "Nyborg", "gennemført"} <= set(preview[0])  # "årsseminar" and "gennemført" read as choices
    assert "anden aktivitet" in preview[3]  # "Temadag" is no type the archive knows ...
    assert "Disse typer læses som anden aktivitet: Temadag (1)" in page.locator("main").inner_text()  # ... and says so
    _import_and_follow_the_job(page, rows=4)
    assert "Disse typer blev læst som anden aktivitet: Temadag (1)" in (
        page.get_by_test_id("import-result").inner_text())

    # --- the registrations: one name is a typing error, one could be two organisations --------------------------
    _click(page, page.get_by_role("link", name="← Importér aktivitetsdata"))
    imports = page.get_by_test_id("activity-imports")
    assert imports.locator("li").count() == 1
    assert imports.locator("li").first.inner_text().startswith(
        "aktiviteter.csv · aktiviteter (arrangementer, kurser, møder) · ")
    # The list writes the status in lower case, the import's own page with a capital: see the report.
    assert imports.locator("li").first.locator(".badge").inner_text().casefold() == "importeret"
    _upload(page, "registrations", registrations)
    assert page.locator("h1").inner_text() == "tilmeldinger.csv"
    assert page.get_by_role("heading", name="Forhåndsvisning: 6 rækker").is_visible()
    # Six different ways of writing: the register's names (T1, T2 in lower case, T4), a misspelt one (T3), one
    # from outside the register (T5) and one that two organisations share (T6).
    assert page.get_by_test_id("match-summary").inner_text() == (
        "Organisationsnavne i filen: samme navn: 3 · næsten samme stavemåde: 1 · ikke i registeret: 1 · "
        "usikker: skal gennemgås: 1")
    assert [row[:4] for row in _rows(page.get_by_test_id("preview"))][-1] == ["7", "T6", "A4", "Nordvest"]
    violations = wcag_violations(page)
    assert violations == [], violations
    _import_and_follow_the_job(page, rows=6)

    # --- the review list: "Nordvest" waits for a person ---------------------------------------------------------
    _click(page, page.get_by_test_id("import-result").get_by_role("link", name=re.compile("^Gennemgå de")))
    review_tabs = page.get_by_role("navigation", name="Organisationsnavne")
    expect(review_tabs.get_by_role("link", name="Usikre (1)")).to_have_attribute("aria-current", "page")
    assert review_tabs.get_by_role("link", name="Knyttet efter næsten samme stavemåde (1)").is_visible()
    assert review_tabs.get_by_role("link", name="Ikke i registeret (1)").is_visible()
    names = page.get_by_test_id("names-to-review")
    assert page.get_by_role("heading", name="1 stavemåde", exact=True).is_visible()
    assert names.locator("tbody tr").count() == 1
    row = names.locator("tbody tr").first
    assert row.locator("th").inner_text() == "Nordvest"
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()[:2]] == ["1", "–"]  # 1 registration, no one
    choices = row.get_by_role("radio")
    offered = [re.sub(r" \(\d+\)$", "", str(label).strip())
               for label in choices.evaluate_all("inputs => inputs.map(input => input.parentElement.textContent)")]
    assert sorted(offered) == ["Boligforeningen Nordvest", "Boligselskabet Nordvest", "Ikke i registeret"]
    assert not any(choice.is_checked() for choice in choices.all())  # nothing chosen for the analyst
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("main").screenshot(path=str(ARTIFACTS / "archive-activity-review.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    row.get_by_role("radio", name=re.compile(r"^Boligselskabet Nordvest \(\d+\)$")).check()
    _click(page, row.get_by_role("button", name="Gem", exact=True))
    # One registration was written "Nordvest". (The message is plural whatever the count: see the report.)
    assert _messages(page) == "1 tilmelding opdateret."
    review_tabs = page.get_by_role("navigation", name="Organisationsnavne")
    expect(review_tabs.get_by_role("link", name="Usikre (0)")).to_have_attribute("aria-current", "page")
    assert _rows(page.get_by_test_id("names-to-review")) == [["Intet at gennemgå."]]
    _click(page, review_tabs.get_by_role("link", name="Besluttet"))
    decided = _rows(page.get_by_test_id("names-to-review"))
    assert [row[:3] for row in decided] == [["Nordvest", "1", "Boligselskabet Nordvest"]]
    _click(page, review_tabs.get_by_role("link", name=re.compile("^Knyttet efter næsten samme stavemåde")))
    close = _rows(page.get_by_test_id("names-to-review"))
    assert [row[:3] for row in close] == [["Boligforeningen Vesterbo", "1", "Boligforeningen Vesterbro"]]

    # --- the overview ---------------------------------------------------------------------------------------
    _click(page, page.locator("p.actions").get_by_role("link", name="Overblik", exact=True))
    assert page.get_by_test_id("review-reminder").count() == 0  # nothing uncertain is left
    per_year = page.get_by_test_id("activities-per-year")
    _wait_for_chart(per_year)
    assert per_year.locator("figure.chart [role=img]").first.get_attribute("aria-label") == (
        "Gennemførte aktiviteter pr. år, fordelt på type.")
    # Held activities only: A3 was cancelled.
    assert sorted((value["category"], value["colour"], value["value"]) for value in _chart_values(per_year)) == [
        ("2019", "seminar", 1), ("2019", "webinar", 1), ("2020", "anden aktivitet", 1)]
    per_year.locator("summary", has_text="Tabel").click()
    # Registrations count every row; participants those not marked absent (T3 was, T4's attendance is unknown),
    # and only at held activities.
    assert _rows(per_year) == [["2019", "Seminar", "1", "0", "2", "2"], ["2019", "Webinar", "1", "0", "2", "1"],
                               ["2020", "ERFA-møde", "0", "1", "0", "0"],
                               ["2020", "Anden aktivitet", "1", "0", "2", "2"]]
    # Vesterbro took part in A1, Boligforeningen Nordvest in A2 and, since the review, Boligselskabet Nordvest in A4;
    # Østerbro in none.
    summary = page.get_by_test_id("engagement-summary")
    assert page.get_by_test_id("engagement-active").locator("xpath=..").inner_text() == (
        "Aktive (3 aktiviteter eller flere): 0")
    assert page.get_by_test_id("engagement-occasional").locator("xpath=..").inner_text() == (
        "Lejlighedsvise (1–2 aktiviteter): 3")
    assert page.get_by_test_id("engagement-never").locator("xpath=..").inner_text() == (
        "Ikke deltaget (0 aktiviteter): 1")
    assert "Ud af 4 medlemsorganisationer i registeret." in summary.inner_text()
    change = page.get_by_test_id("activities-change")
    assert change.locator("h2").inner_text() == "Før og efter marts 2020"
    # Before: May 2019 – February 2020 (10 months) with A1 and A2 held, 3 participants (T1, T2, T4), A2 online, and
    # Vesterbro and Boligforeningen Nordvest taking part. After: March – September 2020 (7 months), A3 cancelled and
    # A4 held with T5 and T6; T5 is from outside the register, so Boligselskabet Nordvest is the one organisation.
    assert _rows(change.locator("table")) == [
        ["Måneder", "10", "7"], ["Gennemførte aktiviteter pr. måned", "0,2", "0,1"],
        ["Deltagere pr. gennemført aktivitet", "1,5", "2,0"], ["Andel aflyst", "0,0 %", "50,0 %"],
        ["Andel online", "50,0 %", "0,0 %"], ["Deltagende organisationer", "2", "1"]]
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("main").screenshot(path=str(ARTIFACTS / "archive-activities.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    # --- the engagement lists ---------------------------------------------------------------------------------
    _click(page, page.get_by_test_id("engagement-occasional"))
    assert page.get_by_role("heading", name="3 medlemsorganisationer").is_visible()
    assert [row[:2] for row in _rows(page.get_by_test_id("engagement-list"))] == [
        ["Boligforeningen Nordvest", "1"], ["Boligforeningen Vesterbro", "1"], ["Boligselskabet Nordvest", "1"]]
    engagement_tabs = page.get_by_role("navigation", name="Engagement")
    _click(page, engagement_tabs.get_by_role("link", name="Ikke deltaget (0 aktiviteter) (1)"))
    assert _rows(page.get_by_test_id("engagement-list")) == [["Boligforeningen Østerbro", "0", "Region Sjælland",
                                                              "800"]]

    # --- before and after as evidence ------------------------------------------------------------------------
    _click(page, page.locator("p.actions").get_by_role("link", name="Overblik", exact=True))
    _click(page, page.get_by_test_id("activities-change").get_by_role("button", name="Gem som evidens"))
    assert re.fullmatch(r"Gemt som evidens: Aktiviteter før og efter marts 2020 \(version 1\)\.", _messages(page)), (
        _messages(page))
    assert page.get_by_test_id("activities-change").is_visible()  # back at the overview the view was saved from
    _click(page, page.locator(".messages").get_by_role("link").first)
    assert f"/p/{SLUG}/evidence/items/" in page.url
    assert "før og efter" in page.locator("h1").inner_text()
    assert _rows(page.locator("main table.data-table")) == [
        ["Måneder", "10", "7"], ["Gennemførte aktiviteter pr. måned", "0,2", "0,1"],
        ["Deltagere pr. gennemført aktivitet", "1,5", "2,0"], ["Andel aflyst (%)", "0,0", "50,0"],
        ["Andel online (%)", "50,0", "0,0"], ["Deltagende organisationer", "2", "1"]]
    _wait_for_chart(page.locator("main"))  # the months' chart is saved with the table
