"""Every write of web statistics: imports of access logs and analytics exports, retention, settings, areas,
and handing a view to the evidence base.

An access log holds whole client addresses, so an uploaded log lives only in the import's upload folder
until the import has read it; the warehouse keeps truncated addresses and day-salted visitor keys.
"""

from __future__ import annotations

import errno
import hashlib
import secrets
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.processes.audit import audit_record
from evidens.processes.jobs import JobError, JobProgress, job_enqueue
from evidens.processes.models import Job, StrategyProcess
from evidens.webstats import exports, selectors, warehouse
from evidens.webstats.logformat import LogFormat, LogFormatError, log_format
from evidens.webstats.models import (
    ContentArea,
    ImportKind,
    ImportStatus,
    LogFile,
    LogImport,
    WebstatsSettings,
    webstats_root,
)

# The disk, or the user's quota on it, is full.
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}


@dataclass(frozen=True)
class IncomingFile:
    name: str
    path: Path
    size: int
    sha256: str


def webstats_settings(process: StrategyProcess) -> WebstatsSettings:
    found, _created = WebstatsSettings.objects.get_or_create(process=process)
    return found


def _checked_format(text: str) -> LogFormat:
    try:
        return log_format(text or "combined")
    except LogFormatError as error:
        raise ValidationError({"log_format": str(error)}) from None


def _refuse_repeats(process: StrategyProcess, files: Sequence[IncomingFile]) -> None:
    """A file already imported (same bytes) is refused, naming the import that has it."""
    problems = []
    seen: dict[str, str] = {}
    for incoming in files:
        if incoming.sha256 in seen:
            problems.append(_("%(name)s is the same file as %(other)s.")
                            % {"name": incoming.name, "other": seen[incoming.sha256]})
            continue
        seen[incoming.sha256] = incoming.name
        earlier = (LogFile.objects.select_related("log_import")
                   .filter(sha256=incoming.sha256, log_import__process=process)
                   .exclude(log_import__status=ImportStatus.FAILED).first())
        if earlier is not None:
            problems.append(_("%(name)s has already been imported (as %(earlier)s on %(date)s).") % {
                "name": incoming.name, "earlier": earlier.name,
                "date": formats.date_format(timezone.localtime(earlier.log_import.created_at), "DATE_FORMAT")})
    if problems:
        raise ValidationError({"files": problems})


def incoming_file(path: Path, name: str | None = None) -> IncomingFile:
    return IncomingFile(name=name or path.name, path=path, size=path.stat().st_size,
                        sha256=warehouse.file_digest(path))


def _create(process: StrategyProcess, actor: Any, kind: str, files: Sequence[IncomingFile], **fields: Any
            ) -> LogImport:
    log_import = LogImport.objects.create(
        process=process, kind=kind, created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields)
    LogFile.objects.bulk_create(
        LogFile(log_import=log_import, name=incoming.name[:255], size=incoming.size, sha256=incoming.sha256,
                position=position) for position, incoming in enumerate(files))
    audit_record(process=process, actor=actor, action="create", obj=log_import,
                 message=gettext_noop("Web statistics import started: %(files)s"),
                 params={"files": ", ".join(incoming.name for incoming in files)})
    return log_import


def log_import_upload(*, process: StrategyProcess, actor: Any, uploads: Sequence[UploadedFile],
                      log_format_text: str) -> LogImport:
    """Keep uploaded log files and queue their import. Raises ``ValidationError`` for a format that cannot
    be read or a file imported before; nothing is kept then."""
    if not uploads:
        raise ValidationError({"files": _("Choose one or more log files.")})
    checked = _checked_format(log_format_text)
    incoming_folder = webstats_root(process.pk) / "uploads" / f".incoming-{secrets.token_hex(6)}"
    incoming_folder.mkdir(parents=True)
    try:
        files = [_receive(upload, incoming_folder, position) for position, upload in enumerate(uploads)]
        with transaction.atomic():
            _refuse_repeats(process, files)
            log_import = _create(process, actor, ImportKind.LOG, files, log_format=checked.text)
            log_import.upload_folder.parent.mkdir(parents=True, exist_ok=True)
            incoming_folder.rename(log_import.upload_folder)
            log_import.job = job_enqueue(process=process, kind="webstats_import", user=actor,
                                         label=_("Import of %(files)s") % {"files": _file_names(files)},
                                         task=_import_task(), import_id=log_import.pk)
            log_import.save(update_fields=["job"])
    except BaseException:
        shutil.rmtree(incoming_folder, ignore_errors=True)
        raise
    return log_import


