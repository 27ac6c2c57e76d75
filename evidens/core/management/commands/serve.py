"""``evidens serve``: the web application under gunicorn."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from evidens.core.commands import EvidensCommand
from evidens.core.management.commands._text import CommandHelp


def port_number(value: str) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError(value)
    return port


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


# Gunicorn's default access log starts with the client's IP address. Evidens logs nothing personal,
# so the access log is off unless asked for, and then without the address and the referrer.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_argv(
    *, host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool
) -> list[str]:
    argv = [
        sys.executable, "-m", "gunicorn", "evidens.wsgi:application",
        "--bind", bind_address(host, port),
        "--workers", str(workers),
        "--threads", str(threads),
        "--timeout", str(timeout),
        "--error-logfile", "-",
        # Gunicorn's control socket defaults to one path per user; two servers would fight over it.
        "--no-control-socket",
        "--logger-class", "evidens.core.logfilters.RedactingAccessLogger",
    ]
    if access_log:
        argv += ["--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT]
    return argv


def static_manifest_missing() -> bool:
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return "Manifest" in backend and not manifest.exists()


class Command(EvidensCommand):
    help = CommandHelp(gettext_noop(
        "Run the web application with gunicorn (behind a reverse proxy with TLS in production)."
    ))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1",
                            help=_("address to listen on (default 127.0.0.1)"))
        parser.add_argument("--port", type=port_number, default=8000, help=_("port (default 8000)"))
        parser.add_argument("--workers", type=positive, default=2,
                            help=_("worker processes (default 2)"))
        parser.add_argument("--threads", type=positive, default=4,
                            help=_("threads per worker (default 4)"))
        parser.add_argument("--timeout", type=positive, default=60,
                            help=_("seconds before a silent worker is restarted (default 60)"))
        parser.add_argument("--access-log", action="store_true",
                            help=_("log each request to stdout (without client addresses)"))

    def check_static_files(self) -> None:
        if static_manifest_missing():
            self.stderr.write(self.style.WARNING(_(
                "The static files have not been collected: pages will fail until you run "
                "`evidens collectstatic --noinput`."
            )))

    def handle(self, *args: Any, **options: Any) -> None:
        self.check_migrations()
        self.check_static_files()
        argv = gunicorn_argv(
            host=options["host"], port=options["port"], workers=options["workers"],
            threads=options["threads"], timeout=options["timeout"], access_log=options["access_log"],
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evidens.settings")
        address = bind_address(options["host"], options["port"])
        self.stdout.write(_("Serving Evidens on %(url)s with gunicorn; stop with Ctrl-C.")
                          % {"url": f"http://{address}/"})
        self.stdout.flush()
        sys.stderr.flush()
        try:
            os.execv(sys.executable, argv)  # noqa: S606 - fixed argv, no shell
        except OSError as error:  # pragma: no cover - the interpreter itself vanished
            raise CommandError(_("Could not start gunicorn: %(error)s") % {"error": error}) from None
