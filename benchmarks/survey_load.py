"""Survey respondents under load while the worker sends a reminder, on SQLite and on PostgreSQL.

Each run starts a real ``evidens serve`` (gunicorn) and ``evidens worker`` on loopback in a fresh data directory,
with a loopback SMTP server (aiosmtpd, in a process of its own) that records every message it receives. It
publishes the demo's member survey (AlmenNet's 22 questions on six pages, with skip logic) to the respondents and
to a second group, the reminded, who never answer. Everyone is invited the app's way (an invitation mailing that
the worker sends) before the clock starts. Then a reminder is planned for now through ``mailing_schedule``, and
the respondents start at once, so the worker sends the reminder while they answer.

A respondent behaves like a browser with the form's script: it opens its personal link, and on every page asks
the server which questions its answers show (``action=visible``, as the script does after a change), then goes
on (``next``, a 302 to the next page) until it sends its answers (``submit``) and sees the thank-you page. The
answers are the demo's realistic ones (``evidens.demo.survey.survey_answers``). A share of the respondents sends
the last page twice at the same moment, like a double click or two tabs, which must still give one response.
There is no think time: every respondent sends its next request as soon as the last one is answered, so
``--concurrency`` respondents in flight means that many requests waiting at the server at every moment.

After the run the database and the SMTP server's record are counted. Every respondent who saw the thank-you page
must have exactly one complete response holding exactly the answers it sent (a lost, duplicated or altered
response is an error). Every reminded person must have received exactly one reminder; a respondent may have
received one (the reminder goes to whoever had not completed when the worker took its audience) but nobody two;
every recipient exactly one invitation; and the Delivery rows must name the same addresses as the SMTP server
received, as often.

    .venv/bin/python benchmarks/survey_load.py --respondents 300 --concurrency 200 --reminded 1000

PostgreSQL is a throwaway cluster the script starts itself on loopback (it needs Debian's ``postgresql``
package; as root it runs the cluster as the postgres user), with PostgreSQL's default durability
settings; ``--postgres-url`` uses an existing database instead. Everything the run creates is removed at the
end unless ``--keep`` is given. Waiting is bounded: a request gives up after REQUEST_TIMEOUT seconds, a mailing
after ``--mail-timeout``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evidens.demo import data
from evidens.demo import survey as demo
from evidens.surveys import definition as d

Answers = dict[str, Any]
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 300.0
# Reminded people by default. While the respondents kept the server busy, the worker sent about one reminder for
# every three to four respondent requests (2 cores shared with other work, 2026-11-28), so the reminder to these and
# to the 300 default respondents (about 5,100 requests) lasts about as long as the respondents do.
REMINDED = 1000
# Pages a respondent may see before it is counted as stuck: six pages, each possibly shown twice.
PAGE_LIMIT = 20
ORGANISATION_KINDS = (demo.HOUSING, demo.ADMINISTRATION, demo.MUNICIPALITY, demo.ADVISER)
REGIONS = (data.HOVEDSTADEN, data.SJAELLAND, data.SYDDANMARK, data.MIDTJYLLAND, data.NORDJYLLAND)
REQUEST_KINDS = ("page", "visible", "next", "submit", "submit again")
THANKS_TEXT = demo.member_survey().thanks["da"][:40]
ALREADY_ANSWERED = "Du har allerede svaret"  # the Danish heading of the page for a used link
SERVER_LOG_MARKS = ("database is locked", "Traceback", "Internal Server Error", "WORKER TIMEOUT", "OperationalError")
# The mailings' subjects, so the SMTP server's record tells an invitation from a reminder.
SUBJECTS = {"invitation": "Survey load benchmark: invitation", "reminder": "Survey load benchmark: reminder"}
console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


# --- the steps that run inside Django, in a subprocess per database -------------------------------------


def address(group: str, number: int) -> str:
    """The e-mail address of a respondent (``group`` "respondent") or of a reminded person ("reminded")."""
    return f"{group}{number}@bench.example"


def prepare(slug: str, respondents: int, reminded: int, anonymous: bool) -> None:
    """Migrate, collect static files, publish the member survey to the respondents and the reminded, and plan the
    invitation to all of them; print the respondents' links."""
    from django.core.management import call_command

    from evidens.processes.services import process_create
    from evidens.stakeholders.importing import PersonData
    from evidens.stakeholders.models import Person
    from evidens.stakeholders.services import register_bulk_create
    from evidens.surveys import services
    from evidens.surveys.models import MailingKind

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    process = process_create(slug=slug, name="Survey load benchmark")
    people = [PersonData(name=f"{group.capitalize()} {number}", email=address(group, number),
                         segment=data.SEGMENTS[number % len(data.SEGMENTS)])
              for group, count in (("respondent", respondents), ("reminded", reminded)) for number in range(count)]
    register_bulk_create(process=process, actor=None, organisations=[], people=people)
    survey = services.survey_create(process=process, actor=None, title="Medlemsundersøgelse (belastning)",
                                    anonymous=anonymous, questionnaire=demo.member_survey())
    survey = services.survey_publish(survey=survey, actor=None).survey  # the copy that knows it is published
    services.recipients_add(survey=survey, actor=None, people=Person.objects.filter(process=process))
    services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.INVITATION,
                              subject=SUBJECTS[MailingKind.INVITATION])
    links = survey.recipients.filter(person__email__startswith="respondent").order_by("pk")
    print(json.dumps([{"token": token, "segment": segment}
                      for token, segment in links.values_list("token", "segment")]))


