"""Reads of qualitative coding that the pages, the evidence snapshots and the REFI-QDA export share."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations, pairwise
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from evidens.coding import agreement, refiqda
from evidens.coding.models import Code, Coding, Document, Memo, RejectedSuggestion
from evidens.processes.models import StrategyProcess
from evidens.stakeholders.choices import StakeholderGroup

if TYPE_CHECKING:
    from evidens.coding.suggest import Suggestion

CONTEXT_CHARACTERS = 160


@dataclass(frozen=True)
class CodeRow:
    code: Code
    depth: int
    codings: int
    documents: int


def codebook(process: StrategyProcess) -> list[CodeRow]:
    """The codes in tree order (each followed by its sub-codes), with how much they are used."""
    codes = list(Code.objects.filter(process=process).annotate(
        coding_count=Count("codings"), document_count=Count("codings__document", distinct=True)))
    children: dict[int | None, list[Code]] = defaultdict(list)
    for code in codes:
        children[code.parent_id].append(code)
    rows: list[CodeRow] = []

    def visit(parent: int | None, depth: int) -> None:
        for code in children.get(parent, []):
            rows.append(CodeRow(code, depth, code.coding_count, code.document_count))  # type: ignore[attr-defined]
            visit(code.pk, depth + 1)

    visit(None, 0)
    return rows


def documents(process: StrategyProcess) -> QuerySet[Document]:
    return (Document.objects.filter(process=process)
            .annotate(coding_count=Count("codings"), coder_count=Count("codings__coder_name", distinct=True)))


def coders_of(process: StrategyProcess) -> list[str]:
    return sorted(set(Coding.objects.filter(document__process=process).values_list("coder_name", flat=True)))


def group_label(key: str) -> str:
    return str(StakeholderGroup(key).label) if key in StakeholderGroup.values else key


def speaker_at(document: Document, offset: int) -> str:
    """Who speaks at ``offset`` of the text ("" outside every turn): an interviewee, or a survey answer's group."""
    return next((str(speaker) for speaker, start, end in document.turns if start <= offset < end), "")


# --- one text -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    codings: tuple[Coding, ...]
    speaker: str = ""  # set on the first span of a speaker's turn


