"""The coding pages under ``/p/<slug>/coding/``: the codebook, coding a text, the views across texts (matrix,
co-occurrence, search, quotes), agreement between coders, REFI-QDA exchange, and saving as evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.coding import charts, evidence, refiqda, selectors, services
from evidens.coding.forms import CodeForm, ImportForm, MemoForm, MergeForm
from evidens.coding.models import Code, Coding, Document, Memo
from evidens.core.feedback import errors_to_messages
from evidens.core.forms import add_service_errors
from evidens.core.numbers import whole_number
from evidens.evidence.feedback import evidence_saved_message
from evidens.processes.access import Permission, ProcessAccess, process_view

SHORTCUT_KEYS = "123456789"


def _code(access: ProcessAccess, code_id: int) -> Code:
    return get_object_or_404(Code, pk=code_id, process=access.process)


def _document(access: ProcessAccess, document_id: int) -> Document:
    return get_object_or_404(Document, pk=document_id, process=access.process)


def _coding(access: ProcessAccess, coding_id: int) -> Coding:
    return get_object_or_404(Coding.objects.select_related("document", "code"), pk=coding_id,
                             document__process=access.process)


def _posted_id(request: HttpRequest, name: str) -> int | None:
    return whole_number(request.POST.get(name, ""))


# --- codebook -----------------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def codebook(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = CodeForm(request.POST or None, process=access.process)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                code = services.code_create(process=access.process, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Code created: %(name)s") % {"name": code.name})
                return redirect("coding:codebook", access.process.slug)
    rows = selectors.codebook(access.process)
    return render(request, "coding/codebook.html", {
        "access": access, "tab": "codebook", "rows": rows, "form": form,
        "chart": charts.code_use(rows)})


@process_view(Permission.VIEW)
def code_detail(request: HttpRequest, access: ProcessAccess, code_id: int) -> HttpResponse:
    code = _code(access, code_id)
    form = CodeForm(request.POST or None, instance=code, process=access.process)
    if request.method == "POST":
        if not access.can_analyse:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                services.code_update(code=Code.objects.get(pk=code.pk), actor=request.user,
                                     **{name: form.cleaned_data[name] for name in form.changed_data})
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("coding:code_detail", access.process.slug, code.pk)
    return render(request, "coding/code_detail.html", {
        "access": access, "tab": "codebook", "code": code, "form": form, "merge_form": MergeForm(code=code),
        "memo_form": MemoForm(), "memos": code.memos.select_related("author"),
        "segments": selectors.segments(access.process, code=code)})


@require_POST
@process_view(Permission.ANALYSE)
def code_merge(request: HttpRequest, access: ProcessAccess, code_id: int) -> HttpResponse:
    code = _code(access, code_id)
    form = MergeForm(request.POST, code=code)
    if not form.is_valid():
        messages.error(request, _("Choose the code to merge into."))
        return redirect("coding:code_detail", access.process.slug, code.pk)
    target = form.cleaned_data["target"]
    try:
        moved = services.code_merge(source=code, target=target, actor=request.user)
    except ValidationError as error:
        errors_to_messages(request, error)
        return redirect("coding:code_detail", access.process.slug, code.pk)
    messages.success(request, _("%(source)s was merged into %(target)s; %(count)s codings moved.")
                     % {"source": code.name, "target": target.name, "count": moved})
    return redirect("coding:code_detail", access.process.slug, target.pk)


@require_POST
@process_view(Permission.ANALYSE)
def code_delete(request: HttpRequest, access: ProcessAccess, code_id: int) -> HttpResponse:
    code = _code(access, code_id)
    deleted = services.code_delete(code=code, actor=request.user)
    messages.success(request, _("%(name)s was deleted with its %(count)s codings.")
                     % {"name": code.name, "count": deleted})
    return redirect("coding:codebook", access.process.slug)


@require_POST
@process_view(Permission.ANALYSE)
def memo_add(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """A memo on a code, a text or a coding, whichever the form names; back to where it was written."""
    form = MemoForm(request.POST)
    target: dict[str, Any] = {}
    code_id, coding_id, document_id = (_posted_id(request, name) for name in ("code", "coding", "document"))
    if code_id is not None:
        target["code"] = _code(access, code_id)
        back = reverse("coding:code_detail", args=[access.process.slug, target["code"].pk])
    elif coding_id is not None:
        target["coding"] = _coding(access, coding_id)
        back = reverse("coding:document", args=[access.process.slug, target["coding"].document_id])
    elif document_id is not None:
        target["document"] = _document(access, document_id)
        back = reverse("coding:document", args=[access.process.slug, target["document"].pk])
    else:
        messages.error(request, _("Choose what the memo is about."))
        return redirect("coding:codebook", access.process.slug)
    if form.is_valid():
        services.memo_add(process=access.process, actor=request.user, text=form.cleaned_data["text"], **target)
        messages.success(request, _("Memo saved."))
    else:
        messages.error(request, _("Write the memo first."))
    return redirect(back)


@require_POST
@process_view(Permission.ANALYSE)
def memo_delete(request: HttpRequest, access: ProcessAccess, memo_id: int) -> HttpResponse:
    memo = get_object_or_404(Memo.objects.select_related("coding"), pk=memo_id, process=access.process)
    if memo.code_id:
        back = reverse("coding:code_detail", args=[access.process.slug, memo.code_id])
    else:
        document_id = memo.document_id or (memo.coding.document_id if memo.coding else None)
        back = reverse("coding:document", args=[access.process.slug, document_id])
    services.memo_delete(memo=memo, actor=request.user)
    messages.success(request, _("Memo deleted."))
    return redirect(back)


# --- coding a text ------------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def documents(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "coding/documents.html", {
        "access": access, "tab": "documents", "documents": selectors.documents(access.process)})


@process_view(Permission.VIEW)
def document(request: HttpRequest, access: ProcessAccess, document_id: int) -> HttpResponse:
    """Code a text. Each coder sees their own codings unless they ask for everyone's, so double coding stays
    independent; a reader sees everyone's."""
    text = _document(access, document_id)
    own = services.coder_name(request.user)
    coders = sorted({*Coding.objects.filter(document=text).values_list("coder_name", flat=True), own})
    # Those who cannot code have no codings of their own: they read everyone's.
    default = own if access.can_analyse else "*"
    shown = request.GET.get("coder", default)
    if shown not in coders and shown != "*":
        shown = default
    codings = selectors.document_codings(text, None if shown == "*" else shown)
    codebook_rows = selectors.codebook(access.process)
    suggest_code = None
    if request.GET.get("suggest"):
        suggest_code = get_object_or_404(Code, pk=request.GET["suggest"], process=access.process)
    return render(request, "coding/document.html", {
        "access": access, "tab": "documents", "document": text, "codings": codings,
        "spans": selectors.spans(text, codings), "codebook": codebook_rows, "coders": coders, "shown": shown,
        "own": own, "code_keys": [(row, SHORTCUT_KEYS[index] if index < len(SHORTCUT_KEYS) else "")
                                  for index, row in enumerate(codebook_rows)],
        "memos": selectors.memos_of(text), "memo_form": MemoForm(), "suggest_code": suggest_code,
        "suggestions": [(found, text.text[found.start:found.end])
                        for found in (selectors.suggestions(suggest_code, text) if suggest_code else [])],
        "interview_link": text.link})


