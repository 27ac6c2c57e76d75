"""A ``Document`` as a standalone HTML page, a PDF (WeasyPrint) and a Word file (python-docx).

Every format is drawn in the document's language (labels such as "Contents" are translated with
it, numbers and dates were formatted by the caller with ``typography``) and nothing is fetched:
the HTML carries its stylesheet and its charts (inline SVG) in the page, and WeasyPrint is given
a fetcher that refuses every URL, so a link or image that slipped in can neither reach the
network nor read the disk.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from html import escape
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import docx
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph
from weasyprint import HTML

from evidens.charts.render import to_png, to_svg
from evidens.reports.document import (
    Block,
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
    references_in_order,
)
from evidens.reports.typography import date_text

STYLESHEET = Path(__file__).with_name("report.css")
# Our own ids contain "_", which heading anchors never do (see document.headings).
CONTENTS_ID = "contents_title"
SOURCES_ID = "sources_title"
LINK_SCHEMES = ("http", "https", "mailto")
PRIMARY = RGBColor(0x0B, 0x5E, 0x5B)
FIGURE_WIDTH = Cm(16)
WORD_LANGUAGES = {"da": "da-DK", "en": "en-GB"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _page_label() -> str:
    return _("Page %(page)s of %(pages)s")


def _label_parts(template: str) -> Iterator[tuple[str, str]]:
    """A translated text with placeholders as ``("text", ...)`` and ``("name", ...)`` parts, so
    each format can put a live page number where the placeholder is."""
    for position, part in enumerate(_PLACEHOLDER.split(template)):
        if part:
            yield ("name" if position % 2 else "text", part)


def _safe_link(link: str) -> str | None:
    """``link`` if a reader can follow it safely (http, https, mailto), else None."""
    return link if link and urlsplit(link.strip()).scheme.lower() in LINK_SCHEMES else None


# HTML


def style_text(*, for_print: bool = False) -> str:
    """The text of the report's own <style> element, exactly: a page that shows the report allows it by its hash
    in the Content-Security-Policy."""
    return "\n" + STYLESHEET.read_text(encoding="utf-8") + (_page_number_css() if for_print else "")


def render_html(document: Document, *, for_print: bool = False) -> str:
    """The whole report as one HTML page. ``for_print`` adds the paged layout for WeasyPrint:
    the front page on its own page, page numbers in the table of contents and the footer."""
    with override(document.language):
        entries = headings(document)
        numbers = footnote_numbers(document)
        anchors = iter(anchor for _level, _text, anchor in entries)
        body = "".join(_html_block(block, numbers, anchors) for block in document.blocks)
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(document.title)}</title>",
            f'<meta name="dcterms.created" content="{document.date.isoformat()}">',
        ]
        if document.organisation:
            head.append(f'<meta name="author" content="{escape(document.organisation)}">')
        root_class = ' class="print"' if for_print else ""
        return "".join(
            [
                "<!DOCTYPE html>\n",
                f'<html lang="{escape(document.language)}"{root_class}>',
                "<head>", *head, f"<style>{style_text(for_print=for_print)}</style>", "</head>",
                "<body>",
                _html_front(document),
                _html_contents(entries, has_sources=bool(document.references)),
                f"<main>{body}</main>",
                _html_sources(document),
                "</body></html>\n",
            ]
        )


def _page_number_css() -> str:
    def css_part(kind: str, value: str) -> str:
        if kind == "name":
            return f"counter({value})"  # page or pages
        # A CSS string; "<" escaped as well, so no text can close the <style> element.
        return '"' + re.sub(r'[\\"<\n]', lambda match: f"\\{ord(match.group()):x} ", value) + '"'

    content = " ".join(css_part(kind, value) for kind, value in _label_parts(_page_label()))
    return f"\n@page {{ @bottom-right {{ content: {content}; }} }}\n"


def _html_front(document: Document) -> str:
    parts = ['<header class="front-page">']
    if document.organisation:
        parts.append(f'<p class="organisation">{escape(document.organisation)}</p>')
    parts.append(f"<h1>{escape(document.title)}</h1>")
    if document.subtitle:
        parts.append(f'<p class="subtitle">{escape(document.subtitle)}</p>')
    date = date_text(document.date, document.language)
    parts.append(f'<p class="date"><time datetime="{document.date.isoformat()}">{escape(date)}</time></p>')
    if document.front:
        parts.append(_html_facts(document.front))
    parts.append("</header>")
    return "".join(parts)


def _html_contents(entries: list[tuple[int, str, str]], *, has_sources: bool) -> str:
    if not entries:
        return ""
    items = [
        f'<li class="toc-level-{level}"><a href="#{anchor}">{escape(text)}</a></li>' for level, text, anchor in entries
    ]
    if has_sources:
        items.append(f'<li class="toc-level-1"><a href="#{SOURCES_ID}">{escape(_("Sources"))}</a></li>')
    return (
        f'<nav class="toc" aria-labelledby="{CONTENTS_ID}">'
        f'<h2 id="{CONTENTS_ID}">{escape(_("Contents"))}</h2><ol>{"".join(items)}</ol></nav>'
    )


def _cited(refs: Iterable[str], numbers: Mapping[str, int]) -> list[int]:
    """The footnote numbers a block cites, each once, in ascending order."""
    return sorted({numbers[key] for key in refs})


def _html_markers(refs: Iterable[str], numbers: Mapping[str, int]) -> str:
    """Footnote numbers as superscript links to the sources."""
    cited = _cited(refs, numbers)
    if not cited:
        return ""
    links = ",".join(f'<a href="#source_{number}" role="doc-noteref">{number}</a>' for number in cited)
    return f'<sup class="refs">{links}</sup>'


def _html_block(block: Block, numbers: Mapping[str, int], anchors: Iterator[str]) -> str:
    match block:
        case Heading(text=text, level=level):
            tag = f"h{level + 1}"  # the document title is the page's only h1
            return f'<{tag} id="{next(anchors)}">{escape(text)}</{tag}>'
        case Paragraph(text=text, refs=refs):
            return f"<p>{escape(text)}{_html_markers(refs, numbers)}</p>"
        case Table():
            return _html_table(block, numbers)
        case Figure(spec=spec, caption=caption, refs=refs):
            return (
                f'<figure class="chart">{_inline_svg(spec, caption)}'
                f"<figcaption>{escape(caption)}{_html_markers(refs, numbers)}</figcaption></figure>"
            )
        case Quote(text=text, source=source, refs=refs):
            markers = _html_markers(refs, numbers)
            if source:
                return (
                    f'<figure class="quote"><blockquote><p>{escape(text)}</p></blockquote>'
                    f"<figcaption>— {escape(source)}{markers}</figcaption></figure>"
                )
            return f'<figure class="quote"><blockquote><p>{escape(text)}{markers}</p></blockquote></figure>'
        case Facts(items=items):
            return _html_facts(items)
        case PageBreak():
            return '<div class="page-break"></div>'
    raise TypeError(f"not a report block: {block!r}")


def _html_table(table: Table, numbers: Mapping[str, int]) -> str:
    def cell(tag: str, column: int, text: str) -> str:
        scope = ' scope="col"' if tag == "th" else ""
        numeric = ' class="numeric"' if table.is_numeric(column) else ""
        return f"<{tag}{scope}{numeric}>{escape(text)}</{tag}>"

    parts = ["<table>"]
    markers = _html_markers(table.refs, numbers)
    if table.caption or markers:
        parts.append(f"<caption>{escape(table.caption)}{markers}</caption>")
    head = "".join(cell("th", column, text) for column, text in enumerate(table.headings))
    parts.append(f"<thead><tr>{head}</tr></thead><tbody>")
    for row in table.rows:
        parts.append("<tr>" + "".join(cell("td", column, text) for column, text in enumerate(row)) + "</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def _html_facts(items: Iterable[tuple[str, str]]) -> str:
    rows = "".join(f"<div><dt>{escape(label)}</dt><dd>{escape(value)}</dd></div>" for label, value in items)
    return f'<dl class="facts">{rows}</dl>'


def _inline_svg(spec: dict[str, Any], caption: str) -> str:
    """The chart as an ``<svg>`` element for the page. HTML gives inline SVG its namespace, so
    the root's xmlns declarations (http URLs that nothing fetches) are dropped: the page then
    names no URL but the reader's own links. vl-convert leaves the chart without an accessible
    name (vega-embed adds it in the browser), so the spec's description names it here."""
    svg = to_svg(spec)
    root, rest = svg.split(">", 1)
    root = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", root)
    name = escape(str(spec.get("description") or caption))
    # The chart is one image to assistive technology: the marks' own roles (graphics-symbol and the like, which
    # vl-convert writes without names) would be announced as unnamed images inside it.
    rest = re.sub(r'\s(?:role|aria-roledescription)="[^"]*"', "", rest)
    return f'{root} role="img" aria-label="{name}">{rest}'


