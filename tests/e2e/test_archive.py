"""The archive in the browser, on the real stack with the demo's 500 documents from 2005–2020.

The secretariat reads the documents per year and filters them by type and year; searches in Danish and finds the
inflected forms marked, narrows the search with a phrase and saves it as evidence. The analyst copies a sentence of a
document into the passage form and finds exactly that sentence in the evidence base; a reader sees the document
without the forms that change it but can download the original. The analyst uploads a text file and a broken Word
file: the background worker (``evidens worker``, started by conftest.py) extracts the one and reports the other.
The pages pass an accessibility check.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.e2e.test_surveys import wcag_violations

SLUG = "almennet-2030"
ARCHIVE = f"/p/{SLUG}/archive/"
# The noun's inflected forms (indefinite and definite, singular and plural): what "renovering" must find and mark.
# The verb's forms (renoveres, renoveret) have another stem, and compounds (renoveringsstøtte) are not split.
RENOVERING_FORMS = {"renovering", "renoveringen", "renoveringer", "renoveringerne"}
# An uploaded note with words the demo's archive does not hold, so a search for them finds this note alone.
NOTE = ("Referat af beboermøde i Æblehaven\n\n"
        "Beboerne i Æblehaven drøftede tagrenoveringen og ønsker solceller på de nye tage.\n"
        "Afdelingsbestyrelsen indkalder til et nyt møde i august.\n")


def _open_archive(page: Any) -> None:
    page.goto(f"/p/{SLUG}/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Proces").get_by_role("link", name="Arkiv", exact=True).click()


def _submit(form: Any, button: str) -> None:
    with form.page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()


def _wait_for_chart(page: Any) -> None:
    page.wait_for_function("document.querySelectorAll('figure.chart svg, figure.chart canvas').length >= 1",
                           timeout=20000)


def _chart_counts(page: Any) -> dict[tuple[str, str], int]:
    """The overview chart's bars as the page hands them to Vega: (year, type) → documents."""
    values = page.get_by_test_id("archive-overview").locator("figure.chart").evaluate(
        "figure => JSON.parse(document.getElementById(figure.dataset.specId).textContent).data.values")
    return {(str(value["category"]), str(value["colour"])): int(value["value"]) for value in values}


def _document_count(page: Any) -> int:
    """The number in the heading of the document list, e.g. "496 dokumenter"."""
    heading = page.locator("#documents-title").inner_text()
    counted = re.fullmatch(r"(\d+) dokument(?:er)?", heading)
    assert counted, heading
    return int(counted.group(1))


def _search(page: Any, query: str) -> int:
    """Search from the search page's form and return the number of documents found."""
    filters = page.get_by_test_id("archive-filters")
    filters.get_by_label("Søg", exact=True).fill(query)
    _submit(filters, "Søg")
    total = page.get_by_test_id("search-total").inner_text()
    counted = re.fullmatch(r"(\d+) dokument(?:er)? fundet", total)
    assert counted, total
    return int(counted.group(1))


def _follow_evidence_message(page: Any) -> None:
    assert "Gemt som evidens" in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.locator(".messages").get_by_role("link").first.click()
    assert f"/p/{SLUG}/evidence/items/" in page.url


def _first_sentence_with(text: str, word: str) -> str:
    """The first whole sentence of ``text`` on one line that holds a form of ``word``: from a capital letter after a
    line break or a sentence's end to its full stop, at least six words long."""
    for match in re.finditer(r"(?:^|(?<=[.!?] ))([A-ZÆØÅ][^.!?\n]*\b" + word + r"\w*[^.!?\n]*\.)(?= |$)", text,
                             re.MULTILINE | re.IGNORECASE):
        if len(match.group(1).split()) >= 6:
            return match.group(1)
    raise AssertionError(f"no sentence with {word!r} in {text[:300]!r}")


def _select_text(element: Any, passage: str) -> None:
    """Select ``passage`` inside ``element`` as the mouse would: one DOM range over its text nodes."""
    element.evaluate("""(element, passage) => {
        const from = element.textContent.indexOf(passage), to = from + passage.length;
        const range = document.createRange(), walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
        let seen = 0, started = false;
        while (walker.nextNode()) {
            const node = walker.currentNode, length = node.nodeValue.length;
            if (!started && from < seen + length) { range.setStart(node, from - seen); started = true; }
            if (to <= seen + length) { range.setEnd(node, to - seen); break; }
            seen += length;
        }
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
    }""", passage)


@contextmanager
def _page_as(browser: Any, server: Server, username: str) -> Iterator[Any]:
    """A second person in a browser context of their own."""
    context = browser.new_context(base_url=server.url, locale="da-DK", viewport={"width": 1280, "height": 900})
    try:
        other = context.new_page()
        login(other, username)
        yield other
    finally:
        context.close()


def _import_count(page: Any, label: str) -> str:
    term = page.get_by_test_id("import-counts").locator("dt").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return str(term.locator("xpath=following-sibling::dd[1]").inner_text()).strip()


