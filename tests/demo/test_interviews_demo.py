"""The demo's interviews as the issue asks for them: 20 interviews (8 members in different roles, 3 resident
democrats, 2 municipalities, 2 consultants, 1 contractor, 2 foundations, 1 sector organisation, 1 researcher),
each a Danish transcript of at least 800 words, a codebook of about ten themes, every interview coded, four of
them double-coded with realistic disagreement."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
import xmlschema
from django.core.management import call_command

from evidens.coding import selectors
from evidens.coding.models import Code, Coding
from evidens.demo import builder, interview_texts
from evidens.interviews.models import Interview, InterviewGuide

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
ISSUE_GROUPS = {"member": 8, "resident_democrat": 3, "municipality": 2, "adviser": 2, "contractor": 1,
                "foundation": 2, "sector": 1, "research": 1}
ISSUE_THEMES = ("vidensdeling", "netvaerk", "synlighed", "vaerktoejer", "partnerskaber", "baeredygtighed",
                "digitalisering", "kontingent")  # the issue's list of what the interviewees have views on


def test_the_transcript_files_follow_their_format_and_length() -> None:
    interviews = interview_texts.demo_interviews()
    assert [demo.label for demo in interviews] == [f"I{number:02d}" for number in range(1, 21)]
    keys = {code.key for code in interview_texts.CODEBOOK}
    for demo in interviews:
        own_turns = [turn for turn in demo.turns if turn.speaker == demo.label]
        words = sum(len(re.findall(r"\w+", demo.text[turn.start:turn.end])) for turn in own_turns)
        assert words >= 800, (demo.label, words)
        assert {turn.speaker for turn in demo.turns} == {"Interviewer", demo.label}
        assert all(set(turn.codes) <= keys for turn in demo.turns)
        assert sum(1 for turn in own_turns if turn.codes) >= 10, demo.label
        assert re.search("[æøå]", demo.text)
    # Each voice is its own: no two interviews share a long passage.
    openings = Counter(demo.text[turn.start:turn.start + 80] for demo in interviews for turn in demo.turns
                       if turn.speaker == demo.label)
    assert openings.most_common(1)[0][1] == 1
    covered = {key for demo in interviews for turn in demo.turns for key in turn.codes}
    assert set(ISSUE_THEMES) <= covered


@pytest.mark.django_db
def test_the_demo_interviews_are_planned_transcribed_and_coded(django_user_model: type) -> None:
    from evidens.processes.services import process_create, user_create

    process = process_create(slug="interview-demo", name="Interviewdemo")
    users = {role: user_create(username=name, password="x") for role, name in
             (("analyst", "analytiker"), ("secretariat", "sekretariat"))}
    builder.register_build(builder.DemoContext(process=process, actor=None, users=users))
    builder.interviews_build(builder.DemoContext(process=process, actor=None, users=users))

    interviews = list(Interview.objects.filter(process=process).select_related("document", "person"))
    assert Counter(interview.group for interview in interviews) == ISSUE_GROUPS
    member_roles = {interview.description.split(",")[0] for interview in interviews if interview.group == "member"}
    assert len(member_roles) >= 6  # "members in different roles"
    assert all(interview.person is not None and interview.document is not None for interview in interviews)
    assert len({interview.person_id for interview in interviews}) == 20
    assert [guide.version for guide in InterviewGuide.objects.filter(process=process)] == [2, 1]

    assert 10 <= Code.objects.filter(process=process, parent__isnull=True).count() <= 12
    assert Code.objects.filter(process=process, parent__isnull=False).exists()  # a hierarchy
    for interview in interviews:
        assert Coding.objects.filter(document=interview.document, coder_name="analytiker").count() >= 10
    double = selectors.double_coded(process)
    assert sorted(document.label.split(",")[0] for document in double) == list(interview_texts.DOUBLE_CODED)
    for document in double:
        found = selectors.document_agreement(document)
        assert found.coders == ["analytiker", "sekretariat"]
        # Realistic: the coders mostly agree, but not everywhere.
        assert found.overall is not None and 0.6 <= found.overall < 0.97, (document.title, found.overall)
        assert found.disagreements
    # Quotes only from interviews whose consent allows quoting.
    quoted = Interview.objects.filter(process=process, document__codings__quote=True).distinct()
    assert quoted.exists() and all(interview.consent == "anonymous_quotes" for interview in quoted)


@pytest.mark.django_db
def test_the_demo_interviews_export_as_a_valid_refi_qda_project(tmp_path: Path) -> None:
    """The whole coded demo through ``evidens qda export``: valid against the REFI-QDA schemas, with every coding."""
    from evidens.processes.services import process_create, user_create

    process = process_create(slug="qda-demo", name="QDA-demo")
    users = {role: user_create(username=name, password="x") for role, name in
             (("analyst", "analytiker"), ("secretariat", "sekretariat"))}
    builder.interviews_build(builder.DemoContext(process=process, actor=None, users=users))
    out = tmp_path / "demo.qdpx"
    stdout = io.StringIO()
    call_command("qda_export", process=process.slug, out=str(out), as_json=True, stdout=stdout)
    counts = json.loads(stdout.getvalue())
    assert counts == {"sources": 20, "codes": Code.objects.filter(process=process).count(),
                      "codings": Coding.objects.filter(document__process=process).count()}
    with zipfile.ZipFile(out) as archive:
        xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd").validate(io.BytesIO(archive.read("project.qde")))
    codebook = tmp_path / "demo.qdc"
    call_command("qda_export", process=process.slug, out=str(codebook), as_json=True, stdout=io.StringIO())
    xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd").validate(str(codebook))
