"""Faults while answering: the web server killed while respondents submit, then started again.

A real ``evidens serve`` (gunicorn, its own data directory and SQLite) takes respondents through their personal
links: each answers the first two pages, then all of them press "Send answers" at once, and the whole server
(gunicorn's master and workers: one process group) is killed with SIGKILL as soon as the first responses are
stored. Whatever moment the kill lands on, every respondent must be either complete exactly once with all
their answers, or not complete with their saved pages intact; after a restart each of the latter submits again
and gets exactly one complete response. A kill that lands before the first or after the last submission proves
nothing, so the run is repeated with fresh respondents until one lands mid-way.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.core.test_cli import evidens, free_port, migrated_data_dir, migrated_template, subprocess_env  # noqa: F401

BATCH = 40  # respondents submitting at once in one attempt
ATTEMPTS = 4  # batches prepared; a batch is used up by its attempt
THANKS = "Tak for dine svar, nummer"
ALREADY_ANSWERED = "Du har allerede svaret"

SETUP = f"""
import json
from evidens.processes.services import process_create
from evidens.stakeholders.models import Person
from evidens.stakeholders.services import person_create
from evidens.surveys import services
from evidens.surveys.definition import LONG_TEXT, SINGLE_CHOICE, Choice, Question, Section, SurveyDefinition

questionnaire = SurveyDefinition(
    title={{"da": "Fejltest"}}, languages=["da"], thanks={{"da": "{THANKS} ét!"}},
    sections=[
        Section("om", {{"da": "Om dig"}}, [
            Question("medlem", SINGLE_CHOICE, {{"da": "Er I medlem?"}}, required=True,
                     choices=[Choice("ja", {{"da": "Ja"}}), Choice("nej", {{"da": "Nej"}})])]),
        Section("holdning", {{"da": "Din mening"}}, [
            Question("mening", LONG_TEXT, {{"da": "Hvad mener du?"}}, required=True)]),
        Section("slut", {{"da": "Til sidst"}}, [
            Question("kommentar", LONG_TEXT, {{"da": "Andre kommentarer?"}}, required=True)]),
    ])
process = process_create(slug="svar", name="Svar")
for number in range({BATCH * ATTEMPTS}):
    person_create(process=process, actor=None, name=f"Person {{number}}", email=f"person{{number}}@example.org")
survey = services.survey_create(process=process, actor=None, title="Fejltest", anonymous=False,
                                questionnaire=questionnaire)
services.survey_publish(survey=survey, actor=None)
survey.refresh_from_db()
services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=process))
print(json.dumps(list(survey.recipients.order_by("pk").values_list("token", flat=True))))
"""

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def answers_of(token: str) -> dict[str, str]:
    """A respondent's answers, different for each, so a response holding someone else's is noticed."""
    return {"medlem": "ja" if token[-1] < "m" else "nej", "mening": f"Mening {token}",
            "kommentar": f"Kommentar {token}"}


PAGES = (["medlem"], ["mening"], ["kommentar"])  # the answer keys of each page


@dataclass
class Respondent:
    """A browser on one personal link: its cookies and the CSRF token of the last page it was shown."""

    token: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    @property
    def path(self) -> str:
        return f"/s/{self.token}/"

    def request(self, fields: dict[str, str] | None = None) -> tuple[int, str]:
        """(status, body) of a GET of the link, or a POST of ``fields``; raises OSError when nothing came back."""
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **fields})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request("GET" if body is None else "POST", self.path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        if found := CSRF_FIELD.search(content):
            self.csrf = found.group(1)
        return response.status, content

    def page(self, index: int, action: str) -> tuple[int, str]:
        answers = answers_of(self.token)
        return self.request({"section": str(index), "action": action, **{key: answers[key] for key in PAGES[index]}})


@dataclass
class Server:
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL gunicorn's master and workers at once (``evidens serve`` became the master, in its own group)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


@contextlib.contextmanager
def serving(data_dir: Path, log: Path) -> Iterator[Server]:
    """``evidens serve`` on a free port; static files from the app folders (collectstatic is slow and beside
    the point here)."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "evidens", "serve", "--port", str(port), "--workers", "2", "--threads", "4"],
            env=subprocess_env(data_dir, EVIDENS_ALLOWED_HOSTS="127.0.0.1", EVIDENS_MANIFEST_STATIC="0"),
            cwd=data_dir.parent, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(data_dir, port, process)
    try:
        deadline = time.monotonic() + 120
        while not _healthy(port):
            assert process.poll() is None, f"evidens serve stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, "evidens serve did not answer within two minutes"
            time.sleep(0.2)
        yield server
    finally:
        server.kill()


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/health/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@dataclass(frozen=True)
class Stored:
    """What the database holds for one respondent."""

    completed: bool
    responses: list[tuple[str, dict[str, Any]]]  # (status, answers)
    draft: dict[str, Any] | None


