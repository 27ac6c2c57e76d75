"""Every write to the stakeholder register: organisations, people, imports, erasure.

Audit entries about people never carry personal data (names, e-mails, phones, job titles): they name
the person by id only. Organisation names are not personal data and may appear.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from evidens.processes.audit import audit_entries_for, audit_record, changed_fields, field_values
from evidens.processes.jobs import JobError, job_enqueue
from evidens.processes.models import Job, StrategyProcess
from evidens.stakeholders import exporting, importing
from evidens.stakeholders.importing import (
    Kind,
    OrganisationData,
    PersonData,
    RegisterImportError,
    RowIssue,
    email_key,
    name_key,
)
from evidens.stakeholders.models import ImportStatus, Organisation, Person, StakeholderImport
from evidens.stakeholders.signals import person_data_requested, person_erased

Progress = Callable[..., None]

ORGANISATION_FIELDS = ["name", "kind", "is_member", "member_since", "homes", "region", "municipality"]
PERSON_FIELDS = ["name", "email", "phone", "organisation", "role_title", "segment", "source", "consent",
                 "lawful_basis", "delete_by"]
# Never written to the audit trail; changes to them are recorded as "changed" without values.
PERSONAL_FIELDS = frozenset({"name", "email", "phone", "role_title", "source"})
BATCH_SIZE = 500


def _check_fields(given: dict[str, Any], allowed: list[str], what: str) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


def _organisation_validate(organisation: Organisation) -> None:
    organisation.name = " ".join(organisation.name.split())
    errors: dict[str, list[str]] = {}
    if organisation.member_since and not organisation.is_member:
        errors["member_since"] = [_("Only members have a member-since date.")]
    key = name_key(organisation.name)
    if key:
        others = Organisation.objects.filter(process_id=organisation.process_id).exclude(pk=organisation.pk)
        if any(name_key(name) == key for name in others.values_list("name", flat=True)):
            errors["name"] = [_("An organisation with this name is already in the register.")]
    if errors:
        raise ValidationError(errors)
    organisation.full_clean()


@transaction.atomic
def organisation_create(*, process: StrategyProcess, actor: Any, **fields: Any) -> Organisation:
    _check_fields(fields, ORGANISATION_FIELDS, "organisation")
    organisation = Organisation(process=process, **fields)
    _organisation_validate(organisation)
    organisation.save()
    audit_record(process=process, actor=actor, action="create", obj=organisation,
                 message=gettext_noop("Organisation added: %(name)s"), params={"name": organisation.name},
                 changes=field_values(organisation, ORGANISATION_FIELDS))
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: Any, **fields: Any) -> Organisation:
    _check_fields(fields, ORGANISATION_FIELDS, "organisation")
    before = field_values(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    _organisation_validate(organisation)
    organisation.save()
    changes = changed_fields(before, field_values(organisation, ORGANISATION_FIELDS))
    if changes:
        audit_record(process=organisation.process, actor=actor, action="update", obj=organisation,
                     message=gettext_noop("Organisation changed: %(name)s"),
                     params={"name": organisation.name}, changes=changes)
    return organisation


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


def _person_audit_values(person: Person) -> dict[str, Any]:
    return field_values(person, [name for name in PERSON_FIELDS if name not in PERSONAL_FIELDS])


def _person_validate(person: Person) -> None:
    person.name = " ".join(person.name.split())
    person.email = person.email.strip()
    errors: dict[str, list[str]] = {}
    if person.organisation is not None and person.organisation.process_id != person.process_id:
        errors["organisation"] = [_("The organisation belongs to another process.")]
    if person.erased_at is not None:
        errors["name"] = [_("This person has been erased and cannot be changed.")]
    if person.email:
        others = Person.objects.filter(process_id=person.process_id, email__iexact=person.email)
        if others.exclude(pk=person.pk).exists():
            errors["email"] = [_("A person with this e-mail is already in the register.")]
    if errors:
        raise ValidationError(errors)
    person.full_clean()


@transaction.atomic
def person_create(*, process: StrategyProcess, actor: Any, **fields: Any) -> Person:
    """``fields`` mirror the model; ``organisation`` is an ``Organisation`` of the same process or None."""
    _check_fields(fields, PERSON_FIELDS, "person")
    person = Person(process=process, **fields)
    _person_validate(person)
    person.save()
    audit_record(process=process, actor=actor, action="create", obj=person,
                 message=gettext_noop("Person added: #%(id)s"), params={"id": person.pk},
                 changes=_person_audit_values(person))
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Any, **fields: Any) -> Person:
    _check_fields(fields, PERSON_FIELDS, "person")
    before = field_values(person, PERSON_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _person_validate(person)
    person.save()
    changes = changed_fields(before, field_values(person, PERSON_FIELDS))
    if changes:
        safe = {name: ("changed" if name in PERSONAL_FIELDS else values) for name, values in changes.items()}
        audit_record(process=person.process, actor=actor, action="update", obj=person,
                     message=gettext_noop("Person changed: #%(id)s"), params={"id": person.pk},
                     changes=safe)
    return person


def erased_name() -> str:
    """What an erased person is called, in the installation's language ("Slettet person")."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased person")


