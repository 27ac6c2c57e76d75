"""Every write of qualitative coding: the codebook, the texts, codings with undo, memos, suggestions, REFI-QDA
import, and handing a code, a matrix cell or a quote to the evidence base."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.coding import refiqda
from evidens.coding.evidence import document_quotes_erase
from evidens.coding.models import (
    CODE_COLOURS,
    Code,
    Coding,
    CodingAction,
    CodingEvent,
    Document,
    DocumentOrigin,
    Memo,
    RejectedSuggestion,
)
from evidens.processes.audit import audit_record, changed_fields, field_values
from evidens.processes.models import StrategyProcess

CODE_FIELDS = ["name", "parent", "description", "examples", "keywords", "colour"]


def coder_name(actor: Any) -> str:
    return str(actor.get_username())


# --- codebook -----------------------------------------------------------------------------------------------------


def _check_name(process: StrategyProcess, name: str, code: Code | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A code needs a name.")})
    clash = Code.objects.filter(process=process, name__iexact=name)
    if code is not None:
        clash = clash.exclude(pk=code.pk)
    if clash.exists():
        raise ValidationError({"name": _("The codebook already has a code called %(name)s.") % {"name": name}})
    return name


def _check_parent(process: StrategyProcess, parent: Code | None, code: Code | None = None) -> None:
    if parent is None:
        return
    if parent.process_id != process.pk:
        raise ValidationError({"parent": _("The parent code belongs to another process.")})
    ancestor: Code | None = parent
    while ancestor is not None:
        if code is not None and ancestor.pk == code.pk:
            raise ValidationError({"parent": _("A code cannot be placed under itself or one of its own codes.")})
        ancestor = ancestor.parent


def _next_position(process: StrategyProcess, parent: Code | None) -> int:
    highest = Code.objects.filter(process=process, parent=parent).aggregate(Max("position"))["position__max"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def code_create(*, process: StrategyProcess, actor: Any, name: str, parent: Code | None = None,
                description: str = "", examples: str = "", keywords: str = "", colour: str = "") -> Code:
    name = _check_name(process, name)
    _check_parent(process, parent)
    code = Code.objects.create(
        process=process, parent=parent, name=name, description=description, examples=examples, keywords=keywords,
        colour=colour or CODE_COLOURS[Code.objects.filter(process=process).count() % len(CODE_COLOURS)],
        position=_next_position(process, parent))
    audit_record(process=process, actor=actor, action="create", obj=code,
                 message=gettext_noop("Code created: %(name)s"), params={"name": name})
    return code


@transaction.atomic
def code_update(*, code: Code, actor: Any, **values: Any) -> Code:
    """Rename, redefine or move a code (a new ``parent``); its codings stay where they are."""
    process = code.process
    before = field_values(code, CODE_FIELDS)
    if "name" in values:
        values["name"] = _check_name(process, values["name"], code)
    if "parent" in values and values["parent"] != code.parent:
        _check_parent(process, values["parent"], code)
        code.position = _next_position(process, values["parent"])
    for name, value in values.items():
        setattr(code, name, value)
    code.save()
    changes = changed_fields(before, field_values(code, CODE_FIELDS))
    if changes:
        audit_record(process=process, actor=actor, action="update", obj=code, changes=changes,
                     message=gettext_noop("Code changed: %(name)s"), params={"name": code.name})
    return code


@transaction.atomic
def code_merge(*, source: Code, target: Code, actor: Any) -> int:
    """Move every coding, memo and sub-code of ``source`` to ``target`` and delete ``source``. A coding ``target``
    already has (same text, coder and range) is not doubled. Returns the number of codings moved."""
    if source.pk == target.pk or source.process_id != target.process_id:
        raise ValidationError(_("Choose another code of the same codebook to merge into."))
    _check_parent(source.process, target, source)
    moved = 0
    for coding in Coding.objects.filter(code=source):
        twin = Coding.objects.filter(document_id=coding.document_id, code=target, coder_name=coding.coder_name,
                                     start=coding.start, end=coding.end).first()
        if twin is None:
            coding.code = target
            coding.save(update_fields=["code"])
            moved += 1
        else:
            twin.quote = twin.quote or coding.quote
            twin.save(update_fields=["quote"])
            Memo.objects.filter(coding=coding).update(coding=twin)
            coding.delete()
    Memo.objects.filter(code=source).update(code=target)
    CodingEvent.objects.filter(code=source).update(code=target)
    RejectedSuggestion.objects.filter(code=source).delete()
    for position, child in enumerate(Code.objects.filter(parent=source), start=_next_position(source.process,
                                                                                               target)):
        child.parent, child.position = target, position
        child.save(update_fields=["parent", "position"])
    audit_record(process=source.process, actor=actor, action="update", obj=target,
                 message=gettext_noop("Code %(source)s merged into %(target)s (%(count)s codings moved)"),
                 params={"source": source.name, "target": target.name, "count": moved})
    source.delete()
    return moved


@transaction.atomic
def code_delete(*, code: Code, actor: Any) -> int:
    """Delete a code and its codings; its sub-codes move up to its parent. Returns the number of codings deleted."""
    for child in Code.objects.filter(parent=code):
        child.parent = code.parent
        child.position = _next_position(code.process, code.parent)
        child.save(update_fields=["parent", "position"])
    deleted = Coding.objects.filter(code=code).count()
    audit_record(process=code.process, actor=actor, action="delete", obj=code,
                 message=gettext_noop("Code deleted: %(name)s (%(count)s codings)"),
                 params={"name": code.name, "count": deleted})
    code.delete()
    return deleted


# --- texts --------------------------------------------------------------------------------------------------------


@transaction.atomic
def document_create(*, process: StrategyProcess, origin: str, title: str, text: str,
                    turns: Sequence[tuple[str, int, int]] = (), group: str = "", label: str = "",
                    link: str = "") -> Document:
    return Document.objects.create(process=process, origin=origin, title=title[:300], text=text,
                                   turns=[list(turn) for turn in turns], group=group, label=label[:200], link=link)


@transaction.atomic
def document_describe(*, document: Document, title: str, group: str, label: str, link: str) -> Document:
    document.title, document.group, document.label, document.link = title[:300], group, label[:200], link
    document.save(update_fields=["title", "group", "label", "link"])
    return document


@transaction.atomic
def document_text_replace(*, document: Document, text: str, turns: Sequence[tuple[str, int, int]]) -> Document:
    """A new version of the text. Refused once the text is coded: the codings' positions would point elsewhere."""
    if Coding.objects.filter(document=document).exists():
        raise ValidationError(_("The transcript has been coded, so its text can no longer be replaced. "
                                "Remove the codings first, or add the new text as another interview."))
    document.text, document.turns = text, [list(turn) for turn in turns]
    document.save(update_fields=["text", "turns"])
    return document