def _wait_for_extraction(page: Any, seconds: float = 60) -> None:
    """The import page does not refresh itself: reload it until the worker has counted what it read."""
    deadline = time.monotonic() + seconds
    while not _import_count(page, "Importeret og søgbar").isdigit():
        assert time.monotonic() < deadline, page.get_by_test_id("import-counts").inner_text()
        page.wait_for_timeout(500)
        page.reload()


def test_the_secretariat_reads_documents_per_year_and_filters_by_type_and_year(page: Any, server: Server) -> None:
    login(page, "sekretariat")
    _open_archive(page)
    assert page.locator("h1").inner_text() == "Arkiv"
    _wait_for_chart(page)
    overview = page.get_by_test_id("archive-overview")
    assert overview.locator("figure.chart [role=img]").get_attribute("aria-label") == (
        "Dokumenter i arkivet pr. år efter type.")
    everything = _document_count(page)
    assert everything >= 450  # the demo's ~500 files less its duplicates
    assert page.get_by_test_id("documents").locator("tbody tr").count() == 50  # the first page
    years = {year for year, _type in _chart_counts(page)}
    assert {"2005", "2020"} <= years
    ARTIFACTS.mkdir(exist_ok=True)
    overview.screenshot(path=str(ARTIFACTS / "archive-list.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    filters = page.get_by_test_id("archive-filters")
    filters.get_by_label("Type").select_option(label="referat")
    _submit(filters, "Vis")
    _wait_for_chart(page)
    minutes = _chart_counts(page)
    assert minutes and {kind for _year, kind in minutes} == {"referat"}
    in_2019 = minutes[("2019", "referat")]
    assert in_2019 > 0

    filters = page.get_by_test_id("archive-filters")
    assert filters.get_by_label("Type").input_value() == "minutes"  # the form keeps the chosen type
    filters.get_by_label("År").fill("2019")
    _submit(filters, "Vis")
    assert "type=minutes" in page.url and "year=2019" in page.url
    _wait_for_chart(page)
    assert _chart_counts(page) == {("2019", "referat"): in_2019}
    # The list and the chart count the same documents by two ways (the list's rows, the chart's counts per year).
    assert _document_count(page) == in_2019 < everything
    rows = page.get_by_test_id("documents").locator("tbody tr")
    assert rows.count() == in_2019
    for row in rows.all():
        cells = row.locator("td")  # a box to choose the row, title, date, type, themes, format, status
        assert cells.nth(2).inner_text().endswith(" 2019"), cells.nth(2).inner_text()
        assert cells.nth(3).inner_text() == "Referat"
    violations = wcag_violations(page)
    assert violations == [], violations


def test_a_danish_search_marks_inflected_forms_and_becomes_evidence(page: Any, server: Server) -> None:
    login(page, "sekretariat")
    _open_archive(page)
    with page.expect_navigation():
        page.locator("nav.tabs").get_by_role("link", name="Søg", exact=True).click()
    assert page.locator("nav.tabs").get_by_role("link", name="Søg", exact=True).get_attribute("aria-current") == "page"

    found = _search(page, "renovering")
    hits = page.get_by_test_id("search-hits")
    assert hits.locator("li").count() == min(found, 20)
    marked = {word.lower() for word in hits.locator("mark").all_inner_texts()}
    assert marked <= RENOVERING_FORMS, marked - RENOVERING_FORMS
    assert marked - {"renovering"}, marked  # an inflected form, not only the word searched for
    first_title = hits.locator(".segment-source a").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section.card").filter(has=hits).screenshot(path=str(ARTIFACTS / "archive-search.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    both_words = _search(page, "helhedsorienteret renovering")
    phrase = _search(page, '"helhedsorienteret renovering"')
    assert 0 < phrase <= both_words < found
    violations = wcag_violations(page)
    assert violations == [], violations

    found_again = _search(page, "renovering")
    assert found_again == found
    with page.expect_navigation():
        page.get_by_role("button", name="Gem som evidens").click()
    _follow_evidence_message(page)
    assert page.locator("h1").inner_text() == "Søgning i arkivet: renovering"
    main = page.locator("main")
    rows = main.locator("table.data-table tbody tr")
    assert rows.count() == min(found, 20)
    assert rows.first.locator("td").first.inner_text() == first_title
    assert f"{found} dokumenter fundet; de første {min(found, 20)} er vist." in main.inner_text()
    # The search had no filters. The item must not show the definition's English field names instead of filters.
    assert "type, year, theme" not in main.inner_text()


def test_a_copied_sentence_becomes_evidence_and_a_reader_downloads_the_original(
        page: Any, browser: Any, server: Server) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login(page, "analytiker")
    page.goto(f"{ARCHIVE}search/")
    assert _search(page, "renovering") > 0
    with page.expect_navigation():
        page.get_by_test_id("search-hits").locator(".segment-source a").first.click()
    document_path = page.url.removeprefix(server.url)
    assert re.fullmatch(rf"{ARCHIVE}\d+/", document_path), document_path

    text = page.get_by_test_id("document-text")
    document_text = str(text.text_content())
    sentence = _first_sentence_with(document_text, "renovering")
    _select_text(text, sentence)
    assert page.evaluate("() => window.getSelection().toString()") == sentence
    page.keyboard.press("Control+C")
    passage_form = page.get_by_test_id("passage-form")
    passage_form.get_by_label("Passage").focus()
    page.keyboard.press("Control+V")
    assert passage_form.get_by_label("Passage").input_value() == sentence
    _submit(passage_form, "Gem passagen som evidens")
    assert page.url.removeprefix(server.url) == document_path  # back at the document
    _follow_evidence_message(page)
    assert page.locator("main blockquote").text_content() == sentence

    with _page_as(browser, server, "laeser") as reader:
        reader.goto(document_path)
        assert reader.get_by_test_id("document-text").text_content() == document_text
        assert reader.get_by_test_id("document-form").count() == 0
        assert reader.get_by_role("button", name="Slet").count() == 0
        assert reader.get_by_test_id("passage-form").count() == 0
        facts = reader.locator("section.fact-box")
        original = facts.locator("dd a").first
        file_name = original.inner_text().split("/")[-1]
        with reader.expect_download() as download_info:
            original.click()
        download = download_info.value
        assert download.suggested_filename == file_name
        response = reader.request.get(original.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "application/octet-stream"
        assert response.headers["content-disposition"].startswith("attachment;")
        assert Path(download.path()).read_bytes() == response.body() != b""
        violations = wcag_violations(reader)
        assert violations == [], violations


def test_an_upload_is_extracted_in_the_background_and_a_broken_file_reported(
        page: Any, server: Server, tmp_path: Path) -> None:
    note = tmp_path / "beboermøde.txt"
    note.write_text(NOTE, encoding="utf-8")
    broken = tmp_path / "ødelagt.docx"
    broken.write_bytes(b"PK\x03\x04 not a Word file after all")  # a zip's signature and nothing of a zip after it
    login(page, "analytiker")
    _open_archive(page)
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("Filer").set_input_files([str(note), str(broken)])
    _submit(upload, "Upload")
    assert re.fullmatch(rf"{ARCHIVE}imports/\d+/", page.url.removeprefix(server.url)), page.url
    assert page.locator("h1").inner_text() == "Arkivimport: upload"
    assert _import_count(page, "Filer") == "2"

    # conftest.py starts "evidens worker" next to the server, so the text is extracted for real.
    _wait_for_extraction(page)
    assert _import_count(page, "Importeret og søgbar") == "1"
    assert _import_count(page, "Dubletter (ikke gemt igen)") == "0"
    assert _import_count(page, "Ulæselige") == "1"
    assert page.get_by_test_id("import-failures").inner_text() == (
        "ødelagt.docx: Filen er beskadiget eller ikke det, dens navn siger.")
    violations = wcag_violations(page)
    assert violations == [], violations

    # The broken file is kept as it came.
    with page.expect_navigation():
        page.get_by_test_id("import-failures").get_by_role("link", name="ødelagt.docx").click()
    assert page.locator("section.fact-box .badge").inner_text() == "Kan ikke læses"
    kept = page.request.get(page.locator("section.fact-box dd a").first.get_attribute("href"))
    assert kept.body() == broken.read_bytes()

    # The note is searchable by other forms of its words, æ included, and its text and file are as uploaded.
    page.goto(f"{ARCHIVE}search/")
    assert _search(page, "Æblehavens tagrenoveringer") == 1
    with page.expect_navigation():
        page.get_by_test_id("search-hits").get_by_role("link", name="Referat af beboermøde i Æblehaven").click()
    assert page.locator("h1").inner_text() == "Referat af beboermøde i Æblehaven"  # the title from the first line
    assert page.get_by_test_id("document-text").text_content() == NOTE.rstrip("\n")
    original = page.request.get(page.locator("section.fact-box dd a").first.get_attribute("href"))
    assert original.body() == NOTE.encode("utf-8")


def test_help_texts_describe_their_fields(page: Any, server: Server) -> None:
    """A screen reader reads a field's help text with the field (axe only lists a broken reference for review)."""
    login(page, "analytiker")
    page.goto(ARCHIVE)
    expect(page.get_by_test_id("upload-form").get_by_label("Filer")).to_have_accessible_description(
        "PDF-, Word-, OpenDocument-, PowerPoint-, Excel-, HTML-, tekst- og e-mailfiler (.eml); gerne flere ad gangen.")
    with page.expect_navigation():  # a searchable document: one that could not be read has no passage form
        page.get_by_test_id("documents").locator("tbody tr", has_text="Søgbar").locator("a").first.click()
    expect(page.get_by_test_id("passage-form").get_by_label("Passage")).to_have_accessible_description(
        "Kopiér passagen fra teksten ovenfor; den gemmes præcis, som den står der.")