@transaction.atomic
def person_erase(*, person: Person, actor: Any) -> Person:
    """Erase a person (GDPR art. 17): the one place erasure happens.

    On the ``Person`` row the name becomes "Slettet person" and e-mail, phone, job title, source and
    delete-by date are blanked; ``erased_at`` is set. The organisation link, segment, consent and
    lawful basis stay, so counts by segment and organisation remain right without identifying anyone.
    Uploaded register files not yet imported that mention the person are deleted with their reports
    (files of finished imports are already gone: ``stakeholder_import_commit`` deletes them).

    Other apps that store something about people (interviews, surveys, ...) hook in by connecting to
    ``evidens.stakeholders.signals.person_erased``; it is sent here, inside this transaction, with
    ``person_id`` and ``process_id``. A receiver that fails rolls the whole erase back.

    The audit entry names the person by id only.
    """
    list(Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True))  # lock the row
    person.refresh_from_db()
    if person.erased_at is not None:
        return person
    for stakeholder_import in _imports_mentioning(person):
        _delete_file_on_commit(stakeholder_import.file.name)
        StakeholderImport.objects.filter(pk=stakeholder_import.pk).update(file="", report=[],
                                                                          status=ImportStatus.FAILED)
    person.name = erased_name()
    person.email = ""
    person.phone = ""
    person.role_title = ""
    person.source = ""
    person.delete_by = None
    person.erased_at = timezone.now()
    person.save()
    person_erased.send(sender=Person, person_id=person.pk, process_id=person.process_id)
    audit_record(process=person.process, actor=actor, action="erase", obj=person,
                 message=gettext_noop("Person erased: #%(id)s"), params={"id": person.pk},
                 changes={"erased_fields": sorted(PERSONAL_FIELDS | {"delete_by"})})
    return person


def person_data(person: Person) -> dict[str, Any]:
    """Everything the register stores about one person, as plain JSON-able values."""
    organisation = person.organisation
    entries = audit_entries_for(person)
    return {
        "person": {
            "id": person.pk,
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "role_title": person.role_title,
            "segment": person.segment,
            "source": person.source,
            "consent": person.consent,
            "lawful_basis": person.lawful_basis,
            "delete_by": person.delete_by,
            "created_at": person.created_at,
            "erased_at": person.erased_at,
        },
        "organisation": None if organisation is None else {
            "id": organisation.pk,
            "name": organisation.name,
            "type": organisation.kind,
            "member": organisation.is_member,
        },
        "process": {"slug": person.process.slug, "name": person.process.name},
        "history": [
            {"at": entry.at, "action": entry.action, "summary": entry.text, "changes": entry.changes}
            for entry in entries
        ],
        **_other_apps_data(person),
    }