def _html_sources(document: Document) -> str:
    if not document.references:
        return ""
    items = "".join(_html_source(number, reference) for number, reference in references_in_order(document))
    return (
        f'<section class="sources" role="doc-endnotes" aria-labelledby="{SOURCES_ID}">'
        f'<h2 id="{SOURCES_ID}">{escape(_("Sources"))}</h2><ol>{items}</ol></section>'
    )


def _html_source(number: int, reference: Reference) -> str:
    parts = [f'<span class="source-title">{escape(reference.title)}</span>']
    if reference.detail:
        parts.append(f'<span class="source-detail">{escape(reference.detail)}</span>')
    if reference.link:
        link = _safe_link(reference.link)
        text = escape(reference.link)
        parts.append(
            f'<span class="source-link"><a href="{escape(link)}">{text}</a></span>'
            if link
            else f'<span class="source-link">{text}</span>'
        )
    return f'<li id="source_{number}" value="{number}">{" ".join(parts)}</li>'


# PDF


def render_pdf(document: Document) -> bytes:
    return pdf_from_html(render_html(document, for_print=True))


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise PermissionError(f"reports fetch nothing, not even {url}")


def pdf_from_html(page: str) -> bytes:
    """WeasyPrint without a base URL and with a fetcher that refuses everything: an image or
    stylesheet the page names is left out, never loaded."""
    pdf = HTML(string=page, base_url=None, url_fetcher=_refuse_fetch).write_pdf(pdf_tags=True)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)


