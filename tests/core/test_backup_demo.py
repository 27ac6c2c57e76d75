"""``evidens backup`` and ``evidens restore`` of the whole demo process, on each database the suite runs on.

The demo (register, survey with responses, interviews with coding, archive documents with their files, a year of web
log in Parquet files, evidence, strategy options and a signed decision) is built once per database into a fresh
installation, backed up, and restored into another fresh installation; every step is the console command in a
subprocess. The SQLite round trip always runs; the PostgreSQL → PostgreSQL one exists only when the suite runs on
PostgreSQL (EVIDENS_DATABASE_URL), in two databases of its own on the same server, dropped afterwards.

The restored installation must hold the same rows and files and also *work*: the same web statistics read from its
own Parquet files, the signed decision and every evidence item still matching their hashes, the same archive search
hits from its rebuilt full-text index, the same survey results, the demo password still valid, and new rows
accepted after the restored ones.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from evidens.core.backup import excluded_models
from evidens.demo import data as demo_data
from tests.core.test_backup import files_under
from tests.core.test_cli import evidens, migrated_data_dir, migrated_template

__all__ = ["migrated_template"]  # a fixture, used by name

# The PostgreSQL round trip is a parameter only in the PostgreSQL run, so the SQLite run neither collects nor skips it.
DATABASES = ["sqlite", "postgresql"] if connection.vendor == "postgresql" else ["sqlite"]
# A full demo build, and a restore (migrate, about 13,000 rows, the search index), take a minute or two on a busy
# machine.
SLOW = 900.0
SEARCHES = ("renovering", "beboerdemokrati", '"almene boliger"', "bolig*")

# What the installation shows, read through the same selectors and commands as its pages; printed as JSON.
PROBE = """
import io, json
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from evidens.archive import search
from evidens.archive.models import ArchiveDocument
from evidens.core.models import User
from evidens.evidence.models import EvidenceItem
from evidens.evidence.services import content_hash
from evidens.processes.models import StrategyProcess
from evidens.strategy import selectors as strategy_selectors
from evidens.strategy.models import Decision
from evidens.surveys.models import Survey
from evidens.webstats import selectors as webstats_selectors
from evidens.webstats import warehouse

process = StrategyProcess.objects.get(slug=SLUG)
scope = webstats_selectors.scope(process)
with warehouse.Reader(scope) as reader:
    webstats = {"totals": reader.totals(), "top_pages": [list(row) for row in reader.top_pages(10)]}
index_table = "archive_search" if connection.vendor == "postgresql" else "archive_fts"
with connection.cursor() as cursor:
    cursor.execute(f"SELECT count(*) FROM {index_table}")
    indexed = cursor.fetchone()[0]
surveys = {}
for survey in Survey.objects.filter(process=process).order_by("id"):
    out = io.StringIO()
    call_command("survey_results", survey=survey.pk, json=True, stdout=out)
    surveys[survey.title] = json.loads(out.getvalue())
print(json.dumps({
    # Relative to this installation's analytics folder: a path into another data directory fails here.
    "webstats_folders": [str(folder.relative_to(settings.ANALYTICS_ROOT)) for folder in scope.folders],
    "webstats": webstats,
    "decisions": [[decision.option.title, decision.content_hash, decision.signed,
                   strategy_selectors.decision_intact(decision)]
                  for decision in Decision.objects.filter(process=process).order_by("id")],
    "evidence_hashes_match": [item.content_hash == content_hash(item.definition, item.result, item.chart)
                              for item in EvidenceItem.objects.filter(process=process).order_by("id")],
    "documents": ArchiveDocument.objects.filter(process=process).count(),
    "searches": {query: [search.search(process, query, count_cap=None).total,
                         [hit.document.title for hit in search.search(process, query, limit=20).hits]]
                 for query in SEARCHES},
    # BM25 scores depend on every row of the index (their number, their lengths), not only on the matches.
    "search_index": {"rows": indexed, "scores": {query: [round(hit.score, 6) for hit in search.search(
        process, query, limit=20).hits] for query in SEARCHES}},
    "surveys": surveys,
    "demo_password_valid": User.objects.get(username=USERNAME).check_password(PASSWORD),
}, ensure_ascii=False, sort_keys=True, default=str))
"""


@dataclass
class Installation:
    """A data directory, and the PostgreSQL database it uses instead of its own SQLite file (if any)."""

    data_dir: Path
    database_url: str | None = None

    def run(self, *args: str, timeout: float = 180) -> str:
        if self.database_url is None:
            return evidens(self.data_dir, *args, timeout=timeout).stdout
        return evidens(self.data_dir, *args, timeout=timeout, EVIDENS_DATABASE_URL=self.database_url).stdout


@dataclass
class RoundTrip:
    source: Installation  # the demo, as built
    target: Installation  # restored from the source's backup


def server_setting(name: str) -> str:
    """HOST, PORT, USER or PASSWORD of the suite's database ("" when not set)."""
    return str(settings.DATABASES["default"].get(name) or "")


