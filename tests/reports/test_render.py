"""A report rendered to HTML, PDF and DOCX, checked by opening each output with another tool: html.parser,
pypdf and python-docx. The rendered files are kept in test-artifacts/reports/ to look at."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from weasyprint import HTML

from evidens.charts.render import to_png
from evidens.charts.specs import ChartLabels, bar_chart
from evidens.reports.document import (
    Document,
    Facts,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Quote,
    Reference,
    Table,
    footnote_numbers,
    headings,
)
from evidens.reports.render import pdf_from_html, render_docx, render_html, render_pdf

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
NBSP = "\u00a0"
SURVEY_LINK = "https://example.org/s/1"
WEB_LINK = "https://example.org/w?x=1&y=2"
ESCAPED_TEXT = "Teksten <b>må ikke</b> blive til HTML & andet."
CHART_SPEC = bar_chart(
    [
        {"type": "Ældre- og plejeboliger", "antal": 1200},
        {"type": "Ungdomsboliger", "antal": 340},
        {"type": "Familieboliger", "antal": 2210},
    ],
    "antal",
    "type",
    labels=ChartLabels(description="Boliger efter type", x="Antal boliger", y="Boligtype"),
)
LONG_TABLE_ROWS = tuple((f"Boligorganisation {number}", str(number * 3)) for number in range(1, 71))


def report(language: str = "da") -> Document:
    """Citations: "web" first (1), then "survey" (2), "archive" (3), "interview" (4); "unused" is never
    cited and comes last (5)."""
    return Document(
        title="Vidensrapport: AlmenNet mod 2030",
        subtitle="Hvad medlemmerne bruger, og hvad de savner",
        organisation="AlmenNet <Foreningen>",
        date=dt.date(2020, 11, 24),
        language=language,
        front=(("Budget", f"492.000{NBSP}kr."), ("Finansiering", "Realdania")),
        blocks=(
            Heading("Sammenfatning", 1),
            Paragraph("Medlemmerne bruger især kurserne; de lange rapporter bliver citeret »ofte«.", ("web", "survey")),
            Paragraph(ESCAPED_TEXT, ("web",)),
            Heading("Brug af hjemmesiden", 2),
            Table(
                ("Sektion", "Besøg", "Andel"),
                (("Kurser", "12.400", f"35,1{NBSP}%"), ("Netværk", "8.100", f"22,9{NBSP}%")),
                caption="Besøg efter sektion, 2019",
                numeric=(False, True, True),
                refs=("web",),
            ),
            Figure(CHART_SPEC, "Boliger efter type hos medlemmerne", ("archive",)),
            Heading("Én stemme", 3),
            Quote("Vi bruger netværket hver uge – der lærer vi mest.", "Direktør, boligorganisation", ("interview",)),
            PageBreak(),
            Heading("Økonomi", 1),
            Facts((("Budget", "492.000 kr."), ("Forbrugt", "120.000 kr."))),
            Heading("Alle organisationer", 2),
            Table(("Organisation", "Afdelinger"), LONG_TABLE_ROWS, numeric=(False, True)),
        ),
        references=(
            Reference("survey", "Spørgeundersøgelse blandt medlemmer", "412 besvarelser", SURVEY_LINK),
            Reference("web", "Webstatistik 2019", "Adgangslog, hele året", WEB_LINK),
            Reference("archive", "Medlemsregister", "Arkivet"),
            Reference("interview", "Interview 7", "", "javascript:alert(1)"),
            Reference("unused", "Ikke citeret"),
        ),
    )


HEADINGS = [
    (1, "Sammenfatning"),
    (2, "Brug af hjemmesiden"),
    (3, "Én stemme"),
    (1, "Økonomi"),
    (2, "Alle organisationer"),
]
# Footnote markers in reading order: paragraph, paragraph, table, figure, quote.
MARKERS = [[1, 2], [1], [1], [3], [4]]
SOURCE_TITLES = ["Webstatistik 2019", "Spørgeundersøgelse blandt medlemmer", "Medlemsregister", "Interview 7",
                 "Ikke citeret"]


def save_artefact(name: str, content: bytes) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / name).write_bytes(content)


# The document model


def test_footnotes_are_numbered_by_first_citation_and_uncited_references_follow() -> None:
    assert list(footnote_numbers(report()).items()) == [
        ("web", 1), ("survey", 2), ("archive", 3), ("interview", 4), ("unused", 5)
    ]


def test_headings_get_unique_ascii_anchors() -> None:
    document = Document(
        title="T",
        date=dt.date(2020, 1, 1),
        blocks=(Heading("Økonomi og drift", 1), Heading("Økonomi og drift", 2), Heading("2030", 2), Heading("?", 3)),
    )
    assert headings(document) == [
        (1, "Økonomi og drift", "oekonomi-og-drift"),
        (2, "Økonomi og drift", "oekonomi-og-drift-2"),
        (2, "2030", "section-2030"),
        (3, "?", "section"),
    ]


def test_citing_an_unknown_reference_names_every_unknown_key() -> None:
    with pytest.raises(ValueError, match="unknown references: E7, E9"):
        Document(
            title="T",
            date=dt.date(2020, 1, 1),
            blocks=(Paragraph("a", ("E9", "known")), Figure(CHART_SPEC, "b", ("E7",))),
            references=(Reference("known", "Kendt"),),
        )


def test_a_reference_key_used_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="more than once: E1"):
        Document(title="T", date=dt.date(2020, 1, 1), references=(Reference("E1", "a"), Reference("E1", "b")))


@pytest.mark.parametrize(
    "make",
    [
        lambda: Heading("Fire", 4),
        lambda: Heading("Nul", 0),
        lambda: Table(("a", "b"), (("1", "2"), ("3",))),
        lambda: Table(("a", "b"), (), numeric=(True,)),
        lambda: Table((), ()),
    ],
)
def test_malformed_blocks_are_refused(make: Any) -> None:
    with pytest.raises(ValueError):
        make()


# HTML


class Page(HTMLParser):
    """What a reader (or a screen reader) finds in the page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.markers: list[list[int]] = []
        self._open: list[str] = []
        self._heading: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = []
        if tag == "sup" and attributes.get("class") == "refs":
            self.markers.append([])
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4") and self._heading is not None:
            self.headings.append((tag, "".join(self._heading)))
            self._heading = None
        while self._open and self._open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._open[-2:] == ["sup", "a"] and data.strip():
            self.markers[-1].append(int(data))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attributes for name, attributes in self.tags if name == tag]

    def ids(self) -> set[str]:
        return {attributes["id"] for _tag, attributes in self.tags if "id" in attributes}


