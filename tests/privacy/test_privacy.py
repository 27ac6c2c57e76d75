"""Privacy operations: retention across the apps, the audit of who looked at personal data, and the records of
processing page."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from evidens.cli import command_line
from evidens.interviews.models import Interview
from evidens.privacy import services
from evidens.processes.models import AuditEntry, Job
from evidens.stakeholders.models import Person
from evidens.webstats import services as webstats_services
from evidens.webstats.models import LogImport, WebstatsSettings
from tests.conftest import Cast
from tests.webstats.test_services import SMALL_LOG


def _people(cast: Cast, today: date | None = None) -> dict[str, Person]:
    today = today or timezone.localdate()
    return {
        "due": Person.objects.create(process=cast.process, name="Karen Holm", email="karen@example.dk",
                                     delete_by=today - timedelta(days=1)),
        "later": Person.objects.create(process=cast.process, name="Jens Berg", email="jens@example.dk",
                                       delete_by=today + timedelta(days=1)),
        "open": Person.objects.create(process=cast.process, name="Ida Lund", email="ida@example.dk"),
    }


def _web_import(cast: Cast, tmp_path: Path) -> LogImport:
    """The two October 2026 days of the webstats tests, kept for one month."""
    path = tmp_path / "two-days.log"
    path.write_text(SMALL_LOG, encoding="utf-8")
    log_import = webstats_services.log_import_register(process=cast.process, actor=None, paths=[path],
                                                       log_format_text="combined")
    webstats_services.log_import_run(import_id=log_import.pk, paths=[path])
    webstats_services.webstats_settings_update(process=cast.process, actor=None, retention_months=1)
    return log_import


def test_retention_erases_the_people_past_their_date_and_prunes_the_web_statistics(
        cast: Cast, tmp_path: Path) -> None:
    after = date(2026, 12, 31)  # more than a month after the web log's October days
    people = _people(cast, after)
    log_import = _web_import(cast, tmp_path)

    counted = services.retention_run(process=cast.process, actor=None, today=after, dry_run=True)
    assert (counted.people_erased, counted.web_imports_pruned) == (1, 1)
    assert Person.objects.filter(process=cast.process, erased_at__isnull=True).count() == 3  # a dry run changes nothing
    assert LogImport.objects.filter(pk=log_import.pk).exists()

    done = services.retention_run(process=cast.process, actor=None, today=after)
    assert (done.people_erased, done.web_imports_pruned) == (1, 1)
    erased = Person.objects.get(pk=people["due"].pk)
    assert erased.erased_at is not None and erased.email == "" and erased.name == "Slettet person"
    assert {person.name for person in Person.objects.filter(erased_at__isnull=True)} == {"Jens Berg", "Ida Lund"}
    assert not LogImport.objects.filter(pk=log_import.pk).exists()
    assert AuditEntry.objects.filter(process=cast.process, action="erase").count() == 1

    again = services.retention_run(process=cast.process, actor=None, today=after)
    assert (again.people_erased, again.web_imports_pruned) == (0, 0)


def test_the_command_counts_runs_and_answers_in_json(cast: Cast) -> None:
    people = _people(cast)
    out = io.StringIO()
    call_command(*command_line(["privacy", "retention", "--process", cast.process.slug, "--dry-run", "--json"]),
                 stdout=out)
    assert json.loads(out.getvalue()) == [{"process": cast.process.slug, "people_erased": 1,
                                           "web_imports_pruned": 0, "dry_run": True}]
    assert Person.objects.get(pk=people["due"].pk).erased_at is None
    out = io.StringIO()
    call_command(*command_line(["privacy", "retention", "--all"]), stdout=out)
    assert f"{cast.process.slug}: 1 personer slettet, 0 webimporter beskåret." in out.getvalue()
    assert Person.objects.get(pk=people["due"].pk).erased_at is not None


def test_looking_at_a_person_or_an_interview_is_recorded_without_their_data(cast: Cast, client_for: Any) -> None:
    person = _people(cast)["open"]
    interview = Interview.objects.create(process=cast.process, label="I01", group="member", person=person)
    reader = client_for(cast.users["reader"])
    assert reader.get(reverse("stakeholders:person_detail", args=[cast.process.slug, person.pk])).status_code == 200
    assert reader.get(reverse("interviews:detail", args=[cast.process.slug, interview.pk])).status_code == 200
    views = AuditEntry.objects.filter(process=cast.process, action="view").order_by("id")
    assert [(entry.actor, entry.object_id) for entry in views] == [
        (cast.users["reader"], str(person.pk)), (cast.users["reader"], str(interview.pk))]
    assert [entry.text for entry in views] == [f"Persondata set: person #{person.pk}",
                                               f"Persondata set: interview #{interview.pk}"]
    stored = json.dumps([[entry.message, entry.params, entry.changes] for entry in views], ensure_ascii=False)
    assert "Ida Lund" not in stored and "ida@example.dk" not in stored

    page = client_for(cast.users["secretariat"]).get(reverse("privacy:overview", args=[cast.process.slug]))
    html = page.content.decode()
    assert page.status_code == 200 and "Behandlingsoversigt" in html
    assert f"Persondata set: person #{person.pk}" in html and "Ida Lund" not in html
    assert "1 person har overskredet sin slettedato." in html
    assert not WebstatsSettings.objects.filter(process=cast.process).exists()  # reading the page writes nothing
    assert client_for(cast.users["analyst"]).get(reverse("privacy:overview", args=[cast.process.slug])
                                                 ).status_code == 403


def test_the_retention_job_runs_in_the_background_from_the_page(
        cast: Cast, client_for: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any) -> None:
    people = _people(cast)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.users["secretariat"]).post(reverse("privacy:retention", args=[cast.process.slug]))
    job = Job.objects.get(process=cast.process, kind="retention")
    assert response.url == reverse("processes:job", args=[cast.process.slug, job.pk])
    assert job.status == "succeeded" and job.result["people_erased"] == 1
    assert Person.objects.get(pk=people["due"].pk).erased_at is not None
