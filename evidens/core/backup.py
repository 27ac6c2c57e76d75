"""One archive with everything an installation holds: the database, uploaded files and analytics files.

Layout of the ``.tar.gz``::

    data.json        dumpdata of every app, natural keys, without rows Django or the worker rebuild
    media/...        the files under MEDIA_ROOT
    analytics/...    the files under ANALYTICS_ROOT
    manifest.json    format version, when, which Evidens, which database, and a sha256 per member

The manifest is written last, with digests of exactly the bytes that went into the archive.
``backup_restore`` reads it first, rejects anything it did not write itself (absolute paths,
``..``, links, unlisted members), verifies every digest before touching the database, and
refuses a target that already holds data (a row in any of Evidens' own apps, or a file).

Backups contain personal data: the archive is created with mode 0600.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management import call_command
from django.core.management.commands.loaddata import Command as LoadDataCommand
from django.core.serializers.json import Deserializer as JSONDeserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils.formats import number_format
from django.utils.translation import gettext as _

FORMAT = "evidens-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
FILE_ROOTS = ("media", "analytics")
# Rows that migrate recreates (content types, permissions) or that mean nothing in another
# installation (sessions, admin log, the worker's task results), as (app module, model or None).
EXCLUDED_MODELS = (
    ("django.contrib.contenttypes", None),
    ("django.contrib.auth", "permission"),
    ("django.contrib.sessions", None),
    ("django.contrib.admin", "logentry"),
    ("django_tasks_db", "dbtaskresult"),
)
CHUNK = 1024 * 1024
# The serialization format data.json is written in (see ``Serializer``); loaddata reads it as plain JSON.
DATA_FORMAT = "evidens-backup-json"

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """The archive or the target is not what a backup or restore needs; the message says why.

    Messages are translated when raised: the commands run in the installation's language.
    """


@dataclass
class Summary:
    path: Path
    files: int = 0
    bytes: int = 0
    objects: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)


def evidens_version() -> str:
    try:
        return version("evidens")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return "unknown"


def file_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "analytics": Path(settings.ANALYTICS_ROOT)}


def excluded_models() -> list[str]:
    """The exclusions for dumpdata as app labels, limited to the apps this installation has."""
    labels = {config.name: config.label for config in apps.get_app_configs()}
    return [
        label if model is None else f"{label}.{model}"
        for module, model in EXCLUDED_MODELS
        if (label := labels.get(module))
    ]


class FullPrecisionEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (JavaScript's precision); a restore must give back every
    microsecond the database held, or timestamps change and rows that were apart in time become equal."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    """dumpdata's JSON with the full-precision encoder, registered as ``DATA_FORMAT``."""

    def start_serialization(self) -> None:
        self.options.setdefault("cls", FullPrecisionEncoder)  # the JSON serializer's options become json.dump's
        super().start_serialization()


# register_serializer takes a module holding both a Serializer and a Deserializer: this one.
Deserializer = JSONDeserializer


# --- checking an archive (pure) -------------------------------------------------------------


def member_problem(info: tarfile.TarInfo) -> str | None:
    """Why a tar member must not be extracted, or None when it is a plain file where we put files."""
    name = info.name
    if not info.isfile():
        return _("“%(name)s” is not a regular file (links and devices are never part of a backup)") % {
            "name": name}
    path = PurePosixPath(name)
    if name.startswith("/") or "\\" in name or path.is_absolute():
        return _("“%(name)s” is an absolute path") % {"name": name}
    if any(part in {"", ".", ".."} for part in name.split("/")):
        return _("“%(name)s” leaves its folder") % {"name": name}
    if name in {MANIFEST, DATA}:
        return None
    if len(path.parts) < 2 or path.parts[0] not in FILE_ROOTS:
        return _("“%(name)s” is not part of an Evidens backup") % {"name": name}
    return None


def check_members(members: list[tarfile.TarInfo], manifest: dict[str, Any]) -> None:
    problems = [problem for info in members if (problem := member_problem(info))]
    names = [info.name for info in members]
    if len(names) != len(set(names)):
        problems.append(_("the archive holds the same name twice"))
    listed = {entry["path"] for entry in manifest["contents"]}
    present = set(names) - {MANIFEST}
    if listed - present:
        problems.append(_("missing from the archive: %(names)s") % {"names": ", ".join(sorted(listed - present)[:5])})
    if present - listed:
        problems.append(_("not listed in the manifest: %(names)s") % {"names": ", ".join(sorted(present - listed)[:5])})
    if DATA not in listed:
        problems.append(_("the archive has no %(name)s") % {"name": DATA})
    if problems:
        raise BackupError(
            _("This is not a valid Evidens backup: %(problems)s") % {"problems": "; ".join(problems[:10])}
        )


