from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evidens.processes.models import AuditEntry, Job, JobStatus
from evidens.stakeholders import services
from evidens.stakeholders.models import ImportStatus, Organisation, Person, StakeholderImport
from tests.conftest import Cast
from tests.stakeholders.helpers import people_csv, stakeholder_import_make, xlsx_bytes

READ_ROLES = ["secretariat", "analyst", "board", "steering", "reader"]
NOT_MANAGERS = ["analyst", "board", "steering", "reader"]


@pytest.fixture
def media(settings: Any) -> Path:
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def register(cast: Cast) -> dict[str, Any]:
    kab = services.organisation_create(process=cast.process, actor=None, name="KAB", kind="housing", is_member=True,
                                       member_since=date(2001, 1, 1), homes=60000, region="hovedstaden")
    fsb = services.organisation_create(process=cast.process, actor=None, name="FSB", kind="housing", homes=12000,
                                       region="hovedstaden")
    raad = services.organisation_create(process=cast.process, actor=None, name="Rådgiverne A/S", kind="adviser",
                                        region="midtjylland")
    jens = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@kab.example",
                                  organisation=kab, segment="Direktion", phone="11223344")
    anne = services.person_create(process=cast.process, actor=None, name="Anne Holm", email="anne@fsb.example",
                                  organisation=fsb, segment="Drift")
    ole = services.person_create(process=cast.process, actor=None, name="Ole Rådgiver", organisation=raad,
                                 segment="Drift")
    hidden = services.organisation_create(process=cast.other_process, actor=None, name="Hemmelig Bolig")
    return {"kab": kab, "fsb": fsb, "raad": raad, "jens": jens, "anne": anne, "ole": ole, "hidden": hidden}


def _url(name: str, *args: Any) -> str:
    return reverse(f"stakeholders:{name}", args=["proc", *args])


def _read_urls(register: dict[str, Any]) -> list[str]:
    return [_url("index"), _url("organisation_list"), _url("person_list"),
            _url("organisation_detail", register["kab"].pk), _url("person_detail", register["jens"].pk)]


def _manage_get_urls(register: dict[str, Any], stakeholder_import: StakeholderImport) -> list[str]:
    return [_url("organisation_create"), _url("organisation_edit", register["kab"].pk), _url("person_create"),
            _url("person_edit", register["jens"].pk), _url("person_erase", register["jens"].pk)]


def _import_get_urls(stakeholder_import: StakeholderImport) -> list[str]:
    return [_url("import_upload"), _url("import_mapping", stakeholder_import.pk),
            _url("import_preview", stakeholder_import.pk)]


# --- authorisation -----------------------------------------------------------------------------


