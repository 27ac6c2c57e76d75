"""Each endpoint: what it answers (checked against the data made in ``data.build``), who may ask, and that
another process stays invisible."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from evidens.api import services
from evidens.processes.models import AuditEntry, Role
from tests.api.data import Content, build, survey_answered
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

READ_PATHS = ["/api/processes/proc/", "/api/processes/proc/organisations/", "/api/processes/proc/people/",
              "/api/processes/proc/surveys/", "/api/processes/proc/evidence/", "/api/processes/proc/findings/",
              "/api/processes/proc/assumptions/", "/api/processes/proc/options/"]


@pytest.fixture
def content(cast: Cast) -> Content:
    return build(cast)


def _items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- who may ask ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_every_role_reads(content: Content, tokens: dict[str, str], api_get: Any, role: str) -> None:
    assert {path: api_get(path, tokens[role]).status_code for path in READ_PATHS} == dict.fromkeys(READ_PATHS, 200)


@pytest.mark.parametrize("who", ["other", "outsider"])
def test_a_non_member_gets_404_as_on_the_web(content: Content, tokens: dict[str, str], api_get: Any,
                                              who: str) -> None:
    for path in [*READ_PATHS, f"/api/processes/proc/surveys/{content.survey.pk}/responses"]:
        response = api_get(path, tokens[who])
        assert (path, response.status_code, response.json()) == (path, 404, {"detail": "Not Found"})


def test_an_unknown_process_is_404_too(cast: Cast, tokens: dict[str, str], api_get: Any) -> None:
    assert api_get("/api/processes/nope/", tokens["secretariat"]).status_code == 404


@pytest.mark.parametrize(("role", "status"), [
    ("secretariat", 200), ("analyst", 200), ("board", 403), ("steering", 403), ("reader", 403)])
def test_exporting_responses_needs_the_web_exports_permission(content: Content, tokens: dict[str, str],
                                                              api_get: Any, role: str, status: int) -> None:
    response = api_get(f"/api/processes/proc/surveys/{content.survey.pk}/responses", tokens[role])
    assert response.status_code == status


def test_another_process_survey_is_not_found(content: Content, cast: Cast, api_get: Any) -> None:
    _token, secret = services.token_create(user=cast.other_member, name="x")
    response = api_get(f"/api/processes/other/surveys/{content.survey.pk}/responses", secret)
    assert response.status_code == 404


# --- processes ------------------------------------------------------------------------------------------------------


def test_the_process_list_holds_ones_own_processes_with_the_role(content: Content, tokens: dict[str, str],
                                                                 api_get: Any) -> None:
    assert api_get("/api/processes/", tokens["board"]).json() == {"count": 1, "items": [
        {"slug": "proc", "name": "Strategiproces 2030", "organisation": "Foreningen", "status": "planned",
         "role": "board"}]}
    assert [row["slug"] for row in _items(api_get("/api/processes/", tokens["other"]))] == ["other"]
    assert api_get("/api/processes/", tokens["outsider"]).json() == {"count": 0, "items": []}


def test_the_process_facts(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    assert api_get("/api/processes/proc/", tokens["reader"]).json() == {
        "slug": "proc", "name": "Strategiproces 2030", "organisation": "Foreningen", "status": "planned",
        "role": "reader", "purpose": "Foreningens strategi mod 2030", "horizon_year": 2030,
        "start_date": "2026-01-05", "end_date": "2026-12-18", "contact_name": "Ane Holm",
        "contact_email": "ane@example.org", "funders": ["Realdania", "Fonden"], "consultant": "Rådgiverne ApS",
        "total_budget": "492000.00"}


# --- stakeholders ---------------------------------------------------------------------------------------------------


def test_organisations(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    organisations = _items(api_get("/api/processes/proc/organisations/", tokens["reader"]))
    assert {"id": content.organisation.pk, "name": "Boligselskabet Vest", "kind": "housing", "is_member": True,
            "member_since": "2010-03-01", "homes": 1200, "region": "syddanmark",
            "municipality": "Esbjerg"} in organisations
    assert "Fremmed forening" not in {row["name"] for row in organisations}


@pytest.mark.parametrize(("role", "sees"), [
    ("secretariat", True), ("analyst", True), ("board", False), ("steering", False), ("reader", False)])
def test_contact_details_only_for_roles_that_see_them_on_the_web(content: Content, tokens: dict[str, str],
                                                                 api_get: Any, role: str, sees: bool) -> None:
    people = _items(api_get("/api/processes/proc/people/", tokens[role], limit=200))
    person = next(row for row in people if row["id"] == content.person.pk)
    assert person == {
        "id": content.person.pk, "name": "Åse Nørby", "organisation_id": content.organisation.pk,
        "role_title": "Direktør", "segment": "Ledelse",
        "email": "aase@example.org" if sees else None, "phone": "+45 12 34 56 78" if sees else None,
        "consent": "given" if sees else None}
    if not sees:
        assert all(row["email"] is None and row["phone"] is None for row in people)


def test_fetching_people_is_recorded_as_access_to_personal_data(content: Content, cast: Cast,
                                                                 tokens: dict[str, str], api_get: Any) -> None:
    api_get("/api/processes/proc/people/", tokens["board"], limit=2)
    api_get("/api/processes/proc/organisations/", tokens["board"])  # organisations are not people: not recorded
    entry = AuditEntry.objects.filter(process=cast.process, action="view").get()
    assert entry.actor == cast.users["board"]
    assert entry.text == "Persondata hentet via API'et: personer"
    assert "Åse" not in str(entry.params)


def test_erased_people_and_other_processes_people_are_not_listed(content: Content, tokens: dict[str, str],
                                                                 api_get: Any) -> None:
    names = {row["name"] for row in _items(api_get("/api/processes/proc/people/", tokens["secretariat"], limit=200))}
    assert "Åse Nørby" in names
    assert "Slettet person" not in names
    assert "Fremmed person" not in names
    assert len(names) == 9  # Åse and the eight who answered the survey


# --- surveys --------------------------------------------------------------------------------------------------------


def test_surveys_with_their_counts(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    [survey] = _items(api_get("/api/processes/proc/surveys/", tokens["reader"]))
    assert survey["id"] == content.survey.pk
    assert survey["title"] == "Medlemsundersøgelse"
    assert survey["status"] == "published"
    assert survey["anonymous"] is True
    assert survey["complete_count"] == 8
    assert survey["partial_count"] == 0


def _csv_rows(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_an_anonymous_surveys_export_hides_small_segments_and_names(content: Content, tokens: dict[str, str],
                                                                    api_get: Any) -> None:
    response = api_get(f"/api/processes/proc/surveys/{content.survey.pk}/responses", tokens["analyst"])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="medlemsundersoegelse.csv"'
    rows = _csv_rows(response)
    assert sorted(row["segment"] for row in rows) == [""] * 2 + ["Medlemmer"] * 6  # two advisers are too few
    assert {"name", "email", "organisation"}.isdisjoint(rows[0])
    assert {row["medlem"] for row in rows} == {"Nej"}


def test_an_identified_surveys_export_names_the_respondents(cast: Cast, tokens: dict[str, str],
                                                            api_get: Any) -> None:
    survey = survey_answered(cast, anonymous=False)
    rows = _csv_rows(api_get(f"/api/processes/proc/surveys/{survey.pk}/responses", tokens["secretariat"]))
    assert sorted(row["segment"] for row in rows) == ["Medlemmer"] * 6 + ["Rådgivere"] * 2
    assert all(row["email"].endswith("@example.org") and row["name"].startswith("Æse Ørsted") for row in rows)


def test_an_export_is_in_the_audit_trail(content: Content, cast: Cast, tokens: dict[str, str],
                                         api_get: Any) -> None:
    api_get(f"/api/processes/proc/surveys/{content.survey.pk}/responses", tokens["analyst"], format="xlsx")
    entry = AuditEntry.objects.filter(process=cast.process, action="export").get()
    assert entry.actor == cast.users["analyst"]
    assert entry.params == {"title": "Medlemsundersøgelse", "format": "xlsx", "count": 8}


def test_the_export_formats(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    path = f"/api/processes/proc/surveys/{content.survey.pk}/responses"
    xlsx = api_get(path, tokens["analyst"], format="xlsx")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert xlsx.content[:2] == b"PK"
    sav = api_get(path, tokens["analyst"], format="sav")
    assert sav.content[:4] == b"$FL2"
    assert api_get(path, tokens["analyst"], format="xlsform").status_code == 422


# --- evidence -------------------------------------------------------------------------------------------------------


def test_evidence_items(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    [item] = _items(api_get("/api/processes/proc/evidence/", tokens["reader"]))
    assert item == {
        "id": content.item.pk, "channel": "surveys", "title": "Tilfredshed med foreningen", "version": 1,
        "definition": {"question": "Jeg er tilfreds med foreningen"},
        "result": {"headings": ["Svar", "Antal"], "rows": [["Enig", 12], ["Uenig", 3]], "notes": ["n = 15"]},
        "chart": None, "link": "/p/proc/surveys/1/results/", "content_hash": content.item.content_hash,
        "created_at": item["created_at"]}
    assert len(item["content_hash"]) == 64


def test_evidence_items_by_channel(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    assert len(_items(api_get("/api/processes/proc/evidence/", tokens["reader"], channel="surveys"))) == 1
    assert _items(api_get("/api/processes/proc/evidence/", tokens["reader"], channel="archive")) == []
    assert api_get("/api/processes/proc/evidence/", tokens["reader"], channel="nonsense").status_code == 422


def test_findings(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    [finding] = _items(api_get("/api/processes/proc/findings/", tokens["reader"]))
    assert finding == {
        "id": content.finding.pk, "statement": "Medlemmerne er tilfredse", "status": "reviewed",
        "segments": ["Medlemmer"], "created_at": finding["created_at"],
        "evidence": [{"item_id": content.item.pk, "stance": "supports", "note": "12 af 15"}]}


def test_assumptions(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    [assumption] = _items(api_get("/api/processes/proc/assumptions/", tokens["reader"]))
    assert assumption == {
        "id": content.assumption.pk, "statement": "Medlemmerne er utilfredse", "challenge": "Faldende medlemstal",
        "held_by": "Bestyrelsen", "importance": 4, "must_be_true": "Et flertal er utilfredse",
        "would_confirm": "Lav tilfredshed", "would_refute": "Høj tilfredshed",
        "channels": ["surveys", "interviews"], "verdict": "unresolved",
        "findings": [{"finding_id": content.finding.pk, "stance": "contradicts", "note": "Modsiger"}]}


def test_options_with_their_latest_version(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    status_quo, growth = _items(api_get("/api/processes/proc/options/", tokens["reader"]))
    assert status_quo["is_status_quo"] is True
    assert status_quo["latest_version"]["number"] == 1
    assert growth == {
        "id": content.option.pk, "title": "Vækst", "is_status_quo": False, "position": growth["position"],
        "latest_version": {
            "number": 2, "summary": "Flere medlemmer og kurser", "ambition": "", "where_to_play": "",
            "how_to_win": "", "capabilities": "", "partnerships": "", "costs": "", "income": "", "fee": "",
            "risks": "Økonomien", "note": "Kurser tilføjet", "created_at": growth["latest_version"]["created_at"]}}
    assert growth["position"] > status_quo["position"]


# --- pagination -----------------------------------------------------------------------------------------------------


def test_pages(content: Content, tokens: dict[str, str], api_get: Any) -> None:
    everyone = _items(api_get("/api/processes/proc/people/", tokens["reader"], limit=200))
    page = api_get("/api/processes/proc/people/", tokens["reader"], limit=2, offset=3).json()
    assert page["count"] == 9
    assert page["items"] == everyone[3:5]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 201}, {"offset": -1}, {"offset": 10**10}])
def test_page_bounds(content: Content, tokens: dict[str, str], api_get: Any, query: dict[str, int]) -> None:
    assert api_get("/api/processes/proc/people/", tokens["reader"], **query).status_code == 422
