"""The three reports built from a process's data, kept as versions, downloaded, previewed and built by the command:
opened as PDF and Word files and checked for their headings, their sources and that no hidden number leaks."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import docx
import numpy
import pypdf
import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evidens.charts import specs
from evidens.cli import command_line
from evidens.coding.models import Document
from evidens.evidence import services as evidence_services
from evidens.evidence.models import EvidenceItem
from evidens.interviews.models import ConsentScope, Interview
from evidens.reports import builders, render, services
from evidens.reports.document import Figure, Heading, Paragraph, Quote, Table
from evidens.reports.models import BuildStatus, Publication, ReportBuild
from evidens.stakeholders.models import Organisation, Person
from evidens.strategy import selectors as strategy_selectors
from evidens.strategy import services as strategy_services
from evidens.strategy.models import WeightMethod
from evidens.surveys import services as survey_services
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
SCALE = ["Intet", "Lidt", "Noget", "Meget", "Rigtig meget"]
FINDING = "Vidensbanken er det mest brugte tilbud blandt små boligorganisationer."


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def evidence(cast: Cast) -> dict[str, Any]:
    chart = specs.bar_chart([{"tilbud": "Vidensbank", "n": 41}, {"tilbud": "Kurser", "n": 23}], "n", "tilbud",
                            labels=specs.ChartLabels(description="Mest brugte tilbud"))
    table = evidence_services.evidence_item_save(
        process=cast.process, actor=None, channel="surveys", title="Mest brugte tilbud", source_key="survey:1:q",
        definition={"counting": "Andel af de 64 svar fra medlemmer."}, chart=chart, link="/p/proc/surveys/1/",
        result={"headings": ["Tilbud", "Antal"], "rows": [["Vidensbank", 41], ["Kurser", 23]]})
    quote = _quote(cast, "I07", ConsentScope.ANONYMOUS_QUOTES, "Vi slår op i vidensbanken hver uge.")
    internal = _quote(cast, "I08", ConsentScope.INTERNAL_ONLY, "Det her må ikke citeres.")
    assumption = evidence_services.assumption_create(process=cast.process, actor=None,
                                                     statement="De små medlemmer bruger vidensbanken.")
    finding = evidence_services.finding_create(process=cast.process, actor=None, statement=FINDING,
                                               status="approved")
    for item in (table, quote, internal):
        evidence_services.finding_evidence_link(finding=finding, actor=None, item=item, stance="supports")
    evidence_services.assumption_finding_link(assumption=assumption, actor=None, finding=finding, stance="supports")
    evidence_services.verdict_set(assumption=assumption, actor=None, verdict="confirmed", reason="To kanaler.",
                                  proposed="confirmed")
    evidence_services.need_create(process=cast.process, actor=None, segment="Små boligorganisationer",
                                  statement="Korte vejledninger, de kan slå op i.", findings=[finding])
    return {"table": table, "quote": quote, "internal": internal, "finding": finding}


def _quote(cast: Cast, label: str, consent: str, text: str, person: Person | None = None) -> EvidenceItem:
    """A quote saved from an interview's transcript, as coding.evidence.quote_save keys it."""
    document = Document.objects.create(process=cast.process, origin="interview", title=label, text=text,
                                       group="member")
    Interview.objects.create(process=cast.process, label=label, group="member", consent=consent, document=document,
                             person=person,
                             status="transcribed", date=date(2021, 3, 3 if label == "I07" else 9))
    return evidence_services.evidence_item_save(
        process=cast.process, actor=None, channel="interviews", title=f"Citat: {label}, direktør",
        source_key=f"coding:quote:{document.guid}:0:{len(text)}", definition={"group": "Direktører"},
        link="/p/proc/coding/1/", result={"text": text, "attribution": label})