def test_every_role_reads_the_register(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    for role in READ_ROLES:
        client = client_for(cast.users[role])
        for url in _read_urls(register):
            assert client.get(url).status_code == 200, (role, url)


def test_outsiders_get_404_everywhere(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    urls = [*_read_urls(register), *_manage_get_urls(register, stakeholder_import)]
    for user in (cast.outsider, cast.other_member):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
        assert client.post(_url("export"), {"kind": "people", "format": "csv"}).status_code == 404
        assert client.post(_url("person_export", register["jens"].pk)).status_code == 404
        assert client.post(_url("person_erase", register["jens"].pk)).status_code == 404
        assert client.post(_url("import_confirm", stakeholder_import.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_login(register: dict[str, Any], client: Any) -> None:
    response = client.get(_url("person_list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_only_the_secretariat_manages(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    for role in NOT_MANAGERS:
        client = client_for(cast.users[role])
        for url in _manage_get_urls(register, stakeholder_import):
            assert client.get(url).status_code == 403, (role, url)
        assert client.post(_url("organisation_create"), {"name": "Ny", "kind": "other"}).status_code == 403
        assert client.post(_url("person_erase", register["jens"].pk)).status_code == 403
        assert client.post(_url("person_export", register["jens"].pk)).status_code == 403
    assert not Organisation.objects.filter(name="Ny").exists()
    assert Person.objects.get(pk=register["jens"].pk).erased_at is None
    client = client_for(cast.users["secretariat"])
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=stakeholder_import.mapping)
    for url in _manage_get_urls(register, stakeholder_import):
        assert client.get(url).status_code == 200, url


def test_imports_are_for_the_secretariat_and_analysts(cast: Cast, client_for: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    for role in READ_ROLES:
        client = client_for(cast.users[role])
        may_import = role in ("secretariat", "analyst")
        for url in _import_get_urls(stakeholder_import):
            # An allowed step may send the user back to an earlier step (no mapping yet): 302, not 403.
            assert client.get(url).status_code in ({200, 302} if may_import else {403}), (role, url)
        if not may_import:
            assert client.post(_url("import_confirm", stakeholder_import.pk)).status_code == 403
        body = client.get(_url("index")).content.decode()
        assert (_url("import_upload") in body) == may_import, role


def test_export_is_for_the_secretariat_and_analysts(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    for role in READ_ROLES:
        status = client_for(cast.users[role]).post(_url("export"), {"kind": "people", "format": "csv"}).status_code
        assert status == (200 if role in ("secretariat", "analyst") else 403), role


def test_objects_of_another_process_are_not_found(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    assert client.get(_url("organisation_detail", register["hidden"].pk)).status_code == 404
    other_person = services.person_create(process=cast.other_process, actor=None, name="X")
    assert client.get(_url("person_detail", other_person.pk)).status_code == 404
    other_import = stakeholder_import_make(cast.other_process)
    assert client.get(_url("import_mapping", other_import.pk)).status_code == 404


def test_management_links_are_hidden_from_readers(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    body = client_for(cast.users["reader"]).get(_url("index")).content.decode()
    assert _url("import_upload") not in body and _url("export") not in body
    body = client_for(cast.users["secretariat"]).get(_url("index")).content.decode()
    assert _url("import_upload") in body and _url("export") in body


# --- lists, summary, details ---------------------------------------------------------------------


def test_index_summarises_the_register(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    response = client_for(cast.users["reader"]).get(_url("index"))
    summary = response.context["summary"]
    assert (summary.organisations, summary.people) == (3, 3)
    assert [(row.count, row.homes) for row in summary.by_kind] == [(2, 72000), (1, None)]
    assert [(row.count, row.homes) for row in summary.by_membership] == [(1, 60000), (2, 12000)]
    assert [(row.label, row.count) for row in summary.by_segment] == [("Drift", 2), ("Direktion", 1)]
    assert "Hemmelig Bolig" not in response.content.decode()


def test_organisation_list_filters_and_counts(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["reader"])

    def names(query: str) -> list[str]:
        response = client.get(_url("organisation_list") + query)
        return [organisation.name for organisation in response.context["page"]]

    assert names("") == ["FSB", "KAB", "Rådgiverne A/S"]
    assert names("?kind=housing") == ["FSB", "KAB"]
    assert names("?member=yes") == ["KAB"]
    assert names("?member=no&region=hovedstaden") == ["FSB"]
    assert names("?q=rådg") == ["Rådgiverne A/S"]
    assert names("?kind=castle") == ["FSB", "KAB", "Rådgiverne A/S"]  # an unknown value filters nothing
    response = client.get(_url("organisation_list") + "?kind=housing")
    assert response.context["total"] == 2
    assert [o.people_count for o in response.context["page"]] == [1, 1]


def test_person_list_filters_and_pages(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["analyst"])

    def names(query: str) -> list[str]:
        return [person.name for person in client.get(_url("person_list") + query).context["page"]]

    assert names("") == ["Anne Holm", "Jens Hansen", "Ole Rådgiver"]
    assert names("?segment=Drift") == ["Anne Holm", "Ole Rådgiver"]
    assert names("?member=yes") == ["Jens Hansen"]
    assert names("?kind=adviser") == ["Ole Rådgiver"]
    assert names("?region=hovedstaden&segment=Drift") == ["Anne Holm"]
    assert names("?q=fsb") == ["Anne Holm"]  # matches the organisation's name
    services.register_bulk_create(process=cast.process, actor=None, organisations=[],
                                  people=[importing_person(i) for i in range(60)])
    response = client.get(_url("person_list") + "?segment=Bulk&page=2")
    assert response.context["total"] == 60
    assert len(response.context["page"]) == 10
    assert "segment=Bulk&amp;page=1" in response.content.decode()  # the pager keeps the filter


def importing_person(index: int) -> Any:
    from evidens.stakeholders.importing import PersonData

    return PersonData(name=f"Bulk {index:02d}", segment="Bulk")


def test_erased_people_leave_lists_and_summary(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    services.person_erase(person=register["anne"], actor=None)
    client = client_for(cast.users["reader"])
    assert [p.name for p in client.get(_url("person_list")).context["page"]] == ["Jens Hansen", "Ole Rådgiver"]
    assert client.get(_url("index")).context["summary"].people == 2
    assert client.get(_url("person_detail", register["anne"].pk)).status_code == 200


def test_person_detail_shows_the_person(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    body = client_for(cast.users["analyst"]).get(_url("person_detail", register["jens"].pk)).content.decode()
    assert "Jens Hansen" in body and "jens@kab.example" in body and "KAB" in body
    assert _url("person_erase", register["jens"].pk) not in body


# --- forms ---------------------------------------------------------------------------------------


def test_secretariat_creates_and_edits_an_organisation(cast: Cast, register: dict[str, Any],
                                                       client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(_url("organisation_create"), {
        "name": "Boligselskabet Nord", "kind": "housing", "is_member": "on", "member_since": "2019-03-01",
        "homes": "850", "region": "nordjylland", "municipality": "Aalborg"})
    organisation = Organisation.objects.get(process=cast.process, name="Boligselskabet Nord")
    assert response.status_code == 302 and response["Location"] == _url("organisation_detail", organisation.pk)
    assert (organisation.is_member, organisation.member_since, organisation.homes) == (True, date(2019, 3, 1), 850)
    response = client.post(_url("organisation_edit", organisation.pk), {
        "name": "Boligselskabet Nord", "kind": "housing", "homes": "900", "region": "nordjylland",
        "municipality": "Aalborg", "member_since": ""})
    organisation.refresh_from_db()
    assert response.status_code == 302 and organisation.homes == 900 and not organisation.is_member
    entry = AuditEntry.objects.filter(process=cast.process, action="update", object_id=str(organisation.pk)).get()
    assert entry.actor == cast.users["secretariat"] and entry.changes["homes"] == [850, 900]


def test_organisation_form_shows_errors(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(_url("organisation_create"), {"name": "kab", "kind": "housing"})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    response = client.post(_url("organisation_create"), {"name": "Ny", "kind": "other",
                                                        "member_since": "2020-01-01"})
    assert response.status_code == 200 and "member_since" in response.context["form"].errors
    assert Organisation.objects.filter(process=cast.process).count() == 3


def test_secretariat_creates_and_edits_a_person(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    data = {"name": "Mette Berg", "email": "mette@fsb.example", "phone": "", "organisation": register["fsb"].pk,
            "role_title": "Kommunikationschef", "segment": "Kommunikation", "source": "Netværksmøde",
            "consent": "given", "lawful_basis": "consent", "delete_by": "2027-12-31"}
    response = client.post(_url("person_create"), data)
    person = Person.objects.get(process=cast.process, email="mette@fsb.example")
    assert response.status_code == 302 and person.organisation == register["fsb"]
    assert person.delete_by == date(2027, 12, 31)
    response = client.post(_url("person_edit", person.pk), {**data, "email": "anne@fsb.example"})
    assert response.status_code == 200 and "email" in response.context["form"].errors
    response = client.post(_url("person_edit", person.pk), {**data, "segment": "Ledelse"})
    person.refresh_from_db()
    assert response.status_code == 302 and person.segment == "Ledelse"


def test_person_form_offers_only_this_process_organisations(cast: Cast, register: dict[str, Any],
                                                           client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = client.post(_url("person_create"), {"name": "X", "organisation": register["hidden"].pk,
                                                   "consent": "unknown", "lawful_basis": "consent"})
    assert response.status_code == 200 and "organisation" in response.context["form"].errors
    assert not Person.objects.filter(name="X").exists()


# --- personal data -------------------------------------------------------------------------------


def test_person_json_export_downloads(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    response = client_for(cast.users["secretariat"]).post(_url("person_export", register["jens"].pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="person-{register["jens"].pk}.json"'
    document = json.loads(response.content)
    assert document["person"]["email"] == "jens@kab.example"
    assert document["person"]["phone"] == "11223344"
    assert document["organisation"]["name"] == "KAB"


def test_person_erase_confirms_then_erases(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    jens = register["jens"]
    assert client.get(_url("person_erase", jens.pk)).status_code == 200
    assert Person.objects.get(pk=jens.pk).erased_at is None
    response = client.post(_url("person_erase", jens.pk))
    assert response.status_code == 302
    jens.refresh_from_db()
    assert jens.erased_at and jens.email == "" and jens.phone == ""
    body = client.get(_url("person_detail", jens.pk)).content.decode()
    assert "jens@kab.example" not in body and "Jens Hansen" not in body
    assert client.get(_url("person_edit", jens.pk)).status_code == 302


# --- export --------------------------------------------------------------------------------------


def test_export_csv_for_danish_excel(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    response = client_for(cast.users["analyst"]).post(_url("export"), {"kind": "organisations", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="proc-organisations-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4
    assert lines[1].split(";")[0] == "FSB"
    assert lines[2].split(";")[3] == "2001-01-01" and lines[2].split(";")[4] == "60000"
    assert "Hemmelig" not in response.content.decode("utf-8-sig")


def test_export_xlsx(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    response = client_for(cast.users["secretariat"]).post(_url("export"), {"kind": "people", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["Anne Holm", "Jens Hansen", "Ole Rådgiver"]
    assert rows[2][1] == "jens@kab.example" and rows[2][3] == "KAB"
    assert AuditEntry.objects.filter(process=cast.process, action="export").count() == 1


def test_export_rejects_unknown_formats(cast: Cast, client_for: Any) -> None:
    assert client_for(cast.users["secretariat"]).post(_url("export"), {"format": "pdf"}).status_code == 404


# --- import flow ---------------------------------------------------------------------------------


def _upload(client: Any, content: bytes, name: str, kind: str) -> Any:
    return client.post(_url("import_upload"), {"kind": kind, "file": _file(content, name)})


def _file(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_full_import_flow_through_the_pages(cast: Cast, register: dict[str, Any], client_for: Any, media: Path,
                                            immediate_tasks: None, django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["secretariat"])
    content = people_csv("Åse Ærø-Østergaard;aase@eksempel.example;KAB;Direktør;Direktion",
                         "Søren Blåbær;soeren@eksempel.example;FSB;Driftschef;Drift",
                         "Ukendt Telefon;;;;")
    # 1 upload
    response = _upload(client, content, "nye-kontakter.csv", "people")
    stakeholder_import = StakeholderImport.objects.get(process=cast.process)
    assert response.status_code == 302 and response["Location"] == _url("import_mapping", stakeholder_import.pk)
    stored = Path(stakeholder_import.file.path)
    assert stored.parent == media / "imports" / str(cast.process.pk) and stored.read_bytes() == content
    assert stakeholder_import.original_name == "nye-kontakter.csv"
    assert stakeholder_import.created_by == cast.users["secretariat"]
    # 2 mapping: the guess is offered; accept it
    response = client.get(_url("import_mapping", stakeholder_import.pk))
    form = response.context["form"]
    initial = {name: field.initial for name, field in form.fields.items()}
    assert initial == {"column_0": "name", "column_1": "email", "column_2": "organisation_name",
                       "column_3": "role_title", "column_4": "segment"}
    assert "Åse Ærø-Østergaard" in response.content.decode()  # sample values
    response = client.post(_url("import_mapping", stakeholder_import.pk), initial)
    assert response.status_code == 302 and response["Location"] == _url("import_preview", stakeholder_import.pk)
    # 3 preview and report
    response = client.get(_url("import_preview", stakeholder_import.pk))
    prepared = response.context["prepared"]
    assert prepared.issues == []
    assert prepared.preview[0] == (2, ["Åse Ærø-Østergaard", "aase@eksempel.example", "KAB", "Direktør",
                                       "Direktion"])
    assert _url("import_confirm", stakeholder_import.pk) in response.content.decode()
    assert Person.objects.filter(process=cast.process).count() == 3
    # 4 confirm: the job runs when the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("import_confirm", stakeholder_import.pk))
    job = Job.objects.get(process=cast.process, kind="stakeholders.import")
    assert response.status_code == 302 and response["Location"] == reverse("processes:job", args=["proc", job.pk])
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.result["people"] == 3 and job.result["url"] == _url("person_list")
    assert job.created_by == cast.users["secretariat"]
    stakeholder_import.refresh_from_db()
    assert stakeholder_import.status == ImportStatus.DONE
    assert not stakeholder_import.file and not stored.exists()  # the register holds the rows now
    aase = Person.objects.get(process=cast.process, email="aase@eksempel.example")
    assert (aase.name, aase.organisation, aase.role_title) == ("Åse Ærø-Østergaard", register["kab"], "Direktør")
    assert Person.objects.get(name="Ukendt Telefon").organisation is None
    entry = AuditEntry.objects.filter(process=cast.process, action="import").get()
    assert entry.actor == cast.users["secretariat"] and entry.changes == {"organisations": 0, "people": 3}
    # 5 a second confirm does not import again; the steps now lead to the job
    response = client.post(_url("import_confirm", stakeholder_import.pk))
    assert response["Location"] == reverse("processes:job", args=["proc", job.pk])
    assert Person.objects.filter(process=cast.process).count() == 6


def test_import_of_organisations_from_xlsx(cast: Cast, client_for: Any, immediate_tasks: None,
                                           django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["secretariat"])
    content = xlsx_bytes([["Boligorganisation", "Type", "Medlem", "Medlem siden", "Antal boliger", "Region"],
                          ["Boligselskabet Sjælland", "Almen boligorganisation", "Ja", date(2015, 1, 1), 9500,
                           "Region Sjælland"],
                          ["Lille Bolig", "almen boligorganisation", "nej", None, 120, "Sjælland"]])
    response = _upload(client, content, "organisationer.xlsx", "organisations")
    stakeholder_import = StakeholderImport.objects.get(process=cast.process)
    mapping = {f"column_{i}": name for i, name in
               enumerate(["name", "kind", "is_member", "member_since", "homes", "region"])}
    client.post(_url("import_mapping", stakeholder_import.pk), mapping)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("import_confirm", stakeholder_import.pk))
    assert response.status_code == 302
    organisation = Organisation.objects.get(process=cast.process, name="Boligselskabet Sjælland")
    assert (organisation.kind, organisation.is_member, organisation.member_since, organisation.homes,
            organisation.region) == ("housing", True, date(2015, 1, 1), 9500, "sjaelland")
    assert Organisation.objects.get(name="Lille Bolig").homes == 120


def test_mapping_requires_a_name_column(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    stakeholder_import = stakeholder_import_make(cast.process)
    response = client.post(_url("import_mapping", stakeholder_import.pk),
                           {"column_0": "", "column_1": "email", "column_2": "", "column_3": "", "column_4": ""})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(_url("import_mapping", stakeholder_import.pk),
                           {"column_0": "name", "column_1": "email", "column_2": "email"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    stakeholder_import.refresh_from_db()
    assert stakeholder_import.status == ImportStatus.UPLOADED
    # The preview and the confirmation wait for the mapping.
    assert client.get(_url("import_preview", stakeholder_import.pk))["Location"] == _url(
        "import_mapping", stakeholder_import.pk)
    client.post(_url("import_confirm", stakeholder_import.pk))
    assert not Job.objects.filter(process=cast.process).exists()


def test_upload_rejects_files_that_are_not_tables(cast: Cast, client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    response = _upload(client, b"%PDF-1.4", "rapport.pdf", "people")
    assert response.status_code == 200 and "file" in response.context["form"].errors
    response = _upload(client, b"PK\x03\x04broken", "broken.xlsx", "people")
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not StakeholderImport.objects.exists()


def test_invalid_rows_are_reported_and_nothing_is_imported(cast: Cast, register: dict[str, Any], client_for: Any,
                                                           immediate_tasks: None,
                                                           django_capture_on_commit_callbacks: Any) -> None:
    client = client_for(cast.users["secretariat"])
    content = people_csv("God Person;god@eksempel.example;KAB;;",
                         "Dårlig Mail;ikke-en-mail;KAB;;",
                         "Findes Ikke;fi@eksempel.example;Ukendt Boligselskab;;",
                         "Dublet;god@eksempel.example;;;",
                         "Eksisterende;JENS@kab.example;;;",
                         ";uden.navn@eksempel.example;;;")
    _upload(client, content, "fejl.csv", "people")
    stakeholder_import = StakeholderImport.objects.get(process=cast.process)
    client.post(_url("import_mapping", stakeholder_import.pk),
                {f"column_{i}": name for i, name in
                 enumerate(["name", "email", "organisation_name", "role_title", "segment"])})
    response = client.get(_url("import_preview", stakeholder_import.pk))
    issues = [(issue.row, issue.column_label, issue.code) for issue in response.context["prepared"].issues]
    assert issues == [(3, "E-mail", "bad_email"), (4, "Organisation", "unknown_organisation"),
                      (5, "E-mail", "duplicate"), (6, "E-mail", "duplicate"), (7, "Navn", "missing")]
    body = response.content.decode()
    assert "ikke-en-mail" in body and _url("import_confirm", stakeholder_import.pk) not in body
    before = (Person.objects.count(), AuditEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("import_confirm", stakeholder_import.pk))
    assert response["Location"] == _url("import_preview", stakeholder_import.pk)
    assert (Person.objects.count(), AuditEntry.objects.count()) == before
    assert not Job.objects.exists()


def test_a_job_that_finds_new_conflicts_stores_nothing(cast: Cast, register: dict[str, Any], client_for: Any,
                                                       django_capture_on_commit_callbacks: Any) -> None:
    """Between confirmation and the job someone adds a person with the same e-mail: the job fails whole."""
    from evidens.stakeholders.tasks import stakeholder_import_task

    client = client_for(cast.users["secretariat"])
    stakeholder_import = stakeholder_import_make(
        cast.process, content=people_csv("A;a@eksempel.example;;;", "B;b@eksempel.example;;;"))
    client.post(_url("import_mapping", stakeholder_import.pk),
                {f"column_{i}": name for i, name in
                 enumerate(["name", "email", "organisation_name", "role_title", "segment"])})
    with django_capture_on_commit_callbacks(execute=False):  # the database backend only queues it
        client.post(_url("import_confirm", stakeholder_import.pk))
    job = Job.objects.get(process=cast.process)
    services.person_create(process=cast.process, actor=None, name="Først", email="b@eksempel.example")
    before = (Person.objects.count(), AuditEntry.objects.count())
    stakeholder_import_task.call(job_id=job.pk, import_id=stakeholder_import.pk)
    job.refresh_from_db()
    stakeholder_import.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message
    assert stakeholder_import.status == ImportStatus.FAILED
    assert [(issue["row"], issue["column"], issue["code"]) for issue in stakeholder_import.report] == [
        (3, "E-mail", "duplicate")]
    assert (Person.objects.count(), AuditEntry.objects.count()) == before
    # The preview shows the job's report, and the import can be confirmed again once fixed.
    response = client.get(_url("import_preview", stakeholder_import.pk))
    assert response.status_code == 200 and response.context["job_report"]


def test_erase_deletes_pending_uploads_that_mention_the_person(cast: Cast, register: dict[str, Any], media: Path,
                                                               django_capture_on_commit_callbacks: Any,
                                                               client_for: Any) -> None:
    mentions = stakeholder_import_make(cast.process, content=people_csv("Ny;ny@x.example;;;",
                                                                        "Jens H.;JENS@kab.example;;;"))
    other = stakeholder_import_make(cast.process, content=people_csv("Ny;ny@x.example;;;"))
    mentions_path, other_path = Path(mentions.file.path), Path(other.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.person_erase(person=register["jens"], actor=None)
    mentions.refresh_from_db()
    other.refresh_from_db()
    assert not mentions_path.exists() and not mentions.file and mentions.status == ImportStatus.FAILED
    assert other_path.exists() and other.status == ImportStatus.UPLOADED
    client = client_for(cast.users["secretariat"])
    response = client.get(_url("import_mapping", mentions.pk))
    assert response.status_code == 302 and response["Location"] == _url("import_upload")


def test_a_job_whose_file_is_gone_fails_with_a_message(cast: Cast) -> None:
    from evidens.stakeholders.tasks import stakeholder_import_task

    stakeholder_import = stakeholder_import_make(cast.process)
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=stakeholder_import.mapping)
    job = services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)
    Path(stakeholder_import.file.path).unlink()
    stakeholder_import_task.call(job_id=job.pk, import_id=stakeholder_import.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message
    assert Person.objects.filter(process=cast.process).count() == 0


def test_only_those_who_see_addresses_find_people_by_them(
    cast: Cast, register: dict[str, Any], client_for: Any
) -> None:
    for role, finds in (("reader", False), ("board", False), ("analyst", True), ("secretariat", True)):
        page = client_for(cast.users[role]).get(_url("person_list") + "?q=jens@kab").context["page"]
        assert [person.name for person in page] == (["Jens Hansen"] if finds else []), role


def test_exports_are_not_triggered_by_a_link(cast: Cast, register: dict[str, Any], client_for: Any) -> None:
    client = client_for(cast.users["secretariat"])
    assert client.get(_url("export") + "?kind=people&format=csv").status_code == 405
    assert client.get(_url("person_export", register["jens"].pk)).status_code == 405
