"""``evidens survey inspect | import | list | export | results`` on real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from evidens.cli import command_line
from evidens.stakeholders.models import Person
from evidens.surveys import services
from evidens.surveys.models import Recipient, Survey
from tests.conftest import Cast
from tests.surveys.conftest import make_people, make_survey, members_and_channels

DATA = Path(__file__).resolve().parents[1] / "data"
GROUP_FORM = DATA / "xlsform" / "group.xlsx"
LIMESURVEY = DATA / "limesurvey" / "limesurvey_survey_allinoneCondition.lss"


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*command_line(list(args)), stdout=out)
    return out.getvalue()


def test_inspect_prints_the_normalised_json_without_a_database(tmp_path: Path) -> None:
    # A subprocess with no database at all: inspect must not need one.
    result = subprocess.run([sys.executable, "-m", "evidens", "survey", "inspect", str(GROUP_FORM), "--json"],
                            capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "EVIDENS_DATA_DIR": str(tmp_path / "none"),
                                 "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 0, result.stderr
    inspected = json.loads(result.stdout)
    assert set(inspected) >= {"title", "languages", "questions", "type_mapping"}
    # group.xlsx (read by hand): a text question outside any group, then a group "father" with a phone number.
    assert inspected["languages"] == ["en"]
    first, second = inspected["questions"][:2]
    assert set(first) == {"name", "type", "label", "choices", "items", "relevance", "required", "group"}
    assert (first["name"], first["type"], first["group"]) == ("family_name", "short_text", None)
    assert (second["name"], second["group"]) == ("phone_number", "father")
    assert inspected["type_mapping"]["xlsform"]["select_one"] == "single_choice"
    assert inspected["type_mapping"]["limesurvey"]["L (List (radio))"] == "single_choice"
    assert not (tmp_path / "none" / "evidens.sqlite3").exists()


def test_inspect_exits_2_naming_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.lss"
    broken.write_bytes(LIMESURVEY.read_bytes()[:4000])
    with pytest.raises(CommandError) as error:
        _run("survey", "inspect", str(broken), "--json")
    assert error.value.returncode == 2
    assert "LimeSurvey-filen er ikke velformet XML" in str(error.value)
    with pytest.raises(CommandError) as missing:
        _run("survey", "inspect", str(tmp_path / "findes-ikke.xlsx"))
    assert missing.value.returncode == 2


@pytest.mark.django_db
def test_import_then_list(cast: Cast) -> None:
    out = _run("survey", "import", str(LIMESURVEY), "--process", "proc")
    survey = Survey.objects.get(process=cast.process)
    assert f"Kladden {survey.pk}" in out or str(survey.pk) in out
    assert survey.status == "draft" and survey.working_copy().sections
    listed = json.loads(_run("survey", "list", "--process", "proc", "--json"))
    assert listed == [{"id": survey.pk, "title": survey.title, "status": "draft", "anonymous": True,
                       "recipients": 0, "complete": 0, "partial": 0}]


@pytest.mark.django_db
def test_list_counts_recipients_complete_and_partial(cast: Cast) -> None:
    survey = make_survey(cast)
    make_people(cast, 3)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    first, second, _third = Recipient.objects.filter(survey=survey).order_by("id")
    done = services.draft_for_recipient(recipient=first)
    services.draft_save_page(draft=done, section=0, page_answers={"medlem": "nej"}, go_to=2)
    services.response_submit(draft=done)
    begun = services.draft_for_recipient(recipient=second)
    services.draft_save_page(draft=begun, section=0, page_answers={"medlem": "ja"}, go_to=1)
    listed = json.loads(_run("survey", "list", "--process", "proc", "--json"))
    assert (listed[0]["recipients"], listed[0]["complete"], listed[0]["partial"]) == (3, 1, 1)


@pytest.mark.django_db
def test_export_writes_each_format(cast: Cast, tmp_path: Path) -> None:
    survey = make_survey(cast, anonymous=False)
    make_people(cast, 1)
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=cast.process))
    draft = services.draft_for_recipient(recipient=Recipient.objects.get(survey=survey))
    services.draft_save_page(draft=draft, section=0, page_answers={"medlem": "nej", "kanaler": ["web"]}, go_to=2)
    services.draft_save_page(draft=draft, section=2, page_answers={"kommentar": "Æblegrød på Ærø"}, go_to=2)
    services.response_submit(draft=draft)
    for file_format in ("csv", "xlsx", "sav", "codebook"):
        _run("survey", "export", "--survey", str(survey.pk), "--format", file_format,
             "--out", str(tmp_path / f"svar.{file_format}"))
    rows = list(csv.reader(io.StringIO((tmp_path / "svar.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[1][rows[0].index("kommentar")] == "Æblegrød på Ærø"
    assert rows[1][rows[0].index("medlem")] == "Nej"
    frame, meta = pyreadstat.read_sav(str(tmp_path / "svar.sav"))
    assert meta.column_names_to_labels["medlem"] == "Er din organisation medlem?"
    assert meta.variable_value_labels["medlem"] == {1.0: "Ja", 2.0: "Nej"}
    assert frame["medlem"].tolist() == [2.0]
    assert load_workbook(tmp_path / "svar.xlsx").sheetnames == ["Besvarelser", "Kodebog"]
    codebook = list(csv.reader(io.StringIO((tmp_path / "svar.codebook").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    assert codebook[0][0] == "Variabel" and any(row[0] == "medlem" for row in codebook)


@pytest.mark.django_db
def test_export_of_an_unknown_survey_fails_clearly(cast: Cast, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Der er intet spørgeskema med nummer 999"):
        _run("survey", "export", "--survey", "999", "--format", "csv", "--out", str(tmp_path / "x.csv"))


def test_results_prints_the_numbers_with_what_an_anonymous_survey_hides(cast: Cast) -> None:
    survey = members_and_channels(cast)
    document = json.loads(_run("survey", "results", "--survey", str(survey.pk), "--json", "--by", "medlem"))
    channels = next(question for question in document["questions"] if question["name"] == "kanaler")
    # Overall: 2 members and 8 non-members read the newsletter, the 12 members the web.
    assert [(option["value"], option["count"]) for option in channels["options"]] == [
        ("nyhedsbrev", 10), ("web", 12), ("other", 0)]
    members = next(group for group in channels["groups"] if group["group"] == "Ja")
    assert members["n"] == 12
    assert members["options"][0] == {"value": "nyhedsbrev", "label": "Nyhedsbrevet", "suppressed": True}
    assert channels["test"] is None
    lines = _run("survey", "results", "--survey", str(survey.pk), "--filter", "medlem=ja").splitlines()
    assert lines[0] == "Medlemsundersøgelse: 12"
    assert [line.split() for line in lines if line.strip().startswith(("Nyhedsbrevet", "Hjemmesiden"))] == [
        ["Nyhedsbrevet", "·"], ["Hjemmesiden", "100.0", "%"]]
    refused = json.loads(_run("survey", "results", "--survey", str(survey.pk), "--json", "--by", "segment",
                              "--filter", "medlem=ja"))
    assert refused["questions"] == [] and "ikke begge dele" in refused["hidden"]