def test_the_knowledge_report_cites_its_evidence(cast: Cast, evidence: dict[str, Any]) -> None:
    document = builders.knowledge_report(cast.process)
    table, quote, internal = evidence["table"], evidence["quote"], evidence["internal"]
    assert [reference.key for reference in document.references] == [f"E{key.pk}" for key in (table, quote, internal)]
    # The interviewee who allowed only internal use is neither quoted nor named among the sources.
    assert document.references[2].title == "Et citat fra et interview, kun til internt brug"
    titles = [block.text for block in document.blocks if isinstance(block, Heading) and block.level == 1]
    assert titles == ["Sammenfatning", "Metode", "Resultater pr. kanal", "Antagelser og konklusioner", "Fund",
                      "Behov pr. segment", "Citater"]
    figures = [block for block in document.blocks if isinstance(block, Figure)]
    assert [figure.refs for figure in figures] == [(f"E{table.pk}",)]
    need = next(block for block in document.blocks if isinstance(block, Paragraph) and "vejledninger" in block.text)
    assert need.refs == (f"E{table.pk}", f"E{quote.pk}", f"E{internal.pk}")  # the evidence of the finding behind it
    assert any(isinstance(block, Paragraph) and block.text == "Interviews: 2 interviews med interessenter gennemført. "
               "Periode: 3. marts 2021 – 9. marts 2021." for block in document.blocks)
    quotes = [block for block in document.blocks if isinstance(block, Quote)]
    assert [(block.text, block.source) for block in quotes] == [("Vi slår op i vidensbanken hver uge.",
                                                                   "Direktører")]
    pdf = render.render_pdf(document)
    text = _pdf_text(pdf)
    assert FINDING in text.replace("\n", " ") and "Kilder" in text and "Mest brugte tilbud" in text
    assert "Andel af de 64 svar fra medlemmer." in text.replace("\n", " ")
    assert "må ikke citeres" not in text and "I08" not in text
    word = docx.Document(io.BytesIO(render.render_docx(document)))
    headings = [paragraph.text for paragraph in word.paragraphs if paragraph.style.name == "Heading 1"]
    assert "Antagelser og konklusioner" in headings and len(word.inline_shapes) == 1


def _ink(image: Any, box: tuple[int, int, int, int]) -> int:
    """How many pixels inside ``box`` (left, top, right, bottom) are not white paper."""
    return int((numpy.asarray(image.crop(box).convert("L")) < 200).sum())


def _coloured(image: Any) -> int:
    """How many pixels carry colour rather than grey: text is near black or grey, a chart's bars are not."""
    pixels = numpy.asarray(image.convert("RGB")).astype(int)
    return int((pixels.max(axis=2) - pixels.min(axis=2) > 60).sum())