def _import_task() -> Any:
    from evidens.webstats.tasks import log_import_task

    return log_import_task


def _file_names(files: Sequence[IncomingFile]) -> str:
    names = [incoming.name for incoming in files]
    return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")


def _receive(upload: UploadedFile, folder: Path, position: int) -> IncomingFile:
    """Write an upload to ``folder`` a chunk at a time, hashing it on the way."""
    digest = hashlib.sha256()
    name = Path(upload.name or "log").name
    target = folder / f"{position:03d}-{secrets.token_hex(4)}"
    size = 0
    with target.open("wb") as handle:
        for chunk in upload.chunks():
            digest.update(chunk)
            handle.write(chunk)
            size += len(chunk)
    return IncomingFile(name=name, path=target, size=size, sha256=digest.hexdigest())


def log_import_register(*, process: StrategyProcess, actor: Any, paths: Sequence[Path], log_format_text: str
                        ) -> LogImport:
    """An import of files that stay where they are (the command line); ``log_import_run`` reads them."""
    checked = _checked_format(log_format_text)
    files = [incoming_file(path) for path in paths]
    with transaction.atomic():
        _refuse_repeats(process, files)
        return _create(process, actor, ImportKind.LOG, files, log_format=checked.text,
                       status=ImportStatus.RUNNING)


def log_import_run(*, import_id: int, paths: Sequence[Path] | None = None,
                   progress: JobProgress | Any = None) -> dict[str, Any]:
    """Read the import's files into its warehouse folder. The rows show the import as completed only when
    the folder is complete; a failure leaves no data and the import marked failed, to be tried again."""
    log_import = LogImport.objects.select_related("process").get(pk=import_id)
    if log_import.status == ImportStatus.COMPLETED:
        return {"counts": log_import.counts}
    sources = list(paths) if paths is not None else sorted(log_import.upload_folder.glob("[0-9]*"))
    LogImport.objects.filter(pk=import_id).update(status=ImportStatus.RUNNING, message="")
    warehouse.remove_unfinished(log_import.folder)
    warehouse.remove_folder(log_import.folder)  # left by a run that died after writing it, before the rows

    def report(done: int, total: int) -> None:
        if progress:
            progress(done // 1024, total // 1024, _("Reading the log (kB)"))

    try:
        counts = warehouse.build_import(sources, _checked_format(log_import.log_format), log_import.folder,
                                        progress=report, names=[file.name for file in log_import.files.all()],
                                        search_parameters=webstats_settings(log_import.process).search_parameter_names)
    except (OSError, EOFError, ValidationError) as error:
        reason = (_("a compressed file ends too early (it is damaged or was cut short)")
                  if isinstance(error, EOFError) else
                  _("there is no room left on the disk for the analytics files")
                  if getattr(error, "errno", None) in _DISK_FULL else
                  getattr(error, "strerror", None) or "; ".join(getattr(error, "messages", [])) or str(error))
        message = _("The import failed and nothing was stored: %(reason)s") % {"reason": reason}
        LogImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED, message=message,
                                                      finished_at=timezone.now())
        raise JobError(message) from None
    except BaseException:
        LogImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(),
            message=_("The import stopped unexpectedly and nothing was stored. Try again."))
        raise
    summary = counts.as_dict()
    with transaction.atomic():
        LogImport.objects.filter(pk=import_id).update(
            status=ImportStatus.COMPLETED, counts=summary, finished_at=timezone.now(),
            first_day=counts.first_timestamp.date() if counts.first_timestamp else None,
            last_day=counts.last_timestamp.date() if counts.last_timestamp else None)
    if paths is None:
        shutil.rmtree(log_import.upload_folder, ignore_errors=True)
    text = _("%(lines)s lines, %(malformed)s not readable, %(views)s page views.") % {
        "lines": formats.number_format(counts.lines, force_grouping=True),
        "malformed": formats.number_format(counts.malformed, force_grouping=True),
        "views": formats.number_format(counts.human_page_views, force_grouping=True)}
    retained = log_import.pk not in retention_apply(process=log_import.process)
    if not retained:
        text += " " + _("Requests older than the process keeps web statistics (%(months)s months) were deleted "
                        "again; change the period under Settings.") % {
            "months": webstats_settings(log_import.process).retention_months}
    return {"counts": summary, "summary": text, "retention_applied": not retained,
            "url": reverse("webstats:import_detail", args=[log_import.process.slug, log_import.pk]) if retained else
            reverse("webstats:imports", args=[log_import.process.slug])}


