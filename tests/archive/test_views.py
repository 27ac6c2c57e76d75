"""The archive pages: upload with extraction as a background job, the list with its chart and filters, search,
a document described and its original downloaded (never shown as a page), bulk edits and evidence."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidens.archive.models import ArchiveDocument, ArchiveImport, DocumentStatus, TopicRun
from evidens.evidence.models import Channel, EvidenceItem
from tests.conftest import Cast

MINUTES = "Referat af netværksmøde\n\n24. november 2020\n\nBoligorganisationerne drøftede renoveringer.\n"
PAGE = "<html><head><title>Grøn omstilling</title></head><body><script>alert(1)</script><p>Om renovering.</p>"


def _url(name: str, cast: Cast, *args: Any) -> str:
    return reverse(f"archive:{name}", args=[cast.process.slug, *args])


@pytest.fixture
def uploaded(cast: Cast, client_for: Any, immediate_tasks: None,
             django_capture_on_commit_callbacks: Any) -> dict[str, ArchiveDocument]:
    client = client_for(cast.users["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("upload", cast), {"files": [
            SimpleUploadedFile("referat.txt", MINUTES.encode()), SimpleUploadedFile("side.html", PAGE.encode()),
            SimpleUploadedFile("kopi.txt", MINUTES.encode())]})
    archive_import = ArchiveImport.objects.get()
    assert response["Location"] == _url("import_detail", cast, archive_import.pk)
    return {document.original_name: document for document in ArchiveDocument.objects.all()}


def test_an_upload_is_extracted_and_reported(cast: Cast, client_for: Any, uploaded: dict[str, ArchiveDocument]
                                             ) -> None:
    assert set(uploaded) == {"referat.txt", "side.html"}
    assert all(document.status == DocumentStatus.READY for document in uploaded.values())
    page = client_for(cast.users["reader"]).get(_url("import_detail", cast, ArchiveImport.objects.get().pk))
    text = page.content.decode()
    assert "kopi.txt" in text  # listed as a duplicate of referat.txt
    assert 'data-testid="import-counts"' in text


def test_the_list_search_and_document_pages(cast: Cast, client_for: Any, uploaded: dict[str, ArchiveDocument]
                                            ) -> None:
    client = client_for(cast.users["reader"])
    listing = client.get(_url("list", cast)).content.decode()
    assert "Referat af netværksmøde" in listing and "Grøn omstilling" in listing
    assert 'data-testid="bulk-form"' in listing and 'type="checkbox"' not in listing  # no bulk edit for readers
    found = client.get(_url("search", cast) + "?q=boligorganisation").content.decode()
    assert "<mark>Boligorganisationerne</mark>" in found and "1 dokument fundet" in found
    page = uploaded["side.html"]
    detail = client.get(_url("detail", cast, page.pk)).content.decode()
    assert "Om renovering." in detail and "<script>alert(1)</script>" not in detail
    download = client.get(_url("original", cast, page.pk))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PAGE.encode()


def test_describe_bulk_edit_and_save_evidence(cast: Cast, client_for: Any, uploaded: dict[str, ArchiveDocument]
                                              ) -> None:
    client = client_for(cast.users["analyst"])
    minutes = uploaded["referat.txt"]
    client.post(_url("detail", cast, minutes.pk), {"title": "Referat, byggenetværk", "date": "2020-11-24",
                                                   "doc_type": "minutes", "source": "", "themes_text": "netværk"})
    minutes.refresh_from_db()
    assert minutes.title == "Referat, byggenetværk" and minutes.doc_type == "minutes"
    client.post(_url("bulk", cast), {"document": [doc.pk for doc in uploaded.values()], "doc_type": "report"})
    assert set(ArchiveDocument.objects.values_list("doc_type", flat=True)) == {"report"}

    client.post(_url("save_evidence", cast), {"kind": "overview"})
    client.post(_url("save_evidence", cast), {"kind": "search", "q": "renovering"})
    client.post(_url("save_evidence", cast), {"kind": "passage", "document": minutes.pk,
                                              "passage": "Boligorganisationerne   drøftede\nrenoveringer."})
    response = client.post(_url("save_evidence", cast), {"kind": "passage", "document": minutes.pk,
                                                         "passage": "Noget der ikke står der."}, follow=True)
    assert "intet at gemme" in response.content.decode()
    items = {item.source_key.split(":")[1]: item for item in EvidenceItem.objects.all()}
    assert set(items) == {"overview", "search", "passage"}
    assert all(item.channel == Channel.ARCHIVE for item in items.values())
    assert items["passage"].result["text"] == "Boligorganisationerne drøftede renoveringer."
    assert items["overview"].result["rows"] == [[2020, "rapport", 1]]  # the html page has no date
    assert {row[0] for row in items["search"].result["rows"]} == {"Referat, byggenetværk", "Grøn omstilling"}


def test_topics_are_computed_named_and_kept_through_a_recomputation(
        cast: Cast, client_for: Any, uploaded: dict[str, ArchiveDocument],
        django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["analyst"])
    assert "Emnerne er ikke beregnet endnu." in client.get(_url("topics", cast)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("topics_refresh", cast))
    run = TopicRun.objects.get(process=cast.process)
    assert run.documents == 2 and run.topics.exists()
    topic = run.topics.first()
    assert topic is not None
    client.post(_url("topic_rename", cast, topic.pk), {"label": "Renovering og referater"})
    page = client.get(_url("topics", cast)).content.decode()
    assert 'value="Renovering og referater"' in page and 'data-testid="keywords-per-year"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("topics_refresh", cast))
    # The same two documents give the same topic again, which keeps its name.
    assert TopicRun.objects.get(process=cast.process).topics.filter(label="Renovering og referater").count() == 1
    reader = client_for(cast.users["reader"])
    assert reader.post(_url("topic_rename", cast, topic.pk), {"label": "x"}).status_code == 403