def _other_apps_data(person: Person) -> dict[str, Any]:
    """What other apps store about the person, under the keys they give (``person_data_requested``)."""
    answers = cast(list[tuple[Any, tuple[str, Any]]], person_data_requested.send(sender=Person, person=person))
    return dict(answer for _receiver, answer in answers)


@transaction.atomic
def person_data_export(*, person: Person, actor: Any) -> bytes:
    """The person's data as a JSON document (a data subject access request); the export is audited."""
    document = {"exported_at": timezone.now(), **person_data(person)}
    audit_record(process=person.process, actor=actor, action="export", obj=person,
                 message=gettext_noop("Personal data exported: #%(id)s"), params={"id": person.pk})
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Bulk creation (demo, file imports, command line)
# ---------------------------------------------------------------------------------------------


def register_validate(
    *, process: StrategyProcess, organisations: Sequence[OrganisationData], people: Sequence[PersonData]
) -> list[RowIssue]:
    """Every issue with the records against what the process's register already holds."""
    existing_names = list(Organisation.objects.filter(process=process).values_list("name", flat=True))
    issues = importing.validate_organisations(organisations, existing_names=existing_names)
    if people:
        existing_emails = Person.objects.filter(process=process).exclude(email="").values_list("email", flat=True)
        issues += importing.validate_people(
            people,
            existing_emails=list(existing_emails),
            organisation_names=[*existing_names, *(record.name for record in organisations)],
        )
    return issues


def _register_conflicts(
    *, process: StrategyProcess, organisations: Sequence[OrganisationData], people: Sequence[PersonData]
) -> bool:
    """Whether records that passed ``register_validate`` now clash with the register: a name or e-mail
    taken since, an organisation gone. Set look-ups only, so it is quick inside a write transaction."""
    names = {name_key(name) for name in Organisation.objects.filter(process=process).values_list("name", flat=True)}
    if any(name_key(record.name) in names for record in organisations):
        return True
    if not people:
        return False
    known = names | {name_key(record.name) for record in organisations}
    emails = {email_key(email) for email in
              Person.objects.filter(process=process).exclude(email="").values_list("email", flat=True)}
    return any(
        (record.email.strip() and email_key(record.email) in emails)
        or (record.organisation_name and name_key(record.organisation_name) not in known)
        for record in people
    )


@transaction.atomic
def register_bulk_create(
    *,
    process: StrategyProcess,
    actor: Any,
    organisations: Sequence[OrganisationData],
    people: Sequence[PersonData],
    progress: Progress | None = None,
    checked: bool = False,
) -> tuple[int, int]:
    """Store many organisations and people at once, or nothing.

    Everything is validated first; any issue raises ``RegisterImportError`` (its ``issues`` name row,
    field and problem) before a row is written. With ``checked`` the records already passed
    ``register_validate`` before this transaction, and only what depends on the register is checked
    again (quickly: the write lock is held). Rows are then created in batches in this one transaction,
    so a database error half way leaves the register as it was. ``progress(done, total)`` is called
    after each batch. One audit entry records the counts. Returns (organisations, people).
    """
    if not checked or _register_conflicts(process=process, organisations=organisations, people=people):
        issues = register_validate(process=process, organisations=organisations, people=people)
        if issues:
            raise RegisterImportError(issues)
    total = len(organisations) + len(people)
    done = 0
    if progress:
        progress(0, total)
    for start in range(0, len(organisations), BATCH_SIZE):
        batch = organisations[start:start + BATCH_SIZE]
        Organisation.objects.bulk_create(
            Organisation(process=process, name=" ".join(record.name.split()), kind=record.kind,
                         is_member=record.is_member, member_since=record.member_since, homes=record.homes,
                         region=record.region, municipality=record.municipality)
            for record in batch
        )
        done += len(batch)
        if progress:
            progress(done, total)
    if people:
        organisation_ids = {name_key(name): pk for pk, name in
                            Organisation.objects.filter(process=process).values_list("pk", "name")}
        for start in range(0, len(people), BATCH_SIZE):
            people_batch = people[start:start + BATCH_SIZE]
            Person.objects.bulk_create(
                Person(process=process, name=" ".join(record.name.split()), email=record.email.strip(),
                       phone=record.phone, role_title=record.role_title, segment=record.segment,
                       source=record.source, consent=record.consent, lawful_basis=record.lawful_basis,
                       delete_by=record.delete_by,
                       organisation_id=organisation_ids.get(name_key(record.organisation_name))
                       if record.organisation_name else None)
                for record in people_batch
            )
            done += len(people_batch)
            if progress:
                progress(done, total)
    audit_record(process=process, actor=actor, action="import",
                 message=gettext_noop("Register import: %(organisations)s organisations, %(people)s people"),
                 params={"organisations": len(organisations), "people": len(people)},
                 changes={"organisations": len(organisations), "people": len(people)})
    return len(organisations), len(people)