def _back_to(access: ProcessAccess, document_id: int, at: int | None = None) -> HttpResponse:
    url = reverse("coding:document", args=[access.process.slug, document_id])
    return redirect(f"{url}?at={at}#text" if at is not None else f"{url}#text")


def _positions(request: HttpRequest) -> tuple[int, int] | None:
    try:
        return int(request.POST["start"]), int(request.POST["end"])
    except (KeyError, ValueError):
        return None


@require_POST
@process_view(Permission.ANALYSE)
def coding_apply(request: HttpRequest, access: ProcessAccess, document_id: int) -> HttpResponse:
    text = _document(access, document_id)
    positions = _positions(request)
    codes = list(Code.objects.filter(process=access.process, pk__in=[
        number for value in request.POST.getlist("code") if (number := whole_number(value)) is not None]))
    if positions is None:
        messages.error(request, _("Select some text to code."))
        return _back_to(access, text.pk)
    try:
        created = services.coding_apply(document=text, actor=request.user, codes=codes, start=positions[0],
                                        end=positions[1])
    except ValidationError as error:
        errors_to_messages(request, error)
        return _back_to(access, text.pk)
    if request.POST.get("suggestion"):
        messages.success(request, _("Suggestion accepted."))
    elif created:
        messages.success(request, _("Coded with %(codes)s.") % {"codes": ", ".join(c.code.name for c in created)})
    else:
        messages.info(request, _("The passage already had that code."))
    return _back_to(access, text.pk, positions[0])