def postgres_admin() -> psycopg.Connection[Any]:
    """A connection to the suite's PostgreSQL server, outside any database the tests use, for CREATE DATABASE."""
    return psycopg.connect(host=server_setting("HOST") or None, port=server_setting("PORT") or None,
                           user=server_setting("USER"), password=server_setting("PASSWORD") or None,
                           dbname="postgres", autocommit=True)


def postgres_url(name: str) -> str:
    password = server_setting("PASSWORD")
    credentials = quote(server_setting("USER"), safe="") + (f":{quote(password, safe='')}" if password else "")
    return f"postgres://{credentials}@{server_setting('HOST') or 'localhost'}:{server_setting('PORT') or 5432}/{name}"


@pytest.fixture(scope="module")
def postgres_databases() -> Iterator[list[str]]:
    """Names for fresh databases; each name handed out is created now and dropped at the end of the module."""
    created: list[str] = []
    yield created
    if not created:
        return
    with postgres_admin() as admin:
        for name in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_installation(database: str, folder: Path, databases: list[str], template: Path | None) -> Installation:
    """An empty installation in ``folder``: SQLite, or a new PostgreSQL database of its own. With a ``template`` (a
    migrated SQLite data directory) it is migrated; without, not even that, as a restore expects."""
    if database == "postgresql":
        name = f"evidens_backup_demo_{secrets.token_hex(4)}"
        with postgres_admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        databases.append(name)
        folder.mkdir(parents=True)
        installation = Installation(folder, postgres_url(name))
        if template is not None:
            installation.run("migrate", "--noinput", "--verbosity", "0", timeout=SLOW)
        return installation
    if template is not None:
        return Installation(migrated_data_dir(template, folder))
    folder.mkdir(parents=True)
    return Installation(folder)


@pytest.fixture(scope="module", params=DATABASES)
def round_trip(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
               migrated_template: Path, postgres_databases: list[str]) -> RoundTrip:
    """The demo built into a fresh installation, backed up, and restored into another fresh one.

    Shared by the tests of this module, which leave both installations as they are (except the last one).
    """
    database: str = request.param
    folder = tmp_path_factory.mktemp(f"backup-demo-{database}")
    source = fresh_installation(database, folder / "source", postgres_databases, migrated_template)
    source.run("demo", "--json", timeout=SLOW)
    archive = folder / "demo.tar.gz"
    source.run("backup", "--out", str(archive), timeout=SLOW)
    target = fresh_installation(database, folder / "target", postgres_databases, None)
    target.run("restore", str(archive), timeout=SLOW)
    return RoundTrip(source, target)


def dump(installation: Installation) -> str:
    """Every row as dumpdata writes it with natural keys, less the models a backup leaves out. XML rather than JSON:
    Django's JSON cuts times to milliseconds, which would hide timestamps that lost their microseconds."""
    args = ["dumpdata", "--format", "xml", "--natural-foreign", "--natural-primary", "--indent", "1"]
    for label in excluded_models():
        args += ["--exclude", label]
    return installation.run(*args, timeout=SLOW)