def spans(document: Document, codings: Sequence[Coding]) -> list[Span]:
    """The text cut at every coding boundary and turn start, each piece with the codings covering it."""
    text = document.text
    turn_starts = {start: speaker for speaker, start, _end in document.turns}
    cuts = sorted({0, len(text), *turn_starts, *(c.start for c in codings), *(c.end for c in codings)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = tuple(c for c in codings if c.start <= start and end <= c.end)
        pieces.append(Span(start, end, text[start:end], covering, turn_starts.get(start, "")))
    return pieces


def document_codings(document: Document, coder: str | None = None) -> list[Coding]:
    found = Coding.objects.filter(document=document).select_related("code")
    if coder:
        found = found.filter(coder_name=coder)
    codings = list(found.order_by("start", "end", "code__position"))
    for coding in codings:
        coding.document = document  # for the passages, without loading the text again per coding
    return codings


def memos_of(document: Document) -> list[Memo]:
    return list(Memo.objects.filter(Q(document=document) | Q(coding__document=document))
                .select_related("author", "coding__code", "coding__document"))


# --- segments with context ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    coding: Coding
    before: str
    passage: str
    after: str


def segment_of(coding: Coding) -> Segment:
    """The coded passage and the text around it, cut at the turn it sits in when the text has turns."""
    text = coding.document.text
    floor, ceiling = 0, len(text)
    for _speaker, start, end in coding.document.turns:
        if start <= coding.start < end:
            floor, ceiling = start, max(end, coding.end)
    lower, upper = max(floor, coding.start - CONTEXT_CHARACTERS), min(ceiling, coding.end + CONTEXT_CHARACTERS)
    before, after = text[lower:coding.start], text[coding.end:upper]
    return Segment(coding, ("…" if lower > floor else "") + before.lstrip("\n"), text[coding.start:coding.end],
                   after.rstrip("\n") + ("…" if upper < ceiling else ""))


def segments(process: StrategyProcess, *, code: Code | None = None, group: str | None = None,
             quotes_only: bool = False, coder: str | None = None) -> list[Segment]:
    found = Coding.objects.filter(document__process=process).select_related("document", "code")
    if code is not None:
        found = found.filter(code=code)
    if group is not None:
        found = found.filter(document__group=group)
    if quotes_only:
        found = found.filter(quote=True)
    if coder:
        found = found.filter(coder_name=coder)
    return [segment_of(coding) for coding in found.order_by("document__title", "start", "end", "id")]


# --- code × group matrix and co-occurrence ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    group: str
    passages: int
    documents: int


@dataclass
class Matrix:
    groups: list[tuple[str, str, int]]  # key, label, number of coded texts in the group
    rows: list[tuple[CodeRow, list[MatrixCell]]] = field(default_factory=list)


def matrix(process: StrategyProcess, coder: str | None = None) -> Matrix:
    """Codes down, stakeholder groups across: in each cell the passages coded and the texts they are in."""
    codings = Coding.objects.filter(document__process=process)
    if coder:
        codings = codings.filter(coder_name=coder)
    counts = {(row["code_id"], row["document__group"]): (row["passages"], row["texts"]) for row in
              codings.values("code_id", "document__group").annotate(passages=Count("id"),
                                                                     texts=Count("document", distinct=True))}
    group_sizes = Counter(Document.objects.filter(process=process).values_list("group", flat=True))
    order = {key: position for position, key in enumerate(StakeholderGroup.values)}
    keys = sorted(group_sizes, key=lambda key: (order.get(key, len(order)), key))
    result = Matrix(groups=[(key, group_label(key), group_sizes[key]) for key in keys])
    for row in codebook(process):
        cells = [MatrixCell(key, *counts.get((row.code.pk, key), (0, 0))) for key in keys]
        result.rows.append((row, cells))
    return result


def cooccurrence(process: StrategyProcess, coder: str | None = None) -> tuple[list[Code], dict[tuple[int, int], int]]:
    """How many times two codes were given to overlapping passages of the same text (by the same coder)."""
    codings = Coding.objects.filter(document__process=process).only("document_id", "code_id", "coder_name", "start",
                                                                    "end")
    if coder:
        codings = codings.filter(coder_name=coder)
    by_text: dict[tuple[int, str], list[Coding]] = defaultdict(list)
    for coding in codings:
        by_text[(coding.document_id, coding.coder_name)].append(coding)
    pairs: Counter[tuple[int, int]] = Counter()
    for group in by_text.values():
        for first, second in combinations(group, 2):
            if first.code_id != second.code_id and first.start < second.end and second.start < first.end:
                pairs[(min(first.code_id, second.code_id), max(first.code_id, second.code_id))] += 1
    codes = [row.code for row in codebook(process)]
    return codes, dict(pairs)


# --- search ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    document: Document
    start: int
    end: int
    before: str
    match: str
    after: str


_WORD = re.compile(r"\w+(?:-\w+)*")


def search(process: StrategyProcess, query: str, limit: int = 200) -> list[SearchHit]:
    """Words of the query found in every text, inflected forms included (Danish stems): "renovering" also finds
    "renoveringerne". A query in quotes finds that exact phrase."""
    # spaCy (behind the Danish stemmer) takes over a second to load: only searching and suggesting pay for it.
    from evidens.text import danish

    query = query.strip()
    if not query:
        return []
    hits: list[SearchHit] = []
    phrase = query[1:-1].strip() if len(query) > 2 and query[0] == query[-1] == '"' else ""
    stems = {danish.stem(word.lower()) for word in _WORD.findall(query)}
    for document in Document.objects.filter(process=process).order_by("title"):
        text = document.text
        if phrase:
            found: Iterable[tuple[int, int]] = ((m.start(), m.end()) for m in
                                                re.finditer(re.escape(phrase), text, re.IGNORECASE))
        else:
            found = ((m.start(), m.end()) for m in _WORD.finditer(text)
                     if danish.stem(m.group().lower()) in stems)
        for start, end in found:
            lower, upper = max(0, start - 80), min(len(text), end + 80)
            hits.append(SearchHit(document, start, end, text[lower:start], text[start:end], text[end:upper]))
            if len(hits) >= limit:
                return hits
    return hits


# --- suggestions ----------------------------------------------------------------------------------------------------


def suggestions(code: Code, document: Document) -> list[Suggestion]:
    """Sentences of the text that the code's keywords point to and that nobody has coded with it or rejected."""
    from evidens.coding.suggest import parse_keywords, suggest_segments  # loads spaCy; see search()

    keywords = parse_keywords(code.keywords)
    if not keywords:
        return []
    taken = [(c.start, c.end) for c in Coding.objects.filter(document=document, code=code)]
    taken += [(r.start, r.end) for r in RejectedSuggestion.objects.filter(document=document, code=code)]
    found = suggest_segments(document.text, keywords, taken=taken)
    # A sentence that opens a turn starts after the speaker's "I07: ", which is no part of what was said.
    turn_starts = [start for _speaker, start, _end in document.turns]
    return [replace(suggestion, start=next((start for start in turn_starts
                                            if suggestion.start < start < suggestion.end), suggestion.start))
            for suggestion in found]


# --- agreement -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeAgreement:
    code: Code
    alpha: float | None
    kappa: float | None
    undefined: str  # why α is not defined, when it is not


@dataclass(frozen=True)
class DisagreementRow:
    code: Code
    start: int
    end: int
    passage: str
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]


@dataclass
class Agreement:
    coders: list[str]
    overall: float | None
    overall_undefined: str
    codes: list[CodeAgreement]
    disagreements: list[DisagreementRow]


def _measure(measure: object, *args: object) -> tuple[float | None, str]:
    try:
        return float(measure(*args)), ""  # type: ignore[operator]
    except agreement.AgreementUndefined as error:
        return None, str(error)


def document_agreement(document: Document, coders: Sequence[str] | None = None) -> Agreement:
    """Agreement between the coders of one text, character by character (see ``agreement``): α per code and over
    all codes, Cohen's κ for the first two coders, and every passage where the coders differ."""
    codings = list(Coding.objects.filter(document=document).select_related("code"))
    coders = list(coders) if coders else sorted({coding.coder_name for coding in codings})
    if len(coders) < 2:
        return Agreement(coders, None, _("Agreement needs at least two coders."), [], [])
    length = len(document.text)
    ranges: dict[int, list[list[tuple[int, int]]]] = {}
    codes: dict[int, Code] = {}
    for coding in codings:
        if coding.coder_name in coders:
            codes[coding.code_id] = coding.code
            ranges.setdefault(coding.code_id, [[] for _coder in coders])[coders.index(coding.coder_name)].append(
                (coding.start, coding.end))
    ordered = [row.code for row in codebook(document.process) if row.code.pk in codes]
    per_code: list[CodeAgreement] = []
    rows: list[DisagreementRow] = []
    all_units: list[list[int]] = [[] for _coder in coders]
    for code in ordered:
        presence = agreement.presence_matrix(ranges[code.pk], length)
        for units, row in zip(all_units, presence, strict=True):
            units.extend(row)
        alpha, why = _measure(agreement.krippendorff_alpha, presence)
        kappa, _why = _measure(agreement.cohen_kappa, presence[0], presence[1]) if len(coders) == 2 else (None, "")
        per_code.append(CodeAgreement(code, alpha, kappa, why))
        for found in agreement.disagreements(ranges[code.pk], length):
            coded_by = tuple(coders[index] for index in found.coders)
            rows.append(DisagreementRow(code, found.start, found.end, document.text[found.start:found.end], coded_by,
                                        tuple(coder for coder in coders if coder not in coded_by)))
    overall, overall_why = (_measure(agreement.krippendorff_alpha, all_units) if len(coders) >= 2 and ordered
                            else (None, ""))
    rows.sort(key=lambda row: (row.start, row.end))
    return Agreement(coders, overall, overall_why, per_code, rows)


def double_coded(process: StrategyProcess) -> QuerySet[Document]:
    return documents(process).filter(coder_count__gte=2)  # type: ignore[misc]  # an annotation of documents()


# --- REFI-QDA -------------------------------------------------------------------------------------------------------


def qda_codes(process: StrategyProcess) -> list[refiqda.Code]:
    rows = codebook(process)
    guids = {row.code.pk: str(row.code.guid) for row in rows}
    return [refiqda.Code(guid=guids[row.code.pk], name=row.code.name, description=row.code.description,
                         colour=row.code.colour, parent=guids.get(row.code.parent_id or 0)) for row in rows]


def qda_project(process: StrategyProcess) -> refiqda.Project:
    texts = list(Document.objects.filter(process=process).order_by("title", "id"))
    codings = Coding.objects.filter(document__process=process).select_related("code", "document")
    return refiqda.Project(
        codes=qda_codes(process),
        sources=[refiqda.Source(guid=str(text.guid), name=text.title, text=text.text) for text in texts],
        codings=[refiqda.Coding(source=str(coding.document.guid), start=coding.start, end=coding.end,
                                code=str(coding.code.guid), coder=coding.coder_name) for coding in codings])
