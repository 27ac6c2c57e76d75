"""Files into the archive: extraction in one pass per file, duplicates by content, failures with their reason,
metadata guessed and edited, bulk edits, deletion, and the command line. The files are written here."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument

from evidens.archive import search, services
from evidens.archive.models import ArchiveDocument, ArchiveImport, DocumentStatus, ImportStatus, Theme
from evidens.cli import command_line
from tests.conftest import Cast

MINUTES = "Referat af netværksmøde\n\n24. november 2020\n\nBoligorganisationerne drøftede renoveringer.\n"


def _docx(title: str, paragraphs: list[str]) -> bytes:
    document = WordDocument()
    document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _folder(tmp_path: Path) -> Path:
    """Five files: a text and a Word document that read, a copy of the text in a sub-folder, a broken Word
    document, and an empty text file; plus a hidden file that is not imported at all."""
    root = tmp_path / "arkiv"
    (root / "2020" / "kopi").mkdir(parents=True)
    (root / "2020" / "referat.txt").write_text(MINUTES, encoding="utf-8")
    (root / "2020" / "kopi" / "referat-kopi.txt").write_text(MINUTES, encoding="utf-8")
    (root / "vejledning.docx").write_bytes(_docx("Vejledning om grøn renovering",
                                                 ["Grøn omstilling i boligafdelingerne.", "Udgivet 3. maj 2016."]))
    (root / "ødelagt.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "tom.txt").write_bytes(b"")
    (root / ".DS_Store").write_bytes(b"\x00\x01")
    return root


def test_a_folder_is_imported_with_duplicates_and_failures_reported(cast: Cast, tmp_path: Path) -> None:
    files = services.folder_files(_folder(tmp_path))
    assert sorted(incoming.name for incoming in files) == ["2020/kopi/referat-kopi.txt", "2020/referat.txt",
                                                           "tom.txt", "vejledning.docx", "ødelagt.docx"]
    archive_import = services.archive_files_register(process=cast.process, actor=None, files=files, source="arkiv")
    seen: list[tuple[int, int | None]] = []
    result = services.archive_import_run(import_id=archive_import.pk,
                                         progress=lambda done, total=None, *_: seen.append((done, total)))
    assert result["counts"] == {"files": 5, "duplicates": 1, "imported": 2, "failed": 2}
    assert seen[-1] == (4, 4)  # the four kept files, one at a time
    archive_import.refresh_from_db()
    assert archive_import.status == ImportStatus.DONE
    (duplicate,) = archive_import.duplicates
    assert duplicate[0] == "2020/referat.txt" or duplicate[0] == "2020/kopi/referat-kopi.txt"

    documents = {document.original_name: document for document in ArchiveDocument.objects.all()}
    minutes = documents.get("2020/kopi/referat-kopi.txt") or documents["2020/referat.txt"]
    assert minutes.status == DocumentStatus.READY
    assert minutes.title == "Referat af netværksmøde" and minutes.date == date(2020, 11, 24)
    assert minutes.source.startswith("2020")
    guide = documents["vejledning.docx"]
    assert guide.title == "Vejledning om grøn renovering" and "Grøn omstilling" in guide.text
    assert {documents["ødelagt.docx"].error, documents["tom.txt"].error} == {"damaged", "empty"}
    assert documents["ødelagt.docx"].file.read() == b"PK\x03\x04 not really a zip"  # the original is kept
    assert {hit.document.pk for hit in search.search(cast.process, "renovering").hits} == {minutes.pk, guide.pk}


def test_the_same_file_again_is_a_duplicate_of_the_kept_document(cast: Cast) -> None:
    incoming = [services.IncomingFile(name="a.txt", source="", data=MINUTES.encode())]
    first = services.archive_files_register(process=cast.process, actor=None, files=incoming, source="1")
    services.archive_import_run(import_id=first.pk)
    second = services.archive_files_register(process=cast.process, actor=None, files=incoming, source="2")
    kept = ArchiveDocument.objects.get()
    assert second.duplicates == [["a.txt", kept.pk]] and second.documents.count() == 0
    # Another process may hold the same bytes.
    other = services.archive_files_register(process=cast.other_process, actor=None, files=incoming, source="3")
    assert other.duplicates == [] and other.documents.count() == 1


def test_described_and_bulk_edited_documents_are_found_by_their_new_title(cast: Cast) -> None:
    incoming = [services.IncomingFile(name=f"{name}.txt", source="", data=text.encode())
                for name, text in (("a", "Om budgetter."), ("b", "Om regnskaber."))]
    archive_import = services.archive_files_register(process=cast.process, actor=None, files=incoming, source="x")
    services.archive_import_run(import_id=archive_import.pk)
    first, second = ArchiveDocument.objects.order_by("original_name")
    services.document_update(document=first, actor=None, title="Kursus i renovering", date=date(2012, 5, 1),
                             doc_type="course_material", source="kurser", themes=["renovering", " økonomi "])
    assert {theme.name for theme in first.themes.all()} == {"renovering", "økonomi"}
    assert [hit.document.pk for hit in search.search(cast.process, "renoveringer").hits] == [first.pk]
    changed = services.documents_bulk_update(process=cast.process, actor=None, documents=[first, second],
                                             doc_type="report", add_theme="økonomi")
    assert changed == 2
    assert set(ArchiveDocument.objects.values_list("doc_type", flat=True)) == {"report"}
    economy = Theme.objects.get(process=cast.process, name="økonomi")
    assert set(economy.documents.values_list("pk", flat=True)) == {first.pk, second.pk}
    services.documents_bulk_update(process=cast.process, actor=None, documents=[first], remove_theme=economy)
    assert list(economy.documents.values_list("pk", flat=True)) == [second.pk]
    services.document_delete(document=first, actor=None)
    assert search.search(cast.process, "renovering").total == 0


def test_the_commands_import_a_folder_and_search_it(cast: Cast, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert command_line(["archive", "import", "x"]) == ["archive_import", "x"]
    call_command("archive_import", str(_folder(tmp_path)), process=cast.process.slug, as_json=True, quiet=True)
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["duplicates"], report["failed"]) == (2, 1, 2)
    assert {failure["file"] for failure in report["failures"]} == {"ødelagt.docx", "tom.txt"}
    assert all(failure["reason"] for failure in report["failures"])  # worded, in Danish
    assert ArchiveImport.objects.get().counts["imported"] == 2

    call_command("archive_search", "boligorganisation", process=cast.process.slug, limit=5, as_json=True)
    hits = json.loads(capsys.readouterr().out)
    assert [hit["title"] for hit in hits] == ["Referat af netværksmøde"]
    assert set(hits[0]) == {"id", "title", "date", "type", "score", "snippet"}
    assert hits[0]["date"] == "2020-11-24" and "Boligorganisationerne" in hits[0]["snippet"]

    with pytest.raises(CommandError):
        call_command("archive_import", str(tmp_path / "findes-ikke"), process=cast.process.slug)
    with pytest.raises(CommandError):
        call_command("archive_search", "x", process="findes-ikke")


def test_every_code_of_the_extraction_has_danish_words() -> None:
    from evidens.text import extract

    assert set(services.ERRORS) == set(extract.ERROR_CODES)
    assert set(services.NOTES) == set(extract.NOTE_CODES)
