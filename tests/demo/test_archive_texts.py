"""The demo archive, without a database: every file is opened with the library of its own format (not with
the code that wrote it), and what the files say is checked against the issue's demo requirements: about 500
Danish documents 2005–2020 in several formats, themes that shift over time, COVID in 2020, broken files and
copies; about 75 events 2018–2020 with about 2,000 registrations and the drop in physical attendance from
March 2020."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import random
import re
import zipfile
from collections import Counter
from datetime import date
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import docx
import pptx
import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook

from evidens.demo import data
from evidens.demo.archive_texts import (
    DOC_TYPES,
    KINDS,
    ActivityTable,
    DemoActivities,
    DemoDocument,
    demo_activities,
    demo_documents,
)
from evidens.demo.generator import Register, register_generate

# Written out here rather than taken from the module, so the dates in the files are checked independently.
DANISH_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
                 "november", "december")
LOCKDOWN = date(2020, 3, 11)
ODF = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DUBLIN_CORE = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def documents() -> list[DemoDocument]:
    return demo_documents(random.Random(data.DEMO_SEED))


@pytest.fixture(scope="module")
def readable(documents: list[DemoDocument]) -> list[DemoDocument]:
    return [document for document in documents if document.expected_failure is None and not document.duplicate_of]


@pytest.fixture(scope="module")
def texts(readable: list[DemoDocument]) -> dict[str, str]:
    return {document.filename: extract(document) for document in readable}


# --- reading the files back ------------------------------------------------------------------------------------


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, text: str) -> None:
        if self._in_title:
            self.title += text
        else:
            self.parts.append(text)


def _email(content: bytes) -> EmailMessage:
    message = email.message_from_bytes(content, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _odt_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    body = root.find(f"{ODF}body")
    assert body is not None
    return "\n".join("".join(element.itertext()) for element in body.iter()
                     if element.tag.endswith(("}p", "}h")))


def extract(document: DemoDocument) -> str:
    """The text a reader of the file sees, read with the format's own library."""
    content = document.content
    if document.kind == "docx":
        word = docx.Document(io.BytesIO(content))
        cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in word.paragraphs] + cells)
    if document.kind == "pptx":
        presentation = pptx.Presentation(io.BytesIO(content))
        return "\n".join(shape.text_frame.text for slide in presentation.slides for shape in slide.shapes
                         if shape.has_text_frame)
    if document.kind == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(" ".join(str(value) for value in row if value is not None)
                         for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    if document.kind == "odt":
        return _odt_text(content)
    if document.kind == "html":
        parser = _HTMLText()
        parser.feed(content.decode("utf-8"))
        return "\n".join(parser.parts)
    if document.kind == "eml":
        body = _email(content).get_body(("plain",))
        assert body is not None
        return body.get_content()
    assert document.kind == "text"
    return content.decode("utf-8")


def metadata_title(document: DemoDocument) -> str:
    """The title the file declares about itself, where its format has a place for one."""
    content = document.content
    if document.kind == "docx":
        return docx.Document(io.BytesIO(content)).core_properties.title
    if document.kind == "pptx":
        return pptx.Presentation(io.BytesIO(content)).core_properties.title
    if document.kind == "xlsx":
        return load_workbook(io.BytesIO(content)).properties.title or ""
    if document.kind == "odt":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            meta = ElementTree.fromstring(archive.read("meta.xml"))
        return meta.findtext(f"{ODF}meta/{DUBLIN_CORE}title") or ""
    if document.kind == "html":
        parser = _HTMLText()
        parser.feed(content.decode("utf-8"))
        return parser.title.removesuffix(" | AlmenNet")
    if document.kind == "eml":
        return str(_email(content)["subject"])
    return content.decode("utf-8").splitlines()[0].removeprefix("# ")


def danish(day: date) -> str:
    return f"{day.day}. {DANISH_MONTHS[day.month - 1]} {day.year}"


# --- the documents ------------------------------------------------------------------------------------------------


def test_five_hundred_files_of_every_type_and_format(documents: list[DemoDocument],
                                                     readable: list[DemoDocument]) -> None:
    assert len(documents) == 500
    assert len(readable) == 493
    assert {document.doc_type for document in readable} == set(DOC_TYPES) == {
        "minutes", "report", "newsletter", "course_material", "guide", "board_paper", "other"}
    kinds: Counter[str] = Counter(document.kind for document in readable)
    assert set(kinds) == set(KINDS) == {"docx", "odt", "pptx", "xlsx", "html", "text", "eml"}
    # Mostly Word, web pages, text and e-mail; some slides, workbooks and OpenDocument.
    assert kinds["docx"] + kinds["html"] + kinds["text"] + kinds["eml"] >= 0.8 * len(readable)
    assert all(kinds[kind] >= 5 for kind in ("pptx", "xlsx", "odt"))
    assert not any(document.filename.lower().endswith(".pdf") for document in documents)


def test_dates_span_2005_to_2020_with_more_in_recent_years(readable: list[DemoDocument]) -> None:
    days = [document.date for document in readable]
    assert min(days) >= date(2005, 1, 1) and max(days) <= date(2020, 12, 31)
    years = Counter(day.year for day in days)
    assert set(years) == set(range(2005, 2021))
    early = sum(years[year] for year in range(2005, 2010))
    late = sum(years[year] for year in range(2016, 2021))
    assert late > 2 * early


def test_file_names_are_unique_sorted_into_year_folders_with_the_right_extension(
        documents: list[DemoDocument]) -> None:
    names = [document.filename for document in documents]
    assert len(set(names)) == len(names)
    extensions = {"docx": (".docx",), "odt": (".odt",), "pptx": (".pptx",), "xlsx": (".xlsx",),
                  "html": (".html", ".htm"), "text": (".txt", ".md"), "eml": (".eml",)}
    for document in documents:
        assert re.fullmatch(r"20[012]\d/[a-zæøå]+/.+", document.filename), document.filename
        assert document.filename.startswith(f"{document.date.year}/"), document.filename
        assert document.filename.endswith(extensions[document.kind]), document.filename


def test_every_readable_file_opens_holds_its_title_and_is_short(readable: list[DemoDocument],
                                                                texts: dict[str, str]) -> None:
    for document in readable:
        text = texts[document.filename]
        assert document.title in text, document.filename
        assert metadata_title(document) == document.title, document.filename
        assert 80 <= len(text.split()) <= 600, (document.filename, len(text.split()))


def test_most_documents_give_their_date_in_danish_near_the_top(readable: list[DemoDocument],
                                                               texts: dict[str, str]) -> None:
    dated = [document for document in readable if danish(document.date) in texts[document.filename][:400]]
    assert len(dated) >= 0.8 * len(readable)
    assert len(dated) < len(readable)  # some leave the date to be found elsewhere
    for document in readable:  # a date in the wrong form would hide from a date guesser
        assert not re.search(r"\b\d{1,2}\. (?:jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\b",
                             texts[document.filename]), document.filename


def test_odt_files_are_packed_as_libreoffice_packs_them(readable: list[DemoDocument]) -> None:
    for document in (document for document in readable if document.kind == "odt"):
        with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
            first = archive.infolist()[0]
            assert first.filename == "mimetype"
            assert first.compress_type == zipfile.ZIP_STORED
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            manifest = ElementTree.fromstring(archive.read("META-INF/manifest.xml"))
            paths = {entry.get("{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path")
                     for entry in manifest}
            assert {"/", "content.xml", "meta.xml"} <= paths
            assert archive.testzip() is None


def test_e_mails_come_from_the_newsletter_address_on_the_document_date(readable: list[DemoDocument]) -> None:
    mails = [document for document in readable if document.kind == "eml"]
    for document in mails:
        message = _email(document.content)
        assert parsedate_to_datetime(str(message["date"])).date() == document.date
        if document.doc_type == "newsletter":
            assert "newsletter@almennet.example" in str(message["from"])
            assert message.get_body(("html",)) is not None
    assert any(document.doc_type == "newsletter" for document in mails)


def test_broken_files_fail_in_their_own_library(documents: list[DemoDocument]) -> None:
    broken = {document.expected_failure: document for document in documents if document.expected_failure}
    assert set(broken) == {"truncated", "not_a_zip", "empty"}
    truncated, not_a_zip, empty = broken["truncated"], broken["not_a_zip"], broken["empty"]
    assert truncated.kind == "docx" and truncated.filename.endswith(".docx")
    with pytest.raises(Exception):  # noqa: B017 - python-docx raises whatever zipfile or lxml raise
        docx.Document(io.BytesIO(truncated.content))
    assert not_a_zip.kind == "xlsx" and not_a_zip.filename.endswith(".xlsx") and not_a_zip.content
    assert not zipfile.is_zipfile(io.BytesIO(not_a_zip.content))
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(not_a_zip.content))
    assert empty.kind == "text" and empty.filename.endswith(".txt") and empty.content == b""


