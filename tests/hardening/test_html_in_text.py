"""HTML written into free text (an organisation's name, an uploaded document, a text to code) is shown escaped,
never run as markup on the pages that show it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidens.archive.models import ArchiveDocument
from evidens.coding.models import Document, DocumentOrigin
from evidens.stakeholders import services as stakeholder_services
from tests.conftest import Cast

SCRIPT = '<script>alert("evil")</script>'
IMAGE = '<img src=x onerror="alert(1)">'
ESCAPED_SCRIPT = "&lt;script&gt;alert(&quot;evil&quot;)&lt;/script&gt;"

pytestmark = pytest.mark.django_db


def _assert_escaped(html: str) -> None:
    assert SCRIPT not in html and IMAGE not in html
    assert ESCAPED_SCRIPT in html


def test_an_organisation_name(cast: Cast, client_for: Any) -> None:
    organisation = stakeholder_services.organisation_create(process=cast.process, actor=None,
                                                            name=f"Boligselskabet {SCRIPT}{IMAGE}")
    client = client_for(cast.users["reader"])
    slug = cast.process.slug
    _assert_escaped(client.get(reverse("stakeholders:organisation_list", args=[slug])).content.decode())
    _assert_escaped(client.get(reverse("stakeholders:organisation_detail", args=[slug, organisation.pk]))
                    .content.decode())


def test_an_archive_document_title_text_and_search_snippet(cast: Cast, client_for: Any, immediate_tasks: None,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    text = f"Referat {SCRIPT}\n\nBestyrelsen drøftede renovering {IMAGE} og {SCRIPT} igen.\n"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cast.users["analyst"]).post(reverse("archive:upload", args=[cast.process.slug]),
                                               {"files": [SimpleUploadedFile("referat.txt", text.encode())]})
    document = ArchiveDocument.objects.get()
    assert SCRIPT in document.title and IMAGE in document.text  # kept as written; only the pages escape it
    client = client_for(cast.users["reader"])
    slug = cast.process.slug
    _assert_escaped(client.get(reverse("archive:list", args=[slug])).content.decode())
    _assert_escaped(client.get(reverse("archive:detail", args=[slug, document.pk])).content.decode())
    found = client.get(reverse("archive:search", args=[slug]) + "?q=renovering").content.decode()
    assert "<mark>renovering</mark>" in found  # the snippet is built as HTML: only the match is markup
    _assert_escaped(found)


def test_a_text_to_code(cast: Cast, client_for: Any) -> None:
    document = Document.objects.create(process=cast.process, origin=DocumentOrigin.IMPORTED, guid=uuid.uuid4(),
                                       title=f"Interview {SCRIPT}",
                                       text=f"Interviewer: Hvad bruger I?\n{IMAGE} {SCRIPT}")
    client = client_for(cast.users["analyst"])
    slug = cast.process.slug
    _assert_escaped(client.get(reverse("coding:documents", args=[slug])).content.decode())
    _assert_escaped(client.get(reverse("coding:document", args=[slug, document.pk])).content.decode())
