"""Browser tests against the real stack: ``evidens serve`` (gunicorn) and ``evidens worker`` on a fresh data
directory holding the demo, driven by Playwright in Debian's Chromium. Screenshots go to test-artifacts/.

The server runs on SQLite in its own data directory, or on the database EVIDENS_DATABASE_URL names (in CI the
PostgreSQL run's main database, which the rest of the suite leaves alone: it uses test_<name>).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.mail import MailSink, smtp_server

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Without these, Chromium tries to reach Google's services and fails noisily on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
OUTSIDER_PASSWORD = "a long password for the outsider"


def pytest_collection_modifyitems(items: list[Any]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
            # One server for all browser tests: keep them on one xdist worker.
            item.add_marker(pytest.mark.xdist_group("e2e"))


@dataclass
class Server:
    url: str
    data_dir: Path
    env: dict[str, str]
    mail: MailSink  # what the server sent, received by a real SMTP server on loopback

    def evidens(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "evidens", *args], env=self.env, capture_output=True,
                              text=True, timeout=300, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped with exit code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start within a minute")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    mail = MailSink()
    smtp = smtp_server(mail)
    env = {**os.environ, "EVIDENS_DATA_DIR": str(data_dir), "EVIDENS_ALLOWED_HOSTS": "127.0.0.1",
           "EVIDENS_PASSWORD": OUTSIDER_PASSWORD, "EVIDENS_BASE_URL": f"http://127.0.0.1:{port}",
           "EVIDENS_EMAIL_HOST": "127.0.0.1", "EVIDENS_EMAIL_PORT": str(smtp.port),
           "EVIDENS_MAIL_PER_MINUTE": "6000"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = Server(url=f"http://127.0.0.1:{port}", data_dir=data_dir, env=env, mail=mail)
    server.evidens("migrate", "--noinput")
    server.evidens("collectstatic", "--noinput", "--verbosity", "0")
    server.evidens("demo", "--reset")
    server.evidens("process", "create", "andet-forbund", "--name", "Andet Forbund 2030")
    server.evidens("createuser", "fremmed", "--process", "andet-forbund", "--role", "secretariat")
    log = (data_dir / "server.log").open("wb")
    web = subprocess.Popen([sys.executable, "-m", "evidens", "serve", "--host", "127.0.0.1", "--port", str(port)],
                           env=env, stdout=log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([sys.executable, "-m", "evidens", "worker"], env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    try:
        _wait_for(port, web)
        yield server
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        smtp.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: make test installs it (apt-get install chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, server: Server, request: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=server.url, locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def login(page: Any, username: str, password: str = "demo") -> None:  # noqa: S107 (the demo password)
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