def test_four_exact_copies_and_no_other_repeated_bytes(documents: list[DemoDocument]) -> None:
    by_name = {document.filename: document for document in documents}
    copies = [document for document in documents if document.duplicate_of]
    assert len(copies) == 4
    for copy in copies:
        original = by_name[copy.duplicate_of or ""]
        assert copy.content == original.content and copy.filename != original.filename
        assert original.duplicate_of is None and original.expected_failure is None
    distinct = Counter(document.content for document in documents)
    assert sum(count - 1 for count in distinct.values()) == 4


def test_themes_shift_toward_the_green_transition_and_digitalisation(readable: list[DemoDocument]) -> None:
    def share(first: int, last: int) -> float:
        chosen = [document for document in readable if first <= document.date.year <= last]
        return sum(bool({"grøn omstilling", "digitalisering"} & set(document.themes))
                   for document in chosen) / len(chosen)

    assert share(2016, 2020) > 2 * share(2005, 2010)
    themes = Counter(theme for document in readable for theme in document.themes)
    assert len(themes) == 10
    assert all(count >= 20 for count in themes.values()), themes


def test_corona_and_online_meetings_appear_only_after_the_lockdown(readable: list[DemoDocument],
                                                                   texts: dict[str, str]) -> None:
    covid = re.compile(r"\b((?i:corona|nedlukningen|webinar\w*)|Teams)\b")
    mentions = [document for document in readable if covid.search(texts[document.filename])]
    assert len(mentions) >= 10
    assert all(document.date > LOCKDOWN for document in mentions)


