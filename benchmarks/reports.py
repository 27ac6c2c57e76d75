"""Building the reports of the demo process: time and peak memory per report and format, against Chromium.

Each build runs as ``evidens report build`` in its own process under ``/usr/bin/time``, so the figures are what a
secretariat waits for and what the machine must hold (the Python interpreter, Django and the data included): the
knowledge report, the decision memo and the member survey's results compared by segment, each as HTML, PDF and
Word. For comparison the same run prints each report's HTML to PDF with headless Chromium (the peer: another
engine laying out the same page; it gets the screen HTML, without the print stylesheet's contents page and running
header, so it does less).

    .venv/bin/python benchmarks/reports.py                  # builds the demo in a temporary data directory first
    .venv/bin/python benchmarks/reports.py --data-dir DIR   # a data directory that already holds the demo

Progress goes to stderr; the table to stdout (``--json`` for JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
SLUG = "almennet-2030"
FORMATS = ("html", "pdf", "docx")


def _evidens(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVIDENS_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "evidens", *args], env=env, check=True, capture_output=True,
                          text=True)


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of a command, from GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name, *command], env=env, check=True,
                       capture_output=True)
        seconds = time.perf_counter() - started
        kilobytes = int(report.read().strip().splitlines()[-1])
    return seconds, kilobytes * 1024


def _member_survey(data_dir: Path) -> str:
    listed = json.loads(_evidens(data_dir, "survey", "list", "--process", SLUG, "--json").stdout)
    return str(next(survey["id"] for survey in listed if survey["complete"]))


def _pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def run(data_dir: Path, out_dir: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "EVIDENS_DATA_DIR": str(data_dir)}
    survey = _member_survey(data_dir)
    reports = {"vidensrapport": [], "beslutningsgrundlag": [], "survey": ["--survey", survey, "--by", "segment"]}
    rows = []
    for kind, extra in reports.items():
        for file_format in FORMATS:
            out = out_dir / f"{kind}.{file_format}"
            print(f"{kind} {file_format} …", file=sys.stderr)
            seconds, memory = _timed([sys.executable, "-m", "evidens", "report", "build", "--process", SLUG, "--kind",
                                      kind, "--format", file_format, "--out", str(out), *extra], env)
            rows.append({"report": kind, "engine": "Evidens", "format": file_format, "seconds": seconds,
                         "peak_bytes": memory, "bytes": out.stat().st_size,
                         "pages": _pages(out) if file_format == "pdf" else None})
        peer = out_dir / f"{kind}.chromium.pdf"
        print(f"{kind} Chromium …", file=sys.stderr)
        seconds, memory = _timed([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                  f"--print-to-pdf={peer}", (out_dir / f"{kind}.html").as_uri()])
        rows.append({"report": kind, "engine": "Chromium", "format": "pdf", "seconds": seconds, "peak_bytes": memory,
                     "bytes": peer.stat().st_size, "pages": _pages(peer)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="a data directory that already holds the demo process")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="evidens-reports-"))
    try:
        data_dir = arguments.data_dir
        if data_dir is None:
            data_dir = scratch / "data"
            print("building the demo …", file=sys.stderr)
            _evidens(data_dir, "migrate", "--noinput")
            _evidens(data_dir, "demo")
        out_dir = scratch / "out"
        out_dir.mkdir()
        rows = run(data_dir.resolve(), out_dir)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if arguments.json:
        print(json.dumps(rows, indent=2))
        return
    print(f"{'report':22}{'engine':10}{'format':8}{'seconds':>9}{'peak MiB':>10}{'KiB':>9}{'pages':>7}")
    for row in rows:
        print(f"{row['report']:22}{row['engine']:10}{row['format']:8}{row['seconds']:>9.1f}"
              f"{row['peak_bytes'] / 2**20:>10.0f}{row['bytes'] / 1024:>9.0f}{row['pages'] or '':>7}")
    print(re.sub(r"\s+", " ", f"python {sys.version.split()[0]}, {os.cpu_count()} cores"))


if __name__ == "__main__":
    main()
