"""Scale-out: two ``evidens serve`` and two ``evidens worker`` on one database and one data directory (SQLite in
the SQLite run, PostgreSQL in the PostgreSQL run; the queue the environment selects). What one server does, the
other sees; jobs queued through either run once."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from typing import Any

import pytest

from tests.core.test_cli import free_port
from tests.e2e.conftest import _wait_for
from tests.tasks.conftest import Stack, wait_until

pytestmark = pytest.mark.django_db  # pytest-django makes the test database only when a test uses it

PASSWORD = "en lang adgangskode til sekretæren"
ANSWER = "Svaret kom ind gennem server A"
SETUP = """
import json

from evidens.processes import services as processes
from evidens.surveys import services as surveys
from evidens.surveys.definition import LONG_TEXT, Question, Section, SurveyDefinition

process = processes.process_create(slug="skalering", name="Skaleringsprøve")
user = processes.user_create(username="sekretaer", password={password!r})
processes.membership_set(process=process, actor=None, user=user, role="secretariat")
questionnaire = SurveyDefinition(title={{"da": "Prøve"}}, languages=["da"], sections=[
    Section("eneste", {{"da": "Eneste side"}}, [Question("kommentar", LONG_TEXT, {{"da": "Kommentar?"}})])])
survey = surveys.survey_create(process=process, actor=None, title="Prøve", anonymous=False,
                               questionnaire=questionnaire)
survey = surveys.open_link_set(survey=survey, actor=None, enabled=True)
surveys.survey_publish(survey=survey, actor=None)
print("SETUP " + json.dumps({{"survey": survey.pk, "token": survey.open_link_token}}))
"""
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A cookie jar with a urllib opener: one person's browser, which may talk to either server."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, url: str) -> tuple[str, str]:
        """The final URL after redirects, and the page."""
        with self.opener.open(url, timeout=60) as response:
            return response.geturl(), response.read().decode("utf-8-sig", errors="replace")

    def post(self, url: str, form_page: str, fields: dict[str, str]) -> tuple[str, str]:
        """POST a form with the CSRF token of the page it was on."""
        token = CSRF_FIELD.search(self.get(form_page)[1])
        assert token, f"no CSRF token on {form_page}"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        with self.opener.open(urllib.request.Request(url, data=body), timeout=120) as response:  # noqa: S310
            return response.geturl(), response.read().decode("utf-8-sig", errors="replace")


@dataclass
class Farm:
    stack: Stack
    a: str
    b: str
    survey: int
    token: str
    secretary: Browser


@pytest.fixture(scope="module")
def farm(stack: Stack) -> Iterator[Farm]:
    output = stack.evidens("shell", "--command", SETUP.format(password=PASSWORD)).stdout
    created = json.loads(output.split("SETUP ", 1)[1])
    servers = []
    for _ in range(2):
        port = free_port()
        process, _log = stack.start("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                                    "--threads", "2")
        servers.append((port, process))
    for port, process in servers:
        _wait_for(port, process, seconds=180)
    (port_a, _), (port_b, _) = servers
    secretary = Browser()
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    landed, _page = secretary.post(f"{a}/login/", f"{a}/login/", {"username": "sekretaer", "password": PASSWORD})
    assert "/login/" not in landed, "the login on server A failed"
    yield Farm(stack=stack, a=a, b=b, survey=created["survey"], token=created["token"], secretary=secretary)
    stack.stop_all()


def test_a_login_on_one_server_holds_on_the_other(farm: Farm) -> None:
    landed, page = farm.secretary.get(f"{farm.b}/p/skalering/")

    assert landed == f"{farm.b}/p/skalering/"
    assert "Skaleringsprøve" in page
    # Without the session cookie server B sends the visitor to its login page.
    assert "/login/" in Browser().get(f"{farm.b}/p/skalering/")[0]


def test_a_survey_response_through_one_server_is_seen_through_the_other(farm: Farm) -> None:
    respondent = Browser()
    link = f"{farm.a}/s/link/{farm.token}/"
    _landed, thanks = respondent.post(link, link, {"section": "0", "action": "submit", "kommentar": ANSWER})
    assert "Tak" in thanks

    survey_page = f"{farm.b}/p/skalering/surveys/{farm.survey}/"
    _landed, export = farm.secretary.post(f"{survey_page}export/", survey_page, {"format": "csv"})

    assert ANSWER in export


def test_jobs_queued_through_both_servers_wait_in_the_queue_then_run_once(farm: Farm) -> None:
    stack = farm.stack
    privacy = "/p/skalering/privacy/"
    job_ids = []
    for server in (farm.a, farm.b, farm.a, farm.b):
        landed, _page = farm.secretary.post(f"{server}{privacy}retention/", f"{server}{privacy}", {})
        match = re.search(r"/jobs/(\d+)/$", landed)
        assert match, landed
        job_ids.append(int(match.group(1)))
    waiting = health(farm.b)
    assert waiting["status"] == "ok"
    assert waiting["queue"]["waiting"] == 4
    assert isinstance(waiting["queue"]["oldest_waiting_seconds"], int)

    for worker in (stack.start("worker"), stack.start("worker")):
        stack.wait_ready(worker)
    wait_until(lambda: all(stack.database.job(job_id).status == "succeeded" for job_id in job_ids),
               seconds=180, what="the retention jobs to run")

    task_ids = [stack.database.job(job_id).task_id for job_id in job_ids]
    assert [stack.task_starts()[task_id] for task_id in task_ids] == [1, 1, 1, 1]
    assert health(farm.a)["queue"] == {"waiting": 0, "oldest_waiting_seconds": 0}


def health(server: str) -> Any:
    with urllib.request.urlopen(f"{server}/health/", timeout=30) as response:  # noqa: S310 (http://127.0.0.1)
        return json.loads(response.read())
