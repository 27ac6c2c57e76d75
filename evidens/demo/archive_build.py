"""The demo's archive built through the services: about 500 documents from 2005–2020 in several formats (see
``archive_texts``), imported as one folder would be, with three files that cannot be read and four duplicates, and
described with their type, themes and (where the file does not say) date as a secretariat would after the
import; and the registration system's records of about 75 events 2018–2020 with about 2,000 registrations, imported
as the secretariat would (events first), with half of the uncertain organisation names reviewed."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any, Literal

from evidens.archive import services as archive_services
from evidens.archive.choices import MatchStatus
from evidens.archive.models import ArchiveDocument, DocumentStatus, DocumentType, Participation
from evidens.demo.archive_texts import demo_activities, demo_documents
from evidens.demo.generator import Register
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.models import Organisation

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


def activities_build(*, rng: random.Random, process: StrategyProcess, actor: Any, register: Register) -> None:
    records = demo_activities(rng, register)
    files: tuple[tuple[Literal["events", "registrations"], str], ...] = (
        ("events", "arrangementer-2018-2020.csv"), ("registrations", "tilmeldinger-2018-2020.csv"))
    for table, name in files:
        activity_import = archive_services.activity_import_create(process=process, actor=actor, table_kind=table,
                                                                  name=name, content=records.to_csv(table))
        archive_services.activity_import_run(activity_import_id=activity_import.pk)
    canonical = {row.organisation: row.canonical_organisation for row in records.registrations}
    organisations = {org.name: org for org in Organisation.objects.filter(process=process)}
    uncertain = sorted(set(Participation.objects.filter(activity__process=process, match=MatchStatus.UNCERTAIN)
                           .values_list("organisation_written", flat=True)))
    for written in uncertain[::2]:
        archive_services.organisation_match_decide(process=process, actor=actor, written=written,
                                                   organisation=organisations.get(canonical.get(written) or ""))
