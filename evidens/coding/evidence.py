"""Handing coded text to the evidence base: a code with its passages, one cell of the code × group matrix, or a
single quote, each frozen as the page shows it now."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from evidens.coding import selectors
from evidens.coding.models import Code, Coding, Document, DocumentOrigin
from evidens.evidence.models import Channel, EvidenceItem
from evidens.evidence.services import evidence_item_save, evidence_items_erase


class NothingToSave(Exception):
    """The view has no passages to freeze."""

QUOTE_KEY = "coding:quote:"  # a saved quote's key: coding:quote:<document guid>:<start>:<end>


def _passages(segments: list[selectors.Segment]) -> dict[str, Any]:
    return {"headings": [_("Interviewee"), _("Passage"), _("Coded by")],
            "rows": [[segment.coding.document.label or segment.coding.document.title, segment.passage,
                      segment.coding.coder_name] for segment in segments]}


def _definition(code: Code, **more: Any) -> dict[str, Any]:
    return {"code": code.name, "code_definition": code.description,
            "texts": selectors.documents(code.process).count(), **more}


def code_save(*, code: Code, actor: Any) -> EvidenceItem:
    segments = selectors.segments(code.process, code=code)
    if not segments:
        raise NothingToSave
    groups = sorted({segment.coding.document.group for segment in segments})
    result = _passages(segments)
    result["notes"] = [_("%(passages)s passages in %(texts)s texts.") % {
        "passages": len(segments), "texts": len({segment.coding.document_id for segment in segments})}]
    return evidence_item_save(
        process=code.process, actor=actor, channel=Channel.INTERVIEWS,
        title=_("Code: %(code)s") % {"code": code.name}, source_key=f"coding:code:{code.guid}",
        definition=_definition(code, groups=[selectors.group_label(group) for group in groups]), result=result,
        link=reverse("coding:code_detail", args=[code.process.slug, code.pk]))


def cell_save(*, code: Code, group: str, actor: Any) -> EvidenceItem:
    segments = selectors.segments(code.process, code=code, group=group)
    if not segments:
        raise NothingToSave
    label = selectors.group_label(group)
    result = _passages(segments)
    texts = len({segment.coding.document_id for segment in segments})
    in_group = selectors.documents(code.process).filter(group=group).count()
    result["notes"] = [_("%(texts)s of %(group_size)s texts in the group have the code (%(passages)s passages).")
                       % {"texts": texts, "group_size": in_group, "passages": len(segments)}]
    return evidence_item_save(
        process=code.process, actor=actor, channel=Channel.INTERVIEWS,
        title=_("%(code)s among %(group)s") % {"code": code.name, "group": label},
        source_key=f"coding:cell:{code.guid}:{group}",
        definition=_definition(code, group=label, group_size=in_group), result=result,
        link=reverse("coding:matrix_cell", args=[code.process.slug, code.pk, group]))


def quote_save(*, coding: Coding, actor: Any) -> EvidenceItem:
    """A quote from an interview is attributed as its text is labelled; a survey answer to the group it answered in."""
    document = coding.document
    if document.origin == DocumentOrigin.SURVEY:
        channel, group = Channel.SURVEYS, selectors.speaker_at(document, coding.start)
        attribution = _("%(group)s, in the survey") % {"group": group} if group else document.title
    else:
        channel, group = Channel.INTERVIEWS, selectors.group_label(document.group)
        attribution = document.label or document.title
    return evidence_item_save(
        process=document.process, actor=actor, channel=channel,
        title=_("Quote: %(attribution)s on %(code)s") % {"attribution": attribution, "code": coding.code.name},
        source_key=f"{_quote_key(document)}{coding.start}:{coding.end}",
        definition={"code": coding.code.name, "text": document.title, "start": coding.start, "end": coding.end,
                    "group": group},
        result={"text": coding.passage, "attribution": attribution},
        link=reverse("coding:document", args=[document.process.slug, document.pk]) + f"?at={coding.start}#text")


def _quote_key(document: Document) -> str:
    return f"{QUOTE_KEY}{document.guid}:"


def document_quotes_erase(document: Document, *, span: tuple[int, int] | None = None) -> int:
    """Quotes from a text saved as evidence, deleted with the text when its speaker is erased; with ``span``, only
    the quotes that overlap it (a survey answer blanked in a text of many)."""
    if span is None:
        return evidence_items_erase(process=document.process, source_key_prefix=_quote_key(document))
    erased = 0
    for key in EvidenceItem.objects.filter(process=document.process, source_key__startswith=_quote_key(document)
                                           ).values_list("source_key", flat=True).distinct():
        start, end = (int(part) for part in key.rsplit(":", 2)[1:])
        # Erasing by prefix is exact enough: a key that begins another (…:13:21 of …:13:210) starts where the
        # other does and ends before it, so whatever overlaps the shorter overlaps the longer too.
        if start < span[1] and span[0] < end:
            erased += evidence_items_erase(process=document.process, source_key_prefix=key)
    return erased
