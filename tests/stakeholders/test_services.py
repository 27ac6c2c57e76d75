from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from evidens.processes.models import AuditEntry
from evidens.stakeholders import importing, services
from evidens.stakeholders.importing import OrganisationData, PersonData, RegisterImportError
from evidens.stakeholders.models import Organisation, Person
from evidens.stakeholders.signals import person_erased


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