def stored(data_dir: Path, tokens: list[str]) -> dict[str, Stored]:
    with contextlib.closing(sqlite3.connect(data_dir / "evidens.sqlite3")) as db:
        recipients = {token: (pk, bool(completed)) for pk, token, completed in db.execute(
            "SELECT id, token, completed FROM surveys_recipient")}
        responses: dict[int, list[tuple[str, dict[str, Any]]]] = {}
        for recipient, status, answers in db.execute("SELECT recipient_id, status, answers FROM surveys_response"):
            responses.setdefault(recipient, []).append((status, json.loads(answers)))
        drafts = {recipient: json.loads(answers) for recipient, answers in db.execute(
            "SELECT recipient_id, answers FROM surveys_responsedraft")}
    return {token: Stored(recipients[token][1], responses.get(recipients[token][0], []),
                          drafts.get(recipients[token][0])) for token in tokens}


def complete_responses(data_dir: Path) -> int:
    with contextlib.closing(sqlite3.connect(data_dir / "evidens.sqlite3")) as db:
        return int(db.execute("SELECT count(*) FROM surveys_response WHERE status = 'complete'").fetchone()[0])


def check_whole_or_untouched(found: dict[str, Stored]) -> None:
    """Each respondent is complete once with every answer, or not complete with the saved pages intact."""
    for token, state in found.items():
        everything = answers_of(token)
        if state.completed:
            assert state.responses == [("complete", everything)], token
            assert state.draft is None, token
        else:
            assert state.responses == [], token
            first_two = {key: everything[key] for key in PAGES[0] + PAGES[1]}
            # The last page is saved just before the response is made, in a transaction of its own.
            assert state.draft in (first_two, everything), token


def answer_two_pages(respondent: Respondent) -> None:
    """Open the link and answer the first two pages (each saved), ending on the last page."""
    assert respondent.request()[0] == 200
    assert respondent.page(0, "next")[0] == 302
    assert respondent.request()[0] == 200  # where the redirect leads: page two
    assert respondent.page(1, "next")[0] == 302
    assert respondent.request()[0] == 200


def submit_at_once(start: threading.Barrier, respondent: Respondent) -> bool:
    """Send the last page with "Send answers" as soon as every respondent is ready; whether the respondent was
    thanked (the kill may cut the request off)."""
    start.wait()
    try:
        status, page = respondent.page(2, "submit")
    except (OSError, http.client.HTTPException):
        return False
    return status == 200 and THANKS in page


def test_a_server_killed_mid_submission_loses_no_response_and_halves_none(
        migrated_template: Path, tmp_path: Path) -> None:  # noqa: F811
    data_dir = migrated_data_dir(migrated_template, tmp_path / "data")
    tokens = json.loads(evidens(data_dir, "shell", "--command", SETUP).stdout.strip().splitlines()[-1])
    log = tmp_path / "server.log"
    landed_mid_way = False
    used: list[str] = []
    for attempt in range(ATTEMPTS):
        batch = tokens[attempt * BATCH:(attempt + 1) * BATCH]
        used += batch
        with serving(data_dir, log) as server:
            respondents = [Respondent(token, server.port) for token in batch]
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(answer_two_pages, respondents))
            before = complete_responses(data_dir)
            start = threading.Barrier(BATCH + 1)
            with ThreadPoolExecutor(max_workers=BATCH) as pool:
                submissions = [pool.submit(submit_at_once, start, respondent) for respondent in respondents]
                start.wait()
                deadline = time.monotonic() + 120
                while complete_responses(data_dir) == before and time.monotonic() < deadline:
                    time.sleep(0.002)
                server.kill()

        found = stored(data_dir, batch)
        check_whole_or_untouched(found)
        thanked = [respondent.token for respondent, submission in zip(respondents, submissions, strict=True)
                   if submission.result()]
        assert all(found[token].completed for token in thanked)  # a thank-you page means a stored response
        done = sum(state.completed for state in found.values())
        if 0 < done < BATCH:
            landed_mid_way = True
            break

    assert landed_mid_way, f"in {ATTEMPTS} attempts the kill never landed between the first and last submission"

    # Started again, the respondents who were cut off submit once more; the others see they have answered.
    with serving(data_dir, log) as server:
        for token in used:
            respondent = Respondent(token, server.port)
            status, page = respondent.request()
            assert status == 200, token
            if stored(data_dir, [token])[token].completed:
                assert ALREADY_ANSWERED in page, token
                continue
            status, page = respondent.page(2, "submit")
            assert (status, THANKS in page) == (200, True), token

    after = stored(data_dir, used)
    for token, state in after.items():
        assert state.completed, token
        assert state.responses == [("complete", answers_of(token))], token
        assert state.draft is None, token
