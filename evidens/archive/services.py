"""Every write of the archive: files in (upload, folder, demo), text extraction, metadata, themes, deletion, and
handing a view, a search or a passage to the evidence base."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from evidens.archive import activities, matching, search
from evidens.archive.choices import ActivityTable, MatchStatus
from evidens.archive.models import (
    Activity,
    ActivityImport,
    ActivityImportStatus,
    ArchiveDocument,
    ArchiveImport,
    DocumentStatus,
    DocumentType,
    ImportStatus,
    MembershipPeriod,
    OrganisationAlias,
    Participation,
    Theme,
    Topic,
    TopicRun,
)
from evidens.processes.audit import audit_record
from evidens.processes.jobs import job_enqueue
from evidens.processes.models import Job, StrategyProcess
from evidens.stakeholders import importing
from evidens.stakeholders.models import Organisation

MAX_FILE_BYTES = 50 * 1024 * 1024
IGNORED_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}

# The extraction's codes (evidens/text/extract.py) in words.
ERRORS = {
    "unsupported": gettext_lazy("The file type cannot be read (PDF, Word, OpenDocument, PowerPoint, Excel, HTML, "
                                "text and e-mail files can)."),
    "encrypted": gettext_lazy("The file is protected by a password."),
    "damaged": gettext_lazy("The file is damaged or not what its name says."),
    "too_large": gettext_lazy("The file is too large to read."),
    "empty": gettext_lazy("The file is empty."),
}
NOTES = {
    "no_text_layer": gettext_lazy("The PDF has no text layer (a scan): it is kept but cannot be searched."),
    "attachments_skipped": gettext_lazy("The e-mail's attachments were not read."),
    "truncated": gettext_lazy("Only the first part of the text was read: the file is too long."),
    "no_text": gettext_lazy("The file contains no text: it is kept but cannot be searched."),
    "text_left_out": gettext_lazy("Text inside tracked changes or content controls was left out: accept all "
                                  "changes in Word and save the document again to include it."),
    "read_as_windows_1252": gettext_lazy("The file is not UTF-8, so it was read as Windows-1252 (Western "
                                         "European). Check that æ, ø and å look right."),
}


@dataclass(frozen=True)
class IncomingFile:
    name: str  # the file's name, shown to people
    source: str  # where it came from: a folder path, "upload"
    data: bytes | None = None
    path: Path | None = None  # read when its turn comes, so a large folder is never in memory at once

    def content(self) -> bytes:
        return self.data if self.data is not None else Path(self.path or "").read_bytes()


Progress = Callable[..., None]


def _theme(process: StrategyProcess, name: str) -> Theme:
    theme, _created = Theme.objects.get_or_create(process=process, name=name.strip()[:100])
    return theme


@transaction.atomic
def archive_files_register(*, process: StrategyProcess, actor: Any, files: Sequence[IncomingFile],
                           source: str) -> ArchiveImport:
    """Keep the files as documents waiting for extraction. A file whose bytes the archive already holds (or that
    came twice in this batch) is not kept again: it is listed as a duplicate of the document that has them."""
    archive_import = ArchiveImport.objects.create(
        process=process, source=source[:300], created_by=actor if getattr(actor, "is_authenticated", False) else None)
    known = dict(ArchiveDocument.objects.filter(process=process).values_list("sha256", "pk"))
    duplicates = []
    for incoming in files:
        data = incoming.content()
        digest = hashlib.sha256(data).hexdigest()
        if digest in known:
            duplicates.append([incoming.name, known[digest]])
            continue
        document = ArchiveDocument(process=process, archive_import=archive_import, original_name=incoming.name[:300],
                                   source=incoming.source[:300], size=len(data), sha256=digest)
        document.file.save(PurePosixPath(incoming.name).name, ContentFile(data), save=False)
        document.save()
        known[digest] = document.pk
    archive_import.duplicates = duplicates
    archive_import.counts = {"files": len(files), "duplicates": len(duplicates)}
    archive_import.save(update_fields=["duplicates", "counts"])
    audit_record(process=process, actor=actor, action="create", obj=archive_import,
                 message=gettext_noop("Archive import started: %(files)s files from %(source)s"),
                 params={"files": len(files), "source": source})
    return archive_import


def folder_files(folder: Path) -> list[IncomingFile]:
    """Every file below ``folder`` (hidden files and system files left out), named by its path in the folder."""
    if not folder.is_dir():
        raise ValidationError(_("%(folder)s is not a folder.") % {"folder": folder})
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (not path.is_file() or path.name.lower() in IGNORED_NAMES
                or any(part.startswith(".") for part in relative.parts)):
            continue
        files.append(IncomingFile(name=str(relative), source=str(relative.parent) if relative.parent.parts else "",
                                  path=path))
    return files


@transaction.atomic
def archive_upload(*, process: StrategyProcess, actor: Any, uploads: Iterable[Any]) -> ArchiveImport:
    files = []
    for upload in uploads:
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError({"files": _("%(name)s is larger than %(megabytes)s MB.")
                                   % {"name": upload.name, "megabytes": MAX_FILE_BYTES // (1024 * 1024)}})
        files.append(IncomingFile(name=upload.name or "document", source="", data=upload.read()))
    if not files:
        raise ValidationError({"files": _("Choose one or more files.")})
    archive_import = archive_files_register(process=process, actor=actor, files=files, source=_("upload"))
    from evidens.archive.tasks import archive_extract_task

    archive_import.job = job_enqueue(process=process, kind="archive_import", user=actor,
                                     label=_("Archive import: %(files)s files") % {"files": len(files)},
                                     task=archive_extract_task, import_id=archive_import.pk)
    archive_import.save(update_fields=["job"])
    return archive_import


def archive_import_run(*, import_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """Extract the text of every waiting document of an import, one document per transaction: a file that cannot be
    read is marked with its reason and the rest go on; an interrupted run is simply run again."""
    archive_import = ArchiveImport.objects.get(pk=import_id)
    ArchiveImport.objects.filter(pk=import_id).update(status=ImportStatus.RUNNING)
    waiting = list(ArchiveDocument.objects.filter(archive_import=archive_import, status=DocumentStatus.PENDING)
                   .values_list("pk", flat=True))
    for done, document_id in enumerate(waiting, start=1):
        document_extract(document_id=document_id)
        if progress is not None:
            progress(done, len(waiting))
    documents = ArchiveDocument.objects.filter(archive_import=archive_import)
    counts = {**archive_import.counts, "imported": documents.filter(status=DocumentStatus.READY).count(),
              "failed": documents.filter(status=DocumentStatus.FAILED).count()}
    ArchiveImport.objects.filter(pk=import_id).update(status=ImportStatus.DONE, counts=counts)
    return {"counts": counts}


@transaction.atomic
def document_extract(*, document_id: int) -> ArchiveDocument:
    from evidens.text.extract import ExtractError, extract

    document = ArchiveDocument.objects.select_for_update().get(pk=document_id)
    with document.file.open("rb") as handle:
        data = handle.read()
    try:
        extracted = extract(data, document.original_name)
    except ExtractError as error:
        document.status, document.error, document.error_detail = DocumentStatus.FAILED, error.code, error.detail[:300]
        document.save(update_fields=["status", "error", "error_detail"])
        return document
    document.text, document.kind, document.pages = extracted.text, extracted.kind, extracted.pages
    document.notes = list(extracted.notes)
    document.title = document.title or extracted.title[:300] or PurePosixPath(document.original_name).stem[:300]
    document.date = document.date or extracted.date
    document.status, document.error, document.error_detail = DocumentStatus.READY, "", ""
    document.save()
    search.index(document)
    return document


@transaction.atomic
def document_update(*, document: ArchiveDocument, actor: Any, title: str, date: date | None, doc_type: str,
                    source: str, themes: Sequence[str]) -> ArchiveDocument:
    if doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Choose one of the types.")})
    reindex = title != document.title
    document.title, document.date, document.doc_type, document.source = title[:300], date, doc_type, source[:300]
    document.save(update_fields=["title", "date", "doc_type", "source"])
    document.themes.set([_theme(document.process, name) for name in themes if name.strip()])
    if reindex and document.status == DocumentStatus.READY:
        search.index(document)
    audit_record(process=document.process, actor=actor, action="update", obj=document,
                 message=gettext_noop("Archive document described: %(title)s"), params={"title": document.title})
    return document


@transaction.atomic
def documents_bulk_update(*, process: StrategyProcess, actor: Any, documents: Sequence[ArchiveDocument],
                          doc_type: str = "", add_theme: str = "", remove_theme: Theme | None = None) -> int:
    """Give many documents one type, add a theme to them or take one away. Returns how many were changed."""
    if doc_type and doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Choose one of the types.")})
    ids = [document.pk for document in documents if document.process_id == process.pk]
    if doc_type:
        ArchiveDocument.objects.filter(pk__in=ids).update(doc_type=doc_type)
    if add_theme.strip():
        theme = _theme(process, add_theme)
        theme.documents.add(*ids)
    if remove_theme is not None:
        remove_theme.documents.remove(*ids)
    audit_record(process=process, actor=actor, action="update", obj=None,
                 message=gettext_noop("%(count)s archive documents changed together"), params={"count": len(ids)})
    return len(ids)


@transaction.atomic
def document_delete(*, document: ArchiveDocument, actor: Any) -> None:
    audit_record(process=document.process, actor=actor, action="delete", obj=document,
                 message=gettext_noop("Archive document deleted: %(title)s"), params={"title": str(document)})
    document.delete()


# --- topics over time ------------------------------------------------------------------------------------------------


@transaction.atomic
def topics_refresh_queue(*, process: StrategyProcess, actor: Any) -> TopicRun:
    from evidens.archive.tasks import archive_topics_task

    run, _created = TopicRun.objects.get_or_create(process=process)
    run.job = job_enqueue(process=process, kind="archive_topics", user=actor, label=_("Archive topics"),
                          task=archive_topics_task, process_id=process.pk)
    run.save(update_fields=["job"])
    return run


def topics_refresh(*, process_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """Compute the archive's topics and keywords per year again from every searchable document. A topic whose words
    mostly match a named topic of the previous run keeps its name."""
    from evidens.archive.topics import keywords_per_year, topic_model

    process = StrategyProcess.objects.get(pk=process_id)
    rows = [(pk, day.year if day else None, f"{title}\n{text}") for pk, day, title, text in
            ArchiveDocument.objects.filter(process=process, status=DocumentStatus.READY)
            .values_list("pk", "date", "title", "text")]
    if progress is not None:
        progress(1, 3)
    model = topic_model(rows)
    if progress is not None:
        progress(2, 3)
    keywords = keywords_per_year(rows)
    with transaction.atomic():
        run, _created = TopicRun.objects.select_for_update().get_or_create(process=process)
        named = [(set(topic.terms), topic.label) for topic in run.topics.exclude(label="")]
        run.topics.all().delete()
        for topic in model.topics:
            terms = set(topic.terms)
            words, label = max(named, key=lambda pair: len(pair[0] & terms), default=(set(), ""))
            Topic.objects.create(run=run, number=topic.number, terms=list(topic.terms), weight=topic.weight,
                                 # "Mostly the same words": at least half of the new topic's.
                                 label=label if terms and 2 * len(words & terms) >= len(terms) else "",
                                 per_year={str(year): shares.get(topic.number, 0.0)
                                           for year, shares in sorted(model.per_year.items())})
        ArchiveDocument.objects.filter(process=process).update(topic=None)
        by_topic: dict[int, list[int]] = {}
        for document_id, number in model.document_topics.items():
            by_topic.setdefault(number, []).append(document_id)
        for number, ids in by_topic.items():
            ArchiveDocument.objects.filter(pk__in=ids).update(topic=number)
        run.documents = len(rows)
        run.keywords_per_year = {str(year): words for year, words in sorted(keywords.items())}
        run.save()
    if progress is not None:
        progress(3, 3)
    return {"topics": len(model.topics), "documents": len(rows)}


@transaction.atomic
def topic_rename(*, topic: Topic, actor: Any, label: str) -> Topic:
    topic.label = label.strip()[:100]
    topic.save(update_fields=["label"])
    return topic


# ---------------------------------------------------------------------------------------------
# Activity records
# ---------------------------------------------------------------------------------------------

MAX_ACTIVITY_FILE_BYTES = 20 * 1024 * 1024
MATCH_STATUS = {matching.MATCHED_EXACT: MatchStatus.EXACT, matching.MATCHED_REMEMBERED: MatchStatus.REMEMBERED,
                 matching.MATCHED_CLOSE: MatchStatus.CLOSE, matching.UNCERTAIN: MatchStatus.UNCERTAIN,
                 matching.NOT_FOUND: MatchStatus.NOT_FOUND}


@transaction.atomic
def activity_import_create(*, process: StrategyProcess, actor: Any, table_kind: str, name: str,
                           content: bytes) -> ActivityImport:
    """Keep an activity file and guess its column mapping; nothing is read into the archive before the mapping is
    confirmed. The same file imported before is refused."""
    if table_kind not in ActivityTable.values:
        raise ValidationError({"table_kind": _("Choose what the file holds.")})
    if len(content) > MAX_ACTIVITY_FILE_BYTES:
        raise ValidationError({"file": _("%(name)s is larger than %(megabytes)s MB.")
                               % {"name": name, "megabytes": MAX_ACTIVITY_FILE_BYTES // (1024 * 1024)}})
    try:
        table = importing.read_table(content, name)
    except importing.UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    digest = hashlib.sha256(content).hexdigest()
    earlier = ActivityImport.objects.filter(process=process, sha256=digest, status=ActivityImportStatus.DONE).first()
    if earlier is not None:
        raise ValidationError({"file": _("This file was imported before (%(name)s).") % {"name": earlier}})
    activity_import = ActivityImport(
        process=process, table_kind=table_kind, original_name=PurePosixPath(name).name[:255], sha256=digest,
        mapping=activities.guess_mapping(table.headers, table_kind),
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    activity_import.file.save(activity_import.original_name, ContentFile(content), save=False)
    activity_import.save()
    return activity_import


def activity_import_table(activity_import: ActivityImport) -> importing.Table:
    with activity_import.file.open("rb") as file:
        return importing.read_table(file.read(), activity_import.original_name)


def activity_import_map(*, activity_import: ActivityImport, mapping: dict[str, str]) -> ActivityImport:
    if activity_import.status != ActivityImportStatus.MAPPING:
        raise ValidationError(_("This import has already been started."))
    headers = activity_import_table(activity_import).headers
    mapping = {header: mapping.get(header, "") for header in headers}
    problems = activities.mapping_problems(mapping, activity_import.table_kind)
    if problems:
        raise ValidationError(problems)
    activity_import.mapping = mapping
    activity_import.save(update_fields=["mapping"])
    return activity_import


@dataclass
class ActivityCheck:
    """What an import would store: its records, the problems that stop it, and how each written organisation name
    would be matched to the register."""

    records: list[Any]
    issues: list[importing.RowIssue]
    other_kinds: list[tuple[str, int]]
    matches: dict[str, matching.Match]  # written name -> match


def _matcher(process: StrategyProcess) -> matching.OrganisationMatcher:
    register = dict(Organisation.objects.filter(process=process).values_list("pk", "name"))
    remembered = dict(OrganisationAlias.objects.filter(process=process).values_list("written_key", "organisation_id"))
    return matching.OrganisationMatcher(register, remembered=remembered)


def activity_import_check(activity_import: ActivityImport) -> ActivityCheck:
    table_kind = activity_import.table_kind
    read = activities.read_records(activity_import_table(activity_import), activity_import.mapping, table_kind)
    issues = list(read.issues)
    columns = importing.columns_of(activity_import.mapping)
    if table_kind == ActivityTable.REGISTRATIONS:
        known = set(Activity.objects.filter(process=activity_import.process).values_list("reference", flat=True))
        issues += activities.unknown_events(read.records, known, columns)
    matches: dict[str, matching.Match] = {}
    if table_kind != ActivityTable.EVENTS:
        matcher = _matcher(activity_import.process)
        for record in read.records:
            if record.organisation not in matches:
                matches[record.organisation] = matcher.match(record.organisation)
    if table_kind == ActivityTable.MEMBERSHIPS:
        issues += _unmatched_members(read.records, matches, columns)
    return ActivityCheck(records=read.records, issues=importing.sort_issues(issues),
                         other_kinds=read.other_kinds.most_common(), matches=matches)


def _unmatched_members(records: Sequence[activities.MembershipRecord], matches: dict[str, matching.Match],
                       columns: dict[str, str]) -> list[importing.RowIssue]:
    """A membership needs its organisation for certain: an uncertain match stops the import rather than guess."""
    issues = []
    for record in records:
        match = matches[record.organisation]
        if match.organisation_id is not None or not record.organisation:
            continue
        message = (_("“%(name)s” is not certain to be in the register; did you mean “%(candidate)s”? Correct the "
                     "name in the file or add the organisation to the register.")
                   % {"name": record.organisation, "candidate": match.candidates[0].name}
                   if match.candidates else
                   _("“%(name)s” is not in the register. Add it to the register first.")
                   % {"name": record.organisation})
        issues.append(importing.RowIssue(record.row, "organisation", "unknown_organisation", message,
                                         column=columns.get("organisation", "")))
    return issues


def activity_import_confirm(*, activity_import: ActivityImport, actor: Any) -> Job:
    with transaction.atomic():
        locked = ActivityImport.objects.select_for_update().get(pk=activity_import.pk)
        if locked.status != ActivityImportStatus.MAPPING:
            raise ValidationError(_("This import has already been started."))
        problems = activities.mapping_problems(locked.mapping, locked.table_kind)
        if problems:
            raise ValidationError(problems)
        from evidens.archive.tasks import activity_import_task

        job = job_enqueue(process=locked.process, kind="activity_import", user=actor,
                          label=_("Activity import: %(name)s") % {"name": locked.original_name},
                          task=activity_import_task, activity_import_id=locked.pk)
        ActivityImport.objects.filter(pk=locked.pk).update(status=ActivityImportStatus.QUEUED, job=job)
        audit_record(process=locked.process, actor=actor, action="create", obj=locked,
                     message=gettext_noop("Activity import started: %(name)s"), params={"name": locked.original_name})
    activity_import.refresh_from_db()
    return job


def activity_import_run(*, activity_import_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """Store every row of the file or none: a file with any problem is marked as not imported, with the problems
    listed by row and column. Rows with an ID the archive holds already are updated, so importing a corrected
    file again does not double anything."""
    activity_import = ActivityImport.objects.get(pk=activity_import_id)
    ActivityImport.objects.filter(pk=activity_import_id).update(status=ActivityImportStatus.RUNNING)
    check = activity_import_check(activity_import)
    if check.issues:
        ActivityImport.objects.filter(pk=activity_import_id).update(
            status=ActivityImportStatus.FAILED, issues=[issue.as_dict() for issue in check.issues[:500]],
            counts={"rows": len(check.records), "problems": len(check.issues)})
        return _activity_result(activity_import, ngettext(
            "Nothing was imported: %(count)s problem in the file.", "Nothing was imported: %(count)s problems in the "
            "file.", len(check.issues)) % {"count": len(check.issues)})
    store = {ActivityTable.EVENTS: _store_events, ActivityTable.REGISTRATIONS: _store_registrations,
             ActivityTable.MEMBERSHIPS: _store_memberships}[ActivityTable(activity_import.table_kind)]
    with transaction.atomic():
        counts = {"rows": len(check.records), **store(activity_import, check)}
        ActivityImport.objects.filter(pk=activity_import_id).update(
            status=ActivityImportStatus.DONE, counts=counts, issues=[],
            notes=[list(pair) for pair in check.other_kinds])
    if progress is not None:
        progress(len(check.records), len(check.records))
    return _activity_result(activity_import, ngettext(
        "%(count)s row was imported.", "%(count)s rows were imported.", len(check.records))
        % {"count": len(check.records)})


def _activity_result(activity_import: ActivityImport, summary: str) -> dict[str, str]:
    return {"summary": summary,
            "url": reverse("archive:activity_import", args=[activity_import.process.slug, activity_import.pk])}


def _store_events(activity_import: ActivityImport, check: ActivityCheck) -> dict[str, int]:
    process = activity_import.process
    existing = {activity.reference: activity for activity in Activity.objects.filter(process=process)}
    fields = ["title", "kind", "network", "date", "place", "form", "status", "activity_import"]
    new: list[Activity] = []
    changed: list[Activity] = []
    for record in check.records:
        activity = existing.get(record.reference) or Activity(process=process, reference=record.reference)
        for name, value in (("title", record.title), ("kind", record.kind), ("network", record.network),
                            ("date", record.day), ("place", record.place), ("form", record.form),
                            ("status", record.status), ("activity_import", activity_import)):
            setattr(activity, name, value)
        (changed if activity.pk else new).append(activity)
    Activity.objects.bulk_create(new, batch_size=500)
    Activity.objects.bulk_update(changed, fields, batch_size=500)
    return {"created": len(new), "updated": len(changed)}


def _match_fields(match: matching.Match) -> tuple[int | None, str]:
    return match.organisation_id, MATCH_STATUS[match.status]


def _store_registrations(activity_import: ActivityImport, check: ActivityCheck) -> dict[str, int]:
    process = activity_import.process
    activity_ids = dict(Activity.objects.filter(process=process).values_list("reference", "pk"))
    existing = {participation.reference: participation for participation in Participation.objects.filter(
        activity__process=process).exclude(reference="")}
    fields = ["activity", "organisation_written", "organisation", "match", "role_title", "segment", "registered",
              "attended", "activity_import"]
    new: list[Participation] = []
    changed: list[Participation] = []
    statuses: Counter[str] = Counter()
    for record in check.records:
        participation = existing.get(record.reference) if record.reference else None
        participation = participation or Participation(reference=record.reference)
        organisation_id, status = _match_fields(check.matches[record.organisation])
        statuses[status] += 1
        for name, value in (("activity_id", activity_ids[record.event_reference]),
                            ("organisation_written", record.organisation), ("organisation_id", organisation_id),
                            ("match", status), ("role_title", record.role_title), ("segment", record.segment),
                            ("registered", record.registered), ("attended", record.attended),
                            ("activity_import", activity_import)):
            setattr(participation, name, value)
        (changed if participation.pk else new).append(participation)
    Participation.objects.bulk_create(new, batch_size=500)
    Participation.objects.bulk_update(changed, fields, batch_size=500)
    return {"created": len(new), "updated": len(changed), **{f"match_{status}": n for status, n in statuses.items()}}


def _store_memberships(activity_import: ActivityImport, check: ActivityCheck) -> dict[str, int]:
    created = updated = 0
    for record in check.records:
        organisation_id, _status = _match_fields(check.matches[record.organisation])
        if organisation_id is None:
            continue  # a blank name: the row says nothing
        _period, was_created = MembershipPeriod.objects.update_or_create(
            organisation_id=organisation_id, start=record.start,
            defaults={"end": record.end, "activity_import": activity_import})
        created += was_created
        updated += not was_created
    return {"created": created, "updated": updated}


@transaction.atomic
def organisation_match_decide(*, process: StrategyProcess, actor: Any, written: str,
                              organisation: Organisation | None) -> int:
    """A person's answer to "which organisation is this?" for every registration written this way (``None``: not
    in the register). It is remembered, so later imports match the name the same way. Returns the registrations
    changed."""
    if organisation is not None and organisation.process_id != process.pk:
        raise ValidationError(_("The organisation is not in this process's register."))
    key = matching.name_key(written)
    if not key:
        raise ValidationError(_("The name is missing."))
    OrganisationAlias.objects.update_or_create(
        process=process, written_key=key[:200],
        defaults={"written": written[:200], "organisation": organisation,
                  "decided_by": actor if getattr(actor, "is_authenticated", False) else None})
    spellings = [name for name in Participation.objects.filter(activity__process=process)
                 .values_list("organisation_written", flat=True).distinct() if matching.name_key(name) == key]
    changed = Participation.objects.filter(activity__process=process, organisation_written__in=spellings).update(
        organisation=organisation, match=MatchStatus.CONFIRMED if organisation else MatchStatus.OUTSIDE)
    audit_record(process=process, actor=actor, action="update", obj=process,
                 message=gettext_noop("Organisation name “%(written)s” matched to %(organisation)s"),
                 params={"written": written, "organisation": organisation.name if organisation else "—"})
    return changed
