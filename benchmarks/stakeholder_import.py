"""Register import throughput: Evidens' CSV import against Django's ``loaddata`` on the same people.

Evidens reads the file, maps the columns, checks every row (e-mail syntax, duplicates in the file and
against the register) and stores it in one transaction; ``loaddata`` stores the same rows from a JSON
fixture without any of those checks, so it is the floor for what Django can insert.

    .venv/bin/python benchmarks/stakeholder_import.py --rows 20000

Runs on a fresh SQLite file in a temporary data directory (or on EVIDENS_DATABASE_URL if set; it then
creates and deletes its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path


def people_csv(rows: int, seed: int = 2030) -> bytes:
    rng = random.Random(seed)
    first = ["Anne", "Mette", "Lars", "Søren", "Åse", "Jens", "Ølstrup", "Kirsten", "Peter", "Ida"]
    last = ["Hansen", "Møller", "Sørensen", "Ærø", "Kristensen", "Nielsen", "Blåbær", "Jensen"]
    segments = ["Direktion/ledelse", "Drift", "Udlejning og beboerservice", "Boligsocial indsats"]
    lines = ["Navn;E-mail;Telefon;Stilling;Segment;Kilde"]
    for number in range(rows):
        name = f"{rng.choice(first)} {rng.choice(last)}"
        lines.append(f"{name};person{number}@bench.example;+45 0{number:07d};Medarbejder;"
                     f"{rng.choice(segments)};Benchmark")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="evidens-bench-")
    os.environ.setdefault("EVIDENS_DATA_DIR", data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evidens.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from evidens.processes import services as process_services
    from evidens.stakeholders import importing
    from evidens.stakeholders import services as stakeholder_services
    from evidens.stakeholders.models import Person

    call_command("migrate", verbosity=0)
    content = people_csv(args.rows)

    ours = process_services.process_create(slug="bench-evidens", name="Benchmark Evidens")
    started = time.perf_counter()
    table = importing.read_table(content, "people.csv")
    mapping = importing.guess_mapping(table.headers, "people")
    prepared = stakeholder_services.register_file_prepare(process=ours, kind="people", table=table, mapping=mapping)
    stakeholder_services.register_file_store(process=ours, actor=None, prepared=prepared)
    evidens_seconds = time.perf_counter() - started
    assert Person.objects.filter(process=ours).count() == args.rows

    peer = process_services.process_create(slug="bench-loaddata", name="Benchmark loaddata")
    fixture = Path(data_dir) / "people.json"
    fixture.write_text(json.dumps([
        {"model": "stakeholders.person", "fields": {
            "process": peer.pk, "name": record.name, "email": record.email, "phone": record.phone,
            "role_title": record.role_title, "segment": record.segment, "source": record.source,
            "consent": "unknown", "lawful_basis": "legitimate_interest", "created_at": "2026-11-27T00:00:00Z"}}
        for record in prepared.records
    ]))
    started = time.perf_counter()
    call_command("loaddata", str(fixture), verbosity=0)
    loaddata_seconds = time.perf_counter() - started
    assert Person.objects.filter(process=peer).count() == args.rows

    print(f"database: {connection.vendor}; rows: {args.rows}; file: {len(content) / 1e6:.1f} MB")
    print(f"{'tool':<44}{'seconds':>9}{'rows/s':>10}")
    for tool, seconds in [("Evidens import (read, map, check, store)", evidens_seconds),
                          ("Django loaddata (store only, no checks)", loaddata_seconds)]:
        print(f"{tool:<44}{seconds:>9.2f}{args.rows / seconds:>10.0f}")
    print(f"Evidens / loaddata time: {evidens_seconds / loaddata_seconds:.2f}")
    for process in (ours, peer):
        process.delete()


if __name__ == "__main__":
    sys.exit(main())