# ---------------------------------------------------------------------------------------------
# File imports: upload -> mapping -> preview -> confirm -> job
# ---------------------------------------------------------------------------------------------

PREVIEW_ROWS = 20


@dataclass
class PreparedImport:
    """A file read with its mapping: the records as they will be stored and every issue."""

    kind: Kind
    headers: list[str]
    mapping: dict[str, str]
    records: list[Any]
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def fields(self) -> list[str]:
        return [name for name in importing.kind_fields(self.kind) if name in self.mapping.values()]

    @property
    def preview(self) -> list[tuple[int, list[str]]]:
        names = self.fields
        return [(record.row, [importing.display_value(name, getattr(record, name)) for name in names])
                for record in self.records[:PREVIEW_ROWS]]

    @property
    def invalid_rows(self) -> int:
        return len({issue.row for issue in self.issues})


class _ReportingRecords(Sequence[Any]):
    """Records that report ``progress(done, total, message)`` while a check walks through them once."""

    def __init__(self, records: list[Any], progress: Progress, message: str) -> None:
        self.records, self.progress, self.message = records, progress, message
        self.reported = False

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: Any) -> Any:
        return self.records[index]

    def __iter__(self) -> Iterator[Any]:
        if self.reported:  # a second pass would move the progress back
            yield from self.records
            return
        self.reported = True
        total = len(self.records)
        for done, record in enumerate(self.records):
            if done % BATCH_SIZE == 0:
                self.progress(done, total, self.message)
            yield record
        self.progress(total, total, self.message)


def _table_records(
    kind: Kind, table: importing.Table, mapping: dict[str, str], progress: Progress | None
) -> tuple[list[Any], list[RowIssue]]:
    """The table's rows as records, converted in batches so that progress can be reported."""
    convert: Callable[..., tuple[list[Any], list[RowIssue]]] = (
        importing.table_to_organisations if kind == "organisations" else importing.table_to_people)
    records: list[Any] = []
    issues: list[RowIssue] = []
    total = len(table.rows)
    for start in range(0, total, BATCH_SIZE):
        batch_records, batch_issues = convert(importing.Table(table.headers, table.rows[start:start + BATCH_SIZE]),
                                              mapping)
        records += batch_records
        issues += batch_issues
        if progress:
            progress(min(start + BATCH_SIZE, total), total, _("Reading the rows"))
    return records, issues