ERASED_MARK = "·"  # what an erased passage turns into, one for each character, so every position stays where it was


@transaction.atomic
def document_turn_blank(*, document: Document, passage: str) -> bool:
    """Blank one not yet blanked turn whose text is ``passage`` (a survey answer of a person being erased),
    keeping every position where it was, so codings elsewhere still point at their words; the quotes taken from
    that turn leave the evidence base. One turn only: another person may have written the same words, and equal
    answers cannot be told apart. Returns whether a turn was blanked."""
    for _speaker, start, end in document.turns:
        if document.text[start:end] == passage:
            document.text = document.text[:start] + ERASED_MARK * (end - start) + document.text[end:]
            document.save(update_fields=["text"])
            document_quotes_erase(document, span=(start, end))
            return True
    return False


# --- coding -------------------------------------------------------------------------------------------------------


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    if not 0 <= start <= end <= len(text):
        raise ValidationError(_("The selection is not within the text."))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError(_("Select some text to code."))
    return start, end


@transaction.atomic
def coding_apply(*, document: Document, actor: Any, codes: Sequence[Code], start: int, end: int) -> list[Coding]:
    """Code the passage ``start``–``end`` (code points; surrounding white space left out) with each of ``codes``
    as the actor. A code the actor already gave exactly this passage is not doubled."""
    if not codes:
        raise ValidationError(_("Choose at least one code."))
    if any(code.process_id != document.process_id for code in codes):
        raise ValidationError(_("The code belongs to another process."))
    start, end = _trimmed(document.text, start, end)
    created = []
    for code in codes:
        coding, is_new = Coding.objects.get_or_create(
            document=document, code=code, coder_name=coder_name(actor), start=start, end=end,
            defaults={"coder": actor})
        if is_new:
            created.append(coding)
            CodingEvent.objects.create(document=document, coder=actor, action=CodingAction.APPLIED, code=code,
                                       start=start, end=end, owner=actor, owner_name=coding.coder_name)
    return created


@transaction.atomic
def coding_remove(*, coding: Coding, actor: Any) -> None:
    CodingEvent.objects.create(document=coding.document, coder=actor, action=CodingAction.REMOVED, code=coding.code,
                               start=coding.start, end=coding.end, quote=coding.quote, owner=coding.coder,
                               owner_name=coding.coder_name)
    coding.delete()


@transaction.atomic
def coding_undo(*, document: Document, actor: Any) -> CodingEvent | None:
    """Take back the actor's last step on this text: remove what was applied, restore what was removed (to the
    coder whose coding it was)."""
    event = CodingEvent.objects.filter(document=document, coder=actor).order_by("-at", "-id").first()
    if event is None:
        return None
    if event.action == CodingAction.APPLIED:
        Coding.objects.filter(document=document, code=event.code, coder_name=event.owner_name, start=event.start,
                              end=event.end).delete()
    else:
        Coding.objects.get_or_create(document=document, code=event.code, coder_name=event.owner_name,
                                     start=event.start, end=event.end,
                                     defaults={"coder": event.owner, "quote": event.quote})
    event.delete()
    return event