def remind(slug: str) -> None:
    """Plan a reminder for now, the way the survey's mail page does."""
    from evidens.surveys import services
    from evidens.surveys.models import MailingKind, Survey

    survey = Survey.objects.get(process__slug=slug)
    mailing = services.mailing_schedule(survey=survey, actor=None, kind=MailingKind.REMINDER,
                                        subject=SUBJECTS[MailingKind.REMINDER])
    print(json.dumps({"mailing": mailing.pk}))


def mailing_await(slug: str, kind: str, timeout: float) -> None:
    """Wait until the survey's mailing of ``kind`` is sent, at most ``timeout`` seconds; print its status."""
    from evidens.surveys.models import Mailing, MailingStatus

    mailing = Mailing.objects.get(survey__process__slug=slug, kind=kind)
    deadline = time.monotonic() + timeout
    while mailing.status != MailingStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.2)
        mailing.refresh_from_db(fields=["status"])
    print(json.dumps({"status": mailing.status}))


def tally(slug: str, remove: bool) -> None:
    """Print what the database holds for the benchmark's survey; with ``remove``, remove the benchmark's process
    (from a database that outlives the run)."""
    from django.db import connection

    from evidens.processes.models import StrategyProcess
    from evidens.surveys.models import Delivery, Response, ResponseStatus, Survey

    survey = Survey.objects.get(process__slug=slug)
    responses = Response.objects.filter(survey=survey).select_related("recipient")
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    deliveries = Delivery.objects.filter(mailing__survey=survey)
    print(json.dumps({
        "database": f"{'SQLite' if connection.vendor == 'sqlite' else 'PostgreSQL'} {version.split()[0]}",
        "partial": responses.filter(status=ResponseStatus.PARTIAL).count(),
        "recipients_completed": survey.recipients.filter(completed=True).count(),
        "drafts": survey.drafts.count(),
        "drafts_of_completed": survey.drafts.filter(recipient__completed=True).count(),
        "complete": [{"token": response.recipient.token if response.recipient else "", "answers": response.answers}
                     for response in responses.filter(status=ResponseStatus.COMPLETE)],
        "mailings": dict(survey.mailings.values_list("kind", "status")),
        "deliveries": list(deliveries.values_list("mailing__kind", "recipient__person__email", "status")),
    }))
    if remove:
        StrategyProcess.objects.filter(slug=slug).delete()


