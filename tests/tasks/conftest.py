"""A real stack for the task tests: ``evidens worker`` and ``evidens serve`` subprocesses on one database and one
data directory, with the task backend the environment selects.

- The queue: ``EVIDENS_TASK_BACKEND`` and ``EVIDENS_REDIS_URL`` pass through to the subprocesses. On Redis each
  pytest-xdist worker takes its own Redis database (1-15) and empties it first, so parallel runs never take
  each other's jobs.
- The database: a copy of the suite's migrated test database, made once per test module. On SQLite (an in-memory
  test database) it is written to a file in the data directory; on PostgreSQL it is a new database made from the
  test database as template, dropped afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, connections

from tests.core.test_cli import subprocess_env
from tests.tasks.probe_tasks import runs_folder

REPOSITORY = Path(__file__).resolve().parents[2]
REDIS_BACKEND = "django_tasks_rq.RQBackend"
# A worker is ready when it has logged that it waits for jobs (db_worker, RQ's worker).
WORKER_READY = re.compile(r"Starting worker worker_id=|\*\*\* Listening on default")
TASK_STARTED = re.compile(r"Task id=(\S+) path=\S+ state=RUNNING")

ENQUEUE = """
import json
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from evidens.processes.jobs import job_enqueue
from evidens.processes.services import process_create
from tests.tasks import probe_tasks

planned = []
with transaction.atomic():
    process = process_create(slug="probe-{suffix}", name="Task probe")
    for name, delay, arguments in json.loads({spec}):
        task = getattr(probe_tasks, name)
        # Whole seconds, as a planned mailing's time is: RQ keeps a deferred job's time without the fraction,
        # so it may start up to a second before a time with one.
        run_after = (timezone.now() + timedelta(seconds=delay + 1)).replace(microsecond=0) if delay else None
        job = job_enqueue(process=process, kind="probe", label=name,
                          task=task.using(run_after=run_after) if run_after else task, **arguments)
        planned.append({{"job": job.pk, "run_after": run_after.isoformat() if run_after else None}})
print("ENQUEUED " + json.dumps(planned))
"""


def wait_until(condition: Callable[[], Any], *, seconds: float, what: str) -> Any:
    """Poll ``condition`` until it returns something true, and return that; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.1)


def on_redis() -> bool:
    return os.environ.get("EVIDENS_TASK_BACKEND", "") == REDIS_BACKEND


def _redis_url(worker_id: str) -> str:
    """The environment's Redis URL with a database of this xdist worker's own (``gw3`` → 4; no xdist → 1)."""
    number = int(worker_id[2:]) if worker_id.startswith("gw") else 0
    parts = urlsplit(os.environ["EVIDENS_REDIS_URL"])
    return urlunsplit(parts._replace(path=f"/{number % 15 + 1}"))


@dataclass(frozen=True)
class JobRow:
    status: str
    message: str
    result: dict[str, Any]
    started_at: datetime | None
    progress: tuple[int, int]
    task_id: str


