"""Imports of web statistics through the services: upload, run, repeat, fail and retry, retention, delete,
analytics exports and handing a view to the evidence base."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from evidens.processes.jobs import JobError
from evidens.processes.models import Job
from evidens.webstats import selectors, services, warehouse
from evidens.webstats.models import ImportStatus, LogImport
from tests.conftest import Cast

DATA = Path(__file__).resolve().parent.parent / "data"
ELASTIC = DATA / "logs" / "elastic_examples_apache_logs.log.gz"
AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


def line(day: str, time: str, path: str, *, ip: str = "192.0.2.10", status: int = 200) -> str:
    return f'{ip} - - [{day}/Oct/2026:{time} +0200] "GET {path} HTTP/1.1" {status} 512 "-" "{AGENT}"\n'


# Three page views on 1 October and two on 2 October 2026, one visitor: worked out by hand below.
SMALL_LOG = "".join([
    line("01", "09:00:00", "/"), line("01", "09:00:01", "/static/site.css"),
    line("01", "09:05:00", "/viden/a"), line("01", "09:06:00", "/viden/b"),
    line("02", "10:00:00", "/"), line("02", "10:00:01", "/static/site.css"), line("02", "10:01:00", "/kurser/"),
])


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def test_an_uploaded_log_is_queued_read_and_then_its_file_removed(cast: Cast) -> None:
    log_import = services.log_import_upload(process=cast.process, actor=None,
                                            uploads=[upload("access.log", SMALL_LOG)], log_format_text="combined")
    assert log_import.status == ImportStatus.QUEUED
    assert isinstance(log_import.job, Job)
    assert [f.name for f in log_import.files.all()] == ["access.log"]
    assert len(list(log_import.upload_folder.iterdir())) == 1

    result = services.log_import_run(import_id=log_import.pk, progress=lambda *args: None)

    log_import.refresh_from_db()
    assert log_import.status == ImportStatus.COMPLETED
    assert (log_import.first_day, log_import.last_day) == (date(2026, 10, 1), date(2026, 10, 2))
    # 7 lines; 5 page views (the two style sheets are assets); nothing malformed, no robots.
    assert {key: log_import.counts[key] for key in ("lines", "parsed", "malformed", "hits", "human_page_views")} \
        == {"lines": 7, "parsed": 7, "malformed": 0, "hits": 7, "human_page_views": 5}
    assert result["retention_applied"] is False
    assert not log_import.upload_folder.exists(), "the log with whole addresses is gone once read"
    assert (log_import.folder / warehouse.HITS).exists()
    with warehouse.Reader(selectors.scope(cast.process)) as reader:
        totals = reader.totals()
    # Visits: 09:00, 09:05, 09:06 on the 1st are one visit (gaps < 30 min); the 2nd is another day, another key.
    assert (totals["visits"], totals["unique_visitors_daily_sum"]) == (2, 2)


def test_the_same_file_is_not_imported_twice(cast: Cast) -> None:
    first = services.log_import_upload(process=cast.process, actor=None, uploads=[upload("a.log", SMALL_LOG)],
                                       log_format_text="combined")
    services.log_import_run(import_id=first.pk)
    with pytest.raises(ValidationError) as refused, translation.override("da"):
        services.log_import_upload(process=cast.process, actor=None, uploads=[upload("kopi.log", SMALL_LOG)],
                                   log_format_text="combined")
    assert "kopi.log" in str(refused.value) and "a.log" in str(refused.value)
    assert "allerede importeret" in str(refused.value)
    assert LogImport.objects.count() == 1
    uploads = first.upload_folder.parent
    assert [path.name for path in uploads.iterdir()] == [], "a refused upload leaves no file behind"


def test_the_same_file_twice_in_one_upload_is_refused(cast: Cast) -> None:
    with pytest.raises(ValidationError):
        services.log_import_upload(process=cast.process, actor=None,
                                   uploads=[upload("a.log", SMALL_LOG), upload("b.log", SMALL_LOG)],
                                   log_format_text="combined")
    assert LogImport.objects.count() == 0


def test_a_format_that_cannot_read_a_log_is_refused_in_danish(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused, translation.override("da"):
        services.log_import_upload(process=cast.process, actor=None, uploads=[upload("a.log", SMALL_LOG)],
                                   log_format_text="%h %u")
    assert "tidspunkt" in str(refused.value.message_dict["log_format"])
    assert LogImport.objects.count() == 0


def test_a_failed_import_stores_nothing_and_can_be_tried_again(cast: Cast) -> None:
    log_import = services.log_import_upload(process=cast.process, actor=None,
                                            uploads=[upload("a.log", SMALL_LOG)], log_format_text="combined")
    (stored,) = log_import.upload_folder.iterdir()
    kept = stored.read_bytes()
    stored.unlink()
    stored.mkdir()  # a directory where the file was: reading it fails
    with pytest.raises(JobError):
        services.log_import_run(import_id=log_import.pk)
    log_import.refresh_from_db()
    assert log_import.status == ImportStatus.FAILED and log_import.message
    assert not log_import.folder.exists()
    assert not list(log_import.folder.parent.glob(".*")), "no half-built folder is left"
    with warehouse.Reader(selectors.scope(cast.process)) as reader:
        assert reader.totals()["hits"] == 0

    stored.rmdir()
    stored.write_bytes(kept)
    services.log_import_retry(log_import=log_import, actor=None)
    services.log_import_run(import_id=log_import.pk)
    log_import.refresh_from_db()
    assert log_import.status == ImportStatus.COMPLETED and log_import.counts["lines"] == 7


def test_a_failed_import_counts_again_as_a_new_file(cast: Cast) -> None:
    log_import = services.log_import_upload(process=cast.process, actor=None,
                                            uploads=[upload("a.log", SMALL_LOG)], log_format_text="combined")
    LogImport.objects.filter(pk=log_import.pk).update(status=ImportStatus.FAILED)
    again = services.log_import_upload(process=cast.process, actor=None, uploads=[upload("a.log", SMALL_LOG)],
                                       log_format_text="combined")
    assert again.pk != log_import.pk


def test_retention_deletes_old_requests_and_keeps_the_rest(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "two-days.log"
    path.write_text(SMALL_LOG, encoding="utf-8")
    log_import = services.log_import_register(process=cast.process, actor=None, paths=[path],
                                              log_format_text="combined")
    services.log_import_run(import_id=log_import.pk, paths=[path])
    settings = services.webstats_settings(cast.process)
    settings.retention_months = 1
    settings.save()

    # On 2 November 2026, one month back is 2 October: the 1st goes, the 2nd stays.
    assert services.retention_apply(process=cast.process, today=date(2026, 11, 2)) == {log_import.pk}
    log_import.refresh_from_db()
    assert (log_import.first_day, log_import.last_day) == (date(2026, 10, 2), date(2026, 10, 2))
    with warehouse.Reader(selectors.scope(cast.process)) as reader:
        assert reader.totals()["hits"] == 3

    # On 3 November nothing of it is young enough: the import goes with its files.
    assert services.retention_apply(process=cast.process, today=date(2026, 11, 3)) == {log_import.pk}
    assert not LogImport.objects.filter(pk=log_import.pk).exists()


def test_an_import_older_than_the_retention_says_so(cast: Cast, tmp_path: Path) -> None:
    path = tmp_path / "elastic.log"
    with gzip.open(ELASTIC, "rb") as source, path.open("wb") as target:
        shutil.copyfileobj(source, target)
    log_import = services.log_import_register(process=cast.process, actor=None, paths=[path],
                                              log_format_text="combined")
    result = services.log_import_run(import_id=log_import.pk, paths=[path])
    # May 2015 is far more than 25 months before today.
    assert result["retention_applied"] is True
    assert result["counts"]["hits"] == 10_000
    assert not LogImport.objects.exists()


def test_deleting_an_import_removes_its_files(cast: Cast, tmp_path: Path,
                                             django_capture_on_commit_callbacks: Any) -> None:
    path = tmp_path / "a.log"
    path.write_text(SMALL_LOG, encoding="utf-8")
    log_import = services.log_import_register(process=cast.process, actor=None, paths=[path],
                                              log_format_text="combined")
    services.log_import_run(import_id=log_import.pk, paths=[path])
    log_import.refresh_from_db()
    folder = log_import.folder
    assert folder.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.log_import_delete(log_import=log_import, actor=None)
    assert not folder.exists()
    assert path.exists(), "a file imported from the command line stays where it was"


def test_an_analytics_export_is_imported_once(cast: Cast) -> None:
    fixture = DATA / "analytics" / "ga4_data_api_flat.csv"
    log_import = services.analytics_import(process=cast.process, actor=None, data=fixture.read_bytes(),
                                           filename=fixture.name)
    assert log_import.status == ImportStatus.COMPLETED and log_import.source == "ga4"
    assert (log_import.folder / warehouse.PAGE_VIEWS).exists()
    with pytest.raises(ValidationError):
        services.analytics_import(process=cast.process, actor=None, data=fixture.read_bytes(), filename="igen.csv")
    with warehouse.Reader(selectors.scope(cast.process)) as reader:
        by_month = reader.exported_by_month()
    assert sum(views for _month, _source, views in by_month) == log_import.counts["page_views"] > 0


def test_a_broken_analytics_export_names_the_problem_and_stores_nothing(cast: Cast) -> None:
    with pytest.raises(ValidationError) as refused:
        services.analytics_import(process=cast.process, actor=None, data=b"date,pagePath,screenPageViews\n"
                                  b"20250101,/,many\n", filename="x.csv")
    assert "2" in str(refused.value.message_dict["file"])  # the line
    assert not LogImport.objects.exists()