def test_inflected_forms_occur_for_the_search_to_find(texts: dict[str, str]) -> None:
    for form in ("boligorganisation", "boligorganisationen", "boligorganisationer", "boligorganisationerne",
                 "renovering", "renoveringen", "renoveringer", "renoveringerne", "afdelingerne", "beboerne"):
        pattern = re.compile(rf"\b{form}\b", re.IGNORECASE)
        assert sum(bool(pattern.search(text)) for text in texts.values()) >= 3, form


def test_sentences_vary(texts: dict[str, str]) -> None:
    sentences: Counter[str] = Counter()
    for name, text in texts.items():
        # Long sentences only: headings and fixed lines such as "Ingen punkter." are allowed to repeat.
        long = [sentence for sentence in re.split(r"(?<=[.!?])\s+", text) if len(sentence.split()) >= 8]
        assert len(set(long)) == len(long), name  # no document says the same thing twice
        sentences.update(long)
    assert len(sentences) > 2000
    sentence, count = sentences.most_common(1)[0]
    assert count < 0.1 * len(texts), sentence


def test_same_seed_same_bytes_other_seed_other_archive(documents: list[DemoDocument]) -> None:
    random.seed(7)
    expected = random.random()
    random.seed(7)
    again = demo_documents(random.Random(data.DEMO_SEED))
    assert random.random() == expected  # the global generator was left alone
    assert again == documents
    other = demo_documents(random.Random(data.DEMO_SEED + 1))
    assert [document.content for document in other] != [document.content for document in documents]


# --- the activities -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def register() -> Register:
    return register_generate(random.Random(data.DEMO_SEED))


@pytest.fixture(scope="module")
def activities(register: Register) -> DemoActivities:
    return demo_activities(random.Random(data.DEMO_SEED), register)


def test_about_75_events_of_every_kind_2018_to_2020(activities: DemoActivities) -> None:
    events = activities.events
    assert 70 <= len(events) <= 80
    assert len({event.event_id for event in events}) == len(events)
    assert {event.kind for event in events} == {"årsseminar", "netværksmøde", "erfa-møde", "kursus", "webinar"}
    assert {event.day.year for event in events} == {2018, 2019, 2020}
    seminars = [event for event in events if event.kind == "årsseminar"]
    assert [(event.day.year, event.form, event.status) for event in seminars] == [
        (2018, "fysisk", "gennemført"), (2019, "fysisk", "gennemført"), (2020, "fysisk", "aflyst"),
        (2020, "online", "gennemført")]
    assert all(event.network for event in events if event.kind in {"netværksmøde", "erfa-møde"})