# DOCX


def render_docx(document: Document) -> bytes:
    """A Word document built from the same blocks, for those who edit: real heading styles,
    tables, charts as pictures, footnote numbers and the sources at the end."""
    with override(document.language):
        word = docx.Document()
        numbers = footnote_numbers(document)
        _docx_setup(word, document)
        _docx_front(word, document)
        if any(isinstance(block, Heading) for block in document.blocks):
            _docx_contents(word)
        for block in document.blocks:
            _docx_block(word, block, numbers)
        if document.references:
            word.add_heading(_("Sources"), level=1)
            for number, reference in references_in_order(document):
                _docx_source(word, number, reference)
        output = io.BytesIO()
        word.save(output)
        return output.getvalue()


def _docx_setup(word: WordDocument, document: Document) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(24), Mm(24)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    # The front page goes without the running title and the page number.
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = document.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for kind, value in _label_parts(_page_label()):
        if kind == "name":
            _docx_field(footer, {"page": "PAGE", "pages": "NUMPAGES"}[value], placeholder="1")
        else:
            footer.add_run(value)

    language = WORD_LANGUAGES.get(document.language.lower().split("-")[0], document.language)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang")).set(qn("w:val"), language)
    # Word then fills the table of contents field when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    word.settings.element.find(qn("w:compat")).addprevious(update)

    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subtitle
    properties.author = properties.last_modified_by = document.organisation
    properties.language = language
    properties.comments = ""
    properties.created = properties.modified = dt.datetime.combine(document.date, dt.time(), tzinfo=dt.UTC)


