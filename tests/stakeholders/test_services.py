from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils.translation import gettext

from evidens.processes.jobs import JobError
from evidens.processes.models import AuditEntry, Job
from evidens.stakeholders import importing, services
from evidens.stakeholders.importing import OrganisationData, PersonData, RegisterImportError
from evidens.stakeholders.models import ImportStatus, Organisation, Person, StakeholderImport
from evidens.stakeholders.signals import person_erased
from tests.stakeholders.helpers import people_csv, stakeholder_import_make


def _counts(process: Any) -> tuple[int, int, int]:
    return (Organisation.objects.filter(process=process).count(), Person.objects.filter(process=process).count(),
            AuditEntry.objects.filter(process=process).count())


def test_organisation_create_audits_and_rejects_duplicate_name(cast: Any) -> None:
    actor = cast.users["secretariat"]
    kab = services.organisation_create(process=cast.process, actor=actor, name="KAB", kind="housing",
                                       is_member=True, member_since=date(2010, 1, 1), homes=60000,
                                       region="hovedstaden", municipality="København")
    assert kab.pk and kab.kind == "housing"
    entry = AuditEntry.objects.filter(process=cast.process, object_type="stakeholders.organisation").get()
    assert entry.changes["homes"] == 60000 and entry.actor == actor
    with pytest.raises(ValidationError) as error:
        services.organisation_create(process=cast.process, actor=actor, name=" kab ")
    assert "name" in error.value.message_dict
    # The same name in another process is fine.
    services.organisation_create(process=cast.other_process, actor=None, name="KAB")


def test_organisation_member_since_requires_membership(cast: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.organisation_create(process=cast.process, actor=None, name="X", member_since=date(2020, 1, 1))
    assert "member_since" in error.value.message_dict


def test_organisation_update_records_changes(cast: Any) -> None:
    org = services.organisation_create(process=cast.process, actor=None, name="FSB", homes=100)
    services.organisation_update(organisation=org, actor=None, homes=200)
    entry = AuditEntry.objects.filter(process=cast.process, action="update", object_id=str(org.pk)).get()
    assert entry.changes == {"homes": [100, 200]}


def test_person_create_keeps_personal_data_out_of_audit(cast: Any) -> None:
    org = services.organisation_create(process=cast.process, actor=None, name="FSB")
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@fsb.dk",
                                    phone="12345678", organisation=org, role_title="Direktør", segment="Direktion")
    assert person.organisation == org
    entries = AuditEntry.objects.filter(process=cast.process, object_type="stakeholders.person")
    text = json.dumps([[e.text, e.params, e.changes] for e in entries], ensure_ascii=False)
    assert str(person.pk) in text
    for secret in ("Jens", "jens@fsb.dk", "12345678", "Direktør"):
        assert secret not in text


def test_person_create_rejects_duplicate_email_and_foreign_organisation(cast: Any) -> None:
    services.person_create(process=cast.process, actor=None, name="A", email="a@x.dk")
    with pytest.raises(ValidationError) as error:
        services.person_create(process=cast.process, actor=None, name="B", email="A@X.dk")
    assert "email" in error.value.message_dict
    foreign = services.organisation_create(process=cast.other_process, actor=None, name="Other org")
    with pytest.raises(ValidationError) as error:
        services.person_create(process=cast.process, actor=None, name="C", organisation=foreign)
    assert "organisation" in error.value.message_dict
    with pytest.raises(TypeError):
        services.person_create(process=cast.process, actor=None, name="D", nickname="d")


def test_person_update_audits_personal_fields_without_values(cast: Any) -> None:
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@fsb.dk")
    services.person_update(person=person, actor=None, email="jens.hansen@fsb.dk", segment="Direktion")
    entry = AuditEntry.objects.filter(process=cast.process, action="update").get()
    assert entry.changes == {"email": "changed", "segment": ["", "Direktion"]}


def test_register_bulk_create_stores_organisations_and_people(cast: Any) -> None:
    existing = services.organisation_create(process=cast.process, actor=None, name="Eksisterende")
    calls: list[tuple[int, int]] = []
    orgs = [OrganisationData(name=f"Org {i}", kind="housing", homes=i * 10) for i in range(700)]
    people = [PersonData(name=f"Person {i}", email=f"p{i}@x.dk", organisation_name=f"org {i % 700}")
              for i in range(600)]
    people.append(PersonData(name="Hos eksisterende", organisation_name="EKSISTERENDE"))
    people.append(PersonData(name="Uden organisation"))
    result = services.register_bulk_create(process=cast.process, actor=cast.users["secretariat"],
                                           organisations=orgs, people=people,
                                           progress=lambda done, total: calls.append((done, total)))
    assert result == (700, 602)
    assert calls[0] == (0, 1302) and calls[-1] == (1302, 1302) and len(calls) == 1 + 2 + 2
    assert Person.objects.get(name="Person 5").organisation.name == "Org 5"
    assert Person.objects.get(name="Hos eksisterende").organisation == existing
    assert Person.objects.get(name="Uden organisation").organisation is None
    entry = AuditEntry.objects.filter(process=cast.process, action="import").get()
    assert entry.changes == {"organisations": 700, "people": 602}