def register_file_prepare(
    *, process: StrategyProcess, kind: Kind, table: importing.Table, mapping: dict[str, str],
    progress: Progress | None = None,
) -> PreparedImport:
    """Convert a read file with a mapping and check every row against the register (reads only).

    ``progress(done, total, message)`` follows the rows as they are read, then as they are checked.
    """
    records, conversion = _table_records(kind, table, mapping, progress)
    checking: Sequence[Any] = _ReportingRecords(records, progress, _("Checking the rows")) if progress else records
    if kind == "organisations":
        issues = register_validate(process=process, organisations=checking, people=[])
    else:
        issues = register_validate(process=process, organisations=[], people=checking)
    # A value that could not be read is reported once, not again as "missing".
    unreadable = {(issue.row, issue.field) for issue in conversion}
    issues = [issue for issue in issues if (issue.row, issue.field) not in unreadable]
    issues = importing.with_columns([*conversion, *issues], importing.columns_of(mapping))
    return PreparedImport(kind=kind, headers=table.headers, mapping=dict(mapping), records=records,
                          issues=importing.sort_issues(issues))


def register_file_store(
    *, process: StrategyProcess, actor: Any, prepared: PreparedImport, progress: Progress | None = None
) -> tuple[int, int]:
    """Store what ``register_file_prepare`` checked. Only the checks that depend on the register run
    again, so the transaction (and on SQLite the write lock) is held only for those and the inserts."""
    if prepared.issues:
        raise RegisterImportError(prepared.issues)
    if prepared.kind == "organisations":
        return register_bulk_create(process=process, actor=actor, organisations=prepared.records, people=[],
                                    progress=progress, checked=True)
    return register_bulk_create(process=process, actor=actor, organisations=[], people=prepared.records,
                                progress=progress, checked=True)


def stakeholder_import_table(stakeholder_import: StakeholderImport) -> importing.Table:
    if not stakeholder_import.file:
        raise importing.UnreadableFile(_("The uploaded file is no longer available."))
    with stakeholder_import.file.open("rb") as handle:
        content = handle.read()
    return importing.read_table(content, stakeholder_import.original_name)