def log_import_job_stopped(*, job: Job, **_signal: Any) -> None:
    """The worker running ``job`` died: its import (which left no data, see ``log_import_run``) has failed."""
    LogImport.objects.filter(job=job, status__in=(ImportStatus.QUEUED, ImportStatus.RUNNING)).update(
        status=ImportStatus.FAILED, finished_at=timezone.now(),
        message=_("The import stopped unexpectedly and nothing was stored. Try again."))


def log_import_retry(*, log_import: LogImport, actor: Any) -> LogImport:
    """Queue a failed import of uploaded files again."""
    with transaction.atomic():
        locked = LogImport.objects.select_for_update().get(pk=log_import.pk)
        if locked.status != ImportStatus.FAILED or not locked.upload_folder.exists():
            raise ValidationError(_("Only a failed import whose files are still here can be tried again."))
        locked.status = ImportStatus.QUEUED
        locked.job = job_enqueue(process=locked.process, kind="webstats_import", user=actor,
                                 label=_("Import of %(files)s") % {"files": str(locked)},
                                 task=_import_task(), import_id=locked.pk)
        locked.save(update_fields=["status", "job"])
    return locked


def log_import_delete(*, log_import: LogImport, actor: Any) -> None:
    """Remove an import with its data and any files still waiting; the views no longer count it."""
    if log_import.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise ValidationError(_("An import cannot be deleted while it runs."))
    process, name = log_import.process, str(log_import)
    with transaction.atomic():
        audit_record(process=process, actor=actor, action="delete", obj=log_import,
                     message=gettext_noop("Web statistics import deleted: %(files)s"), params={"files": name})
        log_import.delete()  # log_import_files_remove takes the files when the deletion is committed


def log_import_files_remove(*, instance: LogImport, **_signal: Any) -> None:
    """Once a deleted import's row is gone for good, remove its data and any files still waiting."""
    folder, uploads = instance.folder, instance.upload_folder

    def remove_files() -> None:
        warehouse.remove_folder(folder)
        shutil.rmtree(uploads, ignore_errors=True)

    transaction.on_commit(remove_files)


def analytics_import(*, process: StrategyProcess, actor: Any, data: bytes, filename: str) -> LogImport:
    """Import a GA4 or Matomo export of page views per page; small enough to do at once."""
    try:
        export = exports.read_analytics_export(data, filename)
    except exports.ExportFormatError as error:
        raise ValidationError({"file": str(error)}) from None
    digest = hashlib.sha256(data).hexdigest()
    files = [IncomingFile(name=Path(filename).name, path=Path(), size=len(data), sha256=digest)]
    folder: Path | None = None
    try:
        with transaction.atomic():
            _refuse_repeats(process, files)
            log_import = _create(
                process, actor, ImportKind.ANALYTICS, files, source=export.source, status=ImportStatus.COMPLETED,
                first_day=export.first_day, last_day=export.last_day, finished_at=timezone.now(),
                counts={"rows": len(export.rows), "page_views": sum(row.page_views for row in export.rows),
                        "skipped": [[line, reason] for line, reason in export.skipped]})
            folder = log_import.folder
            warehouse.build_page_views(
                [(row.first_day, row.last_day, row.path, row.page_views) for row in export.rows], folder)
    except BaseException:
        if folder is not None:  # the rows were rolled back: the files must go too
            warehouse.remove_folder(folder)
        raise
    return log_import