def test_register_bulk_create_validates_everything_first(cast: Any) -> None:
    services.person_create(process=cast.process, actor=None, name="Har mail", email="taken@x.dk")
    before = _counts(cast.process)
    with pytest.raises(RegisterImportError) as error:
        services.register_bulk_create(
            process=cast.process, actor=None,
            organisations=[OrganisationData(name="A"), OrganisationData(name="a")],
            people=[PersonData(name="P", email="taken@x.dk"), PersonData(name="Q", organisation_name="Nope"),
                    PersonData(name="", email="bad")],
        )
    found = {(issue.row, issue.field, issue.code) for issue in error.value.issues}
    assert found == {
        (2, "name", "duplicate"),
        (1, "email", "duplicate"),
        (2, "organisation_name", "unknown_organisation"),
        (3, "name", "missing"),
        (3, "email", "bad_email"),
    }
    assert _counts(cast.process) == before


def test_register_bulk_create_rolls_back_database_failure_mid_way(cast: Any, monkeypatch: Any) -> None:
    """Validation is switched off so that the database constraint fails after organisations were written."""
    services.person_create(process=cast.process, actor=None, name="Har mail", email="taken@x.dk")
    before = _counts(cast.process)
    monkeypatch.setattr(services, "register_validate", lambda **kwargs: [])
    with pytest.raises(IntegrityError):
        services.register_bulk_create(
            process=cast.process, actor=None,
            organisations=[OrganisationData(name=f"Org {i}") for i in range(600)],
            people=[PersonData(name="Dublet", email="taken@x.dk")],
        )
    assert _counts(cast.process) == before


def test_person_erase_removes_personal_fields_and_signals(cast: Any) -> None:
    org = services.organisation_create(process=cast.process, actor=None, name="FSB")
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@fsb.dk",
                                    phone="+45 12345678", organisation=org, role_title="Direktør",
                                    segment="Direktion", source="Messe 2024", delete_by=date(2030, 1, 1))
    received: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    person_erased.connect(receiver)
    try:
        services.person_erase(person=person, actor=cast.users["secretariat"])
    finally:
        person_erased.disconnect(receiver)
    person.refresh_from_db()
    assert person.name == services.erased_name() != "Jens Hansen"
    assert (person.email, person.phone, person.role_title, person.source, person.delete_by) == ("", "", "", "",
                                                                                              None)
    assert person.erased_at is not None
    assert person.segment == "Direktion" and person.organisation == org
    assert received == [{"signal": person_erased, "person_id": person.pk, "process_id": cast.process.pk}]
    entry = AuditEntry.objects.filter(process=cast.process, action="erase").get()
    text = json.dumps([entry.text, entry.params, entry.changes], ensure_ascii=False)
    assert str(person.pk) in text
    for secret in ("Jens", "jens@fsb.dk", "12345678", "Direktør", "Messe"):
        assert secret not in text
    # No audit entry anywhere holds the personal data.
    all_text = json.dumps([[e.text, e.params, e.changes] for e in AuditEntry.objects.all()], ensure_ascii=False)
    assert "Jens" not in all_text and "jens@fsb.dk" not in all_text


