"""Interviews and qualitative coding in the browser, on the real stack with the demo.

The analyst codes a demo transcript from the keyboard and undoes it; codes a transcript of their own with emoji and
æ ø å and finds the same positions on the server and in the REFI-QDA export; reads the code × group matrix and saves
a cell as evidence. The coding pages pass an accessibility check.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import defusedxml.ElementTree as SafeET

from tests.e2e.conftest import ARTIFACTS, Server, login
from tests.e2e.test_surveys import wcag_violations

SLUG = "almennet-2030"
QDA = "{urn:QDA-XML:project:1.0}"

# The transcript the analyst pastes, as the server keeps it: the form strips the final line break.
PASTED = "Interviewer: Hej 👍 og velkommen.\nI99: Vi elsker æbler, øl og åer. Det er godt 😀 her.\n"
STORED = PASTED.rstrip("\n")
APPLES = "Vi elsker æbler, øl og åer."
# Counted by hand in code points: "Interviewer: " is 13, "Hej " 4, the thumbs-up emoji one code point (two UTF-16
# units in the browser), " og velkommen." 14, the line break 1 and "I99: " 5, so the sentence starts at 38 (39 in
# UTF-16 units). Its 27 code points (æ ø å are one each) end it at 65.
APPLES_START, APPLES_END = 38, 65
# After it a space, then 12 + the grinning emoji (one code point) + 5 up to the end of the text: 66 to 84.
GOOD = "Det er godt 😀 her."
GOOD_START, GOOD_END = 66, 84


def _open_coding_page(page: Any, interview: str) -> None:
    """From the process's front page: the Interviews link, the interview, then its transcript on the coding page."""
    page.goto(f"/p/{SLUG}/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Proces").get_by_role("link", name="Interviews").click()
    with page.expect_navigation():
        page.get_by_test_id("interviews").get_by_role("link", name=interview, exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="Læs og kod").click()
    page.get_by_test_id("transcript").wait_for()


def _shortcut(page: Any, code: str) -> str:
    """The number key shown next to a code in the panel "Kod markeringen"."""
    panel = page.get_by_role("region", name="Kod markeringen")
    entry = panel.locator(".code-list li").filter(has=page.get_by_text(code, exact=True))
    return str(entry.locator("kbd").inner_text())


def _codings(page: Any) -> list[tuple[str, str, str]]:
    """The coding list as the server rendered it: (code, "start-end" in code points, the passage shown)."""
    rows = page.get_by_test_id("coding-list").evaluate("""list => [...list.querySelectorAll("li")]
        .filter(item => item.querySelector("a[data-select]"))
        .map(item => [item.querySelector(".code-chip").textContent, item.querySelector("a[data-select]").dataset.select,
                      item.querySelector("q").textContent])""")
    return [(str(code), str(where), str(passage)) for code, where, passage in rows]


def _passage_at(page: Any, where: str) -> str:
    """The transcript's text between two code-point positions, read from the page itself."""
    start, end = (int(part) for part in where.split("-"))
    return str(page.get_by_test_id("transcript").evaluate(
        "(text, [start, end]) => Array.from(text.textContent).slice(start, end).join('')", [start, end]))


def _selection(page: Any) -> str:
    return str(page.evaluate("() => window.getSelection().toString()"))


def _transcript_has_focus(page: Any) -> bool:
    return bool(page.evaluate("() => document.activeElement?.dataset.testid === 'transcript'"))


