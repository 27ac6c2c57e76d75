"""The coding pages over a small hand-made case: one interview transcript coded by two coders.

The text (code points; "👍" is one):

    "Interviewer: Hvad bruger I?\\nI01: Vi bruger netværket 👍. Kontingentet er for højt.\\nInterviewer: Tak.\\n"

Coder u-analyst codes "Vi bruger netværket 👍." (Netværk) and "Kontingentet er for højt." (Kontingent, a quote);
coder u-secretariat codes only "Vi bruger netværket 👍." (Netværk). By hand: the text is a member's (group
member); Netværk is in 1 text with 2 passages, Kontingent in 1 text with 1 passage; the two coders disagree only on
Kontingent.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidens.coding import services
from evidens.coding.models import Code, Coding, CodingEvent, Document, Memo
from evidens.evidence.models import Channel, EvidenceItem
from evidens.interviews import services as interview_services
from tests.conftest import Cast

TEXT = "Interviewer: Hvad bruger I?\nI01: Vi bruger netværket 👍. Kontingentet er for højt.\nInterviewer: Tak.\n"
NETWORK = "Vi bruger netværket 👍."
FEE = "Kontingentet er for højt."


@pytest.fixture
def coded(cast: Cast) -> dict[str, Any]:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    interview = interview_services.interview_create(process=cast.process, actor=None, label="I01", group="member",
                                                    description="driftschef, lille boligorganisation")
    interview = interview_services.transcript_paste(interview=interview, actor=None, text=TEXT)
    document = interview.document
    assert document is not None
    network = services.code_create(process=cast.process, actor=None, name="Netværk", keywords="netværk")
    fee = services.code_create(process=cast.process, actor=None, name="Kontingent", keywords="kontingent")
    start = document.text.index(NETWORK)
    services.coding_apply(document=document, actor=analyst, codes=[network], start=start, end=start + len(NETWORK))
    services.coding_apply(document=document, actor=secretariat, codes=[network], start=start,
                          end=start + len(NETWORK))
    fee_start = document.text.index(FEE)
    (quote,) = services.coding_apply(document=document, actor=analyst, codes=[fee], start=fee_start,
                                     end=fee_start + len(FEE))
    services.coding_quote_set(coding=quote, actor=analyst, quote=True)
    return {"document": document, "network": network, "fee": fee, "quote": quote, "interview": interview}


def _url(name: str, cast: Cast, *args: Any) -> str:
    return reverse(f"coding:{name}", args=[cast.process.slug, *args])


def test_the_pages_show_the_coding(cast: Cast, coded: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["reader"])
    document = coded["document"]
    codebook = client.get(_url("codebook", cast)).content.decode()
    assert "Netværk" in codebook and "Kontingent" in codebook

    # A reader reads everyone's codings; a coder sees their own unless asking for everyone's.
    everyone = client.get(_url("document", cast, document.pk)).content.decode()
    assert everyone.count('class="coded"') == 2  # the two coded sentences, each one span
    assert "Kod markeringen" not in everyone  # no coding panel without the right to code
    coder = client_for(cast.users["secretariat"])
    own = coder.get(_url("document", cast, document.pk)).content.decode()
    assert own.count('class="coded"') == 1 and "Kod markeringen" in own
    assert coder.get(_url("document", cast, document.pk) + "?coder=*").content.decode().count('class="coded"') == 2
    client = client_for(cast.users["reader"])

    matrix = client.get(_url("matrix", cast)).content.decode()
    assert f'href="/p/proc/coding/matrix/{coded["network"].pk}/member/">1 <span class="meta">(2)</span>' in matrix
    cell = client.get(_url("matrix_cell", cast, coded["network"].pk, "member")).content.decode()
    assert cell.count('data-testid="segment"') == 2 and "I01, driftschef, lille boligorganisation" in cell

    hits = client.get(_url("search", cast) + "?q=netværk").content.decode()
    assert "<mark>netværket</mark>" in hits
    quotes = client.get(_url("quotes", cast)).content.decode()
    assert "<mark>Kontingentet er for højt.</mark>" in quotes

    agreement = client.get(_url("agreement_detail", cast, document.pk)).content.decode()
    assert "u-analyst, u-secretariat" in agreement
    assert "<q>Kontingentet er for højt.</q>" in agreement  # the one disagreement
    assert client.get(_url("agreement", cast)).content.decode().count(document.title) == 1
    assert client.get(_url("cooccurrence", cast)).status_code == 200


def test_the_analyst_codes_removes_undoes_and_marks_a_quote(cast: Cast, coded: dict[str, Any],
                                                              client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    document, fee = coded["document"], coded["fee"]
    start = document.text.index(NETWORK)
    response = client.post(_url("coding_apply", cast, document.pk),
                           {"start": start, "end": start + len(NETWORK), "code": [fee.pk]})
    assert response.status_code == 302 and response["Location"].endswith(f"?at={start}#text")
    added = Coding.objects.get(document=document, code=fee, coder_name="u-analyst", start=start)
    assert added.passage == NETWORK

    client.post(_url("coding_undo", cast, document.pk))
    assert not Coding.objects.filter(pk=added.pk).exists()

    client.post(_url("coding_remove", cast, coded["quote"].pk))
    assert not Coding.objects.filter(pk=coded["quote"].pk).exists()
    client.post(_url("coding_undo", cast, document.pk))
    restored = Coding.objects.get(document=document, code=fee, coder_name="u-analyst")
    assert restored.quote

    client.post(_url("coding_quote", cast, restored.pk))
    restored.refresh_from_db()
    assert not restored.quote
    assert not CodingEvent.objects.filter(coder=cast.users["analyst"]).exclude(action="applied").exists()

    # A selection outside the text is refused with a message, nothing stored.
    before = Coding.objects.count()
    response = client.post(_url("coding_apply", cast, document.pk), {"start": 0, "end": 10_000,
                                                                     "code": [fee.pk]}, follow=True)
    assert "Markeringen ligger ikke inden for teksten." in response.content.decode()
    assert Coding.objects.count() == before


def test_suggestions_are_offered_accepted_and_rejected(cast: Cast, coded: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    document, network = coded["document"], coded["network"]
    network.keywords = "bruger"
    network.save()
    page = client.get(_url("document", cast, document.pk) + f"?suggest={network.pk}").content.decode()
    suggested = page[page.index('data-testid="suggestions"'):]
    # The question's sentence, without the speaker's "Interviewer: "; the coded answer is not proposed again.
    assert "<q>Hvad bruger I?</q>" in suggested and f"<q>{NETWORK}</q>" not in suggested
    question = document.text.index("Hvad bruger I?")
    client.post(_url("suggestion_reject", cast, document.pk),
                {"code": network.pk, "start": question, "end": question + len("Hvad bruger I?")})
    page = client.get(_url("document", cast, document.pk) + f"?suggest={network.pk}").content.decode()
    assert "<q>Hvad bruger I?</q>" not in page
    # Accepting codes the sentence.
    client.post(_url("coding_apply", cast, document.pk), {"code": network.pk, "start": question,
                                                          "end": question + 14, "suggestion": "1"})
    assert Coding.objects.filter(document=document, code=network, start=question, coder_name="u-analyst").exists()


def test_codes_are_edited_merged_deleted_and_memos_written(cast: Cast, coded: dict[str, Any],
                                                           client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    network, fee = coded["network"], coded["fee"]
    response = client.post(_url("codebook", cast), {"name": "netværk", "colour": "#112233"})
    assert "Kodebogen har allerede en kode, der hedder netværk." in response.content.decode()
    client.post(_url("codebook", cast), {"name": "Fællesskab", "colour": "#112233", "parent": network.pk})
    child = Code.objects.get(name="Fællesskab")
    assert child.parent == network
    client.post(_url("memo_add", cast), {"code": fee.pk, "text": "Små medlemmer klager."})
    client.post(_url("code_merge", cast, fee.pk), {"target": network.pk})
    assert not Code.objects.filter(pk=fee.pk).exists()
    assert Coding.objects.filter(code=network).count() == 3
    assert Memo.objects.get(text="Små medlemmer klager.").code == network
    client.post(_url("code_delete", cast, network.pk))
    assert Code.objects.get(pk=child.pk).parent is None
    assert not Coding.objects.exists()


def test_a_code_a_cell_and_a_quote_become_evidence(cast: Cast, coded: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    network, quote = coded["network"], coded["quote"]
    client.post(_url("save_evidence", cast), {"kind": "code", "code": network.pk})
    client.post(_url("save_evidence", cast), {"kind": "cell", "code": network.pk, "group": "member"})
    response = client.post(_url("save_evidence", cast), {"kind": "quote", "coding": quote.pk})
    items = {item.source_key.split(":")[1]: item for item in EvidenceItem.objects.filter(process=cast.process)}
    assert set(items) == {"code", "cell", "quote"}
    assert all(item.channel == Channel.INTERVIEWS for item in items.values())
    assert items["quote"].result == {"text": FEE, "attribution": "I01, driftschef, lille boligorganisation"}
    assert [row[1] for row in items["cell"].result["rows"]] == [NETWORK, NETWORK]
    assert items["cell"].result["notes"] == ["1 af 1 tekster i gruppen har koden (2 passager)."]
    assert response["Location"] == items["quote"].link
    # Nothing to save: a message, no item.
    response = client.post(_url("save_evidence", cast), {"kind": "code", "code": "x"}, follow=True)
    assert "Der er intet at gemme" in response.content.decode()
    assert EvidenceItem.objects.count() == 3


def test_export_and_import_through_the_pages(cast: Cast, coded: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["analyst"])
    project = client.get(_url("export_project", cast))
    assert project["Content-Disposition"] == 'attachment; filename="proc.qdpx"'
    with zipfile.ZipFile(io.BytesIO(project.content)) as archive:
        qde = archive.read("project.qde").decode()
    start = TEXT.index(FEE)  # no emoji before it in the text's code points: "👍" counts 1, as Python does
    assert f'startPosition="{start}" endPosition="{start + len(FEE)}"' in qde

    other = client_for(cast.other_member)
    response = other.post(reverse("coding:import", args=[cast.other_process.slug]),
                          {"file": SimpleUploadedFile("proc.qdpx", project.content)})
    page = response.content.decode()
    assert "3 kodninger" in page and "1 tekst" in page
    imported = Document.objects.get(process=cast.other_process)
    assert sorted(coding.passage for coding in imported.codings.all()) == sorted([NETWORK, NETWORK, FEE])

    response = other.post(reverse("coding:import", args=[cast.other_process.slug]),
                          {"file": SimpleUploadedFile("broken.qdpx", b"not a zip")})
    assert "ikke et zip-arkiv" in response.content.decode()
    assert json.loads(json.dumps(Document.objects.filter(process=cast.other_process).count())) == 1