@pytest.fixture(scope="module")
def page() -> str:
    text = render_html(report())
    save_artefact("report.html", text.encode())
    return text


def test_the_page_is_a_danish_utf8_document(page: str) -> None:
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>")
    assert parsed.all("html") == [{"lang": "da"}]
    assert {"charset": "utf-8"} in parsed.all("meta")
    assert parsed.all("title") and "Vidensrapport: AlmenNet mod 2030" in parsed.texts


def test_headings_follow_the_document_under_the_title(page: str) -> None:
    found = Page(page).headings
    assert found[0] == ("h1", "Vidensrapport: AlmenNet mod 2030")
    contents_label, sources_label = "Indhold", "Kilder"  # "Contents" and "Sources" in the Danish catalogue
    assert found[1:] == [("h2", contents_label), *((f"h{level + 1}", text) for level, text in HEADINGS),
                         ("h2", sources_label)]


def test_every_link_inside_the_page_reaches_an_element(page: str) -> None:
    parsed = Page(page)
    ids = parsed.ids()
    internal = [a["href"][1:] for a in parsed.all("a") if a.get("href", "").startswith("#")]
    contents = [a["href"] for a in parsed.all("a") if a.get("href", "").startswith("#")][: len(HEADINGS) + 1]
    assert contents == ["#sammenfatning", "#brug-af-hjemmesiden", "#en-stemme", "#oekonomi",
                        "#alle-organisationer", "#sources_title"]
    assert internal and set(internal) <= ids
    assert len(ids) == len([tag for tag, attributes in parsed.tags if "id" in attributes])  # ids are unique


