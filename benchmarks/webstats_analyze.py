"""Reading a large access log: `evidens webstats analyze` against GoAccess on the same file, in the same run.

The log is the demo's synthetic site (evidens/demo/weblog.py: visitors with assets, search, newsletters,
crawlers and browser-pretending robots) scaled up to the number of lines asked for, in Apache combined format.
Each side runs as its own process; the script reports wall time, lines per second and peak memory
(the child's maximum resident set size from wait4), the ratio of the two, and checks that both counted the
same requests and the same GoAccess-style unique visitors.

    .venv/bin/python benchmarks/webstats_analyze.py --lines 2000000

GoAccess is Debian's package (`apt-get install goaccess`), run with `--log-format=COMBINED` and JSON output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The demo's site writes about 105,400 lines a year from its uptime monitor and 11.9 lines per visit (page
# views, assets and the robots' share).
MONITOR_LINES, LINES_PER_VISIT = 105_400, 11.9


def generate(path: Path, lines: int) -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from evidens.demo.weblog import write_log

    return write_log(path, first_day=date(2019, 10, 1), last_day=date(2020, 9, 30),
                     visits=max(1, int((lines - MONITOR_LINES) / LINES_PER_VISIT)))


def measure(command: list[str], output: Path) -> tuple[float, int]:
    """Wall seconds and peak memory in bytes of one child process."""
    started = time.perf_counter()
    with output.open("wb") as out:
        env = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return seconds, usage.ru_maxrss * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--log", type=Path, help="use this log instead of generating one (kept between runs)")
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="evidens-bench-") as folder:
        log = arguments.log or Path(folder) / "access.log"
        if not log.exists():
            started = time.perf_counter()
            written = generate(log, arguments.lines)
            print(f"generated {written:,} lines ({log.stat().st_size / 2**20:,.0f} MiB) "
                  f"in {time.perf_counter() - started:.1f} s")
        lines = sum(1 for _ in log.open("rb"))

        evidens_out, goaccess_out = Path(folder) / "evidens.json", Path(folder) / "goaccess.json"
        evidens_seconds, evidens_memory = measure(
            [str(ROOT / ".venv/bin/evidens"), "webstats", "analyze", str(log), "--json", "--quiet"], evidens_out)
        goaccess_seconds, goaccess_memory = measure(
            ["goaccess", str(log), "--log-format=COMBINED", "--no-global-config", "-o", str(goaccess_out)],
            Path(folder) / "goaccess.stdout")

        ours = json.loads(evidens_out.read_text(encoding="utf-8"))
        theirs = json.loads(goaccess_out.read_text(encoding="utf-8"))["general"]
        print(f"{'':28}{'Evidens':>14}{'GoAccess':>14}{'ratio':>10}")
        print(f"{'seconds':28}{evidens_seconds:>14.2f}{goaccess_seconds:>14.2f}"
              f"{goaccess_seconds / evidens_seconds:>9.2f}x")
        print(f"{'lines per second':28}{lines / evidens_seconds:>14,.0f}{lines / goaccess_seconds:>14,.0f}")
        print(f"{'peak memory (MiB)':28}{evidens_memory / 2**20:>14.0f}{goaccess_memory / 2**20:>14.0f}"
              f"{evidens_memory / goaccess_memory:>9.2f}x")
        requests, visitors = (ours["hits"], theirs["total_requests"]), (ours["goaccess_unique_visitors"],
                                                                        theirs["unique_visitors"])
        print(f"{'requests':28}{requests[0]:>14,}{requests[1]:>14,}")
        print(f"{'unique visitors (GoAccess)':28}{visitors[0]:>14,}{visitors[1]:>14,}")
        print(f"{'page views, visits (ours)':28}{ours['human_page_views']:>14,}{ours['visits']:>14,}")
        same = requests[0] == requests[1] and visitors[0] == visitors[1]
        print("same requests and unique visitors as GoAccess:", "yes" if same else "NO")


if __name__ == "__main__":
    main()
