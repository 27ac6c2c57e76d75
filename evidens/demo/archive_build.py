"""The demo's archive built through the services: about 500 documents from 2005–2020 in several formats (see
``archive_texts``), imported as one folder would be, with three files that cannot be read and four duplicates, and
described with their type, themes and (where the file does not say) date as a secretariat would after the
import."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from evidens.archive import services as archive_services
from evidens.archive.models import ArchiveDocument, DocumentStatus, DocumentType
from evidens.demo.archive_texts import demo_documents
from evidens.processes.models import StrategyProcess

ARCHIVE_SOURCE = "AlmenNet, fællesdrev/arkiv 2005–2020"


def archive_build(*, rng: random.Random, process: StrategyProcess, actor: Any, report: Any) -> None:
    documents = demo_documents(rng)
    files = [archive_services.IncomingFile(name=document.filename,
                                           source=document.filename.rpartition("/")[0], data=document.content)
             for document in documents]
    archive_import = archive_services.archive_files_register(process=process, actor=actor, files=files,
                                                             source=ARCHIVE_SOURCE)
    archive_services.archive_import_run(import_id=archive_import.pk, progress=report)
    stored = {document.original_name: document
              for document in ArchiveDocument.objects.filter(archive_import=archive_import).defer("text")}
    by_type: dict[str, list[ArchiveDocument]] = defaultdict(list)
    by_theme: dict[str, list[ArchiveDocument]] = defaultdict(list)
    for demo in documents:
        document = stored.get(demo.filename)
        if document is None:  # a duplicate: not kept
            continue
        if document.date is None and document.status == DocumentStatus.READY:
            # Nothing in the file says when it was written: the secretariat looks it up and fills it in.
            archive_services.document_update(document=document, actor=actor, title=document.title, date=demo.date,
                                             doc_type=demo.doc_type, source=document.source, themes=demo.themes)
        by_type[DocumentType(demo.doc_type)].append(document)
        for theme in demo.themes:
            by_theme[theme].append(document)
    for doc_type, chosen in by_type.items():
        archive_services.documents_bulk_update(process=process, actor=actor, documents=chosen, doc_type=doc_type)
    for theme, chosen in by_theme.items():
        archive_services.documents_bulk_update(process=process, actor=actor, documents=chosen, add_theme=theme)
    archive_services.topics_refresh(process_id=process.pk)