def _docx_field(paragraph: WordParagraph, instruction: str, *, placeholder: str) -> None:
    """A Word field (page number, table of contents) showing ``placeholder`` until Word updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _docx_front(word: WordDocument, document: Document) -> None:
    if document.organisation:
        organisation = word.add_paragraph()
        organisation.add_run(document.organisation.upper()).bold = True
    word.add_paragraph(document.title, style="Title")
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    word.add_paragraph().add_run(date_text(document.date, document.language)).bold = True
    if document.front:
        _docx_facts(word, document.front)
    word.add_page_break()


def _docx_contents(word: WordDocument) -> None:
    word.add_paragraph(_("Contents"), style="TOC Heading")
    _docx_field(
        word.add_paragraph(),
        'TOC \\o "1-3" \\h \\z \\u',
        placeholder=_("Right-click and choose “Update field” to show the table of contents."),
    )
    word.add_page_break()


def _docx_markers(paragraph: WordParagraph, refs: Iterable[str], numbers: Mapping[str, int]) -> None:
    cited = _cited(refs, numbers)
    if cited:
        paragraph.add_run(",".join(str(number) for number in cited)).font.superscript = True


def _docx_block(word: WordDocument, block: Block, numbers: Mapping[str, int]) -> None:
    match block:
        case Heading(text=text, level=level):
            word.add_heading(text, level=level)
        case Paragraph(text=text, refs=refs):
            _docx_markers(word.add_paragraph(text), refs, numbers)
        case Table():
            _docx_table(word, block, numbers)
        case Figure(spec=spec, caption=caption, refs=refs):
            picture = word.add_picture(io.BytesIO(to_png(spec)), width=FIGURE_WIDTH)
            picture._inline.docPr.set("descr", caption)  # the alternative text screen readers read
            word.paragraphs[-1].paragraph_format.keep_with_next = True
            _docx_markers(word.add_paragraph(caption, style="Caption"), refs, numbers)
        case Quote(text=text, source=source, refs=refs):
            quote = word.add_paragraph(text, style="Quote")
            if source:
                quote.add_run("\n— " + source)
            _docx_markers(quote, refs, numbers)
        case Facts(items=items):
            _docx_facts(word, items)
        case PageBreak():
            word.add_page_break()
        case _:
            raise TypeError(f"not a report block: {block!r}")


def _docx_table(word: WordDocument, table: Table, numbers: Mapping[str, int]) -> None:
    if table.caption or table.refs:
        caption = word.add_paragraph(table.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
        _docx_markers(caption, table.refs, numbers)
    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.headings))
    grid.style = "Light List Accent 1"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row_number, texts in enumerate((table.headings, *table.rows)):
        for column, text in enumerate(texts):
            paragraph = grid.cell(row_number, column).paragraphs[0]
            paragraph.add_run(text).bold = row_number == 0
            if table.is_numeric(column):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The heading row repeats at the top of every page the table runs over.
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(header)
    word.add_paragraph()  # room before what follows; Word glues a paragraph to a table otherwise


def _docx_facts(word: WordDocument, items: Iterable[tuple[str, str]]) -> None:
    rows = list(items)
    grid = word.add_table(rows=len(rows), cols=2)
    for row, (label, value) in zip(grid.rows, rows, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].paragraphs[0].add_run(value)
        row.cells[0].width, row.cells[1].width = Cm(5.5), Cm(11)


def _docx_source(word: WordDocument, number: int, reference: Reference) -> None:
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(0.9)
    paragraph.paragraph_format.first_line_indent = Cm(-0.9)
    paragraph.paragraph_format.keep_together = True
    paragraph.add_run(f"{number}.\t")
    paragraph.add_run(reference.title).bold = True
    if reference.detail:
        paragraph.add_run(f"\n{reference.detail}")
    if reference.link:
        paragraph.add_run("\n")
        link = _safe_link(reference.link)
        if link:
            _docx_hyperlink(paragraph, link)
        else:
            paragraph.add_run(reference.link)


def _docx_hyperlink(paragraph: WordParagraph, url: str) -> None:
    """python-docx reads hyperlinks but cannot add one; this is the element Word writes."""
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(PRIMARY))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.extend([colour, underline])
    text = OxmlElement("w:t")
    text.text = url
    run.extend([properties, text])
    hyperlink.append(run)
    paragraph._p.append(hyperlink)