def test_footnote_markers_are_numbered_in_order_and_link_to_their_source(page: str) -> None:
    parsed = Page(page)
    assert parsed.markers == MARKERS
    sources = [item for item in parsed.all("li") if item.get("id", "").startswith("source_")]
    assert [item["id"] for item in sources] == [f"source_{number}" for number in range(1, 6)]
    titles = re.findall(r'<span class="source-title">([^<]*)</span>', page)
    assert titles == SOURCE_TITLES


def test_text_that_looks_like_html_stays_text(page: str) -> None:
    parsed = Page(page)
    assert ESCAPED_TEXT in parsed.texts
    assert "AlmenNet <Foreningen>" in parsed.texts
    assert not parsed.all("b") and not parsed.all("foreningen") and not parsed.all("script")


def test_the_page_names_no_url_but_the_references_own_links(page: str) -> None:
    parsed = Page(page)
    mentioned = {value for _tag, attributes in parsed.tags for value in attributes.values() if "http" in value}
    mentioned |= {text for text in parsed.texts if "http" in text}
    assert mentioned == {SURVEY_LINK, WEB_LINK}  # as the link's address and as its visible text
    assert not [tag for tag, attributes in parsed.tags if {"src", "srcset", "rel"} & set(attributes)]
    assert "url(" not in page and "@import" not in page


def test_a_link_that_could_run_script_is_shown_as_text_only(page: str) -> None:
    parsed = Page(page)
    assert "javascript:alert(1)" in parsed.texts
    assert not [a for a in parsed.all("a") if "javascript" in a.get("href", "")]


def test_the_chart_is_inline_svg_with_a_name(page: str) -> None:
    parsed = Page(page)
    charts = parsed.all("svg")
    assert len(charts) == 1
    assert charts[0]["role"] == "img" and charts[0]["aria-label"] == "Boliger efter type"
    assert "Ældre- og plejeboliger" in parsed.texts  # the category labels are text in the SVG
    svg = page[page.index("<svg"):page.index("</svg>")]
    # One image to assistive technology: no unnamed graphics roles inside it (axe's svg-img-alt).
    assert re.findall(r'\brole="([^"]*)"', svg) == ["img"] and "aria-roledescription" not in svg


def test_numeric_columns_are_marked_for_right_alignment(page: str) -> None:
    first_table = page[page.index("<table>") : page.index("</table>")]
    cells = re.findall(r"<t[hd](?: scope=\"col\")?( class=\"numeric\")?>([^<]*)</t[hd]>", first_table)
    assert cells == [("", "Sektion"), (' class="numeric"', "Besøg"), (' class="numeric"', "Andel"),
                     ("", "Kurser"), (' class="numeric"', "12.400"), (' class="numeric"', f"35,1{NBSP}%"),
                     ("", "Netværk"), (' class="numeric"', "8.100"), (' class="numeric"', f"22,9{NBSP}%")]


def test_the_front_page_shows_the_date_in_danish(page: str) -> None:
    parsed = Page(page)
    assert "24. november 2020" in parsed.texts
    assert {"datetime": "2020-11-24"} in parsed.all("time")


def test_an_english_report_has_english_labels_and_date() -> None:
    parsed = Page(render_html(report("en")))
    assert parsed.all("html") == [{"lang": "en"}]
    assert {"Contents", "Sources", "24 November 2020"} <= set(parsed.texts)


def test_only_the_print_version_carries_page_numbers() -> None:
    screen, paper = render_html(report()), render_html(report(), for_print=True)
    assert Page(paper).all("html") == [{"lang": "da", "class": "print"}]
    assert "counter(pages)" in paper and "counter(pages)" not in screen


# PDF


@pytest.fixture(scope="module")
def pdf() -> pypdf.PdfReader:
    content = render_pdf(report())
    save_artefact("report.pdf", content)
    return pypdf.PdfReader(io.BytesIO(content))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_the_pdf_has_a_front_page_contents_and_body(pdf: pypdf.PdfReader) -> None:
    texts = page_texts(pdf)
    assert len(texts) >= 4  # front page, contents, the body after a page break, the long table
    assert "Vidensrapport: AlmenNet mod 2030" in texts[0] and "24. november 2020" in texts[0]
    assert "Indhold" in texts[1]
    everything = "\n".join(texts)
    for _level, text in HEADINGS:
        assert text in everything
    assert "Medlemmerne bruger især kurserne; de lange rapporter bliver citeret »ofte«." in everything
    assert "Spørgeundersøgelse blandt medlemmer" in everything and "Økonomi" in everything


