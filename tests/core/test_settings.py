"""Settings come from the environment and fail loudly; each case runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PRINT_SETTINGS = (
    "import json, evidens.settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'key': s.SECRET_KEY, 'secure': s.SECURE}))"
)


def run_python(code: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value for name, value in os.environ.items()
        if not name.startswith("EVIDENS_") and name != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(EVIDENS_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="evidens.settings", **env)
    return subprocess.run([sys.executable, "-c", code], env=environment, cwd=data_dir.parent,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("EVIDENS_DEBUG", "maybe"),
        ("EVIDENS_SECURE", "sometimes"),
        ("EVIDENS_DATABASE_URL", "mysql://user:pw@localhost/evidens"),
        ("EVIDENS_DATABASE_URL", "not-a-url"),
        ("EVIDENS_DATABASE_URL", "postgres://user@localhost"),
        ("EVIDENS_SECRET_KEY", "too-short"),
        ("EVIDENS_LOGIN_FAILURE_LIMIT", "five"),
        ("EVIDENS_EMAIL_PORT", "25a"),
        ("EVIDENS_LANGUAGE", "fr"),
        ("EVIDENS_LOG_LEVEL", "LOUD"),
        ("EVIDENS_LOG_FORMAT", "xml"),
        ("EVIDENS_TASK_BACKEND", "celery.Backend"),
        # The Redis queue without EVIDENS_REDIS_URL.
        ("EVIDENS_TASK_BACKEND", "django_tasks_rq.RQBackend"),
    ],
)
def test_a_bad_value_stops_the_program_and_names_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    result = run_python("import evidens.settings", tmp_path / "data", **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_good_values_are_read(tmp_path: Path) -> None:
    key = "k" * 40
    result = run_python(PRINT_SETTINGS, tmp_path / "data",
                        EVIDENS_DEBUG="yes", EVIDENS_SECURE="true", EVIDENS_SECRET_KEY=key)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"debug": True, "key": key, "secure": True}
    # A key from the environment is used as is; nothing is written to the data directory.
    assert not (tmp_path / "data" / "secret_key").exists()


def test_a_new_data_directory_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    result = run_python("import evidens.settings", tmp_path / "data")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700


def test_debug_is_off_unless_asked(tmp_path: Path) -> None:
    result = run_python(PRINT_SETTINGS, tmp_path / "data")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is False


def test_the_secret_key_is_generated_once_into_the_data_directory(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    first = run_python(PRINT_SETTINGS, data_dir)
    second = run_python(PRINT_SETTINGS, data_dir)

    assert first.returncode == 0, first.stderr
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = json.loads(first.stdout)["key"]
    assert len(key) >= 50
    assert key == key_file.read_text().strip()
    assert json.loads(second.stdout)["key"] == key
    # Another data directory, another key.
    assert json.loads(run_python(PRINT_SETTINGS, tmp_path / "elsewhere").stdout)["key"] != key


def test_an_empty_secret_key_file_is_an_error_not_a_silent_new_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "secret_key").write_text("")

    result = run_python("import evidens.settings", data_dir)

    assert result.returncode != 0
    assert "secret_key" in result.stderr


SQLITE_PROBE = """
import json, sqlite3
import django
django.setup()
from django.conf import settings
from django.db import connection, transaction

with connection.cursor() as cursor:
    pragmas = {}
    for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous"):
        cursor.execute(f"PRAGMA {name}")
        pragmas[name] = cursor.fetchone()[0]

def other_writer_locked_out():
    other = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    other.execute("ROLLBACK")
    return False

with transaction.atomic():
    # A transaction that has only read so far already holds the write lock (BEGIN IMMEDIATE) ...
    connection.cursor().execute("SELECT 1")
    locked_inside = other_writer_locked_out()
# ... and releases it at the end.
locked_after = other_writer_locked_out()
print(json.dumps({"pragmas": pragmas, "locked_inside": locked_inside, "locked_after": locked_after}))
"""


def test_sqlite_runs_with_wal_busy_timeout_and_immediate_transactions(tmp_path: Path) -> None:
    result = run_python(SQLITE_PROBE, tmp_path / "data")

    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["pragmas"] == {"journal_mode": "wal", "busy_timeout": 20000, "foreign_keys": 1, "synchronous": 1}
    assert probe["locked_inside"] is True
    assert probe["locked_after"] is False
    assert (tmp_path / "data" / "evidens.sqlite3").exists()


def test_processes_starting_together_agree_on_one_secret_key(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    data_dir = tmp_path / "data"
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: run_python(PRINT_SETTINGS, data_dir), range(6)))

    assert all(result.returncode == 0 for result in results), [result.stderr for result in results]
    keys = {json.loads(result.stdout)["key"] for result in results}
    assert keys == {(data_dir / "secret_key").read_text().strip()}
    assert [path.name for path in data_dir.iterdir() if path.name.startswith(".secret_key")] == []