def test_the_pdf_pages_render_as_a_report(cast: Cast, evidence: dict[str, Any]) -> None:
    """The PDF drawn page by page (by PDFium, not by the program that wrote it) and saved for a person to look at:
    A4 pages, a front page without running header, later pages with the header above and the page number below
    the text area, and a chart that draws in colour."""
    pdf = pypdfium2.PdfDocument(render.render_pdf(builders.knowledge_report(cast.process)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    images = []
    for number, page in enumerate(pdf, start=1):
        assert [round(side) for side in page.get_size()] == [595, 842]  # A4 in points
        image = page.render(scale=1).to_pil()  # 72 dpi: one pixel per point
        image.save(ARTIFACTS / f"vidensrapport-side-{number}.png")
        images.append(image)
    assert len(images) >= 3
    header, footer = (0, 0, 595, 60), (300, 782, 595, 842)  # inside the 24 mm (68 pt) margins
    assert _ink(images[0], header) == 0 and _ink(images[0], footer) == 0
    assert all(_ink(image, header) > 0 and _ink(image, footer) > 0 for image in images[1:])
    assert all(_ink(image, (0, 68, 595, 774)) > 500 for image in images)  # no blank page
    assert sum(1 for image in images if _coloured(image) > 1000) >= 1  # the survey chart, drawn as vectors


def _scored_board(cast: Cast) -> None:
    """Two options besides the status quo, one criterion, one member: enough for a ranking and a decision."""
    hub = strategy_services.option_create(process=cast.process, actor=None, title="Videnshub",
                                          summary="Sektorens videnscenter.")
    strategy_services.option_create(process=cast.process, actor=None, title="Netværksforening")
    value = strategy_services.criterion_create(process=cast.process, actor=None, group="Værdi",
                                               name="Værdi for medlemmerne", scale=SCALE)
    chair = strategy_services.panellist_create(process=cast.process, actor=None, name="Karen Holm")
    strategy_services.weighting_save(panellist=chair, actor=None, method=WeightMethod.DIRECT,
                                     points={value.pk: 100})
    for option, score in zip(strategy_selectors.options(cast.process), (2, 5, 3), strict=True):
        strategy_services.option_scores_save(panellist=chair, actor=None, option=option,
                                             entries={value: {"value": score}})
    decision = strategy_services.decision_create(
        process=cast.process, actor=None, option=hub, meeting="Bestyrelsesmøde", decided_on=date(2021, 11, 25),
        votes_for=5, votes_against=0, votes_abstain=0, rationale="Hubben giver medlemmerne mest.")
    strategy_services.decision_sign_off(decision=decision, actor=None,
                                        record=strategy_selectors.decision_record(decision, samples=100))


def test_the_decision_memo_holds_the_options_the_ranking_and_the_signed_decision(cast: Cast) -> None:
    _scored_board(cast)
    document = builders.decision_memo(cast.process)
    chapters = [block.text for block in document.blocks if isinstance(block, Heading) and block.level == 1]
    assert chapters == ["Mulighederne", "Kriterier og vægte", "Scorer", "Rangordning", "Robusthed",
                        "Validering med interessenter", "Beslutningen"]
    member_table = next(block for block in document.blocks if isinstance(block, Table)
                        and block.caption == "Scorer fra Karen Holm")
    assert member_table.rows == (("Status quo", "2"), ("Videnshub", "5"), ("Netværksforening", "3"))
    decision = strategy_selectors.decisions(cast.process).get()
    text = _pdf_text(render.render_pdf(document)).replace("\n", " ")
    assert decision.content_hash in text.replace(" ", "")
    assert "Hubben giver medlemmerne mest." in text and "25. november 2021" in text
    word = docx.Document(io.BytesIO(render.render_docx(document)))
    assert len(word.inline_shapes) == sum(isinstance(block, Figure) for block in document.blocks) >= 3


def _answer(cast: Cast, survey: Any, segment: str, count: int, value: str) -> None:
    people = make_people(cast, count, segment=segment)
    survey_services.recipients_add(survey=survey, actor=None, people=type(people[0]).objects.filter(
        pk__in=[person.pk for person in people]))
    for recipient in survey.recipients.filter(segment=segment):
        draft = survey_services.draft_for_recipient(recipient=recipient)
        for section, answers in enumerate(({"medlem": "ja"}, {"tilfreds": value}, {})):
            survey_services.draft_save_page(draft=draft, section=section, page_answers=answers, go_to=section + 1)
        survey_services.response_submit(draft=draft)


def test_the_survey_report_hides_small_groups_in_every_format(cast: Cast) -> None:
    survey = make_survey(cast)
    _answer(cast, survey, "Medlemmer", 6, "5")
    _answer(cast, survey, "Kommuner", 3, "1")  # below the threshold of 5: never shown as a group of its own
    document = builders.survey_report(survey, by="segment")
    tables = [block for block in document.blocks if isinstance(block, Table)]
    comparisons = [table for table in tables if table.caption == "Efter segment"]
    # Medlemmer alone would give away Kommuner by subtraction from the total, so both are pooled.
    assert comparisons and all(table.headings == ("Svar", "Andre grupper") for table in comparisons)
    assert "n = 9" in {table.caption for table in tables}
    pdf_text = _pdf_text(render.render_pdf(document))
    word = docx.Document(io.BytesIO(render.render_docx(document)))
    word_text = " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    html = render.render_html(document)
    for text in (pdf_text, word_text, html):
        assert "Kommuner" not in text and "Medlemmer" not in text and "Andre grupper" in text


def test_a_build_is_a_version_with_its_sources_and_a_failed_request_stores_nothing(
        cast: Cast, evidence: dict[str, Any], immediate_tasks: None, client_for: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["analyst"])
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:list", args=[cast.process.slug]),
                                   {"kind": "vidensrapport", "file_format": "docx"})
        assert response.status_code == 302
    builds = list(ReportBuild.objects.filter(process=cast.process).order_by("version"))
    assert [(build.version, build.status) for build in builds] == [(1, BuildStatus.DONE), (2, BuildStatus.DONE)]
    assert [reference["key"] for reference in builds[1].sources["references"]] == [
        f"E{evidence[name].pk}" for name in ("table", "quote", "internal")]
    download = client.get(reverse("reports:download", args=[cast.process.slug, builds[1].pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert docx.Document(io.BytesIO(b"".join(download.streaming_content))).core_properties.title == "Vidensrapport"
    page = client.get(reverse("reports:list", args=[cast.process.slug])).content.decode()
    assert "Hent" in page and "Vidensrapport" in page
    with pytest.raises(ValidationError):
        services.report_build_create(process=cast.process, actor=None, kind="survey", file_format="pdf")
    assert ReportBuild.objects.filter(process=cast.process).count() == 2
    assert client_for(cast.users["reader"]).post(reverse("reports:list", args=[cast.process.slug]), {
        "kind": "vidensrapport", "file_format": "pdf"}).status_code == 403


def test_interviewees_are_named_only_with_their_consent_and_when_the_secretariat_chooses_it(
        cast: Cast, evidence: dict[str, Any], immediate_tasks: None, client_for: Any,
        django_capture_on_commit_callbacks: Any, tmp_path: Path) -> None:
    housing = Organisation.objects.create(process=cast.process, name="Boligselskabet Åen")
    agreed = Person.objects.create(process=cast.process, name="Karen Holm", organisation=housing)
    named = _quote(cast, "I09", ConsentScope.NAMED_QUOTES, "Netværket er grunden til, at vi er medlemmer.", agreed)
    # The interviewee who agreed only to anonymous quotes is a known person too, and must stay unnamed.
    Interview.objects.filter(label="I07").update(person=Person.objects.create(process=cast.process, name="Jens Berg"))
    anonymous = "Vi slår op i vidensbanken hver uge."

    def sources(document: Any) -> dict[str, str]:
        return {block.text: block.source for block in document.blocks if isinstance(block, Quote)}

    assert sources(builders.knowledge_report(cast.process)) == {
        anonymous: "Direktører", named.result["text"]: "Direktører"}
    assert sources(builders.knowledge_report(cast.process, identified_quotes=True)) == {
        anonymous: "Direktører", named.result["text"]: "Karen Holm, Boligselskabet Åen (Direktører)"}

    # Through the page: the analyst cannot ask for names (not offered, and ignored), the secretariat can.
    url = reverse("reports:list", args=[cast.process.slug])
    assert "identified_quotes" not in client_for(cast.users["analyst"]).get(url).content.decode()
    for role in ("analyst", "secretariat"):
        with django_capture_on_commit_callbacks(execute=True):
            client_for(cast.users[role]).post(url, {"kind": "vidensrapport", "file_format": "pdf",
                                                    "identified_quotes": "on"})
    unnamed, with_names = ReportBuild.objects.filter(process=cast.process).order_by("version")
    assert (unnamed.identified_quotes, with_names.identified_quotes) == (False, True)
    assert with_names.sources["identified_quotes"] is True
    assert "Karen Holm" not in _pdf_text(unnamed.file.read())
    text = _pdf_text(with_names.file.read()).replace("\n", " ")
    assert "Karen Holm, Boligselskabet Åen" in text and "Jens Berg" not in text

    # The command asks for names with a flag; a person erased since then is no longer named.
    agreed.erased_at = timezone.now()
    agreed.save()
    out = tmp_path / "vidensrapport.docx"
    call_command(*command_line(["report", "build", "--process", cast.process.slug, "--kind", "vidensrapport",
                                "--format", "docx", "--out", str(out), "--identified-quotes"]), stdout=io.StringIO())
    words = "\n".join(paragraph.text for paragraph in docx.Document(str(out)).paragraphs)
    assert named.result["text"] in words and "Karen Holm" not in words


def test_the_preview_is_the_report_as_a_page(cast: Cast, evidence: dict[str, Any], client_for: Any) -> None:
    response = client_for(cast.users["reader"]).get(reverse("reports:preview_knowledge", args=[cast.process.slug]))
    page = response.content.decode()
    assert response.status_code == 200 and FINDING in page and "<svg" in page


def test_the_command_builds_a_report_to_a_file(cast: Cast, evidence: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "vidensrapport.pdf"
    call_command(*command_line(["report", "build", "--process", cast.process.slug, "--kind", "vidensrapport",
                                "--format", "pdf", "--out", str(out)]), stdout=io.StringIO())
    assert FINDING in _pdf_text(out.read_bytes()).replace("\n", " ")
    assert ReportBuild.objects.get(process=cast.process).status == BuildStatus.DONE
    assert EvidenceItem.objects.filter(process=cast.process).count() == 3  # building changes nothing it reads


def test_the_members_page_shows_what_the_secretariat_chose_without_a_login(
        cast: Cast, evidence: dict[str, Any], client_for: Any) -> None:
    _scored_board(cast)
    draft = evidence_services.finding_create(process=cast.process, actor=None, statement="Et udkast, ikke færdigt.")
    secretariat = client_for(cast.users["secretariat"])
    url = reverse("reports:publication", args=[cast.process.slug])
    response = secretariat.post(url, {"published": "on", "intro": "Sådan valgte bestyrelsen.",
                                      "findings": [draft.pk], "include_decision": "on"})
    assert response.status_code == 200  # a draft finding cannot be published
    secretariat.post(url, {"published": "on", "intro": "Sådan valgte bestyrelsen.",
                           "findings": [evidence["finding"].pk], "include_decision": "on"})
    publication = Publication.objects.get(process=cast.process)
    secretariat.logout()
    page = secretariat.get(reverse("public_page", args=[publication.token])).content.decode()
    assert FINDING in page and "interviews, spørgeskema" in page  # the channels behind it, in words
    assert "Den valgte strategi: Videnshub" in page and "Hubben giver medlemmerne mest." in page
    assert "Karen Holm" not in page and "Vi slår op i vidensbanken" not in page  # no names, no quotes
    client_for(cast.users["secretariat"]).post(url, {"intro": "", "include_decision": "on"})
    assert client_for(cast.users["reader"]).get(reverse("public_page", args=[publication.token])).status_code == 404
    assert client_for(cast.users["analyst"]).get(url).status_code == 403