@require_POST
@process_view(Permission.ANALYSE)
def coding_remove(request: HttpRequest, access: ProcessAccess, coding_id: int) -> HttpResponse:
    coding = _coding(access, coding_id)
    services.coding_remove(coding=coding, actor=request.user)
    messages.success(request, _("Coding removed: %(code)s.") % {"code": coding.code.name})
    return _back_to(access, coding.document_id, coding.start)


@require_POST
@process_view(Permission.ANALYSE)
def coding_quote(request: HttpRequest, access: ProcessAccess, coding_id: int) -> HttpResponse:
    coding = _coding(access, coding_id)
    services.coding_quote_set(coding=coding, actor=request.user, quote=not coding.quote)
    messages.success(request, _("Marked as a quote for reports.") if coding.quote
                     else _("No longer marked as a quote."))
    return _back_to(access, coding.document_id, coding.start)


@require_POST
@process_view(Permission.ANALYSE)
def coding_undo(request: HttpRequest, access: ProcessAccess, document_id: int) -> HttpResponse:
    text = _document(access, document_id)
    event = services.coding_undo(document=text, actor=request.user)
    if event is None:
        messages.info(request, _("There is nothing to undo."))
        return _back_to(access, text.pk)
    messages.success(request, _("Undone: %(code)s %(action)s.") % {"code": event.code.name,
                                                                   "action": event.get_action_display()})
    return _back_to(access, text.pk, event.start)


@require_POST
@process_view(Permission.ANALYSE)
def suggestion_reject(request: HttpRequest, access: ProcessAccess, document_id: int) -> HttpResponse:
    text = _document(access, document_id)
    code_id, positions = _posted_id(request, "code"), _positions(request)
    if code_id is None or positions is None:
        messages.error(request, _("There is no suggestion to reject."))
        return _back_to(access, text.pk)
    code = _code(access, code_id)
    services.suggestion_reject(document=text, code=code, start=positions[0], end=positions[1])
    messages.success(request, _("Suggestion rejected; it will not be proposed again."))
    url = reverse("coding:document", args=[access.process.slug, text.pk])
    return redirect(f"{url}?suggest={code.pk}#suggestions")


# --- across texts -------------------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def matrix(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    coder = request.GET.get("coder") or None
    coders = selectors.coders_of(access.process)
    coder = coder if coder in coders else None
    found = selectors.matrix(access.process, coder)
    return render(request, "coding/matrix.html", {
        "access": access, "tab": "matrix", "matrix": found, "coders": coders, "coder": coder,
        "chart": charts.matrix_heatmap(found)})


@process_view(Permission.VIEW)
def matrix_cell(request: HttpRequest, access: ProcessAccess, code_id: int, group: str) -> HttpResponse:
    code = _code(access, code_id)
    return render(request, "coding/matrix_cell.html", {
        "access": access, "tab": "matrix", "code": code, "group": group, "group_label": selectors.group_label(group),
        "segments": selectors.segments(access.process, code=code, group=group)})