def test_the_analyst_codes_two_sentences_from_the_keyboard_and_undoes_it(page: Any, server: Server) -> None:
    login(page, "analytiker")
    _open_coding_page(page, "I01, direktør, stor boligorganisation")
    text = str(page.get_by_test_id("transcript").evaluate("text => text.textContent"))
    # The first two sentences as the help text describes them: each runs to its full stop, question or exclamation
    # mark or the end of the line; the white space before a sentence, and the speaker's label before a turn's first
    # sentence, are not part of it.
    sentences = re.match(r"\s*Interviewer: ([^.!?\n]+[.!?]+)[ \t]*([^.!?\n]+[.!?]+)", text)
    assert sentences, text[:300]
    expected = text[sentences.start(1):sentences.end(2)]
    # I01.txt of the demo, read by eye: the interviewer's first turn is exactly these two sentences.
    assert expected.startswith("Tak fordi du ville tage dig tid")
    assert expected.endswith("Kan du starte med at fortælle lidt om dig selv og jeres organisation?")
    before = _codings(page)
    key = _shortcut(page, "Netværk")
    assert key.isdigit()

    page.get_by_test_id("transcript").focus()
    page.keyboard.press("ArrowDown")
    assert _selection(page) == text[sentences.start(1):sentences.end(1)]
    page.keyboard.press("Shift+ArrowDown")
    assert _selection(page) == expected
    assert page.locator("#selection-preview").inner_text().startswith("»Tak fordi du ville")
    with page.expect_navigation():
        page.keyboard.press(key)

    assert "Netværk" in page.locator(".messages").inner_text()
    after = _codings(page)
    new = [row for row in after if row not in before]
    assert len(after) == len(before) + 1 and len(new) == 1, new
    code, where, shown = new[0]
    assert code == "Netværk"
    assert _passage_at(page, where) == expected  # the positions the server stored are exactly the two sentences
    assert expected.startswith(shown.rstrip("…"))  # the list shows the passage, shortened
    ARTIFACTS.mkdir(exist_ok=True)
    workspace = page.locator(".coding-workspace").bounding_box()
    assert workspace is not None
    scroll_x, scroll_y = page.evaluate("() => [window.scrollX, window.scrollY]")  # the box is in the viewport
    page.screenshot(path=str(ARTIFACTS / "coding-document.png"), full_page=True, clip={
        "x": workspace["x"] + scroll_x, "y": workspace["y"] + scroll_y, "width": workspace["width"],
        "height": min(workspace["height"], 820)})

    assert _transcript_has_focus(page)  # the page came back ready for the next key
    with page.expect_navigation():
        page.keyboard.press("u")
    assert "Netværk" in page.locator(".messages").inner_text()
    assert _codings(page) == before


def test_positions_count_code_points_with_emoji_and_danish_letters(page: Any, server: Server) -> None:
    login(page, "analytiker")
    page.goto(f"/p/{SLUG}/interviews/")
    with page.expect_navigation():
        page.get_by_role("link", name="Planlæg et interview").click()
    form = page.get_by_test_id("interview-form")
    form.locator("[name=label]").fill("I99")
    form.locator("[name=group]").select_option("research")
    form.locator("[name=description]").fill("forsker, universitet")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    paste = page.get_by_test_id("transcript-paste")
    paste.locator("textarea[name=text]").fill(PASTED)
    with page.expect_navigation():
        paste.locator("button[type=submit]").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Læs og kod").click()
    transcript = page.get_by_test_id("transcript")
    assert transcript.evaluate("text => text.textContent") == STORED

    # A selection as the mouse makes it: a DOM range over the sentence, placed by its UTF-16 offsets.
    transcript.focus()
    transcript.evaluate("""(text, sentence) => {
        const from = text.textContent.indexOf(sentence), to = from + sentence.length;
        const range = document.createRange(), walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        let seen = 0, started = false;
        while (walker.nextNode()) {
            const node = walker.currentNode, length = node.nodeValue.length;
            if (!started && from < seen + length) { range.setStart(node, from - seen); started = true; }
            if (to <= seen + length) { range.setEnd(node, to - seen); break; }
            seen += length;
        }
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
    }""", APPLES)
    page.wait_for_function("document.getElementById('start-input').value !== ''")
    assert page.locator("#selection-preview").inner_text() == f"»{APPLES}«"
    assert _transcript_has_focus(page)
    with page.expect_navigation():
        page.keyboard.press(_shortcut(page, "Vidensdeling"))
    assert ("Vidensdeling", f"{APPLES_START}-{APPLES_END}", APPLES) in _codings(page)

    # From the keyboard: the page came back with the coded sentence selected, and ↓ moves to the next one.
    assert _transcript_has_focus(page)
    page.keyboard.press("ArrowDown")
    assert _selection(page) == GOOD
    with page.expect_navigation():
        page.keyboard.press(_shortcut(page, "Digitalisering"))
    assert ("Digitalisering", f"{GOOD_START}-{GOOD_END}", GOOD) in _codings(page)

    assert STORED[APPLES_START:APPLES_END] == APPLES and STORED[GOOD_START:GOOD_END] == GOOD
    export = page.request.get(f"/p/{SLUG}/coding/exchange/project.qdpx")
    assert export.ok, export.status
    with zipfile.ZipFile(io.BytesIO(export.body())) as archive:
        project = SafeET.fromstring(archive.read("project.qde"))
        source = next(element for element in project.iter(f"{QDA}TextSource")
                      if element.get("name") == "I99, forsker, universitet")
        plain = archive.read(source.get("plainTextPath").replace("internal://", "sources/")).decode("utf-8")
    assert plain == STORED
    codes = {element.get("guid"): element.get("name") for element in project.iter(f"{QDA}Code")}
    users = {element.get("guid"): element.get("name") for element in project.iter(f"{QDA}User")}
    selections = {(int(selection.get("startPosition")), int(selection.get("endPosition")),
                   codes[coding.find(f"{QDA}CodeRef").get("targetGUID")], users[coding.get("creatingUser")])
                  for selection in source.iter(f"{QDA}PlainTextSelection")
                  for coding in selection.iter(f"{QDA}Coding")}
    assert selections == {(APPLES_START, APPLES_END, "Vidensdeling", "analytiker"),
                          (GOOD_START, GOOD_END, "Digitalisering", "analytiker")}


