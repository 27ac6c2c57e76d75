"""Security headers, cookies and CSRF; the health endpoint; survey-link guessing limits; uploaded files served
only as downloads."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from evidens.archive.models import ArchiveDocument
from evidens.core import throttle
from evidens.core.middleware import allow_inline_style, content_security_policy
from evidens.core.models import SurveyTokenMiss
from evidens.reports.models import BuildStatus, ReportBuild
from evidens.stakeholders.models import Person
from evidens.surveys import services as survey_services
from evidens.surveys.models import Recipient
from tests.conftest import PASSWORD, Cast
from tests.core.test_settings import run_python
from tests.surveys.conftest import make_people, make_survey

HOSTILE_HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def _directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()}


# --- headers on every response -------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/login/", "/health/", "/s/no-such-link/", "/static/js/evidens.js"])
def test_every_response_carries_a_strict_content_security_policy(db: None, client: Client, path: str) -> None:
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert _directives(policy) == {
        "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
        "object-src": "'none'", "base-uri": "'self'", "form-action": "'self'", "frame-ancestors": "'none'",
    }


def test_pages_carry_the_other_security_headers(db: None, client: Client) -> None:
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_an_inline_stylesheet_is_allowed_only_by_its_own_hash() -> None:
    response = HttpResponse()
    allow_inline_style(response, "body { color: black; }")
    # The value a browser computes: base64 of the SHA-256 of the element's text, checked by hand with
    # `printf 'body { color: black; }' | openssl dgst -sha256 -binary | base64`.
    expected = base64.b64encode(hashlib.sha256(b"body { color: black; }").digest()).decode()
    policy = _directives(content_security_policy(response._evidens_csp_style_hashes))  # type: ignore[attr-defined]
    assert policy["style-src"] == f"'self' 'sha256-{expected}'"
    assert "unsafe-inline" not in policy["style-src"]


@pytest.mark.parametrize(("secure", "hsts"), [("true", 31536000), ("false", 0)])
def test_hsts_and_secure_cookies_follow_evidens_secure(tmp_path: Path, secure: str, hsts: int) -> None:
    result = run_python(
        "import json, evidens.settings as s; print(json.dumps([s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY]))",
        tmp_path / "data", EVIDENS_SECURE=secure)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [hsts, secure == "true", secure == "true", True, True]


def test_hsts_is_sent_over_https_when_secure(db: None, client: Client, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/login/")


def test_the_session_and_csrf_cookies_are_httponly(cast: Cast, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get("/login/")
    assert page.cookies["csrftoken"]["httponly"]
    assert page.cookies["csrftoken"]["secure"]
    response = client.post("/login/", {"username": "u-reader", "password": PASSWORD,
                                       "csrfmiddlewaretoken": page.cookies["csrftoken"].value})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["secure"]


def test_a_post_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users["secretariat"])
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_a_respondent_post_without_a_csrf_token_is_refused(cast: Cast) -> None:
    url, _recipient = _personal_link(cast)
    response = Client(enforce_csrf_checks=True).post(url, {"action": "next", "section": "0"})
    assert response.status_code == 403


# --- health ----------------------------------------------------------------------------------------------------

def test_health_answers_without_login_with_the_queue(db: None, client: Client) -> None:
    enqueued = timezone.now() - dt.timedelta(seconds=90)
    for moment in (enqueued, timezone.now()):
        row = DBTaskResult.objects.create(task_path="evidens.processes.tasks.nothing", args_kwargs={},
                                          run_after=timezone.now() - dt.timedelta(seconds=1), backend_name="default",
                                          queue_name="default", priority=0)
        DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=moment)
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue"]["waiting"] == 2
    assert 90 <= body["queue"]["oldest_waiting_seconds"] < 150


def test_health_with_an_empty_queue(db: None, client: Client) -> None:
    body = json.loads(client.get("/health/").content)
    assert body == {"status": "ok", "database": "ok", "queue": {"waiting": 0, "oldest_waiting_seconds": 0}}


def test_health_reports_a_broken_database_with_503(db: None, client: Client, monkeypatch: Any) -> None:
    from evidens.core import views

    def broken() -> None:
        raise DatabaseError("no such table")

    monkeypatch.setattr(views, "_queue", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "error"


# --- survey-link guessing ----------------------------------------------------------------------------------------

def _personal_link(cast: Cast) -> tuple[str, Recipient]:
    survey = make_survey(cast)
    person = make_people(cast, 1)[0]
    survey_services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(pk=person.pk))
    recipient = Recipient.objects.get(person=person)
    return f"/s/{recipient.token}/", recipient


def test_unknown_links_from_one_client_are_refused_for_a_while(cast: Cast, client: Client, settings: Any) -> None:
    settings.SURVEY_TOKEN_MISS_LIMIT = 3
    settings.SURVEY_TOKEN_LOCKOUT_MINUTES = 15
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for guess in ("aaa", "link/bbb", "ccc/afmeld"):
        assert client.get(f"/s/{guess}/").status_code == 404
    refused = client.get("/s/ddd/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "900"
    html = refused.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    assert "Please wait 15 minutes" in html
    # A refused client learns nothing, not even from a real link.
    url, _recipient = _personal_link(cast)
    assert client.get(url).status_code == 429
    # Another client is not affected.
    assert Client(REMOTE_ADDR="192.0.2.77").get(url).status_code == 200


def test_the_refusal_ends_with_the_window(cast: Cast, client: Client, settings: Any) -> None:
    settings.SURVEY_TOKEN_MISS_LIMIT = 2
    for _attempt in range(2):
        client.get("/s/nothing-here/")
    assert client.get("/s/nothing-here/").status_code == 429
    SurveyTokenMiss.objects.update(at=timezone.now() - dt.timedelta(minutes=settings.SURVEY_TOKEN_LOCKOUT_MINUTES + 1))
    assert client.get("/s/nothing-here/").status_code == 404


def test_real_links_never_count_as_misses(cast: Cast, client: Client, settings: Any) -> None:
    settings.SURVEY_TOKEN_MISS_LIMIT = 2
    url, _recipient = _personal_link(cast)
    for _attempt in range(5):
        assert client.get(url).status_code == 200
        assert client.get(f"{url}afmeld/").status_code == 200
    assert not SurveyTokenMiss.objects.exists()


def test_misses_store_a_keyed_hash_of_the_address_never_the_address(db: None, settings: Any) -> None:
    Client(REMOTE_ADDR="203.0.113.9").get("/s/guess/")
    stored = SurveyTokenMiss.objects.get()
    assert "203.0.113" not in stored.client_digest
    assert len(stored.client_digest) == 64
    assert stored.client_digest != hashlib.sha256(b"203.0.113.9").hexdigest()
    settings.SECRET_KEY = "another secret key that is long enough to be used"
    assert throttle.SURVEY_TOKEN.digest("203.0.113.9") != stored.client_digest


def test_one_ipv6_network_counts_as_one_client(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    neighbour = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::7")
    elsewhere = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert throttle.client_key(request) == throttle.client_key(neighbour) == "2001:db8:1:2::/64"
    assert throttle.client_key(elsewhere) != throttle.client_key(request)


def test_behind_a_proxy_the_named_header_gives_the_client(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="198.51.100.4")
    assert throttle.client_key(request) == "10.0.0.1"
    settings.CLIENT_ADDRESS_HEADER = "X-Real-IP"
    assert throttle.client_key(request) == "198.51.100.4"


# --- uploaded files are never shown as pages -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content"), [("side.html", HOSTILE_HTML), ("tegning.svg", HOSTILE_SVG)])
def test_an_uploaded_archive_file_comes_back_only_as_a_download(
        cast: Cast, client_for: Any, immediate_tasks: None, django_capture_on_commit_callbacks: Any,
        name: str, content: bytes) -> None:
    client = client_for(cast.users["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("archive:upload", args=[cast.process.slug]),
                    {"files": [SimpleUploadedFile(name, content, content_type="text/html")]})
    document = ArchiveDocument.objects.get(original_name=name)
    response = client.get(reverse("archive:original", args=[cast.process.slug, document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == content


def test_a_built_html_report_comes_back_only_as_a_download(cast: Cast, client_for: Any) -> None:
    build = ReportBuild(process=cast.process, kind="vidensrapport", file_format="html", version=1,
                        status=BuildStatus.DONE)
    build.file.save("report.html", ContentFile(HOSTILE_HTML), save=False)
    build.save()
    response = client_for(cast.users["reader"]).get(reverse("reports:download", args=[cast.process.slug, build.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{cast.process.slug}-vidensrapport-v1.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