@transaction.atomic
def coding_quote_set(*, coding: Coding, actor: Any, quote: bool) -> Coding:
    coding.quote = quote
    coding.save(update_fields=["quote"])
    return coding


@transaction.atomic
def memo_add(*, process: StrategyProcess, actor: Any, text: str, code: Code | None = None,
             document: Document | None = None, coding: Coding | None = None) -> Memo:
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the memo first.")})
    return Memo.objects.create(process=process, author=actor if getattr(actor, "is_authenticated", False) else None,
                               text=text, code=code, document=document, coding=coding)


@transaction.atomic
def memo_delete(*, memo: Memo, actor: Any) -> None:
    memo.delete()


@transaction.atomic
def suggestion_reject(*, document: Document, code: Code, start: int, end: int) -> None:
    RejectedSuggestion.objects.get_or_create(document=document, code=code, start=start, end=end)


# --- REFI-QDA -----------------------------------------------------------------------------------------------------


@dataclass
class ExchangeSummary:
    sources: int = 0
    codes: int = 0
    codings: int = 0
    merged_codes: list[str] = field(default_factory=list)
    new_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"sources": self.sources, "codes": self.codes, "codings": self.codings}


def _merge_codebook(process: StrategyProcess, actor: Any, codes: Sequence[refiqda.Code],
                    summary: ExchangeSummary) -> dict[str, Code]:
    """The process's code for each imported code GUID: the one of the same name, or a new one."""
    existing = {code.name.casefold(): code for code in Code.objects.filter(process=process)}
    before = set(existing)
    by_guid: dict[str, Code] = {}
    pending = list(codes)
    while pending:  # parents before children, whatever order the file lists them in
        ready = [code for code in pending if code.parent is None or code.parent in by_guid
                 or code.parent not in {other.guid for other in pending}]
        if not ready:
            raise ValidationError(_("The codebook's codes are nested in a circle."))
        for incoming in ready:
            pending.remove(incoming)
            name = incoming.name.strip()[:120] or _("Unnamed code")
            parent = by_guid.get(incoming.parent or "")
            if name.casefold() in existing and name.casefold() not in before and parent is not None:
                # The file itself has two codes of this name under different parents (QualCoder allows it):
                # they stay two codes, the later one named after its parent.
                name = f"{name} ({parent.name})"[:120]
            match = existing.get(name.casefold())
            if match is not None:
                if name.casefold() in before:
                    summary.merged_codes.append(match.name)
            else:
                colour = incoming.colour if len(incoming.colour) == 7 else ""
                match = code_create(process=process, actor=actor, name=name, description=incoming.description,
                                    parent=parent, colour=colour)
                existing[name.casefold()] = match
                summary.new_codes.append(match.name)
            by_guid[incoming.guid] = match
    summary.codes = len(codes)
    return by_guid


@transaction.atomic
def codebook_import(*, process: StrategyProcess, actor: Any, data: bytes) -> ExchangeSummary:
    summary = ExchangeSummary()
    _merge_codebook(process, actor, _read(refiqda.read_qdc, data), summary)
    audit_record(process=process, actor=actor, action="create", obj=None,
                 message=gettext_noop("Codebook imported: %(codes)s codes (%(merged)s merged by name)"),
                 params={"codes": summary.codes, "merged": len(summary.merged_codes)})
    return summary


def _read(reader: Any, data: bytes) -> Any:
    try:
        return reader(data)
    except refiqda.RefiError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def project_import(*, process: StrategyProcess, actor: Any, data: bytes, name: str) -> ExchangeSummary:
    """Bring a REFI-QDA project in: codes merged by name, each source a new text (or the same text again when it
    came from this process), codings kept with their coders. All or nothing."""
    project: refiqda.Project = _read(refiqda.read_qdpx, data)
    summary = ExchangeSummary(notes=list(project.notes))
    codes = _merge_codebook(process, actor, project.codes, summary)
    documents: dict[str, Document] = {}
    for source in project.sources:
        guid = _uuid_or_none(source.guid)
        same = Document.objects.filter(process=process, guid=guid, text=source.text).first() if guid else None
        documents[source.guid] = same or Document.objects.create(
            process=process, origin=DocumentOrigin.IMPORTED, title=source.name[:300] or name, text=source.text,
            guid=guid or uuid.uuid4())
    summary.sources = len(project.sources)
    for coding in project.codings:
        document, code = documents.get(coding.source), codes.get(coding.code)
        if document is None or code is None:
            continue
        Coding.objects.get_or_create(document=document, code=code, coder_name=(coding.coder or _("imported"))[:150],
                                     start=coding.start, end=coding.end)
        summary.codings += 1
    audit_record(process=process, actor=actor, action="create", obj=None,
                 message=gettext_noop("REFI-QDA project imported from %(name)s: %(sources)s texts, %(codes)s codes, "
                                      "%(codings)s codings"),
                 params={"name": name, **summary.counts()})
    return summary


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