def test_person_erase_rolls_back_when_a_receiver_fails(cast: Any) -> None:
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@fsb.dk")

    def failing(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("interviews could not be erased")

    person_erased.connect(failing)
    try:
        with pytest.raises(RuntimeError):
            services.person_erase(person=person, actor=None)
    finally:
        person_erased.disconnect(failing)
    person.refresh_from_db()
    assert person.name == "Jens Hansen" and person.erased_at is None


def test_erased_person_cannot_be_edited(cast: Any) -> None:
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen")
    services.person_erase(person=person, actor=None)
    with pytest.raises(ValidationError):
        services.person_update(person=person, actor=None, name="Jens igen")


def test_person_data_export_contains_everything(cast: Any) -> None:
    org = services.organisation_create(process=cast.process, actor=None, name="FSB", is_member=True)
    person = services.person_create(process=cast.process, actor=None, name="Jens Hansen", email="jens@fsb.dk",
                                    phone="12345678", organisation=org, role_title="Direktør", segment="Direktion",
                                    source="Messe", consent="given", lawful_basis="consent",
                                    delete_by=date(2030, 6, 1))
    document = json.loads(services.person_data_export(person=person, actor=cast.users["secretariat"]))
    assert document["person"] == {
        "id": person.pk, "name": "Jens Hansen", "email": "jens@fsb.dk", "phone": "12345678",
        "role_title": "Direktør", "segment": "Direktion", "source": "Messe", "consent": "given",
        "lawful_basis": "consent", "delete_by": "2030-06-01",
        "created_at": document["person"]["created_at"], "erased_at": None,
    }
    assert document["person"]["created_at"].startswith(str(person.created_at.year))
    assert document["organisation"] == {"id": org.pk, "name": "FSB", "type": "other", "member": True}
    assert document["process"] == {"slug": "proc", "name": "Strategiproces 2030"}
    assert [entry["action"] for entry in document["history"]] == ["create"]
    export_entry = AuditEntry.objects.filter(process=cast.process, action="export").get()
    assert "Jens" not in export_entry.text


def test_import_error_message_lists_rows() -> None:
    error = RegisterImportError([importing.RowIssue(4, "email", "bad_email", "bad", column="Mail")])
    assert error.messages == ["Række 4, Mail: bad"]


# --- checked once outside the transaction, re-checked against the register inside it -------------


def test_register_bulk_create_of_checked_records_rechecks_only_the_register(cast: Any, monkeypatch: Any) -> None:
    services.organisation_create(process=cast.process, actor=None, name="KAB")
    real_validate = services.register_validate
    validated: list[int] = []

    def counting_validate(**kwargs: Any) -> list[importing.RowIssue]:
        validated.append(len(kwargs["people"]))
        return real_validate(**kwargs)

    monkeypatch.setattr(services, "register_validate", counting_validate)
    people = [PersonData(name="A", email="a@x.dk", organisation_name="kab"), PersonData(name="B")]
    assert services.register_bulk_create(process=cast.process, actor=None, organisations=[], people=people,
                                         checked=True) == (0, 2)
    assert validated == []  # nothing changed in the register: no second full check
    before = _counts(cast.process)
    for clash in ([PersonData(name="C", email=" A@X.DK ")],  # e-mail taken since
                  [PersonData(name="D", organisation_name="FSB")]):  # organisation not (or no longer) there
        with pytest.raises(RegisterImportError) as error:
            services.register_bulk_create(process=cast.process, actor=None, organisations=[], people=clash,
                                          checked=True)
        assert [(issue.row, issue.code) for issue in error.value.issues] in (
            [(1, "duplicate")], [(1, "unknown_organisation")])
    with pytest.raises(RegisterImportError) as error:
        services.register_bulk_create(process=cast.process, actor=None, organisations=[OrganisationData(name="kab ")],
                                      people=[], checked=True)
    assert [(issue.row, issue.field, issue.code) for issue in error.value.issues] == [(1, "name", "duplicate")]
    assert validated == [1, 1, 0]
    assert _counts(cast.process) == before


def test_register_file_prepare_reports_reading_then_checking(cast: Any) -> None:
    header = ["Navn", "E-mail"]
    rows = [(number, [f"Person {number}", f"p{number}@x.dk"]) for number in range(2, 1202)]
    rows[1098] = (1100, ["Dublet", "p2@x.dk"])  # the same e-mail as row 2, in another batch
    rows[1199] = (1201, ["", "ikke-en-mail"])
    table = importing.Table(header, rows)
    mapping = {"Navn": "name", "E-mail": "email"}
    calls: list[tuple[int, int | None, str]] = []
    prepared = services.register_file_prepare(process=cast.process, kind="people", table=table, mapping=mapping,
                                              progress=lambda done, total, message: calls.append(
                                                  (done, total, message)))
    reading, checking = gettext("Reading the rows"), gettext("Checking the rows")
    assert calls == [(500, 1200, reading), (1000, 1200, reading), (1200, 1200, reading),
                     (0, 1200, checking), (500, 1200, checking), (1000, 1200, checking), (1200, 1200, checking)]
    assert len(prepared.records) == 1200 and prepared.records[-1].row == 1201
    assert [(issue.row, issue.column, issue.code) for issue in prepared.issues] == [
        (1100, "E-mail", "duplicate"), (1201, "E-mail", "bad_email"), (1201, "Navn", "missing")]
    plain = services.register_file_prepare(process=cast.process, kind="people", table=table, mapping=mapping)
    assert (plain.records, plain.issues) == (prepared.records, prepared.issues)


def _confirmed(cast: Any, content: bytes, mapping: dict[str, str] | None = None) -> Any:
    stakeholder_import = stakeholder_import_make(cast.process, content=content)
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=mapping or stakeholder_import.mapping)
    return stakeholder_import, services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)


