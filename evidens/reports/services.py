"""Building reports: a build is requested (a queued version), run by the worker (or at once by the command), and
kept with what it was built from. A failed build keeps its row with the reason and no file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.evidence.models import Finding, FindingStatus
from evidens.processes.audit import audit_record
from evidens.processes.jobs import JobError, job_enqueue
from evidens.processes.models import StrategyProcess
from evidens.reports import builders, render
from evidens.reports.document import Document
from evidens.reports.models import BuildStatus, Publication, ReportBuild, ReportFormat, ReportKind
from evidens.surveys.models import Survey

Progress = Callable[..., None]

RENDERERS = {ReportFormat.HTML: lambda document: render.render_html(document).encode("utf-8"),
             ReportFormat.PDF: render.render_pdf, ReportFormat.DOCX: render.render_docx}


def report_document(build: ReportBuild) -> Document:
    if build.kind == ReportKind.KNOWLEDGE:
        return builders.knowledge_report(build.process, identified_quotes=build.identified_quotes)
    if build.kind == ReportKind.DECISION:
        return builders.decision_memo(build.process)
    if build.survey is None:
        raise JobError(_("Choose the survey to report on."))
    return builders.survey_report(build.survey, by=build.compare_by)


@transaction.atomic
def report_build_create(*, process: StrategyProcess, actor: Any, kind: str, file_format: str,
                        survey: Survey | None = None, compare_by: str = "",
                        identified_quotes: bool = False) -> ReportBuild:
    """The next version of a report, queued; ``report_build_run`` makes the file. Only the knowledge report
    quotes interviewees, so ``identified_quotes`` is kept only for it."""
    if kind not in ReportKind.values or file_format not in ReportFormat.values:
        raise ValidationError(_("Unknown report or format."))
    if kind == ReportKind.SURVEY and (survey is None or survey.process_id != process.pk):
        raise ValidationError({"survey": _("Choose the survey to report on.")})
    if kind != ReportKind.SURVEY:
        survey, compare_by = None, ""
    identified_quotes = identified_quotes and kind == ReportKind.KNOWLEDGE
    StrategyProcess.objects.select_for_update().filter(pk=process.pk).first()  # one version number at a time
    last = ReportBuild.objects.filter(process=process, kind=kind, survey=survey,
                                      file_format=file_format).aggregate(last=Max("version"))["last"]
    return ReportBuild.objects.create(process=process, kind=kind, file_format=file_format, survey=survey,
                                      compare_by=compare_by, identified_quotes=identified_quotes,
                                      version=(last or 0) + 1,
                                      created_by=actor if getattr(actor, "is_authenticated", False) else None)


def report_build_request(*, process: StrategyProcess, actor: Any, kind: str, file_format: str,
                         survey: Survey | None = None, compare_by: str = "",
                         identified_quotes: bool = False) -> ReportBuild:
    """Queue a build as a background job with visible progress."""
    from evidens.reports.tasks import report_build_task

    with transaction.atomic():
        build = report_build_create(process=process, actor=actor, kind=kind, file_format=file_format, survey=survey,
                                    compare_by=compare_by, identified_quotes=identified_quotes)
        build.job = job_enqueue(process=process, kind="report", user=actor, task=report_build_task,
                                label=_("Report: %(report)s") % {"report": build}, build_id=build.pk)
        build.save(update_fields=["job"])
    return build


def report_build_run(*, build_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """Assemble the document, render it, store the file. The file is written before the row says done, so a
    build is either done with its file or not done."""
    build = ReportBuild.objects.select_related("process", "survey").get(pk=build_id)
    ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.RUNNING)
    report = progress or (lambda *_args, **_kwargs: None)
    try:
        report(0, 3, _("Reading the data"))
        document = report_document(build)
        report(1, 3, _("Laying out the document"))
        content = RENDERERS[ReportFormat(build.file_format)](document)
        report(2, 3, _("Storing the file"))
    except Exception:
        ReportBuild.objects.filter(pk=build.pk).update(status=BuildStatus.FAILED,
                                                       message=_("The report could not be built."))
        raise
    build.file.save(build.filename, ContentFile(content), save=False)
    build.size, build.status, build.built_at = len(content), BuildStatus.DONE, timezone.now()
    build.sources = _sources(document, identified_quotes=build.identified_quotes)
    build.save(update_fields=["file", "size", "status", "built_at", "sources"])
    audit_record(process=build.process, actor=build.created_by, action="create", obj=build,
                 message=gettext_noop("Report built: %(report)s"), params={"report": str(build)})
    report(3, 3, "")
    return {"build": build.pk, "bytes": build.size, "url": reverse("reports:list", args=[build.process.slug]),
            "summary": _("%(report)s is ready.") % {"report": build}}


def _sources(document: Document, *, identified_quotes: bool) -> dict[str, Any]:
    return {"built_on": document.date.isoformat(), "identified_quotes": identified_quotes,
            "references": [{"key": reference.key, "title": reference.title, "detail": reference.detail}
                           for reference in document.references]}


@transaction.atomic
def publication_save(*, process: StrategyProcess, actor: Any, published: bool, intro: str,
                     findings: Iterable[Finding], include_decision: bool) -> Publication:
    """Choose what members may read without a login. Only reviewed or approved findings of the process."""
    chosen = list(findings)
    if any(finding.process_id != process.pk or finding.status == FindingStatus.DRAFT for finding in chosen):
        raise ValidationError({"findings": _("Only reviewed or approved findings of this process can be published.")})
    publication, _created = Publication.objects.get_or_create(process=process)
    publication.published, publication.intro, publication.include_decision = published, intro.strip(), include_decision
    publication.save()
    publication.findings.set(chosen)
    audit_record(process=process, actor=actor, action="update", obj=publication,
                 message=gettext_noop("Publication for members saved (published: %(published)s)"),
                 params={"published": published})
    return publication