def test_about_2000_registrations_for_known_events(activities: DemoActivities) -> None:
    registrations = activities.registrations
    assert 1800 <= len(registrations) <= 2200
    events = {event.event_id: event for event in activities.events}
    assert len({row.registration_id for row in registrations}) == len(registrations)
    for row in registrations:
        event = events[row.event_id]
        assert row.registered <= event.day
        assert row.segment in data.SEGMENTS
        if event.status == "aflyst":
            assert not row.attended and row.registered <= LOCKDOWN
    assert all(Counter(row.event_id for row in registrations)[event_id] > 0 for event_id in events)


def test_covid_moves_events_online_and_physical_attendance_drops(activities: DemoActivities) -> None:
    events = {event.event_id: event for event in activities.events}
    spring = [event for event in activities.events if LOCKDOWN < event.day < date(2020, 6, 1)]
    assert spring and all(event.form == "online" or event.status == "aflyst" for event in spring)
    assert all(event.form == "fysisk" and event.status == "gennemført"
               for event in activities.events if event.day <= LOCKDOWN and event.kind != "webinar")

    def attended(year: int, form: str) -> int:
        return sum(row.attended for row in activities.registrations
                   if events[row.event_id].day.year == year and events[row.event_id].form == form)

    assert attended(2020, "fysisk") < 0.3 * attended(2019, "fysisk")
    assert attended(2020, "online") > 3 * attended(2019, "online")
    webinars = Counter(event.day.year for event in activities.events if event.kind == "webinar")
    assert webinars[2020] > 3 * webinars[2019] and webinars[2018] == 0
    # Fewer sign up for the meetings, courses and seminars that remain; webinars reach others.
    meetings = Counter(events[row.event_id].day.year for row in activities.registrations
                       if events[row.event_id].kind != "webinar" and events[row.event_id].status == "gennemført")
    assert meetings[2020] < 0.8 * meetings[2019]


def test_organisations_come_from_the_register_some_written_loosely(activities: DemoActivities,
                                                                   register: Register) -> None:
    names = {org.name for org in register.organisations}
    members = {org.name for org in register.organisations if org.is_member}
    registrations = activities.registrations
    canonical = [row.canonical_organisation for row in registrations]
    assert {name for name in canonical if name} <= names
    seen_members = members & set(canonical)
    assert 40 <= len(seen_members) < len(members)  # most members come, some never do
    assert len(set(canonical) - members - {None}) >= 50  # non-members come too
    loose = [row for row in registrations if row.canonical_organisation and row.organisation
             != row.canonical_organisation]
    assert 0.03 * len(registrations) <= len(loose) <= 0.12 * len(registrations)
    assert not any(row.organisation in names for row in loose)  # a variant never names another organisation
    strangers = [row for row in registrations if row.canonical_organisation is None]
    assert strangers and not any(row.organisation in names for row in strangers)
    # The kinds of variation a registration list shows.
    pairs = {(row.canonical_organisation, row.organisation) for row in loose}
    assert any(typed.lower() == typed and real != typed for real, typed in pairs)
    assert any("." in typed and "." not in (real or "") for real, typed in pairs)


def test_csv_and_xlsx_hold_the_same_rows(activities: DemoActivities) -> None:
    tables: tuple[tuple[ActivityTable, int], ...] = (("events", len(activities.events)),
                                                     ("registrations", len(activities.registrations)))
    for table, count in tables:
        raw = activities.to_csv(table)
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
        assert len(rows) == count + 1
        workbook = load_workbook(io.BytesIO(activities.to_xlsx(table)), read_only=True)
        sheet_rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        assert len(sheet_rows) == count + 1
        assert [str(cell) for cell in sheet_rows[0]] == rows[0]
    events_header, *events = list(csv.reader(io.StringIO(activities.to_csv("events").decode("utf-8-sig")),
                                             delimiter=";"))
    assert events_header == ["Arrangement-ID", "Titel", "Type", "Netværk", "Dato", "Sted", "Form", "Status"]
    first = activities.events[0]
    assert events[0][:5] == [first.event_id, first.title, first.kind, first.network, first.day.isoformat()]
    header, *registrations = list(csv.reader(io.StringIO(activities.to_csv("registrations").decode("utf-8-sig")),
                                             delimiter=";"))
    assert header[-1] == "Deltog" and {row[-1] for row in registrations} == {"ja", "nej"}
    assert "canonical" not in ";".join(header).lower()


def test_same_seed_same_activities(activities: DemoActivities, register: Register) -> None:
    assert demo_activities(random.Random(data.DEMO_SEED), register) == activities
    other = demo_activities(random.Random(data.DEMO_SEED + 1), register)
    assert other.registrations != activities.registrations