def test_every_page_but_the_front_page_has_the_title_and_its_page_number(pdf: pypdf.PdfReader) -> None:
    texts = page_texts(pdf)
    with translation.override("da"):
        label = translation.gettext("Page %(page)s of %(pages)s")  # "Side %(page)s af %(pages)s"
    for number, text in enumerate(texts, start=1):
        footer = label % {"page": number, "pages": len(texts)}
        if number == 1:
            assert footer not in text and text.count("Vidensrapport: AlmenNet mod 2030") == 1
        else:
            assert footer in text and "Vidensrapport: AlmenNet mod 2030" in text


def test_the_contents_give_the_page_each_heading_is_on(pdf: pypdf.PdfReader) -> None:
    texts = page_texts(pdf)
    for _level, heading in HEADINGS:
        match = re.search(rf"^{re.escape(heading)}[ .]*?(\d+)$", texts[1], re.MULTILINE)
        assert match, heading
        assert 3 <= int(match.group(1)) <= len(texts)
        assert heading in texts[int(match.group(1)) - 1]


def test_the_chart_is_drawn_as_vectors_with_its_text(pdf: pypdf.PdfReader) -> None:
    texts = page_texts(pdf)
    chart_pages = [text for text in texts if "Antal boliger" in text]
    assert len(chart_pages) == 1
    for label in ("Ældre- og plejeboliger", "Familieboliger", "2.210", "Boligtype"):
        assert label in chart_pages[0]
    assert not [image for page in pdf.pages for image in page.images]


def test_a_long_table_repeats_its_heading_row_on_the_next_page(pdf: pypdf.PdfReader) -> None:
    texts = page_texts(pdf)
    first = next(text for text in texts if "Boligorganisation 1\n" in text or "Boligorganisation 1 " in text)
    last = next(text for text in texts if "Boligorganisation 70" in text)
    assert first is not last
    assert "Organisation Afdelinger" in first and "Organisation Afdelinger" in last


def test_the_pdf_carries_title_author_and_language(pdf: pypdf.PdfReader) -> None:
    assert pdf.metadata is not None
    assert pdf.metadata.title == "Vidensrapport: AlmenNet mod 2030"
    assert pdf.metadata.author == "AlmenNet <Foreningen>"
    assert pdf.root_object["/Lang"] == "da"
    outline = [item["/Title"] for item in flatten(pdf.outline)]
    assert outline == ["Indhold", *(text for _level, text in HEADINGS), "Kilder"]


def flatten(outline: list[Any]) -> Iterator[Any]:
    for item in outline:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


def test_an_english_pdf_numbers_its_pages_in_english() -> None:
    document = Document(title="Report", date=dt.date(2020, 11, 24), language="en",
                        blocks=(Paragraph("One."), PageBreak(), Paragraph("Two.")))
    texts = page_texts(pypdf.PdfReader(io.BytesIO(render_pdf(document))))
    assert len(texts) == 3
    assert "Page 2 of 3" in texts[1] and "Page 3 of 3" in texts[2]


def test_the_pdf_renderer_fetches_nothing(tmp_path: Path) -> None:
    picture = tmp_path / "chart.png"
    picture.write_bytes(to_png(CHART_SPEC, scale=1))
    stylesheet = tmp_path / "red.css"
    stylesheet.write_text("body { background: red }")
    page = (f'<html lang="da"><head><link rel="stylesheet" href="{stylesheet.as_uri()}"></head>'
            f'<body><p>Billede:</p><img src="{picture.as_uri()}" alt=""></body></html>')
    # WeasyPrint on its own would read the picture from the disk ...
    unguarded = pypdf.PdfReader(io.BytesIO(HTML(string=page).write_pdf()))
    assert len(unguarded.pages[0].images) == 1
    # ... ours leaves it out.
    guarded = pypdf.PdfReader(io.BytesIO(pdf_from_html(page)))
    assert len(guarded.pages[0].images) == 0 and "Billede:" in guarded.pages[0].extract_text()