def test_the_matrix_shows_codes_by_group_and_a_cell_becomes_evidence(page: Any, server: Server) -> None:
    login(page, "analytiker")
    page.goto(f"/p/{SLUG}/interviews/")
    with page.expect_navigation():
        page.get_by_role("link", name="Koder efter gruppe").click()
    page.wait_for_function("document.querySelectorAll('figure.chart svg, figure.chart canvas').length >= 1",
                           timeout=20000)
    matrix = page.get_by_test_id("matrix")
    assert "Netværk" in matrix.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("section.card").filter(has=matrix).screenshot(path=str(ARTIFACTS / "coding-matrix.png"))
    violations = wcag_violations(page)
    assert violations == [], violations

    row = matrix.locator("tbody tr").filter(has=page.locator("td a")).first
    cell, code = row.locator("td a").first, row.locator("th").inner_text()
    counted = re.fullmatch(r"(\d+) \((\d+)\)", cell.inner_text())
    assert counted, cell.inner_text()
    passages = int(counted.group(2))
    with page.expect_navigation():
        cell.click()
    assert page.get_by_test_id("segment").count() == passages
    assert code in page.locator("h1").inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Gem som evidens").click()
    assert "Gemt som evidens" in page.locator(".messages").inner_text()
    with page.expect_navigation():
        page.locator(".messages").get_by_role("link").first.click()
    assert f"/p/{SLUG}/evidence/" in page.url
    assert code in page.locator("h1").inner_text()
    assert page.locator("main table.data-table tbody tr").count() == passages


def test_the_coding_pages_pass_the_accessibility_check(page: Any, server: Server) -> None:
    login(page, "analytiker")
    _open_coding_page(page, "I03, byggechef, stor boligorganisation")
    violations = wcag_violations(page)
    assert violations == [], violations

    with page.expect_navigation():
        page.locator("nav.tabs").get_by_role("link", name="Enighed").click()
    with page.expect_navigation():
        page.get_by_role("link", name="I03, byggechef, stor boligorganisation").click()
    coders = page.locator("#alpha-title").inner_text()
    assert "analytiker" in coders and "sekretariat" in coders
    assert page.get_by_test_id("agreement-table").locator("tbody tr").count() > 0
    violations = wcag_violations(page)
    assert violations == [], violations