def check_manifest(manifest: Any) -> dict[str, Any]:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not an Evidens backup (manifest.json has the wrong format)."))
    format_version = manifest.get("format_version")
    if not isinstance(format_version, int) or format_version > FORMAT_VERSION:
        raise BackupError(
            _("This backup has format version %(version)s; this Evidens reads up to version %(supported)s. "
              "Upgrade Evidens first.") % {"version": repr(format_version), "supported": FORMAT_VERSION}
        )
    contents = manifest.get("contents")
    if not isinstance(contents, list) or not all(
        isinstance(entry, dict) and all(isinstance(entry.get(key), str) for key in ("path", "sha256"))
        for entry in contents
    ):
        raise BackupError(_("manifest.json has no valid list of contents."))
    return manifest


# --- writing ---------------------------------------------------------------------------------


class _HashingReader:
    """A file wrapper that hashes and counts what tarfile reads from it."""

    def __init__(self, handle: IO[bytes], on_read: Callable[[int], None]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.on_read = on_read

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.on_read(len(chunk))
        return chunk


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole dump, without blocking writers."""
    if connection.in_atomic_block:  # the caller's transaction already is one view
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # Django opens SQLite transactions with BEGIN IMMEDIATE, which would hold the write lock
        # for the whole dump. A deferred read transaction sees a WAL snapshot and blocks nobody.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:  # pragma: no cover - settings allow only the two
        yield


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _walk_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def _open_private(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def backup_create(*, out: Path, overwrite: bool = False, progress: Progress | None = None) -> Summary:
    """Write the archive to ``out`` (mode 0600); an existing file is kept unless ``overwrite``."""
    out = out.resolve()
    if out.exists() and not overwrite:
        raise BackupError(_("%(path)s already exists; choose another name or pass --overwrite.") % {"path": out})
    if not out.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": out.parent})
    summary = Summary(path=out)
    partial = out.with_name(f".{out.name}.partial")
    data_fd, data_name = tempfile.mkstemp(prefix=".evidens-data-", suffix=".json", dir=out.parent)
    os.close(data_fd)
    data_path = Path(data_name)
    serializers.register_serializer(DATA_FORMAT, __name__)
    try:
        with _read_snapshot():
            call_command(
                "dumpdata",
                format=DATA_FORMAT,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=True,
                exclude=excluded_models(),
                output=str(data_path),
                verbosity=0,
            )
            migrations = applied_migrations()
        sources = [(DATA, data_path)] + [
            (f"{prefix}/{relative}", path)
            for prefix, root in file_roots().items()
            for path, relative in _walk_files(root)
        ]
        total = sum(path.stat().st_size for _, path in sources)
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, total)

        contents = []
        with _open_private(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
            for name, path in sources:
                with path.open("rb") as handle:
                    stat = os.fstat(handle.fileno())
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
                    reader = _HashingReader(handle, advance)
                    tar.addfile(info, reader)
                contents.append({"path": name, "size": info.size, "sha256": reader.digest.hexdigest()})
            summary.manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "evidens_version": evidens_version(),
                "database_engine": connection.vendor,
                "migrations": migrations,
                "excluded_models": excluded_models(),
                "contents": contents,
            }
            encoded = json.dumps(summary.manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(encoded), int(datetime.now(UTC).timestamp()), 0o600
            tar.addfile(info, io.BytesIO(encoded))
        os.replace(partial, out)
        os.chmod(out, 0o600)
    finally:
        data_path.unlink(missing_ok=True)
        partial.unlink(missing_ok=True)
    summary.files = len(contents) - 1
    summary.bytes = total
    return summary


# --- restoring -------------------------------------------------------------------------------


def project_models() -> list[type[Model]]:
    """The models whose rows are an installation's data: those of Evidens' own apps, and the user model.

    Found through the app registry, so core knows nothing of the apps above it.
    """
    found: list[type[Model]] = [
        model
        for config in apps.get_app_configs() if config.name.startswith("evidens.")
        for model in config.get_models()
        if not model._meta.proxy
    ]
    user_model = get_user_model()
    return found if user_model in found else [user_model, *found]


def held_rows() -> list[tuple[type[Model], int]]:
    """The project models that have rows in the configured database, with their counts (no manager filters)."""
    tables = set(connection.introspection.table_names())
    held = []
    for model in project_models():
        if model._meta.db_table in tables and (count := model._base_manager.count()):
            held.append((model, count))
    return held


def target_problem() -> str | None:
    """Why the configured database and data directory cannot take a restore, or None."""
    held = held_rows()
    if held:
        counts = ", ".join(
            f"{number_format(count, use_l10n=True, force_grouping=True)} "
            f"{model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural}"
            for model, count in held
        )
        return _(
            "The target database already holds data (%(counts)s). Restore only into an empty installation: "
            "point EVIDENS_DATA_DIR (and EVIDENS_DATABASE_URL, if used) at a new, empty place."
        ) % {"counts": counts}
    for root in file_roots().values():
        if next(_walk_files(root), None) is not None:
            return _("The folder %(folder)s already holds files. Restore only into an empty data directory.") % {
                "folder": root}
    return None


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupError(_("This is not an Evidens backup: it has no manifest.json.")) from None
    if handle is None:
        raise BackupError(_("This is not an Evidens backup: manifest.json is not a file."))
    try:
        manifest = json.loads(handle.read())
    except ValueError:
        raise BackupError(_("manifest.json is not valid JSON.")) from None
    return check_manifest(manifest)


def check_migrations_known(manifest: dict[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            _("This backup comes from a newer Evidens (%(version)s); this one does not know the migrations "
              "%(migrations)s. Upgrade Evidens first.")
            % {"version": manifest.get("evidens_version"), "migrations": ", ".join(unknown[:5])}
        )


def _extract_verified(
    tar: tarfile.TarFile, members: list[tarfile.TarInfo], manifest: dict[str, Any], staging: Path,
    progress: Progress | None,
) -> None:
    expected = {entry["path"]: entry for entry in manifest["contents"]}
    total = sum(info.size for info in members if info.name != MANIFEST)
    done = 0
    for info in members:
        if info.name == MANIFEST:
            continue
        source = tar.extractfile(info)
        assert source is not None  # check_members let only regular files through
        target = staging / info.name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("xb") as handle:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                handle.write(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        os.utime(target, (info.mtime, info.mtime))
        if digest.hexdigest() != expected[info.name]["sha256"]:
            raise BackupError(
                _("%(name)s is damaged: its sha256 does not match the manifest. Nothing was restored.")
                % {"name": info.name}
            )


@contextmanager
def _open_archive(archive: Path) -> Iterator[tarfile.TarFile]:
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            yield tar
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise BackupError(
            _("%(archive)s is not a readable Evidens backup: %(error)s") % {"archive": archive, "error": error}
        ) from None


def backup_restore(*, archive: Path, progress: Progress | None = None) -> Summary:
    """Restore ``archive`` into the configured, empty database and data directory."""
    if not archive.is_file():
        raise BackupError(_("%(archive)s does not exist.") % {"archive": archive})
    problem = target_problem()
    if problem:
        raise BackupError(problem)
    summary = Summary(path=archive)
    staging = Path(settings.DATA_DIR) / f".restore-{secrets.token_hex(4)}"
    try:
        with _open_archive(archive) as tar:
            members = tar.getmembers()
            manifest = read_manifest(tar)
            check_members(members, manifest)
            check_migrations_known(manifest)
            staging.mkdir(mode=0o700)
            _extract_verified(tar, members, manifest, staging, progress)
        call_command("migrate", interactive=False, verbosity=0)
        problem = target_problem()
        if problem:
            raise BackupError(problem)
        loader = LoadDataCommand()
        call_command(loader, str(staging / DATA), verbosity=0)  # one transaction inside loaddata
        summary.objects = loader.loaded_object_count
        for prefix, root in file_roots().items():
            source_root = staging / prefix
            for path, relative in _walk_files(source_root):
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
                summary.files += 1
                summary.bytes += target.stat().st_size
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    summary.manifest = manifest
    return summary