@process_view(Permission.VIEW)
def cooccurrence(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    codes, pairs = selectors.cooccurrence(access.process)
    rows = [(code, [pairs.get((min(code.pk, other.pk), max(code.pk, other.pk))) if other.pk != code.pk else None
                    for other in codes]) for code in codes]
    return render(request, "coding/cooccurrence.html", {
        "access": access, "tab": "cooccurrence", "codes": codes, "rows": rows,
        "chart": charts.cooccurrence_heatmap(codes, pairs)})


@process_view(Permission.VIEW)
def search(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    return render(request, "coding/search.html", {
        "access": access, "tab": "search", "query": query, "hits": selectors.search(access.process, query)})


@process_view(Permission.VIEW)
def quotes(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "coding/quotes.html", {
        "access": access, "tab": "quotes", "segments": selectors.segments(access.process, quotes_only=True)})


@process_view(Permission.VIEW)
def agreement_list(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "coding/agreement_list.html", {
        "access": access, "tab": "agreement", "documents": selectors.double_coded(access.process)})


@process_view(Permission.VIEW)
def agreement_detail(request: HttpRequest, access: ProcessAccess, document_id: int) -> HttpResponse:
    text = _document(access, document_id)
    return render(request, "coding/agreement_detail.html", {
        "access": access, "tab": "agreement", "document": text, "agreement": selectors.document_agreement(text)})


# --- exchange and evidence ----------------------------------------------------------------------------------------


@process_view(Permission.VIEW)
def exchange(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return render(request, "coding/exchange.html", {"access": access, "tab": "exchange", "form": ImportForm()})


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@process_view(Permission.ANALYSE)
def export_project(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    return _download(refiqda.write_qdpx(selectors.qda_project(access.process)), f"{access.process.slug}.qdpx",
                     "application/zip")


@process_view(Permission.ANALYSE)
def export_codebook(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    try:
        content = refiqda.write_qdc(selectors.qda_codes(access.process))
    except refiqda.RefiError as error:
        messages.error(request, str(error))
        return redirect("coding:exchange", access.process.slug)
    return _download(content, f"{access.process.slug}.qdc", "application/xml")


@require_POST
@process_view(Permission.ANALYSE)
def import_file(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    summary = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or "project.qdpx"
        try:
            if name.lower().endswith(".qdc"):
                summary = services.codebook_import(process=access.process, actor=request.user, data=upload.read())
            else:
                summary = services.project_import(process=access.process, actor=request.user, data=upload.read(),
                                                  name=name)
        except ValidationError as error:
            add_service_errors(form, ValidationError({"file": error.messages}))
    return render(request, "coding/exchange.html", {"access": access, "tab": "exchange", "form": form,
                                                    "summary": summary})


@require_POST
@process_view(Permission.ANALYSE)
def save_evidence(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """Freeze a code with its passages, a matrix cell, or one quote as an evidence item."""
    kind, code_id, coding_id = request.POST.get("kind", ""), _posted_id(request, "code"), _posted_id(request, "coding")
    try:
        if kind == "code" and code_id is not None:
            item = evidence.code_save(code=_code(access, code_id), actor=request.user)
        elif kind == "cell" and code_id is not None:
            item = evidence.cell_save(code=_code(access, code_id), group=request.POST.get("group", ""),
                                      actor=request.user)
        elif kind == "quote" and coding_id is not None:
            item = evidence.quote_save(coding=_coding(access, coding_id), actor=request.user)
        else:
            raise evidence.NothingToSave
    except evidence.NothingToSave:
        messages.error(request, _("There is nothing to save for that view."))
        return redirect("coding:codebook", access.process.slug)
    evidence_saved_message(request, item)
    return redirect(item.link)