def _moment(value: Any) -> datetime | None:
    """A timestamp column as an aware datetime: SQLite gives text in UTC, psycopg an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


@dataclass
class Database:
    """Reads what the subprocesses wrote, straight through the database driver (the suite's own connection
    points at the test database, not at this copy)."""

    sqlite_path: Path | None = None
    postgres: dict[str, Any] = field(default_factory=dict)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite_path:
            with sqlite3.connect(self.sqlite_path) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(**self.postgres, autocommit=True) as db:
            return db.execute(sql).fetchall()

    def job(self, job_id: int) -> JobRow:
        ((status, message, result, started_at, done, total, task_id),) = [
            row[1:] for row in self.rows("SELECT id, status, message, result, started_at, progress_done, "
                                         "progress_total, task_id FROM processes_job") if row[0] == job_id]
        return JobRow(status=status, message=message,
                      result=json.loads(result) if isinstance(result, str) else result,
                      started_at=_moment(started_at), progress=(done, total), task_id=task_id)


@dataclass
class Stack:
    data_dir: Path
    env: dict[str, str]
    database: Database
    logs: Path
    processes: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    def evidens(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "evidens", *args], env=self.env,
                                cwd=self.data_dir.parent, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"evidens {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result

    def start(self, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        """``evidens ARGS`` in the background, its output in a log file; stopped at the end of the test."""
        log = self.logs / f"{args[0]}-{uuid.uuid4().hex[:8]}.log"
        with log.open("wb") as output:
            process = subprocess.Popen([sys.executable, "-m", "evidens", *args], env=self.env,
                                       cwd=self.data_dir.parent, stdout=output, stderr=subprocess.STDOUT)
        self.processes.append((process, log))
        return process, log

    def wait_ready(self, worker: tuple[subprocess.Popen[bytes], Path]) -> None:
        process, log = worker

        def ready() -> bool:
            assert process.poll() is None, f"the worker stopped:\n{log.read_text()}"
            return bool(WORKER_READY.search(log.read_text()))

        wait_until(ready, seconds=180, what="the worker to start")

    def enqueue(self, *jobs: tuple[str, float, dict[str, Any]]) -> list[dict[str, Any]]:
        """Queue probe jobs (task name, seconds until it may run, arguments) through ``job_enqueue`` in one
        transaction of an ``evidens shell``; returns ``{"job": id, "run_after": iso or None}`` for each."""
        script = ENQUEUE.format(suffix=uuid.uuid4().hex[:12], spec=repr(json.dumps([list(job) for job in jobs])))
        output = self.evidens("shell", "--command", script).stdout
        return list(json.loads(output.split("ENQUEUED ", 1)[1]))

    def runs(self) -> Counter[int]:
        """How many times each job's probe ran (by job id)."""
        folder = runs_folder(self.data_dir)
        return Counter(int(marker.name.split(".")[0]) for marker in folder.iterdir()) if folder.exists() \
            else Counter()

    def run_workers(self) -> dict[int, int]:
        """Job id → the process id of the worker that ran it, from the probes' marker files."""
        return {int(job): int(pid) for job, pid, _ in
                (marker.name.split(".") for marker in runs_folder(self.data_dir).iterdir())}

    def task_starts(self) -> Counter[str]:
        """How often each task id was started, over every worker's log."""
        return Counter(task_id for _process, log in self.processes
                       for task_id in TASK_STARTED.findall(log.read_text()))

    def stop_all(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                process.terminate()
        for process, _log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()


@contextlib.contextmanager
def _postgres_copy(name: str) -> Iterator[dict[str, Any]]:
    """A new PostgreSQL database made from the (migrated) test database; dropped afterwards."""
    import psycopg

    source = connection.settings_dict
    server = {"host": source["HOST"] or None, "port": source["PORT"] or None, "user": source["USER"],
              "password": source["PASSWORD"]}
    # A template must have no other sessions: this process's own connections go first.
    connections.close_all()
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source["NAME"]}"')
    try:
        yield {**server, "dbname": name}
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(postgres: dict[str, Any]) -> str:
    host = postgres["host"] or "localhost"
    port = f":{postgres['port']}" if postgres["port"] else ""
    return f"postgres://{postgres['user']}:{postgres['password']}@{host}{port}/{postgres['dbname']}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None, django_db_blocker: Any,
          worker_id: str) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("tasks")
    data_dir = root / "data"
    data_dir.mkdir()
    logs = root / "logs"
    logs.mkdir()
    extra = {"PYTHONPATH": str(REPOSITORY), "EVIDENS_LOG_LEVEL": "INFO"}
    if on_redis():
        import redis

        extra.update(EVIDENS_TASK_BACKEND=REDIS_BACKEND, EVIDENS_REDIS_URL=_redis_url(worker_id))
        redis.Redis.from_url(extra["EVIDENS_REDIS_URL"]).flushdb()
    with contextlib.ExitStack() as cleanup:
        with django_db_blocker.unblock():
            if connection.vendor == "postgresql":
                postgres = cleanup.enter_context(
                    _postgres_copy(f"{connection.settings_dict['NAME']}_tasks_{uuid.uuid4().hex[:8]}"))
                extra["EVIDENS_DATABASE_URL"] = _url(postgres)
                database = Database(postgres=postgres)
            else:
                connection.ensure_connection()
                with contextlib.closing(sqlite3.connect(data_dir / "evidens.sqlite3")) as target:
                    connection.connection.backup(target)
                database = Database(sqlite_path=data_dir / "evidens.sqlite3")
        environment = subprocess_env(data_dir, **extra)
        # The suite's settings: static files from the app folders, no collectstatic (minutes on a busy machine).
        environment["DJANGO_SETTINGS_MODULE"] = "tests.settings"
        stack = Stack(data_dir=data_dir, env=environment, database=database, logs=logs)
        cleanup.callback(stack.stop_all)
        yield stack


@pytest.fixture
def workers(stack: Stack) -> Iterator[Stack]:
    """The stack, with every process a test starts stopped at its end."""
    yield stack
    stack.stop_all()