@transaction.atomic
def stakeholder_import_create(
    *, process: StrategyProcess, actor: Any, kind: Kind, upload: UploadedFile
) -> StakeholderImport:
    """Keep an uploaded file for the next steps, with the mapping guessed from its headers.

    Raises ``ValidationError`` when the file cannot be read.
    """
    if kind not in importing.KINDS:
        raise ValidationError({"kind": _("Choose organisations or people.")})
    content = upload.read()
    name = upload.name or "upload"
    try:
        table = importing.read_table(content, name)
    except importing.UnreadableFile as error:
        raise ValidationError({"file": str(error)}) from None
    stakeholder_import = StakeholderImport(
        process=process, kind=kind, original_name=name[:255],
        mapping=importing.guess_mapping(table.headers, kind),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stakeholder_import.file.save(name, ContentFile(content), save=False)
    stakeholder_import.save()
    return stakeholder_import


@transaction.atomic
def stakeholder_import_map(
    *, stakeholder_import: StakeholderImport, actor: Any, mapping: dict[str, str]
) -> StakeholderImport:
    _ensure_open(stakeholder_import)
    problems = importing.mapping_problems(mapping, stakeholder_import.kind)  # type: ignore[arg-type]
    if problems:
        raise ValidationError(problems)
    stakeholder_import.mapping = mapping
    stakeholder_import.status = ImportStatus.MAPPED
    stakeholder_import.report = []
    stakeholder_import.save(update_fields=["mapping", "status", "report"])
    return stakeholder_import


def stakeholder_import_prepare(stakeholder_import: StakeholderImport, *,
                               progress: Progress | None = None) -> PreparedImport:
    if progress:
        progress(0, 0, _("Reading the file"))
    return register_file_prepare(process=stakeholder_import.process,
                                 kind=stakeholder_import.kind,  # type: ignore[arg-type]
                                 table=stakeholder_import_table(stakeholder_import),
                                 mapping=stakeholder_import.mapping, progress=progress)


def _ensure_open(stakeholder_import: StakeholderImport) -> None:
    if stakeholder_import.status not in (ImportStatus.UPLOADED, ImportStatus.MAPPED, ImportStatus.FAILED):
        raise ValidationError(_("This file has already been imported or is being imported."), code="not_open")


def stakeholder_import_confirm(*, stakeholder_import: StakeholderImport, actor: Any) -> Job:
    """Check the file once more and queue the import job. Raises ``RegisterImportError`` if any row is
    invalid (nothing is queued), ``ValidationError`` if the import is not waiting for confirmation.

    The file is read and checked before the transaction, so other writers do not wait for a large file
    (on SQLite the transaction holds the write lock). The short transaction then locks the import, makes
    sure it is still open with the file and columns that were checked, and queues the job.
    """
    checked = StakeholderImport.objects.select_related("process").get(pk=stakeholder_import.pk)
    _ensure_mapped(checked)
    prepared = stakeholder_import_prepare(checked)
    if prepared.issues:
        raise RegisterImportError(prepared.issues)
    with transaction.atomic():
        stakeholder_import = StakeholderImport.objects.select_for_update().get(pk=checked.pk)
        _ensure_mapped(stakeholder_import)
        if (stakeholder_import.file.name, stakeholder_import.mapping) != (checked.file.name, checked.mapping):
            raise ValidationError(_("The columns were changed while the file was being checked. "
                                    "Look at the preview again before you confirm."), code="changed")
        return _import_enqueue(stakeholder_import, actor)


def _ensure_mapped(stakeholder_import: StakeholderImport) -> None:
    _ensure_open(stakeholder_import)
    if stakeholder_import.status == ImportStatus.UPLOADED:
        raise ValidationError(_("Choose the columns first."), code="not_mapped")


def _import_enqueue(stakeholder_import: StakeholderImport, actor: Any) -> Job:
    from evidens.stakeholders.tasks import stakeholder_import_task

    label = (_("Import of organisations from %(file)s") if stakeholder_import.kind == "organisations"
             else _("Import of people from %(file)s")) % {"file": stakeholder_import.original_name}
    job = job_enqueue(process=stakeholder_import.process, kind="stakeholders.import", label=label,
                      task=stakeholder_import_task, user=actor, import_id=stakeholder_import.pk)
    stakeholder_import.status = ImportStatus.QUEUED
    stakeholder_import.job = job
    stakeholder_import.report = []
    stakeholder_import.save(update_fields=["status", "job", "report"])
    return job


def _import_result_text(stakeholder_import: StakeholderImport, count: int) -> dict[str, str]:
    if stakeholder_import.kind == "organisations":
        summary = ngettext("%(count)s organisation was imported.", "%(count)s organisations were imported.", count)
        list_name = "stakeholders:organisation_list"
    else:
        summary = ngettext("%(count)s person was imported.", "%(count)s people were imported.", count)
        list_name = "stakeholders:person_list"
    result = {"summary": summary % {"count": count}}
    with contextlib.suppress(NoReverseMatch):  # when the register's pages are not in this site's URLs
        result["url"] = reverse(list_name, args=[stakeholder_import.process.slug])
    return result


def stakeholder_import_commit(*, import_id: int, progress: Progress | None = None) -> dict[str, Any]:
    """The import job's work: store every row of the file in one transaction, or none.

    The file is read and checked outside the transaction; inside it only what depends on the register
    is checked again, just before the rows are stored, so "no partial import, no duplicates" holds while
    the write lock is held briefly. ``progress(done, total, message)`` follows reading, checking and
    saving. On invalid rows the report is kept on the import and ``JobError`` ends the job with a
    message. After a successful import the uploaded file is deleted: the register now holds its rows,
    and a person erased later must not live on in an old upload.
    """
    stakeholder_import = StakeholderImport.objects.select_related("process", "created_by").get(pk=import_id)
    try:
        prepared = stakeholder_import_prepare(stakeholder_import, progress=progress)
    except (OSError, importing.UnreadableFile):
        StakeholderImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED)
        raise JobError(_("The uploaded file is no longer available. Nothing was imported; upload it again.")) \
            from None

    def saving(done: int, total: int | None = None) -> None:
        if progress:
            progress(done, total, _("Saving the rows"))

    try:
        if prepared.issues:
            raise RegisterImportError(prepared.issues)
        with transaction.atomic():
            organisations, people = register_file_store(
                process=stakeholder_import.process, actor=stakeholder_import.created_by, prepared=prepared,
                progress=saving if progress else None)
            result = {"organisations": organisations, "people": people,
                      **_import_result_text(stakeholder_import, organisations + people)}
            StakeholderImport.objects.filter(pk=import_id).update(status=ImportStatus.DONE, result=result,
                                                                  report=[], file="")
            _delete_file_on_commit(stakeholder_import.file.name)
    except RegisterImportError as error:
        issues = importing.with_columns(error.issues, importing.columns_of(prepared.mapping))
        StakeholderImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED, report=[issue.as_dict() for issue in issues])
        rows = len({issue.row for issue in issues})
        raise JobError(ngettext("Nothing was imported: %(rows)s row has errors.",
                                "Nothing was imported: %(rows)s rows have errors.", rows) % {"rows": rows}) from None
    except Exception:
        StakeholderImport.objects.filter(pk=import_id).update(status=ImportStatus.FAILED)
        raise
    if progress:
        count = len(prepared.records)
        progress(count, count, "")  # saved: the result says what was imported
    return result


