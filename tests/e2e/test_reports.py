"""The reports of the demo in the browser, on the real stack: the knowledge report and the decision memo read as
pages (saved as screenshots in test-artifacts/ for a person to look at), and a PDF of the decision memo built by
the worker and downloaded."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pypdfium2

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.e2e.test_surveys import wcag_violations

SLUG = "almennet-2030"


def test_the_reports_read_as_pages_and_a_pdf_is_built_in_the_background(page: Any, server: Server) -> None:
    login(page, "sekretariat")
    page.goto(f"/p/{SLUG}/reports/publication/")
    assert wcag_violations(page) == []
    page.goto(f"/p/{SLUG}/reports/")
    assert wcag_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    for link, name, chapters in ((0, "report-knowledge", ("Metode", "Antagelser og konklusioner", "Kilder")),
                                 (1, "report-decision", ("Mulighederne", "Robusthed", "Beslutningen"))):
        with page.expect_navigation():
            page.get_by_test_id("previews").get_by_role("link").nth(link).click()
        text = page.locator("body").inner_text()
        assert all(chapter in text for chapter in chapters), name
        assert page.locator("svg").count() >= 3  # the charts, drawn inline as vectors
        assert wcag_violations(page) == [], name
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        page.go_back()

    form = page.get_by_test_id("report-form")
    form.get_by_label("Rapport").select_option(label="beslutningsgrundlag")
    form.get_by_label("Format").select_option(label="PDF")
    with page.expect_navigation():
        form.get_by_role("button", name="Byg").click()
    builds = page.get_by_test_id("builds")
    result = builds.get_by_role("link", name="Vis resultatet")
    result.wait_for(timeout=120000)  # the worker builds it while the page follows the job
    with page.expect_navigation():
        result.click()
    with page.expect_download() as download:
        builds.get_by_role("link", name="Hent").click()
    content = download.value.path().read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(page_.extract_text() for page_ in reader.pages)
    assert len(reader.pages) >= 5 and "Netværk først" in text and "Side 2 af" in text
    # The first pages drawn as pictures for a person to look at (and for the README).
    for number, drawn in enumerate(pypdfium2.PdfDocument(content), start=1):
        if number <= 6:
            drawn.render(scale=1.5).to_pil().save(ARTIFACTS / f"beslutningsgrundlag-side-{number}.png")