def retention_apply(*, process: StrategyProcess, today: date | None = None) -> set[int]:
    """Delete web statistics older than the process keeps them; returns the ids of imports that lost
    data (an import left empty is deleted)."""
    cutoff = selectors.retention_cutoff(process, today or timezone.localdate())
    touched = set()
    for log_import in LogImport.objects.filter(process=process, status=ImportStatus.COMPLETED,
                                               first_day__lt=cutoff):
        touched.add(log_import.pk)
        left = 0
        if log_import.last_day is not None and log_import.last_day >= cutoff:
            left, first, last = warehouse.prune(log_import.folder, cutoff)
        if left:
            LogImport.objects.filter(pk=log_import.pk).update(first_day=first, last_day=last)
        else:
            log_import_delete(log_import=log_import, actor=None)
    return touched


@transaction.atomic
def webstats_settings_update(*, process: StrategyProcess, actor: Any, **fields: Any) -> WebstatsSettings:
    found = webstats_settings(process)
    for name, value in fields.items():
        setattr(found, name, value)
    found.full_clean()
    found.save()
    audit_record(process=process, actor=actor, action="update", obj=found,
                 message=gettext_noop("Web statistics settings changed"))
    return found


@transaction.atomic
def content_areas_replace(*, process: StrategyProcess, actor: Any, areas: Iterable[tuple[str, str]]) -> int:
    """Set the process's content areas to ``areas`` (name, pattern), in that order."""
    ContentArea.objects.filter(process=process).delete()
    created = ContentArea.objects.bulk_create(
        ContentArea(process=process, name=name.strip(), pattern=pattern.strip(), position=position)
        for position, (name, pattern) in enumerate(areas))
    audit_record(process=process, actor=actor, action="update", obj=None,
                 message=gettext_noop("Content areas changed (%(count)s)"), params={"count": len(created)})
    return len(created)


def section_evidence_save(*, process: StrategyProcess, actor: Any, page: str, key: str, selection: Any
                          ) -> tuple[Any, Any]:
    """Hand one section of a web-statistics page, as it shows for ``selection`` (a ``sections.Selection``), to the
    evidence base as a frozen snapshot. Returns the evidence item and the section."""
    from evidens.evidence.services import evidence_item_save
    from evidens.webstats.sections import PAGE_VIEW_MEANING, ROBOT_MEANING, SECTIONS

    with warehouse.Reader(selection.scope()) as reader:
        section = SECTIONS[key](reader, selection)
    source = ":".join(filter(None, [key, selection.first.isoformat(), selection.last.isoformat(), section.variant]))
    item = evidence_item_save(
        process=process, actor=actor, channel="webstats",
        title=(_("%(view)s, %(period)s") % {"view": section.title, "period": selection.text})[:300],
        source_key=f"webstats:{source}"[:300],
        definition={
            "description": section.description, "period": {"from": selection.first, "to": selection.last},
            "filters": [selection.text, *section.filters],
            "counting": [str(PAGE_VIEW_MEANING), str(ROBOT_MEANING)],
            "imports": [str(log_import) for kind in ImportKind for log_import in selectors.completed(process, kind)],
        },
        result=section.result(), chart=section.chart,
        link=f"{reverse(f'webstats:{page}', args=[process.slug])}?{urlencode(selection.params)}#{key}")
    return item, section