def stakeholder_import_job_stopped(*, job: Job, **_signal: Any) -> None:
    """The worker running ``job`` died; its transaction died with it, so nothing was stored. The import has
    failed and may be confirmed again (it would otherwise stay queued, and refuse that, for ever)."""
    StakeholderImport.objects.filter(job=job, status=ImportStatus.QUEUED).update(status=ImportStatus.FAILED)


def _delete_file_on_commit(name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _imports_mentioning(person: Person) -> list[StakeholderImport]:
    """Uploads not yet imported (or failed) whose file or report holds the person's name, e-mail or phone."""
    needles = {value.casefold() for value in (person.name, person.email, person.phone) if value.strip()}
    found = []
    pending = StakeholderImport.objects.filter(process_id=person.process_id).exclude(status=ImportStatus.DONE)
    for stakeholder_import in pending:
        report = json.dumps(stakeholder_import.report, ensure_ascii=False).casefold()
        if any(needle in report for needle in needles):
            found.append(stakeholder_import)
            continue
        if not stakeholder_import.file:
            continue
        try:
            table = stakeholder_import_table(stakeholder_import)
        except (OSError, importing.UnreadableFile):
            continue
        if any(importing.cell_text(cell).casefold() in needles for _row, cells in table.rows for cell in cells):
            found.append(stakeholder_import)
    return found


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def register_export(
    *, process: StrategyProcess, actor: Any, kind: Kind, file_format: str
) -> tuple[bytes, str, str]:
    """The register as CSV or XLSX: (content, file name, content type). Exports of people are audited."""
    from evidens.stakeholders import selectors

    if kind == "organisations":
        headers, rows = exporting.organisation_table(selectors.organisations_for_export(process=process))
    else:
        headers, rows = exporting.person_table(selectors.people_for_export(process=process))
    stem = f"{process.slug}-{kind}-{timezone.localdate().isoformat()}"
    if file_format == "xlsx":
        content, filename = exporting.write_xlsx(headers, rows), f"{stem}.xlsx"
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif file_format == "csv":
        content, filename, content_type = exporting.write_csv(headers, rows), f"{stem}.csv", "text/csv; charset=utf-8"
    else:
        raise ValueError(f"Unknown export format: {file_format}")
    if kind == "people":
        audit_record(process=process, actor=actor, action="export",
                     message=gettext_noop("People exported (%(format)s): %(rows)s rows"),
                     params={"format": file_format, "rows": len(rows)}, changes={"rows": len(rows)})
    return content, filename, content_type