def smtp_record(record: Path) -> None:
    """A loopback SMTP server that appends a JSON line per recipient of every message to ``record`` (time,
    subject, address); prints its port, then runs until SIGTERM. No Django: it stands in for the mail server."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP, Envelope, Session

    class Recorder:
        def __init__(self, output: Any) -> None:
            self.output = output

        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            received = time.time()
            headers = BytesHeaderParser(policy=policy.default).parsebytes(envelope.original_content or b"")
            for recipient in envelope.rcpt_tos:
                self.output.write(json.dumps({"at": received, "subject": str(headers["Subject"]),
                                              "to": recipient}) + "\n")
            self.output.flush()
            return "250 Message accepted"

    stop_signals = {signal.SIGTERM, signal.SIGINT}
    signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)  # the server's thread inherits the mask
    with record.open("a") as output:
        controller = Controller(Recorder(output), hostname=HOST, port=free_port())
        controller.start()
        print(json.dumps({"port": controller.port}), flush=True)
        signal.sigwait(stop_signals)
        controller.stop()


def run_step(step: str, env: dict[str, str], *options: str) -> Any:
    """Run a Django step of this script in a subprocess with ``env``; its last line of output is JSON."""
    completed = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--step", step, *options], env=env,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"The {step} step failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- the servers ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Database:
    url: str  # empty for SQLite in the data directory
    server_pid: int | None = None  # the PostgreSQL postmaster, when this run started it


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Database]:
    """A PostgreSQL cluster of its own on loopback, as .ci/run starts one, but with durability left on."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3]))
    if not installed:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql); or pass --postgres-url.")
    binaries = installed[-1].parent
    folder = Path(tempfile.mkdtemp(prefix="evidens-survey-load-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(folder, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port, password = free_port(), secrets.token_hex(16)
    pg_ctl = [*as_postgres, str(binaries / "pg_ctl"), "--pgdata", str(folder / "data")]
    subprocess.run([*as_postgres, str(binaries / "initdb"), "--pgdata", str(folder / "data"), "--username",
                    "postgres", "--encoding", "UTF8", "--no-locale", "--auth-local", "trust", "--auth-host",
                    "scram-sha-256"], check=True, capture_output=True)
    subprocess.run([*pg_ctl, "--log", str(folder / "server.log"), "--wait", "--options",
                    f"-c listen_addresses={HOST} -p {port} -c unix_socket_directories={folder}", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([*as_postgres, str(binaries / "psql"), "--host", str(folder), "--port", str(port),
                        "--username", "postgres", "--quiet", "-v", "ON_ERROR_STOP=1",
                        "-c", f"CREATE ROLE evidens LOGIN PASSWORD '{password}'",
                        "-c", "CREATE DATABASE evidens OWNER evidens"], check=True, capture_output=True)
        postmaster = int((folder / "data" / "postmaster.pid").read_text().split()[0])
        yield Database(f"postgres://evidens:{password}@{HOST}:{port}/evidens", postmaster)
    finally:
        subprocess.run([*pg_ctl, "--mode", "fast", "stop"], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Server:
    port: int
    log: Path
    pid: int = 0  # gunicorn's master; its workers are its children


def stop(process: subprocess.Popen[Any]) -> None:
    """SIGTERM, which lets gunicorn finish its requests and the worker its job; a kill after 30 seconds."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def evidens_server(env: dict[str, str], log: Path, workers: int, threads: int) -> Iterator[Server]:
    server = Server(port=free_port(), log=log)
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "evidens", "serve", "--host", HOST, "--port",
                                    str(server.port), "--workers", str(workers), "--threads", str(threads)],
                                   env=env, stdout=output, stderr=subprocess.STDOUT)
    server.pid = process.pid  # ``evidens serve`` replaces itself with gunicorn
    try:
        deadline = time.monotonic() + 60
        while not _answers(server.port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"evidens serve did not start; see {log}:\n{log.read_text()}")
            time.sleep(0.2)
        for _warm in range(workers * threads * 2):  # every worker imports and connects before the clock starts
            _answers(server.port)
        yield server
    finally:
        stop(process)


def _answers(port: int) -> bool:
    """Whether the server answers. Not with an unknown survey link: twenty of those from one address lock that
    address out of every link for a while, and every respondent here comes from loopback."""
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/health/")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


@contextlib.contextmanager
def evidens_worker(env: dict[str, str], log: Path) -> Iterator[int]:
    """``evidens worker`` (the database queue's worker) for the run; yields its pid."""
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "evidens", "worker"], env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        yield process.pid
    finally:
        stop(process)


@dataclass(frozen=True)
class MailSink:
    port: int
    pid: int
    record: Path  # a JSON line per message and recipient, written by ``smtp_record``


@contextlib.contextmanager
def mail_sink(record: Path) -> Iterator[MailSink]:
    """The recording SMTP server (``--step smtp``) in a process of its own, so that the load generator's threads
    do not slow it down."""
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--step", "smtp", "--record",
                                str(record)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        started = process.stdout.readline()
        if not started:
            raise SystemExit("The SMTP server did not start.")
        yield MailSink(port=json.loads(started)["port"], pid=process.pid, record=record)
    finally:
        stop(process)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds so far of a process and its children (gunicorn's or PostgreSQL's), from /proc."""

    def stat(each: int) -> list[int]:  # the numbers of /proc/<pid>/stat from field 4 (ppid) on
        return [int(number) for number in Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()[1:]]

    own = stat(pid)
    ticks = sum(own[10:14])  # utime, stime, and those of children that have ended (a closed database connection)
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        with contextlib.suppress(FileNotFoundError):  # a child that has just ended
            ticks += sum(stat(int(child))[10:12])
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine, all cores, since boot, from /proc/stat."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")


# --- a respondent ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exchange:
    kind: str  # one of REQUEST_KINDS
    status: int  # 0: no answer (connection refused or reset, or timed out)
    seconds: float


@dataclass
class Walk:
    """One respondent's way through the form."""

    token: str
    answers: Answers
    double_submit: bool
    exchanges: list[Exchange] = field(default_factory=list)
    outcome: str = ""  # "thanked", or what went wrong
    second_outcome: str = ""  # for a double submit: what the other of the two final requests got
    seconds: float = 0.0


class Browser:
    """A cookie jar and one new loopback connection per request; every request is timed into ``walk``."""

    def __init__(self, port: int, walk: Walk) -> None:
        self.port = port
        self.walk = walk
        self.cookies: dict[str, str] = {}

    def request(self, kind: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """(status, Location header, body) of a GET, or of a POST of ``fields``; status 0 if nothing came back."""
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request("GET" if body is None else "POST", path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode()
        except (OSError, http.client.HTTPException) as error:
            self.walk.exchanges.append(Exchange(kind, 0, time.perf_counter() - started))
            return 0, "", type(error).__name__
        finally:
            connection.close()
        self.walk.exchanges.append(Exchange(kind, response.status, time.perf_counter() - started))
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie: SimpleCookie = SimpleCookie(header)
            self.cookies.update({name: morsel.value for name, morsel in cookie.items()})
        return response.status, response.headers.get("Location", ""), content


def form_fields(question: d.Question, answers: Answers) -> list[tuple[str, str]]:
    """The form fields a browser sends for ``question`` answered as in ``answers``; the field names are those
    ``evidens.surveys.answering`` reads (a matrix statement or a ranking entry is ``<question>.<item>``)."""
    name = question.name
    value = answers.get(name)
    fields: list[tuple[str, str]] = []
    if question.type == d.MATRIX:
        fields = [(f"{name}.{item}", choice) for item, choice in (value or {}).items()]
    elif question.type == d.RANKING:
        fields = [(f"{name}.{item}", str(place)) for place, item in enumerate(value or [], start=1)]
    elif question.type == d.MULTIPLE_CHOICE:
        fields = [(name, choice) for choice in value or []]
    elif value is not None:
        fields = [(name, str(value))]
    if f"{name}.other" in answers:
        fields.append((f"{name}.other", answers[f"{name}.other"]))
    return fields


def hidden_value(html: str, name: str) -> str | None:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return found.group(1) if found else None


def page_outcome(status: int, html: str) -> str:
    if status == 200 and THANKS_TEXT in html:
        return "thanked"
    if status == 200 and ALREADY_ANSWERED in html:
        return "already answered"
    return f"HTTP {status}" if status else f"no answer ({html})"


def respond(port: int, walk: Walk, questionnaire: d.SurveyDefinition) -> Walk:
    browser = Browser(port, walk)
    path = f"/s/{walk.token}/"
    started = time.perf_counter()
    status, _location, html = browser.request("page", path)
    for _page in range(PAGE_LIMIT):
        section, csrf = hidden_value(html, "section"), hidden_value(html, "csrfmiddlewaretoken")
        if status != 200 or section is None or csrf is None:
            walk.outcome = page_outcome(status, html)
            break
        questions = questionnaire.sections[int(section)].questions
        page = [("csrfmiddlewaretoken", csrf), ("section", section),
                *(pair for question in questions for pair in form_fields(question, walk.answers))]
        status, _location, shown_json = browser.request("visible", path, [*page, ("action", "visible")])
        if status != 200:
            walk.outcome = page_outcome(status, shown_json)
            break
        action = "submit" if 'name="action" value="submit"' in html else "next"
        final = [*page, ("shown", " ".join(json.loads(shown_json)["shown"])), ("action", action)]
        if action == "submit" and walk.double_submit:
            status, html = _submit_twice(browser, path, final, walk)
        else:
            status, location, html = browser.request(action, path, final)
            if status == 302:
                status, _location, html = browser.request("page", location)
                continue
        if status != 200 or hidden_value(html, "section") is None:  # not the same page again with a notice
            walk.outcome = page_outcome(status, html)
            break
    else:
        walk.outcome = "stuck"
    walk.seconds = time.perf_counter() - started
    return walk


def _submit_twice(browser: Browser, path: str, fields: list[tuple[str, str]], walk: Walk) -> tuple[int, str]:
    """Send the last page from two threads at the same moment; the thank-you page wins if either got it."""
    start_together = threading.Barrier(2)
    results: list[tuple[int, str]] = []

    def send(kind: str) -> None:
        start_together.wait()
        status, _location, html = browser.request(kind, path, fields)
        results.append((status, html))

    other = threading.Thread(target=send, args=("submit again",))
    other.start()
    send("submit")
    other.join()
    outcomes = [page_outcome(status, html) for status, html in results]
    winner = outcomes.index("thanked") if "thanked" in outcomes else 0
    walk.second_outcome = outcomes[1 - winner]
    return results[winner]


def plan_walks(links: list[dict[str, str]], double_share: float, seed: int) -> list[Walk]:
    """A respondent per link, with the demo's answers for a profile drawn around the person's segment."""
    plan = random.Random(seed)
    walks = []
    for number, link in enumerate(links):
        profile = demo.RespondentProfile(
            segment=link["segment"], organisation_kind=plan.choice(ORGANISATION_KINDS),
            is_member=plan.random() < 0.6, homes=plan.choice([None, 300, 1500, 4000, 12000]),
            region=plan.choice(REGIONS))
        answers = demo.survey_answers(random.Random(seed * 100_003 + number), profile)
        walks.append(Walk(token=link["token"], answers=answers, double_submit=plan.random() < double_share))
    return walks


def send_all(port: int, walks: list[Walk], concurrency: int) -> tuple[float, int]:
    """Send every respondent, ``concurrency`` at a time; (seconds, most respondents seen in flight at once)."""
    questionnaire = demo.member_survey()
    in_flight = peak = 0
    lock = threading.Lock()

    def one(walk: Walk) -> Walk:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return respond(port, walk, questionnaire)
        finally:
            with lock:
                in_flight -= 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, walks))
    return time.perf_counter() - started, peak


# --- the mail ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    """One recipient of one message, as the SMTP server received it."""

    at: float  # wall-clock seconds (time.time), comparable with the respondents' start and end
    kind: str  # "invitation", "reminder", or "unknown" for a subject the benchmark did not send
    to: str


def read_record(record: Path) -> list[Message]:
    kinds = {subject: kind for kind, subject in SUBJECTS.items()}
    entries = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    return [Message(entry["at"], kinds.get(entry["subject"], "unknown"), entry["to"]) for entry in entries]


@dataclass
class Mail:
    """What the SMTP server received and what the database recorded, beside the respondents' time."""

    messages: list[Message]
    deliveries: list[tuple[str, str, str]]  # (mailing kind, address, delivery status)
    mailings: dict[str, str]  # mailing kind → its status at the end
    respondents: set[str]  # the respondents' addresses
    reminded: set[str]  # the addresses of those who were reminded and never answered
    respondents_started: float  # wall-clock seconds
    respondents_ended: float
    worker_cpu: float  # the worker's CPU seconds from planning the reminder to its end

    def of(self, kind: str) -> list[Message]:
        return [message for message in self.messages if message.kind == kind]

    @property
    def reminders(self) -> list[Message]:
        return self.of("reminder")

    def span(self, kind: str) -> tuple[float, float]:
        """First and last arrival of the mailing's messages (NaN for none)."""
        times = [message.at for message in self.of(kind)]
        return (min(times), max(times)) if times else (math.nan, math.nan)

    def duration(self, kind: str) -> float:
        first, last = self.span(kind)
        return last - first

    def per_second(self, kind: str) -> float:
        return len(self.of(kind)) / self.duration(kind) if self.duration(kind) > 0 else math.nan

    @property
    def overlap(self) -> float:
        """Seconds during which the reminder was being sent while respondents were answering."""
        first, last = self.span("reminder")
        if math.isnan(first):
            return 0.0
        return max(min(last, self.respondents_ended) - max(first, self.respondents_started), 0.0)

    @property
    def reminders_meanwhile(self) -> int:
        return sum(1 for message in self.reminders
                   if self.respondents_started <= message.at <= self.respondents_ended)

    @property
    def worker_ms_per_reminder(self) -> float:
        return self.worker_cpu * 1000 / len(self.reminders) if self.reminders else math.nan

    def checks(self) -> dict[str, int]:
        """Every count here must be zero."""
        reminders = Counter(message.to for message in self.reminders)
        invitations = Counter(message.to for message in self.of("invitation"))
        received = Counter((message.kind, message.to) for message in self.messages)
        recorded = Counter((kind, address) for kind, address, status in self.deliveries if status == "sent")
        everyone = self.respondents | self.reminded
        return {
            "mailings not sent": sum(1 for status in self.mailings.values() if status != "sent"),
            "invitations not exactly one": sum(1 for person in everyone if invitations[person] != 1),
            "reminded without a reminder": sum(1 for person in self.reminded if reminders[person] == 0),
            "reminded more than once": sum(1 for person in self.reminded if reminders[person] > 1),
            "respondents reminded more than once": sum(1 for person in self.respondents if reminders[person] > 1),
            "mail to others or of other subjects": sum(1 for message in self.messages
                                                       if message.kind == "unknown" or message.to not in everyone),
            "failed deliveries": sum(1 for _kind, _address, status in self.deliveries if status != "sent"),
            "deliveries unlike the SMTP record": (received - recorded).total() + (recorded - received).total(),
        }


# --- one database ----------------------------------------------------------------------------------------


@dataclass
class Run:
    label: str
    database: str
    walks: list[Walk]
    seconds: float
    peak: int
    server_cpu: float  # gunicorn, while the respondents ran
    # PostgreSQL's processes while the respondents ran; None for SQLite (it works inside gunicorn) and for a
    # --postgres-url server (not this run's to measure)
    database_cpu: float | None
    client_cpu: float
    worker_cpu: float  # the task worker, while the respondents ran
    sink_cpu: float  # the SMTP server, while the respondents ran
    machine_busy: float  # share of all cores busy while the respondents ran
    # CPU seconds the rest of the machine used meanwhile: other people's work on a shared machine shows here
    # (and a --postgres-url server on this machine)
    other_cpu: float
    stored: dict[str, Any]
    log_marks: dict[str, int]  # in the server's and the worker's logs
    mail: Mail

    @property
    def thanked(self) -> list[Walk]:
        return [walk for walk in self.walks if walk.outcome == "thanked"]

    @property
    def exchanges(self) -> list[Exchange]:
        return [exchange for walk in self.walks for exchange in walk.exchanges]

    def latencies(self, kind: str) -> list[float]:
        return [exchange.seconds for exchange in self.exchanges if exchange.kind == kind]

    @property
    def submissions_per_second(self) -> float:
        return len(self.thanked) / self.seconds

    @property
    def requests_per_second(self) -> float:
        return len(self.exchanges) / self.seconds

    @property
    def server_ms_per_request(self) -> float:
        return self.server_cpu * 1000 / len(self.exchanges)

    @property
    def database_ms_per_request(self) -> str:
        return "–" if self.database_cpu is None else f"{self.database_cpu * 1000 / len(self.exchanges):.1f}"

    @property
    def failed_requests(self) -> int:
        """Requests that got no answer, or an error status (4xx, 5xx)."""
        return sum(1 for exchange in self.exchanges if not 0 < exchange.status < 400)

    def integrity(self) -> dict[str, int]:
        """Lost, duplicated and altered responses, responses stored for respondents never thanked, and drafts
        left for respondents who have answered (closing the survey would make them partial responses)."""
        complete = self.stored["complete"]
        thanked = self.thanked
        leftover = self.stored["drafts_of_completed"]
        if all(response["token"] for response in complete):  # identified: check per recipient
            stored = Counter(response["token"] for response in complete)
            answers_by_token = {response["token"]: response["answers"] for response in complete}
            thanked_tokens = {walk.token for walk in thanked}
            return {
                "lost": sum(1 for walk in thanked if walk.token not in stored),
                "duplicated": sum(count - 1 for count in stored.values()),
                "altered": sum(1 for walk in thanked
                               if walk.token in answers_by_token and answers_by_token[walk.token] != walk.answers),
                "stored without a thank-you": sum(1 for token in stored if token not in thanked_tokens),
                "drafts left after answering": leftover,
            }
        sent = Counter(json.dumps(walk.answers, sort_keys=True) for walk in thanked)
        found = Counter(json.dumps(response["answers"], sort_keys=True) for response in complete)
        return {"lost": max(len(thanked) - len(complete), 0), "duplicated": max(len(complete) - len(thanked), 0),
                "altered": (sent - found).total(), "stored without a thank-you": 0,
                "drafts left after answering": leftover}


def run_database(label: str, database: Database, args: argparse.Namespace) -> Run:
    data_dir = Path(tempfile.mkdtemp(prefix="evidens-survey-load-"))
    env = {key: value for key, value in os.environ.items() if key != "EVIDENS_DATABASE_URL"}
    env |= {"EVIDENS_DATA_DIR": str(data_dir), "EVIDENS_ALLOWED_HOSTS": HOST,
            "DJANGO_SETTINGS_MODULE": "evidens.settings", "EVIDENS_MAIL_PER_MINUTE": str(args.mail_per_minute)}
    if database.url:
        env["EVIDENS_DATABASE_URL"] = database.url
    slug = f"survey-load-{secrets.token_hex(4)}"
    try:
        with mail_sink(data_dir / "mail.jsonl") as sink:
            env |= {"EVIDENS_EMAIL_HOST": HOST, "EVIDENS_EMAIL_PORT": str(sink.port)}
            console.print(f"[bold]{label}[/]: preparing {args.respondents} respondents and {args.reminded} "
                          f"reminded in {data_dir}")
            links = run_step("prepare", env, "--slug", slug, "--respondents", str(args.respondents),
                             "--reminded", str(args.reminded), *(["--anonymous"] if args.anonymous else []))
            walks = plan_walks(links, args.double_submit, args.seed)
            with (evidens_server(env, data_dir / "server.log", args.workers, args.threads) as server,
                  evidens_worker(env, data_dir / "worker.log") as worker):
                console.print("the worker sends the invitation")
                run_step("await", env, "--slug", slug, "--kind", "invitation", "--timeout", str(args.mail_timeout))
                worker_planned = cpu_seconds(worker)
                run_step("remind", env, "--slug", slug)
                client_before = resource.getrusage(resource.RUSAGE_SELF)
                busy_before, all_before = machine_busy_seconds()
                postgres = database.server_pid
                server_before, worker_before, sink_before = map(cpu_seconds, (server.pid, worker, sink.pid))
                database_before = cpu_seconds(postgres) if postgres else 0.0
                respondents_started = time.time()
                seconds, peak = send_all(server.port, walks, args.concurrency)
                respondents_ended = time.time()
                server_cpu = cpu_seconds(server.pid) - server_before
                worker_cpu = cpu_seconds(worker) - worker_before
                sink_cpu = cpu_seconds(sink.pid) - sink_before
                database_cpu = cpu_seconds(postgres) - database_before if postgres else None
                busy_after, all_after = machine_busy_seconds()
                client_after = resource.getrusage(resource.RUSAGE_SELF)
                console.print("the respondents are done; waiting for the reminder to be sent")
                run_step("await", env, "--slug", slug, "--kind", "reminder", "--timeout", str(args.mail_timeout))
                worker_reminding = cpu_seconds(worker) - worker_planned
        client_cpu = (client_after.ru_utime - client_before.ru_utime) + (client_after.ru_stime - client_before.ru_stime)
        logs = server.log.read_text() + (data_dir / "worker.log").read_text()
        shared_database = bool(args.postgres_url) and database.url == args.postgres_url
        stored = run_step("tally", env, "--slug", slug, *(["--remove"] if shared_database and not args.keep else []))
        mail = Mail(messages=read_record(sink.record), deliveries=[tuple(row) for row in stored["deliveries"]],
                    mailings=stored["mailings"],
                    respondents={address("respondent", number) for number in range(args.respondents)},
                    reminded={address("reminded", number) for number in range(args.reminded)},
                    respondents_started=respondents_started, respondents_ended=respondents_ended,
                    worker_cpu=worker_reminding)
        measured = server_cpu + (database_cpu or 0.0) + client_cpu + worker_cpu + sink_cpu
        return Run(label=label, database=stored["database"], walks=walks, seconds=seconds, peak=peak,
                   server_cpu=server_cpu, database_cpu=database_cpu, client_cpu=client_cpu, worker_cpu=worker_cpu,
                   sink_cpu=sink_cpu, machine_busy=(busy_after - busy_before) / (all_after - all_before),
                   # clock ticks are counted apart, so a quiet machine can come out a tick below zero
                   other_cpu=max((busy_after - busy_before) - measured, 0.0),
                   stored=stored, log_marks={mark: logs.count(mark) for mark in SERVER_LOG_MARKS}, mail=mail)
    finally:
        if args.keep:
            console.print(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


# --- the report -------------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 (NaN when there is nothing to measure)."""
    if len(values) < 2:
        return (values[0],) * 3 if values else (math.nan,) * 3
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def milliseconds(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:,.0f}"


def mail_figures(mail: Mail) -> str:
    first, last = mail.span("reminder")
    return (f"mail: invitation {len(mail.of('invitation'))} messages in {mail.duration('invitation'):.1f} s "
            f"before the respondents ({mail.per_second('invitation'):.0f}/s); reminder {len(mail.reminders)} messages "
            f"from {first - mail.respondents_started:+.1f} s to {last - mail.respondents_started:+.1f} s of the "
            f"respondents' {mail.respondents_ended - mail.respondents_started:.1f} s "
            f"({mail.per_second('reminder'):.0f}/s), {mail.overlap:.1f} s of it while they answered "
            f"({mail.reminders_meanwhile} messages), worker {mail.worker_ms_per_reminder:.1f} CPU ms a message; "
            f"{sum(1 for message in mail.reminders if message.to in mail.respondents)} respondents reminded\n"
            f"mail checks: {mail.checks()}")


def report(run: Run, args: argparse.Namespace) -> None:
    table = Table(title=f"{run.label}: {run.database}; {len(run.walks)} respondents, {args.concurrency} at once "
                        f"(peak {run.peak}); gunicorn {args.workers} workers × {args.threads} threads; "
                        f"{args.reminded} reminded")
    for heading in ("request", "count", "p50 ms", "p95 ms", "p99 ms", "statuses"):
        table.add_column(heading, justify="left" if heading in ("request", "statuses") else "right")
    for kind in REQUEST_KINDS:
        chosen = [exchange for exchange in run.exchanges if exchange.kind == kind]
        if chosen:
            statuses = Counter(exchange.status for exchange in chosen)
            table.add_row(kind, str(len(chosen)), *map(milliseconds, percentiles(run.latencies(kind))),
                          ", ".join(f"{status or 'none'}×{count}" for status, count in sorted(statuses.items())))
    table.add_row("all requests", str(len(run.exchanges)),
                  *map(milliseconds, percentiles([exchange.seconds for exchange in run.exchanges])), "")
    table.add_row("whole respondent", str(len(run.walks)),
                  *map(milliseconds, percentiles([walk.seconds for walk in run.walks])), "first GET to last answer")
    console.print(table)
    doubles = Counter(walk.second_outcome for walk in run.walks if walk.double_submit)
    console.print(f"submissions/s {run.submissions_per_second:.1f}; requests/s {run.requests_per_second:.0f}; "
                  f"{run.seconds:.1f} s in all; outcomes {dict(Counter(walk.outcome for walk in run.walks))}; "
                  f"failed requests {run.failed_requests}")
    console.print(f"double submits {doubles.total()}: the other request got {dict(doubles)}")
    console.print(f"stored: complete {len(run.stored['complete'])}, recipients completed "
                  f"{run.stored['recipients_completed']}, partial {run.stored['partial']}, drafts left "
                  f"{run.stored['drafts']}; {run.integrity()}")
    console.print(mail_figures(run.mail))
    console.print(f"CPU seconds while the respondents ran: gunicorn {run.server_cpu:.1f} "
                  f"({run.server_ms_per_request:.1f} ms a request), PostgreSQL {run.database_ms_per_request} ms a "
                  f"request, worker {run.worker_cpu:.1f}, SMTP server {run.sink_cpu:.1f}, load generator "
                  f"{run.client_cpu:.1f}, other processes {run.other_cpu:.1f}; machine busy {run.machine_busy:.0%} "
                  f"of {os.cpu_count()} cores; server and worker logs {run.log_marks}\n")


def compare(runs: list[Run]) -> None:
    table = Table(title="Side by side")
    table.add_column("")
    for run in runs:
        table.add_column(run.database, justify="right")

    def row(heading: str, value: Callable[[Run], str]) -> None:
        table.add_row(heading, *(value(run) for run in runs))

    row("submissions/s", lambda run: f"{run.submissions_per_second:.1f}")
    row("requests/s", lambda run: f"{run.requests_per_second:.0f}")

    def spread(kind: str) -> Callable[[Run], str]:
        return lambda run: " / ".join(map(milliseconds, percentiles(run.latencies(kind))))

    for kind in ("page", "visible", "next", "submit"):
        row(f"{kind} p50 / p95 / p99 ms", spread(kind))
    row("respondent p50 / p95 / p99 s", lambda run: " / ".join(
        f"{seconds:.1f}" for seconds in percentiles([walk.seconds for walk in run.walks])))
    row("CPU ms a request: gunicorn + PostgreSQL",
        lambda run: f"{run.server_ms_per_request:.1f} + {run.database_ms_per_request}")
    row("CPU s of the worker / SMTP server meanwhile", lambda run: f"{run.worker_cpu:.1f} / {run.sink_cpu:.1f}")
    row("CPU s used by other processes meanwhile", lambda run: f"{run.other_cpu:.1f}")
    row("thanked / respondents", lambda run: f"{len(run.thanked)} / {len(run.walks)}")
    row("lost / duplicated / altered", lambda run: " / ".join(
        str(run.integrity()[name]) for name in ("lost", "duplicated", "altered")))
    row("complete responses / recipients completed",
        lambda run: f"{len(run.stored['complete'])} / {run.stored['recipients_completed']}")
    row("drafts left after answering", lambda run: str(run.integrity()["drafts left after answering"]))
    row("failed requests (no answer, 4xx, 5xx)", lambda run: str(run.failed_requests))
    row("'database is locked' in the logs", lambda run: str(run.log_marks["database is locked"]))
    row("reminders sent; of them while respondents answered",
        lambda run: f"{len(run.mail.reminders)}; {run.mail.reminders_meanwhile}")
    row("reminders/s", lambda run: f"{run.mail.per_second('reminder'):.0f}")
    row("reminding s; of them while respondents answered",
        lambda run: f"{run.mail.duration('reminder'):.1f}; {run.mail.overlap:.1f}")
    row("worker CPU ms a reminder", lambda run: f"{run.mail.worker_ms_per_reminder:.1f}")
    row("mail checks failed (all should be 0)", lambda run: str(sum(run.mail.checks().values())))
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=200, help="respondents in flight at once")
    parser.add_argument("--reminded", type=int, default=REMINDED,
                        help="invited people who do not answer and get the reminder while the respondents answer")
    parser.add_argument("--mail-per-minute", type=int, default=60_000,
                        help="EVIDENS_MAIL_PER_MINUTE for the worker (the app's default is 120)")
    parser.add_argument("--mail-timeout", type=float, default=600,
                        help="seconds to wait for a mailing to be sent before counting what arrived")
    parser.add_argument("--double-submit", type=float, default=0.1,
                        help="share of respondents who send the last page twice at once")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--postgres-url", default="", help="an existing database instead of a throwaway cluster")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (evidens serve's default)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (evidens serve's default)")
    parser.add_argument("--anonymous", action="store_true",
                        help="an anonymous survey (responses are then checked as a whole, not per recipient)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--keep", action="store_true",
                        help="keep the data directories, and the survey in a --postgres-url database")
    parser.add_argument("--step", choices=["prepare", "remind", "await", "tally", "smtp"], help=argparse.SUPPRESS)
    parser.add_argument("--slug", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--record", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--remove", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    databases = args.databases.split(",")
    if not set(databases) <= {"sqlite", "postgresql"}:
        parser.error(f"--databases takes sqlite and postgresql, not {args.databases}")

    if args.step == "smtp":
        smtp_record(args.record)
        return
    if args.step:
        import django

        django.setup()
        if args.step == "prepare":
            prepare(args.slug, args.respondents, args.reminded, args.anonymous)
        elif args.step == "remind":
            remind(args.slug)
        elif args.step == "await":
            mailing_await(args.slug, args.kind, args.timeout)
        else:
            tally(args.slug, args.remove)
        return

    runs = []
    for database in databases:
        if database == "sqlite":
            runs.append(run_database("Evidens on SQLite", Database(""), args))
        elif args.postgres_url:
            runs.append(run_database("Evidens on PostgreSQL", Database(args.postgres_url), args))
        else:
            with throwaway_postgres() as database:
                runs.append(run_database("Evidens on PostgreSQL", database, args))
        report(runs[-1], args)
    if len(runs) > 1:
        compare(runs)


if __name__ == "__main__":
    main()