def test_the_import_job_reads_and_checks_outside_the_transaction_and_saves_inside(cast: Any) -> None:
    stakeholder_import, _job = _confirmed(cast, people_csv(*(f"P {i};p{i}@x.dk;;;" for i in range(1, 1101))))
    outside = len(connection.atomic_blocks)  # the test's own transaction
    calls: list[tuple[int, int | None, str, bool]] = []

    def progress(done: int, total: int | None = None, message: str | None = None) -> None:
        calls.append((done, total, str(message), len(connection.atomic_blocks) > outside))

    result = services.stakeholder_import_commit(import_id=stakeholder_import.pk, progress=progress)
    assert result["people"] == 1100
    phases = [(message, in_transaction) for _done, _total, message, in_transaction in calls]
    assert list(dict.fromkeys(phases)) == [  # in order, each phase once
        (gettext("Reading the file"), False), (gettext("Reading the rows"), False),
        (gettext("Checking the rows"), False), (gettext("Saving the rows"), True), ("", False)]
    saving = [(done, total) for done, total, message, _inside in calls if message == gettext("Saving the rows")]
    assert saving == [(0, 1100), (500, 1100), (1000, 1100), (1100, 1100)]
    assert calls[-1] == (1100, 1100, "", False)  # saved: the result, not a phase, speaks now
    assert Person.objects.filter(process=cast.process).count() == 1100


def test_a_clash_found_inside_the_transaction_is_reported_with_the_file_columns(cast: Any) -> None:
    content = b"Navn;Mail\r\nA;a@x.dk\r\nB;b@x.dk"
    stakeholder_import, _job = _confirmed(cast, content, mapping={"Navn": "name", "Mail": "email"})
    services.person_create(process=cast.process, actor=None, name="Først", email="B@x.dk")
    before = _counts(cast.process)
    with pytest.raises(JobError):
        services.stakeholder_import_commit(import_id=stakeholder_import.pk)
    stakeholder_import.refresh_from_db()
    assert stakeholder_import.status == ImportStatus.FAILED
    assert [(issue["row"], issue["column"], issue["code"]) for issue in stakeholder_import.report] == [
        (3, "Mail", "duplicate")]
    assert _counts(cast.process) == before


def test_confirm_checks_the_file_before_its_transaction(cast: Any, monkeypatch: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=stakeholder_import.mapping)
    outside = len(connection.atomic_blocks)
    real_prepare = services.stakeholder_import_prepare
    depths: list[int] = []

    def prepare(*args: Any, **kwargs: Any) -> Any:
        depths.append(len(connection.atomic_blocks))
        return real_prepare(*args, **kwargs)

    monkeypatch.setattr(services, "stakeholder_import_prepare", prepare)
    job = services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)
    assert depths == [outside]
    stakeholder_import.refresh_from_db()
    assert (stakeholder_import.status, stakeholder_import.job) == (ImportStatus.QUEUED, job)


def test_confirm_refuses_when_the_columns_change_during_the_check(cast: Any, monkeypatch: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=stakeholder_import.mapping)
    real_prepare = services.stakeholder_import_prepare
    changed = {**stakeholder_import.mapping, "Segment": ""}

    def prepare_while_someone_maps(checked: Any, **kwargs: Any) -> Any:
        prepared = real_prepare(checked, **kwargs)
        services.stakeholder_import_map(stakeholder_import=StakeholderImport.objects.get(pk=checked.pk),
                                        actor=None, mapping=changed)
        return prepared

    monkeypatch.setattr(services, "stakeholder_import_prepare", prepare_while_someone_maps)
    with pytest.raises(ValidationError) as error:
        services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)
    assert error.value.code == "changed"
    stakeholder_import.refresh_from_db()
    assert (stakeholder_import.status, stakeholder_import.mapping) == (ImportStatus.MAPPED, changed)
    assert not Job.objects.filter(process=cast.process).exists()


def test_confirm_queues_one_job_when_two_confirm_at_once(cast: Any, monkeypatch: Any) -> None:
    stakeholder_import = stakeholder_import_make(cast.process)
    services.stakeholder_import_map(stakeholder_import=stakeholder_import, actor=None,
                                    mapping=stakeholder_import.mapping)
    real_prepare = services.stakeholder_import_prepare
    first: list[Job] = []

    def prepare_while_another_confirms(checked: Any, **kwargs: Any) -> Any:
        prepared = real_prepare(checked, **kwargs)
        if not first:  # the other request finishes its confirmation while this one checks the file
            monkeypatch.setattr(services, "stakeholder_import_prepare", real_prepare)
            first.append(services.stakeholder_import_confirm(stakeholder_import=checked, actor=None))
        return prepared

    monkeypatch.setattr(services, "stakeholder_import_prepare", prepare_while_another_confirms)
    with pytest.raises(ValidationError) as error:
        services.stakeholder_import_confirm(stakeholder_import=stakeholder_import, actor=None)
    assert error.value.code == "not_open"
    assert len(first) == 1 and list(Job.objects.filter(process=cast.process)) == first
