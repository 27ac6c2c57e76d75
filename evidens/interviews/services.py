"""Every write of interviews: the guide's versions, the plan, consent and the transcript (handed to ``coding`` as a
text to code)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.coding.evidence import document_quotes_erase
from evidens.coding.models import DocumentOrigin
from evidens.coding.services import document_create, document_describe, document_text_replace
from evidens.interviews.guide import GuideError, parse_guide
from evidens.interviews.models import Interview, InterviewGuide, InterviewStatus
from evidens.interviews.transcripts import Transcript, TranscriptError, normalise, read_transcript, split_turns
from evidens.processes.audit import audit_record, changed_fields, field_values
from evidens.processes.models import StrategyProcess

INTERVIEW_FIELDS = ["label", "person", "group", "description", "interviewer", "date", "form", "status", "consent",
                    "consent_date", "guide", "notes"]


@transaction.atomic
def guide_save(*, process: StrategyProcess, actor: Any, title: str, text: str, note: str = "") -> InterviewGuide:
    """Write the guide's next version; interviews keep the version they were held with."""
    try:
        themes = parse_guide(text)
    except GuideError as error:
        raise ValidationError({"text": str(error)}) from None
    latest = InterviewGuide.objects.filter(process=process).aggregate(Max("version"))["version__max"] or 0
    guide = InterviewGuide.objects.create(
        process=process, version=latest + 1, title=title.strip(), themes=themes, note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(process=process, actor=actor, action="create", obj=guide,
                 message=gettext_noop("Interview guide saved as version %(version)s"),
                 params={"version": guide.version})
    return guide


def _check(process: StrategyProcess, interview: Interview) -> None:
    if Interview.objects.filter(process=process, label__iexact=interview.label).exclude(pk=interview.pk).exists():
        raise ValidationError({"label": _("Another interview is already called %(label)s.")
                               % {"label": interview.label}})
    if interview.person is not None and interview.person.process_id != process.pk:
        raise ValidationError({"person": _("The interviewee is not in this process's register.")})
    if interview.guide is not None and interview.guide.process_id != process.pk:
        raise ValidationError({"guide": _("The guide belongs to another process.")})


def _describe_text(interview: Interview) -> None:
    if interview.document is not None:
        document_describe(document=interview.document, title=interview.quote_label, group=interview.group,
                          label=interview.quote_label,
                          link=reverse("interviews:detail", args=[interview.process.slug, interview.pk]))


@transaction.atomic
def interview_create(*, process: StrategyProcess, actor: Any, **values: Any) -> Interview:
    interview = Interview(process=process, **values)
    _check(process, interview)
    interview.full_clean(exclude=["process", "document", "person", "guide"])
    interview.save()
    audit_record(process=process, actor=actor, action="create", obj=interview,
                 message=gettext_noop("Interview planned: %(label)s"), params={"label": interview.label})
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, actor: Any, **values: Any) -> Interview:
    before = field_values(interview, INTERVIEW_FIELDS)
    for name, value in values.items():
        setattr(interview, name, value)
    _check(interview.process, interview)
    interview.save()
    _describe_text(interview)
    changes = changed_fields(before, field_values(interview, INTERVIEW_FIELDS))
    if changes:
        audit_record(process=interview.process, actor=actor, action="update", obj=interview, changes=changes,
                     message=gettext_noop("Interview changed: %(label)s"), params={"label": interview.label})
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview, actor: Any) -> None:
    audit_record(process=interview.process, actor=actor, action="delete", obj=interview,
                 message=gettext_noop("Interview deleted: %(label)s"), params={"label": interview.label})
    document = interview.document
    interview.delete()
    if document is not None:
        document.delete()


def _transcript_attach(interview: Interview, actor: Any, transcript: Transcript, name: str) -> Interview:
    turns = [(turn.speaker, turn.start, turn.end) for turn in transcript.turns]
    if interview.document is None:
        interview.document = document_create(process=interview.process, origin=DocumentOrigin.INTERVIEW,
                                             title=interview.quote_label, text=transcript.text, turns=turns)
    else:
        document_text_replace(document=interview.document, text=transcript.text, turns=turns)
    interview.transcript_name = name[:255]
    interview.transcript_notes = transcript.notes
    if interview.status in (InterviewStatus.PLANNED, InterviewStatus.CONDUCTED):
        interview.status = InterviewStatus.TRANSCRIBED
    interview.save(update_fields=["document", "transcript_name", "transcript_notes", "status"])
    _describe_text(interview)
    audit_record(process=interview.process, actor=actor, action="update", obj=interview,
                 message=gettext_noop("Transcript added to %(label)s (%(characters)s characters, %(turns)s turns)"),
                 params={"label": interview.label, "characters": len(transcript.text), "turns": len(turns)})
    return interview


@transaction.atomic
def transcript_upload(*, interview: Interview, actor: Any, data: bytes, filename: str) -> Interview:
    """Read a DOCX, ODT or text file as the interview's transcript (NFC, line breaks ``\\n``, speaker turns)."""
    try:
        transcript = read_transcript(data, filename)
    except TranscriptError as error:
        raise ValidationError({"file": str(error)}) from None
    return _transcript_attach(interview, actor, transcript, filename)


@transaction.atomic
def transcript_paste(*, interview: Interview, actor: Any, text: str) -> Interview:
    normalised, notes = normalise(text)
    if not normalised.strip():
        raise ValidationError({"text": _("The transcript is empty.")})
    turns = split_turns(normalised)
    return _transcript_attach(interview, actor, Transcript(text=normalised, turns=turns, notes=notes),
                              _("pasted text"))


def person_interviews_erase(*, person_id: int, **_signal: Any) -> None:
    """A person's erasure takes their transcripts, codings and saved quotes with it; the interview stays as a
    planned slot. (Evidence saved from a whole code or matrix cell keeps its rows; see docs/decisions.md.)"""
    for interview in Interview.objects.filter(person_id=person_id).select_related("document"):
        document = interview.document
        interview.person = None
        interview.document = None
        interview.description = ""
        interview.transcript_name = ""
        interview.transcript_notes = []
        interview.notes = ""
        interview.save()
        if document is not None:
            document_quotes_erase(document)
            document.delete()


def person_interviews_data(*, person: Any, **_signal: Any) -> tuple[str, list[dict[str, Any]]]:
    return "interviews", [
        {"label": interview.label, "date": interview.date.isoformat() if interview.date else None,
         "form": interview.form, "consent": interview.consent,
         "consent_date": interview.consent_date.isoformat() if interview.consent_date else None,
         "description": interview.description, "notes": interview.notes,
         "transcript": interview.document.text if interview.document else None}
        for interview in Interview.objects.filter(person=person).select_related("document")]