def probe(installation: Installation) -> dict[str, Any]:
    user = demo_data.DEMO_USERS[0]
    script = (f"SLUG = {demo_data.DEMO_SLUG!r}\nUSERNAME = {user.username!r}\nPASSWORD = {demo_data.DEMO_PASSWORD!r}\n"
              f"SEARCHES = {SEARCHES!r}\n{PROBE}")
    return json.loads(installation.run("shell", "--no-imports", "--command", script, timeout=SLOW))


@pytest.fixture(scope="module")
def source_probe(round_trip: RoundTrip) -> dict[str, Any]:
    return probe(round_trip.source)


@pytest.fixture(scope="module")
def target_probe(round_trip: RoundTrip) -> dict[str, Any]:
    return probe(round_trip.target)


def test_the_restored_database_holds_the_same_rows(round_trip: RoundTrip) -> None:
    source = dump(round_trip.source)

    assert dump(round_trip.target) == source
    # The demo is all there to compare: a row of each part the brief names.
    for model in ("surveys.response", "coding.coding", "interviews.interview", "archive.archivedocument",
                  "webstats.logimport", "evidence.evidenceitem", "strategy.decision", "processes.auditentry"):
        assert f'model="{model}"' in source, model


def test_every_uploaded_and_analytics_file_is_restored_byte_for_byte(round_trip: RoundTrip) -> None:
    for root in ("media", "analytics"):
        source = files_under(round_trip.source.data_dir / root)
        assert source, root
        assert files_under(round_trip.target.data_dir / root) == source, root


def test_the_restored_installation_shows_the_same_figures(source_probe: dict[str, Any],
                                                          target_probe: dict[str, Any]) -> None:
    assert {**target_probe, "search_index": None} == {**source_probe, "search_index": None}


def test_the_search_index_is_rebuilt_as_it_was(source_probe: dict[str, Any], target_probe: dict[str, Any]) -> None:
    """The index is not in the backup (FTS5 and tsvector tables are no models): loaddata's saves rebuild it, and
    must rebuild exactly the rows the source had, or every search's scores (and so, at times, its order) change."""
    assert target_probe["search_index"] == source_probe["search_index"]


def test_the_figures_compared_are_the_demos_own(source_probe: dict[str, Any]) -> None:
    """The comparison above means something only if the source shows the demo: data in every part."""
    assert source_probe["webstats_folders"] and all(
        folder.startswith("webstats/") for folder in source_probe["webstats_folders"])
    assert source_probe["webstats"]["totals"]["hits"] > 100_000
    assert len(source_probe["webstats"]["top_pages"]) == 10
    # One decision, signed off, whose frozen record still has the hash it was signed with.
    [[_option, decision_hash, signed, intact]] = source_probe["decisions"]
    assert signed and intact and len(decision_hash) == 64
    assert source_probe["evidence_hashes_match"] and all(source_probe["evidence_hashes_match"])
    # The search index holds one row per readable document (the demo has three it cannot read) and finds something
    # for every query.
    assert source_probe["search_index"]["rows"] == source_probe["documents"] - 3
    assert all(total > 0 for total, _hits in source_probe["searches"].values())
    [survey] = source_probe["surveys"].values()
    assert survey["responses"] > 100 and survey["questions"]
    assert source_probe["demo_password_valid"] is True


def test_the_restored_installation_takes_new_rows(round_trip: RoundTrip, target_probe: dict[str, Any]) -> None:
    """After loaddata the id sequences (PostgreSQL) and autoincrement counters must lie past the restored rows.
    Runs after the target's probe (its fixture), since it adds a process."""
    round_trip.target.run("process", "create", "efter-gendannelse", "--name", "Efter gendannelse")
    round_trip.target.run("createuser", "efter", "--process", "efter-gendannelse", "--role", "secretariat",
                          "--password", "en lang adgangskode efter gendannelsen")

    listing = round_trip.target.run("shell", "--no-imports", "--command",
                                    "from evidens.processes.models import StrategyProcess as P; "
                                    "print(sorted(P.objects.values_list('slug', flat=True)))")
    assert listing.strip() == str(sorted([demo_data.DEMO_SLUG, "efter-gendannelse"]))