# DOCX


@pytest.fixture(scope="module")
def word() -> Any:
    content = render_docx(report())
    save_artefact("report.docx", content)
    return docx.Document(io.BytesIO(content))


def test_docx_front_page_and_heading_styles(word: Any) -> None:
    styled = [(paragraph.style.name, paragraph.text) for paragraph in word.paragraphs if paragraph.text]
    assert ("Title", "Vidensrapport: AlmenNet mod 2030") in styled
    assert ("Subtitle", "Hvad medlemmerne bruger, og hvad de savner") in styled
    assert ("Normal", "24. november 2020") in styled
    assert [entry for entry in styled if entry[0].startswith("Heading")] == [
        *((f"Heading {level}", text) for level, text in HEADINGS), ("Heading 1", "Kilder")
    ]


def test_docx_has_a_contents_field_that_word_fills_on_opening(word: Any) -> None:
    fields = word.element.body.findall(".//" + qn("w:fldSimple"))
    assert [field.get(qn("w:instr")) for field in fields] == ['TOC \\o "1-3" \\h \\z \\u']
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_docx_tables_with_a_bold_repeating_header_row(word: Any) -> None:
    front_facts, visits, economy_facts, organisations = word.tables
    assert [[cell.text for cell in row.cells] for row in visits.rows] == [
        ["Sektion", "Besøg", "Andel"], ["Kurser", "12.400", f"35,1{NBSP}%"], ["Netværk", "8.100", f"22,9{NBSP}%"]
    ]
    header = visits.rows[0]
    assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
    assert not any(run.bold for cell in visits.rows[1].cells for run in cell.paragraphs[0].runs)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert visits.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert visits.rows[1].cells[0].paragraphs[0].alignment is None
    assert [[cell.text for cell in row.cells] for row in front_facts.rows] == [
        ["Budget", f"492.000{NBSP}kr."], ["Finansiering", "Realdania"]
    ]
    assert len(organisations.rows) == 1 + len(LONG_TABLE_ROWS)
    assert organisations.rows[70].cells[0].text == "Boligorganisation 70"
    assert economy_facts.rows[1].cells[1].text == "120.000 kr."


def test_docx_has_one_png_picture_per_figure_with_its_caption(word: Any) -> None:
    assert len(word.inline_shapes) == 1
    blip = word.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    assert word.part.related_parts[blip.embed].content_type == "image/png"
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "Boliger efter type hos medlemmerne"
    captions = [paragraph.text for paragraph in word.paragraphs if paragraph.style.name == "Caption"]
    assert captions == ["Besøg efter sektion, 20191", "Boliger efter type hos medlemmerne3"]


def test_docx_footnote_markers_are_superscript_numbers(word: Any) -> None:
    markers = [run.text for paragraph in word.paragraphs for run in paragraph.runs if run.font.superscript]
    assert markers == [",".join(str(number) for number in numbers) for numbers in MARKERS]


def test_docx_sources_in_footnote_order_with_safe_links(word: Any) -> None:
    texts = [paragraph.text for paragraph in word.paragraphs]
    sources = texts[texts.index("Kilder") + 1 :]
    assert [text.split("\n")[0] for text in sources] == [f"{number}.\t{title}"
                                                         for number, title in enumerate(SOURCE_TITLES, start=1)]
    assert sources[0] == f"1.\tWebstatistik 2019\nAdgangslog, hele året\n{WEB_LINK}"
    external = {rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    assert external == {SURVEY_LINK, WEB_LINK}


def test_docx_properties_header_and_footer(word: Any) -> None:
    properties = word.core_properties
    assert properties.title == "Vidensrapport: AlmenNet mod 2030"
    assert properties.language == "da-DK"
    assert properties.author == "AlmenNet <Foreningen>"
    section = word.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == "Vidensrapport: AlmenNet mod 2030"
    fields = section.footer._element.findall(".//" + qn("w:fldSimple"))
    assert [field.get(qn("w:instr")) for field in fields] == ["PAGE", "NUMPAGES"]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
